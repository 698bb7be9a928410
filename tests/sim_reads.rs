//! The simulator's read APIs over real HTTP: each list's pagination style and its edges, filters,
//! show, limits, block devices, and the documented 4xx for bad input.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sim_support;

use serde_json::{Value, json};
use sim_support::start;

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn v1_server_list_pages_by_page_number_with_a_total_count() {
    let t = start(1000.0).await;
    let path = t.p("/v1/{p}/cloudservers/detail");
    let p1 = t
        .signed("GET", &path, &[("limit", "7"), ("offset", "1")], None)
        .await;
    let p0 = t
        .signed("GET", &path, &[("limit", "7"), ("offset", "0")], None)
        .await;
    let p2 = t
        .signed("GET", &path, &[("limit", "7"), ("offset", "2")], None)
        .await;
    let all = t.signed("GET", &path, &[("limit", "1000")], None).await;
    let count = all.body["count"].as_u64().unwrap();
    assert_eq!(count, 20, "60 servers over 3 regions");
    assert_eq!(p1.body["count"], count);
    assert_eq!(
        ids(&p0.body, "servers"),
        ids(&p1.body, "servers"),
        "offset 0 is page 1"
    );
    let (a, b) = (ids(&p1.body, "servers"), ids(&p2.body, "servers"));
    assert_eq!((a.len(), b.len()), (7, 7));
    assert_eq!(
        [a.clone(), b].concat(),
        ids(&all.body, "servers")[..14].to_vec(),
        "page 2 starts at item 8, not 3"
    );
    let last = t
        .signed("GET", &path, &[("limit", "7"), ("offset", "3")], None)
        .await;
    assert_eq!(ids(&last.body, "servers").len(), 6);
    let past = t
        .signed("GET", &path, &[("limit", "7"), ("offset", "9")], None)
        .await;
    assert_eq!(
        (past.status, past.body["servers"].as_array().unwrap().len()),
        (200, 0)
    );
    assert_eq!(past.body["count"], count);

    let two = format!("{},{}", a[0], a[3]);
    let sel = t
        .signed(
            "GET",
            &path,
            &[("server_id", &two), ("status", "ERROR")],
            None,
        )
        .await;
    assert_eq!(
        ids(&sel.body, "servers"),
        vec![a[0].clone(), a[3].clone()],
        "other filters are ignored with server_id"
    );
    assert_eq!(sel.body["count"], 2);

    for (k, v) in [
        ("limit", "1001"),
        ("limit", "0"),
        ("limit", "ten"),
        ("status", "RUNNING"),
        ("offset", "-1"),
    ] {
        let e = t.signed("GET", &path, &[(k, v)], None).await;
        assert_eq!(e.status, 400, "{k}={v}");
        assert_eq!(e.body["error"]["code"], "Ecs.0005");
        assert!(
            e.body["error"]["message"].as_str().unwrap().contains(k),
            "{}",
            e.text
        );
    }
    let shut = t
        .signed(
            "GET",
            &path,
            &[("status", "SHUTOFF"), ("limit", "1000")],
            None,
        )
        .await;
    assert!(
        shut.body["servers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "SHUTOFF")
    );
    let name = t.signed("GET", &path, &[("name", "ecs.web")], None).await;
    assert!(
        name.body["servers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["name"].as_str().unwrap().starts_with("ecs-web"))
    );
    assert!(name.body["count"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn v11_and_nova_lists_page_by_marker_without_a_count() {
    let t = start(1000.0).await;
    let v1 = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/detail"),
            &[("limit", "1000")],
            None,
        )
        .await;
    let want = ids(&v1.body, "servers");
    for (path, limit) in [
        (t.p("/v1.1/{p}/cloudservers/detail"), "6"),
        (t.p("/v2.1/{p}/servers/detail"), "9"),
    ] {
        let mut seen = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let mut q = vec![("limit", limit)];
            if let Some(m) = &marker {
                q.push(("marker", m.as_str()));
            }
            let a = t.signed("GET", &path, &q, None).await;
            assert_eq!(a.status, 200, "{}", a.text);
            assert!(a.body.get("count").is_none());
            seen.extend(ids(&a.body, "servers"));
            let links = a.body["servers_links"].as_array().unwrap();
            if links.is_empty() {
                break;
            }
            assert_eq!(links[0]["rel"], "next");
            marker = seen.last().cloned();
        }
        assert_eq!(seen, want, "{path}");
    }
    let v11 = t
        .signed(
            "GET",
            &t.p("/v1.1/{p}/cloudservers/detail"),
            &[("limit", "1")],
            None,
        )
        .await;
    assert!(
        v11.body["servers"][0]["flavor"]["vcpus"].is_u64(),
        "integers in v1.1"
    );
    assert!(
        v1.body["servers"][0]["flavor"]["vcpus"].is_string(),
        "strings in v1"
    );
    let e = t
        .signed(
            "GET",
            &t.p("/v1.1/{p}/cloudservers/detail"),
            &[("limit", "101")],
            None,
        )
        .await;
    assert_eq!(e.status, 400);
    let e = t
        .signed(
            "GET",
            &t.p("/v1.1/{p}/cloudservers/detail"),
            &[("marker", "00000000-0000-0000-0000-000000000000")],
            None,
        )
        .await;
    assert_eq!(e.status, 400);
    assert!(
        e.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("marker")
    );
}

#[tokio::test]
async fn show_limits_block_devices_azs_and_flavors() {
    let t = start(1000.0).await;
    let s = t.server_with_status("ACTIVE").await;
    let id = s["id"].as_str().unwrap();
    let a = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}")),
            &[],
            None,
        )
        .await;
    assert_eq!(a.body["server"]["OS-EXT-STS:power_state"], 1);
    assert_eq!(a.body["server"]["OS-EXT-STS:vm_state"], "active");
    assert!(a.body["server"]["created"].as_str().unwrap().ends_with('Z'));
    let a = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/6b0b8a31-0000-4000-8000-000000000000"),
            &[],
            None,
        )
        .await;
    assert_eq!(a.status, 404);
    assert!(
        a.body["error"]["code"]
            .as_str()
            .unwrap()
            .starts_with("Ecs.")
    );
    let b = t
        .signed(
            "GET",
            &t.p(&format!("/v1/{{p}}/cloudservers/{id}/block_device")),
            &[],
            None,
        )
        .await;
    let atts = b.body["volumeAttachments"].as_array().unwrap();
    assert_eq!(atts.iter().filter(|a| a["bootIndex"] == 0).count(), 1);
    let sys = atts.iter().find(|a| a["bootIndex"] == 0).unwrap();
    assert_eq!(sys["device"], "/dev/vda");
    let one = t
        .signed(
            "GET",
            &t.p(&format!(
                "/v1/{{p}}/cloudservers/{id}/block_device/{}",
                sys["volumeId"].as_str().unwrap()
            )),
            &[],
            None,
        )
        .await;
    assert_eq!(one.body["volumeAttachment"]["serverId"], id);
    let l = t
        .signed("GET", &t.p("/v1/{p}/cloudservers/limits"), &[], None)
        .await;
    assert_eq!(l.body["absolute"]["totalInstancesUsed"], 20);
    assert!(l.body["absolute"]["maxTotalInstances"].as_u64().unwrap() >= 200);
    let z = t
        .signed("GET", &t.p("/v2.1/{p}/os-availability-zone"), &[], None)
        .await;
    assert_eq!(z.body["availabilityZoneInfo"].as_array().unwrap().len(), 3);
    let f = t
        .signed("GET", &t.p("/v1/{p}/cloudservers/flavors"), &[], None)
        .await;
    let fl = f.body["flavors"].as_array().unwrap();
    assert!(fl.iter().any(|f| {
        f["os_extra_specs"]["cond:operation:az"]
            .as_str()
            .unwrap()
            .contains("sellout")
    }));
    assert!(
        fl.iter()
            .all(|f| f["vcpus"].is_string() && f["ram"].is_u64())
    );
    let page = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/flavors"),
            &[("limit", "3"), ("marker", fl[2]["id"].as_str().unwrap())],
            None,
        )
        .await;
    assert_eq!(page.body["flavors"][0]["id"], fl[3]["id"]);
    let e = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/flavors"),
            &[("availability_zone", "mars-1a")],
            None,
        )
        .await;
    assert_eq!(
        (e.status, e.body["error"]["code"].as_str()),
        (400, Some("Ecs.0005"))
    );
    let r = t
        .signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/resize_flavors"),
            &[("instance_uuid", id)],
            None,
        )
        .await;
    assert!(
        ids(&r.body, "flavors")
            .iter()
            .all(|f| f != s["flavor"]["id"].as_str().unwrap())
    );
    assert_eq!(
        t.signed(
            "GET",
            &t.p("/v1/{p}/cloudservers/resize_flavors"),
            &[],
            None
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn evs_lists_page_by_item_offset() {
    let t = start(1000.0).await;
    let path = t.p("/v2/{p}/cloudvolumes/detail");
    let all = t.signed("GET", &path, &[], None).await;
    let every = ids(&all.body, "volumes");
    assert_eq!(all.body["count"].as_u64().unwrap() as usize, every.len());
    let page = t
        .signed("GET", &path, &[("offset", "3"), ("limit", "2")], None)
        .await;
    assert_eq!(
        ids(&page.body, "volumes"),
        every[3..5].to_vec(),
        "offset counts items"
    );
    let next = page.body["volumes_links"][0]["href"].as_str().unwrap();
    assert!(next.contains(&format!("marker={}", every[4])));
    let by_marker = t
        .signed("GET", &path, &[("marker", &every[4]), ("limit", "2")], None)
        .await;
    assert_eq!(ids(&by_marker.body, "volumes"), every[5..7].to_vec());
    let tail = t
        .signed(
            "GET",
            &path,
            &[("offset", &(every.len() - 1).to_string())],
            None,
        )
        .await;
    assert_eq!(tail.body["volumes_links"], json!([]));
    assert!(
        all.body["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["bootable"].is_string())
    );
    let e = t.signed("GET", &path, &[("limit", "1001")], None).await;
    assert_eq!(e.status, 400);
    assert!(
        e.body["error"]["code"]
            .as_str()
            .unwrap()
            .starts_with("EVS.")
    );
    let one = t
        .signed(
            "GET",
            &t.p(&format!("/v2/{{p}}/cloudvolumes/{}", every[0])),
            &[],
            None,
        )
        .await;
    assert_eq!(one.body["volume"]["id"], every[0].as_str());

    let snaps = t
        .signed("GET", &t.p("/v2/{p}/cloudsnapshots/detail"), &[], None)
        .await;
    let all_snaps = ids(&snaps.body, "snapshots");
    assert_eq!(
        snaps.body["count"].as_u64().unwrap() as usize,
        all_snaps.len()
    );
    if all_snaps.len() > 1 {
        let p = t
            .signed(
                "GET",
                &t.p("/v2/{p}/cloudsnapshots/detail"),
                &[("offset", "1"), ("limit", "1")],
                None,
            )
            .await;
        assert_eq!(ids(&p.body, "snapshots"), all_snaps[1..2].to_vec());
    }
    let q = t
        .signed(
            "GET",
            &t.p("/v2/{p}/os-quota-sets/{p}"),
            &[("usage", "True")],
            None,
        )
        .await;
    assert_eq!(
        q.body["quota_set"]["volumes"]["in_use"].as_u64().unwrap() as usize,
        every.len()
    );
    let other = format!("/v2/{}/os-quota-sets/{}", t.project, t.other_project);
    assert_eq!(t.signed("GET", &other, &[], None).await.status, 403);
}

#[tokio::test]
async fn ims_lists_page_by_marker_and_check_filters() {
    let t = start(1000.0).await;
    let all = t.signed("GET", "/v2/cloudimages", &[], None).await;
    let every = ids(&all.body, "images");
    assert_eq!(
        every.len(),
        7,
        "six public images and this project's private one"
    );
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut q = vec![("limit", "3")];
        if let Some(m) = &marker {
            q.push(("marker", m.as_str()));
        }
        let a = t.signed("GET", "/v2/cloudimages", &q, None).await;
        seen.extend(ids(&a.body, "images"));
        match a.body["page_info"]["next_marker"].as_str() {
            Some(m) => marker = Some(m.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, every);
    let e = t
        .signed("GET", "/v2/cloudimages", &[("__imagetype", "golden")], None)
        .await;
    assert_eq!(
        (e.status, e.body["error"]["code"].as_str()),
        (400, Some("IMG.0024"))
    );
    let win = t
        .signed(
            "GET",
            "/v2/cloudimages",
            &[("__os_type", "Windows"), ("__imagetype", "gold")],
            None,
        )
        .await;
    assert_eq!(win.body["images"].as_array().unwrap().len(), 3);
    let one = t
        .signed("GET", &format!("/v2/images/{}", every[0]), &[], None)
        .await;
    assert_eq!(one.body["id"], every[0].as_str(), "not wrapped");
    assert!(one.body["__image_size"].is_string());
    assert_eq!(
        t.signed(
            "GET",
            "/v2/images/00000000-0000-0000-0000-000000000000",
            &[],
            None
        )
        .await
        .status,
        404
    );
    let q = t.signed("GET", "/v1/cloudimages/quota", &[], None).await;
    assert_eq!(q.body["quotas"]["resources"][0]["type"], "image");
}

#[tokio::test]
async fn vpcs_and_subnets() {
    let t = start(1000.0).await;
    let v = t.signed("GET", &t.p("/v1/{p}/vpcs"), &[], None).await;
    let vpcs = ids(&v.body, "vpcs");
    assert_eq!(vpcs.len(), 2);
    let s = t
        .signed(
            "GET",
            &t.p("/v1/{p}/subnets"),
            &[("vpc_id", &vpcs[0])],
            None,
        )
        .await;
    let subnets = s.body["subnets"].as_array().unwrap();
    assert!(!subnets.is_empty() && subnets.iter().all(|x| x["vpc_id"] == vpcs[0].as_str()));
    let page = t
        .signed(
            "GET",
            &t.p("/v1/{p}/vpcs"),
            &[("marker", &vpcs[0]), ("limit", "1")],
            None,
        )
        .await;
    assert_eq!(ids(&page.body, "vpcs"), vec![vpcs[1].clone()]);
}

#[tokio::test]
async fn malformed_and_wrong_typed_bodies_get_a_400_that_names_the_problem() {
    let t = start(1000.0).await;
    let path = t.p("/v1/{p}/cloudservers/action");
    for (body, needle) in [
        (json!({"os-start": {"servers": "all"}}), "invalid type"),
        (json!({"os-start": {}}), "missing field `servers`"),
        (json!({"os-jump": {"servers": []}}), "os-jump"),
        (json!({"os-start": {"servers": []}}), "1 to 1000"),
        (json!({"reboot": {"servers": [{"id": "a"}]}}), "reboot.type"),
        (
            json!({"os-stop": {"type": "GENTLE", "servers": [{"id": "a"}]}}),
            "GENTLE",
        ),
    ] {
        let a = t.signed("POST", &path, &[], Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}: {}", a.text);
        assert_eq!(a.body["error"]["code"], "Ecs.0005");
        assert!(
            a.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{body}: {}",
            a.text
        );
    }
    let a = t
        .signed("POST", &path, &[], Some(json!("not an object")))
        .await;
    assert_eq!(a.status, 400);
    let a = t
        .signed(
            "POST",
            &path,
            &[],
            Some(
                json!({"os-start": {"servers": [{"id": "0f2d7a45-0000-4000-8000-000000000000"}]}}),
            ),
        )
        .await;
    assert_eq!(a.status, 404);
    assert!(a.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn stats_count_requests_by_route_template_and_accepted_changes() {
    let t = start(1000.0).await;
    let s = t.server_with_status("SHUTOFF").await;
    let id = s["id"].as_str().unwrap();
    t.act(json!({"os-start": {"servers": [{"id": id}]}})).await;
    let refused = t
        .signed(
            "POST",
            &t.p("/v1/{p}/cloudservers/action"),
            &[],
            Some(json!({"bogus": 1})),
        )
        .await;
    assert_eq!(refused.status, 400);
    let st = t.stats().await;
    assert_eq!(st["mutations"], 1, "{st}");
    let reqs = st["requests"].as_array().unwrap();
    assert!(
        reqs.iter()
            .any(|r| r["route"] == "/v1/{project_id}/cloudservers/action"
                && r["count"] == 1
                && r["method"] == "POST"
                && r["status"].as_u64().unwrap() / 100 == 2)
    );
    assert!(
        reqs.iter()
            .any(|r| r["route"] == "/v1/{project_id}/jobs/{job_id}")
    );
    assert_eq!(st["jobs"]["SUCCESS"], 1);
}

#[tokio::test]
async fn garbage_bodies_on_every_change_route_get_a_4xx_never_a_500() {
    let t = start(1000.0).await;
    let s = t.server_with_status("SHUTOFF").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let snaps = t
        .signed("GET", &t.p("/v2/{p}/cloudsnapshots/detail"), &[], None)
        .await;
    let snap = snaps.body["snapshots"][0]["id"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    let img = t
        .signed(
            "GET",
            "/v2/cloudimages",
            &[("__imagetype", "private")],
            None,
        )
        .await;
    let image = img.body["images"][0]["id"].as_str().unwrap().to_owned();
    let routes = [
        ("POST", t.p("/v1/{p}/cloudservers")),
        ("POST", t.p("/v1.1/{p}/cloudservers")),
        ("POST", t.p("/v1/{p}/cloudservers/action")),
        ("POST", t.p("/v1/{p}/cloudservers/delete")),
        ("POST", t.p(&format!("/v1/{{p}}/cloudservers/{s}/resize"))),
        ("PUT", t.p(&format!("/v1/{{p}}/cloudservers/{s}"))),
        ("PUT", t.p("/v1/{p}/cloudservers/server-name")),
        (
            "POST",
            t.p(&format!("/v1/{{p}}/cloudservers/{s}/attachvolume")),
        ),
        ("POST", "/v2/cloudimages/action".to_owned()),
        ("PATCH", format!("/v2/cloudimages/{image}")),
        ("POST", t.p("/v2/{p}/cloudsnapshots")),
        ("PUT", t.p(&format!("/v2/{{p}}/cloudsnapshots/{snap}"))),
        (
            "POST",
            t.p(&format!("/v2/{{p}}/cloudsnapshots/{snap}/rollback")),
        ),
    ];
    let bodies = [
        json!(null),
        json!([]),
        json!({}),
        json!(17),
        json!({"server": {"name": 5}}),
        json!({"servers": [{"id": 1}]}),
    ];
    for (method, path) in &routes {
        for b in &bodies {
            let a = t.signed(method, path, &[], Some(b.clone())).await;
            assert!(
                (400..500).contains(&a.status),
                "{method} {path} {b}: {} {}",
                a.status,
                a.text
            );
            assert!(
                a.body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{method} {path} {b}: {}",
                a.text
            );
        }
    }
    assert_eq!(t.stats().await["mutations"], 0);
}
