//! A list written to stdout page by page as the pages arrive, holding only the page at hand:
//! `-o json` one array of the API's own item JSON, `-o table` rows under the first page's widths.

use serde_json::value::RawValue;

use super::args::Output;
use super::exit::CliError;
use super::out;
use super::table::{Table, stdout_style};

/// One item of a list: its JSON as the API sent it, and its table cells (`-o table` only).
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
/// for a whole list (and the exit code says it failed).
///
/// `-o table`: the header and the first page that has rows, fitted as a whole table is; the
/// later pages under the same widths. On a terminal a wider cell is cut with `…`, as a table
/// cuts its wide cells; elsewhere it is written whole and pushes the rest of its row right.
pub struct ListWriter {
    output: Output,
    header: Vec<&'static str>,
    /// Pages written so far (those with items).
    pages: u64,
    layout: Option<Layout>,
}

impl ListWriter {
    pub fn new(output: Output, header: &[&'static str]) -> Self {
        ListWriter {
            output,
            header: header.to_vec(),
            pages: 0,
            layout: None,
        }
    }

    /// Writes one page's items.
    pub fn page(&mut self, items: Vec<Item>) -> Result<(), CliError> {
        if items.is_empty() {
            return Ok(());
        }
        if self.pages == 0 {
            super::waiting::clear_line();
        }
        match self.output {
            Output::Json => self.json_page(&items)?,
            Output::Table => self.table_page(items)?,
        }
        self.pages += 1;
        Ok(())
    }

    /// Ends a list read whole: closes the JSON array; writes the header of an empty table.
    pub fn finish(self) -> Result<(), CliError> {
        match self.output {
            Output::Json if self.pages == 0 => out::raw("[]\n"),
            Output::Json => out::raw("\n]\n"),
            Output::Table if self.layout.is_none() => {
                let t = Table::new(&self.header);
                let (width, bold) = stdout_style();
                out::raw(&t.head(&t.widths(width), bold))
            }
            Output::Table => Ok(()),
        }
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

    fn table_page(&mut self, items: Vec<Item>) -> Result<(), CliError> {
        let mut t = Table::new(&self.header);
        for item in items {
            t.push(item.cells);
        }
        match &self.layout {
            Some(l) => out::raw(&t.body(&l.widths, l.cut)),
            None => {
                let (width, bold) = stdout_style();
                let widths = t.widths(width);
                let mut text = t.head(&widths, bold);
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
