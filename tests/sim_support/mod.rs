//! Test support for the simulator tests: start one in-process, and talk to it over real HTTP
//! with a token or with AK/SK signatures made by this file's own signer (written from api.md §9,
//! independent of src/sim and src/gateway).
// Test support: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::time::Duration;

use hmac::{Hmac, Mac};
use hvecs::sim::{Credentials, SimHandle, SimOptions};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct TestSim {
    pub handle: SimHandle,
    pub http: reqwest::Client,
    pub project: String,
    pub other_project: String,
}

pub async fn start_with(mut opts: SimOptions) -> TestSim {
    if opts.servers == SimOptions::default().servers {
        opts.servers = 60;
    }
    let handle = hvecs::sim::start(opts).await.unwrap();
    let project = handle.regions()[0].project_id.clone();
    let other_project = handle.regions()[1].project_id.clone();
    TestSim {
        handle,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        project,
        other_project,
    }
}

pub async fn start(speed: f64) -> TestSim {
    start_with(SimOptions {
        speed,
        ..SimOptions::default()
    })
    .await
}

const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// A request signed SDK-HMAC-SHA256. `query` pairs are sent in canonical form.
pub struct Signed<'a> {
    pub ak: &'a str,
    pub sk: &'a str,
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub date: String,
}

impl<'a> Signed<'a> {
    /// A body-less GET of `path` with `X-Project-Id: project`, signed with `c`'s AK/SK, dated now.
    pub fn project_get(c: &'a Credentials, host: &'a str, path: &'a str, project: &str) -> Self {
        Signed {
            ak: &c.ak,
            sk: c.sk.expose(),
            method: "GET",
            host,
            path,
            query: vec![],
            headers: vec![("X-Project-Id".into(), project.to_owned())],
            body: vec![],
            date: sdk_date_now(),
        }
    }

    pub fn canonical_query(&self) -> String {
        // Sorted on the raw names and values, then encoded (as the official SDK's signer does).
        let mut q = self.query.clone();
        q.sort();
        q.iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// (Authorization, all headers to send).
    pub fn sign(&self) -> (String, Vec<(String, String)>) {
        let mut headers = self.headers.clone();
        headers.push(("Host".into(), self.host.into()));
        headers.push(("X-Sdk-Date".into(), self.date.clone()));
        let mut names: Vec<String> = headers
            .iter()
            .map(|(k, _)| k.to_ascii_lowercase())
            .collect();
        names.sort();
        names.dedup();
        let uri: Vec<String> = self.path.split('/').map(enc).collect();
        let mut uri = uri.join("/");
        if !uri.ends_with('/') {
            uri.push('/');
        }
        let mut canon = format!("{}\n{}\n{}\n", self.method, uri, self.canonical_query());
        for n in &names {
            let v = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.trim())
                .unwrap_or("");
            canon.push_str(&format!("{n}:{v}\n"));
        }
        let payload = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-sdk-content-sha256"))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| hex::encode(Sha256::digest(&self.body)));
        canon.push_str(&format!("\n{}\n{}", names.join(";"), payload));
        let sts = format!(
            "SDK-HMAC-SHA256\n{}\n{}",
            self.date,
            hex::encode(Sha256::digest(canon.as_bytes()))
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(self.sk.as_bytes()).unwrap();
        mac.update(sts.as_bytes());
        let sig = hex::encode(mac.finalize().into_bytes());
        (
            format!(
                "SDK-HMAC-SHA256 Access={}, SignedHeaders={}, Signature={sig}",
                self.ak,
                names.join(";")
            ),
            headers,
        )
    }
}

pub fn sdk_date_now() -> String {
    chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string()
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

pub async fn answer(r: Response) -> Answer {
    try_answer(r).await.unwrap()
}

pub async fn try_answer(r: Response) -> Result<Answer, reqwest::Error> {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await?;
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        headers,
        body,
        text,
    })
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    /// The request for a `Signed` (signed now): its method, canonical query, headers and body.
    pub fn request(&self, client: &reqwest::Client, s: &Signed) -> reqwest::RequestBuilder {
        let (auth, headers) = s.sign();
        let q = s.canonical_query();
        let mut url = self.url(s.path);
        if !q.is_empty() {
            url = format!("{url}?{q}");
        }
        let mut req = client
            .request(Method::from_bytes(s.method.as_bytes()).unwrap(), url)
            .header("Authorization", auth);
        for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
            req = req.header(k, v);
        }
        req.body(s.body.clone())
    }

    /// The first VPC and its subnet that serves every AZ.
    pub async fn network(&self) -> (String, String) {
        let v = self.signed("GET", &self.p("/v1/{p}/vpcs"), &[], None).await;
        let vpc = v.body["vpcs"][0]["id"].as_str().unwrap().to_owned();
        let s = self
            .signed("GET", &self.p("/v1/{p}/subnets"), &[("vpc_id", &vpc)], None)
            .await;
        let subnets = s.body["subnets"].as_array().unwrap();
        let subnet = subnets
            .iter()
            .find(|s| s["availability_zone"] == "")
            .unwrap();
        (vpc, subnet["id"].as_str().unwrap().to_owned())
    }

    pub fn host(&self) -> String {
        self.handle.addr().to_string()
    }

    /// Sends an AK/SK-signed request with `X-Project-Id` (like the official SDK).
    pub async fn signed(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        self.signed_as(method, path, query, body, Some(&self.project.clone()))
            .await
    }

    pub async fn signed_as(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
        project: Option<&str>,
    ) -> Answer {
        self.send_signed(method, path, query, body, project, None)
            .await
    }

    /// A signed request with one more (signed) header.
    pub async fn signed_with_header(
        &self,
        method: &str,
        path: &str,
        body: Value,
        extra: (&str, &str),
    ) -> Answer {
        self.send_signed(
            method,
            path,
            &[],
            Some(body),
            Some(&self.project.clone()),
            Some(extra),
        )
        .await
    }

    async fn send_signed(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
        project: Option<&str>,
        extra: Option<(&str, &str)>,
    ) -> Answer {
        self.try_send_signed(method, path, query, body, project, extra)
            .await
            .unwrap()
    }

    async fn try_send_signed(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
        project: Option<&str>,
        extra: Option<(&str, &str)>,
    ) -> Result<Answer, reqwest::Error> {
        let c = self.handle.credentials();
        let body_bytes = body
            .map(|b| serde_json::to_vec(&b).unwrap())
            .unwrap_or_default();
        let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
        if let Some(p) = project {
            headers.push(("X-Project-Id".into(), p.into()));
        }
        if let Some((k, v)) = extra {
            headers.push((k.into(), v.into()));
        }
        let host = self.host();
        let s = Signed {
            ak: &c.ak,
            sk: c.sk.expose(),
            method,
            host: &host,
            path,
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            headers,
            body: body_bytes,
            date: sdk_date_now(),
        };
        try_answer(self.request(&self.http, &s).send().await?).await
    }

    /// A signed request sent once; `None` when the connection dropped or the body was cut.
    pub async fn signed_try(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Option<Answer> {
        self.try_send_signed(method, path, &[], body, Some(&self.project.clone()), None)
            .await
            .ok()
    }

    pub async fn token(&self, scope: Value) -> String {
        let c = self.handle.credentials();
        let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": c.user, "password": c.password.expose(), "domain": {"name": c.domain}}}}, "scope": scope}});
        let r = self
            .http
            .post(self.url("/v3/auth/tokens"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        r.headers()["x-subject-token"].to_str().unwrap().to_owned()
    }

    pub async fn with_token(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self
            .http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                self.url(path),
            )
            .header("X-Auth-Token", token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        answer(req.send().await.unwrap()).await
    }

    pub fn p(&self, rest: &str) -> String {
        rest.replace("{p}", &self.project)
    }

    /// Polls a job until it ends; returns its final body.
    pub async fn wait_job(&self, job_id: &str) -> Value {
        for _ in 0..2000 {
            let a = self
                .signed(
                    "GET",
                    &self.p(&format!("/v1/{{p}}/jobs/{job_id}")),
                    &[],
                    None,
                )
                .await;
            assert_eq!(a.status, 200, "{}", a.text);
            let st = a.body["status"].as_str().unwrap().to_owned();
            if st == "SUCCESS" || st == "FAIL" {
                return a.body;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("job {job_id} did not end");
    }

    /// Polls a server until its status is `want` and it has no task.
    pub async fn wait_server(&self, id: &str, want: &str) -> Value {
        let mut last = Value::Null;
        for _ in 0..2000 {
            let a = self
                .signed(
                    "GET",
                    &self.p(&format!("/v1/{{p}}/cloudservers/{id}")),
                    &[],
                    None,
                )
                .await;
            if a.status == 200 {
                let s = &a.body["server"];
                if s["status"] == want && s["OS-EXT-STS:task_state"].is_null() {
                    return s.clone();
                }
                last = s.clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("server {id} never reached {want}; last: {last}");
    }

    /// Polls a GET until `pick(body)` equals `want`.
    pub async fn wait_field(
        &self,
        path: &str,
        pick: impl Fn(&Value) -> Value,
        want: Value,
    ) -> Value {
        for _ in 0..2000 {
            let a = self.signed("GET", path, &[], None).await;
            if a.status == 200 && pick(&a.body) == want {
                return a.body;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{path} never showed {want}");
    }

    /// Polls an EVS disk until its status is `want`; returns its body.
    pub async fn wait_volume(&self, id: &str, want: &str) -> Value {
        let path = self.p(&format!("/v2/{{p}}/cloudvolumes/{id}"));
        self.wait_field(&path, |b| b["volume"]["status"].clone(), json!(want))
            .await
    }

    /// Polls an EVS snapshot until its status is `want`; returns its body.
    pub async fn wait_snapshot(&self, id: &str, want: &str) -> Value {
        let path = self.p(&format!("/v2/{{p}}/cloudsnapshots/{id}"));
        self.wait_field(&path, |b| b["snapshot"]["status"].clone(), json!(want))
            .await
    }

    /// Asks to roll disk `volume_id` back to snapshot `snap_id`.
    pub async fn rollback(&self, snap_id: &str, volume_id: &str) -> Answer {
        self.signed(
            "POST",
            &self.p(&format!("/v2/{{p}}/cloudsnapshots/{snap_id}/rollback")),
            &[],
            Some(json!({"rollback": {"volume_id": volume_id}})),
        )
        .await
    }

    pub async fn stats(&self) -> Value {
        answer(self.http.get(self.url("/_sim/stats")).send().await.unwrap())
            .await
            .body
    }

    /// Submits and follows an ECS action on one server; returns the finished job.
    pub async fn act(&self, body: Value) -> Value {
        let a = self
            .signed(
                "POST",
                &self.p("/v1/{p}/cloudservers/action"),
                &[],
                Some(body),
            )
            .await;
        assert!(
            a.status == 200 || a.status == 202,
            "{} {}",
            a.status,
            a.text
        );
        self.wait_job(a.body["job_id"].as_str().unwrap()).await
    }

    /// A server in the first project whose status is `status` and that has no data-disk limits.
    pub async fn server_with_status(&self, status: &str) -> Value {
        let a = self
            .signed(
                "GET",
                &self.p("/v1/{p}/cloudservers/detail"),
                &[("status", status), ("limit", "1000")],
                None,
            )
            .await;
        a.body["servers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["OS-EXT-STS:task_state"].is_null())
            .cloned()
            .expect("no such server")
    }
}
