//! The console's images (part of `AppState::update`, pure): `i` on Servers opens the image form,
//! `e` and `D` on Images the rename and delete dialogs (each refused with why, nothing sent, in
//! read-only); an image's describe names the servers made from it; an image task's steps and end
//! read the images again.

use crate::read::detail::FROM_SERVER;
use crate::read::source::{Detail, DetailLine, View};
use crate::runner::{
    EventKind, ImageOp, ImageRef, Op, Refusal, TargetOutcome, TaskEvent, TaskState, precondition,
};
use crate::tui::app::{AppState, Effect, Level, Mode};
use crate::tui::dialog::image_form::ImageForm;
use crate::tui::dialog::image_rename::ImageRename;
use crate::tui::dialog::typed_delete::TypedDelete;
use crate::tui::list::rows::{ImageRow, Row};

impl AppState {
    /// `i`: the image form for the selected server (one server; refused in read-only and for a
    /// server the runner would refuse). The catalog is read for the quota and the names taken.
    pub(in crate::tui) fn open_image_form(&mut self) -> Vec<Effect> {
        let Some((rows, known)) = self.chosen_servers("make an image") else {
            return Vec::new();
        };
        let Some(row) = self.one_of(rows, "an image is made of one server") else {
            return Vec::new();
        };
        let server = ImageRef::new(row.id(), row.name());
        if self.read_only_refuses(&format!("make an image of {}", server.name)) {
            return Vec::new();
        }
        if self.needs_a_region("an image (it reads the region's private-image quota)") {
            return Vec::new();
        }
        let running = row.status_text() == "ACTIVE";
        let mut form = ImageForm::new(server, known, running, self.private_image_names());
        // The server's state as the runner checks it (the name is the form's to check).
        if let Err(refusal) = precondition::check(&form.draft(false), &form.known, false) {
            self.say(Level::Error, refusal.to_string().replace('\n', "; "));
            return Vec::new();
        }
        if let Some(cat) = self.catalog.of(&self.session.region) {
            crate::tui::dialog::Dialog::catalog_arrived(&mut form, cat);
        }
        self.open(form);
        vec![self.fetch(crate::read::source::What::Catalog)]
    }

    /// `e` on Images: the rename dialog for the selected private image.
    pub(in crate::tui) fn rename_image(&mut self) -> Vec<Effect> {
        let Some(image) = self.chosen_image("rename") else {
            return Vec::new();
        };
        let taken = self.private_image_names();
        self.open(ImageRename::new(image, taken));
        Vec::new()
    }

    /// `D` on Images: the delete dialog for the selected private image, with the servers of the
    /// list made from it; an image still saving is refused (IMS deletes it once it is active).
    pub(in crate::tui) fn delete_image(&mut self) -> Vec<Effect> {
        let Some(image) = self.chosen_image("delete") else {
            return Vec::new();
        };
        let status = self
            .image_row(&image.id)
            .map(|r| r.record().status.clone())
            .unwrap_or_default();
        if matches!(status.as_str(), "saving" | "queued") {
            self.say(
                Level::Error,
                format!(
                    "image {} is {status}: IMS deletes it once it is active (IMG.0010); nothing was sent",
                    image.name
                ),
            );
            return Vec::new();
        }
        let made_from = self.servers_made_from(&image.id);
        let listed = self.servers.all_rows().len();
        self.open(TypedDelete::image(image, made_from, listed));
        Vec::new()
    }

    /// An image's describe: the server it came from named, and the servers of the list made
    /// from it.
    pub(in crate::tui) fn with_image_servers(&self, mut d: Detail) -> Detail {
        let Mode::Describe(desc) = &self.mode else {
            return d;
        };
        if desc.view != View::Images {
            return d;
        }
        let name_of = |id: &str| {
            self.servers
                .all_rows()
                .iter()
                .find(|r| r.id() == id)
                .map(|r| r.name().to_owned())
        };
        for line in &mut d.lines {
            if let DetailLine::Field(k, v) = line
                && k == FROM_SERVER
                && !v.is_empty()
            {
                *v = match name_of(v) {
                    Some(name) => format!("{name} ({v})"),
                    None => format!("{v} (not in the list)"),
                };
            }
        }
        let made_from = self.servers_made_from(&desc.id);
        let at = d
            .lines
            .iter()
            .position(|l| matches!(l, DetailLine::Section(_)))
            .unwrap_or(d.lines.len());
        let mut used = vec![DetailLine::Section(format!(
            "Servers made from it ({} of the {} listed)",
            made_from.len(),
            self.servers.all_rows().len()
        ))];
        used.extend(
            made_from
                .into_iter()
                .map(|s| DetailLine::Field("server".to_owned(), s)),
        );
        d.lines.splice(at..at, used);
        d
    }

    /// After a step or the end of an image task in this region: the images read again (when
    /// they have been read), so that a new image shows `saving`, then `active`, and a deleted
    /// one goes.
    pub(in crate::tui) fn images_after_task(&mut self, ev: &TaskEvent) -> Vec<Effect> {
        let step = matches!(ev.kind, EventKind::Step { .. });
        if !matches!(ev.task.op, Op::Image(_)) || !(step || ev.is_end()) {
            return Vec::new();
        }
        if self.is_all() || ev.task.region != self.session.region {
            return Vec::new();
        }
        let list = self.list(View::Images).state();
        if list.fetched_at.is_none() && self.view != View::Images {
            return Vec::new();
        }
        self.full_fetch(View::Images)
    }

    /// An image of a running server the platform refused (IMG.0008): the status line says how
    /// to make it one task that stops the server first.
    pub(in crate::tui) fn hint_stop_first(&mut self, ev: &TaskEvent) {
        let Op::Image(ImageOp::FromServer {
            server,
            stop_first: false,
            ..
        }) = &ev.task.op
        else {
            return;
        };
        let refused = ev.task.state == TaskState::Failed
            && ev.task.targets.values().any(|t| {
                matches!(&t.outcome, TargetOutcome::Failed { code: Some(c), .. } if c == "IMG.0008")
            });
        // First, so that the status line shows it whole (the failure follows, in `:messages`).
        if let (true, Some((_, text))) = (refused, &mut self.message) {
            *text = format!(
                "IMG.0008: this platform images only a stopped server; i on {} and y stops it first, then starts it again. {text}",
                server.name
            );
        }
    }

    /// The selected image (or the one marked) for `verb`, with read-only and images that are not
    /// this project's refused (with why).
    fn chosen_image(&mut self, verb: &str) -> Option<ImageRef> {
        let marked: Vec<ImageRef> = self
            .typed::<ImageRow>(View::Images)
            .map(|l| l.marked_rows().into_iter().map(image_ref).collect())
            .unwrap_or_default();
        let image = if marked.is_empty() {
            self.selected_image().map(image_ref)
        } else {
            Some(self.one_of(marked, &format!("{verb} takes one image at a time"))?)
        };
        let Some(image) = image else {
            self.say(Level::Info, "no image selected".to_owned());
            return None;
        };
        if self.read_only_refuses(&format!("{verb} image {}", image.name)) {
            return None;
        }
        let kind = self
            .image_row(&image.id)
            .map(|r| r.record().image_type.clone())
            .unwrap_or_default();
        if kind != "private" {
            self.say(
                Level::Info,
                format!(
                    "image {} is {kind}: only this project's private images can be {verb}d",
                    image.name
                ),
            );
            return None;
        }
        Some(image)
    }

    fn selected_image(&self) -> Option<&ImageRow> {
        self.typed::<ImageRow>(View::Images)?.selected_row()
    }

    fn image_row(&self, id: &str) -> Option<&ImageRow> {
        self.typed::<ImageRow>(View::Images)?
            .all_rows()
            .iter()
            .find(|r| r.id() == id)
    }

    /// Read-only: the refusal said (nothing is sent, nothing opens).
    fn read_only_refuses(&mut self, what: &str) -> bool {
        if !self.session.read_only {
            return false;
        }
        let refusal = Refusal::ReadOnly {
            what: what.to_owned(),
        };
        self.say(Level::Error, refusal.to_string());
        true
    }

    fn say(&mut self, level: Level, text: String) {
        self.message = Some((level, text));
    }

    /// The names of the private images listed (IMS refuses a second one: IMG.0009).
    fn private_image_names(&self) -> Vec<String> {
        self.typed::<ImageRow>(View::Images)
            .map(|l| {
                l.all_rows()
                    .iter()
                    .filter(|r| r.record().image_type == "private")
                    .map(|r| r.record().name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The servers of the list made from image `id`: "name  STATUS" each.
    fn servers_made_from(&self, id: &str) -> Vec<String> {
        self.servers
            .all_rows()
            .iter()
            .filter(|r| r.record().image_id == id)
            .map(|r| format!("{}  {}", r.name(), r.status_text()))
            .collect()
    }
}

fn image_ref(r: &ImageRow) -> ImageRef {
    ImageRef::new(r.record().id.clone(), r.record().name.clone())
}

#[cfg(test)]
#[path = "images_tests.rs"]
mod tests;
