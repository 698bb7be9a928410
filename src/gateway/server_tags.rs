//! ECS server tags: `BatchCreateServerTags` and `BatchDeleteServerTags` (POST
//! `/v1/{p}/cloudservers/{id}/tags/action`, synchronous, 204 without a body).

use serde_json::{Value, json};

use super::client::Gateway;
use super::error::GatewayError;
use super::request::Request;
use super::sign::encode;
use crate::config::Service;

impl Gateway {
    /// Adds `tags` (key, value) to a server; a key it has already takes the new value.
    pub async fn create_server_tags(
        &self,
        server_id: &str,
        tags: &[(String, String)],
    ) -> Result<u16, GatewayError> {
        let tags: Vec<Value> = tags
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        self.tags_action(server_id, "create", tags).await
    }

    /// Removes the tags of these keys from a server, whatever their values.
    pub async fn delete_server_tags(
        &self,
        server_id: &str,
        keys: &[String],
    ) -> Result<u16, GatewayError> {
        let tags: Vec<Value> = keys.iter().map(|k| json!({"key": k})).collect();
        self.tags_action(server_id, "delete", tags).await
    }

    /// The answer's status (204 as documented; any 2xx is taken).
    async fn tags_action(
        &self,
        server_id: &str,
        action: &str,
        tags: Vec<Value>,
    ) -> Result<u16, GatewayError> {
        let a = self
            .execute(Request::change(
                Service::Ecs,
                reqwest::Method::POST,
                format!("/v1/{{p}}/cloudservers/{}/tags/action", encode(server_id)),
                Some(&json!({"action": action, "tags": tags})),
                format!("ECS {action} tags of server {server_id}"),
            ))
            .await?;
        Ok(a.status)
    }
}
