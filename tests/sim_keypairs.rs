//! The simulator's key pairs over HTTP: the Nova list (signed and with a token), and a create
//! naming a key pair the project does not have, refused before any job starts.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use serde_json::{Value, json};
use sim_support::{TestSim, start};

fn names(body: &Value) -> Vec<String> {
    body["keypairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["keypair"]["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn create_body(t: &TestSim, key_name: &str) -> Value {
    let (vpc, subnet) = t.network().await;
    let imgs = t
        .signed("GET", "/v2/cloudimages", &[("__os_type", "Linux")], None)
        .await;
    let image = imgs.body["images"][0]["id"].clone();
    json!({"server": {"name": "keyed", "imageRef": image, "flavorRef": "hv1.large.2",
        "vpcid": vpc, "nics": [{"subnet_id": subnet}], "root_volume": {"volumetype": "SSD"},
        "key_name": key_name}})
}

#[tokio::test]
async fn each_project_lists_its_seeded_key_pairs_signed_or_with_a_token() {
    let t = start(1000.0).await;
    let signed = t
        .signed("GET", &t.p("/v2.1/{p}/os-keypairs"), &[], None)
        .await;
    assert_eq!(signed.status, 200, "{}", signed.text);
    let listed = names(&signed.body);
    assert!(listed.contains(&"ops-key".to_owned()), "{listed:?}");
    assert!((2..=3).contains(&listed.len()), "{listed:?}");
    let first = &signed.body["keypairs"][0]["keypair"];
    assert_eq!(
        first["fingerprint"].as_str().unwrap().split(':').count(),
        16
    );
    assert!(first["public_key"].as_str().unwrap().starts_with("ssh-"));

    let token = t.token(json!({"project": {"id": t.project}})).await;
    let with_token = t
        .with_token(&token, "GET", &t.p("/v2.1/{p}/os-keypairs"), None)
        .await;
    assert_eq!(with_token.status, 200, "{}", with_token.text);
    assert_eq!(names(&with_token.body), listed);

    let anonymous = t
        .http
        .get(t.url(&t.p("/v2.1/{p}/os-keypairs")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
}

#[tokio::test]
async fn a_create_naming_an_unknown_key_pair_is_refused_and_names_it() {
    let t = start(1000.0).await;
    let path = t.p("/v1/{p}/cloudservers");
    let bad = t
        .signed("POST", &path, &[], Some(create_body(&t, "ops-kye").await))
        .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert_eq!(bad.body["error"]["code"], "Ecs.0005", "{}", bad.text);
    let msg = bad.body["error"]["message"].as_str().unwrap();
    assert!(msg.contains("key_name") && msg.contains("ops-kye"), "{msg}");
    assert_eq!(t.stats().await["mutations"], 0);

    let good = t
        .signed("POST", &path, &[], Some(create_body(&t, "ops-key").await))
        .await;
    assert_eq!(good.status, 200, "{}", good.text);
    let job = t.wait_job(good.body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "SUCCESS", "{job}");
}
