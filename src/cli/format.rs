//! How an answer is printed: the format (`-o table|json|ndjson|tsv|wide`), `--no-headers` and
//! `--query` (JMESPath over the JSON form), for an answer read whole (a show, a small list).

use std::borrow::Cow;

use serde_json::Value;

use super::args::{GlobalArgs, Output};
use super::exit::{CliError, ExitCode};
use super::out;
use super::table::{Table, fields, stdout_style};

/// A column of a list: `wide` ones are shown by `-o wide` and `-o tsv` only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: Cow<'static, str>,
    pub wide: bool,
}

/// A column every table shows.
pub const fn col(name: &'static str) -> Column {
    Column {
        name: Cow::Borrowed(name),
        wide: false,
    }
}

/// A column of `-o wide` and `-o tsv` only.
pub const fn wide(name: &'static str) -> Column {
    Column {
        name: Cow::Borrowed(name),
        wide: true,
    }
}

/// The format of a command's output, from the global flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    pub output: Output,
    pub headers: bool,
    /// A JMESPath expression, checked to compile.
    pub query: Option<String>,
}

impl Format {
    /// The format the flags ask for; an expression that does not compile is a usage error.
    pub fn of(global: &GlobalArgs) -> Result<Format, CliError> {
        if let Some(q) = &global.query {
            jmespath::compile(q).map_err(|e| {
                CliError::new(
                    ExitCode::Usage,
                    format!("--query: not a JMESPath expression: {e}"),
                )
            })?;
        }
        Ok(Format {
            output: global.output,
            headers: !global.no_headers,
            query: global.query.clone(),
        })
    }

    /// A format of this output alone (headers, no query).
    #[cfg(test)]
    pub fn plain(output: Output) -> Format {
        Format {
            output,
            headers: true,
            query: None,
        }
    }

    /// Whether the items need their cells (the formats that print columns, without a query).
    pub fn needs_cells(&self) -> bool {
        self.query.is_none() && matches!(self.output, Output::Table | Output::Wide | Output::Tsv)
    }

    /// The indexes of `columns` that this format shows.
    pub fn shown(&self, columns: &[Column]) -> Vec<usize> {
        let all = !matches!(self.output, Output::Table);
        (0..columns.len())
            .filter(|i| all || !columns[*i].wide)
            .collect()
    }
}

/// What a person reads of one answer: rows under columns, or the fields of one object.
pub enum View {
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    Fields(Vec<(&'static str, String)>),
}

/// Prints an answer read whole: `json` (its JSON form) for json, ndjson and `--query`; the
/// `view` for the others.
pub fn print(format: &Format, json: &Value, view: impl FnOnce() -> View) -> Result<(), CliError> {
    super::waiting::clear_line();
    if let Some(q) = &format.query {
        return print_value(format, &search(q, json)?);
    }
    match format.output {
        Output::Json | Output::Ndjson => print_value(format, json),
        Output::Table | Output::Wide | Output::Tsv => out::raw(&render(format, view())),
    }
}

/// The view as text in a column format.
pub fn render(format: &Format, view: View) -> String {
    match view {
        View::Table { columns, rows } => {
            let shown = format.shown(&columns);
            let header: Vec<&str> = shown.iter().map(|i| &*columns[*i].name).collect();
            let rows = rows.into_iter().map(|r| pick(&shown, r)).collect();
            lines(format, header, rows)
        }
        View::Fields(pairs) if format.output == Output::Tsv => {
            let header = pairs.iter().map(|(k, _)| *k).collect();
            lines(
                format,
                header,
                vec![pairs.into_iter().map(|(_, v)| v).collect()],
            )
        }
        View::Fields(pairs) => fields(&pairs),
    }
}

/// The cells of `row` at `shown`, in that order.
pub fn pick(shown: &[usize], row: Vec<String>) -> Vec<String> {
    let mut row: Vec<Option<String>> = row.into_iter().map(Some).collect();
    shown
        .iter()
        .map(|i| row.get_mut(*i).and_then(Option::take).unwrap_or_default())
        .collect()
}

/// Rows under a header: tab-separated for tsv, aligned for table and wide.
fn lines(format: &Format, header: Vec<&str>, rows: Vec<Vec<String>>) -> String {
    if format.output == Output::Tsv {
        let mut text = String::new();
        if format.headers {
            text.push_str(&tsv_line(header.iter().map(|h| (*h).to_owned())));
        }
        for r in rows {
            text.push_str(&tsv_line(r));
        }
        return text;
    }
    let mut t = Table::new(&header);
    for r in rows {
        t.push(r);
    }
    let (width, bold) = stdout_style();
    let width = if format.output == Output::Wide {
        None
    } else {
        width
    };
    let widths = t.widths(width);
    let mut text = if format.headers {
        t.head(&widths, bold)
    } else {
        String::new()
    };
    text.push_str(&t.body(&widths, true));
    text
}

/// One tab-separated line: tabs and line breaks inside a value become spaces, other control
/// characters the placeholder.
pub fn tsv_line(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| {
            let c = c.replace(['\t', '\n', '\r'], " ");
            crate::terminal_text::line(&c).into_owned()
        })
        .collect();
    let mut line = cells.join("\t");
    line.push('\n');
    line
}

/// The result of `--query` over `value`.
pub fn search(query: &str, value: &Value) -> Result<Value, CliError> {
    search_in(query, value)
}

/// The result of `--query` over the JSON `text` (read straight into the query's own tree, so
/// that a long list is held once).
pub fn search_text(query: &str, text: &str) -> Result<Value, CliError> {
    let data = jmespath::Variable::from_json(text)
        .map_err(|e| CliError::new(ExitCode::Api, format!("the list is not JSON: {e}")))?;
    search_in(query, data)
}

fn search_in(query: &str, data: impl jmespath::ToJmespath) -> Result<Value, CliError> {
    let usage = |e: jmespath::JmespathError| {
        CliError::new(ExitCode::Usage, format!("--query {query:?}: {e}"))
    };
    let expr = jmespath::compile(query).map_err(usage)?;
    let found = expr.search(data).map_err(usage)?;
    serde_json::to_value(&*found)
        .map_err(|e| CliError::new(ExitCode::Failed, format!("--query: cannot write JSON: {e}")))
}

/// Prints a JSON value (a query's result, or an answer's JSON form) in the format: json pretty;
/// ndjson one line per item of an array (else one line); tsv one line per item, an object's or
/// an array's values tab-separated, strings without quotes; table and wide an array of objects
/// as a table of their members, anything else as tsv.
pub fn print_value(format: &Format, v: &Value) -> Result<(), CliError> {
    let text = match format.output {
        Output::Json => format!("{}\n", pretty(v)),
        Output::Ndjson => match v {
            Value::Array(items) => items.iter().map(|i| format!("{i}\n")).collect(),
            other => format!("{other}\n"),
        },
        Output::Tsv => return out::raw(&tsv_of(v)),
        Output::Table | Output::Wide => match object_table(v) {
            Some((header, rows)) => {
                let columns = header
                    .into_iter()
                    .map(|h| Column {
                        name: Cow::Owned(h),
                        wide: false,
                    })
                    .collect();
                return out::raw(&render(format, View::Table { columns, rows }));
            }
            None => return out::raw(&tsv_of(v)),
        },
    };
    out::json(&text)
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// A value as tsv lines.
fn tsv_of(v: &Value) -> String {
    match v {
        Value::Array(items) => items.iter().map(|i| tsv_line(cells_of(i))).collect(),
        other => tsv_line(cells_of(other)),
    }
}

/// The cells of one line: an object's or an array's values, or the one scalar.
fn cells_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(scalar).collect(),
        Value::Object(m) => m.values().map(scalar).collect(),
        other => vec![scalar(other)],
    }
}

/// A value as one cell: a string without its quotes, null empty, anything else as JSON.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An array of objects as a header (their member names, in the order first seen, upper case)
/// and rows; `None` for any other value.
fn object_table(v: &Value) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let items = v.as_array()?;
    let mut keys: Vec<String> = Vec::new();
    for i in items {
        for k in i.as_object()?.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    if keys.is_empty() {
        return None;
    }
    let rows = items
        .iter()
        .map(|i| keys.iter().map(|k| scalar(&i[k])).collect())
        .collect();
    let header = keys.iter().map(|k| k.to_uppercase()).collect();
    Some((header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn format(output: Output) -> Format {
        Format::plain(output)
    }

    #[test]
    fn a_query_is_jmespath_over_the_json_form() {
        let v = json!([{"name": "a", "id": 1}, {"name": "b", "id": 2}]);
        assert_eq!(search("[].name", &v).unwrap(), json!(["a", "b"]));
        assert_eq!(search("[?id > `1`].name | [0]", &v).unwrap(), json!("b"));
        let e = search("[?", &v).unwrap_err();
        assert_eq!(e.code, ExitCode::Usage);
    }

    #[test]
    fn tsv_is_one_line_per_item_strings_unquoted() {
        let v = json!([["a", 1, null], {"x": "t\tab", "y": true}, "s"]);
        assert_eq!(tsv_of(&v), "a\t1\t\nt ab\ttrue\ns\n");
        assert_eq!(tsv_of(&json!("one")), "one\n");
    }

    #[test]
    fn tables_show_their_columns_and_wide_every_one() {
        let columns = vec![col("NAME"), wide("IMAGE ID"), col("ID")];
        let rows = || vec![vec!["web".into(), "img-1".into(), "i-1".into()]];
        let view = || View::Table {
            columns: columns.clone(),
            rows: rows(),
        };
        let table = render(&format(Output::Table), view());
        assert_eq!(table, "NAME  ID\nweb   i-1\n");
        let wide_text = render(&format(Output::Wide), view());
        assert_eq!(wide_text, "NAME  IMAGE ID  ID\nweb   img-1     i-1\n");
        let tsv = render(&format(Output::Tsv), view());
        assert_eq!(tsv, "NAME\tIMAGE ID\tID\nweb\timg-1\ti-1\n");
        let mut bare = format(Output::Tsv);
        bare.headers = false;
        assert_eq!(render(&bare, view()), "web\timg-1\ti-1\n");
        let fields_tsv = render(
            &format(Output::Tsv),
            View::Fields(vec![("name", "web".into()), ("id", "i-1".into())]),
        );
        assert_eq!(fields_tsv, "name\tid\nweb\ti-1\n");
    }

    #[test]
    fn an_array_of_objects_is_a_table_of_its_members() {
        let (header, rows) = object_table(&json!([{"a": 1}, {"b": "x", "a": 2}])).unwrap();
        assert_eq!(header, ["A", "B"]);
        assert_eq!(rows, [vec!["1", ""], vec!["2", "x"]]);
        assert!(object_table(&json!([1, 2])).is_none());
        assert!(object_table(&json!({"a": 1})).is_none());
    }
}
