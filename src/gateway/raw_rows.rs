//! A list page whose items are kept as the API sent them (`RawRow`: the JSON text, and the row
//! it reads as), after the same shape checks as `Answer::counted_rows`: for output that passes
//! the JSON through without building a tree of it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::error::GatewayError;
use super::model::Row;
use super::model::lenient::value_to_u64;
use super::request::Answer;
use super::shape::read_each;

/// One item of a list: its JSON text as the API sent it (an object), and what it reads as.
pub struct RawRow<T> {
    pub row: T,
    pub json: Box<RawValue>,
}

impl<T: Row> Row for RawRow<T> {
    fn row_id(&self) -> Cow<'_, str> {
        self.row.row_id()
    }
}

/// What a JSON text is, from its first character (the client checked that it is JSON).
fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(b'"') => "a string",
        Some(b'[') => "a list",
        Some(b'{') => "an object",
        _ => "a number",
    }
}

/// The item as a `T` with an id, or why it is not one.
fn row_problem<T: DeserializeOwned + Row>(item: &RawValue) -> Result<T, String> {
    let kind = kind_of(item);
    if kind != "an object" {
        return Err(format!("it is {kind}, not an object"));
    }
    let row: T = serde_json::from_str(item.get()).map_err(|e| e.to_string())?;
    if row.row_id().is_empty() {
        return Err("it has no id".into());
    }
    Ok(row)
}

impl Answer {
    /// The list under `key` (every item an object that reads as a `T` with an id) and the
    /// answer's `count` when it is a number; or the `BadBody` error that says what is wrong.
    pub fn raw_rows<T: DeserializeOwned + Row>(
        &self,
        key: &str,
    ) -> Result<(Vec<RawRow<T>>, Option<u64>), GatewayError> {
        if self.body.is_empty() {
            return Err(self.bad("the body is empty, not an object"));
        }
        let top: BTreeMap<Cow<'_, str>, &RawValue> = match serde_json::from_slice(&self.body) {
            Ok(top) => top,
            Err(_) => {
                let whole: &RawValue = serde_json::from_slice(&self.body)
                    .map_err(|e| self.bad(format!("the body is not JSON: {e}")))?;
                return Err(self.bad(format!("the body is {}, not an object", kind_of(whole))));
            }
        };
        let count = top
            .get("count")
            .and_then(|c| serde_json::from_str(c.get()).ok())
            .as_ref()
            .and_then(value_to_u64);
        let Some(list) = top.get(key) else {
            return Err(self.bad(format!("no `{key}` list in the answer")));
        };
        let items: Vec<&RawValue> = serde_json::from_str(list.get())
            .map_err(|_| self.bad(format!("`{key}` is {}, not a list", kind_of(list))))?;
        let rows = read_each(&items, |item| {
            row_problem::<T>(item).map(|row| RawRow {
                row,
                json: (*item).to_owned(),
            })
        })
        .map_err(|why| self.bad(why))?;
        Ok((rows, count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::shape::tests::Thing;

    fn answer(body: &str) -> Answer {
        Answer {
            operation: "list things".into(),
            status: 200,
            request_id: Some("r1".into()),
            headers: Default::default(),
            body: bytes::Bytes::from(body.to_owned()),
        }
    }

    fn problem(body: &str) -> String {
        match answer(body).raw_rows::<Thing>("things") {
            Ok(_) => panic!("{body} was taken"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn items_are_kept_as_sent_with_the_count() {
        let body =
            r#"{"count": "3", "things": [ {"id":"a",  "x": [1, 2]}, {"id": "b"} ], "more": {}}"#;
        let (rows, count) = answer(body).raw_rows::<Thing>("things").unwrap();
        assert_eq!(count, Some(3));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].json.get(), r#"{"id":"a",  "x": [1, 2]}"#);
        assert_eq!(rows[0].row_id(), "a");
        assert_eq!(rows[1].json.get(), r#"{"id": "b"}"#);
        let (rows, count) = answer(r#"{"things": []}"#)
            .raw_rows::<Thing>("things")
            .unwrap();
        assert!(rows.is_empty() && count.is_none());
    }

    #[test]
    fn a_wrong_shape_is_an_error_that_says_what_is_wrong() {
        for (body, says) in [
            ("", "the body is empty, not an object"),
            ("[1]", "the body is a list, not an object"),
            (r#"{"count": 1}"#, "no `things` list in the answer"),
            (
                r#"{"things": {"id": "a"}}"#,
                "`things` is an object, not a list",
            ),
            (
                r#"{"things": [{"id": "a"}, 3, {"name": "b"}]}"#,
                "2 of 3 rows could not be read: row 2: it is a number, not an object; row 3: it has no id",
            ),
        ] {
            let e = problem(body);
            assert!(e.contains(says), "{body}: {e}");
            assert!(e.contains("list things"), "{e}");
        }
    }
}
