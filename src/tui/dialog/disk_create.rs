//! `c` on Disks: the create-disk form. Name, AZ, type (those the region sells), size, count and
//! optionally a server of that AZ to attach the disk to; the quota headroom shown and checked.
//! `Tab`/`Down` and `Shift-Tab`/`Up` move between fields, `Left`/`Right` choose, `Enter` submits.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::create::field::TextField;
use super::create::validate::VOLUME_TYPES;
use super::form_keys::{stepped, submit_planned};
use super::frame::Frame;
use super::{Dialog, Env, Outcome};
use crate::read::catalog::{Catalog, Usage};
use crate::read::source::What;
use crate::runner::disk::op::{DiskOp, NewDisks, ServerInAz};
use crate::runner::disk::precondition::{DATA_DISK_GB, MAX_COUNT};
use crate::runner::{Known, KnownServer, Op};
use crate::tui::keymap::{Action, Key};
use crate::tui::theme::Styles;

/// The form's fields, in the order `Tab` walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskField {
    Name,
    Az,
    Type,
    Size,
    Count,
    Server,
}

const FIELDS: [DiskField; 6] = [
    DiskField::Name,
    DiskField::Az,
    DiskField::Type,
    DiskField::Size,
    DiskField::Count,
    DiskField::Server,
];

impl DiskField {
    fn label(self) -> &'static str {
        match self {
            DiskField::Name => "name",
            DiskField::Az => "AZ",
            DiskField::Type => "type",
            DiskField::Size => "size (GB)",
            DiskField::Count => "count",
            DiskField::Server => "attach to",
        }
    }
}

/// A server the new disk may be attached to, with what the console last saw of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachable {
    pub at: ServerInAz,
    pub known: KnownServer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskCreate {
    pub focus: DiskField,
    pub name: TextField,
    pub size: TextField,
    pub count: TextField,
    /// Index into the catalog's AZs.
    pub az: usize,
    /// Index into `types()`.
    pub kind: usize,
    /// Index into the servers of the AZ (0: none, i: the i-th).
    pub server: usize,
    /// The servers listed (every AZ): the form offers those of the AZ chosen.
    servers: Vec<Attachable>,
    /// The AZ to start in (the one the console filters on), settled when the catalog comes.
    want_az: Option<String>,
}

impl DiskCreate {
    pub fn new(servers: Vec<Attachable>, az: Option<String>) -> Self {
        DiskCreate {
            focus: DiskField::Name,
            name: TextField::new(""),
            size: TextField::new("20"),
            count: TextField::new("1"),
            az: 0,
            kind: 0,
            server: 0,
            servers,
            want_az: az,
        }
    }

    /// The catalog came: the AZ the console filters on is chosen, if the region has it.
    pub fn settle(&mut self, cat: &Catalog) {
        if let Some(i) = self
            .want_az
            .take()
            .and_then(|a| cat.azs.iter().position(|x| *x == a))
        {
            self.az = i;
        }
        self.az = self.az.min(cat.azs.len().saturating_sub(1));
        self.kind = self.kind.min(types(cat).len().saturating_sub(1));
    }

    fn az_name<'a>(&self, cat: &'a Catalog) -> &'a str {
        cat.azs.get(self.az).map(String::as_str).unwrap_or("")
    }

    /// The servers of the AZ chosen.
    fn servers_in(&self, az: &str) -> Vec<&Attachable> {
        self.servers.iter().filter(|s| s.at.az == az).collect()
    }

    fn chosen_server(&self, cat: &Catalog) -> Option<&Attachable> {
        self.server
            .checked_sub(1)
            .and_then(|i| self.servers_in(self.az_name(cat)).get(i).copied())
    }

    fn number(field: &TextField) -> Option<u64> {
        field.value().trim().parse().ok()
    }

    /// Why a field cannot be sent as it is (`None`: it can).
    pub fn problem(&self, field: DiskField, cat: &Catalog) -> Option<String> {
        let q = &cat.quotas;
        let size = Self::number(&self.size);
        let count = Self::number(&self.count);
        match field {
            DiskField::Name => {
                let n = self.name.value().chars().count();
                (n == 0 || n > 64).then(|| format!("1 to 64 characters (has {n})"))
            }
            DiskField::Az => cat
                .azs
                .is_empty()
                .then(|| "the region lists no available AZ".to_owned()),
            DiskField::Type => None,
            DiskField::Size => match size {
                None => Some("a whole number of GB".to_owned()),
                Some(s) if !(DATA_DISK_GB.0..=DATA_DISK_GB.1).contains(&s) => {
                    Some(format!("{} to {} GB", DATA_DISK_GB.0, DATA_DISK_GB.1))
                }
                Some(s) => short(q.storage("gigabytes"), s * count.unwrap_or(1), "GB"),
            },
            DiskField::Count => match count {
                None => Some("a whole number".to_owned()),
                Some(c) if !(1..=u64::from(MAX_COUNT)).contains(&c) => {
                    Some(format!("1 to {MAX_COUNT}"))
                }
                Some(c) if c > 1 && self.server > 0 => {
                    Some("only one disk can be attached at its create".to_owned())
                }
                Some(c) => short(q.storage("volumes"), c, "disks"),
            },
            DiskField::Server => None,
        }
    }

    /// The op, or the first field that is wrong and why.
    pub fn op(&self, cat: &Catalog) -> Result<(Op, Known), (DiskField, String)> {
        if let Some((f, why)) = FIELDS
            .iter()
            .find_map(|f| self.problem(*f, cat).map(|p| (*f, p)))
        {
            return Err((f, why));
        }
        let server = self.chosen_server(cat);
        let known: Known = server
            .map(|s| (s.known.id.clone(), s.known.clone()))
            .into_iter()
            .collect();
        let op = Op::Disk(DiskOp::Create(NewDisks {
            name: self.name.value().trim().to_owned(),
            az: self.az_name(cat).to_owned(),
            volume_type: types(cat).get(self.kind).cloned().unwrap_or_default(),
            size_gb: Self::number(&self.size).unwrap_or(0),
            count: Self::number(&self.count).unwrap_or(1) as u32,
            attach_to: server.map(|s| s.at.clone()),
        }));
        Ok((op, known))
    }

    fn step(&mut self, by: isize) {
        self.focus = stepped(&FIELDS, self.focus, by);
    }

    /// `Left`/`Right` on a choice: the previous or next choice (wrapping).
    fn choose(&mut self, by: isize, cat: &Catalog) {
        let servers = self.servers_in(self.az_name(cat)).len() + 1;
        let (at, len) = match self.focus {
            DiskField::Az => (&mut self.az, cat.azs.len()),
            DiskField::Type => (&mut self.kind, types(cat).len()),
            DiskField::Server => (&mut self.server, servers),
            _ => return,
        };
        if len > 0 {
            *at = (*at as isize + by).rem_euclid(len as isize) as usize;
        }
        if self.focus == DiskField::Az {
            // Another AZ has other servers.
            self.server = 0;
        }
    }

    fn submit(&mut self, cat: Option<&Catalog>, read_only: bool) -> Outcome {
        submit_planned(
            cat.map(|c| self.op(c)),
            &mut self.focus,
            DiskField::label,
            "the region's AZs, disk types and quotas",
            read_only,
        )
    }

    /// The text of a field as shown.
    fn value(&self, field: DiskField, cat: Option<&Catalog>) -> String {
        let choice = |c: Option<String>| c.unwrap_or_else(|| "…".to_owned());
        match field {
            DiskField::Name => self.name.value().to_owned(),
            DiskField::Size => self.size.value().to_owned(),
            DiskField::Count => self.count.value().to_owned(),
            DiskField::Az => choice(cat.map(|c| self.az_name(c).to_owned())),
            DiskField::Type => choice(cat.and_then(|c| types(c).get(self.kind).cloned())),
            DiskField::Server => choice(cat.map(|c| match self.chosen_server(c) {
                Some(s) => format!("{} ({})", s.at.server.name, s.known.status),
                None => format!(
                    "none ({} servers listed in this AZ)",
                    self.servers_in(self.az_name(c)).len()
                ),
            })),
        }
    }
}

/// The disk types the region sells (from its quotas), else the types EVS knows.
fn types(cat: &Catalog) -> Vec<String> {
    let sold = cat.quotas.volume_types();
    if sold.is_empty() {
        VOLUME_TYPES.iter().map(|t| (*t).to_owned()).collect()
    } else {
        sold
    }
}

/// "the quota leaves 3 disks" when `asked` is more than what is left.
fn short(usage: Option<Usage>, asked: u64, unit: &str) -> Option<String> {
    let left = usage?.headroom()?;
    (asked > left).then(|| format!("the quota leaves {left} {unit} (asked {asked})"))
}

/// "12 of 50 (38 left)".
fn headroom(u: Option<Usage>) -> String {
    match u {
        Some(u) => match u.headroom() {
            Some(left) => format!("{} ({left} left)", u.text()),
            None => u.text(),
        },
        None => "not reported".to_owned(),
    }
}

impl Dialog for DiskCreate {
    fn key(&mut self, key: Key, env: &Env) -> Outcome {
        let cat = env.catalog();
        let text = match self.focus {
            DiskField::Name => Some(&mut self.name),
            DiskField::Size => Some(&mut self.size),
            DiskField::Count => Some(&mut self.count),
            _ => None,
        };
        if let Some(field) = text
            && let Some(changed) = field.edit(key)
        {
            return if changed {
                Outcome::Changed
            } else {
                Outcome::Ignored
            };
        }
        match key.code {
            KeyCode::Esc => Outcome::Cancelled("create disk cancelled; nothing was sent".into()),
            KeyCode::Enter => self.submit(cat, env.read_only),
            KeyCode::Tab | KeyCode::Down => {
                self.step(1);
                Outcome::Changed
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.step(-1);
                Outcome::Changed
            }
            KeyCode::Left | KeyCode::Right if cat.is_some() => {
                let by = if key.code == KeyCode::Left { -1 } else { 1 };
                if let Some(c) = cat {
                    self.choose(by, c);
                }
                Outcome::Changed
            }
            _ if env.keymap.action(key) == Some(Action::Refresh) => Outcome::Fetch(What::Catalog),
            _ => Outcome::Ignored,
        }
    }

    /// Each field with its value and, when wrong, why; then the quota headroom.
    fn draw(&self, env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let cat = env.catalog();
        let mut lines = vec![Line::styled(
            format!(" new data disks in {}", env.region),
            styles.title,
        )];
        lines.push(Line::raw(""));
        for f in FIELDS {
            let here = f == self.focus;
            let marker = if here { styles.symbols.cursor } else { " " };
            let value = self.value(f, cat);
            let choice = matches!(f, DiskField::Az | DiskField::Type | DiskField::Server);
            let value = if choice && here {
                format!("< {value} >")
            } else {
                value
            };
            let style = if here { styles.selection } else { styles.text };
            lines.push(Line::styled(
                format!("{marker} {:<10} {value}", f.label()),
                style,
            ));
            if let Some(p) = cat.and_then(|c| self.problem(f, c)) {
                lines.push(Line::styled(format!("   {p}"), styles.error));
            }
        }
        lines.push(Line::raw(""));
        lines.push(match cat {
            Some(c) => Line::styled(
                format!(
                    " quota: disks {} · GB {}",
                    headroom(c.quotas.storage("volumes")),
                    headroom(c.quotas.storage("gigabytes"))
                ),
                styles.dim,
            ),
            None => Line::styled(
                match &env.catalog.error {
                    Some(e) if !env.catalog.loading => format!(" could not read the catalog: {e}"),
                    _ => " reading AZs, disk types and quotas…".to_owned(),
                },
                styles.dim,
            ),
        });
        Frame::new("create disk")
            .hint("tab/down", "next")
            .hint("left/right", "choose")
            .hint("enter", "create")
            .hint("esc", "cancel")
            .min_width(60)
            .popup(lines, styles, area, buf);
        None
    }

    fn catalog_arrived(&mut self, cat: &Catalog) {
        self.settle(cat);
    }

    fn is_form(&self) -> bool {
        true
    }
}

#[cfg(test)]
#[path = "disk_create_tests.rs"]
mod tests;
