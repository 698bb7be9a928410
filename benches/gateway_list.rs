//! Listing every server of a region through the gateway client, against `hvecs sim` on
//! 127.0.0.1 (real HTTP, AK/SK signing, ECS v1 pages of 1000 fetched 4 at a time), and the
//! client's own share of it: decoding the pages, signing a request.
//! `HVECS_BENCH_SERVERS` sets the servers in the listed region (default 100000).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use hvecs::config::{Connection, Credentials, ServiceUrls, Transport, UrlTemplate};
use hvecs::gateway::model::Server;
use hvecs::gateway::sign::{SignInput, sign};
use hvecs::gateway::{Gateway, GatewayOptions, SERVER_PAGE, ServerFilter, decode_all};
use hvecs::sim::SimOptions;

fn list_all(c: &mut Criterion) {
    let per_region: usize = std::env::var("HVECS_BENCH_SERVERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    // The simulator runs on its own runtime, so that its work and the client's are apart.
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    // The simulator spreads its servers over its three regions.
    let h = sim_rt
        .block_on(hvecs::sim::start(SimOptions {
            servers: per_region * 3,
            ..Default::default()
        }))
        .unwrap();
    eprintln!(
        "simulator with {} servers ready in {:?}",
        per_region * 3,
        started.elapsed()
    );
    let creds = h.credentials();
    let conn = Connection {
        profile: "bench".into(),
        urls: ServiceUrls::all(UrlTemplate::parse(&h.base_url()).unwrap()),
        region: h.regions()[0].name.clone(),
        credentials: Credentials::AkSk {
            ak: creds.ak.clone(),
            sk: creds.sk.clone(),
        },
        projects: [(
            h.regions()[0].name.clone(),
            h.regions()[0].project_id.clone(),
        )]
        .into(),
        read_only: true,
        transport: Transport {
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(5),
            ..Transport::default()
        },
    };
    let gw = Gateway::new(&conn, GatewayOptions::default()).unwrap();
    let filter = ServerFilter::default();

    // One page at a time, to see what a page costs end to end.
    let mut pages = Vec::new();
    let t = Instant::now();
    let first = rt
        .block_on(gw.servers_page(&filter, 1, SERVER_PAGE))
        .unwrap();
    let total = first.total.unwrap_or(0);
    eprintln!("page 1 of {total} servers: {:?}", t.elapsed());
    pages.push(
        serde_json::to_vec(&serde_json::json!({"count": total, "servers": first.items})).unwrap(),
    );
    let t = Instant::now();
    for p in 2..=total.div_ceil(SERVER_PAGE) {
        let page = rt
            .block_on(gw.servers_page(&filter, p, SERVER_PAGE))
            .unwrap();
        pages.push(
            serde_json::to_vec(&serde_json::json!({"count": total, "servers": page.items}))
                .unwrap(),
        );
    }
    let bytes: usize = pages.iter().map(Vec::len).sum();
    eprintln!(
        "the other {} pages one by one: {:?}; {} MB of JSON in all",
        pages.len() - 1,
        t.elapsed(),
        bytes / 1_000_000
    );

    let mut g = c.benchmark_group("gateway");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function(format!("list_servers_{total}"), |b| {
        b.iter(|| rt.block_on(gw.list_servers(&filter)).unwrap().len())
    });
    #[derive(serde::Deserialize)]
    struct Servers {
        servers: Vec<Server>,
    }
    // The client's check of every 2xx body (UTF-8, number range, depth), before any decoding.
    g.bench_function(format!("check_{total}_servers_json"), |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| hvecs::gateway::shape::check_json(p).is_ok() as usize)
                .sum::<usize>()
        })
    });
    // What `list_servers` does with each page: straight from the bytes into servers.
    g.bench_function(format!("decode_{total}_servers"), |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| serde_json::from_slice::<Servers>(p).unwrap().servers.len())
                .sum::<usize>()
        })
    });
    // The same through a JSON tree (what `-o json` and the raw calls hold).
    g.bench_function(format!("decode_{total}_servers_via_tree"), |b| {
        b.iter(|| {
            let mut n = 0;
            for p in &pages {
                let v: serde_json::Value = serde_json::from_slice(p).unwrap();
                let items = v["servers"].as_array().unwrap();
                n += decode_all::<Server>(items).map_or(0, |s| s.len());
            }
            n
        })
    });
    let query = vec![
        ("offset".to_owned(), "1".to_owned()),
        ("limit".to_owned(), "1000".to_owned()),
    ];
    let headers = vec![
        (
            "content-type".to_owned(),
            "application/json;charset=UTF-8".to_owned(),
        ),
        (
            "x-project-id".to_owned(),
            "0123456789abcdef0123456789abcdef".to_owned(),
        ),
    ];
    g.bench_function("sign_request", |b| {
        b.iter(|| {
            sign(
                &SignInput {
                    method: "GET",
                    host: "127.0.0.1:8080",
                    path: "/v1/0123456789abcdef0123456789abcdef/cloudservers/detail",
                    query: &query,
                    headers: &headers,
                    body: b"",
                    sdk_date: "20261125T000000Z",
                },
                "AK",
                "SK",
            )
        })
    });
    g.finish();
}

criterion_group!(benches, list_all);
criterion_main!(benches);
