//! The simulator's API gateway over real HTTP: AK/SK signature edge cases, tokens, projects,
//! request ids, and the gateway error shapes.

mod sim_support;

use serde_json::json;
use sim_support::{Signed, answer, sdk_date_now, start};

#[tokio::test]
async fn signed_requests_verify_with_repeated_keys_non_ascii_and_spaces() {
    let t = start(1000.0).await;
    let path = t.p("/v1/{p}/cloudservers/detail");
    let a = t
        .signed(
            "GET",
            &path,
            &[
                ("name", "ecs web"),
                ("tags", "env=prod"),
                ("tags", "团队"),
                ("limit", "5"),
            ],
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let rid = a.headers["x-request-id"].to_str().unwrap();
    assert!(rid.len() == 32 && rid.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test]
async fn query_sent_in_another_order_and_encoding_still_verifies_but_a_changed_one_fails() {
    let t = start(1000.0).await;
    let c = t.handle.credentials();
    let host = t.host();
    let path = t.p("/v1/{p}/cloudservers/detail");
    let s = Signed {
        ak: &c.ak,
        sk: c.sk.expose(),
        method: "GET",
        host: &host,
        path: &path,
        query: vec![("name".into(), "a b".into()), ("limit".into(), "3".into())],
        headers: vec![("X-Project-Id".into(), t.project.clone())],
        body: vec![],
        date: sdk_date_now(),
    };
    let (auth, headers) = s.sign();
    let send = |query: &'static str| {
        let mut req = t
            .http
            .get(format!("{}?{query}", t.url(&path)))
            .header("Authorization", auth.clone());
        for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
            req = req.header(k, v);
        }
        req.send()
    };
    // Same pairs, other order, `+` for the space: the server canonicalizes both.
    let a = answer(send("limit=3&name=a+b").await.unwrap()).await;
    assert_eq!(a.status, 200, "{}", a.text);
    // A changed value must fail: the query is part of the signature.
    let a = answer(send("limit=4&name=a+b").await.unwrap()).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.body["error_code"], "APIGW.0301");
    assert!(
        a.body["error_msg"]
            .as_str()
            .unwrap()
            .contains("verify aksk signature fail")
    );
    assert_eq!(
        a.body["request_id"],
        a.headers["x-request-id"].to_str().unwrap()
    );
}

#[tokio::test]
async fn body_hash_is_checked_and_unsigned_payload_is_accepted() {
    let t = start(1000.0).await;
    let c = t.handle.credentials();
    let host = t.host();
    let path = t.p("/v1/{p}/cloudservers/action");
    let signed_body = serde_json::to_vec(&json!({"os-start": {"servers": [{"id": "x"}]}})).unwrap();
    let s = Signed {
        ak: &c.ak,
        sk: c.sk.expose(),
        method: "POST",
        host: &host,
        path: &path,
        query: vec![],
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-Project-Id".into(), t.project.clone()),
        ],
        body: signed_body,
        date: sdk_date_now(),
    };
    let req = t.request(&t.http, &s);
    let other = serde_json::to_vec(&json!({"os-start": {"servers": [{"id": "y"}]}})).unwrap();
    let a = answer(req.body(other).send().await.unwrap()).await;
    assert_eq!(a.status, 401, "{}", a.text);

    // IMS PATCH with the JSON-patch content type: X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD.
    let img = t
        .signed(
            "GET",
            "/v2/cloudimages",
            &[("__imagetype", "private")],
            None,
        )
        .await;
    let id = img.body["images"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/v2/cloudimages/{id}");
    let body =
        serde_json::to_vec(&json!([{"op": "replace", "path": "/name", "value": "renamed-image"}]))
            .unwrap();
    let s = Signed {
        ak: &c.ak,
        sk: c.sk.expose(),
        method: "PATCH",
        host: &host,
        path: &path,
        query: vec![],
        headers: vec![
            (
                "Content-Type".into(),
                "application/openstack-images-v2.1-json-patch".into(),
            ),
            ("X-Project-Id".into(), t.project.clone()),
            ("X-Sdk-Content-Sha256".into(), "UNSIGNED-PAYLOAD".into()),
        ],
        body: body.clone(),
        date: sdk_date_now(),
    };
    let req = t.request(&t.http, &s);
    let a = answer(req.send().await.unwrap()).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["name"], "renamed-image");
}

#[tokio::test]
async fn clock_skew_beyond_fifteen_minutes_is_refused() {
    let t = start(1000.0).await;
    let c = t.handle.credentials();
    let host = t.host();
    let path = t.p("/v1/{p}/cloudservers/limits");
    for (minutes, want) in [(14i64, 200u16), (16, 401)] {
        let date = (chrono::Utc::now() - chrono::Duration::minutes(minutes))
            .format("%Y%m%dT%H%M%SZ")
            .to_string();
        let s = Signed {
            date,
            ..Signed::project_get(c, &host, &path, &t.project)
        };
        let req = t.request(&t.http, &s);
        let a = answer(req.send().await.unwrap()).await;
        assert_eq!(a.status, want, "{minutes} min: {}", a.text);
    }
}

#[tokio::test]
async fn credentials_for_one_project_are_refused_on_another() {
    let t = start(1000.0).await;
    let path = t.p("/v1/{p}/cloudservers/limits");
    let other = t.other_project.clone();
    let a = t.signed_as("GET", &path, &[], None, Some(&other)).await;
    assert_eq!(a.status, 403, "{}", a.text);
    assert!(a.body["error_code"].as_str().unwrap().starts_with("APIGW."));
    // Without X-Project-Id the AK/SK works on any of the account's projects.
    assert_eq!(t.signed_as("GET", &path, &[], None, None).await.status, 200);

    let tok = t.token(json!({"project": {"name": "cn-east-2"}})).await;
    assert_eq!(t.with_token(&tok, "GET", &path, None).await.status, 403);
    let mine = format!("/v1/{other}/cloudservers/limits");
    assert_eq!(t.with_token(&tok, "GET", &mine, None).await.status, 200);
    let domain = t
        .token(json!({"domain": {"name": t.handle.credentials().domain}}))
        .await;
    assert_eq!(t.with_token(&domain, "GET", &mine, None).await.status, 403);
    assert_eq!(
        t.with_token(&domain, "GET", "/v3/auth/projects", None)
            .await
            .status,
        200
    );
    // IMS has no project in the path: the token's project, or X-Project-Id, is needed.
    assert_eq!(
        t.with_token(&domain, "GET", "/v2/cloudimages", None)
            .await
            .status,
        403
    );
    assert_eq!(
        t.signed_as("GET", "/v2/cloudimages", &[], None, None)
            .await
            .status,
        403
    );
    assert_eq!(
        t.with_token(&tok, "GET", "/v2/cloudimages", None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn missing_bad_and_unknown_credentials_get_gateway_errors() {
    let t = start(1000.0).await;
    let path = t.p("/v1/{p}/cloudservers/limits");
    let a = answer(t.http.get(t.url(&path)).send().await.unwrap()).await;
    assert_eq!(a.status, 401);
    assert!(
        a.body["error_msg"]
            .as_str()
            .unwrap()
            .contains("x-auth-token not found")
    );
    assert!(a.headers.contains_key("x-request-id"));
    let a = t.with_token("MIIDkgnotatoken", "GET", &path, None).await;
    assert_eq!(
        (a.status, a.body["error_code"].as_str()),
        (401, Some("APIGW.0301"))
    );
    let a = answer(
        t.http
            .get(t.url(&path))
            .header(
                "Authorization",
                "SDK-HMAC-SHA256 Access=NOPE, SignedHeaders=host;x-sdk-date, Signature=00",
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 401);
    let a = answer(t.http.get(t.url("/v9/nothing")).send().await.unwrap()).await;
    assert_eq!(
        (a.status, a.body["error_code"].as_str()),
        (404, Some("APIGW.0101"))
    );
}

#[tokio::test]
async fn five_bad_signatures_lock_the_ak() {
    let t = start(1000.0).await;
    let c = t.handle.credentials().clone();
    let host = t.host();
    let path = t.p("/v1/{p}/cloudservers/limits");
    let send = |sk: String| {
        let s = Signed {
            ak: &c.ak,
            sk: &sk,
            method: "GET",
            host: &host,
            path: &path,
            query: vec![],
            headers: vec![],
            body: vec![],
            date: sdk_date_now(),
        };
        t.request(&t.http, &s).send()
    };
    for _ in 0..5 {
        assert_eq!(send("wrong".into()).await.unwrap().status(), 401);
    }
    let a = answer(send(c.sk.expose().to_owned()).await.unwrap()).await;
    assert_eq!(a.status, 401);
    assert!(
        a.body["error_msg"]
            .as_str()
            .unwrap()
            .contains("limit,forbidden"),
        "{}",
        a.text
    );
}

#[tokio::test]
async fn iam_tokens_regions_and_projects() {
    let t = start(1000.0).await;
    let c = t.handle.credentials();
    let bad = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": c.user, "password": "nope", "domain": {"name": c.domain}}}}}});
    let a = answer(
        t.http
            .post(t.url("/v3/auth/tokens"))
            .json(&bad)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 401);
    assert_eq!(a.body["error"]["code"], 401);
    assert_eq!(a.body["error"]["title"], "Unauthorized");
    let a = answer(
        t.http
            .post(t.url("/v3/auth/tokens"))
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_u64()),
        (400, Some(400))
    );

    let r = t
        .http
        .post(t.url("/v3/auth/tokens?nocatalog=true"))
        .json(
            &json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": c.user, "password": c.password.expose(), "domain": {"name": c.domain}}}},
            "scope": {"project": {"name": "cn-north-1"}}}}),
        )
        .send()
        .await
        .unwrap();
    let tok = r.headers()["x-subject-token"].to_str().unwrap().to_owned();
    let a = answer(r).await;
    assert_eq!(a.status, 201);
    assert_eq!(a.body["token"]["project"]["id"], t.project.as_str());
    assert_eq!(a.body["token"]["catalog"], json!([]));
    assert!(
        a.body["token"]["expires_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let a = t.with_token(&tok, "GET", "/v3/regions", None).await;
    assert_eq!(a.body["regions"].as_array().unwrap().len(), 3);
    let a = t.with_token(&tok, "GET", "/v3/auth/projects", None).await;
    assert_eq!(a.body["projects"].as_array().unwrap().len(), 3);
    // What the SDK does with `.with_region(r)` and no project id.
    let a = t
        .signed_as("GET", "/v3/projects", &[("name", "cn-east-2")], None, None)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["projects"].as_array().unwrap().len(), 1);
    assert_eq!(a.body["projects"][0]["id"], t.other_project.as_str());
    let a = t
        .signed_as("GET", "/v3/projects", &[("page", "1")], None, None)
        .await;
    assert_eq!(a.status, 400);
    assert!(a.body["error_msg"].as_str().unwrap().contains("together"));
}
