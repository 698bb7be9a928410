//! Pagination adapters, one per list style of api.md §8: page numbers with a total (ECS v1),
//! markers (ECS flavors, IMS, VPC), item offsets with a total (EVS). With a known total the
//! remaining pages are fetched concurrently, bounded, and kept in order.

use std::future::Future;

use futures::{StreamExt, TryStreamExt, stream};
use serde_json::Value;

use super::error::GatewayError;

/// One page: its items and the total the API reports (`count`), if any.
pub struct Page<T = Value> {
    pub items: Vec<T>,
    pub total: Option<u64>,
}

/// ECS v1 `/cloudservers/detail`: `offset` is the page number (1-based), `count` the total.
pub async fn by_page_number<T, F, Fut>(
    limit: u64,
    concurrency: usize,
    fetch: F,
) -> Result<Vec<T>, GatewayError>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let first = fetch(1).await?;
    let mut items = first.items;
    let short = (items.len() as u64) < limit;
    match first.total {
        Some(total) if !short => {
            let pages = total.div_ceil(limit.max(1));
            let rest: Vec<Page<T>> = stream::iter(2..=pages)
                .map(&fetch)
                .buffered(concurrency.max(1))
                .try_collect()
                .await?;
            for p in rest {
                items.extend(p.items);
            }
        }
        None if !short => {
            // No total: walk the pages until one comes back short.
            let mut page = 1;
            loop {
                page += 1;
                let p = fetch(page).await?;
                let n = p.items.len() as u64;
                items.extend(p.items);
                if n < limit {
                    break;
                }
            }
        }
        _ => {}
    }
    Ok(items)
}

/// EVS: `offset` counts items, `count` is the total.
pub async fn by_item_offset<T, F, Fut>(
    limit: u64,
    concurrency: usize,
    fetch: F,
) -> Result<Vec<T>, GatewayError>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let limit = limit.max(1);
    let first = fetch(0).await?;
    let mut items = first.items;
    let short = (items.len() as u64) < limit;
    match first.total {
        Some(total) if !short && total > limit => {
            let offsets = (1..total.div_ceil(limit)).map(|i| i * limit);
            let rest: Vec<Page<T>> = stream::iter(offsets)
                .map(&fetch)
                .buffered(concurrency.max(1))
                .try_collect()
                .await?;
            for p in rest {
                items.extend(p.items);
            }
        }
        None if !short => {
            let mut offset = 0;
            loop {
                offset += limit;
                let p = fetch(offset).await?;
                let n = p.items.len() as u64;
                items.extend(p.items);
                if n < limit {
                    break;
                }
            }
        }
        _ => {}
    }
    Ok(items)
}

/// Marker lists: the next page starts after the last item's `id`; a short page ends the list.
pub async fn by_marker<F, Fut>(limit: u64, fetch: F) -> Result<Vec<Value>, GatewayError>
where
    F: Fn(Option<String>) -> Fut,
    Fut: Future<Output = Result<Vec<Value>, GatewayError>>,
{
    let mut items: Vec<Value> = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = fetch(marker.clone()).await?;
        let n = page.len() as u64;
        let last = page
            .last()
            .and_then(|v| v.get("id"))
            .and_then(super::model::lenient::value_to_string);
        // A gateway that ignores the marker would return the same page forever.
        if marker.is_some() && last == marker {
            break;
        }
        items.extend(page);
        if n < limit || last.is_none() {
            break;
        }
        marker = last;
    }
    Ok(items)
}

/// The array under `key` of a list answer (missing or not an array: empty).
pub fn items(json: &Value, key: &str) -> Vec<Value> {
    match json.get(key) {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    }
}

/// The `count` of a list answer.
pub fn total(json: &Value) -> Option<u64> {
    json.get("count")
        .and_then(super::model::lenient::value_to_u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(v: &[Value]) -> Vec<u64> {
        v.iter().map(|x| x["id"].as_u64().unwrap()).collect()
    }

    #[tokio::test]
    async fn page_numbers_fetch_every_page_in_order() {
        let all: Vec<Value> = (0..23).map(|i| json!({"id": i})).collect();
        let got = by_page_number(5, 3, |page| {
            let all = all.clone();
            async move {
                let start = ((page - 1) * 5) as usize;
                let items = all.iter().skip(start).take(5).cloned().collect();
                Ok(Page {
                    items,
                    total: Some(23),
                })
            }
        })
        .await
        .unwrap();
        assert_eq!(ids(&got), (0..23).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn item_offsets_fetch_every_item_in_order() {
        let all: Vec<Value> = (0..10).map(|i| json!({"id": i})).collect();
        let got = by_item_offset(4, 2, |off| {
            let all = all.clone();
            async move {
                let items = all.iter().skip(off as usize).take(4).cloned().collect();
                Ok(Page {
                    items,
                    total: Some(10),
                })
            }
        })
        .await
        .unwrap();
        assert_eq!(ids(&got), (0..10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn markers_walk_until_a_short_page_and_stop_on_a_stuck_marker() {
        let all: Vec<Value> = (1..=7).map(|i| json!({"id": i})).collect();
        let got = by_marker(3, |m| {
            let all = all.clone();
            async move {
                let after: u64 = m.map(|s| s.parse().unwrap()).unwrap_or(0);
                Ok(all
                    .iter()
                    .filter(|v| v["id"].as_u64().unwrap() > after)
                    .take(3)
                    .cloned()
                    .collect())
            }
        })
        .await
        .unwrap();
        assert_eq!(ids(&got), (1..=7).collect::<Vec<_>>());
        // A gateway that ignores `marker` returns the first page each time: no endless loop.
        let stuck = by_marker(3, |_| {
            let all = all.clone();
            async move { Ok(all.iter().take(3).cloned().collect()) }
        })
        .await
        .unwrap();
        assert_eq!(stuck.len(), 3);
    }
}
