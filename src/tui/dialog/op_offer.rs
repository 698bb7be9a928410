//! An offer of a picker that is an operation: choosing it submits the op, or opens its
//! confirmation (a detach). The opener checks it first: a refused one is shown with why.

use super::Outcome;
use super::confirm::Confirm;
use super::picker::Offer;
use crate::runner::{Known, Op, Refusal, precondition};

/// Why the runner's preconditions refuse `op` (its reasons, `; ` between), read-only aside.
pub fn refusal_of(op: &Op, known: &Known) -> Option<String> {
    match precondition::check(op, known, false) {
        Err(Refusal::Precondition(reasons)) => Some(reasons.join("; ")),
        Err(r) => Some(r.to_string()),
        Ok(()) => None,
    }
}

/// What choosing the offer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    Submit(Op, Known),
    Confirm(Confirm),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpOffer {
    pub label: String,
    /// The runner's preconditions refuse it: why (checked when the picker opens).
    pub refusal: Option<String>,
    pub then: Then,
}

impl OpOffer {
    /// `label` for `op`, refused with the runner's reasons when its preconditions do not hold.
    pub fn checked(
        label: String,
        op: Op,
        known: Known,
        confirm: Option<fn(Op, Known) -> Confirm>,
    ) -> Self {
        let refusal = refusal_of(&op, &known);
        let then = match confirm {
            Some(make) => Then::Confirm(make(op, known)),
            None => Then::Submit(op, known),
        };
        OpOffer {
            label,
            refusal,
            then,
        }
    }
}

impl Offer for OpOffer {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn refusal(&self) -> Option<String> {
        self.refusal.clone()
    }

    fn chosen(self) -> Outcome {
        match self.then {
            Then::Submit(op, known) => Outcome::Submit(Box::new(op), known),
            Then::Confirm(c) => Outcome::Next(Box::new(c)),
        }
    }
}
