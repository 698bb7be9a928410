//! The HTTP client: base URLs per service, timeouts, TLS, authentication, retries of reads,
//! request ids, read-only refusal and tracing. Every call of the gateway goes through `execute`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::Authenticator;
use super::error::{ErrorBody, ErrorKind, GatewayError};
use super::guard::CredentialGuard;
use super::page::{PageLimits, Paging, Position};
use super::project::RegionProject;
use super::read_only::ReadOnly;
use super::request::{Answer, Credential, Request, Scope};
use super::retry::{RetryPolicy, Transient, parse_retry_after, transient_status};
use super::tls;
use super::trace::{Exchange, Tracer};
use crate::config::{Connection, Service, ServiceUrls};

/// Options that are not part of a profile.
#[derive(Debug, Clone)]
pub struct GatewayOptions {
    pub trace_http: Option<PathBuf>,
    pub retry: RetryPolicy,
    /// Pages fetched at once when a list's total is known.
    pub page_concurrency: usize,
    /// The ceilings of one list read (pages, bytes).
    pub page_limits: PageLimits,
    /// Holds the credentials after the gateway refused them; shared by every client built from
    /// these options (every region of a profile) and reset by the person (Ctrl-r).
    pub credential_guard: CredentialGuard,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        GatewayOptions {
            trace_http: None,
            retry: RetryPolicy::default(),
            page_concurrency: 4,
            page_limits: PageLimits::default(),
            credential_guard: CredentialGuard::default(),
        }
    }
}

/// A client for one profile's gateway in one region (and so one project). Cheap to clone; clones
/// share tokens and caches. A `CloudSession` holds one per region it has touched.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    urls: ServiceUrls,
    region: String,
    auth: Authenticator,
    read_only: ReadOnly,
    retry: RetryPolicy,
    tracer: Option<Tracer>,
    page_concurrency: usize,
    /// The project pinned for this region (an id; with a password login, an id or a name).
    pinned: Option<String>,
    /// The region's project, once found (and, when pinned, checked against IAM).
    project: Mutex<Option<RegionProject>>,
    page_limits: PageLimits,
    guard: CredentialGuard,
    /// Gateway `Date` − local clock, in seconds, from the last answer (`i64::MIN`: none yet).
    skew: AtomicI64,
    warnings: Vec<String>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("region", &self.inner.region)
            .field("read_only", &self.inner.read_only.get())
            .finish_non_exhaustive()
    }
}

/// What happened to one attempt, for the retry loop.
enum Outcome {
    Done(Answer),
    /// Worth another try if the request is a read (or was never sent).
    Retry {
        why: Transient,
        retry_after: Option<Duration>,
        error: GatewayError,
        sent: bool,
    },
    Fail(GatewayError),
    /// The token was refused: log in again once and repeat.
    Reauth(GatewayError),
}

impl Gateway {
    /// Builds a client for the connection's region, with a read-only switch of its own. Fails on
    /// settings that cannot work (a bad `ca_file`, an unwritable trace file), naming the setting.
    pub fn new(conn: &Connection, opts: GatewayOptions) -> Result<Gateway, GatewayError> {
        Gateway::with_switch(conn, opts, ReadOnly::new(conn.read_only))
    }

    /// Builds a client for the connection's region that obeys a shared read-only switch.
    pub(super) fn with_switch(
        conn: &Connection,
        opts: GatewayOptions,
        read_only: ReadOnly,
    ) -> Result<Gateway, GatewayError> {
        let setup =
            |m: String| GatewayError::new("setting up the gateway client", ErrorKind::Setup(m));
        let tls_config = tls::client_config(&tls::TlsSettings {
            ca_file: conn.transport.ca_file.as_deref(),
            server_name: conn.transport.tls_server_name.as_deref(),
            insecure: conn.transport.insecure_skip_tls_verify,
        })
        .map_err(setup)?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config)
            .timeout(conn.transport.timeout)
            .connect_timeout(conn.transport.connect_timeout)
            .user_agent(concat!("hvecs/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(16)
            .build()
            .map_err(|e| setup(format!("cannot build the HTTP client: {e}")))?;
        let tracer = match &opts.trace_http {
            Some(p) => Some(Tracer::open(p).map_err(setup)?),
            None => None,
        };
        let mut warnings = Vec::new();
        if conn.transport.insecure_skip_tls_verify {
            let w = format!(
                "WARNING: profile {:?} has insecure_skip_tls_verify: the gateway's certificate is NOT checked; anyone on the path can read the credentials",
                conn.profile
            );
            tracing::warn!("{w}");
            warnings.push(w);
        }
        Ok(Gateway {
            inner: Arc::new(Inner {
                http,
                urls: conn.urls.clone(),
                region: conn.region.clone(),
                auth: Authenticator::new(&conn.credentials),
                read_only,
                retry: opts.retry,
                tracer,
                page_concurrency: opts.page_concurrency.max(1),
                pinned: conn.projects.get(&conn.region).cloned(),
                project: Mutex::new(None),
                page_limits: opts.page_limits,
                guard: opts.credential_guard,
                skew: AtomicI64::new(i64::MIN),
                warnings,
            }),
        })
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    pub fn is_read_only(&self) -> bool {
        self.inner.read_only.get()
    }

    /// Warnings to show on every start (e.g. TLS checks off).
    pub fn warnings(&self) -> &[String] {
        &self.inner.warnings
    }

    pub(crate) fn auth(&self) -> &Authenticator {
        &self.inner.auth
    }

    /// How many password logins this client made (0 with AK/SK).
    pub fn login_count(&self) -> u64 {
        self.inner.auth.login_count()
    }

    /// How this client reads a list with a total: `limit` items a page, its pages in flight.
    pub(crate) fn paging(&self, position: Position, limit: u64) -> Paging {
        Paging {
            position,
            limit,
            concurrency: self.inner.page_concurrency,
            limits: self.inner.page_limits,
        }
    }

    /// The ceilings of one list read.
    pub fn page_limits(&self) -> PageLimits {
        self.inner.page_limits
    }

    /// The base URL of a service in this region.
    pub fn base_url(&self, service: Service) -> String {
        self.inner.urls.get(service).for_region(&self.inner.region)
    }

    /// Gateway clock − local clock in seconds, from the last answer's `Date` header.
    pub fn clock_skew_secs(&self) -> Option<i64> {
        let v = self.inner.skew.load(Ordering::Relaxed);
        (v != i64::MIN).then_some(v)
    }

    /// The project pinned for this region, if any (not yet checked).
    pub fn pinned_project(&self) -> Option<&str> {
        self.inner.pinned.as_deref()
    }

    pub(crate) fn cached_project(&self) -> Option<RegionProject> {
        self.inner.project.lock().ok()?.clone()
    }

    pub(crate) fn remember_project(&self, p: &RegionProject) {
        if let Ok(mut m) = self.inner.project.lock() {
            *m = Some(p.clone());
        }
    }

    /// Sends a request: refuses changes in read-only mode, signs or adds the token, retries reads
    /// on transient failures, and turns every failure into a `GatewayError`.
    pub async fn execute(&self, req: Request) -> Result<Answer, GatewayError> {
        if req.is_change() && self.inner.read_only.get() {
            return Err(GatewayError::new(
                req.operation.clone(),
                ErrorKind::ReadOnly,
            ));
        }
        let project = match req.scope {
            Scope::Project => Some(Box::pin(self.project_id()).await?),
            Scope::None => self.cached_project().map(|p| p.id),
        };
        let path = match &project {
            Some(p) => req.path.replace("{p}", p),
            None => req.path.clone(),
        };
        let base = self.base_url(req.service);
        let mut url = url::Url::parse(&format!("{base}{path}")).map_err(|e| {
            GatewayError::new(
                req.operation.clone(),
                ErrorKind::Setup(format!("{base}{path} is not a valid URL: {e}")),
            )
        })?;
        let query = super::sign::canonical_query(&req.query);
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        // The login inside an admitted request only checks: it must not wait for that request.
        let _admitted = match req.credential {
            Credential::Profile => Some(self.inner.guard.admit(&req.operation).await?),
            Credential::Anonymous => {
                self.inner.guard.check(&req.operation)?;
                None
            }
        };
        let result = self.send(&req, &url, project.as_deref()).await;
        match &result {
            Ok(_) => self.inner.guard.accepted(),
            Err(e) => match (&e.kind, e.status()) {
                // After a fresh login too (token auth), or the login itself: refused.
                (ErrorKind::Api { .. }, Some(401)) => self.inner.guard.refuse(e),
                (ErrorKind::Api { .. }, Some(s)) if s != 429 && s < 500 => {
                    self.inner.guard.accepted()
                }
                _ => {}
            },
        }
        result
    }

    /// Sends a request, retrying reads (and once after a refused token), until it is answered.
    async fn send(
        &self,
        req: &Request,
        url: &url::Url,
        project: Option<&str>,
    ) -> Result<Answer, GatewayError> {
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut reauthed = false;
        loop {
            attempt += 1;
            let outcome = self.attempt(req, url, project).await;
            match outcome {
                Outcome::Done(a) => return Ok(a),
                Outcome::Fail(e) => return Err(e),
                Outcome::Reauth(e) => {
                    if reauthed
                        || req.credential == Credential::Anonymous
                        || !self.inner.auth.is_token()
                    {
                        return Err(e);
                    }
                    reauthed = true;
                    attempt -= 1;
                    self.inner.auth.forget_token().await;
                }
                Outcome::Retry {
                    why,
                    retry_after,
                    error,
                    sent,
                } => {
                    if req.is_change() && sent {
                        return Err(error);
                    }
                    let jitter = rand::random::<f64>();
                    match self.inner.retry.delay(
                        attempt,
                        why,
                        retry_after,
                        started.elapsed(),
                        jitter,
                    ) {
                        Some(wait) => {
                            tracing::info!(operation = %req.operation, attempt, ?wait, "retrying: {error}");
                            tokio::time::sleep(wait).await;
                        }
                        None => return Err(error),
                    }
                }
            }
        }
    }

    async fn attempt(&self, req: &Request, url: &url::Url, project: Option<&str>) -> Outcome {
        let attempt_id = uuid::Uuid::new_v4().simple().to_string();
        let err = |kind: ErrorKind| {
            let mut e = GatewayError::new(req.operation.clone(), kind);
            e.attempt_id = Some(attempt_id.clone());
            e.principal = Some(self.inner.auth.principal().to_owned());
            e
        };
        let mut headers: Vec<(String, String)> =
            vec![("content-type".into(), req.content_type.into())];
        if let Some(p) = project
            && self.inner.auth.is_aksk()
        {
            headers.push(("x-project-id".into(), p.to_owned()));
        }
        let body = req.body.clone().unwrap_or_default();
        if req.credential == Credential::Profile {
            match self.authorize(req, url, &headers, &body).await {
                Ok(extra) => headers.extend(extra),
                Err(e) => return Outcome::Fail(e),
            }
        }
        if let Some(t) = &req.client_token {
            headers.push(("x-client-token".into(), t.clone()));
        }
        headers.push(("x-client-request-id".into(), attempt_id.clone()));
        let mut map = HeaderMap::new();
        for (k, v) in &headers {
            match (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                (Ok(n), Ok(v)) => {
                    map.insert(n, v);
                }
                _ => {
                    return Outcome::Fail(err(ErrorKind::Setup(format!(
                        "header {k} has a value that cannot be sent"
                    ))));
                }
            }
        }
        let started = Instant::now();
        let mut builder = self
            .inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(map);
        if req.body.is_some() {
            builder = builder.body(body.clone());
        }
        let trace = |status: Option<u16>,
                     resp_headers: &HeaderMap,
                     resp_body: &[u8],
                     error: Option<String>| {
            if let Some(t) = &self.inner.tracer {
                t.record(&Exchange {
                    attempt_id: &attempt_id,
                    method: req.method.as_str(),
                    url: url.as_str(),
                    request_headers: headers.clone(),
                    request_body: &body,
                    status,
                    response_headers: header_pairs(resp_headers),
                    response_body: resp_body,
                    error,
                    millis: started.elapsed().as_millis(),
                });
            }
        };
        let resp = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                let detail = error_chain(&e);
                trace(None, &HeaderMap::new(), b"", Some(detail.clone()));
                let host = url.host_str().unwrap_or("the gateway").to_owned();
                if let Some(msg) = tls::explain(&detail, &host) {
                    return Outcome::Fail(err(ErrorKind::Tls(msg)));
                }
                let sent = !e.is_connect();
                let what = if e.is_timeout() {
                    format!(
                        "timed out after waiting for {} ({detail})",
                        url.host_str().unwrap_or("")
                    )
                } else if e.is_connect() {
                    format!("cannot connect to {}: {detail}", url.authority())
                } else {
                    detail
                };
                let kind = if req.is_change() && sent {
                    ErrorKind::OutcomeUnknown(what)
                } else {
                    ErrorKind::Network(what)
                };
                return Outcome::Retry {
                    why: Transient::Network,
                    retry_after: None,
                    error: err(kind),
                    sent,
                };
            }
        };
        let status = resp.status().as_u16();
        let resp_headers = resp.headers().clone();
        let request_id = resp_headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let skew = self.note_skew(&resp_headers);
        let err = |kind: ErrorKind| {
            let mut e = err(kind);
            e.request_id = request_id.clone();
            e.clock_skew_secs = skew;
            e
        };
        let bytes = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let detail = format!(
                    "the answer (HTTP {status}) was cut short: {}",
                    error_chain(&e)
                );
                trace(Some(status), &resp_headers, b"", Some(detail.clone()));
                let kind = if req.is_change() && (200..300).contains(&status) {
                    ErrorKind::OutcomeUnknown(detail)
                } else {
                    ErrorKind::BadBody { status, detail }
                };
                return Outcome::Retry {
                    why: Transient::Body,
                    retry_after: None,
                    error: err(kind),
                    sent: true,
                };
            }
        };
        trace(Some(status), &resp_headers, &bytes, None);
        if (200..300).contains(&status) {
            let empty = bytes.iter().all(u8::is_ascii_whitespace);
            // Checked without building a tree: callers decode straight into their types.
            let checked = if empty {
                Ok(())
            } else {
                super::shape::check_json(&bytes)
            };
            return match checked {
                Ok(()) => Outcome::Done(Answer {
                    operation: req.operation.clone(),
                    status,
                    request_id,
                    headers: resp_headers,
                    body: if empty { bytes::Bytes::new() } else { bytes },
                }),
                Err(e) => {
                    let detail = format!("not JSON ({e}), {} bytes", bytes.len());
                    let kind = if req.is_change() {
                        ErrorKind::OutcomeUnknown(format!(
                            "accepted with HTTP {status} but the answer is unreadable: {detail}"
                        ))
                    } else {
                        ErrorKind::BadBody { status, detail }
                    };
                    Outcome::Retry {
                        why: Transient::Body,
                        retry_after: None,
                        error: err(kind),
                        sent: true,
                    }
                }
            };
        }
        let error = err(ErrorKind::Api {
            status,
            body: ErrorBody::parse(&bytes),
        });
        if status == 401 && req.credential == Credential::Profile && self.inner.auth.is_token() {
            return Outcome::Reauth(error);
        }
        if req.is_change() && (status == 502 || status == 504) {
            let msg = format!("the gateway answered HTTP {status} after the change was sent");
            return Outcome::Fail(err(ErrorKind::OutcomeUnknown(msg)));
        }
        match transient_status(status) {
            Some(why) => {
                let retry_after = resp_headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
                Outcome::Retry {
                    why,
                    retry_after,
                    error,
                    sent: true,
                }
            }
            None => Outcome::Fail(error),
        }
    }

    fn note_skew(&self, headers: &HeaderMap) -> Option<i64> {
        let date = headers.get("date")?.to_str().ok()?;
        let gw = chrono::DateTime::parse_from_rfc2822(date).ok()?;
        let skew = gw.timestamp() - chrono::Utc::now().timestamp();
        self.inner.skew.store(skew, Ordering::Relaxed);
        Some(skew)
    }
}

fn header_pairs(h: &HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The error and its causes in one line (reqwest's own text says little).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}
