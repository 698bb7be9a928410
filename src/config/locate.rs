//! Maps a key path or a byte span of a TOML file to its line, column and dotted key path.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::error::ConfigError;

/// The text of a config or theme file, kept so that errors found after parsing can point into it.
/// Its `Debug` shows the path only: the text may hold an inline secret.
#[derive(Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("path", &self.path)
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// An error at the key `path` (e.g. `["profiles", "lab", "endpoint"]`): at its value when the
    /// file has it, else at the deepest table of the path that the file has.
    pub fn error_at(&self, path: &[&str], message: impl Into<String>) -> ConfigError {
        let offset = DeTable::parse(&self.text)
            .ok()
            .map(|root| span_of_path(root.as_ref(), path))
            .unwrap_or(0);
        self.error_at_offset(offset, &path.join("."), message)
    }

    /// An error at a byte span that a parser reported; the key path is found from the span.
    pub fn error_at_span(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> ConfigError {
        let span = span.unwrap_or(0..0);
        // A file that does not parse (a syntax error, a duplicate key) has no tree to search:
        // its lines still say which table and key the error is in.
        let key = match DeTable::parse(&self.text) {
            Ok(root) => path_of_span(root.as_ref(), &span).join("."),
            Err(_) => key_by_lines(&self.text, span.start),
        };
        let key = if key.is_empty() {
            "(top level)".to_owned()
        } else {
            key
        };
        self.error_at_offset(span.start, &key, message)
    }

    fn error_at_offset(&self, offset: usize, key: &str, message: impl Into<String>) -> ConfigError {
        let (line, col) = self.line_col(offset);
        ConfigError::At {
            file: self.path.clone(),
            line,
            col,
            key: key.to_owned(),
            message: message.into(),
        }
    }
}

/// The key at `offset` read from the lines alone: the last `[table]` header before it and the
/// `key =` of its line (either may be missing).
fn key_by_lines(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text.get(start..end).unwrap_or("");
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"'))
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let table = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|h| h.trim_matches(|c| c == '[' || c == ']').trim());
    let header = line
        .trim()
        .starts_with('[')
        .then(|| line.trim().trim_matches(|c| c == '[' || c == ']').trim());
    match (header.or(table), key) {
        (Some(t), Some(k)) if header.is_none() => format!("{t}.{k}"),
        (Some(t), _) => t.to_owned(),
        (None, Some(k)) => k.to_owned(),
        (None, None) => String::new(),
    }
}

fn span_of_path(table: &DeTable<'_>, path: &[&str]) -> usize {
    let Some((first, rest)) = path.split_first() else {
        return 0;
    };
    for (k, v) in table.iter() {
        if k.get_ref().as_ref() == *first {
            if rest.is_empty() {
                return v.span().start;
            }
            return match v.get_ref() {
                DeValue::Table(t) => match span_of_path(t, rest) {
                    0 => k.span().start,
                    n => n,
                },
                _ => v.span().start,
            };
        }
    }
    0
}

/// The deepest key whose key or value span holds `span`.
fn path_of_span(table: &DeTable<'_>, span: &Range<usize>) -> Vec<String> {
    for (k, v) in table.iter() {
        let inside = |r: Range<usize>| r.start <= span.start && span.start < r.end.max(r.start + 1);
        if inside(k.span()) {
            return vec![k.get_ref().to_string()];
        }
        if inside(v.span()) {
            let mut path = vec![k.get_ref().to_string()];
            if let DeValue::Table(t) = v.get_ref() {
                path.extend(path_of_span(t, span));
            }
            return path;
        }
    }
    // Dotted headers (`[profiles.lab]`) give the table a span that may not hold its keys: look deeper.
    for (k, v) in table.iter() {
        if let DeValue::Table(t) = v.get_ref() {
            let deeper = path_of_span(t, span);
            if !deeper.is_empty() {
                let mut path = vec![k.get_ref().to_string()];
                path.extend(deeper);
                return path;
            }
        }
    }
    Vec::new()
}

/// Parses a TOML file into `T`, turning serde errors into `FILE:LINE:COL: key PATH: message`.
pub fn parse<T: serde::de::DeserializeOwned>(source: &Source) -> Result<T, ConfigError> {
    toml::from_str(&source.text).map_err(|e| source.error_at_span(e.span(), explain(e.message())))
}

/// serde's messages, said as a person would want them.
fn explain(message: &str) -> String {
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("unknown field ") {
        return format!("unknown key {rest}");
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        return format!("wrong type: {rest}");
    }
    if let Some(rest) = m.strip_prefix("unknown variant ") {
        return format!("unknown value {rest}");
    }
    m.to_owned()
}
