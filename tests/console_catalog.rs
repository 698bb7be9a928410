//! The console's catalog reads (`What::Catalog`, `Flavors`, `Networks`, `Quotas`, `Keypairs`) through the
//! product's `GatewaySource` against `hvecs sim` over real HTTP on 127.0.0.1.

mod support;

use hvecs::config::Credentials;
use hvecs::gateway::{CloudSession, GatewayOptions};
use hvecs::read::gateway_source::GatewaySource;
use hvecs::read::source::{DataSource, Payload, What};
use hvecs::sim::SimOptions;

#[tokio::test]
async fn the_catalog_holds_what_the_create_form_chooses_from() {
    let h = hvecs::sim::start(SimOptions {
        servers: 30,
        ..Default::default()
    })
    .await
    .unwrap();
    let region = h.regions()[0].clone();
    let mut conn = support::connection(
        "sim",
        &h.base_url(),
        Credentials::AkSk {
            ak: h.credentials().ak.clone(),
            sk: h.credentials().sk.clone(),
        },
    );
    conn.region = region.name.clone();
    let conn = support::pinned(conn, Some(&region.project_id));
    let source = GatewaySource::new(CloudSession::new(conn, GatewayOptions::default()).unwrap());

    let Payload::Catalog(cat) = source
        .fetch(region.name.clone(), What::Catalog)
        .await
        .unwrap()
    else {
        panic!("not a catalog")
    };
    let (a, c) = (format!("{}a", region.name), format!("{}c", region.name));
    assert_eq!(cat.azs, [a.clone(), format!("{}b", region.name), c.clone()]);
    // the seed sells hv1.4xlarge.4 out in each region's third AZ
    let big = cat.flavor("hv1.4xlarge.4").expect("the biggest flavor");
    assert_eq!((big.vcpus, big.ram_mb), (16, 65536));
    assert!(big.on_sale_in(&a) && !big.on_sale_in(&c), "{big:?}");
    assert!(cat.flavors_in(&c).all(|f| f.id != "hv1.4xlarge.4"));
    assert!(
        cat.flavors.windows(2).all(|w| w[0].vcpus <= w[1].vcpus),
        "smallest first"
    );
    let win = cat
        .images
        .iter()
        .find(|i| i.name == "Windows Server 2022 Datacenter 64bit")
        .expect("a public Windows image");
    assert_eq!((win.min_disk_gb, win.min_ram_mb), (50, 4096));
    assert!(cat.images.iter().all(|i| i.status == "active"));
    // each VPC has a subnet for every AZ and one for the first AZ only
    assert_eq!(cat.networks.len(), 2);
    for n in &cat.networks {
        assert_eq!(n.subnets_in(&a).count(), 2, "{n:?}");
        assert_eq!(n.subnets_in(&c).count(), 1, "{n:?}");
    }
    assert_eq!(
        cat.keypairs,
        Some(vec![
            "admin-laptop".into(),
            "deploy-ci".into(),
            "ops-key".into()
        ]),
        "the seeded key pairs, sorted"
    );
    assert!(cat.quotas.instances.limit.is_some_and(|l| l >= 200));
    assert!(
        cat.quotas.instances.used >= 10,
        "{:?}",
        cat.quotas.instances
    );
    assert!(
        cat.quotas.storage("volumes").is_some(),
        "{:?}",
        cat.quotas.storage
    );

    // the same parts one by one, for the read-only views
    let Payload::Flavors(flavors) = source
        .fetch(region.name.clone(), What::Flavors(None))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(flavors, cat.flavors);
    let Payload::Networks(nets) = source
        .fetch(region.name.clone(), What::Networks)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(nets, cat.networks);
    let Payload::Quotas(q) = source
        .fetch(region.name.clone(), What::Quotas)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(q.cores, cat.quotas.cores);
    let Payload::Keypairs(pairs) = source
        .fetch(region.name.clone(), What::Keypairs)
        .await
        .unwrap()
    else {
        panic!()
    };
    let names: Vec<String> = pairs.iter().map(|k| k.name.clone()).collect();
    assert_eq!(
        Some(names),
        cat.keypairs,
        ":keypairs lists the same, sorted"
    );
    assert!(pairs.iter().all(|k| !k.fingerprint.is_empty()), "{pairs:?}");
    h.shutdown().await.unwrap();
}

/// A gateway that has every catalog read but not `os-keypairs` (404): the catalog still loads,
/// its key pairs unknown, so the form keeps a typed key pair name.
#[tokio::test]
async fn a_gateway_without_key_pairs_still_gives_the_catalog() {
    use support::raw_http::{self, Reply};
    let fixture = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let (azs, flavors, images) = (
        fixture("ecs_list_availability_zones.response.json"),
        fixture("ecs_list_flavors.response.json"),
        fixture("ims_list_images.response.json"),
    );
    let srv = raw_http::start(move |seen, _| {
        let path = seen.target.split('?').next().unwrap_or_default();
        let ok = |body: &str| Reply::json(200, body);
        if path.ends_with("/os-keypairs") {
            Reply::json(
                404,
                r#"{"error":{"code":"Ecs.0000","message":"no such API"}}"#,
            )
        } else if path.ends_with("/os-availability-zone") {
            ok(&azs)
        } else if path.ends_with("/cloudservers/flavors") {
            ok(&flavors)
        } else if path.starts_with("/v2/cloudimages") {
            ok(&images)
        } else if path.ends_with("/vpcs") {
            ok(r#"{"vpcs":[{"id":"vpc-1","name":"vpc-1","cidr":"10.0.0.0/16","status":"OK"}]}"#)
        } else if path.ends_with("/subnets") {
            ok(r#"{"subnets":[{"id":"sn-1","name":"sn-1","cidr":"10.0.1.0/24","vpc_id":"vpc-1","status":"ACTIVE"}]}"#)
        } else if path.ends_with("/cloudservers/limits") {
            ok(r#"{"absolute":{"maxTotalInstances":10,"totalInstancesUsed":1}}"#)
        } else if path.contains("/os-quota-sets/") {
            ok(r#"{"quota_set":{"volumes":{"in_use":1,"limit":10,"reserved":0}}}"#)
        } else {
            Reply::json(404, r#"{"error":{"code":"Ecs.0000","message":"unexpected"}}"#)
        }
    })
    .await;
    let project = "0123456789abcdef0123456789abcdef";
    let conn = support::connection(
        "bare",
        &srv.url("http"),
        Credentials::AkSk {
            ak: "AKBARE".into(),
            sk: hvecs::config::Secret::new("sk"),
        },
    );
    let conn = support::pinned(conn, Some(project));
    let source = GatewaySource::new(CloudSession::new(conn, GatewayOptions::default()).unwrap());
    let Payload::Catalog(cat) = source
        .fetch("region-1".into(), What::Catalog)
        .await
        .unwrap()
    else {
        panic!("not a catalog")
    };
    assert_eq!(cat.keypairs, None, "unknown, not empty");
    assert!(!cat.azs.is_empty() && !cat.flavors.is_empty(), "{cat:?}");
    assert_eq!(cat.networks.len(), 1);
    assert_eq!(srv.hits("GET", &format!("/v2.1/{project}/os-keypairs")), 1);
}
