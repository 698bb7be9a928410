//! 2xx answers that do not have the documented shape (issue 14, fault 3): each is an error that
//! names the call, the request id and what was wrong, never an empty list. The CLI exits 3.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;
use std::time::Duration;

use hvecs::config::Connection;
use hvecs::gateway::{ErrorKind, Gateway, GatewayOptions, RetryPolicy, ServerFilter};
use support::raw_http::{self, Reply};

const P: &str = support::PROJECT;

fn conn(url: &str) -> Connection {
    support::signed_connection(url)
}

fn gateway(url: &str) -> Gateway {
    let retry = RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::from_millis(5),
        throttle_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(5),
        max_total: Duration::from_secs(5),
    };
    let opts = GatewayOptions {
        retry,
        ..Default::default()
    };
    Gateway::new(&conn(url), opts).unwrap()
}

fn deep(levels: usize) -> String {
    format!(
        r#"{{"count":1,"servers":[{{"id":"s-1","name":"a","metadata":{}1{}}}]}}"#,
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

/// Bodies of a 200 answer to the server list, and what the error must say.
fn bad_bodies() -> Vec<(Vec<u8>, &'static str)> {
    let mut not_utf8 = br#"{"count":1,"servers":[{"id":"s-1","name":"web-"#.to_vec();
    not_utf8.extend_from_slice(&[0xff, 0xfe]);
    not_utf8.extend_from_slice(br#""}]}"#);
    vec![
        (b"{}".to_vec(), "no `servers` list"),
        (
            br#"{"count":0,"servers":null}"#.to_vec(),
            "`servers` is null, not a list",
        ),
        (
            br#"{"servers":{}}"#.to_vec(),
            "`servers` is an object, not a list",
        ),
        (
            br#"{"servers":"none"}"#.to_vec(),
            "`servers` is a string, not a list",
        ),
        (b"[]".to_vec(), "the body is a list, not an object"),
        (b"".to_vec(), "the body is empty"),
        (
            br#"{"count":3,"servers":[{"id":"s-1"},1,"x"]}"#.to_vec(),
            "2 of 3 rows could not be read: row 2: ",
        ),
        (
            br#"{"count":2,"servers":[{"id":"s-1"},{"name":"no id"}]}"#.to_vec(),
            "1 of 2 rows could not be read: row 2: it has no id",
        ),
        (not_utf8, "invalid unicode"),
        (deep(2000).into_bytes(), "recursion limit"),
        (
            br#"{"count":1e999,"servers":[{"id":"s-1"}]}"#.to_vec(),
            "number out of range",
        ),
    ]
}

#[tokio::test]
async fn a_server_list_of_the_wrong_shape_is_an_error_naming_call_request_and_why() {
    for (body, why) in bad_bodies() {
        let b = body.clone();
        let srv = raw_http::start(move |_, _| Reply::Bytes {
            status: 200,
            body: b.clone(),
        })
        .await;
        let gw = gateway(&srv.url("http"));
        let shown = String::from_utf8_lossy(&body)
            .chars()
            .take(60)
            .collect::<String>();
        for got in [
            gw.list_servers(&ServerFilter::default())
                .await
                .map(|v| v.len()),
            gw.list_servers_raw(&ServerFilter::default())
                .await
                .map(|v| v.len()),
        ] {
            let e = got.expect_err(&format!("{shown}: not an error"));
            assert!(
                matches!(e.kind, ErrorKind::BadBody { status: 200, .. }),
                "{shown}: {e:?}"
            );
            let text = e.to_string();
            assert!(text.starts_with("ECS list servers: "), "{shown}: {text}");
            assert!(text.contains(why), "{shown}: {text}");
            assert!(text.contains("request id req"), "{shown}: {text}");
        }
    }
}

#[tokio::test]
async fn other_lists_and_shows_of_the_wrong_shape_are_errors() {
    let srv = raw_http::start(|_, _| Reply::json(200, "{}")).await;
    let gw = gateway(&srv.url("http"));
    let errors = [
        (
            "ECS list flavors",
            "`flavors`",
            gw.list_flavors(None).await.err(),
        ),
        (
            "ECS list availability zones",
            "`availabilityZoneInfo`",
            gw.list_azs().await.err(),
        ),
        (
            "IMS list images",
            "`images`",
            gw.list_images(&Default::default()).await.err(),
        ),
        (
            "EVS list disks",
            "`volumes`",
            gw.list_disks(None).await.err(),
        ),
        (
            "EVS list snapshots",
            "`snapshots`",
            gw.list_snapshots(None).await.err(),
        ),
        ("VPC list VPCs", "`vpcs`", gw.list_vpcs().await.err()),
        (
            "VPC list subnets",
            "`subnets`",
            gw.list_subnets(None).await.err(),
        ),
        (
            "IAM list regions",
            "`regions`",
            gw.list_regions().await.err(),
        ),
        (
            "ECS list key pairs",
            "`keypairs`",
            gw.list_keypairs().await.err(),
        ),
        (
            "ECS show server s-1",
            "`server`",
            gw.show_server("s-1").await.err(),
        ),
        (
            "EVS show disk d-1",
            "`volume`",
            gw.show_disk("d-1").await.err(),
        ),
        (
            "ECS show quotas",
            "`absolute`",
            gw.compute_quota().await.err(),
        ),
    ];
    for (op, key, e) in errors {
        let e = e.unwrap_or_else(|| panic!("{op}: `{{}}` read as a value"));
        let text = e.to_string();
        assert!(text.starts_with(op), "{text}");
        assert!(text.contains(key), "{text}");
        assert!(text.contains("request id req"), "{text}");
    }
}

#[tokio::test]
async fn the_documented_shapes_still_decode() {
    let srv = raw_http::start(|req, _| {
        let body = if req.target.contains("/cloudservers/detail") {
            r#"{"count":2,"servers":[{"id":"s-1","name":"a","flavor":{"vcpus":"2","ram":"4096"}},{"id":"s-2","name":"b","flavor":{"vcpus":2,"ram":4096}}]}"#
        } else if req.target.contains("os-keypairs") {
            r#"{"keypairs":[{"keypair":{"name":"k1","fingerprint":"f"}},{"name":"k2"}]}"#
        } else {
            r#"{"availabilityZoneInfo":[{"zoneName":"az1","zoneState":{"available":true},"hosts":null}]}"#
        };
        Reply::json(200, body)
    })
    .await;
    let gw = gateway(&srv.url("http"));
    let s = gw.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!((s[0].flavor.vcpus, s[1].flavor.ram), (2, 4096));
    assert_eq!(gw.list_keypairs().await.unwrap().len(), 2);
    assert_eq!(gw.list_azs().await.unwrap()[0].name, "az1");
}

fn hvecs(url: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hvecs"));
    for v in hvecs::config::ENV_VARIABLES {
        cmd.env_remove(v);
    }
    cmd.env("HVECS_ENDPOINT", url)
        .env("HVECS_REGION", "region-1")
        .env("HVECS_AK", "TESTAK")
        .env("HVECS_SK", "TESTSK-secret")
        .env("HVECS_PROJECT_ID", P)
        .env("XDG_CONFIG_HOME", dir.path().join("c"))
        .env("XDG_STATE_HOME", dir.path().join("s"))
        .env("XDG_DATA_HOME", dir.path().join("d"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_exits_3_on_an_answer_of_the_wrong_shape() {
    for body in ["{}", r#"{"servers":null}"#, "[]", ""] {
        let srv = raw_http::start(move |_, _| Reply::json(200, body)).await;
        for out in ["table", "json"] {
            let o = hvecs(&srv.url("http"), &["servers", "list", "-o", out]);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(3), "{body} -o {out}: {err}");
            assert!(err.contains("ECS list servers"), "{err}");
            assert!(err.contains("request id req"), "{err}");
            assert!(
                o.stdout.is_empty(),
                "{}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
    }
}
