//! What the forms (create server, create disk, image) share: `Tab` walks their fields, `Enter`
//! submits what the fields plan once the runner would take it.

use super::Outcome;
use crate::runner::{Known, Op, precondition};
use crate::tui::app::messages::Level;

/// The field `by` steps from `at` in `fields` (wrapping).
pub fn stepped<F: Copy + PartialEq>(fields: &[F], at: F, by: isize) -> F {
    let i = fields.iter().position(|f| *f == at).unwrap_or(0) as isize;
    fields[(i + by).rem_euclid(fields.len() as isize) as usize]
}

/// `Enter` on a form whose fields plan its op from the catalog (`planned`, `None` until the
/// catalog is read): the op is submitted when every field is right and the runner would take it;
/// else the first wrong field gets the `focus` and the status line says why (with its `label`).
/// Without the catalog, it says it is still `reading` it ("flavors, images, networks and quotas").
pub fn submit_planned<F: Copy>(
    planned: Option<Result<(Op, Known), (F, String)>>,
    focus: &mut F,
    label: fn(F) -> &'static str,
    reading: &str,
    read_only: bool,
) -> Outcome {
    let Some(planned) = planned else {
        return Outcome::Say(
            Level::Info,
            format!("still reading {reading}; nothing was sent"),
        );
    };
    match planned {
        Err((field, why)) => {
            *focus = field;
            Outcome::Say(
                Level::Error,
                format!("{}: {why}; nothing was sent", label(field)),
            )
        }
        Ok((op, known)) => match precondition::check(&op, &known, read_only) {
            Err(r) => Outcome::Say(Level::Error, r.to_string().replace('\n', "; ")),
            Ok(()) => Outcome::Submit(Box::new(op), known),
        },
    }
}
