//! The `/` filter: words are case-insensitive substrings, `field:value`, `!word`, `~regex`; never fuzzy.

use memchr::memmem;
use regex::Regex;

use super::rows::Column;

/// One term of a query; a row must satisfy every term.
#[derive(Debug, Clone)]
enum Term {
    /// Appears somewhere in the row.
    Word(String),
    /// Appears in one column.
    Field(usize, String),
    /// The negation of a word or field term.
    Not(Box<Term>),
    /// Matches the row's text, case-insensitively; `whole` when it may be searched for in the
    /// text of all rows at once (it has no `\A`/`\z`, which only a row's own text can meet).
    Regex { re: Regex, whole: bool },
}

impl Term {
    /// `row` is the row's lowercase text, cells separated by newlines.
    fn matches(&self, row: &str) -> bool {
        match self {
            Term::Word(w) => row.contains(w.as_str()),
            Term::Field(i, v) => row
                .split('\n')
                .nth(*i)
                .is_some_and(|c| c.contains(v.as_str())),
            Term::Not(t) => !t.matches(row),
            Term::Regex { re, .. } => re.is_match(row),
        }
    }

    /// Every row that matches `self` also matches `prev`.
    fn implies(&self, prev: &Term) -> bool {
        match (self, prev) {
            (Term::Word(a), Term::Word(b)) => a.contains(b.as_str()),
            (Term::Field(i, a), Term::Field(j, b)) => i == j && a.contains(b.as_str()),
            (Term::Field(_, a), Term::Word(b)) => a.contains(b.as_str()),
            (Term::Not(a), Term::Not(b)) => b.implies(a),
            (Term::Regex { re: a, .. }, Term::Regex { re: b, .. }) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

/// A parsed filter query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    text: String,
    terms: Vec<Term>,
}

/// Why a query cannot be used, said for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

impl Query {
    /// Parses `text` for a list with `columns`.
    pub fn parse(text: &str, columns: &[Column]) -> Result<Query, FilterError> {
        let mut terms = Vec::new();
        for token in text.split_whitespace() {
            if let Some(re) = token.strip_prefix('~') {
                if re.is_empty() {
                    continue;
                }
                let pattern = format!("(?im){re}");
                let r = Regex::new(&pattern).map_err(|e| {
                    FilterError(format!(
                        "~{re} is not a regular expression: {}",
                        first_line(&e.to_string())
                    ))
                })?;
                terms.push(Term::Regex {
                    re: r,
                    whole: searchable_across_rows(&pattern),
                });
                continue;
            }
            let (negated, body) = match token.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, token),
            };
            if body.is_empty() {
                continue;
            }
            let term =
                field_term(body, columns)?.unwrap_or_else(|| Term::Word(body.to_lowercase()));
            terms.push(if negated {
                Term::Not(Box::new(term))
            } else {
                term
            });
        }
        Ok(Query {
            text: text.to_owned(),
            terms,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// `row` is the row's lowercase text, cells separated by newlines.
    pub fn matches(&self, row: &str) -> bool {
        self.terms.iter().all(|t| t.matches(row))
    }

    /// A term that can be searched for across the text of every row at once: the longest word
    /// (`memchr::memmem`), else a regex without `\A`/`\z`; and whether it is the only term (then
    /// a hit inside one row needs no further check).
    pub fn scan(&self) -> Option<(Scan<'_>, bool)> {
        let only = self.terms.len() == 1;
        let word = self
            .terms
            .iter()
            .filter_map(|t| match t {
                Term::Word(w) => Some(w),
                _ => None,
            })
            .max_by_key(|w| w.len());
        if let Some(w) = word {
            return Some((Scan::Word(memmem::Finder::new(w.as_bytes())), only));
        }
        self.terms.iter().find_map(|t| match t {
            Term::Regex { re, whole: true } => Some((Scan::Regex(re), only)),
            _ => None,
        })
    }

    /// Whether every row matching `self` matches `prev` too, so that `self` can be applied to
    /// `prev`'s result instead of every row (the query grew).
    pub fn narrows(&self, prev: &Query) -> bool {
        prev.terms
            .iter()
            .all(|p| self.terms.iter().any(|t| t.implies(p)))
    }
}

/// A term searched for in the text of many rows at once.
pub enum Scan<'a> {
    Word(memmem::Finder<'a>),
    Regex(&'a Regex),
}

impl Scan<'_> {
    /// Where the next hit at or after `from` starts and ends (look-arounds see the text before
    /// `from`, so `^` after a row's `\n` is a line start as in the row's own text).
    pub fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        match self {
            Scan::Word(f) => f
                .find(&text.as_bytes()[from..])
                .map(|i| (i + from, i + from + f.needle().len())),
            Scan::Regex(r) => r.find_at(text, from).map(|m| (m.start(), m.end())),
        }
    }
}

/// Whether a hit of `pattern` in the text of all rows (rows ended by `\n`) that lies inside one
/// row is a hit in that row's own text, and every row's hit is found so: true unless the pattern
/// asks for the start or end of the whole text (`\A`, `\z`, `^`/`$` with `(?-m)`), which only
/// the first and last row would meet. Unparsable: false (the row-by-row check decides).
fn searchable_across_rows(pattern: &str) -> bool {
    use regex_syntax::hir::Look;
    regex_syntax::parse(pattern).is_ok_and(|hir| {
        let looks = hir.properties().look_set();
        !looks.contains(Look::Start) && !looks.contains(Look::End)
    })
}

/// `field:value` when `field` names a column; an unknown name is an error only when it looks like
/// a field name (letters), so that `fe80::1` stays a plain word.
fn field_term(body: &str, columns: &[Column]) -> Result<Option<Term>, FilterError> {
    let Some((name, value)) = body.split_once(':') else {
        return Ok(None);
    };
    let name = name.to_lowercase();
    if let Some(i) = columns.iter().position(|c| c.field == name) {
        return Ok(Some(Term::Field(i, value.to_lowercase())));
    }
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        let fields: Vec<&str> = columns.iter().map(|c| c.field).collect();
        return Err(FilterError(format!(
            "no field {name:?} here; the fields are: {}",
            fields.join(", ")
        )));
    }
    Ok(None)
}

fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::rows::{Row, SERVER_COLUMNS, ServerFields, ServerRow};

    /// A row's lowercase text, as the list keeps it.
    fn row(name: &str, status: &str, az: &str) -> String {
        ServerRow::new(&ServerFields {
            id: format!("id-{name}"),
            name: name.into(),
            status: status.into(),
            az: az.into(),
            ..Default::default()
        })
        .cells()
        .joined()
        .to_lowercase()
    }

    fn q(text: &str) -> Query {
        Query::parse(text, SERVER_COLUMNS).unwrap()
    }

    #[test]
    fn words_are_case_insensitive_substrings_that_must_all_appear() {
        let r = row("Web-01", "ACTIVE", "region-1a");
        assert!(q("web").matches(&r));
        assert!(q("WEB active").matches(&r));
        assert!(q("eb-0 1a").matches(&r));
        assert!(!q("web shutoff").matches(&r));
        // never fuzzy: the letters in order but not together do not match
        assert!(!q("wb01").matches(&r));
        assert!(q("").matches(&r) && q("").is_empty());
    }

    #[test]
    fn fields_negation_and_regex() {
        let r = row("db-1", "SHUTOFF", "region-1b");
        assert!(q("status:shutoff az:1b").matches(&r));
        assert!(!q("name:shutoff").matches(&r));
        assert!(q("!web").matches(&r));
        assert!(!q("!db").matches(&r));
        assert!(!q("!status:shut").matches(&r));
        assert!(q("~^DB-\\d$").matches(&r));
        assert!(!q("~^b").matches(&r));
        assert!(q("fe80::1").terms.len() == 1);
    }

    #[test]
    fn a_scan_searches_for_the_longest_word() {
        let text = "web-01\nactive\n\ndb-1\nshutoff\n";
        let q1 = q("!x web");
        let (scan, only) = q1.scan().unwrap();
        assert!(!only);
        assert_eq!(scan.find_at(text, 0), Some((0, 3)));
        assert_eq!(scan.find_at(text, 1), None);
        let q2 = q("~^db sh");
        let (scan, only) = q2.scan().unwrap();
        assert!(!only);
        assert_eq!(scan.find_at(text, 0), Some((20, 22)));
        assert!(q("!web").scan().is_none());
        // a regex is searched for when there is no word, unless it needs the text's own ends
        let q3 = q("~^db-\\d$");
        let (scan, only) = q3.scan().unwrap();
        assert!(only);
        assert_eq!(scan.find_at(text, 0), Some((15, 19)));
        assert!(q("~\\Adb").scan().is_none());
        assert!(q("~(?-m)^db").scan().is_none());
    }

    #[test]
    fn bad_queries_say_what_is_wrong() {
        let e = Query::parse("colour:red", SERVER_COLUMNS).unwrap_err();
        assert!(
            e.0.contains("no field \"colour\"") && e.0.contains("status"),
            "{e}"
        );
        let e = Query::parse("~web[", SERVER_COLUMNS).unwrap_err();
        assert!(e.0.contains("~web[ is not a regular expression"), "{e}");
    }

    #[test]
    fn a_growing_query_narrows_and_a_shrinking_one_does_not() {
        assert!(q("web").narrows(&q("we")));
        assert!(q("web az:1").narrows(&q("web")));
        assert!(q("status:shutoff").narrows(&q("shut")));
        assert!(!q("we").narrows(&q("web")));
        assert!(!q("!web").narrows(&q("!we")));
        assert!(q("!we").narrows(&q("!web")));
        assert!(!q("~we").narrows(&q("~w")));
        assert!(q("anything").narrows(&q("")));
    }
}
