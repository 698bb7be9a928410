//! The four error-body shapes of api.md §8, as an error type handlers return.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone)]
pub enum ApiError {
    /// API gateway: `{"error_code":"APIGW.0301","error_msg","request_id"}`.
    Gateway {
        status: StatusCode,
        code: String,
        msg: String,
        request_id: String,
    },
    /// ECS/IMS/EVS: `{"error":{"code":"Ecs.0005","message"}}`.
    Service {
        status: StatusCode,
        code: String,
        msg: String,
    },
    /// Keystone: `{"error":{"code":401,"message","title"}}`.
    Keystone { status: StatusCode, msg: String },
    /// IAM extension: `{"error_code":"IAM.0001","error_msg"}`.
    Iam {
        status: StatusCode,
        code: String,
        msg: String,
    },
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn service(status: u16, code: &str, msg: impl Into<String>) -> Self {
        ApiError::Service {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code: code.to_owned(),
            msg: msg.into(),
        }
    }

    /// `Ecs.0005` invalid parameter (400).
    pub fn ecs_bad(msg: impl Into<String>) -> Self {
        Self::service(400, "Ecs.0005", msg)
    }

    pub fn ecs_not_found(what: &str, id: &str) -> Self {
        Self::service(404, "Ecs.0114", format!("{what} {id} could not be found"))
    }

    /// ECS 404 for a disk that is not attached to the server.
    pub fn ecs_not_attached(volume_id: &str, server_id: &str) -> Self {
        Self::service(
            404,
            "Ecs.0044",
            format!("volume {volume_id} is not attached to server {server_id}"),
        )
    }

    pub fn gateway(status: u16, code: &str, msg: impl Into<String>, request_id: &str) -> Self {
        ApiError::Gateway {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED),
            code: code.to_owned(),
            msg: msg.into(),
            request_id: request_id.to_owned(),
        }
    }

    pub fn keystone(status: u16, msg: impl Into<String>) -> Self {
        ApiError::Keystone {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            msg: msg.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Gateway { status, .. }
            | ApiError::Service { status, .. }
            | ApiError::Keystone { status, .. }
            | ApiError::Iam { status, .. } => *status,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self {
            ApiError::Gateway {
                code,
                msg,
                request_id,
                ..
            } => json!({"error_code": code, "error_msg": msg, "request_id": request_id}),
            ApiError::Service { code, msg, .. } => {
                json!({"error": {"code": code, "message": msg}})
            }
            ApiError::Keystone { status, msg } => json!({"error": {
                "code": status.as_u16(),
                "message": msg,
                "title": status.canonical_reason().unwrap_or("Error"),
            }}),
            ApiError::Iam { code, msg, .. } => json!({"error_code": code, "error_msg": msg}),
        };
        (status, Json(body)).into_response()
    }
}
