//! `Sim`: the shared state behind every request (the world, auth, faults, statistics).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::auth::{AuthState, Credentials};
use super::clock::now_ms;
use super::faults::Faults;
use super::jobs;
use super::stats::Stats;
use super::world::World;

pub struct Sim {
    world: Mutex<World>,
    pub auth: Mutex<AuthState>,
    pub creds: Credentials,
    pub faults: Faults,
    pub stats: Mutex<Stats>,
    /// IMS makes images of running servers too (newer releases); else IMG.0008 for them.
    pub image_from_running: bool,
    submits: AtomicU64,
    throttles: AtomicU64,
    /// The project id of each region (fixed for the life of the world), read without its lock.
    projects: Vec<String>,
}

/// Locks a mutex even if a panicking thread poisoned it (the data stays usable).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sim {
    pub fn new(world: World, auth: AuthState, creds: Credentials, faults: Faults) -> Self {
        let projects = world.regions.iter().map(|r| r.project_id.clone()).collect();
        Sim {
            projects,
            world: Mutex::new(world),
            auth: Mutex::new(auth),
            creds,
            faults,
            stats: Mutex::new(Stats::default()),
            image_from_running: false,
            submits: AtomicU64::new(0),
            throttles: AtomicU64::new(0),
        }
    }

    /// The world, moved to the present.
    pub fn world(&self) -> MutexGuard<'_, World> {
        let mut w = lock(&self.world);
        jobs::advance(&mut w, now_ms());
        w
    }

    /// The region whose project id this is.
    pub fn region_of_project(&self, project_id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p == project_id)
    }

    /// The project id of a region.
    pub fn project_of_region(&self, region: usize) -> Option<String> {
        self.projects.get(region).cloned()
    }

    /// The prefix of the next throttling code: older deployments write `APIG.`, newer ones
    /// `APIGW.` (api.md §8), and clients meet both here, in turn.
    pub fn next_throttle_prefix(&self) -> &'static str {
        if self
            .throttles
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(2)
        {
            "APIGW"
        } else {
            "APIG"
        }
    }

    /// Whether this accepted submit answers 202 "delivered, execution postponed because the
    /// system is busy" instead of 200 (api.md §5): one in eight, deterministically.
    pub fn postpone_next_submit(&self) -> bool {
        self.submits.fetch_add(1, Ordering::Relaxed) % 8 == 7
    }
}
