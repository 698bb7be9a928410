//! Images from the console end to end: the real binary in a pseudo-terminal against
//! `hvecs sim --speed 50` run as a separate process (IMG.0008 for a running server, as older IMS
//! releases answer). `i` on a running server, stop-first accepted, the task seen going through
//! stop → image → start, the image `saving` then `active` in Images, a server made from it with
//! `c`, the image deleted with its name typed; each step checked over HTTP on the simulator. In
//! read-only `i`, `e` and `D` send nothing and say why.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::cli_env::{Cli, code, private_image_named, text};
use support::pty::Pty;
use support::sim_process;

const IMAGE: &str = "e2e-gold";
const SERVER: &str = "e2e-from-gold";

fn json(o: &std::process::Output) -> Value {
    assert_eq!(code(o), 0, "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn servers(cli: &Cli) -> Vec<Value> {
    json(&cli.run(&["servers", "list", "-o", "json"]))
        .as_array()
        .unwrap()
        .clone()
}

/// The table row that shows `name` (not the job strip's line).
fn row_of(screen: &str, name: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.contains("││") && l.split_whitespace().any(|w| w == name))
        .map(str::to_owned)
}

/// Watches the screen until the image task ends: the steps the strip showed running, in order,
/// and the statuses the image's row showed.
fn watch_image_task(p: &Pty) -> (Vec<&'static str>, Vec<&'static str>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let (mut steps, mut statuses) = (Vec::new(), Vec::new());
    loop {
        let s = p.screen();
        for (said, step) in [
            ("stop 1 server(s)", "stop"),
            (&*format!("make image {IMAGE}"), "image"),
            ("start 1 server(s)", "start"),
        ] {
            if s.contains(said) && steps.last() != Some(&step) && !steps.contains(&step) {
                steps.push(step);
            }
        }
        if let Some(r) = row_of(&s, IMAGE) {
            let st = ["saving", "active", "queued"]
                .into_iter()
                .find(|st| r.contains(st))
                .unwrap_or("?");
            if statuses.last() != Some(&st) {
                statuses.push(st);
            }
        }
        if s.contains("✓ image ") && s.contains(&format!("as {IMAGE}")) {
            // the strip says the task succeeded; the images are read again by themselves
            if statuses.last() == Some(&"active") {
                return (steps, statuses);
            }
        }
        assert!(!s.contains("✗ image"), "the image task failed:\n{s}");
        assert!(
            Instant::now() < deadline,
            "the image task did not end; steps {steps:?}, statuses {statuses:?}:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn image_a_running_server_stop_first_make_a_server_from_it_and_delete_it() {
    let sim = sim_process::start(50, 12);
    let cli = Cli::new(sim.env());
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    p.keys("/status:active");
    p.send(b"\r");
    let s = p.wait_text("filter \"status:active\"");
    let name = s
        .lines()
        .filter_map(|l| l.split_once("││").map(|(_, m)| m))
        .skip_while(|m| !m.contains("NAME"))
        .nth(1)
        .and_then(|m| m.trim_start_matches(['●', ' ']).split_whitespace().next())
        .expect("a running server listed")
        .to_owned();
    let server = servers(&cli)
        .into_iter()
        .find(|s| s["name"] == name.as_str())
        .unwrap();
    assert_eq!(server["status"], "ACTIVE");
    let server_id = server["id"].as_str().unwrap().to_owned();
    let before = sim.mutations();
    let (img_posts, power_posts) = (
        sim.posts("/cloudimages/action"),
        sim.posts("/cloudservers/action"),
    );

    // i: the form, the quota read and shown
    p.keys("i");
    p.wait_text(&format!("private image of {name} (running)"));
    p.wait_text("private images: ");
    p.send(b"\x15"); // Ctrl-u: the name typed anew
    p.keys(IMAGE);
    p.send(b"\t\t");
    p.keys("team=e2e");
    p.wait_for("the name and the tags typed", |s| {
        s.contains(IMAGE) && s.contains("team=e2e")
    });
    p.send(b"\r");
    // a running server: the offer, nothing sent yet
    p.wait_text("stop it first, then start it again when the image is done");
    assert_eq!(sim.mutations(), before, "nothing sent before the answer");
    p.keys("y");
    p.wait_text(&format!("as {IMAGE} (stop, image, start)"));
    // Images shown while it runs: the new image saving, then active, by itself
    p.keys("2");
    let (steps, statuses) = watch_image_task(&p);
    eprintln!("the strip showed the steps {steps:?}; the image's row {statuses:?}");
    assert!(steps.contains(&"image"), "{steps:?}");
    assert!(
        steps
            .windows(2)
            .all(|w| w != ["image", "stop"] && w != ["start", "image"]),
        "in order: {steps:?}"
    );
    assert_eq!(statuses.first(), Some(&"saving"), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&"active"), "{statuses:?}");
    // over HTTP: one stop, one image, one start; the server running again, the image active
    // and made from it
    assert_eq!(sim.posts("/cloudimages/action") - img_posts, 1);
    assert_eq!(
        sim.posts("/cloudservers/action") - power_posts,
        2,
        "one stop, one start"
    );
    let again = servers(&cli)
        .into_iter()
        .find(|s| s["id"] == server_id.as_str())
        .unwrap();
    assert_eq!(again["status"], "ACTIVE");
    let image = private_image_named(&cli, IMAGE).expect("the image is listed");
    assert_eq!(image["status"], "active");
    assert_eq!(image["__data_origin"], format!("instance,{server_id}"));
    let image_id = image["id"].as_str().unwrap().to_owned();
    // the task's steps in the Jobs pane, in order, each done
    p.keys("5");
    p.wait_for("the task in Jobs", |s| {
        s.lines()
            .any(|l| l.contains(&format!("as {IMAGE}")) && l.contains("succeeded"))
    });
    p.send(b"\r");
    let s = p.wait_text("step 3 of 3");
    let at = |t: &str| s.find(t).unwrap_or_else(|| panic!("{t:?} not in:\n{s}"));
    assert!(
        at("step 1 of 3: stop") < at("step 2 of 3: make image"),
        "{s}"
    );
    assert!(
        at("step 2 of 3: make image") < at("step 3 of 3: start"),
        "{s}"
    );
    p.send(b"\x1b");

    // the image's describe: its server, type private
    p.keys("2");
    p.keys(&format!("/{IMAGE}"));
    p.send(b"\r");
    p.wait_for("the image alone", |s| row_of(s, IMAGE).is_some());
    p.send(b"\r");
    let s = p.wait_text("from server");
    assert!(
        s.lines()
            .any(|l| l.contains("from server") && l.contains(&name)),
        "{s}"
    );
    assert!(s.contains("Servers made from it (0 of"), "{s}");
    p.send(b"\x1b");

    // c: a server made from it
    p.keys("c");
    p.wait_text("quota left");
    p.keys(SERVER);
    // the flavor (two lines down): the next one until it has the RAM the image needs
    p.send(b"\t\t");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let s = p.screen();
        let flavor = s
            .lines()
            .find(|l| l.contains(" flavor "))
            .unwrap_or_default();
        if flavor.contains('✓') {
            break;
        }
        assert!(Instant::now() < deadline, "no flavor fits:\n{s}");
        p.send(b"\x1b[C");
    }
    for _ in 0..9 {
        p.send(b"\t");
    }
    p.keys("Ops-2026!x");
    let s = p.wait_for("every field valid", |s| {
        s.contains("**********") && !s.contains('✗')
    });
    assert!(s.contains(IMAGE), "the image is chosen: {s}");
    p.send(b"\r");
    p.wait_for("the create to end", |s| {
        s.contains(&format!("✓ create {SERVER}")) || s.contains(&format!("✗ create {SERVER}"))
    });
    let made = servers(&cli)
        .into_iter()
        .find(|s| s["name"] == SERVER)
        .expect("the new server is listed");
    assert_eq!(made["image"]["id"], image_id.as_str(), "{made}");

    // D: the dialog counts the server made from it (the create's end read the servers again;
    // until that answer comes the dialog is closed and opened again)
    let deleted_before = sim.mutations();
    let deadline = Instant::now() + Duration::from_secs(60);
    let s = loop {
        p.keys("D");
        let s = p.wait_text("type the image's name");
        if s.contains("1 of the") {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the new server never counted:\n{s}"
        );
        p.send(b"\x1b");
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(s.contains(SERVER), "{s}");
    assert_eq!(sim.mutations(), deleted_before, "the dialog sent nothing");
    p.keys(IMAGE);
    p.send(b"\r");
    p.wait_for("the delete to end", |s| {
        s.contains(&format!("✓ delete image {IMAGE}"))
    });
    p.wait_for("the image's row to go by itself", |s| {
        row_of(s, IMAGE).is_none()
    });
    assert!(
        private_image_named(&cli, IMAGE).is_none(),
        "deleted on the simulator"
    );
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn in_read_only_i_e_and_d_send_nothing_and_say_why() {
    let sim = sim_process::start(50, 12);
    let mut p = sim.console(&["--read-only"]);
    p.wait_text("[READ-ONLY]");
    p.wait_text("ACTIVE");
    let before = sim.stats();
    p.keys("i");
    let s = p.wait_text("read-only: refusing to make an image of");
    assert!(!s.contains("private image of"), "no form opens: {s}");
    p.keys("2");
    p.keys("/type:private");
    p.send(b"\r");
    p.wait_for("the private images", |s| {
        s.contains("golden-win2019") && !s.contains("CentOS")
    });
    p.keys("e");
    p.wait_text("read-only: refusing to rename image golden-win2019");
    p.keys("D");
    let s = p.wait_text("read-only: refusing to delete image golden-win2019");
    assert!(!s.contains("type the image's name"), "no dialog: {s}");
    let after = sim.stats();
    assert_eq!(
        after["mutations"], before["mutations"],
        "read-only sent nothing"
    );
    let changes = |v: &Value| -> u64 {
        v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] != "GET")
            .map(|r| r["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(changes(&after), changes(&before), "no request but reads");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn imaged_running_the_platform_refuses_it_and_the_console_says_how_to_stop_it_first() {
    let sim = sim_process::start(50, 12);
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    p.keys("/status:active");
    p.send(b"\r");
    p.wait_text("filter \"status:active\"");
    let before = sim.posts("/cloudservers/action");
    p.keys("i");
    p.wait_text("(running)");
    p.send(b"\r");
    p.wait_text("stop it first, then start it again when the image is done");
    p.keys("n");
    let s = p.wait_text("and y stops it first");
    assert!(s.contains("IMG.0008"), "{s}");
    assert_eq!(
        sim.posts("/cloudservers/action"),
        before,
        "no stop was sent"
    );
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
