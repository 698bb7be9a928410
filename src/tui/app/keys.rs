//! How keys change the console's state: the key map's actions per pane and mode, the open
//! dialog's keys and their outcome, the filter and command lines, help. Part of
//! `AppState::update` (pure, no IO).

use crate::read::source::{Detail, DetailLine, View, What};
use crate::runner::{Hardness, PowerAction};
use crate::tui::app::{AppState, Describe, Effect, Focus, Level, Mode};
use crate::tui::command::{self, Command, Names};
use crate::tui::dialog::Outcome;
use crate::tui::keymap::{Action, Key, info_of};
use crate::tui::line_input::{Edit, LineInput};
use crate::tui::list::registry::{LISTS, shown_by, spec_of};

impl AppState {
    // --- keys --------------------------------------------------------------------------------

    pub(in crate::tui) fn on_key(&mut self, key: Key) -> Vec<Effect> {
        self.message = None;
        if let Some(scroll) = self.help {
            return self.on_help_key(key, scroll);
        }
        if let Some(up) = self.messages.open {
            return self.on_messages_key(key, up);
        }
        match &mut self.mode {
            Mode::Filter(input) => {
                let mut input = std::mem::take(input);
                let edit = input.edit(key);
                self.mode = Mode::Filter(input.clone());
                self.on_filter_key(key, edit, input)
            }
            Mode::Dialog(_) => self.on_dialog_key(key),
            Mode::Command(input) => {
                let mut input = std::mem::take(input);
                let edit = input.edit(key);
                self.mode = Mode::Command(input.clone());
                self.on_command_key(key, edit, input)
            }
            _ => {
                if let Some(effects) = self.on_find_key(key) {
                    return effects;
                }
                match self.keymap.action(key) {
                    Some(a) => self.on_action(a),
                    None => self.sort_by_letter(key),
                }
            }
        }
    }

    /// A key while a dialog is open: the dialog's, then its outcome applied.
    fn on_dialog_key(&mut self, key: Key) -> Vec<Effect> {
        let mut d = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Dialog(d) => d,
            other => {
                self.mode = other;
                return Vec::new();
            }
        };
        let outcome = d.key(key, &self.env());
        self.mode = Mode::Dialog(d);
        self.apply(outcome)
    }

    /// The one place a dialog's outcome changes the console.
    fn apply(&mut self, outcome: Outcome) -> Vec<Effect> {
        match outcome {
            Outcome::Ignored => self.dirty = false,
            Outcome::Changed => {}
            Outcome::Say(level, text) => self.message = Some((level, text)),
            Outcome::Cancelled(text) => {
                self.mode = Mode::Normal;
                self.message = Some((Level::Info, text));
            }
            Outcome::Refused(why) => {
                self.mode = Mode::Normal;
                self.message = Some((Level::Error, why));
            }
            Outcome::Submit(op, known) => {
                self.mode = Mode::Normal;
                return self.submit(*op, known);
            }
            Outcome::Fetch(what) => return vec![self.fetch(what)],
            Outcome::Next(dialog) => self.mode = Mode::Dialog(dialog),
            Outcome::CopySecret { secret, said } => {
                self.message = Some((Level::Info, said));
                return vec![Effect::CopySecret(secret)];
            }
            Outcome::OpenUrl(url) => return vec![Effect::OpenUrl(url)],
            Outcome::SubmitEach(ops, known) => {
                self.mode = Mode::Normal;
                let mut effects = Vec::new();
                let (mut level, mut said) = (Level::Info, Vec::new());
                for op in ops {
                    effects.extend(self.submit(op, known.clone()));
                    if let Some((l, m)) = self.message.take() {
                        level = if l == Level::Error { l } else { level };
                        said.push(m);
                    }
                }
                // One line for them all ("submitting: delete disk a; submitting: …").
                self.message = Some((level, said.join("; ")));
                return effects;
            }
        }
        Vec::new()
    }

    fn on_help_key(&mut self, key: Key, scroll: usize) -> Vec<Effect> {
        match self.keymap.action(key) {
            Some(Action::Back | Action::Help | Action::Quit) => self.help = None,
            Some(Action::Down) => self.help = Some(scroll + 1),
            Some(Action::Up) => self.help = Some(scroll.saturating_sub(1)),
            Some(Action::Top) => self.help = Some(0),
            _ if key.code == crossterm::event::KeyCode::Esc => self.help = None,
            _ => self.dirty = false,
        }
        Vec::new()
    }

    /// The message log: scrolled by lines from its end (`g` the oldest, `G` the newest).
    fn on_messages_key(&mut self, key: Key, up: usize) -> Vec<Effect> {
        const PAGE: usize = 10;
        let log = &mut self.messages.open;
        match self.keymap.action(key) {
            Some(Action::Back | Action::Quit) => *log = None,
            Some(Action::Up) => *log = Some(up.saturating_add(1)),
            Some(Action::Down) => *log = Some(up.saturating_sub(1)),
            Some(Action::PageUp) => *log = Some(up.saturating_add(PAGE)),
            Some(Action::PageDown) => *log = Some(up.saturating_sub(PAGE)),
            // The view clamps this to the oldest line.
            Some(Action::Top) => *log = Some(usize::MAX),
            Some(Action::Bottom) => *log = Some(0),
            _ if key.code == crossterm::event::KeyCode::Esc => *log = None,
            _ => self.dirty = false,
        }
        Vec::new()
    }

    fn on_filter_key(&mut self, key: Key, edit: Edit, mut input: LineInput) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        match (edit, key.code) {
            (Edit::Changed, _) => self.apply_filter(&input.text),
            (Edit::Unchanged, _) => self.dirty = false,
            (Edit::Other, KeyCode::Up | KeyCode::Down) => {
                let moved = self.filter_recall.walk(&mut input, key.code == KeyCode::Up);
                if moved {
                    self.apply_filter(&input.text);
                    self.mode = Mode::Filter(input);
                } else {
                    self.dirty = false;
                }
            }
            (Edit::Other, KeyCode::Enter) => {
                self.mode = Mode::Normal;
                self.filter_recall.push(&input.text);
                if let Err(e) = self.current().set_query(&input.text) {
                    // Not the prefix that parsed while it was typed: the filter it replaced.
                    let before = std::mem::take(&mut self.filter_before);
                    let _ = self.current().set_query(&before);
                    let kept = if before.is_empty() {
                        "no filter".to_owned()
                    } else {
                        format!("the filter stays {before:?}")
                    };
                    self.message = Some((Level::Error, format!("{}; {kept}", e.0)));
                }
            }
            (Edit::Other, KeyCode::Esc) => {
                self.mode = Mode::Normal;
                self.apply_filter("");
            }
            _ => self.dirty = false,
        }
        Vec::new()
    }

    fn apply_filter(&mut self, text: &str) {
        if let Err(e) = self.current().set_query(text) {
            self.message = Some((Level::Error, e.0));
        }
    }

    fn on_command_key(&mut self, key: Key, edit: Edit, mut input: LineInput) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        match (edit, key.code) {
            (Edit::Changed | Edit::Unchanged, _) => Vec::new(),
            (Edit::Other, KeyCode::Up | KeyCode::Down) => {
                let moved = self
                    .command_recall
                    .walk(&mut input, key.code == KeyCode::Up);
                self.dirty = moved;
                self.mode = Mode::Command(input);
                Vec::new()
            }
            (Edit::Other, KeyCode::Tab) => {
                let c = command::complete(&input.text, &self.names());
                if !c.candidates.is_empty() {
                    self.message = Some((Level::Info, c.candidates.join("  ")));
                }
                self.mode = Mode::Command(LineInput::new(&c.line));
                Vec::new()
            }
            (Edit::Other, KeyCode::Enter) => {
                self.mode = Mode::Normal;
                self.command_recall.push(&input.text);
                match command::parse(&input.text, &self.names()) {
                    Ok(c) => self.run_command(c),
                    Err(e) => {
                        self.message = Some((Level::Error, e));
                        Vec::new()
                    }
                }
            }
            (Edit::Other, KeyCode::Esc) => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    fn names(&self) -> Names<'_> {
        Names {
            regions: &self.regions.items,
            azs: &self.azs.items,
            themes: &self.themes,
            profiles: &self.profiles,
        }
    }

    fn run_command(&mut self, c: Command) -> Vec<Effect> {
        match c {
            Command::Show(v) => self.show_by_command(v),
            Command::Region(r) => self.switch_region(&r),
            Command::Az(a) => self.choose_az(a),
            Command::Theme(t) => vec![Effect::SetTheme(t)],
            Command::Refresh => {
                let mut effects = vec![Effect::ResetCredentials];
                effects.extend(self.full_fetch(self.view));
                effects
            }
            Command::Help => {
                self.help = Some(0);
                Vec::new()
            }
            Command::Messages => {
                self.messages.open = Some(0);
                Vec::new()
            }
            Command::Quit => self.on_action(Action::Quit),
            Command::ReadOnly(on) => self.set_read_only(on, "command"),
            Command::Profile(p) => self.switch_profile(p),
            Command::Columns(c) => self.choose_columns(c),
        }
    }

    /// Shows a list; reads it when it has not been read in this region.
    pub fn show(&mut self, view: View) -> Vec<Effect> {
        self.back_to = None;
        self.view = view;
        self.focus = Focus::Main;
        self.mode = Mode::Normal;
        self.sync_hosts();
        let meta = self.list(view).state();
        if meta.fetched_at.is_none() && !meta.loading {
            self.full_fetch(view)
        } else {
            Vec::new()
        }
    }

    /// Filters servers and disks by AZ (`None`: all).
    pub fn choose_az(&mut self, az: Option<String>) -> Vec<Effect> {
        self.azs.cursor = az
            .as_ref()
            .and_then(|a| self.azs.items.iter().position(|x| x == a))
            .map(|i| i + 1)
            .unwrap_or(0);
        self.az = az;
        let height = self.table_height();
        for s in LISTS.iter().filter(|s| s.az_scoped) {
            let az = self.az.clone();
            let l = self.list_mut(s.view);
            l.set_az(az.as_deref());
            l.scroll(height);
        }
        Vec::new()
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        let height = self.table_height();
        let page = height.max(1) as isize;
        match (&mut self.mode, action) {
            (_, Action::Quit) => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            (_, Action::Help) => self.help = Some(0),
            (_, Action::Command) => self.mode = Mode::Command(LineInput::default()),
            (_, Action::ToggleReadOnly) => return self.toggle_read_only(),
            (_, Action::CopyId) => return self.copy_id(),
            (_, Action::FoldPanes) => self.fold_panes(),
            (_, Action::Refresh) => {
                let read = match &self.mode {
                    Mode::Describe(d) if d.view == View::Jobs => vec![self.load_tasks()],
                    Mode::Describe(d) => {
                        let what = What::Detail(d.view, d.id.clone());
                        let region = d.region.clone();
                        vec![self.fetch_in(region, what)]
                    }
                    _ => self.full_fetch(self.view),
                };
                let mut effects = vec![Effect::ResetCredentials];
                effects.extend(read);
                return effects;
            }
            (Mode::Describe(_), Action::Filter) => self.open_find(),
            (Mode::Describe(d), a) => match a {
                Action::Back => self.mode = Mode::Normal,
                Action::RawJson => d.raw = !d.raw,
                Action::Down => d.scroll += 1,
                Action::Up => d.scroll = d.scroll.saturating_sub(1),
                Action::PageDown => d.scroll += page as usize,
                Action::PageUp => d.scroll = d.scroll.saturating_sub(page as usize),
                Action::Top => d.scroll = 0,
                Action::Bottom => d.scroll = usize::MAX / 2,
                _ => self.dirty = false,
            },
            _ if self.focus != Focus::Main => return self.on_side_action(action),
            (_, a) => return self.on_list_action(a, height, page),
        }
        Vec::new()
    }

    /// A key read-only hides, pressed anyway: it says why it does nothing.
    pub(in crate::tui) fn hidden_in_read_only(&mut self, action: Action) -> Vec<Effect> {
        self.message = Some((
            Level::Info,
            format!(
                "read-only: {} is off; nothing was sent (Ctrl-t leaves read-only)",
                info_of(action).name.replace('_', " ")
            ),
        ));
        Vec::new()
    }

    fn on_list_action(&mut self, action: Action, height: usize, page: isize) -> Vec<Effect> {
        // A key for another list says where it applies and sends nothing (read-only hides the
        // dangerous keys: they say that instead).
        if let Some(why) = self.keymap.not_here(action, self.view) {
            if self.session.read_only && info_of(action).dangerous {
                return self.hidden_in_read_only(action);
            }
            self.message = Some((Level::Info, why));
            return Vec::new();
        }
        if let Some(v) = shown_by(action) {
            return self.show(v);
        }
        let hidden = if self.view == View::Servers {
            self.hidden_columns()
        } else {
            Vec::new()
        };
        let l = self.current();
        match action {
            Action::Down => l.move_by(1, height),
            Action::Up => l.move_by(-1, height),
            Action::PageDown => l.move_by(page, height),
            Action::PageUp => l.move_by(-page, height),
            Action::Top => l.select(0, height),
            Action::Bottom => l.select(usize::MAX, height),
            Action::Mark => {
                l.toggle_mark();
                l.move_by(1, height);
            }
            Action::MarkAll => l.mark_shown(),
            Action::ClearMarks => l.clear_marks(),
            Action::SortNext => l.sort_next(&hidden),
            Action::SortReverse => l.sort_reverse(),
            Action::Filter => {
                let q = l.query().to_owned();
                self.mode = Mode::Filter(LineInput::new(&q));
                self.filter_before = q;
            }
            Action::Back => {
                if !l.query().is_empty() {
                    let _ = l.set_query("");
                } else if l.marked() > 0 {
                    l.clear_marks();
                } else if let Some((view, focus)) = self.back_to.take() {
                    self.show(view);
                    self.focus = focus;
                } else {
                    self.dirty = false;
                }
            }
            Action::Describe if self.view == View::Hosts => return self.show_host(),
            Action::Describe | Action::RawJson => return self.describe(action == Action::RawJson),
            Action::PaneLeft | Action::PrevPane => self.focus_side(Focus::Azs),
            Action::NextPane => self.focus_side(Focus::Regions),
            Action::Create | Action::Rename | Action::Delete if self.view == View::Disks => {
                return self.on_disk_action(action);
            }
            Action::Attach | Action::Detach | Action::Expand => return self.on_disk_action(action),
            Action::Delete if self.view == View::Snapshots => return self.delete_sets(),
            Action::Rename if self.view == View::Snapshots => return self.rename_set(),
            Action::SnapshotServer => return self.snapshot_server(),
            Action::Rollback => return self.rollback_set(),
            Action::Delete if self.view == View::Images => return self.delete_image(),
            Action::Rename if self.view == View::Images => return self.rename_image(),
            Action::Delete => return self.delete(),
            Action::Rename => return self.rename(),
            Action::RemoteLogin => return self.remote_login(),
            Action::Tags => return self.open_tags(),
            Action::CancelTask => return self.cancel_task(),
            Action::RetryFailed => return self.retry_failed_task(),
            Action::Start => return self.power(action, PowerAction::Start),
            Action::Stop => return self.power(action, PowerAction::Stop(Hardness::Soft)),
            Action::HardStop => return self.power(action, PowerAction::Stop(Hardness::Hard)),
            Action::Reboot => return self.power(action, PowerAction::Reboot(Hardness::Soft)),
            Action::HardReboot => {
                return self.power(action, PowerAction::Reboot(Hardness::Hard));
            }
            Action::Create => return self.open_create(),
            Action::Resize => return self.open_resize(),
            Action::MakeImage => return self.open_image_form(),
            _ => self.dirty = false,
        }
        Vec::new()
    }

    fn describe(&mut self, raw: bool) -> Vec<Effect> {
        if self.view == View::Jobs {
            return self.describe_job(raw);
        }
        if self.view == View::Snapshots {
            return self.describe_set(raw);
        }
        let view = self.view;
        let region = self.selected_region();
        let l = self.current();
        let (Some(id), Some(summary)) = (l.selected_id(), l.selected_cells()) else {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        };
        self.mode = Mode::Describe(Box::new(Describe::new(
            view,
            id.clone(),
            region.clone(),
            summary,
            None,
            raw,
        )));
        if !spec_of(view).detail {
            return describe_row(&mut self.mode);
        }
        vec![self.fetch_in(region, What::Detail(view, id))]
    }

    fn on_side_action(&mut self, action: Action) -> Vec<Effect> {
        if let Some(v) = shown_by(action) {
            return self.show(v);
        }
        let len = match self.focus {
            Focus::Regions => self.regions.items.len() + 1,
            _ => self.azs.items.len() + 1,
        };
        let side = match self.focus {
            Focus::Regions => &mut self.regions,
            _ => &mut self.azs,
        };
        let last = len.saturating_sub(1);
        match action {
            Action::Down => side.cursor = (side.cursor + 1).min(last),
            Action::Up => side.cursor = side.cursor.saturating_sub(1),
            Action::Top => side.cursor = 0,
            Action::Bottom => side.cursor = last,
            Action::NextPane => {
                self.focus = match self.focus {
                    Focus::Regions => Focus::Azs,
                    _ => Focus::Main,
                }
            }
            Action::PrevPane => {
                self.focus = match self.focus {
                    Focus::Azs => Focus::Regions,
                    _ => Focus::Main,
                }
            }
            Action::PaneRight | Action::Back => self.focus = Focus::Main,
            Action::Describe => {
                let cursor = side.cursor;
                return match self.focus {
                    Focus::Regions => match cursor.checked_sub(1) {
                        None => self.switch_region(crate::tui::app::region_parts::ALL),
                        Some(i) => match self.regions.items.get(i).cloned() {
                            Some(r) => self.switch_region(&r),
                            None => Vec::new(),
                        },
                    },
                    _ => {
                        let az = cursor
                            .checked_sub(1)
                            .and_then(|i| self.azs.items.get(i).cloned());
                        self.choose_az(az)
                    }
                };
            }
            _ => self.dirty = false,
        }
        Vec::new()
    }
}

/// A row of a list without a detail to read: its describe is its fields, at once.
fn describe_row(mode: &mut Mode) -> Vec<Effect> {
    if let Mode::Describe(d) = mode {
        d.detail = Some(Detail {
            lines: d
                .summary
                .iter()
                .map(|(k, v)| DetailLine::Field(k.to_lowercase(), v.clone()))
                .collect(),
            raw_json: "(none: this view is made of several API answers)".to_owned(),
        });
    }
    Vec::new()
}
