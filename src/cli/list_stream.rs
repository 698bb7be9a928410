//! A list written to stdout page by page as the pages arrive, holding only the page at hand:
//! `-o json` one array of the API's own item JSON, `-o ndjson` one item a line, `-o table` and
//! `-o wide` rows under the first page's widths, `-o tsv` tab-separated rows. `--query` holds
//! the whole list instead (it is one JSON value to search).

use serde_json::Value;
use serde_json::value::RawValue;

use super::args::Output;
use super::exit::{CliError, ExitCode};
use super::format::{Column, Format, pick, print_value, search_text, tsv_line};
use super::out;
use super::table::{Table, stdout_style};

/// One item of a list: its JSON as the API sent it, and its cells, one per column (for the
/// formats that print columns; empty for the others).
pub struct Item {
    pub json: Box<RawValue>,
    pub cells: Vec<String>,
}

/// The table's columns, fixed by the first page that has rows.
struct Layout {
    widths: Vec<usize>,
    /// Whether a wider cell of a later page is cut (on a terminal) or written whole.
    cut: bool,
}

/// Writes one list to stdout as its pages come.
///
/// `-o json`: `[`, then each item on its own line as the API sent it (only made safe for a
/// terminal), then `]` from `finish`. A list that fails after its first items were written is
/// never finished: stdout then holds an array that is not closed, which no JSON parser takes
/// for a whole list (and the exit code says it failed). `-o ndjson`: each item on a line of its
/// own (its text as the API sent it unless that spans lines).
///
/// `-o table`: the header and the first page that has rows, fitted as a whole table is; the
/// later pages under the same widths. On a terminal a wider cell is cut with `…`, as a table
/// cuts its wide cells; elsewhere it is written whole and pushes the rest of its row right.
/// `-o wide` is the same with every column, never cut. `-o tsv`: every column, a header line
/// first (unless `--no-headers`).
pub struct ListWriter {
    format: Format,
    columns: Vec<Column>,
    /// The columns this format shows.
    shown: Vec<usize>,
    /// Pages written so far (those with items).
    pages: u64,
    layout: Option<Layout>,
    /// `--query`: every item's JSON, comma-separated, searched at the end.
    held: String,
}

impl ListWriter {
    pub fn new(format: &Format, columns: &[Column]) -> Self {
        ListWriter {
            shown: format.shown(columns),
            format: format.clone(),
            columns: columns.to_vec(),
            pages: 0,
            layout: None,
            held: String::new(),
        }
    }

    /// Writes one page's items.
    pub fn page(&mut self, items: Vec<Item>) -> Result<(), CliError> {
        if items.is_empty() {
            return Ok(());
        }
        if self.format.query.is_some() {
            for item in items {
                if !self.held.is_empty() {
                    self.held.push(',');
                }
                self.held.push_str(item.json.get());
            }
            return Ok(());
        }
        if self.pages == 0 {
            super::waiting::clear_line();
        }
        match self.format.output {
            Output::Json => self.json_page(&items)?,
            Output::Ndjson => ndjson_page(&items)?,
            Output::Tsv => self.tsv_page(items)?,
            Output::Table | Output::Wide => self.table_page(items)?,
        }
        self.pages += 1;
        Ok(())
    }

    /// Ends a list read whole: closes the JSON array; writes the header of an empty table;
    /// searches a held list with `--query` and prints what it found.
    pub fn finish(self) -> Result<(), CliError> {
        if let Some(q) = &self.format.query {
            let mut list = self.held;
            list.insert(0, '[');
            list.push(']');
            return print_value(&self.format, &search_text(q, &list)?);
        }
        match self.format.output {
            Output::Json if self.pages == 0 => out::raw("[]\n"),
            Output::Json => out::raw("\n]\n"),
            Output::Ndjson => Ok(()),
            Output::Tsv if self.pages == 0 && self.format.headers => out::raw(&self.tsv_head()),
            Output::Tsv => Ok(()),
            Output::Table | Output::Wide if self.layout.is_none() && self.format.headers => {
                let t = Table::new(&self.header());
                let (width, bold) = stdout_style();
                out::raw(&t.head(&t.widths(width), bold))
            }
            Output::Table | Output::Wide => Ok(()),
        }
    }

    /// The names of the columns shown.
    fn header(&self) -> Vec<&str> {
        self.shown.iter().map(|i| &*self.columns[*i].name).collect()
    }

    fn tsv_head(&self) -> String {
        tsv_line(self.header().into_iter().map(str::to_owned))
    }

    fn json_page(&self, items: &[Item]) -> Result<(), CliError> {
        let len: usize = items.iter().map(|i| i.json.get().len() + 4).sum();
        let mut text = String::with_capacity(len + 2);
        for (i, item) in items.iter().enumerate() {
            text.push_str(if i == 0 && self.pages == 0 {
                "[\n  "
            } else {
                ",\n  "
            });
            text.push_str(item.json.get());
        }
        out::json(&text)
    }

    fn tsv_page(&self, items: Vec<Item>) -> Result<(), CliError> {
        let mut text = String::new();
        if self.pages == 0 && self.format.headers {
            text.push_str(&self.tsv_head());
        }
        for item in items {
            text.push_str(&tsv_line(pick(&self.shown, item.cells)));
        }
        out::raw(&text)
    }

    fn table_page(&mut self, items: Vec<Item>) -> Result<(), CliError> {
        let mut t = Table::new(&self.header());
        for item in items {
            t.push(pick(&self.shown, item.cells));
        }
        match &self.layout {
            Some(l) => out::raw(&t.body(&l.widths, l.cut)),
            None => {
                let (width, bold) = stdout_style();
                let width = width.filter(|_| self.format.output == Output::Table);
                let widths = t.widths(width);
                let mut text = if self.format.headers {
                    t.head(&widths, bold)
                } else {
                    String::new()
                };
                text.push_str(&t.body(&widths, true));
                self.layout = Some(Layout {
                    widths,
                    cut: width.is_some(),
                });
                out::raw(&text)
            }
        }
    }
}

/// One item a line: the API's text, or the item written again on one line when its text spans
/// several.
fn ndjson_page(items: &[Item]) -> Result<(), CliError> {
    out::json(&ndjson_text(items)?)
}

fn ndjson_text(items: &[Item]) -> Result<String, CliError> {
    let mut text = String::new();
    for item in items {
        let raw = item.json.get();
        if memchr::memchr2(b'\n', b'\r', raw.as_bytes()).is_some() {
            let v: Value = serde_json::from_str(raw)
                .map_err(|e| CliError::new(ExitCode::Api, format!("an item is not JSON: {e}")))?;
            text.push_str(&v.to_string());
        } else {
            text.push_str(raw);
        }
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> Item {
        Item {
            json: RawValue::from_string(json.to_owned()).unwrap(),
            cells: Vec::new(),
        }
    }

    #[test]
    fn ndjson_is_one_item_a_line_its_own_text_unless_it_spans_lines() {
        let items = [
            item(r#"{"id": "a",  "n": 1}"#),
            item("{\n  \"id\": \"b\"\r\n}"),
        ];
        assert_eq!(
            ndjson_text(&items).unwrap(),
            "{\"id\": \"a\",  \"n\": 1}\n{\"id\":\"b\"}\n"
        );
    }
}
