//! `World`: the whole simulated cloud in one value (inventory, jobs, idempotency keys); the unit
//! that is locked, advanced in time, and saved.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::clock::Millis;
use super::ids;
use super::job::{Job, Settle};
use super::model::{Flavor, Host, Image, Region, Server, Snapshot, Subnet, Volume, Vpc};
use super::table::Table;
use super::uid::{AsUid, Uid};

/// The account the simulator serves (one domain, one user).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub domain_id: String,
    pub domain_name: String,
    pub user_id: String,
    pub user_name: String,
}

#[derive(Serialize, Deserialize)]
pub struct World {
    pub seed: u64,
    /// Durations are divided by this.
    pub speed: f64,
    pub id_counter: u64,
    pub account: Account,
    pub regions: Vec<Region>,
    pub hosts: Vec<Host>,
    pub flavors: Vec<Flavor>,
    pub images: Table<Image>,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub servers: Table<Server>,
    pub volumes: Table<Volume>,
    pub snapshots: Table<Snapshot>,
    pub jobs: HashMap<String, Job>,
    /// Jobs not finished yet, oldest first.
    pub active: BTreeSet<(Millis, String)>,
    /// Server statuses that settle a moment after their job ended.
    pub settles: Vec<Settle>,
    /// `X-Client-Token` → (job id, accepted at).
    pub client_tokens: HashMap<String, (String, Millis)>,
    #[serde(skip)]
    host_index: HashMap<String, usize>,
    /// Bumped on every change; the store saves when it moved.
    #[serde(skip)]
    pub version: u64,
    /// Nothing in the job table is due before this time (0 = look now).
    #[serde(skip)]
    pub next_due: Millis,
}

impl World {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seed: u64,
        speed: f64,
        account: Account,
        regions: Vec<Region>,
        hosts: Vec<Host>,
        flavors: Vec<Flavor>,
        vpcs: Vec<Vpc>,
        subnets: Vec<Subnet>,
    ) -> Self {
        let mut w = World {
            seed,
            speed,
            id_counter: 0,
            account,
            regions,
            hosts,
            flavors,
            images: Table::default(),
            vpcs,
            subnets,
            servers: Table::default(),
            volumes: Table::default(),
            snapshots: Table::default(),
            jobs: HashMap::new(),
            active: BTreeSet::new(),
            settles: Vec::new(),
            client_tokens: HashMap::new(),
            host_index: HashMap::new(),
            version: 0,
            next_due: 0,
        };
        w.reindex();
        w
    }

    /// Rebuilds the indexes serde skips (after loading a saved world).
    pub fn reindex(&mut self) {
        self.host_index = self
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (h.name.clone(), i))
            .collect();
    }

    pub fn touch(&mut self) {
        self.version += 1;
    }

    pub fn new_uuid(&mut self) -> Uid {
        self.id_counter += 1;
        ids::uid_at(self.seed, self.id_counter)
    }

    pub fn new_hex32(&mut self) -> String {
        self.id_counter += 1;
        ids::hex32_at(self.seed, self.id_counter)
    }

    /// A number in `[0, 1)` from the run-time sequence (durations, choices).
    pub fn next_unit(&mut self) -> f64 {
        self.id_counter += 1;
        let h = ids::hex32_at(self.seed ^ 0x5eed, self.id_counter);
        let v = u64::from_str_radix(&h[..13], 16).unwrap_or(0);
        v as f64 / (1u64 << 52) as f64
    }

    pub fn host_mut(&mut self, name: &str) -> Option<&mut Host> {
        let i = *self.host_index.get(name)?;
        self.hosts.get_mut(i)
    }

    pub fn flavor(&self, id: &str) -> Option<&Flavor> {
        self.flavors.iter().find(|f| f.id == id)
    }

    /// The image as project `region` sees it (public, or its own private one).
    pub fn image_for(&self, region: usize, id: &(impl AsUid + ?Sized)) -> Option<&Image> {
        self.images
            .get(id)
            .filter(|i| i.owner.is_none() || i.owner == Some(region))
    }

    pub fn server_in(&self, region: usize, id: &(impl AsUid + ?Sized)) -> Option<&Server> {
        self.servers.get(id).filter(|s| s.region == region)
    }

    pub fn volume_in(&self, region: usize, id: &(impl AsUid + ?Sized)) -> Option<&Volume> {
        self.volumes.get(id).filter(|v| v.region == region)
    }

    pub fn snapshot_in(&self, region: usize, id: &(impl AsUid + ?Sized)) -> Option<&Snapshot> {
        self.snapshots.get(id).filter(|s| s.region == region)
    }

    pub fn subnet(&self, region: usize, id: &str) -> Option<&Subnet> {
        self.subnets
            .iter()
            .find(|s| s.region == region && s.id == id)
    }

    /// Scales a base duration in milliseconds by `--speed`.
    pub fn scaled(&self, base_ms: f64) -> Millis {
        ((base_ms / self.speed.max(1e-6)) as Millis).max(1)
    }

    /// A duration drawn between `lo_s` and `hi_s` seconds, scaled by `--speed`.
    pub fn duration(&mut self, lo_s: f64, hi_s: f64) -> Millis {
        let u = self.next_unit();
        self.scaled((lo_s + (hi_s - lo_s) * u) * 1000.0)
    }
}
