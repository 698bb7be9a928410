//! ECS changes (create with `X-Client-Token` and `dry_run`, batch start/stop/reboot, delete,
//! resize, update, attach/detach) and the job API shared by ECS, IMS and EVS.

use reqwest::Method;
use serde_json::{Value, json};

use super::client::Gateway;
use super::decode;
use super::error::GatewayError;
use super::model::{Job, JobSubmitted};
use super::request::Request;
use super::sign::encode;
use crate::config::{Secret, Service};

/// What `create` makes (api.md §4). Optional fields are left out of the body when `None`.
#[derive(Debug, Clone, Default)]
pub struct ServerSpec {
    pub name: String,
    pub image_id: String,
    pub flavor_id: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub root_volume_type: String,
    /// GB; at least the image's `min_disk`.
    pub root_volume_size: Option<u64>,
    /// (volume type, GB).
    pub data_volumes: Vec<(String, u64)>,
    pub availability_zone: Option<String>,
    pub count: Option<u32>,
    pub admin_pass: Option<Secret>,
    pub key_name: Option<String>,
    pub security_group_ids: Vec<String>,
    pub description: Option<String>,
    pub metadata: Vec<(String, String)>,
}

impl ServerSpec {
    /// The `server` object of the create body.
    pub fn to_json(&self) -> Value {
        let mut s = json!({
            "name": self.name,
            "imageRef": self.image_id,
            "flavorRef": self.flavor_id,
            "vpcid": self.vpc_id,
            "nics": self.subnet_ids.iter().map(|id| json!({"subnet_id": id})).collect::<Vec<_>>(),
            "root_volume": {"volumetype": self.root_volume_type},
        });
        if let Some(size) = self.root_volume_size {
            s["root_volume"]["size"] = json!(size);
        }
        if !self.data_volumes.is_empty() {
            s["data_volumes"] = self
                .data_volumes
                .iter()
                .map(|(t, size)| json!({"volumetype": t, "size": size}))
                .collect();
        }
        let opt = |s: &mut Value, k: &str, v: &Option<String>| {
            if let Some(v) = v {
                s[k] = json!(v);
            }
        };
        opt(&mut s, "availability_zone", &self.availability_zone);
        opt(&mut s, "key_name", &self.key_name);
        opt(&mut s, "description", &self.description);
        if let Some(c) = self.count {
            s["count"] = json!(c);
        }
        if let Some(p) = &self.admin_pass {
            s["adminPass"] = json!(p.expose());
        }
        if !self.security_group_ids.is_empty() {
            s["security_groups"] = self
                .security_group_ids
                .iter()
                .map(|id| json!({"id": id}))
                .collect();
        }
        if !self.metadata.is_empty() {
            s["metadata"] = self
                .metadata
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
        s
    }
}

/// Soft (graceful) or hard (forced) stop and reboot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Force {
    Soft,
    Hard,
}

impl Force {
    fn as_str(self) -> &'static str {
        match self {
            Force::Soft => "SOFT",
            Force::Hard => "HARD",
        }
    }
}

fn servers(ids: &[String]) -> Value {
    ids.iter().map(|id| json!({"id": id})).collect()
}

impl Gateway {
    async fn submit(&self, req: Request) -> Result<JobSubmitted, GatewayError> {
        let answer = self.execute(req).await?;
        let mut submitted: JobSubmitted = decode(&answer.json());
        submitted.http_status = answer.status;
        submitted.request_id = answer.request_id;
        Ok(submitted)
    }

    /// `POST /v1/{p}/cloudservers` (pay-per-use). `client_token` is the idempotency key the
    /// runner journals first; with `dry_run` only the check runs (202, no job).
    pub async fn create_servers(
        &self,
        spec: &ServerSpec,
        client_token: &str,
        dry_run: bool,
    ) -> Result<JobSubmitted, GatewayError> {
        let mut body = json!({"server": spec.to_json()});
        if dry_run {
            body["dry_run"] = json!(true);
        }
        let mut req = Request::change(
            Service::Ecs,
            Method::POST,
            "/v1/{p}/cloudservers",
            Some(&body),
            format!("ECS create server {:?}", spec.name),
        );
        req.client_token = Some(client_token.to_owned());
        self.submit(req).await
    }

    async fn action(&self, body: Value, what: String) -> Result<JobSubmitted, GatewayError> {
        self.submit(Request::change(
            Service::Ecs,
            Method::POST,
            "/v1/{p}/cloudservers/action",
            Some(&body),
            what,
        ))
        .await
    }

    /// Batch start (up to 1000 servers; one sub-job per server).
    pub async fn start_servers(&self, ids: &[String]) -> Result<JobSubmitted, GatewayError> {
        self.action(
            json!({"os-start": {"servers": servers(ids)}}),
            format!("ECS start {} server(s)", ids.len()),
        )
        .await
    }

    pub async fn stop_servers(
        &self,
        ids: &[String],
        force: Force,
    ) -> Result<JobSubmitted, GatewayError> {
        self.action(
            json!({"os-stop": {"type": force.as_str(), "servers": servers(ids)}}),
            format!("ECS stop {} server(s)", ids.len()),
        )
        .await
    }

    pub async fn reboot_servers(
        &self,
        ids: &[String],
        force: Force,
    ) -> Result<JobSubmitted, GatewayError> {
        self.action(
            json!({"reboot": {"type": force.as_str(), "servers": servers(ids)}}),
            format!("ECS reboot {} server(s)", ids.len()),
        )
        .await
    }

    /// `POST /v1/{p}/cloudservers/delete`.
    pub async fn delete_servers(
        &self,
        ids: &[String],
        delete_volume: bool,
        delete_publicip: bool,
    ) -> Result<JobSubmitted, GatewayError> {
        let body = json!({"servers": servers(ids), "delete_volume": delete_volume, "delete_publicip": delete_publicip});
        self.submit(Request::change(
            Service::Ecs,
            Method::POST,
            "/v1/{p}/cloudservers/delete",
            Some(&body),
            format!("ECS delete {} server(s)", ids.len()),
        ))
        .await
    }

    /// `POST /v1/{p}/cloudservers/{id}/resize`; `with_stop` lets the platform stop and restart it.
    pub async fn resize_server(
        &self,
        id: &str,
        flavor_id: &str,
        with_stop: bool,
        dry_run: bool,
    ) -> Result<JobSubmitted, GatewayError> {
        let mut resize = json!({"flavorRef": flavor_id});
        if with_stop {
            resize["mode"] = json!("withStopServer");
        }
        let mut body = json!({"resize": resize});
        if dry_run {
            body["dry_run"] = json!(true);
        }
        self.submit(Request::change(
            Service::Ecs,
            Method::POST,
            format!("/v1/{{p}}/cloudservers/{}/resize", encode(id)),
            Some(&body),
            format!("ECS resize server {id} to {flavor_id}"),
        ))
        .await
    }

    /// `PUT /v1/{p}/cloudservers/{id}`: name and/or description (sync).
    pub async fn update_server(
        &self,
        id: &str,
        name: Option<&str>,
        description: Option<&str>,
    ) -> Result<Value, GatewayError> {
        let req = Request::relabel(
            Service::Ecs,
            format!("/v1/{{p}}/cloudservers/{}", encode(id)),
            "server",
            (name, description),
            format!("ECS update server {id}"),
        );
        Ok(self.execute(req).await?.member("server"))
    }

    /// `POST /v1/{p}/cloudservers/{id}/attachvolume`: a `job_id` is required in the answer
    /// (with `dry_run`, an empty 202 has none: that is the check passing).
    pub async fn attach_volume(
        &self,
        server_id: &str,
        volume_id: &str,
        device: Option<&str>,
        dry_run: bool,
    ) -> Result<JobSubmitted, GatewayError> {
        let mut att = json!({"volumeId": volume_id});
        if let Some(d) = device {
            att["device"] = json!(d);
        }
        let mut body = json!({"volumeAttachment": att});
        if dry_run {
            body["dry_run"] = json!(true);
        }
        let a = self
            .execute(Request::change(
                Service::Ecs,
                Method::POST,
                format!("/v1/{{p}}/cloudservers/{}/attachvolume", encode(server_id)),
                Some(&body),
                format!("ECS attach disk {volume_id} to server {server_id}"),
            ))
            .await?;
        if dry_run {
            return Ok(JobSubmitted {
                http_status: a.status,
                request_id: a.request_id.clone(),
                ..JobSubmitted::default()
            });
        }
        a.job()
    }

    /// `DELETE /v1/{p}/cloudservers/{id}/detachvolume/{volume}?delete_flag=0|1` (1 = force).
    pub async fn detach_volume(
        &self,
        server_id: &str,
        volume_id: &str,
        force: bool,
    ) -> Result<JobSubmitted, GatewayError> {
        let req = Request::change(
            Service::Ecs,
            Method::DELETE,
            format!(
                "/v1/{{p}}/cloudservers/{}/detachvolume/{}",
                encode(server_id),
                encode(volume_id)
            ),
            None,
            format!("ECS detach disk {volume_id} from server {server_id}"),
        )
        .query("delete_flag", if force { 1 } else { 0 });
        self.execute(req).await?.job()
    }

    /// `GET /v1/{p}/jobs/{id}` on the service that made the job.
    pub async fn show_job(&self, service: Service, job_id: &str) -> Result<Job, GatewayError> {
        let req = Request::get(
            service,
            format!("/v1/{{p}}/jobs/{}", encode(job_id)),
            format!("{} show job {job_id}", service.name().to_uppercase()),
        );
        let a = self.execute(req).await?;
        let job = a.top()?;
        if !job.contains_key("status") {
            return Err(a.bad("no `status` in the job"));
        }
        Ok(decode(&Value::Object(job)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_has_the_documented_shape() {
        let spec = ServerSpec {
            name: "web".into(),
            image_id: "img".into(),
            flavor_id: "s6.large.2".into(),
            vpc_id: "vpc".into(),
            subnet_ids: vec!["sub".into()],
            root_volume_type: "SSD".into(),
            root_volume_size: Some(40),
            data_volumes: vec![("SATA".into(), 100)],
            availability_zone: Some("az1".into()),
            admin_pass: Some(Secret::new("pw")),
            ..Default::default()
        };
        let j = spec.to_json();
        assert_eq!(j["imageRef"], "img");
        assert_eq!(j["nics"][0]["subnet_id"], "sub");
        assert_eq!(j["root_volume"], json!({"volumetype": "SSD", "size": 40}));
        assert_eq!(j["data_volumes"][0]["size"], 100);
        assert_eq!(j["adminPass"], "pw");
        assert!(j.get("key_name").is_none());
    }
}
