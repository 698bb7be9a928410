//! Pagination adapters, one per list style of api.md §8: page numbers with a total (ECS v1),
//! markers (ECS flavors, IMS, VPC), item offsets with a total (EVS). With a known total the
//! remaining pages are fetched concurrently, bounded, and kept in order. Every walk stops with a
//! `Paging` error on a page that adds no new id, a repeated marker, a total or a size past the
//! ceilings of `PageLimits`: a gateway that ignores the position cannot make a list endless.

use std::collections::HashSet;
use std::future::Future;
use std::hash::BuildHasher;

use futures::{StreamExt, stream};

use super::error::{ErrorKind, GatewayError};
use super::model::Row;
use super::request::Answer;

/// The ceilings of one list read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    /// Pages read at most (2,000 pages of 1,000 servers: two million).
    pub pages: u64,
    /// Body bytes read at most, all pages together.
    pub bytes: u64,
}

impl Default for PageLimits {
    fn default() -> Self {
        PageLimits {
            pages: 2_000,
            bytes: 1 << 30,
        }
    }
}

/// Where a page came from: its call, request id and size.
#[derive(Debug, Clone, Default)]
pub struct PageFrom {
    pub operation: String,
    pub request_id: Option<String>,
    pub bytes: u64,
}

/// One page: its items and the total the API reports (`count`), if any.
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: Option<u64>,
    pub from: PageFrom,
}

impl<T> Page<T> {
    pub fn of(answer: &Answer, items: Vec<T>, total: Option<u64>) -> Self {
        Page {
            items,
            total,
            from: PageFrom {
                operation: answer.operation.clone(),
                request_id: answer.request_id.clone(),
                bytes: answer.body.len() as u64,
            },
        }
    }

    /// The same page with its items made into something else (rows for a screen).
    pub fn map<U>(self, f: impl FnOnce(Vec<T>) -> Vec<U>) -> Page<U> {
        Page {
            items: f(self.items),
            total: self.total,
            from: self.from,
        }
    }
}

/// The state of one walk through a list's pages: what was read, and the checks.
struct Walk {
    limits: PageLimits,
    pages: u64,
    bytes: u64,
    ids: HashSet<u64>,
    hasher: std::collections::hash_map::RandomState,
    last: PageFrom,
}

impl Walk {
    fn new(limits: PageLimits) -> Self {
        Walk {
            limits,
            pages: 0,
            bytes: 0,
            ids: HashSet::new(),
            hasher: Default::default(),
            last: PageFrom::default(),
        }
    }

    fn stop(&self, why: String) -> GatewayError {
        let mut e = GatewayError::new(self.last.operation.clone(), ErrorKind::Paging(why));
        e.request_id = self.last.request_id.clone();
        e
    }

    /// The pages a reported total takes, refused past the ceiling.
    fn plan(&self, total: u64, limit: u64) -> Result<u64, GatewayError> {
        let pages = total.div_ceil(limit.max(1));
        if pages > self.limits.pages {
            return Err(self.stop(format!(
                "the gateway reports {total} items (`count`), more than {} pages of {limit}, the ceiling of one list: narrow it with a filter",
                self.limits.pages
            )));
        }
        Ok(pages)
    }

    /// The new rows of a page (`at` names it: "page 3"), and how many it had; or why to stop.
    fn take<T: Row>(&mut self, page: Page<T>, at: &str) -> Result<(Vec<T>, u64), GatewayError> {
        self.last = page.from;
        self.pages += 1;
        self.bytes += self.last.bytes;
        if self.pages > self.limits.pages {
            return Err(self.stop(format!(
                "more than {} pages, the ceiling of one list",
                self.limits.pages
            )));
        }
        if self.bytes > self.limits.bytes {
            return Err(self.stop(format!(
                "more than {} bytes, the ceiling of one list",
                self.limits.bytes
            )));
        }
        let n = page.items.len() as u64;
        let new: Vec<T> = page
            .items
            .into_iter()
            .filter(|r| self.ids.insert(self.hasher.hash_one(r.row_id().as_ref())))
            .collect();
        if new.is_empty() && n > 0 {
            return Err(self.stop(format!(
                "{at} adds no new id (its {n} rows were all read before): the gateway repeats a page or ignores the position asked"
            )));
        }
        Ok((new, n))
    }
}

/// The sink of the walks that return the whole list: every page's new rows, kept.
fn gather<T>(items: &mut Vec<T>) -> impl FnMut(Vec<T>) -> Result<(), GatewayError> + '_ {
    |new| {
        items.extend(new);
        Ok(())
    }
}

/// How a list with a total names its pages (api.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// ECS v1 `/cloudservers/detail`: `offset` is the page number (1-based).
    PageNumber,
    /// EVS: `offset` counts items.
    ItemOffset,
}

impl Position {
    /// The position of the i-th page (0-based) of `limit` items.
    fn of(self, i: u64, limit: u64) -> u64 {
        match self {
            Position::PageNumber => i + 1,
            Position::ItemOffset => i * limit,
        }
    }

    /// What a position is called in an error ("page 3", "offset 40").
    fn name(self) -> &'static str {
        match self {
            Position::PageNumber => "page",
            Position::ItemOffset => "offset",
        }
    }
}

/// How one list with a total is read: how it names its pages, their size, how many are read
/// at once and the ceilings of the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub position: Position,
    pub limit: u64,
    pub concurrency: usize,
    pub limits: PageLimits,
}

/// Every item of a list asked by position, `fetch` given each page's position; `count` is the
/// total.
pub async fn by_position<T, F, Fut>(paging: Paging, fetch: F) -> Result<Vec<T>, GatewayError>
where
    T: Row,
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let mut items = Vec::new();
    each_by_position(paging, fetch, gather(&mut items)).await?;
    Ok(items)
}

/// `by_position`, each page's new rows handed to `sink` as it comes (in order); the walk stops
/// at the first error, the sink's own included. The first page's total, when given, says how
/// many to read (at most `concurrency` at once, handed on in order); else pages are read until
/// a short one.
pub async fn each_by_position<T, E, F, Fut>(
    paging: Paging,
    fetch: F,
    mut sink: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Row,
    E: From<GatewayError>,
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let limit = paging.limit.max(1);
    let concurrency = paging.concurrency;
    let position = |i| paging.position.of(i, limit);
    let name = paging.position.name();
    let mut walk = Walk::new(paging.limits);
    let first = fetch(position(0)).await?;
    let total = first.total;
    let (items, n) = walk.take(first, &format!("{name} {}", position(0)))?;
    sink(items)?;
    if n < limit {
        return Ok(());
    }
    match total {
        Some(total) => {
            let pages = walk.plan(total, limit)?;
            let mut rest = stream::iter(1..pages)
                .map(|i| {
                    let p = position(i);
                    let page = fetch(p);
                    async move { (p, page.await) }
                })
                .buffered(concurrency.max(1));
            while let Some((p, page)) = rest.next().await {
                sink(walk.take(page?, &format!("{name} {p}"))?.0)?;
            }
        }
        None => {
            for i in 1.. {
                let p = position(i);
                let (new, n) = walk.take(fetch(p).await?, &format!("{name} {p}"))?;
                sink(new)?;
                if n < limit {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Marker lists: the next page starts after the last item's `id`; a short page ends the list.
pub async fn by_marker<T, F, Fut>(
    limit: u64,
    limits: PageLimits,
    fetch: F,
) -> Result<Vec<T>, GatewayError>
where
    T: Row,
    F: Fn(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let mut items = Vec::new();
    each_by_marker(limit, limits, fetch, gather(&mut items)).await?;
    Ok(items)
}

/// `by_marker`, each page's new rows handed to `sink` as it comes.
pub async fn each_by_marker<T, E, F, Fut>(
    limit: u64,
    limits: PageLimits,
    fetch: F,
    mut sink: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Row,
    E: From<GatewayError>,
    F: Fn(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let mut walk = Walk::new(limits);
    let mut markers: HashSet<String> = HashSet::new();
    let mut marker: Option<String> = None;
    loop {
        let page = fetch(marker.clone()).await?;
        let last = page.items.last().map(|r| r.row_id().into_owned());
        let at = match &marker {
            Some(m) => format!("the page after marker {m}"),
            None => "the first page".to_owned(),
        };
        let (new, n) = walk.take(page, &at)?;
        sink(new)?;
        match last {
            Some(m) if n >= limit && !m.is_empty() => {
                if !markers.insert(m.clone()) {
                    return Err(walk
                        .stop(format!(
                            "marker {m} comes back: the gateway ignores `marker`"
                        ))
                        .into());
                }
                marker = Some(m);
            }
            _ => return Ok(()),
        }
    }
}

/// The `count` of a list answer, when it is a number.
pub fn total(json: &serde_json::Value) -> Option<u64> {
    json.get("count")
        .and_then(super::model::lenient::value_to_u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn ids(v: &[Value]) -> Vec<u64> {
        v.iter().map(|x| x["id"].as_u64().unwrap()).collect()
    }

    fn paging(position: Position, limit: u64, concurrency: usize) -> Paging {
        Paging {
            position,
            limit,
            concurrency,
            limits: PageLimits::default(),
        }
    }

    fn page(items: Vec<Value>, total: Option<u64>) -> Page<Value> {
        Page {
            items,
            total,
            from: PageFrom {
                operation: "list things".into(),
                request_id: Some("r1".into()),
                bytes: 10,
            },
        }
    }

    /// A list of `n` items served by `position` as a gateway serves it, read whole: its ids.
    async fn read_whole(position: Position, n: u64, limit: u64, concurrency: usize) -> Vec<u64> {
        let all: Vec<Value> = (0..n).map(|i| json!({"id": i})).collect();
        let got = by_position(paging(position, limit, concurrency), |p| {
            let all = all.clone();
            async move {
                let start = match position {
                    Position::PageNumber => (p - 1) * limit,
                    Position::ItemOffset => p,
                };
                Ok(page(
                    all.iter()
                        .skip(start as usize)
                        .take(limit as usize)
                        .cloned()
                        .collect(),
                    Some(n),
                ))
            }
        })
        .await
        .unwrap();
        ids(&got)
    }

    #[tokio::test]
    async fn page_numbers_fetch_every_page_in_order() {
        let got = read_whole(Position::PageNumber, 23, 5, 3).await;
        assert_eq!(got, (0..23).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn item_offsets_fetch_every_item_in_order() {
        let got = read_whole(Position::ItemOffset, 10, 4, 2).await;
        assert_eq!(got, (0..10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn markers_walk_until_a_short_page_and_stop_on_a_stuck_marker() {
        let all: Vec<Value> = (1..=7).map(|i| json!({"id": i})).collect();
        let got = by_marker(3, PageLimits::default(), |m| {
            let all = all.clone();
            async move {
                let after: u64 = m.map(|s| s.parse().unwrap()).unwrap_or(0);
                let items = all
                    .iter()
                    .filter(|v| v["id"].as_u64().unwrap() > after)
                    .take(3)
                    .cloned()
                    .collect();
                Ok(page(items, None))
            }
        })
        .await
        .unwrap();
        assert_eq!(ids(&got), (1..=7).collect::<Vec<_>>());
        // A gateway that ignores `marker` returns the first page each time: an error, not a
        // quietly short list.
        let stuck = by_marker(3, PageLimits::default(), |_| {
            let all = all.clone();
            async move { Ok(page(all.iter().take(3).cloned().collect(), None)) }
        })
        .await
        .err()
        .unwrap();
        assert!(matches!(stuck.kind, ErrorKind::Paging(_)), "{stuck:?}");
        assert_eq!(stuck.request_id.as_deref(), Some("r1"));
    }

    #[tokio::test]
    async fn a_page_that_overlaps_the_last_keeps_only_its_new_rows() {
        // A server created while paging shifts the pages by one: the repeated row is read once.
        let got = by_position(paging(Position::PageNumber, 3, 1), |p| async move {
            let items = match p {
                1 => vec![json!({"id": 1}), json!({"id": 2}), json!({"id": 3})],
                _ => vec![json!({"id": 3}), json!({"id": 4})],
            };
            Ok(page(items, None))
        })
        .await
        .unwrap();
        assert_eq!(ids(&got), [1, 2, 3, 4]);
    }
}
