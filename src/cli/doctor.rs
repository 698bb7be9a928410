//! `hvecs doctor`: one line per check of the profile in use (config, DNS/TCP/TLS per service
//! URL, authentication, clock skew, each region's project and where it came from, one read per
//! API); exit 0 only when every check passes.

use std::io::Write;

use crate::config::{Paths, Service};
use crate::gateway::error::SKEW_LIMIT_SECS;
use crate::gateway::probe;
use crate::gateway::{CloudSession, GatewayOptions, RetryPolicy};

use super::args::GlobalArgs;
use super::exit::{CliError, ExitCode};
use super::session;

/// The results so far; each is printed as soon as it is known.
struct Report<W: Write> {
    out: W,
    failed: usize,
    total: usize,
}

impl<W: Write> Report<W> {
    fn line(&mut self, ok: bool, check: &str, detail: impl AsRef<str>) {
        self.total += 1;
        if !ok {
            self.failed += 1;
        }
        let mark = if ok { "ok" } else { "FAIL" };
        let detail = crate::terminal_text::text(detail.as_ref());
        let _ = writeln!(self.out, "{mark:<4}  {check:<14} {detail}");
        let _ = self.out.flush();
    }

    /// A line that neither passes nor fails (`skip`, `warn`).
    fn note(&mut self, check: &str, detail: impl AsRef<str>) {
        let mark = if detail.as_ref().starts_with("not tried") {
            "skip"
        } else {
            "warn"
        };
        let detail = crate::terminal_text::text(detail.as_ref());
        let _ = writeln!(self.out, "{mark:<4}  {check:<14} {detail}");
    }
}

pub fn run(global: &GlobalArgs, paths: &Paths) -> Result<(), CliError> {
    let mut r = Report {
        out: std::io::stdout().lock(),
        failed: 0,
        total: 0,
    };
    let conn = match session::connection(global, paths) {
        Ok(c) => {
            r.line(
                true,
                "config",
                format!("profile {:?}, region {}", c.profile, c.region),
            );
            c
        }
        Err(e) => {
            r.line(false, "config", &e.message);
            return Err(CliError::new(
                ExitCode::Usage,
                "doctor: the configuration is not usable",
            ));
        }
    };
    let opts = GatewayOptions {
        trace_http: global.trace_http.clone(),
        retry: RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        },
        ..Default::default()
    };
    let built = match CloudSession::new(conn.clone(), opts) {
        Ok(s) => s.home().map(|gw| (gw, s)),
        Err(e) => Err(e),
    };
    let (gw, cloud) = match built {
        Ok(g) => g,
        Err(e) => {
            r.line(false, "client", e.to_string());
            return Err(CliError::new(
                ExitCode::Usage,
                "doctor: the client cannot be set up",
            ));
        }
    };
    for w in gw.warnings() {
        r.note("tls", w);
    }
    let rt = session::runtime()?;
    rt.block_on(async {
        // Each distinct base URL once (one `endpoint` serves every service).
        let mut bases: Vec<(String, Vec<&str>)> = Vec::new();
        for s in Service::ALL {
            let b = gw.base_url(s);
            match bases.iter_mut().find(|(u, _)| *u == b) {
                Some((_, names)) => names.push(s.name()),
                None => bases.push((b, vec![s.name()])),
            }
        }
        for (base, names) in &bases {
            let who = names.join(",");
            let reach = probe::reach(&conn, base).await;
            match &reach.dns {
                Ok(a) => {
                    let ips: Vec<String> = a.iter().map(|x| x.ip().to_string()).collect();
                    r.line(true, "dns", format!("{base} ({who}) → {}", ips.join(", ")))
                }
                Err(e) => r.line(false, "dns", format!("{base} ({who}): {e}")),
            }
            if reach.dns.is_ok() {
                match &reach.tcp {
                    Ok(a) => r.line(true, "tcp", format!("{base}: connected to {a}")),
                    Err(e) => r.line(false, "tcp", format!("{base}: {e}")),
                }
            }
            match &reach.tls {
                Some(Ok(())) => r.line(true, "tls", format!("{base}: certificate accepted")),
                Some(Err(e)) => r.line(false, "tls", format!("{base}: {e}")),
                None => {}
            }
        }
        let authenticated = match gw.auth_check().await {
            Ok(s) => {
                r.line(true, "auth", s);
                true
            }
            Err(e) => {
                r.line(false, "auth", e.to_string());
                false
            }
        };
        match gw.clock_skew_secs() {
            Some(s) if s.abs() > SKEW_LIMIT_SECS => r.line(
                false,
                "clock",
                format!("this machine's clock is {} minutes off the gateway's: the gateway allows 15; fix the clock (NTP)", s.abs() / 60),
            ),
            Some(s) => r.line(true, "clock", format!("{s:+} s against the gateway's Date header (15 min allowed)")),
            None => r.note("clock", "no Date header came back: skew not checked"),
        }
        if !authenticated {
            // More refused signatures would lock the AK for 5 minutes: stop here.
            r.note("project", "not tried: authentication failed");
            r.note("api", "not tried: authentication failed");
            return;
        }
        // The profile's region first, then every other region IAM names or the profile pins.
        let mut regions = vec![gw.region().to_owned()];
        let listed = gw.list_regions().await.map(|l| l.into_iter().map(|x| x.id));
        match listed {
            Ok(ids) => regions.extend(ids),
            Err(e) => r.note("project", format!("the regions could not be listed: {e}")),
        }
        regions.extend(cloud.pinned_regions());
        let mut seen = std::collections::HashSet::new();
        regions.retain(|x| seen.insert(x.clone()));
        for region in &regions {
            let found = match cloud.client(region) {
                Ok(c) => c.project().await,
                Err(e) => Err(e),
            };
            match found {
                Ok(p) => r.line(
                    true,
                    "project",
                    format!("region {region} → project {} {:?} ({})", p.id, p.name, p.source.name()),
                ),
                // Only the profile's own region must have a project; the others are told.
                Err(e) if region == gw.region() => {
                    r.line(false, "project", format!("region {region}: {e}"))
                }
                Err(e) => r.note("project", format!("region {region}: {e}")),
            }
        }
        for s in Service::ALL {
            match gw.read_check(s).await {
                Ok(id) => r.line(true, &format!("api {}", s.name()), format!("answered{}", id.map(|i| format!(" (request id {i})")).unwrap_or_default())),
                Err(e) => r.line(false, &format!("api {}", s.name()), e.to_string()),
            }
        }
    });
    if r.failed > 0 {
        return Err(CliError::new(
            ExitCode::Api,
            format!("doctor: {} of {} checks failed", r.failed, r.total),
        ));
    }
    let _ = writeln!(r.out, "all {} checks passed", r.total);
    Ok(())
}
