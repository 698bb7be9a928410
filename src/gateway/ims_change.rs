//! IMS changes: a private image from a server (a job, followed through the IMS job API), rename
//! by JSON patch, delete; each answer checked against its documented shape.

use reqwest::Method;
use serde_json::{Value, json};

use super::client::Gateway;
use super::decode;
use super::error::GatewayError;
use super::model::{Image, Job, JobSubmitted};
use super::request::{Answer, JSON_PATCH, Request};
use super::sign::encode;
use crate::config::Service;

/// What an image from a server is made with (`POST /v2/cloudimages/action`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFromServer {
    pub name: String,
    pub server_id: String,
    pub description: Option<String>,
    /// `image_tags` (key, value).
    pub tags: Vec<(String, String)>,
}

impl ImageFromServer {
    pub fn to_json(&self) -> Value {
        let mut body = json!({"name": self.name, "instance_id": self.server_id});
        if let Some(d) = &self.description {
            body["description"] = json!(d);
        }
        if !self.tags.is_empty() {
            body["image_tags"] = self
                .tags
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect();
        }
        body
    }
}

/// The job id of an accepted IMS change: a 2xx without one is the wrong shape.
fn submitted(a: Answer) -> Result<JobSubmitted, GatewayError> {
    let top = a.top()?;
    match top.get("job_id") {
        Some(Value::String(j)) if !j.is_empty() => Ok(JobSubmitted {
            job_id: Some(j.clone()),
            http_status: a.status,
            request_id: a.request_id.clone(),
            ..JobSubmitted::default()
        }),
        Some(other) if !other.is_string() => Err(a.bad("`job_id` is not a string")),
        _ => Err(a.bad("no `job_id` in the answer")),
    }
}

impl Gateway {
    /// `POST /v2/cloudimages/action`: a private image from a server (async: an IMS job).
    pub async fn create_image_from_server(
        &self,
        spec: &ImageFromServer,
    ) -> Result<JobSubmitted, GatewayError> {
        let req = Request::change(
            Service::Ims,
            Method::POST,
            "/v2/cloudimages/action",
            Some(&spec.to_json()),
            format!(
                "IMS create image {:?} from server {}",
                spec.name, spec.server_id
            ),
        );
        submitted(self.execute(req).await?)
    }

    /// `PATCH /v2/cloudimages/{id}` (JSON patch): renames an image; the answer is the image,
    /// which must be the one asked for.
    pub async fn rename_image(&self, id: &str, name: &str) -> Result<Image, GatewayError> {
        let body = json!([{"op": "replace", "path": "/name", "value": name}]);
        let mut req = Request::change(
            Service::Ims,
            Method::PATCH,
            format!("/v2/cloudimages/{}", encode(id)),
            Some(&body),
            format!("IMS rename image {id}"),
        );
        req.content_type = JSON_PATCH;
        let a = self.execute(req).await?;
        let image: Image = decode(&Value::Object(a.top()?));
        if image.id != id {
            return Err(a.bad(format!("the answer is image {:?}, not {id}", image.id)));
        }
        Ok(image)
    }

    /// `DELETE /v2/images/{id}` (204).
    pub async fn delete_image(&self, id: &str) -> Result<(), GatewayError> {
        let req = Request::change(
            Service::Ims,
            Method::DELETE,
            format!("/v2/images/{}", encode(id)),
            None,
            format!("IMS delete image {id}"),
        );
        self.execute(req).await.map(|_| ())
    }

    /// An IMS job (`GET /v1/{project_id}/jobs/{job_id}`): `entities.image_id` and
    /// `process_percent` as IMS documents them.
    pub async fn show_image_job(&self, job_id: &str) -> Result<Job, GatewayError> {
        self.show_job(Service::Ims, job_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_create_body_has_the_documented_fields() {
        let spec = ImageFromServer {
            name: "web-gold".into(),
            server_id: "s-1".into(),
            description: Some("base".into()),
            tags: vec![("team".into(), "ops".into())],
        };
        assert_eq!(
            spec.to_json(),
            json!({"name": "web-gold", "instance_id": "s-1", "description": "base",
                "image_tags": [{"key": "team", "value": "ops"}]})
        );
        let bare = ImageFromServer {
            name: "n".into(),
            server_id: "s".into(),
            ..ImageFromServer::default()
        };
        assert_eq!(bare.to_json(), json!({"name": "n", "instance_id": "s"}));
    }
}
