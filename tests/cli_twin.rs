//! The CLI twin (issue 20) through the real binary against `hvecs sim` run as a separate process:
//! every format and `--query` on servers, images, disks and snapshots (lists and shows); names
//! for `servers create`'s image, flavor, VPC, subnet, key pair and AZ, and a name two images
//! share; `--wait --timeout`; completion of a server-name prefix from the names a list kept.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::cli_env::{Cli, code, text};
use support::sim_process;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `hvecs ARGS`, which must succeed; its stdout.
fn ok(cli: &Cli, args: &[&str]) -> String {
    let o = cli.run(args);
    assert_eq!(code(&o), 0, "{args:?}: {}", text(&o));
    stdout(&o)
}

fn json(cli: &Cli, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["-o", "json"]);
    serde_json::from_str(&ok(cli, &a)).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Each list in every format agrees with its JSON: ndjson the same items one a line, tsv a
/// header and a row per item with the same number of fields, `--no-headers` the rows alone,
/// table the console's columns and wide more; `--query` searches the JSON form.
fn check_list(cli: &Cli, list: &[&str], wide_only: &str) {
    let items = json(cli, list);
    let items = items.as_array().unwrap();
    assert!(!items.is_empty(), "{list:?} lists something");
    let with = |fmt: &[&str]| {
        let mut a = list.to_vec();
        a.extend(fmt);
        ok(cli, &a)
    };
    let nd: Vec<Value> = with(&["-o", "ndjson"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&nd, items, "{list:?}: ndjson holds the same items");
    let tsv = with(&["-o", "tsv"]);
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), items.len() + 1, "{list:?}: {tsv}");
    assert!(lines[0].starts_with("NAME\t"), "{tsv}");
    assert!(
        lines[0].contains(wide_only),
        "tsv has every column: {}",
        lines[0]
    );
    let fields = lines[0].split('\t').count();
    assert!(
        lines.iter().all(|l| l.split('\t').count() == fields),
        "{tsv}"
    );
    let bare = with(&["-o", "tsv", "--no-headers"]);
    assert_eq!(bare.lines().count(), items.len(), "{bare}");
    assert_eq!(bare, lines[1..].join("\n") + "\n");
    let table = with(&[]);
    let head = table.lines().next().unwrap();
    assert!(head.starts_with("NAME") && head.contains(" ID"), "{head}");
    assert!(!head.contains(wide_only), "{head}");
    assert_eq!(table.lines().count(), items.len() + 1, "{table}");
    let no_head = with(&["--no-headers"]);
    assert_eq!(no_head.lines().count(), items.len(), "{no_head}");
    let wide = with(&["-o", "wide"]);
    assert!(wide.lines().next().unwrap().contains(wide_only), "{wide}");
    // --query: JMESPath over the JSON form, in every format.
    let ids: Vec<Value> = items.iter().map(|i| i["id"].clone()).collect();
    let q = with(&["--query", "[].id", "-o", "json"]);
    assert_eq!(
        serde_json::from_str::<Value>(&q).unwrap(),
        Value::Array(ids)
    );
    let n = with(&["--query", "length(@)", "-o", "tsv"]);
    assert_eq!(n.trim(), items.len().to_string());
    let first = items[0]["name"].as_str().unwrap();
    let named = with(&["--query", "[0].{name: name, id: id}"]);
    assert!(named.contains(first), "{named}");
    let rows = with(&["--query", "[].{n: name}", "-o", "table"]);
    assert!(
        rows.starts_with("N\n"),
        "an array of objects is a table: {rows}"
    );
    let bad = cli.run(&[list, &["--query", "[?"]].concat());
    assert_eq!(code(&bad), 2, "{}", text(&bad));
}

/// A show in every format: its JSON, one ndjson line, a tsv header and row, `--query`.
fn check_show(cli: &Cli, show: &[&str], id: &str) {
    let v = json(cli, show);
    assert_eq!(v["id"], id, "{show:?}");
    let with = |fmt: &[&str]| ok(cli, &[show, fmt].concat());
    let nd = with(&["-o", "ndjson"]);
    assert_eq!(nd.lines().count(), 1, "{nd}");
    assert_eq!(serde_json::from_str::<Value>(&nd).unwrap(), v);
    let tsv = with(&["-o", "tsv"]);
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 2, "{tsv}");
    assert!(
        lines[0].starts_with("name\tid\t") && lines[1].contains(id),
        "{tsv}"
    );
    assert_eq!(
        with(&["-o", "tsv", "--no-headers"]),
        format!("{}\n", lines[1])
    );
    assert!(with(&[]).contains(id));
    assert_eq!(with(&["--query", "id", "-o", "tsv"]), format!("{id}\n"));
}

#[test]
fn every_format_and_query_on_servers_images_disks_and_snapshots() {
    let sim = sim_process::start(50, 12);
    let cli = Cli::new(sim.env());
    check_list(&cli, &["servers", "list"], "IMAGE ID");
    check_list(&cli, &["images", "list"], "PLATFORM");
    check_list(&cli, &["disks", "list"], "SERVER ID");
    check_list(&cli, &["snapshots", "list", "--each"], "DISK ID");
    // The sets' list (one row a set): the same formats.
    let sets = json(&cli, &["snapshots", "list"]);
    let nd: Vec<Value> = ok(&cli, &["snapshots", "list", "-o", "ndjson"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&Value::Array(nd), &sets, "ndjson holds the same sets");
    let tsv = ok(&cli, &["snapshots", "list", "-o", "tsv"]);
    assert!(
        tsv.starts_with("SET\t") && tsv.contains("SERVER ID"),
        "{tsv}"
    );
    assert_eq!(
        tsv.lines().count(),
        sets.as_array().unwrap().len() + 1,
        "{tsv}"
    );
    let q = ok(
        &cli,
        &["snapshots", "list", "-o", "json", "--query", "[].set"],
    );
    let q: Value = serde_json::from_str(&q).unwrap();
    assert_eq!(q.as_array().unwrap().len(), sets.as_array().unwrap().len());
    let server = &json(&cli, &["servers", "list"])[0];
    let image = &json(&cli, &["images", "list"])[0];
    let disk = &json(&cli, &["disks", "list"])[0];
    let snapshot = &json(&cli, &["snapshots", "list", "--each"])[0];
    for (show, v) in [
        (["servers", "show"], server),
        (["images", "show"], image),
        (["disks", "show"], disk),
        (["snapshots", "show"], snapshot),
    ] {
        let id = v["id"].as_str().unwrap();
        let name = v["name"].as_str().unwrap();
        check_show(&cli, &[show[0], show[1], id], id);
        check_show(&cli, &[show[0], show[1], name], id);
    }
    // Names, not only ids: a disk's server and a snapshot's disk by name in the table.
    let disks = json(&cli, &["disks", "list"]);
    let attached = disks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["attachments"][0]["server_id"].is_string())
        .expect("an attached disk");
    let sid = attached["attachments"][0]["server_id"].as_str().unwrap();
    let sname = json(&cli, &["servers", "show", sid])["name"].clone();
    let table = ok(&cli, &["disks", "list", "--server", sid]);
    assert!(table.contains(sname.as_str().unwrap()), "{table}");
    assert!(!table.contains(sid), "the server by its name: {table}");
    let snap_disk = snapshot["volume_id"].as_str().unwrap();
    let dname = json(&cli, &["disks", "show", snap_disk])["name"].clone();
    let table = ok(&cli, &["snapshots", "list", "--each"]);
    assert!(table.contains(dname.as_str().unwrap()), "{table}");
    // Flavors: RAM in GB, the name first.
    let flavors = ok(&cli, &["flavors", "list"]);
    assert!(
        flavors.starts_with("NAME") && flavors.contains(" GB"),
        "{flavors}"
    );
    let ram = ok(&cli, &["flavors", "list", "-o", "wide", "--no-headers"]);
    assert!(
        ram.lines()
            .all(|l| l.trim_end().ends_with(".0") || l.contains('.')),
        "{ram}"
    );
}

/// The first VPC (name, id) that has a subnet (name) serving `az`, from `networks list`.
fn network(cli: &Cli, az: &str) -> (String, String, String) {
    let nets = json(cli, &["networks", "list"]);
    for s in nets["subnets"].as_array().unwrap() {
        let zone = s["availability_zone"].as_str().unwrap_or("");
        if zone.is_empty() || zone == az {
            let vpc_id = s["vpc_id"].as_str().unwrap();
            let vpc = nets["vpcs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["id"] == vpc_id)
                .unwrap();
            return (
                vpc["name"].as_str().unwrap().to_owned(),
                vpc_id.to_owned(),
                s["name"].as_str().unwrap().to_owned(),
            );
        }
    }
    panic!("no subnet serves {az}");
}

#[test]
fn create_takes_names_and_prints_the_new_servers() {
    let sim = sim_process::start(50, 6);
    let cli = Cli::new(sim.env());
    let az = json(&cli, &["azs", "list"])[0]["zoneName"]
        .as_str()
        .unwrap()
        .to_owned();
    let (vpc, vpc_id, subnet) = network(&cli, &az);
    let image = json(&cli, &["images", "list", "--type", "public"])[0].clone();
    let image_name = image["name"].as_str().unwrap().to_owned();
    // Flavors with the RAM the image needs, on sale in the AZ.
    let fits = json(
        &cli,
        &[
            "flavors",
            "list",
            "--az",
            &az,
            "--query",
            &format!("[?ram >= `{}`]", image["min_ram"].as_u64().unwrap_or(0)),
        ],
    );
    let flavor = fits[0].clone();
    let flavor_name = flavor["name"].as_str().unwrap().to_owned();
    let o = cli.run(&["servers", "create"]);
    assert_eq!(code(&o), 2, "flags are needed");
    let named = |name: &str, image: &str| {
        vec![
            "servers".to_owned(),
            "create".into(),
            "--name".into(),
            name.into(),
            "--image".into(),
            image.into(),
            "--flavor".into(),
            flavor_name.clone(),
            "--vpc".into(),
            vpc.clone(),
            "--subnet".into(),
            subnet.clone(),
            "--az".into(),
            az.clone(),
        ]
    };
    // A key pair nobody has: exit 3, nothing sent, and the error names those there are.
    let before = sim.mutations();
    let mut args = named("by-name", &image_name);
    let mut no_key = args.clone();
    no_key.extend(["--key-pair".into(), "no-such-key".into()]);
    let refs: Vec<&str> = no_key.iter().map(String::as_str).collect();
    let o = cli.run(&refs);
    assert_eq!(code(&o), 3, "{}", text(&o));
    let err = text(&o);
    let key = err
        .split("there are: ")
        .nth(1)
        .and_then(|rest| rest.split([',', '\n']).next())
        .unwrap_or_else(|| panic!("the key pairs there are: {err}"))
        .trim()
        .to_owned();
    assert_eq!(sim.mutations(), before, "nothing sent");
    // Every flag by name; the new server's id and name in every format.
    let mut with_key = args.clone();
    with_key.extend(["--key-pair".into(), key.clone()]);
    with_key.extend(["--wait".into(), "-o".into(), "json".into()]);
    let refs: Vec<&str> = with_key.iter().map(String::as_str).collect();
    let task: Value = serde_json::from_str(&ok(&cli, &refs)).unwrap();
    assert_eq!(task["state"], "succeeded", "{task}");
    let made = task["servers"].as_array().unwrap();
    assert_eq!(made.len(), 1, "{task}");
    assert_eq!(made[0]["name"], "by-name");
    let id = made[0]["id"].as_str().unwrap();
    let server = json(&cli, &["servers", "show", id]);
    assert_eq!(server["name"], "by-name");
    assert_eq!(server["flavor"]["id"], flavor["id"]);
    assert_eq!(server["image"]["id"], image["id"]);
    assert_eq!(server["metadata"]["vpc_id"], vpc_id.as_str());
    assert_eq!(server["OS-EXT-AZ:availability_zone"], az.as_str());
    assert_eq!(server["key_name"], key.as_str());
    for (fmt, check) in [
        ("tsv", "\tby-tsv\n"),
        ("table", "server by-table "),
        ("ndjson", "\"name\":\"by-ndjson\""),
    ] {
        let name = format!("by-{fmt}");
        let mut a = named(&name, &image_name);
        a.extend(["-o".into(), fmt.into()]);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = ok(&cli, &refs);
        let check = check.replace("by-tsv", &name);
        assert!(out.contains(&check), "{fmt}: {out}");
    }
    // A name nothing has: the error says what there is; exit 3, nothing sent.
    let before = sim.mutations();
    assert_eq!(args[8], "--vpc");
    args[9] = "no-such-vpc".into();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = cli.run(&refs);
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert_eq!(sim.mutations(), before, "nothing sent");
    assert!(
        text(&o).contains("no VPC has the id or name \"no-such-vpc\""),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains(&vpc), "the choices: {}", text(&o));
    // A name two images share (a private image named as the public one): exit 2, both listed.
    let before_image = sim.mutations();
    ok(
        &cli,
        &[
            "images",
            "create",
            "--server",
            id,
            "--name",
            &image_name,
            "--stop-first",
            "--yes",
        ],
    );
    assert!(sim.mutations() > before_image);
    let twin = named("twin", &image_name);
    let refs: Vec<&str> = twin.iter().map(String::as_str).collect();
    let mutations = sim.mutations();
    let o = cli.run(&refs);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let err = text(&o);
    assert!(err.contains("2 images are named"), "{err}");
    assert!(err.contains(image["id"].as_str().unwrap()), "{err}");
    assert_eq!(sim.mutations(), mutations, "nothing sent");
    // The same with ids: the public image's id picks it.
    let twin = named("twin", image["id"].as_str().unwrap());
    let refs: Vec<&str> = twin.iter().map(String::as_str).collect();
    ok(&cli, &refs);
    // A resize by the flavor's name.
    let other = fits[1]["name"].as_str().unwrap().to_owned();
    let o = cli.run(&["servers", "resize", id, "--flavor", "nope", "--with-stop"]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    ok(
        &cli,
        &[
            "servers",
            "resize",
            id,
            "--flavor",
            &other,
            "--with-stop",
            "--dry-run",
        ],
    );
}

#[test]
fn wait_with_a_timeout_leaves_the_task_to_the_cloud() {
    // Slow jobs: a create takes longer than the timeout.
    let sim = sim_process::start(1, 12);
    let cli = Cli::new(sim.env());
    let on = json(&cli, &["servers", "list", "--status", "ACTIVE"])[0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let o = cli.run(&["servers", "stop", &on, "--yes", "--timeout", "2s"]);
    assert_eq!(code(&o), 2, "--timeout needs --wait: {}", text(&o));
    let o = cli.run(&[
        "servers",
        "stop",
        &on,
        "--yes",
        "--wait",
        "--timeout",
        "soon",
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let started = std::time::Instant::now();
    let o = cli.run(&["servers", "stop", &on, "--yes", "--wait", "--timeout", "1s"]);
    assert_eq!(code(&o), 5, "{}", text(&o));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let err = text(&o);
    assert!(err.contains("still running after 1s"), "{err}");
    assert!(
        err.contains("goes on in the cloud") && err.contains("jobs show"),
        "{err}"
    );
    let jobs = json(&cli, &["jobs", "list"]);
    let task = jobs.as_array().unwrap().last().unwrap();
    assert_eq!(task["state"], "unfollowed", "{task}");
    // Followed again for a while (a soft stop takes 5 s at least here), then to its end.
    let id = task["id"].as_str().unwrap();
    let o = cli.run(&["jobs", "show", id, "--wait", "--timeout", "1s"]);
    assert_eq!(code(&o), 5, "{}", text(&o));
    assert!(text(&o).contains("still running after 1s"), "{}", text(&o));
    ok(&cli, &["jobs", "show", id, "--wait"]);
    assert_eq!(json(&cli, &["servers", "show", &on])["status"], "SHUTOFF");
}

/// The completions the shell's script would get for `words` (the last one is being typed).
fn complete(cli: &Cli, shell: &str, words: &[&str]) -> Vec<String> {
    let mut c = cli.command(&[&["--"], words].concat());
    c.env("COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "true")
        .env("_CLAP_IFS", "\n");
    let o = c.output().unwrap();
    assert_eq!(code(&o), 0, "{}", text(&o));
    stdout(&o)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn server_names_complete_from_the_last_list() {
    let sim = sim_process::start(50, 30);
    let cli = Cli::new(sim.env());
    let names: Vec<String> = json(&cli, &["servers", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    // That list kept the names it printed (as JSON too).
    let prefix = &names[0][..names[0].len() - 2];
    let mut want: Vec<&String> = names.iter().filter(|n| n.starts_with(prefix)).collect();
    want.sort();
    // No call to the cloud while completing: the simulator sees no request but its stats'.
    let calls = || -> u64 {
        sim.stats()["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["route"].as_str().unwrap().starts_with("/_sim"))
            .map(|r| r["count"].as_u64().unwrap())
            .sum()
    };
    let requests = calls();
    for shell in ["bash", "fish", "zsh"] {
        let mut got = complete(&cli, shell, &["hvecs", "servers", "show", prefix]);
        got.sort();
        assert_eq!(got.iter().collect::<Vec<_>>(), want, "{shell}");
    }
    let got = complete(&cli, "bash", &["hvecs", "servers", "stop", "--yes", prefix]);
    assert_eq!(got.len(), want.len(), "{got:?}");
    assert_eq!(calls(), requests, "completion calls nothing");
    // Regions once listed; disks; the registration scripts.
    ok(&cli, &["regions", "list"]);
    let regions = complete(&cli, "bash", &["hvecs", "servers", "list", "--region", ""]);
    assert!(regions.contains(&sim.region), "{regions:?}");
    ok(&cli, &["disks", "list", "-o", "tsv"]);
    let disks = complete(&cli, "bash", &["hvecs", "disks", "show", ""]);
    assert!(!disks.is_empty());
    for shell in ["bash", "zsh", "fish"] {
        let script = ok(&cli, &["completions", shell]);
        assert!(script.contains("COMPLETE="), "{shell}: {script}");
    }
}
