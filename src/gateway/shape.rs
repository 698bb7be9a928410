//! The documented shape of a 2xx answer: valid JSON (UTF-8, numbers in range, bounded depth), an
//! object, a list or object under its key, rows that read as their type. Else a `BadBody` error
//! that names the call, the request id and what was wrong.

use serde::de::{DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::error::{ErrorKind, GatewayError};
use super::model::JobSubmitted;
pub use super::model::Row;
use super::model::lenient::value_to_u64;
use super::request::Answer;

/// Checks that a body is JSON a tree can be built from: UTF-8 strings, numbers in range, at most
/// serde_json's nesting depth (skipping with `IgnoredAny` checks none of these).
pub fn check_json(body: &[u8]) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_any(Checked)?;
    de.end()
}

struct Checked;

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        d.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl Answer {
    /// A `BadBody` error for this answer: its call, status and request id.
    pub fn bad(&self, detail: impl Into<String>) -> GatewayError {
        let mut e = GatewayError::new(
            self.operation.clone(),
            ErrorKind::BadBody {
                status: self.status,
                detail: detail.into(),
            },
        );
        e.request_id = self.request_id.clone();
        e
    }

    /// The body as a JSON object, or why it is not one.
    pub fn top(&self) -> Result<serde_json::Map<String, Value>, GatewayError> {
        if self.body.is_empty() {
            return Err(self.bad("the body is empty, not an object"));
        }
        match self.json() {
            Value::Object(m) => Ok(m),
            other => Err(self.bad(format!("the body is {}, not an object", kind_of(&other)))),
        }
    }

    /// The member `key` of the body, which must be of the kind `is` accepts (`noun` names it).
    fn member_of(
        &self,
        key: &str,
        noun: &str,
        is: fn(&Value) -> bool,
    ) -> Result<Value, GatewayError> {
        self.take_member(&mut self.top()?, key, noun, is)
    }

    fn take_member(
        &self,
        top: &mut serde_json::Map<String, Value>,
        key: &str,
        noun: &str,
        is: fn(&Value) -> bool,
    ) -> Result<Value, GatewayError> {
        let a = if noun.starts_with('o') { "an" } else { "a" };
        match top.remove(key) {
            None => Err(self.bad(format!("no `{key}` {noun} in the answer"))),
            Some(v) if is(&v) => Ok(v),
            Some(v) => Err(self.bad(format!("`{key}` is {}, not {a} {noun}", kind_of(&v)))),
        }
    }

    /// The object under `key` (a show answer's `server`, `volume`, …).
    pub fn object(&self, key: &str) -> Result<Value, GatewayError> {
        self.member_of(key, "object", Value::is_object)
    }

    /// The list under `key` (a list answer's `servers`, `images`, …), items unchecked.
    pub fn list(&self, key: &str) -> Result<Vec<Value>, GatewayError> {
        match self.member_of(key, "list", Value::is_array)? {
            Value::Array(items) => Ok(items),
            _ => Ok(Vec::new()),
        }
    }

    /// The list under `key`, every item checked to read as a `T` with an id.
    pub fn rows<T: DeserializeOwned + Row>(&self, key: &str) -> Result<Vec<Value>, GatewayError> {
        let items = self.list(key)?;
        decode_rows::<T>(&items).map_err(|why| self.bad(why))?;
        Ok(items)
    }

    /// `rows` and the answer's `count` (when a number), from one reading of the body.
    pub fn counted_rows<T: DeserializeOwned + Row>(
        &self,
        key: &str,
    ) -> Result<(Vec<Value>, Option<u64>), GatewayError> {
        let mut top = self.top()?;
        let count = top.get("count").and_then(value_to_u64);
        let Value::Array(items) = self.take_member(&mut top, key, "list", Value::is_array)? else {
            return Ok((Vec::new(), count));
        };
        decode_rows::<T>(&items).map_err(|why| self.bad(why))?;
        Ok((items, count))
    }

    /// The list under `key`, decoded as `T`s (an error when any item does not read).
    pub fn rows_as<T: DeserializeOwned + Row>(&self, key: &str) -> Result<Vec<T>, GatewayError> {
        decode_rows(&self.list(key)?).map_err(|why| self.bad(why))
    }

    /// The answer to a job call: its `job_id` (required, a non-empty string), `order_id` when
    /// given, with this answer's status and request id.
    pub fn job(&self) -> Result<JobSubmitted, GatewayError> {
        let top = self.top()?;
        let job_id = match top.get("job_id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(other) => return Err(self.bad(format!("`job_id` is {other}, not a job id"))),
            None => return Err(self.bad("no `job_id` in the answer")),
        };
        Ok(JobSubmitted {
            job_id: Some(job_id),
            order_id: top
                .get("order_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            http_status: self.status,
            request_id: self.request_id.clone(),
            ..JobSubmitted::default()
        })
    }

    /// The object under `key`, decoded as a `T`.
    pub fn object_as<T: DeserializeOwned>(&self, key: &str) -> Result<T, GatewayError> {
        T::deserialize(self.object(key)?).map_err(|e| self.bad(format!("`{key}`: {e}")))
    }
}

/// The item as a `T` with an id, or why it is not one.
fn row_problem<T: DeserializeOwned + Row>(item: &Value) -> Result<T, String> {
    if !item.is_object() {
        return Err(format!("it is {}, not an object", kind_of(item)));
    }
    let row = T::deserialize(item).map_err(|e| e.to_string())?;
    if row.row_id().is_empty() {
        return Err("it has no id".into());
    }
    Ok(row)
}

/// Rows that could not be read, said in one line: how many of how many, and why (first three).
fn unreadable(problems: &[(usize, String)], of: usize) -> String {
    let shown: Vec<String> = problems
        .iter()
        .take(3)
        .map(|(i, why)| format!("row {}: {why}", i + 1))
        .collect();
    let more = if problems.len() > 3 { "; …" } else { "" };
    format!(
        "{} of {of} rows could not be read: {}{more}",
        problems.len(),
        shown.join("; ")
    )
}

/// Every item decoded as a `T` with an id, or the line that says which could not be.
pub fn decode_rows<T: DeserializeOwned + Row>(items: &[Value]) -> Result<Vec<T>, String> {
    read_each(items, row_problem::<T>)
}

/// Every item read by `read`, or the line that says which could not be and why.
pub(super) fn read_each<I, R>(
    items: &[I],
    read: impl Fn(&I) -> Result<R, String>,
) -> Result<Vec<R>, String> {
    let mut rows = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match read(item) {
            Ok(r) => rows.push(r),
            Err(why) => problems.push((i, why)),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(unreadable(&problems, items.len()))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    use std::borrow::Cow;

    /// A row with nothing but its id (the list tests of `shape` and `raw_rows`).
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    pub(in crate::gateway) struct Thing {
        pub id: String,
    }
    impl Row for Thing {
        fn row_id(&self) -> Cow<'_, str> {
            Cow::Borrowed(&self.id)
        }
    }

    #[test]
    fn json_is_checked_for_utf8_number_range_and_depth() {
        assert!(check_json(br#"{"a":[1,2.5,"x",null,true,{"b":-1}]}"#).is_ok());
        assert!(check_json(b"{\"a\":\"\xff\"}").is_err());
        assert!(check_json(br#"{"a":1e999}"#).is_err());
        assert!(check_json(format!("{}{}", "[".repeat(500), "]".repeat(500)).as_bytes()).is_err());
        assert!(check_json(b"{} x").is_err());
    }

    #[test]
    fn rows_say_which_could_not_be_read() {
        let items = vec![json!({"id": "a"}), json!(3), json!({"name": "b"})];
        let e = decode_rows::<Thing>(&items).err().unwrap();
        assert_eq!(
            e,
            "2 of 3 rows could not be read: row 2: it is a number, not an object; row 3: it has no id"
        );
        let ok = decode_rows::<Thing>(&items[..1]).unwrap();
        assert_eq!(ok[0].id, "a");
        assert_eq!(json!({"id": 7}).row_id(), "7");
    }
}
