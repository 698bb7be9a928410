//! The simulator's answers on the main flow, checked against the response schemas of the official
//! OpenAPI documents (vendored in tests/openapi/, see SOURCES.md): types, required fields, enums.
//!
//! Where a schema contradicts its own documented example, the example wins (api.md's rule):
//! - Huawei's schemas never mark fields nullable, while their examples carry `null`
//!   (`error_code`, `fail_reason`, `task_state`, `fault`…): `null` is accepted for any field.
//! - EVS `metadata` / `volume_image_metadata` declare their values as objects, while the same
//!   field's description documents string values (`__system__encrypted` "0"/"1",
//!   `hw:passthrough` "true"/"false") and the IMS image attributes are strings: strings it is.
//! - Nova `OS-EXT-STS:vm_state` lists upper-case values, while the ECS v1 document's example of
//!   the same field on the same server shows `active` (and api.md §6 lists lower case).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use serde_json::{Value, json};
use sim_support::{Answer, start};

fn load(op: &str) -> Value {
    let path = format!("{}/tests/openapi/{op}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn resolve<'a>(schema: &'a Value, doc: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => {
            let name = r.trim_start_matches("#/definitions/");
            resolve(&doc["definitions"][name], doc)
        }
        None => schema,
    }
}

fn check(schema: &Value, doc: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    let schema = resolve(schema, doc);
    if v.is_null() {
        return;
    }
    let ty = schema
        .get("type")
        .and_then(|t| t.as_str())
        .or_else(|| schema.get("properties").map(|_| "object"));
    let ok = match ty {
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        Some("array") => v.is_array(),
        Some("object") => v.is_object(),
        _ => true,
    };
    if !ok {
        errs.push(format!("{at}: expected {}, got {v}", ty.unwrap_or("?")));
        return;
    }
    if let (Some(allowed), Some(s)) = (schema.get("enum").and_then(|e| e.as_array()), v.as_str())
        && !allowed.iter().any(|a| a == s)
    {
        errs.push(format!("{at}: `{s}` is not one of {allowed:?}"));
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(items, doc, x, &format!("{at}[{i}]"), errs);
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(|p| p.as_object());
        for req in schema
            .get("required")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            let k = req.as_str().unwrap_or_default();
            if !obj.contains_key(k) {
                errs.push(format!("{at}: required field `{k}` is missing"));
            }
        }
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(s, doc, x, &format!("{at}.{k}"), errs),
                None => {
                    if let Some(extra) =
                        schema.get("additionalProperties").filter(|a| a.is_object())
                    {
                        check(extra, doc, x, &format!("{at}.{k}"), errs);
                    }
                }
            }
        }
    }
}

/// Schema statements the documents contradict themselves on (see the module comment).
fn contradicted(problem: &str) -> bool {
    let evs_metadata = problem.starts_with("EVS/")
        && (problem.contains(".metadata.") || problem.contains(".volume_image_metadata."))
        && problem.contains("expected object, got \"");
    let nova_vm_state = problem.starts_with("ECS/Nova")
        && problem.contains("OS-EXT-STS:vm_state")
        && ["`active`", "`stopped`", "`error`", "`building`"]
            .iter()
            .any(|v| problem.contains(v));
    evs_metadata || nova_vm_state
}

/// Checks one answer against `op`'s response schema for its status; returns the problems.
fn validate(op: &str, a: &Answer) -> Vec<String> {
    let doc = load(op);
    let (_, methods) = doc["paths"].as_object().unwrap().iter().next().unwrap();
    let (_, operation) = methods.as_object().unwrap().iter().next().unwrap();
    let resp = &operation["responses"][a.status.to_string()];
    assert!(
        !resp.is_null(),
        "{op}: the document has no {} answer ({})",
        a.status,
        a.text
    );
    let mut errs = Vec::new();
    if let Some(schema) = resp.get("schema") {
        check(schema, &doc, &a.body, op, &mut errs);
    }
    errs.retain(|e| !contradicted(e));
    errs
}

struct Checker {
    problems: Vec<String>,
    checked: usize,
}

impl Checker {
    fn see(&mut self, op: &str, a: &Answer) {
        self.checked += 1;
        self.problems.extend(validate(op, a));
    }
}

#[test]
fn the_checker_itself_finds_wrong_types_missing_fields_and_bad_enums() {
    let doc = json!({"definitions": {"S": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "n": {"type": "integer"}, "st": {"type": "string", "enum": ["A"]}}}}});
    let schema = json!({"$ref": "#/definitions/S"});
    let mut errs = Vec::new();
    check(&schema, &doc, &json!({"n": "1", "st": "B"}), "x", &mut errs);
    assert_eq!(errs.len(), 3, "{errs:?}");
}

#[tokio::test]
async fn answers_on_the_main_flow_match_the_official_response_schemas() {
    let t = start(1000.0).await;
    let mut c = Checker {
        problems: vec![],
        checked: 0,
    };
    let p = |s: &str| t.p(s);

    let c_user = t.handle.credentials().clone();
    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": c_user.user, "password": c_user.password.expose(), "domain": {"name": c_user.domain}}}},
        "scope": {"project": {"id": t.project}}}});
    let tok = sim_support::answer(
        t.http
            .post(t.url("/v3/auth/tokens"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    c.see("IAM/KeystoneCreateUserTokenByPassword", &tok);
    c.see(
        "IAM/KeystoneListRegions",
        &t.signed("GET", "/v3/regions", &[], None).await,
    );
    c.see(
        "IAM/KeystoneListAuthProjects",
        &t.signed("GET", "/v3/auth/projects", &[], None).await,
    );
    c.see(
        "IAM/KeystoneListProjects",
        &t.signed_as("GET", "/v3/projects", &[("name", "cn-north-1")], None, None)
            .await,
    );

    c.see(
        "ECS/NovaListAvailabilityZones",
        &t.signed("GET", &p("/v2.1/{p}/os-availability-zone"), &[], None)
            .await,
    );
    c.see(
        "ECS/NovaListKeypairs",
        &t.signed("GET", &p("/v2.1/{p}/os-keypairs"), &[], None)
            .await,
    );
    c.see(
        "ECS/ListFlavors",
        &t.signed("GET", &p("/v1/{p}/cloudservers/flavors"), &[], None)
            .await,
    );
    c.see(
        "ECS/ShowServerLimits",
        &t.signed("GET", &p("/v1/{p}/cloudservers/limits"), &[], None)
            .await,
    );
    c.see(
        "ECS/ListServersDetails",
        &t.signed(
            "GET",
            &p("/v1/{p}/cloudservers/detail"),
            &[("limit", "1000")],
            None,
        )
        .await,
    );
    c.see(
        "ECS/ListCloudServers",
        &t.signed(
            "GET",
            &p("/v1.1/{p}/cloudservers/detail"),
            &[("limit", "100")],
            None,
        )
        .await,
    );
    c.see(
        "ECS/NovaListServersDetails",
        &t.signed("GET", &p("/v2.1/{p}/servers/detail"), &[], None)
            .await,
    );
    c.see(
        "VPC/ListSubnets",
        &t.signed("GET", &p("/v1/{p}/subnets"), &[], None).await,
    );
    c.see(
        "IMS/ListImages",
        &t.signed("GET", "/v2/cloudimages", &[], None).await,
    );
    c.see(
        "IMS/ShowImageQuota",
        &t.signed("GET", "/v1/cloudimages/quota", &[], None).await,
    );
    c.see(
        "EVS/ListVolumes",
        &t.signed("GET", &p("/v2/{p}/cloudvolumes/detail"), &[], None)
            .await,
    );
    c.see(
        "EVS/ListSnapshots",
        &t.signed("GET", &p("/v2/{p}/cloudsnapshots/detail"), &[], None)
            .await,
    );
    c.see(
        "EVS/CinderListQuotas",
        &t.signed(
            "GET",
            &p("/v2/{p}/os-quota-sets/{p}"),
            &[("usage", "True")],
            None,
        )
        .await,
    );

    let (vpc, subnet) = t.network().await;
    let imgs = t
        .signed("GET", "/v2/cloudimages", &[("__os_type", "Linux")], None)
        .await;
    let image = imgs.body["images"][0]["id"].as_str().unwrap().to_owned();
    c.see(
        "IMS/GlanceShowImage",
        &t.signed("GET", &format!("/v2/images/{image}"), &[], None)
            .await,
    );
    let create = t
        .signed(
            "POST",
            &p("/v1/{p}/cloudservers"),
            &[],
            Some(
                json!({"server": {"name": "oas", "imageRef": image, "flavorRef": "hv1.large.2",
            "vpcid": vpc, "nics": [{"subnet_id": subnet}], "root_volume": {"volumetype": "SSD"}}}),
            ),
        )
        .await;
    let create = Answer {
        status: 200,
        ..create
    };
    c.see("ECS/CreatePostPaidServers", &create);
    let job = t
        .signed(
            "GET",
            &p(&format!(
                "/v1/{{p}}/jobs/{}",
                create.body["job_id"].as_str().unwrap()
            )),
            &[],
            None,
        )
        .await;
    c.see("ECS/ShowJob", &job);
    let job = t.wait_job(create.body["job_id"].as_str().unwrap()).await;
    c.see(
        "ECS/ShowJob",
        &Answer {
            status: 200,
            headers: Default::default(),
            text: job.to_string(),
            body: job.clone(),
        },
    );
    let id = job["entities"]["sub_jobs"][0]["entities"]["server_id"]
        .as_str()
        .unwrap()
        .to_owned();
    t.wait_server(&id, "ACTIVE").await;
    c.see(
        "ECS/ShowServer",
        &t.signed(
            "GET",
            &p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            None,
        )
        .await,
    );
    c.see(
        "ECS/NovaShowServer",
        &t.signed("GET", &p(&format!("/v2.1/{{p}}/servers/{id}")), &[], None)
            .await,
    );
    let bd = t
        .signed(
            "GET",
            &p(&format!("/v1/{{p}}/cloudservers/{id}/block_device")),
            &[],
            None,
        )
        .await;
    c.see("ECS/ListServerBlockDevices", &bd);
    let sys = bd.body["volumeAttachments"][0]["volumeId"]
        .as_str()
        .unwrap()
        .to_owned();
    c.see(
        "ECS/ShowServerBlockDevice",
        &t.signed(
            "GET",
            &p(&format!("/v1/{{p}}/cloudservers/{id}/block_device/{sys}")),
            &[],
            None,
        )
        .await,
    );
    c.see(
        "EVS/ShowVolume",
        &t.signed(
            "GET",
            &p(&format!("/v2/{{p}}/cloudvolumes/{sys}")),
            &[],
            None,
        )
        .await,
    );
    c.see(
        "ECS/ListResizeFlavors",
        &t.signed(
            "GET",
            &p("/v1/{p}/cloudservers/resize_flavors"),
            &[("instance_uuid", &id)],
            None,
        )
        .await,
    );
    c.see(
        "ECS/UpdateServer",
        &t.signed(
            "PUT",
            &p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            Some(json!({"server": {"name": "oas-2"}})),
        )
        .await,
    );
    c.see(
        "ECS/BatchUpdateServersName",
        &t.signed(
            "PUT",
            &p("/v1/{p}/cloudservers/server-name"),
            &[],
            Some(json!({"name": "oas-3", "servers": [{"id": id}]})),
        )
        .await,
    );

    let accepted = |a: Answer| Answer { status: 200, ..a };
    let stop = t
        .signed(
            "POST",
            &p("/v1/{p}/cloudservers/action"),
            &[],
            Some(json!({"os-stop": {"type": "HARD", "servers": [{"id": id}]}})),
        )
        .await;
    c.see("ECS/BatchStopServers", &accepted(stop));
    t.wait_server(&id, "SHUTOFF").await;
    let snap = t
        .signed(
            "POST",
            &p("/v2/{p}/cloudsnapshots"),
            &[],
            Some(json!({"snapshot": {"volume_id": sys, "force": true, "name": "oas"}})),
        )
        .await;
    c.see("EVS/CreateSnapshot", &snap);
    let snap_id = snap.body["snapshot"]["id"].as_str().unwrap().to_owned();
    let snap_path = p(&format!("/v2/{{p}}/cloudsnapshots/{snap_id}"));
    t.wait_snapshot(&snap_id, "available").await;
    c.see(
        "EVS/ShowSnapshot",
        &t.signed("GET", &snap_path, &[], None).await,
    );
    c.see(
        "EVS/UpdateSnapshot",
        &t.signed(
            "PUT",
            &snap_path,
            &[],
            Some(json!({"snapshot": {"name": "oas-renamed"}})),
        )
        .await,
    );
    let det = t
        .signed(
            "DELETE",
            &p(&format!("/v1/{{p}}/cloudservers/{id}/detachvolume/{sys}")),
            &[],
            None,
        )
        .await;
    c.see("ECS/DetachServerVolume", &accepted(det));
    t.wait_volume(&sys, "available").await;
    let rb = t.rollback(&snap_id, &sys).await;
    c.see("EVS/RollbackSnapshot", &rb);
    t.wait_volume(&sys, "available").await;
    let att = t
        .signed(
            "POST",
            &p(&format!("/v1/{{p}}/cloudservers/{id}/attachvolume")),
            &[],
            Some(json!({"volumeAttachment": {"volumeId": sys, "device": "/dev/vda"}})),
        )
        .await;
    let att_job = att.body["job_id"].as_str().unwrap().to_owned();
    c.see("ECS/AttachServerVolume", &accepted(att));
    t.wait_job(&att_job).await;
    t.wait_server(&id, "SHUTOFF").await;

    let img = t
        .signed(
            "POST",
            "/v2/cloudimages/action",
            &[],
            // As the gateway sends it (gateway/ims_change.rs).
            Some(
                json!({"name": "oas-image", "instance_id": id, "description": "oas",
                "image_tags": [{"key": "team", "value": "ops"}]}),
            ),
        )
        .await;
    let img_job = img.body["job_id"].as_str().unwrap().to_owned();
    c.see("IMS/CreateImage", &accepted(img));
    // The job while it runs, and the image while it saves, as the runner looks at them.
    c.see(
        "IMS/ShowJob",
        &t.signed("GET", &p(&format!("/v1/{{p}}/jobs/{img_job}")), &[], None)
            .await,
    );
    c.see(
        "IMS/ListImages",
        &t.signed(
            "GET",
            "/v2/cloudimages",
            &[("__imagetype", "private"), ("name", "oas-image")],
            None,
        )
        .await,
    );
    let ij = t.wait_job(&img_job).await;
    c.see(
        "IMS/ShowJob",
        &Answer {
            status: 200,
            headers: Default::default(),
            text: ij.to_string(),
            body: ij.clone(),
        },
    );
    let image_id = ij["entities"]["image_id"].as_str().unwrap().to_owned();
    let patch = t
        .signed(
            "PATCH",
            &format!("/v2/cloudimages/{image_id}"),
            &[],
            Some(json!([{"op": "replace", "path": "/name", "value": "oas-img"}])),
        )
        .await;
    c.see("IMS/UpdateImage", &patch);
    c.see(
        "IMS/GlanceDeleteImage",
        &t.signed("DELETE", &format!("/v2/images/{image_id}"), &[], None)
            .await,
    );

    let resize = t
        .signed(
            "POST",
            &p(&format!("/v1/{{p}}/cloudservers/{id}/resize")),
            &[],
            Some(json!({"resize": {"flavorRef": "hv1.xlarge.2"}})),
        )
        .await;
    let resize_job = resize.body["job_id"].as_str().unwrap().to_owned();
    c.see("ECS/ResizePostPaidServer", &accepted(resize));
    t.wait_job(&resize_job).await;
    t.wait_server(&id, "SHUTOFF").await;
    let start = t
        .signed(
            "POST",
            &p("/v1/{p}/cloudservers/action"),
            &[],
            Some(json!({"os-start": {"servers": [{"id": id}]}})),
        )
        .await;
    let start_job = start.body["job_id"].as_str().unwrap().to_owned();
    c.see("ECS/BatchStartServers", &accepted(start));
    t.wait_job(&start_job).await;
    t.wait_server(&id, "ACTIVE").await;
    let reboot = t
        .signed(
            "POST",
            &p("/v1/{p}/cloudservers/action"),
            &[],
            Some(json!({"reboot": {"type": "SOFT", "servers": [{"id": id}]}})),
        )
        .await;
    let reboot_job = reboot.body["job_id"].as_str().unwrap().to_owned();
    c.see("ECS/BatchRebootServers", &accepted(reboot));
    t.wait_job(&reboot_job).await;
    t.wait_server(&id, "ACTIVE").await;
    c.see(
        "EVS/DeleteSnapshot",
        &t.signed("DELETE", &snap_path, &[], None).await,
    );
    let del = t
        .signed(
            "POST",
            &p("/v1/{p}/cloudservers/delete"),
            &[],
            Some(json!({"servers": [{"id": id}], "delete_volume": true})),
        )
        .await;
    c.see("ECS/DeleteServers", &accepted(del));

    assert!(c.checked >= 40, "{}", c.checked);
    assert!(
        c.problems.is_empty(),
        "{} schema problems:\n{}",
        c.problems.len(),
        c.problems.join("\n")
    );
}

#[tokio::test]
async fn disk_changes_and_their_jobs_match_the_official_response_schemas() {
    let t = start(1000.0).await;
    let mut c = Checker {
        problems: vec![],
        checked: 0,
    };
    let p = |s: &str| t.p(s);
    let server = t.server_with_status("ACTIVE").await;
    let sid = server["id"].as_str().unwrap().to_owned();
    let az = server["OS-EXT-AZ:availability_zone"]
        .as_str()
        .unwrap()
        .to_owned();
    let create_path = p("/v2.1/{p}/cloudvolumes");
    let create = |body: Value| t.signed("POST", &create_path, &[], Some(body));

    let refused = create(
        json!({"volume": {"availability_zone": "nowhere", "volume_type": "SAS", "size": 10}}),
    )
    .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    c.see("EVS/CreateVolume", &refused);
    let made = create(json!({"volume": {"name": "oas", "availability_zone": az, "volume_type": "SAS", "size": 20}}))
        .await;
    c.see("EVS/CreateVolume", &made);
    let disk = made.body["volume_ids"][0].as_str().unwrap().to_owned();
    let job = made.body["job_id"].as_str().unwrap().to_owned();
    let job_path = p(&format!("/v1/{{p}}/jobs/{job}"));
    c.see("EVS/ShowJob", &t.signed("GET", &job_path, &[], None).await);
    t.wait_job(&job).await;
    c.see("EVS/ShowJob", &t.signed("GET", &job_path, &[], None).await);
    let batch = create(json!({"volume": {"name": "oas", "availability_zone": az, "volume_type": "SSD", "size": 10, "count": 2}}))
        .await;
    c.see("EVS/CreateVolume", &batch);
    let batch_job = t.wait_job(batch.body["job_id"].as_str().unwrap()).await;
    c.see(
        "EVS/ShowJob",
        &Answer {
            status: 200,
            headers: Default::default(),
            text: batch_job.to_string(),
            body: batch_job,
        },
    );
    t.wait_volume(&disk, "available").await;

    let disk_path = p(&format!("/v2/{{p}}/cloudvolumes/{disk}"));
    c.see(
        "EVS/UpdateVolume",
        &t.signed(
            "PUT",
            &disk_path,
            &[],
            Some(json!({"volume": {"name": "oas-renamed", "description": "d"}})),
        )
        .await,
    );
    let attach = t
        .signed(
            "POST",
            &p(&format!("/v1/{{p}}/cloudservers/{sid}/attachvolume")),
            &[],
            Some(json!({"volumeAttachment": {"volumeId": disk}})),
        )
        .await;
    let attach_job = attach.body["job_id"].as_str().unwrap().to_owned();
    c.see(
        "ECS/AttachServerVolume",
        &Answer {
            status: 200,
            ..attach
        },
    );
    let done = t.wait_job(&attach_job).await;
    assert_eq!(done["status"], "SUCCESS", "{done}");
    t.wait_volume(&disk, "in-use").await;

    let action = p(&format!("/v2.1/{{p}}/cloudvolumes/{disk}/action"));
    let shrink = t
        .signed(
            "POST",
            &action,
            &[],
            Some(json!({"os-extend": {"new_size": 10}})),
        )
        .await;
    assert_eq!(shrink.status, 400, "{}", shrink.text);
    c.see("EVS/ResizeVolume", &shrink);
    let grow = t
        .signed(
            "POST",
            &action,
            &[],
            Some(json!({"os-extend": {"new_size": 40}})),
        )
        .await;
    c.see("EVS/ResizeVolume", &grow);
    let grow_job = grow.body["job_id"].as_str().unwrap().to_owned();
    t.wait_job(&grow_job).await;
    c.see(
        "EVS/ShowJob",
        &t.signed("GET", &p(&format!("/v1/{{p}}/jobs/{grow_job}")), &[], None)
            .await,
    );
    t.wait_volume(&disk, "in-use").await;

    let in_use = t.signed("DELETE", &disk_path, &[], None).await;
    assert_eq!(in_use.status, 400, "{}", in_use.text);
    c.see("EVS/DeleteVolume", &in_use);
    let detach = t
        .signed(
            "DELETE",
            &p(&format!("/v1/{{p}}/cloudservers/{sid}/detachvolume/{disk}")),
            &[],
            None,
        )
        .await;
    let detach_job = detach.body["job_id"].as_str().unwrap().to_owned();
    c.see(
        "ECS/DetachServerVolume",
        &Answer {
            status: 200,
            ..detach
        },
    );
    c.see(
        "ECS/ShowJob",
        &t.signed(
            "GET",
            &p(&format!("/v1/{{p}}/jobs/{detach_job}")),
            &[],
            None,
        )
        .await,
    );
    t.wait_job(&detach_job).await;
    t.wait_volume(&disk, "available").await;
    let del = t.signed("DELETE", &disk_path, &[], None).await;
    c.see("EVS/DeleteVolume", &del);
    let del_job = del.body["job_id"].as_str().unwrap().to_owned();
    t.wait_job(&del_job).await;
    c.see(
        "EVS/ShowJob",
        &t.signed("GET", &p(&format!("/v1/{{p}}/jobs/{del_job}")), &[], None)
            .await,
    );

    assert_eq!(c.checked, 16);
    assert!(
        c.problems.is_empty(),
        "{} schema problems:\n{}",
        c.problems.len(),
        c.problems.join("\n")
    );
}

#[tokio::test]
async fn a_remote_login_matches_the_official_schema_and_needs_an_active_server() {
    let t = start(1000.0).await;
    let mut c = Checker {
        problems: vec![],
        checked: 0,
    };
    let path = |id: &str| t.p(&format!("/v1/{{p}}/cloudservers/{id}/remote_console"));
    let body = json!({"remote_console": {"protocol": "vnc", "type": "novnc"}});
    let active = t.server_with_status("ACTIVE").await;
    let id = active["id"].as_str().unwrap();
    let first = t.signed("POST", &path(id), &[], Some(body.clone())).await;
    assert_eq!(first.status, 200, "{}", first.text);
    c.see("ECS/ShowServerRemoteConsole", &first);
    let url = first.body["remote_console"]["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://") && url.contains("token="),
        "{url}"
    );
    let second = t.signed("POST", &path(id), &[], Some(body.clone())).await;
    c.see("ECS/ShowServerRemoteConsole", &second);
    assert_ne!(
        second.body["remote_console"]["url"], first.body["remote_console"]["url"],
        "each login has a token of its own"
    );

    let off = t.server_with_status("SHUTOFF").await;
    let refused = t
        .signed(
            "POST",
            &path(off["id"].as_str().unwrap()),
            &[],
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(
        refused.body["error"]["code"], "Ecs.0011",
        "{}",
        refused.text
    );
    let wrong = t
        .signed(
            "POST",
            &path(id),
            &[],
            Some(json!({"remote_console": {"protocol": "rdp", "type": "novnc"}})),
        )
        .await;
    assert_eq!(wrong.status, 400, "{}", wrong.text);
    assert_eq!(wrong.body["error"]["code"], "Ecs.0005", "{}", wrong.text);
    let missing = t
        .signed("POST", &path("no-such-server"), &[], Some(body))
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
    // A login changes nothing.
    let stats = t.stats().await;
    assert_eq!(stats["mutations"], 0, "{stats}");

    assert_eq!(c.checked, 2);
    assert!(c.problems.is_empty(), "{}", c.problems.join("\n"));
}

#[tokio::test]
async fn server_tags_match_the_official_schemas_and_their_documented_limits() {
    let t = start(1000.0).await;
    let mut c = Checker {
        problems: vec![],
        checked: 0,
    };
    let server = t.server_with_status("ACTIVE").await;
    let id = server["id"].as_str().unwrap();
    let action = t.p(&format!("/v1/{{p}}/cloudservers/{id}/tags/action"));
    let show = t.p(&format!("/v1/{{p}}/cloudservers/{id}/tags"));
    let before = t.signed("GET", &show, &[], None).await;
    c.see("ECS/ShowServerTags", &before);
    let had = before.body["tags"].as_array().unwrap().len();
    assert!(had <= 3, "{}", before.text);

    let create = json!({"action": "create", "tags": [
        {"key": "env", "value": "prod"}, {"key": "团队", "value": "运维"}, {"key": "backup"}]});
    let created = t.signed("POST", &action, &[], Some(create)).await;
    assert_eq!(created.status, 204, "{}", created.text);
    c.see("ECS/BatchCreateServerTags", &created);
    let now = t.signed("GET", &show, &[], None).await;
    c.see("ECS/ShowServerTags", &now);
    let tags = now.body["tags"].as_array().unwrap();
    assert!(
        tags.contains(&json!({"key": "env", "value": "prod"})),
        "{}",
        now.text
    );
    assert!(
        tags.contains(&json!({"key": "团队", "value": "运维"})),
        "{}",
        now.text
    );
    // The listing shows them as `key=value` strings.
    let listed = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            None,
        )
        .await;
    let strings = listed.body["server"]["tags"].as_array().unwrap();
    assert!(strings.contains(&json!("env=prod")), "{}", listed.text);

    let delete =
        json!({"action": "delete", "tags": [{"key": "env"}, {"key": "backup", "value": ""}]});
    let deleted = t.signed("POST", &action, &[], Some(delete)).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    c.see("ECS/BatchDeleteServerTags", &deleted);
    let after = t.signed("GET", &show, &[], None).await;
    let keys: Vec<&str> = after.body["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert!(!keys.contains(&"env") && !keys.contains(&"backup") && keys.contains(&"团队"));

    // Refused as the documents say: 400 Ecs.0005, and nothing changes.
    let eleven: Vec<Value> = (0..11)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    let ten_more: Vec<Value> = (0..10)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    for bad in [
        json!({"action": "CREATE", "tags": [{"key": "a", "value": "b"}]}),
        json!({"action": "create", "tags": []}),
        json!({"action": "create", "tags": eleven}),
        json!({"action": "create", "tags": ten_more}),
        json!({"action": "create", "tags": [{"key": "a.b", "value": "v"}]}),
        json!({"action": "create", "tags": [{"key": "k", "value": "a b"}]}),
        json!({"action": "create", "tags": [{"key": "k".repeat(37), "value": "v"}]}),
        json!({"action": "create", "tags": [{"key": "k", "value": "v".repeat(44)}]}),
    ] {
        let r = t.signed("POST", &action, &[], Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert_eq!(r.body["error"]["code"], "Ecs.0005", "{}", r.text);
    }
    let same = t.signed("GET", &show, &[], None).await;
    assert_eq!(same.body, after.body);
    let missing = t
        .signed(
            "POST",
            &t.p("/v1/{p}/cloudservers/no-such-server/tags/action"),
            &[],
            Some(json!({"action": "create", "tags": [{"key": "a", "value": "b"}]})),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
    let stats = t.stats().await;
    assert_eq!(stats["mutations"], 2, "{stats}");

    assert_eq!(c.checked, 4);
    assert!(c.problems.is_empty(), "{}", c.problems.join("\n"));
}
