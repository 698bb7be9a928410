//! Property tests: arbitrary JSON and arbitrary bytes never panic the decoders.

use hvecs::gateway::model::*;
use hvecs::gateway::{ErrorBody, decode, decode_all};
use proptest::prelude::*;
use serde_json::Value;

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

fn decode_everything(v: &Value) {
    let _: Server = decode(v);
    let _: Flavor = decode(v);
    let _: AvailabilityZone = decode(v);
    let _: ComputeQuota = decode(v);
    let _: Image = decode(v);
    let _: Disk = decode(v);
    let _: Snapshot = decode(v);
    let _: Region = decode(v);
    let _: Project = decode(v);
    let _: TokenInfo = decode(v);
    let _: Vpc = decode(v);
    let _: Subnet = decode(v);
    let j: Job = decode(v);
    let _ = (j.progress(), j.failure(), j.server_ids());
    let _: JobSubmitted = decode(v);
    let f: Flavor = decode(v);
    let _ = (f.sale_by_az(), f.on_sale_in("az1"));
    if let Value::Array(items) = v {
        let _: Result<Vec<Server>, String> = decode_all(items);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        decode_everything(&v);
        let _ = ErrorBody::parse(v.to_string().as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let b = ErrorBody::parse(&bytes);
        prop_assert!(b.message.chars().count() <= 201);
        if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            decode_everything(&v);
        }
        let _ = hvecs::gateway::model::lenient::parse_time(&String::from_utf8_lossy(&bytes));
    }
}
