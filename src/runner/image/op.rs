//! The image family of ops: a private image from a server (stopping it first and starting it
//! again when asked), rename and delete; the IMS calls they make, and images as last seen.

use serde::{Deserialize, Serialize};

/// An image (or the server an image is made from) as the user picked it: its id, and its name
/// for messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ImageRef {
    pub id: String,
    pub name: String,
}

impl ImageRef {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        ImageRef {
            id: id.into(),
            name: name.into(),
        }
    }
}

/// What an image from a server is made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// (key, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "image_op", rename_all = "snake_case")]
pub enum ImageOp {
    /// `stop_first`: the server is running and the platform images only stopped servers: one
    /// task stops it, makes the image, and starts it again.
    FromServer {
        server: ImageRef,
        spec: ImageSpec,
        stop_first: bool,
    },
    Rename {
        image: ImageRef,
        name: String,
    },
    Delete {
        images: Vec<ImageRef>,
    },
}

/// What the console last saw of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownImage {
    pub id: String,
    pub name: String,
    /// `queued`, `saving`, `active`, `killed`, `deleted`.
    pub status: String,
}

/// One IMS call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "image_call", rename_all = "snake_case")]
pub enum ImageCall {
    Create { server_id: String, spec: ImageSpec },
    Rename { id: String, name: String },
    Delete { id: String },
}

impl ImageCall {
    /// What the call acts on: the server an image is made from, or the image.
    pub fn subject_ids(&self) -> Vec<String> {
        match self {
            ImageCall::Create { server_id, .. } => vec![server_id.clone()],
            ImageCall::Rename { id, .. } | ImageCall::Delete { id } => vec![id.clone()],
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ImageCall::Create { spec, .. } => format!("make image {}", spec.name),
            ImageCall::Rename { name, .. } => format!("rename the image to {name}"),
            ImageCall::Delete { .. } => "delete the image".into(),
        }
    }

    /// The word for a person ("image create", "image rename"…).
    pub fn verb(&self) -> &'static str {
        match self {
            ImageCall::Create { .. } => "image create",
            ImageCall::Rename { .. } => "image rename",
            ImageCall::Delete { .. } => "image delete",
        }
    }
}

impl ImageOp {
    /// The server an image is made from.
    pub fn server(&self) -> Option<&ImageRef> {
        match self {
            ImageOp::FromServer { server, .. } => Some(server),
            _ => None,
        }
    }

    /// What the task reports on, by id: the server (its image joins once the job names it), or
    /// the images.
    pub fn targets(&self) -> Vec<(String, String)> {
        match self {
            ImageOp::FromServer { server, .. } => vec![(server.id.clone(), server.name.clone())],
            ImageOp::Rename { image, .. } => vec![(image.id.clone(), image.name.clone())],
            ImageOp::Delete { images } => images
                .iter()
                .map(|i| (i.id.clone(), i.name.clone()))
                .collect(),
        }
    }

    /// The images the task locks (it locks its server too, while it is imaged).
    pub fn image_ids(&self) -> Vec<String> {
        match self {
            ImageOp::FromServer { .. } => Vec::new(),
            ImageOp::Rename { image, .. } => vec![image.id.clone()],
            ImageOp::Delete { images } => images.iter().map(|i| i.id.clone()).collect(),
        }
    }

    /// Deleting loses data; stopping a server interrupts it. A rename and an image of a
    /// stopped server change nothing that cannot be changed back.
    pub fn is_destructive(&self) -> bool {
        match self {
            ImageOp::FromServer { stop_first, .. } => *stop_first,
            ImageOp::Rename { .. } => false,
            ImageOp::Delete { .. } => true,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            ImageOp::FromServer {
                stop_first: true, ..
            } => "image-create-stop-first",
            ImageOp::FromServer { .. } => "image-create",
            ImageOp::Rename { .. } => "image-rename",
            ImageOp::Delete { .. } => "image-delete",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ImageOp::FromServer {
                server,
                spec,
                stop_first,
            } => format!(
                "image {} as {}{}",
                server.name,
                spec.name,
                if *stop_first {
                    " (stop, image, start)"
                } else {
                    ""
                }
            ),
            ImageOp::Rename { image, name } => format!("rename image {} to {name}", image.name),
            ImageOp::Delete { images } => match images.as_slice() {
                [one] => format!("delete image {}", one.name),
                many => format!("delete {} images", many.len()),
            },
        }
    }

    /// The same op on the targets among `ids` (a delete keeps its images there); `None` when
    /// none is left.
    pub fn narrowed_to(&self, ids: &[String]) -> Option<ImageOp> {
        match self {
            ImageOp::Delete { images } => {
                let images: Vec<ImageRef> = images
                    .iter()
                    .filter(|i| ids.contains(&i.id))
                    .cloned()
                    .collect();
                (!images.is_empty()).then_some(ImageOp::Delete { images })
            }
            other => other
                .targets()
                .iter()
                .any(|(id, _)| ids.contains(id))
                .then(|| other.clone()),
        }
    }
}
