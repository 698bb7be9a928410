//! Simulator benchmarks (a harness, not criterion: each figure is one long measurement):
//! inventory generation at 100k servers, resident memory at 100k, and signed job polls per
//! second over real HTTP on 127.0.0.1. Run: `cargo bench --bench sim` (figures in
//! docs/performance.md). `HVECS_BENCH_SERVERS` and `HVECS_BENCH_SECONDS` change the sizes.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/sim_support/mod.rs"]
mod sim_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hvecs::sim::SimOptions;
use serde_json::json;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let servers = env_num("HVECS_BENCH_SERVERS", 100_000) as usize;
    let seconds = env_num("HVECS_BENCH_SECONDS", 5);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let before = rss_kib();
        let t0 = Instant::now();
        let handle = hvecs::sim::start(SimOptions { servers, speed: 1.0, ..SimOptions::default() }).await.unwrap();
        let gen_time = t0.elapsed();
        let after = rss_kib();
        println!("inventory: {servers} servers generated and serving in {:.2} s", gen_time.as_secs_f64());
        println!("memory: resident {} MiB after start ({} MiB for the simulator)", after / 1024, after.saturating_sub(before) / 1024);
        drop(handle);

        let t = sim_support::start_with(SimOptions { servers, speed: 0.001, ..SimOptions::default() }).await;
        let id = t.server_with_status("SHUTOFF").await["id"].as_str().unwrap().to_owned();
        let a = t.signed("POST", &t.p("/v1/{p}/cloudservers/action"), &[], Some(json!({"os-start": {"servers": [{"id": id}]}}))).await;
        let job = a.body["job_id"].as_str().unwrap().to_owned();
        let path = t.p(&format!("/v1/{{p}}/jobs/{job}"));
        let t = Arc::new(t);
        let done = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (t, done, failed, path) = (t.clone(), done.clone(), failed.clone(), path.clone());
            tasks.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    let a = t.signed("GET", &path, &[], None).await;
                    if a.status == 200 {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let n = done.load(Ordering::Relaxed);
        println!(
            "job polls: {:.0} signed GET /v1/{{p}}/jobs/{{id}} per second (32 concurrent clients in the same process, {} failed) with {servers} servers",
            n as f64 / seconds as f64,
            failed.load(Ordering::Relaxed)
        );
        // The same, with the client's signing taken out of the measurement: one request signed
        // once and sent again and again (valid for the 15-minute window); the simulator still
        // verifies every signature in full.
        let c = t.handle.credentials().clone();
        let host = t.host();
        let signed = sim_support::Signed::project_get(&c, &host, &path, &t.project);
        let (auth, headers) = signed.sign();
        let mut req_headers = reqwest::header::HeaderMap::new();
        req_headers.insert("authorization", auth.parse().unwrap());
        for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
            req_headers.insert(reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        let url = t.url(&path);
        let done = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (http, done, url, h) = (t.http.clone(), done.clone(), url.clone(), req_headers.clone());
            tasks.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    let r = http.get(&url).headers(h.clone()).send().await.unwrap();
                    let ok = r.status() == 200;
                    let _ = r.bytes().await;
                    if ok {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        println!(
            "job polls, pre-signed: {:.0} signed GET /v1/{{p}}/jobs/{{id}} per second (signature verified on each)",
            done.load(Ordering::Relaxed) as f64 / seconds as f64
        );
        let list = Instant::now();
        let a = t.signed("GET", &t.p("/v1/{p}/cloudservers/detail"), &[("limit", "100")], None).await;
        println!("v1 server list (100 of count={}): {:.1} ms", a.body["count"], list.elapsed().as_secs_f64() * 1000.0);
    });
}
