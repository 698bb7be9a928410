//! IMS images from servers through the simulator over real HTTP, one rule each: IMG.0008 for a
//! running server (unless the simulator allows it), the job's `process_percent`, the image
//! `saving` for the backend's duration scaled by `--speed`, delete refused while saving, IMG.0009,
//! IMG.0015, an injected job failure, and a job in flight resumed after a restart (`--state`).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use std::time::{Duration, Instant};

use hvecs::sim::{FaultSpec, SimOptions};
use serde_json::{Value, json};
use sim_support::{TestSim, start_with};

fn opts(speed: f64) -> SimOptions {
    SimOptions {
        speed,
        ..SimOptions::default()
    }
}

async fn stopped(t: &TestSim) -> String {
    t.server_with_status("SHUTOFF").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn create(t: &TestSim, name: &str, server: &str) -> sim_support::Answer {
    t.signed(
        "POST",
        "/v2/cloudimages/action",
        &[],
        Some(
            json!({"name": name, "instance_id": server, "description": "d",
            "image_tags": [{"key": "team", "value": "ops"}]}),
        ),
    )
    .await
}

fn code(a: &sim_support::Answer) -> (u16, Option<&str>) {
    (a.status, a.body["error"]["code"].as_str())
}

async fn image(t: &TestSim, id: &str) -> Value {
    let a = t
        .signed("GET", &format!("/v2/images/{id}"), &[], None)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.body
}

async fn job(t: &TestSim, id: &str) -> Value {
    t.signed("GET", &t.p(&format!("/v1/{{p}}/jobs/{id}")), &[], None)
        .await
        .body
}

#[tokio::test]
async fn a_running_server_is_refused_with_img_0008() {
    let t = start_with(opts(1000.0)).await;
    let on = t.server_with_status("ACTIVE").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a = create(&t, "from-running", &on).await;
    assert_eq!(code(&a), (400, Some("IMG.0008")), "{}", a.text);
    let listed = t
        .signed("GET", "/v2/cloudimages", &[("name", "from-running")], None)
        .await;
    assert_eq!(listed.body["images"], json!([]), "nothing was made");
}

#[tokio::test]
async fn a_simulator_that_allows_it_images_a_running_server_which_stays_running() {
    let t = start_with(SimOptions {
        image_from_running: true,
        ..opts(1000.0)
    })
    .await;
    let on = t.server_with_status("ACTIVE").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a = create(&t, "hot-image", &on).await;
    assert!(a.status / 100 == 2, "{}", a.text);
    let j = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(j["status"], "SUCCESS", "{j}");
    let img = image(&t, j["entities"]["image_id"].as_str().unwrap()).await;
    assert_eq!(img["status"], "active");
    let s = t.wait_server(&on, "ACTIVE").await;
    assert_eq!(s["status"], "ACTIVE");
}

#[tokio::test]
async fn the_image_saves_for_the_backends_duration_with_a_rising_percent_and_cannot_be_deleted_meanwhile()
 {
    // Image from server: 1 to 5 minutes (backend.md); at --speed 60, 1 to 5 seconds.
    let speed = 60.0;
    let t = start_with(opts(speed)).await;
    let server = stopped(&t).await;
    let began = Instant::now();
    let a = create(&t, "slow-image", &server).await;
    assert!(a.status / 100 == 2, "{}", a.text);
    let job_id = a.body["job_id"].as_str().unwrap().to_owned();
    let first = job(&t, &job_id).await;
    let image_id = first["entities"]["image_id"].as_str().unwrap().to_owned();
    let img = image(&t, &image_id).await;
    assert_eq!(img["status"], "saving");
    assert_eq!(img["__imagetype"], "private");
    assert_eq!(img["__description"], "d");
    assert!(img["tags"].as_array().unwrap().contains(&json!("team.ops")));

    let del = t
        .signed("DELETE", &format!("/v2/images/{image_id}"), &[], None)
        .await;
    assert_eq!(del.status, 409, "{}", del.text);
    assert!(del.text.contains("IMG."), "an IMS error code: {}", del.text);

    let mut percents = Vec::new();
    let end = loop {
        let j = job(&t, &job_id).await;
        if j["status"] == "SUCCESS" || j["status"] == "FAIL" {
            break j;
        }
        let p = j["entities"]["process_percent"].as_u64().unwrap();
        assert!(p <= 100);
        percents.push(p);
        if image(&t, &image_id).await["status"] != "saving" {
            panic!("the image left `saving` before its job ended");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let took = began.elapsed().as_secs_f64();
    assert_eq!(end["status"], "SUCCESS", "{end}");
    assert_eq!(end["entities"]["process_percent"], 100);
    assert!(
        percents.windows(2).all(|w| w[0] <= w[1]),
        "never goes back: {percents:?}"
    );
    assert!(
        percents.iter().any(|p| (1..100).contains(p)),
        "seen between 0 and 100: {percents:?}"
    );
    assert!(
        (60.0 / speed..=300.0 / speed + 2.0).contains(&took),
        "took {took:.1} s at --speed {speed}"
    );
    assert_eq!(image(&t, &image_id).await["status"], "active");
    let del = t
        .signed("DELETE", &format!("/v2/images/{image_id}"), &[], None)
        .await;
    assert_eq!(del.status, 204, "{}", del.text);
    let gone = t
        .signed("GET", "/v2/cloudimages", &[("id", &image_id)], None)
        .await;
    assert_eq!(gone.body["images"], json!([]));
}

#[tokio::test]
async fn a_name_taken_is_img_0009_and_a_full_quota_img_0015() {
    let seeded = start_with(opts(1000.0)).await;
    let q = seeded
        .signed("GET", "/v1/cloudimages/quota", &[], None)
        .await;
    let used = q.body["quotas"]["resources"][0]["used"].as_u64().unwrap();
    seeded.handle.shutdown().await.unwrap();
    // The same seed, with room for one more private image.
    let t = start_with(SimOptions {
        image_quota: Some(used + 1),
        ..opts(1000.0)
    })
    .await;
    let a_server = stopped(&t).await;
    let a = create(&t, "only-one", &a_server).await;
    assert!(a.status / 100 == 2, "{}", a.text);
    t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    t.wait_server(&a_server, "SHUTOFF").await;
    let again = create(&t, "only-one", &a_server).await;
    assert_eq!(code(&again), (400, Some("IMG.0009")), "{}", again.text);
    let full = create(&t, "second", &a_server).await;
    assert_eq!(code(&full), (400, Some("IMG.0015")), "{}", full.text);
    let q = t.signed("GET", "/v1/cloudimages/quota", &[], None).await;
    assert_eq!(
        q.body["quotas"]["resources"][0],
        json!({"type": "image", "used": used + 1, "quota": used + 1, "min": 1, "max": 1000})
    );
}

#[tokio::test]
async fn an_injected_job_failure_kills_the_image_and_frees_the_server() {
    let t = start_with(SimOptions {
        faults: FaultSpec::parse("jobfail=1").unwrap(),
        ..opts(1000.0)
    })
    .await;
    let server = stopped(&t).await;
    let a = create(&t, "doomed", &server).await;
    assert!(a.status / 100 == 2, "{}", a.text);
    let j = t.wait_job(a.body["job_id"].as_str().unwrap()).await;
    assert_eq!(j["status"], "FAIL");
    assert_eq!(j["error_code"], "IMG.0031", "{j}");
    let img = image(&t, j["entities"]["image_id"].as_str().unwrap()).await;
    assert_eq!(img["status"], "killed");
    t.wait_server(&server, "SHUTOFF").await;
}

#[tokio::test]
async fn an_image_job_in_flight_resumes_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let slow = SimOptions {
        state_dir: Some(dir.path().to_owned()),
        ..opts(0.5)
    };
    let t = start_with(slow.clone()).await;
    let server = stopped(&t).await;
    let a = create(&t, "kept", &server).await;
    let job_id = a.body["job_id"].as_str().unwrap().to_owned();
    t.handle.shutdown().await.unwrap();

    let t = start_with(SimOptions {
        speed: 1000.0,
        ..slow
    })
    .await;
    let j = t.wait_job(&job_id).await;
    assert_eq!(j["status"], "SUCCESS", "{j}");
    let img = image(&t, j["entities"]["image_id"].as_str().unwrap()).await;
    assert_eq!(
        (img["name"].as_str(), img["status"].as_str()),
        (Some("kept"), Some("active"))
    );
    t.wait_server(&server, "SHUTOFF").await;
}
