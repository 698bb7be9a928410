//! How an image op plans into steps: an image from a running server with `stop_first` is stop
//! (soft), image, start (the start restores the server even when the image fails); a delete is
//! one step per image.

use crate::runner::image::op::{ImageCall, ImageOp};
use crate::runner::op::{Hardness, PowerAction};
use crate::runner::step::{Call, Settle, Step};

/// Its steps. An image from a running server with `stop_first`: stop (soft), make the image
/// (the server is SHUTOFF while IMS exports it), start; each step journaled before it is sent.
pub fn plan(op: &ImageOp) -> Vec<Step> {
    match op {
        ImageOp::FromServer {
            server,
            spec,
            stop_first,
        } => {
            let power = |action| Call::Power {
                action,
                ids: vec![server.id.clone()],
            };
            let image = Step::new(
                Call::Image(ImageCall::Create {
                    server_id: server.id.clone(),
                    spec: spec.clone(),
                }),
                Settle::ImageActive,
            );
            if *stop_first {
                let mut start = Step::new(power(PowerAction::Start), Settle::Active);
                start.restores = true;
                vec![
                    Step::new(power(PowerAction::Stop(Hardness::Soft)), Settle::Shutoff),
                    image,
                    start,
                ]
            } else {
                vec![image]
            }
        }
        ImageOp::Rename { image, name } => vec![Step::new(
            Call::Image(ImageCall::Rename {
                id: image.id.clone(),
                name: name.clone(),
            }),
            Settle::Nothing,
        )],
        ImageOp::Delete { images } => images
            .iter()
            .map(|i| {
                Step::new(
                    Call::Image(ImageCall::Delete { id: i.id.clone() }),
                    Settle::ImageGone,
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::image::op::{ImageRef, ImageSpec};
    use crate::runner::op::{Op, Resource};

    fn from_server(stop_first: bool) -> ImageOp {
        ImageOp::FromServer {
            server: ImageRef::new("s-1", "web-01"),
            spec: ImageSpec {
                name: "web-gold".into(),
                description: None,
                tags: vec![("team".into(), "ops".into())],
            },
            stop_first,
        }
    }

    #[test]
    fn stop_first_plans_stop_image_start_and_locks_the_server() {
        let steps = plan(&from_server(true));
        let calls: Vec<String> = steps.iter().map(|s| s.describe()).collect();
        assert_eq!(
            calls,
            [
                "stop 1 server(s)",
                "make image web-gold",
                "start 1 server(s)"
            ]
        );
        assert_eq!(
            steps.iter().map(|s| s.settle).collect::<Vec<_>>(),
            [Settle::Shutoff, Settle::ImageActive, Settle::Active]
        );
        assert_eq!(plan(&from_server(false)).len(), 1);
        assert_eq!(
            Op::Image(from_server(true)).resources(),
            [Resource::Server("s-1".into())]
        );
        assert!(from_server(true).is_destructive() && !from_server(false).is_destructive());
        assert_eq!(
            from_server(true).describe(),
            "image web-01 as web-gold (stop, image, start)"
        );
    }

    #[test]
    fn a_delete_is_one_step_per_image_and_narrows_to_the_failed_ones() {
        let del = ImageOp::Delete {
            images: vec![ImageRef::new("i-1", "a"), ImageRef::new("i-2", "b")],
        };
        assert_eq!(plan(&del).len(), 2);
        assert_eq!(del.describe(), "delete 2 images");
        assert_eq!(
            del.narrowed_to(&["i-2".into()]),
            Some(ImageOp::Delete {
                images: vec![ImageRef::new("i-2", "b")]
            })
        );
        assert_eq!(del.narrowed_to(&["x".into()]), None);
        assert_eq!(
            Op::Image(del).resources(),
            [Resource::Image("i-1".into()), Resource::Image("i-2".into())]
        );
    }

    #[test]
    fn image_ops_round_trip_through_the_journal_json() {
        for op in [
            from_server(true),
            ImageOp::Rename {
                image: ImageRef::new("i-1", "a"),
                name: "b".into(),
            },
        ] {
            let op = Op::Image(op);
            let line = serde_json::to_string(&op).unwrap();
            assert_eq!(serde_json::from_str::<Op>(&line).unwrap(), op, "{line}");
        }
    }
}
