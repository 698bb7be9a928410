//! The `/` filter: words are case-insensitive substrings, `field:value`, `!word`, `~regex`; never fuzzy.

use aho_corasick::AhoCorasick;
use memchr::memmem;
use regex::{Regex, RegexBuilder};

/// The most a `~` regex may take compiled: its compile runs on each keystroke, so it stays a few
/// milliseconds (the regex crate allows 10 MiB, a quarter second per keystroke unoptimised).
const REGEX_SIZE_LIMIT: usize = 2 << 20;

use super::rows::Column;

/// One term of a query; a row must satisfy every term.
#[derive(Debug, Clone)]
enum Term {
    /// Appears somewhere in the row.
    Word(String),
    /// Appears in one column.
    Field(usize, String),
    /// A tag in the tags column (`tag:env=prod`, `tag:env`): the key whole, and the value whole
    /// when one is given.
    Tag(usize, String, Option<String>),
    /// The negation of a word or field term.
    Not(Box<Term>),
    /// Matches the row's text, case-insensitively. `needles`: texts one of which every matching
    /// row contains (the regex's literal prefixes or suffixes), searched for in all rows at once.
    Regex {
        re: Regex,
        needles: Option<AhoCorasick>,
    },
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
            Term::Tag(i, key, value) => row.split('\n').nth(*i).is_some_and(|c| {
                c.split_whitespace().any(|tag| {
                    let (k, v) = tag.split_once('=').unwrap_or((tag, ""));
                    k == key && value.as_deref().is_none_or(|want| v == want)
                })
            }),
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
            (Term::Tag(i, k, v), Term::Tag(j, pk, pv)) => {
                i == j && k == pk && (pv.is_none() || v == pv)
            }
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
                let r = RegexBuilder::new(&pattern)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| match e {
                        regex::Error::CompiledTooBig(_) => FilterError(format!(
                            "~{re} is too big a regular expression for a filter (over {} KiB compiled): use fewer or smaller repetitions",
                            REGEX_SIZE_LIMIT / 1024
                        )),
                        e => FilterError(format!(
                            "~{re} is not a regular expression: {}",
                            first_line(&e.to_string())
                        )),
                    })?;
                terms.push(Term::Regex {
                    re: r,
                    needles: needles(&pattern),
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

    /// A text that can be searched for across every row at once (the longest word, else a
    /// regex's needle), and whether the term it comes from is the only one and a hit needs no
    /// check of its own (a word; a regex's hit only says the row may match).
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
            return Some((
                Scan::Word(Box::new(memmem::Finder::new(w.as_bytes()))),
                only,
            ));
        }
        self.terms.iter().find_map(|t| match t {
            Term::Regex {
                needles: Some(n), ..
            } => Some((Scan::Any(n), false)),
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

/// What is searched for in the text of many rows at once: a word, or any of a regex's needles.
pub enum Scan<'a> {
    /// Boxed: a finder is large, and one is made per filter, not per row.
    Word(Box<memmem::Finder<'a>>),
    Any(&'a AhoCorasick),
}

impl Scan<'_> {
    /// Where the next hit at or after `from` starts.
    pub fn find_at(&self, text: &str, from: usize) -> Option<usize> {
        let rest = &text.as_bytes()[from..];
        match self {
            Scan::Word(f) => f.find(rest),
            Scan::Any(a) => a.find(rest).map(|m| m.start()),
        }
        .map(|i| i + from)
    }
}

/// Most needles a regex is searched for by; past this, rows are checked one by one.
const MAX_NEEDLES: usize = 64;

/// Texts one of which every row matching `pattern` contains, when there are few: the regex's
/// literal prefixes (or its suffixes, when those are longer), less those that cannot occur in
/// the rows' lowercase text: with an ASCII capital, or the Kelvin sign (`(?i)k` brings it;
/// lowercased it is `k`). `None` when some match may have no literal (the empty one, or too many).
fn needles(pattern: &str) -> Option<AhoCorasick> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    const KELVIN: &[u8] = "\u{212A}".as_bytes();
    let hir = regex_syntax::parse(pattern).ok()?;
    let best = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let seq = Extractor::new().kind(kind).extract(&hir);
            let mut can: Vec<Vec<u8>> = seq
                .literals()?
                .iter()
                .map(|l| l.as_bytes().to_vec())
                .filter(|b| {
                    !b.iter().any(u8::is_ascii_uppercase) && memmem::find(b, KELVIN).is_none()
                })
                .collect();
            can.sort_unstable();
            can.dedup();
            let usable =
                !can.is_empty() && can.len() <= MAX_NEEDLES && can.iter().all(|l| !l.is_empty());
            usable.then_some(can)
        })
        .max_by_key(|can| can.iter().map(Vec::len).min().unwrap_or(0))?;
    AhoCorasick::new(best).ok()
}

/// `field:value` when `field` names a column; an unknown name is an error only when it looks like
/// a field name (letters), so that `fe80::1` stays a plain word.
fn field_term(body: &str, columns: &[Column]) -> Result<Option<Term>, FilterError> {
    let Some((name, value)) = body.split_once(':') else {
        return Ok(None);
    };
    let name = name.to_lowercase();
    if let Some(i) = columns.iter().position(|c| c.field == name) {
        let value = value.to_lowercase();
        if name == TAG_FIELD {
            return Ok(Some(match value.split_once('=') {
                Some((k, v)) => Term::Tag(i, k.to_owned(), Some(v.to_owned())),
                None => Term::Tag(i, value, None),
            }));
        }
        return Ok(Some(Term::Field(i, value)));
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

/// The field of a tags column: its terms match whole tags (`key=value` words), not substrings.
pub const TAG_FIELD: &str = "tag";

fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::list::rows::{Row, SERVER_COLUMNS, ServerFields, ServerRow};
    use crate::tui::test_console::server_row;

    /// A row's lowercase text, as the list keeps it.
    fn row(name: &str, status: &str, az: &str) -> String {
        server_row(name, status, az).cells().joined().to_lowercase()
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
        assert_eq!(scan.find_at(text, 0), Some(0));
        assert_eq!(scan.find_at(text, 1), None);
        let q2 = q("~^db sh");
        let (scan, only) = q2.scan().unwrap();
        assert!(!only);
        assert_eq!(scan.find_at(text, 0), Some(20));
        assert!(q("!web").scan().is_none());
        // a regex without a word: the texts one of which every match holds, checked row by row
        let q3 = q("~^DB-\\d$");
        let (scan, only) = q3.scan().unwrap();
        assert!(!only);
        assert_eq!(scan.find_at(text, 0), Some(15));
        let found = |p: &str, text: &str| {
            needles(p).map(|a| a.find_iter(text).map(|m| m.start()).collect::<Vec<_>>())
        };
        assert_eq!(found("(?im)^web-0+1\\d$", "xweb-0 WEB-0"), Some(vec![1]));
        assert_eq!(found("(?im)\\d+-server$", "a-server"), Some(vec![1]));
        // `(?i)s` also matches the long s, which lowercase text can hold
        assert_eq!(found("(?im)^s1", "\u{17F}1 s1"), Some(vec![0, 4]));
        assert_eq!(found("(?im)^(web|db)", "db web"), Some(vec![0, 3]));
        // some match may hold no literal: every row is checked
        assert_eq!(found("(?im)\\w+", "x"), None);
        assert_eq!(found("(?im)a?", "x"), None);
    }

    #[test]
    fn host_and_tag_terms() {
        let r = ServerRow::new(ServerFields {
            id: "1".into(),
            name: "web".into(),
            host: "hv-az1-03".into(),
            tags: vec!["env=prod".into(), "owner=ops".into(), "backup".into()],
            ..Default::default()
        })
        .cells()
        .joined()
        .to_lowercase();
        assert!(q("host:hv-az1-03").matches(&r));
        assert!(!q("host:hv-az2").matches(&r));
        assert!(q("tag:env=prod").matches(&r));
        assert!(q("tag:ENV").matches(&r));
        assert!(q("tag:backup").matches(&r));
        assert!(q("tag:owner=ops tag:env").matches(&r));
        // whole keys and values, not substrings
        assert!(!q("tag:env=pro").matches(&r));
        assert!(!q("tag:en").matches(&r));
        assert!(!q("tag:env=test").matches(&r));
        assert!(q("!tag:env=test").matches(&r));
        assert!(q("tag:env=prod").narrows(&q("tag:env")));
        assert!(!q("tag:env").narrows(&q("tag:env=prod")));
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
    fn a_regex_too_big_for_a_keystroke_is_refused_by_name() {
        // Compiling this took seconds per keystroke under the regex crate's default limit.
        let e = Query::parse("~\\w{50}{50}", SERVER_COLUMNS).unwrap_err();
        assert!(e.0.contains("~\\w{50}{50} is too big"), "{e}");
        assert!(Query::parse("~^web-\\d{2}$", SERVER_COLUMNS).is_ok());
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
