//! The gateway client against `hvecs sim` over real HTTP on 127.0.0.1: every read call, both auth
//! methods, refusals (bad AK, wrong project), faults
//! (reads recover, changes are never repeated), and TLS with a generated CA.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use hvecs::config::{Connection, Credentials, ServiceUrls, Transport, UrlTemplate};
use hvecs::gateway::{Force, Gateway, GatewayOptions, ImageFilter, RetryPolicy, ServerFilter};
use hvecs::sim::{FaultSpec, SimHandle, SimOptions};

async fn sim(servers: usize, faults: &str) -> SimHandle {
    hvecs::sim::start(SimOptions {
        servers,
        speed: 1000.0,
        faults: FaultSpec::parse(faults).unwrap(),
        ..Default::default()
    })
    .await
    .unwrap()
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 12,
        base_delay: Duration::from_millis(5),
        throttle_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        max_total: Duration::from_secs(30),
    }
}

fn conn(h: &SimHandle, (credentials, project): (Credentials, Option<String>)) -> Connection {
    let region = h.regions()[0].name.clone();
    Connection {
        profile: "sim".into(),
        urls: ServiceUrls::all(UrlTemplate::parse(&h.base_url()).unwrap()),
        projects: project.map(|p| (region.clone(), p)).into_iter().collect(),
        region,
        credentials,
        read_only: false,
        transport: Transport {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            ..Transport::default()
        },
    }
}

/// AK/SK credentials, and the project pinned for the region.
fn aksk(h: &SimHandle, project: Option<String>) -> (Credentials, Option<String>) {
    (
        Credentials::AkSk {
            ak: h.credentials().ak.clone(),
            sk: h.credentials().sk.clone(),
        },
        project,
    )
}

fn password(h: &SimHandle) -> (Credentials, Option<String>) {
    let c = h.credentials();
    (
        Credentials::Password {
            user: c.user.clone(),
            domain: c.domain.clone(),
            password: c.password.clone(),
        },
        None,
    )
}

fn gw(c: &Connection) -> Gateway {
    Gateway::new(
        c,
        GatewayOptions {
            retry: quick(),
            ..Default::default()
        },
    )
    .unwrap()
}

/// Every read call once, checking that lists and shows agree.
async fn read_everything(g: &Gateway) {
    let regions = g.list_regions().await.unwrap();
    assert!(regions.iter().any(|r| r.id == g.region()), "{regions:?}");
    let azs = g.list_azs().await.unwrap();
    assert!(!azs.is_empty());
    let keypairs = g.list_keypairs().await.unwrap();
    assert!(keypairs.iter().any(|k| k.name == "ops-key"), "{keypairs:?}");
    assert!(
        keypairs.iter().all(|k| !k.fingerprint.is_empty()
            && k.public_key.starts_with("ssh-")
            && k.kind == "ssh"),
        "{keypairs:?}"
    );
    let flavors = g.list_flavors(None).await.unwrap();
    assert!(flavors.iter().all(|f| !f.id.is_empty() && f.vcpus > 0));
    let servers = g.list_servers(&ServerFilter::default()).await.unwrap();
    assert!(!servers.is_empty());
    let first = &servers[0];
    let shown = g.show_server(&first.id).await.unwrap();
    assert_eq!(
        (shown.id.as_str(), shown.name.as_str()),
        (first.id.as_str(), first.name.as_str())
    );
    let by_status = g
        .list_servers(&ServerFilter {
            status: Some(first.status.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(by_status.iter().any(|s| s.id == first.id));
    g.server_block_devices(&first.id).await.unwrap();
    let q = g.compute_quota().await.unwrap();
    assert!(q.max_instances.unwrap() > 0);
    let images = g.list_images(&ImageFilter::default()).await.unwrap();
    assert!(!images.is_empty());
    assert_eq!(
        g.show_image(&images[0].id).await.unwrap().name,
        images[0].name
    );
    g.image_quota().await.unwrap();
    let disks = g.list_disks(None).await.unwrap();
    assert!(!disks.is_empty());
    assert_eq!(g.show_disk(&disks[0].id).await.unwrap().id, disks[0].id);
    let attached = g.list_disks(Some(&first.id)).await.unwrap();
    assert!(
        attached
            .iter()
            .all(|d| d.server_ids().contains(&first.id.as_str()))
    );
    let snaps = g.list_snapshots(None).await.unwrap();
    if let Some(s) = snaps.first() {
        assert_eq!(g.show_snapshot(&s.id).await.unwrap().id, s.id);
    }
    assert!(!g.storage_quota().await.unwrap().is_empty());
    let vpcs = g.list_vpcs().await.unwrap();
    let subnets = g.list_subnets(None).await.unwrap();
    assert!(
        subnets
            .iter()
            .all(|s| vpcs.iter().any(|v| v.id == s.vpc_id))
    );
}

#[tokio::test]
async fn every_read_with_aksk_and_the_project_found_from_the_region() {
    let h = sim(60, "").await;
    let g = gw(&conn(&h, aksk(&h, None)));
    read_everything(&g).await;
    assert_eq!(g.project_id().await.unwrap(), h.regions()[0].project_id);
    // The list's `count` is the whole region: every server came back across the pages.
    let all = g.list_servers_raw(&ServerFilter::default()).await.unwrap();
    let page = g
        .servers_page(&ServerFilter::default(), 1, 7)
        .await
        .unwrap();
    assert_eq!(page.total, Some(all.len() as u64));
    assert_eq!(page.items.len(), 7.min(all.len()));
}

#[tokio::test]
async fn every_read_with_a_token_logs_in_once() {
    let h = sim(30, "").await;
    let g = gw(&conn(&h, password(&h)));
    read_everything(&g).await;
    assert_eq!(g.login_count(), 1);
    assert_eq!(g.project_id().await.unwrap(), h.regions()[0].project_id);
    let projects = g.list_auth_projects().await.unwrap();
    assert!(projects.iter().any(|p| p.id == h.regions()[0].project_id));
}

#[tokio::test]
async fn a_bad_ak_is_a_401_and_a_wrong_project_a_403() {
    let h = sim(10, "").await;
    let pin = Some(h.regions()[0].project_id.clone());
    let bad = (
        Credentials::AkSk {
            ak: "NOSUCHAKNOSUCHAKNOSU".into(),
            sk: h.credentials().sk.clone(),
        },
        pin.clone(),
    );
    let e = gw(&conn(&h, bad))
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert!(
        e.to_string()
            .contains("does not know the AK NOSUCHAKNOSUCHAKNOSU"),
        "{e}"
    );
    assert!(e.request_id.is_some());

    let wrong_sk = (
        Credentials::AkSk {
            ak: h.credentials().ak.clone(),
            sk: hvecs::config::Secret::new("wrong"),
        },
        pin,
    );
    let e = gw(&conn(&h, wrong_sk))
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert!(
        e.to_string().contains("rejected the AK/SK signature"),
        "{e}"
    );

    // A pinned project IAM does not list is refused before anything is sent under it.
    let other = aksk(&h, Some("ffffffffffffffffffffffffffffffff".into()));
    let e = gw(&conn(&h, other))
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind, hvecs::gateway::ErrorKind::WrongProject { .. }),
        "{e}"
    );
    assert!(
        e.to_string().contains("ffffffffffffffffffffffffffffffff"),
        "{e}"
    );
}

async fn stats(h: &SimHandle) -> serde_json::Value {
    let g = reqwest::get(format!("{}/_sim/stats", h.base_url()))
        .await
        .unwrap();
    g.json().await.unwrap()
}

#[tokio::test]
async fn under_faults_reads_recover_and_changes_are_sent_once() {
    let h = sim(40, "5xx=0.15,429=0.1,reset=0.05,truncate=0.05").await;
    let g = gw(&conn(&h, aksk(&h, Some(h.regions()[0].project_id.clone()))));
    for _ in 0..5 {
        let servers = g.list_servers(&ServerFilter::default()).await.unwrap();
        assert!(!servers.is_empty());
        g.list_images(&ImageFilter::default()).await.unwrap();
        g.list_disks(None).await.unwrap();
    }
    let ids: Vec<String> = g
        .list_servers(&ServerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    let before = stats(&h).await["mutations"].as_u64().unwrap();
    let calls = 30;
    let (mut ok, mut unknown) = (0u64, 0u64);
    for i in 0..calls {
        let id = ids[i % ids.len()].clone();
        match g.reboot_servers(&[id], Force::Soft).await {
            Ok(_) => ok += 1,
            Err(e) if e.is_outcome_unknown() => {
                unknown += 1;
                assert!(e.to_string().contains("request id"), "{e}");
            }
            Err(e) => assert!(e.status().is_some(), "{e}"),
        }
    }
    let s = stats(&h).await;
    let mutations = s["mutations"].as_u64().unwrap() - before;
    let posted: u64 = s["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["method"] == "POST"
                && r["route"]
                    .as_str()
                    .unwrap()
                    .ends_with("/cloudservers/action")
        })
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert!(
        posted <= calls as u64,
        "{posted} action requests for {calls} calls: a change was repeated"
    );
    assert!(mutations <= calls as u64);
    assert!(
        mutations >= ok,
        "{mutations} mutations but {ok} accepted answers"
    );
    assert!(ok > 0 && ok + unknown <= calls as u64);
}

#[tokio::test]
async fn tls_with_a_generated_ca() {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "sim CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["gateway.sim.test".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let (cert_path, key_path, ca_path) = (
        dir.path().join("c.pem"),
        dir.path().join("k.pem"),
        dir.path().join("ca.pem"),
    );
    std::fs::write(&cert_path, leaf.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    std::fs::write(&ca_path, ca_cert.pem()).unwrap();
    let h = hvecs::sim::start(SimOptions {
        servers: 5,
        tls: Some((cert_path, key_path)),
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(h.base_url().starts_with("https://"));

    let mut c = conn(&h, aksk(&h, None));
    c.transport.tls_server_name = Some("gateway.sim.test".into());
    let e = gw(&c)
        .list_servers(&ServerFilter::default())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("set ca_file"), "{e}");
    c.transport.ca_file = Some(ca_path);
    assert!(
        !gw(&c)
            .list_servers(&ServerFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_token_the_gateway_forgot_is_renewed_once() {
    let creds = hvecs::sim::Credentials {
        ak: "RENEWAKRENEWAKRENEWA".into(),
        sk: hvecs::config::Secret::new("renew-secret-key"),
        user: "ops".into(),
        password: hvecs::config::Secret::new("renew-password"),
        domain: "lab".into(),
    };
    let opts = |listen| SimOptions {
        servers: 10,
        listen,
        credentials: Some(creds.clone()),
        ..Default::default()
    };
    let first = hvecs::sim::start(opts("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    let addr = first.addr();
    let g = gw(&conn(&first, password(&first)));
    let before = g.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(g.login_count(), 1);
    // A new gateway on the same address (same seed, same credentials) knows no token.
    first.shutdown().await.unwrap();
    let second = hvecs::sim::start(opts(addr)).await.unwrap();
    let after = g.list_servers(&ServerFilter::default()).await.unwrap();
    assert_eq!(after.len(), before.len());
    assert_eq!(g.login_count(), 2, "the refused token was not renewed");
    let s = stats(&second).await;
    let refused: u64 = s["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == 401)
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(refused, 1, "{s}");
}
