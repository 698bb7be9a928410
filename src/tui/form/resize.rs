//! The resize picker's state: the flavors on sale in the server's AZ, its current flavor marked
//! and not pickable, and whether the platform must stop it first (an ACTIVE server). Pure.

use crate::read::catalog::{Catalog, FlavorInfo};
use crate::runner::{Known, KnownServer, Op, ServerRef};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResizePick {
    pub server: ServerRef,
    pub az: String,
    pub status: String,
    /// `OS-EXT-STS:task_state` as the row shows it (empty: idle).
    pub task: String,
    /// The flavor as the row names it (its name; the id on some clouds).
    pub current: String,
    pub cursor: usize,
}

impl ResizePick {
    /// The flavors offered: those on sale in the server's AZ, smallest first.
    pub fn choices<'a>(&self, cat: &'a Catalog) -> Vec<&'a FlavorInfo> {
        cat.flavors
            .iter()
            .filter(|f| f.on_sale_in(&self.az))
            .collect()
    }

    pub fn is_current(&self, f: &FlavorInfo) -> bool {
        f.name == self.current || f.id == self.current
    }

    /// An ACTIVE server is stopped by the platform, resized, and started again.
    pub fn with_stop(&self) -> bool {
        self.status == "ACTIVE"
    }

    /// Puts the cursor on the current flavor (or the first), once the catalog is there.
    pub fn place(&mut self, cat: &Catalog) {
        let list = self.choices(cat);
        self.cursor = list.iter().position(|f| self.is_current(f)).unwrap_or(0);
    }

    pub fn move_by(&mut self, delta: isize, cat: &Catalog) {
        let n = self.choices(cat).len();
        if n > 0 {
            self.cursor = (self.cursor as isize + delta).clamp(0, n as isize - 1) as usize;
        }
    }

    /// The op for the flavor under the cursor, with what is known of the server; or why not.
    pub fn pick(&self, cat: &Catalog) -> Result<(Op, Known), String> {
        let list = self.choices(cat);
        let Some(f) = list.get(self.cursor) else {
            return Err(format!("no flavor is on sale in {}", self.az));
        };
        if self.is_current(f) {
            return Err(format!(
                "{} already has {}: pick another flavor",
                self.server.name, f.name
            ));
        }
        let current_id = cat
            .flavors
            .iter()
            .find(|x| self.is_current(x))
            .map(|x| x.id.clone());
        let known = Known::from([(
            self.server.id.clone(),
            KnownServer {
                id: self.server.id.clone(),
                name: self.server.name.clone(),
                status: self.status.clone(),
                task_state: (!self.task.is_empty()).then(|| self.task.clone()),
                flavor_id: current_id,
            },
        )]);
        let op = Op::Resize {
            server: self.server.clone(),
            flavor_id: f.id.clone(),
            with_stop: self.with_stop(),
        };
        Ok((op, known))
    }
}
