//! A synthetic inventory for the console benches: `n` servers with realistic cells, built as the
//! console builds them from the gateway (compact rows), and a console holding them.

#![allow(dead_code)]

use chrono::{Local, TimeZone};
use hvecs::read::source::{Payload, Scope, What};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::keymap::Keymap;
use hvecs::tui::list::rows::{ServerFields, ServerRow};

const STATUSES: [&str; 6] = ["ACTIVE", "ACTIVE", "ACTIVE", "SHUTOFF", "BUILD", "ERROR"];
const ROLES: [&str; 8] = ["web", "db", "cache", "app", "batch", "ad", "file", "print"];
const FLAVORS: [&str; 4] = ["s3.large", "s3.xlarge", "m3.2xlarge", "c3.medium"];
const IMAGES: [&str; 3] = ["win2019", "win2022", "win2022-sql"];

pub fn servers(n: usize) -> Vec<ServerRow> {
    (0..n).map(|i| ServerRow::new(fields(i))).collect()
}

/// The fields of server `i` (its name ends with `i`).
pub fn fields(i: usize) -> ServerFields {
    ServerFields {
        id: format!("6d1e7a3c-0b7e-4c1d-{:04x}-{:012x}", i % 0xffff, i),
        name: format!("{}-{:05}", ROLES[i % ROLES.len()], i),
        status: STATUSES[i % STATUSES.len()].into(),
        task_state: if i.is_multiple_of(97) {
            "powering-off".into()
        } else {
            String::new()
        },
        region: "region-1".into(),
        az: format!("region-1{}", ["a", "b", "c"][i % 3]),
        flavor: FLAVORS[i % FLAVORS.len()].into(),
        ip: format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255),
        image: IMAGES[i % IMAGES.len()].into(),
        created: format!(
            "2026-{:02}-{:02} {:02}:{:02}",
            1 + i % 12,
            1 + i % 28,
            i % 24,
            i % 60
        ),
        image_id: String::new(),
        ..ServerFields::default()
    }
}

/// Server `i` as the simulator lists it: long image names that share their first 16 bytes, a
/// Hyper-V host, tags (the cells a sort by IMAGE, HOST or TAGS reads).
pub fn sim_like(i: usize) -> ServerFields {
    const LONG_IMAGES: [&str; 4] = [
        "Windows Server 2019 Datacenter 64bit",
        "Windows Server 2022 Datacenter 64bit",
        "Ubuntu 22.04 server 64bit",
        "CentOS 7.9 64bit",
    ];
    ServerFields {
        image: LONG_IMAGES[i % LONG_IMAGES.len()].into(),
        host: format!("hv-region-1{}-{:03}", ["a", "b", "c"][i % 3], i % 97),
        tags: vec![
            format!("app={}", ROLES[i % ROLES.len()]),
            format!("env={}", ["prod", "test", "dev"][i % 3]),
            format!("owner=team-{}", i % 7),
        ],
        ..fields(i)
    }
}

/// A console of `size` with `n` servers loaded, on the Servers pane, first row selected.
pub fn console(n: usize, size: (u16, u16)) -> AppState {
    let session = Session {
        profile: "lab".into(),
        user: "ops-admin".into(),
        region: "region-1".into(),
        read_only: false,
    };
    let mut app = AppState::new(session, Keymap::default(), vec!["default".into()], size);
    let at = Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap();
    for e in app.start() {
        let Effect::Fetch(req) = e else { continue };
        if let What::Servers(_) = req.what {
            app.update(Msg::Loaded {
                seq: req.seq,
                result: Ok(Payload::Servers {
                    scope: Scope::All,
                    rows: (0..n).map(fields).collect(),
                    total: Some(n),
                }),
                at,
            });
        }
    }
    app
}
