//! The image family's own preconditions, each with a reason a person understands: IMS name
//! rules and a rename that changes nothing (the server's state is checked with the server ops'
//! rules in `precondition.rs`; the quota in `image_quota.rs`).

use crate::runner::image::op::ImageOp;

/// An IMS image name: 1 to 128 characters, letters, digits, spaces, '_', '-' and '.', not
/// starting or ending with a space.
pub fn image_name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 || len > 128 {
        return Some(format!(
            "the image name {name:?} has {len} characters: an image name has 1 to 128"
        ));
    }
    if name.starts_with(' ') || name.ends_with(' ') {
        return Some(format!(
            "the image name {name:?} starts or ends with a space"
        ));
    }
    name.chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')))
        .map(|c| {
            format!(
                "the image name {name:?} has {c:?}: only letters, digits, spaces, '_', '-' and '.' are allowed"
            )
        })
}

/// Why `op` cannot be sent, from the op alone.
pub fn reasons(op: &ImageOp) -> Vec<String> {
    match op {
        ImageOp::FromServer { spec, .. } => image_name_problem(&spec.name).into_iter().collect(),
        ImageOp::Rename { image, name } => {
            let mut r: Vec<String> = image_name_problem(name).into_iter().collect();
            if &image.name == name {
                r.push(format!(
                    "image {} is already named {name}: nothing to change",
                    image.name
                ));
            }
            r
        }
        ImageOp::Delete { images } if images.is_empty() => vec!["no image to delete".into()],
        ImageOp::Delete { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::image::op::{ImageRef, ImageSpec};
    use crate::runner::op::Op;
    use crate::runner::precondition::{Known, KnownServer, check};

    /// Every reason, the server's state included, as a submit checks them.
    fn all_reasons(op: &ImageOp, known: &Known) -> Vec<String> {
        match check(&Op::Image(op.clone()), known, false) {
            Ok(()) => Vec::new(),
            Err(crate::runner::Refusal::Precondition(r)) => r,
            Err(other) => vec![other.to_string()],
        }
    }

    fn known(status: &str, task: Option<&str>) -> Known {
        [(
            "s-1".to_owned(),
            KnownServer {
                id: "s-1".into(),
                name: "web-01".into(),
                status: status.into(),
                task_state: task.map(str::to_owned),
                flavor_id: None,
            },
        )]
        .into()
    }

    fn image_of(name: &str) -> ImageOp {
        ImageOp::FromServer {
            server: ImageRef::new("s-1", "web-01"),
            spec: ImageSpec {
                name: name.into(),
                description: None,
                tags: vec![],
            },
            stop_first: false,
        }
    }

    #[test]
    fn names_follow_the_ims_rules() {
        assert_eq!(image_name_problem("web gold-1.2_x"), None);
        assert!(image_name_problem("").unwrap().contains("1 to 128"));
        assert!(image_name_problem(&"a".repeat(129)).is_some());
        assert!(image_name_problem(" lead").unwrap().contains("space"));
        assert!(image_name_problem("a/b").unwrap().contains("'/'"));
    }

    #[test]
    fn the_server_must_be_stable_and_idle() {
        assert!(all_reasons(&image_of("ok"), &known("SHUTOFF", None)).is_empty());
        assert!(all_reasons(&image_of("ok"), &known("ACTIVE", None)).is_empty());
        let busy = all_reasons(&image_of("ok"), &known("ACTIVE", Some("powering-off")));
        assert!(busy[0].contains("busy (powering-off)"), "{busy:?}");
        let err = all_reasons(&image_of("ok"), &known("ERROR", None));
        assert!(err[0].contains("web-01 is ERROR"), "{err:?}");
        let unknown = all_reasons(&image_of("ok"), &Known::new());
        assert!(unknown[0].contains("not known"), "{unknown:?}");
        let both = all_reasons(&image_of("a/b"), &known("BUILD", None));
        assert_eq!(both.len(), 2);
    }

    #[test]
    fn a_rename_to_the_same_name_changes_nothing() {
        let same = ImageOp::Rename {
            image: ImageRef::new("i-1", "gold"),
            name: "gold".into(),
        };
        assert!(all_reasons(&same, &Known::new())[0].contains("nothing to change"));
    }
}
