//! Request statistics for `GET /_sim/stats`: counts by method, route template and status, and
//! the number of accepted change requests.

use std::collections::BTreeMap;

use serde_json::{Value, json};

#[derive(Default)]
pub struct Stats {
    requests: BTreeMap<(String, String, u16), u64>,
    mutations: u64,
}

impl Stats {
    pub fn record(&mut self, method: &str, route: &str, status: u16) {
        *self
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let change = matches!(method, "POST" | "PUT" | "PATCH" | "DELETE");
        if change && (200..300).contains(&status) && route != "/v3/auth/tokens" {
            self.mutations += 1;
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
        json!({"requests": requests, "mutations": self.mutations, "jobs": jobs})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_changes_but_not_tokens_or_refusals() {
        let mut s = Stats::default();
        s.record("POST", "/v1/{project_id}/cloudservers/action", 200);
        s.record("POST", "/v1/{project_id}/cloudservers/action", 200);
        s.record("POST", "/v1/{project_id}/cloudservers/action", 409);
        s.record("POST", "/v3/auth/tokens", 201);
        s.record("GET", "/v1/{project_id}/jobs/{job_id}", 200);
        let j = s.to_json(&[("SUCCESS", 2)]);
        assert_eq!(j["mutations"], 2);
        assert_eq!(j["jobs"]["SUCCESS"], 2);
        let reqs = j["requests"].as_array().unwrap();
        assert!(
            reqs.iter()
                .any(|r| r["count"] == 2 && r["status"] == 200 && r["method"] == "POST")
        );
    }
}
