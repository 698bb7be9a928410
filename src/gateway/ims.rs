//! IMS reads: list and show images (marker pages) and the private-image quota.

use serde_json::Value;

use super::client::Gateway;
use super::error::{ErrorBody, ErrorKind, GatewayError};
use super::model::{Image, ImageQuota};
use super::raw_rows::RawRow;
use super::request::Request;
use super::{decode, typed};
use crate::config::Service;

const IMAGE_PAGE: u64 = 500;

/// Filters of the image list the API applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFilter {
    /// `gold`, `private`, `shared`, `market`.
    pub image_type: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    pub id: Option<String>,
}

/// One page of `GET /v2/cloudimages` (marker pages).
fn images_request(f: &ImageFilter, marker: Option<String>) -> Request {
    Request::get(Service::Ims, "/v2/cloudimages", "IMS list images")
        .query("limit", IMAGE_PAGE)
        .query_opt("__imagetype", f.image_type.as_ref())
        .query_opt("name", f.name.as_ref())
        .query_opt("status", f.status.as_ref())
        .query_opt("id", f.id.as_ref())
        .query_opt("marker", marker)
}

impl Gateway {
    pub async fn list_images_raw(&self, f: &ImageFilter) -> Result<Vec<Value>, GatewayError> {
        let request = |marker| images_request(f, marker);
        self.marker_rows::<Image>(IMAGE_PAGE, "images", request)
            .await
    }

    /// The images, each page handed to `sink` as it comes, as the API sent them.
    pub async fn images_by_page<E: From<GatewayError>>(
        &self,
        f: &ImageFilter,
        sink: impl FnMut(Vec<RawRow<Image>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let request = |marker| images_request(f, marker);
        self.marker_pages(IMAGE_PAGE, "images", request, sink).await
    }

    pub async fn list_images(&self, f: &ImageFilter) -> Result<Vec<Image>, GatewayError> {
        typed("IMS list images", &self.list_images_raw(f).await?)
    }

    /// One image by id (`GET /v2/cloudimages?id=`); a 404 error when there is none.
    pub async fn show_image_raw(&self, id: &str) -> Result<Value, GatewayError> {
        let req = Request::get(
            Service::Ims,
            "/v2/cloudimages",
            format!("IMS show image {id}"),
        )
        .query("id", id);
        let a = self.execute(req).await?;
        a.rows::<Image>("images")?
            .into_iter()
            .next()
            .ok_or_else(|| {
                let mut e = GatewayError::new(
                    format!("IMS show image {id}"),
                    ErrorKind::Api {
                        status: 404,
                        body: ErrorBody {
                            code: None,
                            message: format!("there is no image with id {id}"),
                        },
                    },
                );
                e.request_id = a.request_id.clone();
                e
            })
    }

    pub async fn show_image(&self, id: &str) -> Result<Image, GatewayError> {
        Ok(decode(&self.show_image_raw(id).await?))
    }

    /// `GET /v1/cloudimages/quota`.
    pub async fn image_quota(&self) -> Result<Vec<ImageQuota>, GatewayError> {
        let req = Request::get(Service::Ims, "/v1/cloudimages/quota", "IMS show quotas");
        let a = self.execute(req).await?;
        let list = a.object("quotas")?.get("resources").cloned();
        match list {
            Some(Value::Array(items)) => Ok(items.iter().map(decode).collect()),
            _ => Err(a.bad("`quotas` has no `resources` list")),
        }
    }

    /// The private-image quota as (used, limit), from the `image` row of the quota list;
    /// `None` when the list has no such row or it lacks either number.
    pub async fn private_image_quota(&self) -> Result<Option<(u64, u64)>, GatewayError> {
        let rows = self.image_quota().await?;
        Ok(rows
            .iter()
            .find(|q| q.kind == "image")
            .and_then(|q| Some((q.used?.max(0) as u64, q.quota?.max(0) as u64))))
    }
}
