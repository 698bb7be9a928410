//! Dialogs over the console: each keeps its state, its keys and its drawing in one file (or one
//! folder), answers a key with an `Outcome` and never sees `AppState`; the app applies the outcome
//! (`tui/app/dialogs.rs`). The popup frame is `frame.rs`.

pub mod checked_line;
pub mod confirm;
pub mod create;
pub mod delete;
pub mod disk_create;
pub mod disk_expand;
pub mod disk_rename;
pub mod form_keys;
pub mod frame;
pub mod image_form;
pub mod image_rename;
pub mod image_stop_first;
pub mod op_offer;
pub mod picker;
pub mod remote_login;
pub mod rename;
pub mod resize;
pub mod rollback_finish;
pub mod server_disks;
pub mod snapshot_name;
pub mod snapshot_rename;
pub mod snapshot_rollback;
pub mod tags;
pub mod typed_delete;
pub mod typed_match;

#[cfg(test)]
mod fixtures;
use std::any::Any;
use std::fmt::Debug;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::app::messages::Level;
use super::keymap::{Key, Keymap};
use super::theme::Styles;
use crate::config::Secret;
use crate::read::catalog::Catalog;
use crate::read::source::{LoadError, Payload, What};
use crate::runner::{Known, Op};
use crate::tui::app::catalog_state::CatalogState;

/// What a dialog may read of the console while it is open.
pub struct Env<'a> {
    /// The keys bound to actions: moves, refresh, back and quit are read through it.
    pub keymap: &'a Keymap,
    /// The region on screen (the one a submission goes to, the catalog's).
    pub region: &'a str,
    pub read_only: bool,
    /// Flavors, images, networks, quotas (the create form, the resize picker).
    pub catalog: &'a CatalogState,
}

impl Env<'_> {
    /// The catalog of the region on screen, once it has been read.
    pub fn catalog(&self) -> Option<&Catalog> {
        self.catalog.of(self.region)
    }
}

/// What a key did in a dialog, for the app to apply.
#[derive(Debug)]
pub enum Outcome {
    /// Not a key for it: the screen stays as it was.
    Ignored,
    /// Its state changed: drawn again.
    Changed,
    /// It stays open and the status line says this (why Enter sent nothing, …).
    Say(Level, String),
    /// It closes, nothing sent; the status line says so.
    Cancelled(String),
    /// It closes, nothing sent, with the reason as an error (the runner would refuse it).
    Refused(String),
    /// It closes and the op goes to the runner (split per region by the app).
    Submit(Box<Op>, Known),
    /// It stays open and the console reads this (the catalog again).
    Fetch(What),
    /// It gives way to another dialog (the resize picker to its confirmation).
    Next(Box<dyn Dialog>),
    /// It stays open; the secret goes to the terminal's clipboard and the status line says
    /// `said` (never the secret).
    CopySecret { secret: Secret, said: String },
    /// It stays open; the URL goes to `[ui] open_command`.
    OpenUrl(Secret),
    /// It closes and each op goes to the runner, one task each (several disks deleted).
    SubmitEach(Vec<Op>, Known),
}

impl Outcome {
    /// Closed by the person: "cancelled; nothing was sent".
    pub fn cancelled() -> Outcome {
        Outcome::Cancelled("cancelled; nothing was sent".to_owned())
    }
}

/// One dialog: its keys, its drawing, and what it asks of the console.
pub trait Dialog: Any + Debug + SameAs {
    /// A key: those the keymap binds (moves, refresh, back) are read through `env.keymap`; its
    /// answers (y/n, Enter and Esc on a line, the text typed) are its own, as on the command line.
    fn key(&mut self, key: Key, env: &Env) -> Outcome;

    /// Draws itself over `area` (the body of the screen) in its frame; where the text cursor
    /// goes, if anywhere.
    fn draw(&self, env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position>;

    /// The catalog came: a dialog that chooses from it settles its choices.
    fn catalog_arrived(&mut self, _cat: &Catalog) {}

    /// The answer to a read it asked for while open (`Slot::Dialog`): read once, never retried.
    fn answered(&mut self, _answer: Result<Payload, LoadError>) {}

    /// A form or picker, whose keys are all its own: the hint bar under it goes blank. The
    /// others leave the list's hints under them.
    fn is_form(&self) -> bool {
        false
    }
}

/// Equality between dialogs of the same type (for `Mode`'s `PartialEq`); implemented for every
/// `PartialEq` type.
pub trait SameAs {
    fn same_as(&self, other: &dyn Any) -> bool;
}

impl<T: PartialEq + Any> SameAs for T {
    fn same_as(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<T>().is_some_and(|o| self == o)
    }
}

impl PartialEq for dyn Dialog {
    fn eq(&self, other: &Self) -> bool {
        let other: &dyn Any = other;
        self.same_as(other)
    }
}

impl Eq for dyn Dialog {}
