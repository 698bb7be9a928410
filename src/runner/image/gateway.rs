//! The image family's calls through the real gateway: each IMS call of a step, the IMS job, and
//! looks at images by id or by name (for confirming and for settling a lost answer).

use crate::gateway::model::Image;
use crate::gateway::{Gateway, GatewayError, ImageFilter, ImageFromServer};

use crate::gateway::model::JobSubmitted;

use crate::runner::image::op::{ImageCall, KnownImage};

/// Sends one IMS call: a create answers a job; a rename (its image) and a delete (204) are done
/// when answered (`None`).
pub(in crate::runner) async fn send(
    gw: &Gateway,
    call: &ImageCall,
) -> Result<Option<JobSubmitted>, GatewayError> {
    match call {
        ImageCall::Create { server_id, spec } => {
            let body = ImageFromServer {
                name: spec.name.clone(),
                server_id: server_id.clone(),
                description: spec.description.clone(),
                tags: spec.tags.clone(),
            };
            Ok(Some(gw.create_image_from_server(&body).await?))
        }
        ImageCall::Rename { id, name } => gw.rename_image(id, name).await.map(|_| None),
        ImageCall::Delete { id } => gw.delete_image(id).await.map(|_| None),
    }
}

fn known(i: Image) -> KnownImage {
    KnownImage {
        id: i.id,
        name: i.name,
        status: i.status,
    }
}

/// The images among `ids` that exist (one list call per id: IMS filters on one id).
pub(in crate::runner) async fn images(
    gw: &Gateway,
    ids: &[String],
) -> Result<Vec<KnownImage>, GatewayError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let f = ImageFilter {
            id: Some(id.clone()),
            ..ImageFilter::default()
        };
        let found = gw.list_images(&f).await?;
        out.extend(found.into_iter().filter(|i| &i.id == id).map(known));
    }
    Ok(out)
}

/// The project's private images named exactly `name`.
pub(in crate::runner) async fn named(
    gw: &Gateway,
    name: &str,
) -> Result<Vec<KnownImage>, GatewayError> {
    let f = ImageFilter {
        image_type: Some("private".into()),
        name: Some(name.to_owned()),
        ..ImageFilter::default()
    };
    let found = gw.list_images(&f).await?;
    Ok(found
        .into_iter()
        .filter(|i| i.name == name)
        .map(known)
        .collect())
}
