//! `hvecs images create|rename|delete` through the real binary against `hvecs sim` run as a
//! separate process: the platform's IMG.0008 for a running server, `--stop-first` as stop →
//! image → start, the TYPE column and `--type`, rename, delete refused while the image saves,
//! delete, and a full private-image quota refused before anything is sent.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::cli_env::{Cli, code, private_image_named, server_with, text};
use support::sim_process;

fn json(o: &std::process::Output) -> Value {
    assert_eq!(code(o), 0, "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn server_status(cli: &Cli, id: &str) -> String {
    let all = json(&cli.run(&["servers", "list", "-o", "json"]));
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .unwrap()
}

#[test]
fn images_are_made_renamed_and_deleted_through_the_runner() {
    let sim = sim_process::start(50, 60);
    let cli = Cli::new(sim.env());
    let (on_id, on) = server_with(&cli, "ACTIVE");

    // A running server without --stop-first: the platform refuses it (exit 3, nothing changed).
    let before = sim.mutations();
    let o = cli.run(&[
        "images", "create", "--server", &on, "--name", "hot", "--wait",
    ]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert!(text(&o).contains("IMG.0008"), "{}", text(&o));
    assert!(private_image_named(&cli, "hot").is_none());
    assert_eq!(server_status(&cli, &on_id), "ACTIVE");
    assert_eq!(
        sim.mutations(),
        before,
        "the refused create changed nothing"
    );

    // --stop-first: one task, stop → image → start, followed to its end without --wait.
    let (img_posts, power_posts) = (
        sim.posts("/cloudimages/action"),
        sim.posts("/cloudservers/action"),
    );
    let task = json(&cli.run(&[
        "images",
        "create",
        "--server",
        &on,
        "--name",
        "gold",
        "--description",
        "base",
        "--tag",
        "team=ops",
        "--stop-first",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(task["state"], "succeeded", "{task}");
    let steps: Vec<&str> = task["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["call"]["call"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["power", "image", "power"], "{task}");
    assert_eq!(sim.posts("/cloudimages/action") - img_posts, 1);
    assert_eq!(
        sim.posts("/cloudservers/action") - power_posts,
        2,
        "one stop, one start"
    );
    assert_eq!(server_status(&cli, &on_id), "ACTIVE");
    let gold = private_image_named(&cli, "gold").expect("the image is listed");
    assert_eq!(gold["status"], "active");
    assert_eq!(gold["__imagetype"], "private");
    let table = cli.run(&["images", "list", "--type", "private"]);
    let table = String::from_utf8_lossy(&table.stdout).to_string();
    assert!(
        table.contains("TYPE") && table.contains("private"),
        "{table}"
    );
    assert!(!table.contains("public"), "{table}");
    let public = cli.run(&["images", "list", "--type", "public"]);
    assert!(String::from_utf8_lossy(&public.stdout).contains("public"));

    // Rename by name.
    let o = cli.run(&["images", "rename", "gold", "gold-2", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        private_image_named(&cli, "gold-2").is_some()
            && private_image_named(&cli, "gold").is_none()
    );

    // Delete refused while an image is still saving (the platform's IMG.0010, exit 3).
    let (off_id, off) = server_with(&cli, "SHUTOFF");
    let o = cli.run(&["images", "create", "--server", &off, "--name", "slow"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&["images", "delete", "slow", "--yes", "--wait"]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert!(text(&o).contains("IMG.0010"), "{}", text(&o));
    // Without a terminal a delete needs --yes: refused, nothing sent (exit 4).
    let o = cli.run(&["images", "delete", "gold-2"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(private_image_named(&cli, "gold-2").is_some());
    // Delete by name and by id, once both are done.
    let o = cli.run(&["jobs", "list", "-o", "json"]);
    let open: Vec<String> = json(&o)
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["state"] != "succeeded" && t["state"] != "failed")
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    for t in open {
        let o = cli.run(&["jobs", "show", &t, "--wait"]);
        assert_eq!(code(&o), 0, "{}", text(&o));
    }
    assert_eq!(server_status(&cli, &off_id), "SHUTOFF");
    let slow_id = private_image_named(&cli, "slow").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let o = cli.run(&["images", "delete", "gold-2", &slow_id, "--yes", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        private_image_named(&cli, "gold-2").is_none()
            && private_image_named(&cli, "slow").is_none()
    );
}

#[test]
fn a_full_private_image_quota_is_refused_before_sending() {
    let sim = sim_process::start_with(100, 30, &["--image-quota", "0"]);
    let cli = Cli::new(sim.env());
    let (_, off) = server_with(&cli, "SHUTOFF");
    let before = sim.mutations();
    let o = cli.run(&[
        "images", "create", "--server", &off, "--name", "none", "--wait",
    ]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(
        text(&o).contains("quota is full") && text(&o).contains("nothing was sent"),
        "{}",
        text(&o)
    );
    assert_eq!(sim.mutations(), before);
    // Read-only refuses every image change, naming it.
    let o = cli.run(&[
        "--read-only",
        "images",
        "create",
        "--server",
        &off,
        "--name",
        "ro",
    ]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(
        text(&o).contains("read-only: refusing to image"),
        "{}",
        text(&o)
    );
    assert_eq!(sim.mutations(), before);
    // A name IMS does not take is refused the same way.
    let o = cli.run(&["images", "create", "--server", &off, "--name", "a/b"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("'/'"), "{}", text(&o));
}

#[test]
fn a_cli_killed_mid_image_is_reattached_at_the_image_and_sends_each_step_once() {
    let sim = sim_process::start(20, 30);
    let cli = Cli::new(sim.env());
    let (on_id, on) = server_with(&cli, "ACTIVE");
    let (img_posts, power_posts) = (
        sim.posts("/cloudimages/action"),
        sim.posts("/cloudservers/action"),
    );
    let mut child = cli
        .command(&[
            "images",
            "create",
            "--server",
            &on,
            "--name",
            "survivor",
            "--stop-first",
            "--yes",
            "--wait",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed (SIGKILL) once the journal shows the image step's IMS job.
    let deadline = Instant::now() + Duration::from_secs(60);
    let task = loop {
        assert!(Instant::now() < deadline, "no image job in the journal");
        let found = cli.journal().into_iter().rev().find_map(|l| {
            let t = &l["task"];
            (t["state"] == "running" && t["steps"][1]["job_id"].is_string())
                .then(|| t["id"].as_str().unwrap().to_owned())
        });
        if let Some(t) = found {
            break t;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let done = json(&cli.run(&["jobs", "show", &task, "--wait", "-o", "json"]));
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(sim.posts("/cloudimages/action") - img_posts, 1, "one image");
    assert_eq!(
        sim.posts("/cloudservers/action") - power_posts,
        2,
        "one stop, one start"
    );
    assert_eq!(server_status(&cli, &on_id), "ACTIVE");
    assert_eq!(
        private_image_named(&cli, "survivor").unwrap()["status"],
        "active"
    );
}
