//! The disk form on its own: the region's types from its quotas, the AZ the console filters on,
//! another AZ drops the server chosen, the quota headroom drawn.

use super::{Attachable, DiskCreate, DiskField, types};
use crate::read::catalog::{Catalog, Quotas, Usage};
use crate::runner::disk::op::ServerInAz;
use crate::runner::{KnownServer, ServerRef};

fn catalog(storage: &[(&str, i64, i64)]) -> Catalog {
    Catalog {
        azs: vec!["az1".into(), "az2".into()],
        quotas: Quotas {
            storage: storage
                .iter()
                .map(|(n, u, l)| ((*n).to_owned(), Usage::of(Some(*u), Some(*l))))
                .collect(),
            ..Quotas::default()
        },
        ..Catalog::default()
    }
}

fn server(id: &str, az: &str) -> Attachable {
    Attachable {
        at: ServerInAz {
            server: ServerRef::new(id, id),
            az: az.into(),
        },
        known: KnownServer {
            id: id.into(),
            name: id.into(),
            status: "ACTIVE".into(),
            task_state: None,
            flavor_id: None,
        },
    }
}

#[test]
fn types_are_the_region_s_else_every_evs_type() {
    let cat = catalog(&[
        ("volumes_GPSSD", 0, -1),
        ("volumes", 1, 10),
        ("volumes_SAS", 0, -1),
    ]);
    assert_eq!(types(&cat), ["GPSSD", "SAS"]);
    assert!(types(&catalog(&[])).len() > 2);
}

#[test]
fn the_filtered_az_is_chosen_and_another_az_drops_the_server() {
    let cat = catalog(&[("volumes", 9, 10)]);
    let mut f = DiskCreate::new(
        vec![server("a", "az1"), server("b", "az2")],
        Some("az2".into()),
    );
    f.settle(&cat);
    assert_eq!(f.az, 1);
    f.focus = DiskField::Server;
    f.choose(1, &cat);
    assert_eq!(
        f.chosen_server(&cat).map(|s| s.at.server.id.as_str()),
        Some("b")
    );
    f.focus = DiskField::Az;
    f.choose(1, &cat);
    assert_eq!((f.az, f.server), (0, 0), "wrapped to az1, no server");
    // one volume left: a count of 2 is over the quota
    f.count.set("2");
    assert!(
        f.problem(DiskField::Count, &cat)
            .unwrap()
            .contains("leaves 1 disks")
    );
    // unlimited quotas are no limit
    let free = catalog(&[("volumes", 9, -1)]);
    assert_eq!(f.problem(DiskField::Count, &free), None);
}
