//! The real `hvecs` binary against `hvecs sim` on 127.0.0.1: the read commands with `-o table`
//! and `-o json`, name-or-id targets and ambiguity, `doctor` passing and failing, exit codes.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use std::time::Duration;

use hvecs::config::{Connection, Credentials, ServiceUrls, Transport, UrlTemplate};
use hvecs::gateway::{Gateway, GatewayOptions, ImageFilter, ServerFilter, ServerSpec};
use hvecs::sim::{SimHandle, SimOptions};

struct Env {
    _dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

fn env_for(h: &SimHandle, sk: Option<&str>, endpoint: Option<&str>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let c = h.credentials();
    let vars = vec![
        (
            "HVECS_ENDPOINT".to_owned(),
            endpoint.map(str::to_owned).unwrap_or_else(|| h.base_url()),
        ),
        ("HVECS_REGION".to_owned(), h.regions()[0].name.clone()),
        ("HVECS_AK".to_owned(), c.ak.clone()),
        (
            "HVECS_SK".to_owned(),
            sk.unwrap_or(c.sk.expose()).to_owned(),
        ),
        (
            "XDG_CONFIG_HOME".to_owned(),
            dir.path().join("config").display().to_string(),
        ),
        (
            "XDG_STATE_HOME".to_owned(),
            dir.path().join("state").display().to_string(),
        ),
        (
            "XDG_DATA_HOME".to_owned(),
            dir.path().join("data").display().to_string(),
        ),
    ];
    Env { _dir: dir, vars }
}

fn hvecs(env: &Env, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hvecs"));
    for v in hvecs::config::ENV_VARIABLES {
        cmd.env_remove(v);
    }
    cmd.env_remove("COLUMNS").env("NO_COLOR", "1");
    cmd.envs(env.vars.iter().map(|(k, v)| (k, v)))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn sim() -> SimHandle {
    hvecs::sim::start(SimOptions {
        servers: 30,
        speed: 1000.0,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn gateway(h: &SimHandle) -> Gateway {
    let c = h.credentials();
    let conn = Connection {
        profile: "t".into(),
        urls: ServiceUrls::all(UrlTemplate::parse(&h.base_url()).unwrap()),
        region: h.regions()[0].name.clone(),
        credentials: Credentials::AkSk {
            ak: c.ak.clone(),
            sk: c.sk.clone(),
        },
        projects: Default::default(),
        read_only: false,
        transport: Transport {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            ..Transport::default()
        },
    };
    Gateway::new(&conn, GatewayOptions::default()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_list_as_table_and_json_and_show_by_name_or_id() {
    let h = sim().await;
    let env = env_for(&h, None, None);
    let expected = gateway(&h)
        .list_servers(&ServerFilter::default())
        .await
        .unwrap();

    let out = hvecs(&env, &["servers", "list", "-o", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), expected.len());
    assert!(
        list[0].get("OS-EXT-STS:vm_state").is_some(),
        "not the API's objects"
    );

    let out = hvecs(&env, &["servers", "list"]);
    assert!(out.status.success());
    let table = text(&out.stdout);
    assert!(table.starts_with("NAME "), "{table}");
    assert!(table.contains(&expected[0].name) && table.contains(&expected[0].id));
    assert!(!table.contains('\x1b'), "colour on a pipe");
    assert_eq!(table.lines().count(), expected.len() + 1);

    let target = &expected[3];
    let out = hvecs(&env, &["servers", "show", &target.name]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("id  ") && shown.contains(&target.id),
        "{shown}"
    );
    let out = hvecs(&env, &["servers", "show", &target.id, "-o", "json"]);
    let obj: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(obj["name"], target.name.as_str());

    let status = target.status.to_string();
    let out = hvecs(
        &env,
        &[
            "servers",
            "list",
            "--status",
            &status,
            "--az",
            &target.availability_zone,
            "-o",
            "json",
        ],
    );
    let some: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        some.iter()
            .all(|s| s["OS-EXT-AZ:availability_zone"] == target.availability_zone.as_str())
    );
    assert!(some.iter().any(|s| s["id"] == target.id.as_str()));

    let out = hvecs(&env, &["servers", "show", "no-such-server"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("no server has the id or name \"no-such-server\""));
}

/// Makes a server through the API and waits for its job.
async fn create(g: &Gateway, name: &str) {
    let images = g.list_images(&ImageFilter::default()).await.unwrap();
    let image = images.iter().find(|i| i.status == "active").unwrap();
    let az = g.list_azs().await.unwrap()[0].name.clone();
    let flavors = g.list_flavors(Some(&az)).await.unwrap();
    let flavor = flavors
        .iter()
        .find(|f| f.on_sale_in(&az) && f.ram >= image.min_ram)
        .unwrap();
    let subnets = g.list_subnets(None).await.unwrap();
    let subnet = subnets.iter().find(|s| s.serves(&az)).unwrap();
    let spec = ServerSpec {
        name: name.into(),
        image_id: image.id.clone(),
        flavor_id: flavor.id.clone(),
        vpc_id: subnet.vpc_id.clone(),
        subnet_ids: vec![subnet.id.clone()],
        root_volume_type: "SAS".into(),
        root_volume_size: Some(image.min_disk.max(40)),
        availability_zone: Some(az),
        ..Default::default()
    };
    let token = uuid::Uuid::new_v4().to_string();
    let job = g
        .create_servers(&spec, &token, false)
        .await
        .unwrap()
        .job_id
        .unwrap();
    for _ in 0..200 {
        let j = g.show_job(hvecs::config::Service::Ecs, &job).await.unwrap();
        if !j.status.is_pending() {
            assert!(j.status.is_success(), "{:?}", j.failure());
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {job} did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ambiguous_name_lists_the_matches() {
    let h = sim().await;
    let g = gateway(&h);
    create(&g, "twin").await;
    create(&g, "twin").await;
    let env = env_for(&h, None, None);
    let out = hvecs(&env, &["servers", "show", "twin"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("2 servers are named \"twin\""), "{err}");
    let twins = g
        .list_servers(&ServerFilter {
            name: Some("twin".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    for t in twins.iter().filter(|s| s.name == "twin") {
        assert!(err.contains(&t.id), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_list_command_answers() {
    let h = sim().await;
    let env = env_for(&h, None, None);
    // A snapshot, so that the snapshot list has something to show.
    let g = gateway(&h);
    let disk = g.list_disks(None).await.unwrap().remove(0);
    g.create_snapshot(&hvecs::gateway::SnapshotSpec {
        volume_id: disk.id.clone(),
        name: "cli-snap".into(),
        force: true,
        ..Default::default()
    })
    .await
    .unwrap();
    for (args, header) in [
        (&["regions", "list"][..], "ID"),
        (&["azs", "list"][..], "NAME"),
        (&["flavors", "list"][..], "NAME"),
        (&["networks", "list"][..], "VPC"),
        (&["quotas", "list"][..], "RESOURCE"),
        (&["images", "list"][..], "NAME"),
        (&["snapshots", "list"][..], "SET"),
        (&["snapshots", "list", "--each"][..], "NAME"),
        (&["disks", "list"][..], "NAME"),
    ] {
        let out = hvecs(&env, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let t = text(&out.stdout);
        assert!(t.starts_with(header), "{args:?}: {t}");
        assert!(t.lines().count() >= 2, "{args:?} listed nothing: {t}");
        let mut json_args = args.to_vec();
        json_args.extend(["-o", "json"]);
        let out = hvecs(&env, &json_args);
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
    let server = &g.list_servers(&ServerFilter::default()).await.unwrap()[0];
    let out = hvecs(
        &env,
        &["disks", "list", "--server", &server.name, "-o", "json"],
    );
    let disks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!disks.is_empty());
    assert!(
        disks
            .iter()
            .all(|d| d["attachments"][0]["server_id"] == server.id.as_str())
    );
    let image = &g.list_images(&ImageFilter::default()).await.unwrap()[0];
    let out = hvecs(&env, &["images", "show", &image.id]);
    assert!(text(&out.stdout).contains(&image.name));
    let out = hvecs(&env, &["snapshots", "show", "cli-snap", "-o", "json"]);
    let snap: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(snap["volume_id"], disk.id.as_str());
}

/// The implicit profile: the environment alone, with and without a project id (without one,
/// the project is looked up from the region), with AK/SK and with a password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_implicit_profile_from_the_environment() {
    let h = sim().await;
    let expected = gateway(&h)
        .list_servers(&ServerFilter::default())
        .await
        .unwrap()
        .len();
    for with_project in [false, true] {
        let mut env = env_for(&h, None, None);
        if with_project {
            env.vars
                .push(("HVECS_PROJECT_ID".into(), h.regions()[0].project_id.clone()));
        }
        let trace = env._dir.path().join("trace.jsonl");
        let out = hvecs(
            &env,
            &[
                "servers",
                "list",
                "-o",
                "json",
                "--trace-http",
                trace.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(list.len(), expected);
        let traced = std::fs::read_to_string(&trace).unwrap();
        assert_eq!(
            traced.contains("/v3/projects?name="),
            !with_project,
            "{traced}"
        );
        assert!(traced.contains(&h.regions()[0].project_id));
        assert!(
            !traced.contains(h.credentials().sk.expose()),
            "the SK reached the trace"
        );
    }
    let c = h.credentials();
    let mut env = env_for(&h, None, None);
    env.vars.retain(|(k, _)| k != "HVECS_AK" && k != "HVECS_SK");
    env.vars.push(("HVECS_USERNAME".into(), c.user.clone()));
    env.vars
        .push(("HVECS_PASSWORD".into(), c.password.expose().to_owned()));
    env.vars.push(("HVECS_DOMAIN".into(), c.domain.clone()));
    let out = hvecs(&env, &["servers", "list", "-o", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_passes_on_a_good_profile_and_names_what_fails() {
    let h = sim().await;
    let out = hvecs(&env_for(&h, None, None), &["doctor"]);
    let report = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{report}\n{}",
        text(&out.stderr)
    );
    for check in [
        "config", "dns", "tcp", "auth", "clock", "project", "api iam", "api ecs", "api ims",
        "api evs", "api vpc",
    ] {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with("ok") && l.contains(check)),
            "{check} missing: {report}"
        );
    }
    assert!(report.contains("checks passed"));

    let out = hvecs(&env_for(&h, Some("not-the-secret-key"), None), &["doctor"]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{report}");
    let auth = report.lines().find(|l| l.contains("auth")).unwrap();
    assert!(
        auth.starts_with("FAIL") && auth.contains("rejected the AK/SK signature"),
        "{auth}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("ok") && l.contains("tcp")),
        "{report}"
    );

    // Nothing listens on this port.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = hvecs(
        &env_for(&h, None, Some(&format!("http://{free}"))),
        &["doctor"],
    );
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("tcp")),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_gateway_is_exit_3_with_one_clear_line() {
    let h = sim().await;
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut env = env_for(&h, None, Some(&format!("http://{free}")));
    env.vars
        .push(("HVECS_PROJECT_ID".into(), h.regions()[0].project_id.clone()));
    let out = hvecs(&env, &["azs", "list"]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot connect to") && err.contains("client request id"),
        "{err}"
    );
}
