//! The soak: N mixed CLI operations (create, start, stop, reboot, resize, rename, delete, list)
//! with the real `hvecs` binary, from W workers at once, against a separate `hvecs sim` with
//! faults. Reports duplicated changes, servers left in transient states, failures whose final
//! line has no request id, panics, and the exit-code histogram. Not part of `cargo test`.
//!
//! Run: `SOAK_N=1000 cargo bench --bench soak` (also SOAK_WORKERS=8, SOAK_SPEED=50, SOAK_SEED=1,
//! SOAK_FAULTS=5xx=0.05,429=0.02,reset=0.01,truncate=0.01,latency=200ms,jobfail=0.1).
//! Figures go to docs/reliability.md; the run fails (exit 1) on a panic or a duplicate.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../tests/support/cli_env.rs"]
mod cli_env;

use cli_env::{Cli, find_subnet};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_hvecs");
const DEFAULT_FAULTS: &str = "5xx=0.05,429=0.02,reset=0.01,truncate=0.01,latency=200ms,jobfail=0.1";
const STABLE: [&str; 3] = ["ACTIVE", "SHUTOFF", "ERROR"];

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The simulator as a child process, and the environment that points `hvecs` at it.
struct Sim {
    child: Child,
    base: String,
    env: Vec<(&'static str, String)>,
    _state: tempfile::TempDir,
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn start_sim(faults: &str, speed: u32, seed: u64, servers: usize) -> Sim {
    let state = tempfile::tempdir().expect("a temporary folder");
    let mut child = Command::new(BIN)
        .args(["sim", "--listen", "127.0.0.1:0", "--faults", faults])
        .args(["--speed", &speed.to_string(), "--seed", &seed.to_string()])
        .args(["--servers", &servers.to_string()])
        .args(["--ak", "AKSOAK", "--sk", "soak-secret-key", "--state"])
        .arg(state.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hvecs sim starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let (mut base, mut region, mut project) = (String::new(), String::new(), String::new());
    for l in lines.by_ref().map_while(Result::ok) {
        if let Some(u) = l.strip_prefix("listening on ") {
            base = u.trim().to_owned();
        }
        if let Some((r, p)) = l
            .strip_prefix("region: ")
            .and_then(|r| r.split_once(" project_id: "))
        {
            (region, project) = (r.to_owned(), p.trim().to_owned());
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let env = vec![
        ("HVECS_ENDPOINT", base.clone()),
        ("HVECS_REGION", region),
        ("HVECS_AK", "AKSOAK".to_owned()),
        ("HVECS_SK", "soak-secret-key".to_owned()),
        ("HVECS_PROJECT_ID", project),
    ];
    Sim {
        child,
        base,
        env,
        _state: state,
    }
}

/// The region's servers; reads may meet faults too, so this tries a few times.
fn servers(cli: &Cli) -> Vec<Value> {
    for _ in 0..10 {
        let o = cli.run(&["servers", "list", "-o", "json"]);
        if o.status.success()
            && let Ok(Value::Array(v)) = serde_json::from_slice(&o.stdout)
        {
            return v;
        }
    }
    panic!("cannot list the servers 10 times in a row");
}

/// What a create needs, taken from the region: an image, a VPC, a subnet of it in an AZ.
struct Place {
    image: String,
    vpc: String,
    subnet: String,
    az: String,
}

fn place(cli: &Cli) -> Place {
    let first = servers(cli)[0].clone();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let (vpc, az) = (
        s(&first["metadata"]["vpc_id"]),
        s(&first["OS-EXT-AZ:availability_zone"]),
    );
    let o = cli.run(&["networks", "list", "-o", "json"]);
    let nets: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    let subnet = find_subnet(&nets, &vpc, &az).expect("a subnet of the first server's VPC");
    Place {
        image: s(&first["image"]["id"]),
        vpc,
        subnet,
        az,
    }
}

/// One operation's result.
struct Record {
    op: &'static str,
    code: i32,
    last_line: String,
}

const FLAVORS: [&str; 2] = ["hv1.medium.2", "hv1.large.4"];

/// One worker: `mine` are the server ids it acts on (no two workers touch the same server).
fn worker(
    cli: &Cli,
    place: &Place,
    mut mine: Vec<String>,
    seed: u64,
    left: &AtomicUsize,
    out: &Mutex<Vec<Record>>,
    created: &Mutex<Vec<String>>,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut n = 0;
    while left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| l.checked_sub(1))
        .is_ok()
    {
        n += 1;
        let pick = rng.random_range(0..100);
        let target = if mine.is_empty() {
            None
        } else {
            Some(mine[rng.random_range(0..mine.len())].clone())
        };
        let name = format!("soak-{seed}-{n}");
        let (op, args): (&'static str, Vec<String>) = match target {
            _ if pick < 10 || mine.len() < 4 => {
                created.lock().expect("lock").push(name.clone());
                let a = [
                    "servers",
                    "create",
                    "--wait",
                    "--name",
                    &name,
                    "--image",
                    &place.image,
                    "--flavor",
                    FLAVORS[0],
                    "--vpc",
                    &place.vpc,
                    "--subnet",
                    &place.subnet,
                    "--az",
                    &place.az,
                    "--disk-size",
                    "40",
                ];
                ("create", words(&a, None))
            }
            None => ("list", words(&["servers", "list"], None)),
            Some(id) => match pick {
                10..25 => ("list", words(&["servers", "list"], None)),
                25..40 => ("start", words(&["servers", "start", "--wait"], Some(id))),
                40..55 => (
                    "stop",
                    words(&["servers", "stop", "--yes", "--wait"], Some(id)),
                ),
                55..70 => (
                    "reboot",
                    words(&["servers", "reboot", "--yes", "--wait"], Some(id)),
                ),
                70..80 => {
                    let f = FLAVORS[rng.random_range(0..2)];
                    let a = ["servers", "resize", "--yes", "--wait", "--flavor", f];
                    ("resize", words(&a, Some(id)))
                }
                80..92 => {
                    let mut a = words(&["servers", "rename", "--wait"], Some(id));
                    a.push(name.clone());
                    ("rename", a)
                }
                _ => (
                    "delete",
                    words(&["servers", "delete", "--yes", "--wait"], Some(id)),
                ),
            },
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cli.run(&argv);
        let code = o.status.code().unwrap_or(-1);
        let err = String::from_utf8_lossy(&o.stderr);
        let last_line = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_owned();
        if op == "create" && code == 0 {
            // The new server joins this worker's set (its id from the task's summary).
            let list = servers(cli);
            mine.extend(
                list.iter()
                    .filter(|s| s["name"] == name.as_str())
                    .filter_map(|s| s["id"].as_str().map(str::to_owned)),
            );
        }
        if op == "delete" && code == 0 {
            mine.retain(|id| !argv.contains(&id.as_str()));
        }
        out.lock().expect("lock").push(Record {
            op,
            code,
            last_line,
        });
    }
}

fn words(w: &[&str], id: Option<String>) -> Vec<String> {
    w.iter().map(|s| s.to_string()).chain(id).collect()
}

/// Audit lines, by outcome; and steps accepted twice with two different job ids (a duplicate).
fn audit(state: &Path) -> (BTreeMap<String, u64>, u64) {
    let text = std::fs::read_to_string(state.join("audit.jsonl")).unwrap_or_default();
    let mut outcomes = BTreeMap::new();
    let mut jobs: HashMap<(String, String), Vec<String>> = HashMap::new();
    for l in text.lines() {
        let Ok(v) = serde_json::from_str::<Value>(l) else {
            continue;
        };
        let outcome = v["outcome"].as_str().unwrap_or("?").to_owned();
        *outcomes.entry(outcome.clone()).or_insert(0) += 1;
        if outcome == "accepted" {
            let key = (v["task"].to_string(), v["targets"].to_string());
            let job = v["job_id"].as_str().unwrap_or("").to_owned();
            jobs.entry(key).or_default().push(job);
        }
    }
    let dup = jobs
        .values()
        .filter(|j| {
            let mut d = (*j).clone();
            d.sort();
            d.dedup();
            d.len() > 1
        })
        .count() as u64;
    (outcomes, dup)
}

/// `/_sim/stats`, never faulted.
fn sim_stats(base: &str) -> Value {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Value::Null;
    };
    rt.block_on(async {
        match reqwest::get(format!("{base}/_sim/stats")).await {
            Ok(r) => r.json().await.unwrap_or(Value::Null),
            Err(_) => Value::Null,
        }
    })
}

fn main() {
    let n: usize = env_or("SOAK_N", 100);
    let workers: usize = env_or("SOAK_WORKERS", 8);
    let speed: u32 = env_or("SOAK_SPEED", 50);
    let seed: u64 = env_or("SOAK_SEED", 1);
    let faults = std::env::var("SOAK_FAULTS").unwrap_or_else(|_| DEFAULT_FAULTS.to_owned());
    let started = Instant::now();
    let sim = start_sim(&faults, speed, seed, 20 * workers);
    let cli = Arc::new(Cli::new(sim.env.iter().map(|(k, v)| (*k, v.as_str()))));
    let place = Arc::new(place(&cli));
    let ids: Vec<String> = servers(&cli)
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    let left = Arc::new(AtomicUsize::new(n));
    let out = Arc::new(Mutex::new(Vec::new()));
    let created = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for w in 0..workers {
        let mine: Vec<String> = ids.iter().skip(w).step_by(workers).cloned().collect();
        let (cli, place, left, out, created) = (
            cli.clone(),
            place.clone(),
            left.clone(),
            out.clone(),
            created.clone(),
        );
        handles.push(std::thread::spawn(move || {
            worker(
                &cli,
                &place,
                mine,
                seed * 1000 + w as u64,
                &left,
                &out,
                &created,
            )
        }));
    }
    for h in handles {
        h.join().expect("a worker panicked");
    }
    let ops_took = started.elapsed();
    // Let the jobs the simulator still runs end, then look for servers left in between.
    let mut transient = Vec::new();
    for _ in 0..30 {
        transient = servers(&cli)
            .into_iter()
            .filter(|s| {
                let status = s["status"].as_str().unwrap_or("");
                !STABLE.contains(&status) || !s["OS-EXT-STS:task_state"].is_null()
            })
            .map(|s| format!("{} {}", s["name"], s["status"]))
            .collect();
        if transient.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    let left_over = servers(&cli);
    let created = created.lock().expect("lock").clone();
    let duplicated_creates: Vec<String> = created
        .iter()
        .filter(|name| {
            left_over
                .iter()
                .filter(|s| s["name"] == name.as_str())
                .count()
                > 1
        })
        .cloned()
        .collect();
    let stats = sim_stats(&sim.base);
    let (outcomes, twice_accepted) = audit(&cli.state());
    let records = out.lock().expect("lock");
    let mut codes: BTreeMap<i32, u64> = BTreeMap::new();
    let mut per_op: BTreeMap<&str, BTreeMap<i32, u64>> = BTreeMap::new();
    for r in records.iter() {
        *codes.entry(r.code).or_insert(0) += 1;
        *per_op.entry(r.op).or_default().entry(r.code).or_insert(0) += 1;
    }
    let panics = records
        .iter()
        .filter(|r| r.code == 101 || r.last_line.contains("panicked"))
        .count();
    // Failures after a request could have gone out: 1 (job failed), 3 (API), 5 (unknown).
    let failures: Vec<&Record> = records
        .iter()
        .filter(|r| matches!(r.code, 1 | 3 | 5))
        .collect();
    let without_rid: Vec<&&Record> = failures
        .iter()
        .filter(|r| !r.last_line.contains("request id"))
        .collect();
    println!(
        "soak: {n} operations, {workers} workers, sim --speed {speed} --seed {seed} --faults {faults}"
    );
    println!(
        "  took {:.0} s for the operations, {:.0} s in all",
        ops_took.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!("  exit codes: {codes:?}");
    for (op, c) in &per_op {
        println!("    {op:<7} {c:?}");
    }
    println!("  panics (exit 101): {panics}");
    println!(
        "  duplicated changes: {} create(s) with more servers than asked, {} step(s) accepted with two job ids",
        duplicated_creates.len(),
        twice_accepted
    );
    println!(
        "  simulator mutations {} vs audit {:?}",
        stats["mutations"], outcomes
    );
    println!(
        "  servers left in transient states: {} {:?}",
        transient.len(),
        transient
    );
    println!(
        "  failures (exit 1/3/5) whose final line has no request id: {} of {}",
        without_rid.len(),
        failures.len()
    );
    for r in without_rid.iter().take(5) {
        println!("    e.g. {} exit {}: {}", r.op, r.code, r.last_line);
    }
    if panics > 0 || !duplicated_creates.is_empty() || twice_accepted > 0 {
        std::process::exit(1);
    }
}
