//! The simulator as a running service: seeded fault replay, dropped requests that happened
//! completely or not at all, truncated bodies, restart with a job in flight, TLS, and the
//! `hvecs sim` binary's first line and clean exit on SIGTERM.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use hvecs::sim::{FaultSpec, SimOptions};
use serde_json::json;
use sim_support::{answer, start_with};

fn faulty(seed: u64, spec: &str) -> SimOptions {
    SimOptions {
        seed,
        speed: 1000.0,
        faults: FaultSpec::parse(spec).unwrap(),
        ..SimOptions::default()
    }
}

/// The statuses (0 = connection failed) of 40 identical reads.
async fn statuses(seed: u64) -> Vec<u16> {
    let t = start_with(faulty(seed, "5xx=0.2,429=0.2,reset=0.1")).await;
    let path = t.p("/v1/{p}/cloudservers/limits");
    let mut out = Vec::new();
    for _ in 0..40 {
        let r = t
            .http
            .get(t.url(&path))
            .header("X-Auth-Token", "x")
            .send()
            .await;
        out.push(r.map(|r| r.status().as_u16()).unwrap_or(0));
    }
    out
}

#[tokio::test]
async fn the_same_seed_replays_the_same_faults() {
    let a = statuses(7).await;
    let b = statuses(7).await;
    assert_eq!(a, b);
    assert!(
        a.contains(&429) && a.iter().any(|s| *s >= 500) && a.contains(&0) && a.contains(&401),
        "{a:?}"
    );
    assert_ne!(a, statuses(8).await);
}

#[tokio::test]
async fn a_dropped_change_happened_completely_or_not_at_all() {
    let t = start_with(faulty(3, "reset=0.5")).await;
    let servers = shutoff_servers(&t).await;
    assert!(servers.len() >= 4, "{servers:?}");
    let (mut answered, mut dropped) = (0, 0);
    for id in &servers {
        let body = json!({"os-start": {"servers": [{"id": id}]}});
        match t
            .signed_try("POST", &t.p("/v1/{p}/cloudservers/action"), Some(body))
            .await
        {
            Some(a) => {
                assert!(a.status / 100 == 2, "{}", a.text);
                answered += 1;
            }
            None => dropped += 1,
        }
    }
    assert!(
        dropped > 0 && answered > 0,
        "answered {answered}, dropped {dropped}"
    );
    // Every change the API accepted has a job (the stats endpoint is never faulted), and each
    // server is started exactly when a job exists for it: no change is half done.
    let st = loop {
        let st = t.stats().await;
        if st["jobs"]["INIT"] == 0 && st["jobs"]["RUNNING"] == 0 {
            break st;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let jobs = st["jobs"]["SUCCESS"].as_u64().unwrap() as usize;
    assert_eq!(st["mutations"].as_u64().unwrap() as usize, jobs, "{st}");
    assert!(jobs >= answered && jobs <= servers.len(), "{st}");
    let mut started = 0;
    for id in &servers {
        let s = loop {
            if let Some(a) = t
                .signed_try("GET", &t.p(&format!("/v1/{{p}}/cloudservers/{id}")), None)
                .await
            {
                break a.body;
            }
        };
        match s["server"]["status"].as_str() {
            Some("ACTIVE") => started += 1,
            Some("SHUTOFF") => assert!(s["server"]["OS-EXT-STS:task_state"].is_null()),
            other => panic!("half-done server: {other:?}"),
        }
    }
    assert_eq!(started, jobs, "servers started = jobs in the table");
}

async fn shutoff_servers(t: &sim_support::TestSim) -> Vec<String> {
    loop {
        if let Some(a) = t
            .signed_try("GET", &t.p("/v1/{p}/cloudservers/detail"), None)
            .await
            && a.status == 200
        {
            return a.body["servers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["status"] == "SHUTOFF")
                .map(|s| s["id"].as_str().unwrap().to_owned())
                .collect();
        }
    }
}

#[tokio::test]
async fn a_truncated_answer_is_an_incomplete_body() {
    let t = start_with(faulty(1, "truncate=1")).await;
    let r = t.http.get(t.url("/v3/regions")).send().await.unwrap();
    assert_eq!(r.status(), 401, "the head arrives");
    assert!(r.text().await.is_err(), "the body does not");
    let st = t.stats().await;
    assert_eq!(
        st["requests"][0]["status"], 401,
        "the request was handled; only its answer was cut"
    );
}

#[tokio::test]
async fn a_restart_resumes_the_job_in_flight_with_the_same_credentials_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        speed: 0.5,
        state_dir: Some(dir.path().to_owned()),
        ..SimOptions::default()
    };
    let t = start_with(opts.clone()).await;
    let id = t.server_with_status("ACTIVE").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a = t
        .signed(
            "POST",
            &t.p("/v1/{p}/cloudservers/action"),
            &[],
            Some(json!({"os-stop": {"servers": [{"id": id}]}})),
        )
        .await;
    let job = a.body["job_id"].as_str().unwrap().to_owned();
    let token = t.token(json!({"project": {"name": "cn-north-1"}})).await;
    let ak = t.handle.credentials().ak.clone();
    t.handle.shutdown().await.unwrap();
    assert!(dir.path().join("sim-state.json").exists());

    let t = start_with(SimOptions {
        speed: 1000.0,
        ..opts
    })
    .await;
    assert_eq!(t.handle.credentials().ak, ak);
    let again = t
        .with_token(&token, "GET", &t.p(&format!("/v1/{{p}}/jobs/{job}")), None)
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(t.wait_job(&job).await["status"], "SUCCESS");
    t.wait_server(&id, "SHUTOFF").await;
}

#[tokio::test]
async fn serves_https_with_a_generated_certificate() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let ck =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let t = start_with(SimOptions {
        tls: Some((cert.clone(), key)),
        ..SimOptions::default()
    })
    .await;
    assert!(t.handle.base_url().starts_with("https://127.0.0.1:"));
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ck.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let a = answer(
        client
            .get(format!("{}/v3/regions", t.handle.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 401, "TLS works; the gateway asks for credentials");
    // AK/SK over TLS (HTTP/2 when negotiated: the host comes as `:authority`).
    let c = t.handle.credentials();
    let host = t.host();
    let path = t.p("/v1/{p}/cloudservers/limits");
    let s = sim_support::Signed::project_get(c, &host, &path, &t.project);
    let (auth, headers) = s.sign();
    let mut req = client
        .get(format!("{}{path}", t.handle.base_url()))
        .header("Authorization", auth);
    for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
        req = req.header(k, v);
    }
    let r = req.send().await.unwrap();
    let version = r.version();
    let a = answer(r).await;
    assert_eq!(a.status, 200, "{version:?}: {}", a.text);
    let plain = reqwest::Client::new()
        .get(format!("{}/v3/regions", t.handle.base_url()))
        .send()
        .await;
    assert!(
        plain.is_err(),
        "a client that does not trust the certificate is refused"
    );
    let bad = hvecs::sim::start(SimOptions {
        tls: Some((cert.clone(), cert)),
        ..SimOptions::default()
    })
    .await;
    assert!(bad.err().unwrap().contains("private key"));
}

#[test]
fn the_binary_prints_its_address_first_and_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--servers",
            "12",
            "--ak",
            "MYAK",
            "--sk",
            "MYSK",
            "--state",
        ])
        .arg(dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..10 {
        let mut l = String::new();
        out.read_line(&mut l).unwrap();
        lines.push(l.trim_end().to_owned());
    }
    let re = regex::Regex::new(r"^listening on http://127\.0\.0\.1:\d+$").unwrap();
    assert!(re.is_match(&lines[0]), "{lines:?}");
    assert!(lines.contains(&"ak: MYAK".to_owned()));
    let regions: Vec<&String> = lines.iter().filter(|l| l.starts_with("region: ")).collect();
    assert_eq!(regions.len(), 3);
    assert!(lines.contains(&"regions: 3".to_owned()), "{lines:?}");
    assert!(
        regex::Regex::new(r"^region: cn-north-1 project_id: [0-9a-f]{32}$")
            .unwrap()
            .is_match(regions[0])
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap();
    assert_eq!(code.code(), Some(0));
    assert!(
        dir.path().join("sim-state.json").exists(),
        "the state was saved on SIGTERM"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args(["sim", "--faults", "boom=1"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown fault `boom`"));
}

#[tokio::test]
async fn throttling_answers_429_with_both_documented_code_prefixes() {
    let t = start_with(faulty(1, "429=1")).await;
    let mut codes = Vec::new();
    for _ in 0..2 {
        let a = answer(t.http.get(t.url("/v3/regions")).send().await.unwrap()).await;
        assert_eq!(a.status, 429);
        assert!(
            a.body["error_msg"]
                .as_str()
                .unwrap()
                .contains("throttling threshold")
        );
        assert_eq!(
            a.body["request_id"],
            a.headers["x-request-id"].to_str().unwrap()
        );
        codes.push(a.body["error_code"].as_str().unwrap().to_owned());
    }
    codes.sort();
    assert_eq!(codes, ["APIG.0308", "APIGW.0308"]);
}
