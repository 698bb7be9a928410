//! Request statistics for `GET /_sim/stats`: counts by method, route template and status, the
//! number of accepted change requests, and both again per project the requests acted under.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// POSTs that change nothing: the login, and a remote login's one-time URL.
const POSTS_THAT_READ: &[&str] = &[
    "/v3/auth/tokens",
    "/v1/{project_id}/cloudservers/{server_id}/remote_console",
];

#[derive(Default)]
pub struct Stats {
    requests: BTreeMap<(String, String, u16), u64>,
    mutations: u64,
    /// Project id → (requests, mutations) made under it.
    projects: BTreeMap<String, (u64, u64)>,
}

impl Stats {
    /// One answered request; `project` is the project it acted under (none for IAM calls).
    pub fn record(&mut self, method: &str, route: &str, status: u16, project: Option<&str>) {
        *self
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let change = matches!(method, "POST" | "PUT" | "PATCH" | "DELETE");
        let mutation = change && (200..300).contains(&status) && !POSTS_THAT_READ.contains(&route);
        if mutation {
            self.mutations += 1;
        }
        if let Some(p) = project {
            let counts = self.projects.entry(p.to_owned()).or_default();
            counts.0 += 1;
            counts.1 += u64::from(mutation);
        }
    }

    pub fn to_json(&self, jobs: &[(&str, usize)]) -> Value {
        let requests: Vec<Value> = self
            .requests
            .iter()
            .map(|((m, r, s), c)| json!({"method": m, "route": r, "status": s, "count": c}))
            .collect();
        let jobs: serde_json::Map<String, Value> = jobs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect();
        let projects: serde_json::Map<String, Value> = self
            .projects
            .iter()
            .map(|(p, (r, m))| (p.clone(), json!({"requests": r, "mutations": m})))
            .collect();
        json!({"requests": requests, "mutations": self.mutations, "jobs": jobs, "projects": projects})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_changes_but_not_tokens_or_refusals() {
        let mut s = Stats::default();
        let p = Some("p1");
        s.record("POST", "/v1/{project_id}/cloudservers/action", 200, p);
        s.record(
            "POST",
            "/v1/{project_id}/cloudservers/action",
            200,
            Some("p2"),
        );
        s.record("POST", "/v1/{project_id}/cloudservers/action", 409, p);
        s.record("POST", "/v3/auth/tokens", 201, None);
        s.record("GET", "/v1/{project_id}/jobs/{job_id}", 200, p);
        let j = s.to_json(&[("SUCCESS", 2)]);
        assert_eq!(j["mutations"], 2);
        assert_eq!(j["jobs"]["SUCCESS"], 2);
        let reqs = j["requests"].as_array().unwrap();
        assert!(
            reqs.iter()
                .any(|r| r["count"] == 2 && r["status"] == 200 && r["method"] == "POST")
        );
        assert_eq!(j["projects"]["p1"], json!({"requests": 3, "mutations": 1}));
        assert_eq!(j["projects"]["p2"], json!({"requests": 1, "mutations": 1}));
    }
}
