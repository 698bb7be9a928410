//! Property tests: arbitrary JSON and arbitrary bytes never panic the decoders. The bodies go
//! through the entry point of the `gateway_answer` fuzz target (fuzz/src/answer.rs).

#[path = "../fuzz/src/answer.rs"]
mod answer;

use proptest::prelude::*;
use serde_json::{Value, json};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "ACTIVE",
            "2019-05-22T03:19:19Z",
            "04-Jun-2015 18:11:06:586",
            "100%",
            "-1",
            "",
            "true"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop::sample::select(vec![
        "id",
        "name",
        "status",
        "flavor",
        "vcpus",
        "ram",
        "disk",
        "created",
        "addresses",
        "metadata",
        "entities",
        "sub_jobs",
        "process_percent",
        "size",
        "attachments",
        "os_extra_specs",
        "zoneState",
        "expires_at",
        "project",
        "error",
        "error_code",
        "error_msg",
        "code",
        "message",
        "image",
        "tags",
        "OS-EXT-STS:power_state",
        "os-extended-volumes:volumes_attached",
        "locales",
        "__os_bit",
    ]);
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The members a gateway call reads its answer from (fuzz/src/answer.rs reads each of them).
const MEMBERS: &[&str] = &[
    "servers",
    "server",
    "flavors",
    "availabilityZoneInfo",
    "keypairs",
    "absolute",
    "volumeAttachments",
    "volumes",
    "volume",
    "snapshots",
    "snapshot",
    "images",
    "quota_set",
    "quotas",
    "projects",
    "regions",
    "vpcs",
    "subnets",
    "token",
    "count",
];

/// A body: arbitrary JSON, alone or under the member a call reads.
fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        arb_json().prop_map(|v| v.to_string().into_bytes()),
        (prop::sample::select(MEMBERS), arb_json(), arb_json()).prop_map(|(k, v, count)| {
            let mut m = serde_json::Map::new();
            m.insert(k.to_owned(), v);
            m.insert("count".to_owned(), count);
            Value::Object(m).to_string().into_bytes()
        }),
        (
            prop::sample::select(MEMBERS),
            prop::collection::vec(arb_json(), 0..4)
        )
            .prop_map(|(k, items)| json!({ k: items }).to_string().into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_json_never_panics(body in arb_body()) {
        answer::run(&body);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        answer::run(&bytes);
        let _ = hvecs::gateway::model::lenient::parse_time(&String::from_utf8_lossy(&bytes));
    }
}

/// Every committed seed of the target (fuzz/seeds/gateway_answer) runs through its entry point.
#[test]
fn the_committed_seeds_run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/gateway_answer");
    let seeds: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
    assert!(!seeds.is_empty());
    for e in seeds {
        answer::run(&std::fs::read(e.unwrap().path()).unwrap());
    }
}
