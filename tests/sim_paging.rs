//! The simulator's server lists paged while servers come and go: v1 offset pages, v1 marker
//! pages and Nova marker pages checked against a model of the region's servers, newest first,
//! over random sequences of creates, deletes and pages (real HTTP).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use proptest::prelude::*;
use serde_json::{Value, json};
use sim_support::{TestSim, start};

fn ids(v: &Value) -> Vec<String> {
    v["servers"]
        .as_array()
        .unwrap_or_else(|| panic!("no servers in {v}"))
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn create_body(t: &TestSim) -> Value {
    let (vpc, subnet) = t.network().await;
    let img = t
        .signed("GET", "/v2/cloudimages", &[("__os_type", "Linux")], None)
        .await;
    json!({"server": {"name": "paged", "imageRef": img.body["images"][0]["id"], "flavorRef": "hv1.large.2",
        "vpcid": vpc, "nics": [{"subnet_id": subnet}], "root_volume": {"volumetype": "SSD", "size": 40}, "count": 1}})
}

/// Whether the server is in the region, asked of `show` (not of the lists under test).
async fn exists(t: &TestSim, id: &str) -> bool {
    let a = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            None,
        )
        .await;
    assert!(a.status == 200 || a.status == 404, "{}", a.text);
    a.status == 200
}

/// Every server of the region by v1 offset pages of `limit`, with the count each page gave.
async fn v1_all(t: &TestSim, limit: usize) -> Vec<String> {
    let mut all = Vec::new();
    for page in 1.. {
        let a = v1_page(t, &[("offset", &page.to_string())], limit).await;
        let got = ids(&a);
        all.extend(got.iter().cloned());
        if all.len() >= a["count"].as_u64().unwrap() as usize || got.is_empty() {
            assert_eq!(all.len(), a["count"].as_u64().unwrap() as usize);
            return all;
        }
    }
    unreachable!()
}

async fn v1_page(t: &TestSim, q: &[(&str, &str)], limit: usize) -> Value {
    let limit = limit.to_string();
    let mut q = q.to_vec();
    q.push(("limit", &limit));
    let a = t
        .signed("GET", &t.p("/v1/{p}/cloudservers/detail"), &q, None)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.body
}

#[derive(Debug, Clone)]
enum Op {
    Create,
    /// Deletes the model's server at this index (modulo its length).
    Delete(usize),
    /// v1 page (1-based page number, page size).
    Offset(usize, usize),
    /// The next v1 page after the running marker.
    V1Marker(usize),
    /// The next Nova page after the running marker.
    NovaMarker(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Create),
        2 => any::<usize>().prop_map(Op::Delete),
        3 => (1usize..8, 1usize..9).prop_map(|(p, l)| Op::Offset(p, l)),
        3 => (1usize..9).prop_map(Op::V1Marker),
        3 => (1usize..9).prop_map(Op::NovaMarker),
    ]
}

/// Runs the operations; `model` is the region's servers newest first.
async fn check(ops: Vec<Op>) {
    let t = start(1000.0).await;
    let body = create_body(&t).await;
    let mut model = v1_all(&t, 7).await;
    assert_eq!(
        model,
        v1_all(&t, 1000).await,
        "pages of 7 and one page disagree"
    );
    // The running marker walk: the last server it returned (None = from the start), and what it
    // has returned so far.
    let mut marker: Option<String> = None;
    let mut walked: Vec<String> = Vec::new();
    let mut walk_start: Vec<String> = Vec::new();
    for op in ops {
        match op {
            Op::Create => {
                let a = t
                    .signed(
                        "POST",
                        &t.p("/v1/{p}/cloudservers"),
                        &[],
                        Some(body.clone()),
                    )
                    .await;
                assert!(a.status == 200 || a.status == 202, "{}", a.text);
                let job = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
                let id = job["entities"]["sub_jobs"][0]["entities"]["server_id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                if exists(&t, &id).await {
                    model.insert(0, id);
                }
            }
            Op::Delete(i) if !model.is_empty() => {
                let id = model[i % model.len()].clone();
                let a = t
                    .signed(
                        "POST",
                        &t.p("/v1/{p}/cloudservers/delete"),
                        &[],
                        Some(json!({"servers": [{"id": id}], "delete_volume": true})),
                    )
                    .await;
                if let Some(job) = a.body["job_id"].as_str() {
                    t.wait_job(job).await;
                }
                if !exists(&t, &id).await {
                    model.retain(|m| *m != id);
                }
            }
            Op::Delete(_) => {}
            Op::Offset(page, limit) => {
                let a = v1_page(&t, &[("offset", &page.to_string())], limit).await;
                let want: Vec<String> = model
                    .iter()
                    .skip((page - 1) * limit)
                    .take(limit)
                    .cloned()
                    .collect();
                assert_eq!(ids(&a), want, "offset page {page} of {limit}");
                assert_eq!(a["count"].as_u64(), Some(model.len() as u64));
            }
            Op::V1Marker(limit) | Op::NovaMarker(limit) => {
                let nova = matches!(op, Op::NovaMarker(_));
                if marker.is_none() {
                    walked.clear();
                    walk_start = model.clone();
                }
                let start = match &marker {
                    None => 0,
                    Some(m) => match model.iter().position(|x| x == m) {
                        Some(i) => i + 1,
                        None => {
                            // The marker's server is gone: the list says so, the walk restarts.
                            let l = limit.to_string();
                            let q = [("marker", m.as_str()), ("limit", l.as_str())];
                            let path = if nova {
                                "/v2.1/{p}/servers/detail"
                            } else {
                                "/v1/{p}/cloudservers/detail"
                            };
                            let a = t.signed("GET", &t.p(path), &q, None).await;
                            assert_eq!(a.status, 400, "a deleted marker: {}", a.text);
                            marker = None;
                            continue;
                        }
                    },
                };
                let want: Vec<String> = model.iter().skip(start).take(limit).cloned().collect();
                let (got, more) = if nova {
                    let l = limit.to_string();
                    let mut q = vec![("limit", l.as_str())];
                    if let Some(m) = &marker {
                        q.push(("marker", m));
                    }
                    let a = t
                        .signed("GET", &t.p("/v2.1/{p}/servers/detail"), &q, None)
                        .await;
                    assert_eq!(a.status, 200, "{}", a.text);
                    let more = a.body["servers_links"]
                        .as_array()
                        .is_some_and(|l| !l.is_empty());
                    (ids(&a.body), Some(more))
                } else {
                    let q: Vec<(&str, &str)> =
                        marker.iter().map(|m| ("marker", m.as_str())).collect();
                    let a = v1_page(&t, &q, limit).await;
                    assert_eq!(a["count"].as_u64(), Some(model.len() as u64));
                    (ids(&a), None)
                };
                assert_eq!(got, want, "page of {limit} after {marker:?}");
                if let Some(more) = more {
                    assert_eq!(more, start + limit < model.len(), "the next link");
                }
                for id in &got {
                    assert!(
                        !walked.contains(id),
                        "{id} returned twice by one marker walk"
                    );
                }
                walked.extend(got.iter().cloned());
                marker = got.last().cloned();
                if got.is_empty() {
                    // The end of the list: every server there all along was returned, in order.
                    let kept: Vec<&String> = walked.iter().filter(|w| model.contains(w)).collect();
                    let stayed: Vec<&String> =
                        walk_start.iter().filter(|m| model.contains(m)).collect();
                    assert_eq!(kept, stayed);
                    marker = None;
                }
            }
        }
    }
    assert_eq!(v1_all(&t, 5).await, model);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn pages_follow_creates_and_deletes(ops in prop::collection::vec(op(), 1..40)) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(check(ops));
    }
}

/// The filters keep their answers and counts when the unfiltered list pages in place.
#[tokio::test]
async fn a_filtered_list_counts_its_matches_and_pages_them() {
    let t = start(1000.0).await;
    let all = v1_all(&t, 1000).await;
    let shutoff = v1_page(&t, &[("status", "SHUTOFF")], 1000).await;
    let n = shutoff["count"].as_u64().unwrap() as usize;
    assert!(
        n > 1 && n < all.len(),
        "the seed has some SHUTOFF servers: {n}"
    );
    let second = v1_page(&t, &[("status", "SHUTOFF"), ("offset", "2")], 1).await;
    assert_eq!(ids(&second), ids(&shutoff)[1..2]);
    assert_eq!(second["count"].as_u64(), Some(n as u64));
    let after = v1_page(
        &t,
        &[("status", "SHUTOFF"), ("marker", &ids(&shutoff)[0])],
        1000,
    )
    .await;
    assert_eq!(ids(&after), ids(&shutoff)[1..]);
    assert_eq!(after["count"].as_u64(), Some(n as u64));
    // A marker of another region's server is not in this list.
    let other = t
        .signed_as(
            "GET",
            &t.p("/v1/{p}/cloudservers/detail")
                .replace(&t.project, &t.other_project),
            &[("limit", "1")],
            None,
            Some(&t.other_project.clone()),
        )
        .await;
    let foreign = ids(&other.body)[0].clone();
    let a = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/detail"),
            &[("marker", &foreign)],
            None,
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
}
