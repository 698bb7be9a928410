//! A gateway answer's body through every decoder the gateway applies to one (list, show, job,
//! token, quota, error), the trace of it, and the console's rows and describe built from it.

use hvecs::gateway::model::{
    AvailabilityZone, ComputeQuota, Disk, Flavor, Image, ImageQuota, Job, JobSubmitted, Keypair,
    Project, QuotaUsage, Region, Server, Snapshot, Subnet, TokenInfo, Vpc,
};
use hvecs::gateway::request::Answer;
use hvecs::gateway::shape::check_json;
use hvecs::gateway::trace::{self, Exchange};
use hvecs::gateway::{ErrorBody, ServerList, decode, page};
use hvecs::read::{detail, records};
use hvecs::tui::list::rows::{DiskRow, ImageRow, ServerRow, SnapshotSetRow};
use serde_json::Value;

/// The body as a 2xx answer to each read and change, and as the body of an error answer.
pub fn run(body: &[u8]) {
    // The client lets through only bodies that are JSON a tree can be built from.
    if check_json(body).is_err() {
        error_body(body);
        traced(body);
        return;
    }
    let answer = Answer {
        operation: "fuzz".to_owned(),
        status: 200,
        request_id: Some("fuzz".to_owned()),
        headers: Default::default(),
        body: bytes::Bytes::copy_from_slice(body),
    };
    // The body as a JSON tree, as each call reads it (`Answer::json`), read once here.
    let json = answer.json();
    lists(&answer, &json);
    shows(&answer, &json);
    jobs_and_tokens(&json);
    error_body(body);
    traced(body);
}

/// The list calls: the page's rows under the call's key, checked against their shape (an
/// error, never nothing), and its `count`; then the rows the console makes of them.
fn lists(a: &Answer, j: &Value) {
    let _ = page::total(j);
    let _ = a.counted_rows::<Server>("servers");
    // ECS servers: straight into types, else row by row.
    let servers: Vec<Server> = match a.decode::<ServerList>() {
        Some(list) => list.servers,
        None => a.rows_as("servers").unwrap_or_default(),
    };
    for s in &servers {
        let _ = (s.ips(), s.vpc_id());
        let _ = ServerRow::new(records::server_record(s));
    }
    for f in a.rows_as::<Flavor>("flavors").unwrap_or_default() {
        let _ = (f.sale_by_az(), f.on_sale_in("az1"), f.performance_type());
    }
    let _ = a.rows_as::<AvailabilityZone>("availabilityZoneInfo");
    if let Ok(keypairs) = a.list("keypairs") {
        let _: Vec<Keypair> = keypairs.iter().filter_map(Keypair::from_item).collect();
    }
    for d in a.rows_as::<Disk>("volumes").unwrap_or_default() {
        let _ = d.server_ids();
        let _ = DiskRow::new(records::disk_record(&d, str::to_owned));
    }
    let snaps = a.rows_as::<Snapshot>("snapshots").unwrap_or_default();
    for s in &snaps {
        let _ = (s.progress_percent(), s.is_automatic());
        let _ = records::snapshot_record(s, str::to_owned);
    }
    for set in hvecs::read::snapshot_sets::group(&snaps, |id| Some(id.to_owned())) {
        let _ = SnapshotSetRow::new(set);
    }
    for i in a.rows_as::<Image>("images").unwrap_or_default() {
        let _ = ImageRow::new(records::image_record(&i));
    }
    let _ = a.rows_as::<Project>("projects");
    for r in a.rows_as::<Region>("regions").unwrap_or_default() {
        let _ = r.display_name().to_owned();
    }
    let _ = a.rows_as::<Vpc>("vpcs");
    for s in a.rows_as::<Subnet>("subnets").unwrap_or_default() {
        let _ = s.serves("az1");
    }
}

/// The show calls: the object under the call's key (or the whole body), and the describe.
fn shows(a: &Answer, json: &Value) {
    let server = a.member("server");
    let _: Server = decode(&server);
    let devices = a.list("volumeAttachments").unwrap_or_default();
    let disk: Disk = decode(&a.member("volume"));
    let _ = detail::server_detail(&server, &devices, &[disk]);
    let _ = detail::plain_detail(json);
    let _: ComputeQuota = decode(&a.member("absolute"));
    let _: Snapshot = decode(&a.member("snapshot"));
    let _: Image = decode(json);
    if let Some(Value::Object(m)) = json.get("quota_set") {
        for v in m.values().filter(|v| v.is_object()) {
            let _: QuotaUsage = decode(v);
        }
    }
    if let Some(Value::Array(items)) = json.pointer("/quotas/resources") {
        let _: Vec<ImageQuota> = items.iter().map(decode).collect();
    }
}

/// A change's answer (the job it started), a job's state, and an IAM token.
fn jobs_and_tokens(json: &Value) {
    let _: JobSubmitted = decode(json);
    let job: Job = decode(json);
    let _ = (job.progress(), job.failure(), job.server_ids());
    let _ = (job.status.is_pending(), job.status.is_success());
    let token: Option<TokenInfo> = json
        .get("token")
        .and_then(|t| serde_json::from_value(t.clone()).ok());
    if let Some(t) = token {
        let _ = (t.expires_at.is_empty(), t.project.map(|p| p.id));
    }
}

/// A 4xx/5xx body: its code and message, each bounded.
fn error_body(body: &[u8]) {
    let e = ErrorBody::parse(body);
    let code = e.code.as_deref().unwrap_or_default();
    for text in [e.message.as_str(), code] {
        let n = text.chars().count();
        assert!(n <= 201, "an error text of {n} characters");
    }
}

/// `--trace-http`: the exchange as one JSON line.
fn traced(body: &[u8]) {
    let line = trace::render(&Exchange {
        status: Some(200),
        response_body: body,
        ..Exchange::default()
    });
    assert!(
        serde_json::from_str::<Value>(&line).is_ok(),
        "a trace line that is not JSON"
    );
}
