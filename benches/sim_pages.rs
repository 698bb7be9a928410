//! The simulator's paging, measured from outside: starts the release binary as its own process
//! (`hvecs sim --servers 300000`: 100k servers in each of its 3 regions), lists one region whole
//! in pages of 1000 (v1 offset pages, then Nova marker pages), looks servers up by `server_id=`,
//! and polls a job from 32 connections; it reports the simulator's CPU time (utime + stime from
//! /proc/PID/stat) for each, and its memory (VmRSS, VmHWM).
//! Run: `cargo build --release --bin hvecs && cargo bench --bench sim_pages`.
//! `HVECS_BIN` (default target/release/hvecs), `HVECS_BENCH_SERVERS` (default 300000),
//! `HVECS_BENCH_SECONDS` (the job polls, default 5) change it.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/sim_support/mod.rs"]
mod sim_support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sim_support::{Signed, sdk_date_now};

const AK: &str = "BENCHAK";
const SK: &str = "bench-secret-key";
const PAGE: usize = 1000;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The simulator process: its pid, address and first project.
struct Sim {
    child: Child,
    host: String,
    project: String,
    http: reqwest::Client,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system) the process has used, in milliseconds.
fn cpu_ms(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    // Linux reports these in USER_HZ, 100 a second on every architecture it runs on here.
    ticks * 10
}

/// (VmRSS, VmHWM) in MiB.
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn start(bin: &str, servers: u64) -> Sim {
    let mut child = Command::new(bin)
        .args(["sim", "--listen", "127.0.0.1:0", "--speed", "0.001"])
        .args(["--servers", &servers.to_string(), "--ak", AK, "--sk", SK])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e} (build it: cargo build --release)"));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut host = None;
    let mut project = None;
    while project.is_none() {
        let line = lines.next().expect("the simulator ended early").unwrap();
        if let Some(url) = line.strip_prefix("listening on http://") {
            host = Some(url.trim_end_matches('/').to_owned());
        } else if let Some((_, p)) = line.split_once("project_id: ") {
            project = Some(p.to_owned());
        }
    }
    // Keep reading its output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Sim {
        child,
        host: host.expect("no `listening on` line"),
        project: project.unwrap(),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
    }
}

impl Sim {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A signed request of the project; the answer's status and JSON.
    async fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> (u16, Value) {
        let path = path.replace("{p}", &self.project);
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let signed = Signed {
            ak: AK,
            sk: SK,
            method,
            host: &self.host,
            path: &path,
            query,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("X-Project-Id".into(), self.project.clone()),
            ],
            body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
            date: sdk_date_now(),
        };
        let (auth, headers) = signed.sign();
        let url = format!("http://{}{path}?{}", self.host, signed.canonical_query());
        let mut req = self
            .http
            .request(method.parse().unwrap(), url)
            .header("Authorization", auth);
        for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
            req = req.header(k, v);
        }
        let answer = req.body(signed.body).send().await.unwrap();
        let status = answer.status().as_u16();
        (
            status,
            serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap_or(Value::Null),
        )
    }
}

/// Ids of a page's servers, each seen once over the whole listing.
fn take_ids(page: &Value, seen: &mut HashSet<String>) -> usize {
    let list = page["servers"]
        .as_array()
        .expect("a page without `servers`");
    for s in list {
        let id = s["id"].as_str().unwrap().to_owned();
        assert!(seen.insert(id.clone()), "server {id} listed twice");
    }
    list.len()
}

fn report(what: &str, sim: &Sim, cpu0: u64, t0: Instant, n: usize) {
    let cpu = cpu_ms(sim.pid()) - cpu0;
    println!(
        "{what}: simulator CPU {cpu} ms ({:.1} ms a request, {n} requests), wall {:.2} s",
        cpu as f64 / n.max(1) as f64,
        t0.elapsed().as_secs_f64()
    );
}

async fn offset_pages(sim: &Sim) -> Vec<String> {
    let (cpu0, t0) = (cpu_ms(sim.pid()), Instant::now());
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut total = usize::MAX;
    let mut page = 1;
    while (page - 1) * PAGE < total {
        let (status, body) = sim
            .call(
                "GET",
                "/v1/{p}/cloudservers/detail",
                &[("offset", &page.to_string()), ("limit", &PAGE.to_string())],
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        total = body["count"].as_u64().unwrap() as usize;
        take_ids(&body, &mut seen);
        order.extend(
            body["servers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_owned()),
        );
        page += 1;
    }
    assert_eq!(seen.len(), total, "the pages miss servers");
    report(
        &format!(
            "v1 list, {} offset pages of {PAGE} ({total} servers)",
            page - 1
        ),
        sim,
        cpu0,
        t0,
        page - 1,
    );
    order
}

async fn marker_pages(sim: &Sim, want: &[String]) {
    let (cpu0, t0) = (cpu_ms(sim.pid()), Instant::now());
    let mut seen = HashSet::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let limit = PAGE.to_string();
        let mut q = vec![("limit", limit.as_str())];
        if let Some(m) = &marker {
            q.push(("marker", m));
        }
        let (status, body) = sim.call("GET", "/v2.1/{p}/servers/detail", &q, None).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        take_ids(&body, &mut seen);
        marker = body["servers"]
            .as_array()
            .unwrap()
            .last()
            .map(|s| s["id"].as_str().unwrap().to_owned());
        if body["servers_links"]
            .as_array()
            .is_none_or(|l| l.is_empty())
        {
            break;
        }
    }
    assert_eq!(
        seen.len(),
        want.len(),
        "marker pages and offset pages disagree"
    );
    report(
        &format!("Nova list, {pages} marker pages of {PAGE}"),
        sim,
        cpu0,
        t0,
        pages,
    );
}

async fn by_id(sim: &Sim, ids: &[String]) {
    let (cpu0, t0) = (cpu_ms(sim.pid()), Instant::now());
    let mut n = 0;
    for chunk in ids
        .chunks(100)
        .step_by(ids.len().div_ceil(100 * 100).max(1))
        .take(100)
    {
        let list = chunk.join(",");
        let (status, body) = sim
            .call(
                "GET",
                "/v1/{p}/cloudservers/detail",
                &[("server_id", &list)],
                None,
            )
            .await;
        assert_eq!(
            (status, body["count"].as_u64()),
            (200, Some(chunk.len() as u64))
        );
        n += 1;
    }
    report("v1 list by server_id=, 100 ids a request", sim, cpu0, t0, n);
}

async fn job_polls(sim: Arc<Sim>, seconds: u64) {
    let (_, body) = sim
        .call(
            "GET",
            "/v1/{p}/cloudservers/detail",
            &[("status", "SHUTOFF"), ("limit", "1")],
            None,
        )
        .await;
    let id = body["servers"][0]["id"]
        .as_str()
        .expect("no SHUTOFF server")
        .to_owned();
    let (status, body) = sim
        .call(
            "POST",
            "/v1/{p}/cloudservers/action",
            &[],
            Some(json!({"os-start": {"servers": [{"id": id}]}})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let path = format!("/v1/{{p}}/jobs/{}", body["job_id"].as_str().unwrap());
    let (cpu0, t0) = (cpu_ms(sim.pid()), Instant::now());
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (sim, done, path) = (sim.clone(), done.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let (status, _) = sim.call("GET", &path, &[], None).await;
                assert_eq!(status, 200);
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let n = done.load(Ordering::Relaxed);
    let cpu = cpu_ms(sim.pid()) - cpu0;
    println!(
        "job polls: {:.0} signed GET /v1/{{p}}/jobs/{{id}} a second (32 connections, the client in this process), simulator CPU {:.0} µs a poll",
        n as f64 / t0.elapsed().as_secs_f64(),
        cpu as f64 * 1000.0 / n.max(1) as f64
    );
}

fn main() {
    let bin = std::env::var("HVECS_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/hvecs").to_owned()
    });
    let servers = env_num("HVECS_BENCH_SERVERS", 300_000);
    let seconds = env_num("HVECS_BENCH_SECONDS", 5);
    let t0 = Instant::now();
    let sim = start(&bin, servers);
    let (rss, hwm) = memory_mib(sim.pid());
    println!(
        "{bin} sim --servers {servers}: serving after {:.1} s, simulator CPU {} ms; memory VmRSS {rss} MiB, VmHWM {hwm} MiB",
        t0.elapsed().as_secs_f64(),
        cpu_ms(sim.pid())
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let ids = offset_pages(&sim).await;
        marker_pages(&sim, &ids).await;
        by_id(&sim, &ids).await;
        let (rss, hwm) = memory_mib(sim.pid());
        println!("memory after the lists: VmRSS {rss} MiB, VmHWM {hwm} MiB");
        job_polls(Arc::new(sim), seconds).await;
    });
}
