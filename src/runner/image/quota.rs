//! The private-image quota, read before an image create is queued: a full quota (IMG.0015) is
//! refused with its reason and nothing is sent.

use crate::runner::cloud::CloudApi;
use crate::runner::image::op::ImageOp;
use crate::runner::precondition::Refusal;

/// A create refused before it is queued when the private-image quota is full (IMG.0015 said
/// here, nothing sent). A quota that cannot be read refuses nothing: the platform still checks.
pub async fn quota_refusal(op: &ImageOp, api: &dyn CloudApi) -> Option<Refusal> {
    if !matches!(op, ImageOp::FromServer { .. }) {
        return None;
    }
    match api.image_quota().await {
        Ok(Some((used, limit))) if used >= limit => Some(Refusal::Precondition(vec![format!(
            "the private-image quota is full ({used} of {limit} images, IMG.0015): delete an image first"
        )])),
        Ok(_) => None,
        Err(e) => {
            tracing::info!("private-image quota not read: {e}");
            None
        }
    }
}
