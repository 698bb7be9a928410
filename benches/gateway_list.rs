//! Listing every server of a region through the gateway client, against `hvecs sim` on
//! 127.0.0.1 (real HTTP, AK/SK signing, ECS v1 pages of 1000 fetched 4 at a time).
//! `HVECS_BENCH_SERVERS` sets the servers in the listed region (default 100000).

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hvecs::config::{Connection, Credentials, ServiceUrls, UrlTemplate};
use hvecs::gateway::{Gateway, GatewayOptions, ServerFilter};
use hvecs::sim::SimOptions;

fn list_all(c: &mut Criterion) {
    let per_region: usize = std::env::var("HVECS_BENCH_SERVERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    // The simulator spreads its servers over its three regions.
    let h = rt
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
            project_id: Some(h.regions()[0].project_id.clone()),
        },
        read_only: true,
        ca_file: None,
        tls_server_name: None,
        insecure_skip_tls_verify: false,
        timeout: Duration::from_secs(60),
        connect_timeout: Duration::from_secs(5),
    };
    let gw = Gateway::new(&conn, GatewayOptions::default()).unwrap();
    let n = rt
        .block_on(gw.list_servers(&ServerFilter::default()))
        .unwrap()
        .len();
    eprintln!("the region lists {n} servers");
    let mut g = c.benchmark_group("gateway");
    g.sample_size(10).measurement_time(Duration::from_secs(60));
    g.bench_function(format!("list_servers_{n}"), |b| {
        b.iter(|| {
            rt.block_on(gw.list_servers(&ServerFilter::default()))
                .unwrap()
                .len()
        })
    });
    g.bench_function(format!("list_servers_raw_{n}"), |b| {
        b.iter(|| {
            rt.block_on(gw.list_servers_raw(&ServerFilter::default()))
                .unwrap()
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, list_all);
criterion_main!(benches);
