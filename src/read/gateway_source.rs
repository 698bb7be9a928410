//! The product's `DataSource`: reads through the cloud session's client of the region asked for,
//! pages decoded straight into typed servers and made into records as they arrive (never the
//! whole list as JSON at once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use futures::future::BoxFuture;

use super::catalog::{self, Catalog};
use super::detail::{image_detail, plain_detail, server_detail, snapshot_set_lines};
use super::records::{
    AzRow, RegionRow, ServerFields, disk_record, image_record, keypair_record, server_record,
};
use super::snapshot_sets;
use super::source::{DataSource, LoadError, PageSink, Payload, Scope, View, What};
use crate::gateway::model::{Disk, Server, Snapshot};
use crate::gateway::page;
use crate::gateway::{
    CloudSession, ErrorKind, Gateway, GatewayError, ImageFilter, SERVER_PAGE, ServerFilter,
};

/// Server pages read at once.
const PAGES_AT_ONCE: usize = 4;

pub struct GatewaySource {
    session: CloudSession,
    /// Names of servers and disks by id, to name a disk's server and a snapshot's disk.
    names: Arc<Mutex<HashMap<String, String>>>,
}

impl GatewaySource {
    pub fn new(session: CloudSession) -> Self {
        GatewaySource {
            session,
            names: Arc::default(),
        }
    }
}

impl GatewaySource {
    /// The client of `region` (IAM's list of regions through the profile's own region).
    fn gateway(&self, region: &str, what: &What) -> Result<Gateway, LoadError> {
        // The list of regions is IAM's, the same from any region: under the all-regions view it
        // is read through the profile's own region.
        let client = match what {
            What::Regions if region == crate::gateway::ALL_REGIONS => self.session.home(),
            _ => self.session.client(region),
        };
        client.map_err(load_error)
    }
}

impl DataSource for GatewaySource {
    fn fetch(&self, region: String, what: What) -> BoxFuture<'static, Result<Payload, LoadError>> {
        let gw = match self.gateway(&region, &what) {
            Ok(g) => g,
            Err(e) => return futures::future::ready(Err(e)).boxed(),
        };
        let names = self.names.clone();
        async move { fetch(gw, what, names).await.map_err(load_error) }.boxed()
    }

    /// A full servers read hands on each page as it arrives; every other read is `fetch`'s.
    fn fetch_paged(
        &self,
        region: String,
        what: What,
        pages: PageSink,
    ) -> BoxFuture<'static, Result<Payload, LoadError>> {
        if what != What::Servers(Scope::All) {
            return self.fetch(region, what);
        }
        let gw = match self.gateway(&region, &what) {
            Ok(g) => g,
            Err(e) => return futures::future::ready(Err(e)).boxed(),
        };
        let names = self.names.clone();
        async move {
            let total = each_server_page(&gw, &names, |rows, total| {
                pages(Payload::ServerPage { rows, total })
            })
            .await
            .map_err(load_error)?;
            Ok(Payload::ServerPagesEnd { total })
        }
        .boxed()
    }

    fn reset_credentials(&self) {
        self.session.credential_guard().reset();
    }
}

async fn fetch(
    gw: Gateway,
    what: What,
    names: Arc<Mutex<HashMap<String, String>>>,
) -> Result<Payload, GatewayError> {
    let name_of = |id: &str| {
        names
            .lock()
            .ok()
            .and_then(|n| n.get(id).cloned())
            .unwrap_or_else(|| id.to_owned())
    };
    Ok(match what {
        What::Regions => Payload::Regions(
            gw.list_regions()
                .await?
                .into_iter()
                .map(|r| RegionRow { id: r.id })
                .collect(),
        ),
        What::Azs => Payload::Azs(
            gw.list_azs()
                .await?
                .into_iter()
                .map(|a| AzRow {
                    name: a.name,
                    available: a.available,
                })
                .collect(),
        ),
        What::Servers(Scope::All) => {
            let (rows, total) = all_servers(&gw, &names).await?;
            Payload::Servers {
                scope: Scope::All,
                rows,
                total,
            }
        }
        What::Servers(Scope::Ids(ids)) => {
            let filter = ServerFilter {
                ids: ids.clone(),
                ..ServerFilter::default()
            };
            let everything = ServerFilter::default();
            let (page, count) = futures::try_join!(
                gw.servers_page_typed(&filter, 1, ids.len().max(1) as u64),
                gw.servers_page_typed(&everything, 1, 1),
            )?;
            Payload::Servers {
                scope: Scope::Ids(ids),
                rows: rows_of(&page.items, &names),
                total: count.total.map(|t| t as usize),
            }
        }
        What::Images => Payload::Images(
            gw.list_images(&ImageFilter::default())
                .await?
                .iter()
                .map(image_record)
                .collect(),
        ),
        What::Disks => {
            let disks: Vec<Disk> = gw.list_disks(None).await?;
            if let Ok(mut n) = names.lock() {
                for d in &disks {
                    n.insert(d.id.clone(), d.name.clone());
                }
            }
            Payload::Disks(disks.iter().map(|d| disk_record(d, name_of)).collect())
        }
        What::Snapshots => {
            let snaps: Vec<Snapshot> = gw.list_snapshots(None).await?;
            let server_name = |id: &str| names.lock().ok().and_then(|n| n.get(id).cloned());
            Payload::Snapshots(snapshot_sets::group(&snaps, server_name))
        }
        What::Detail(View::Servers, id) => {
            let (raw, devices, disks, snaps) = futures::join!(
                gw.show_server_raw(&id),
                gw.server_block_devices(&id),
                gw.list_disks(Some(&id)),
                gw.list_snapshots(None)
            );
            let disks = disks.unwrap_or_default();
            let mut detail = server_detail(&raw?, &devices.unwrap_or_default(), &disks);
            let disk_ids: Vec<String> = disks.iter().map(|d| d.id.clone()).collect();
            let sets = snaps.map(|s| snapshot_sets::group(&s, |_| None));
            snapshot_set_lines(&mut detail, &id, &disk_ids, sets.map_err(|e| e.message()));
            Payload::Detail(detail)
        }
        What::Detail(View::Images, id) => {
            Payload::Detail(image_detail(&gw.show_image_raw(&id).await?))
        }
        What::Detail(View::Snapshots, id) => {
            Payload::Detail(plain_detail(&gw.show_snapshot_raw(&id).await?))
        }
        What::Detail(View::Disks, id) => {
            Payload::Detail(plain_detail(&gw.show_disk_raw(&id).await?))
        }
        // Their rows are all there is (the console describes them without a read).
        What::Detail(
            v @ (View::Flavors | View::Networks | View::Quotas | View::Keypairs | View::Hosts),
            _,
        ) => {
            return Err(GatewayError::new(
                format!("describe {v:?}"),
                crate::gateway::ErrorKind::Setup(format!("{v:?} have no detail to read")),
            ));
        }
        What::Flavors(az) => Payload::Flavors(catalog::flavor_infos(
            &gw.list_flavors(az.as_deref()).await?,
        )),
        What::Networks => Payload::Networks(networks(&gw).await?),
        What::RemoteConsole(id) => Payload::RemoteConsole(gw.remote_console(&id).await?),
        What::ServerDisks(id) => Payload::Disks(
            gw.list_disks(Some(&id))
                .await?
                .iter()
                .map(|d| disk_record(d, name_of))
                .collect(),
        ),
        What::Quotas => Payload::Quotas(quotas(&gw).await?),
        What::Keypairs => {
            let mut list: Vec<_> = gw
                .list_keypairs()
                .await?
                .iter()
                .map(keypair_record)
                .collect();
            list.sort_by(|a, b| a.name.cmp(&b.name));
            Payload::Keypairs(list)
        }
        What::Catalog => {
            let active = ImageFilter {
                status: Some("active".to_owned()),
                ..ImageFilter::default()
            };
            let (azs, flavors, images, networks, quotas, keypairs) = futures::try_join!(
                gw.list_azs(),
                gw.list_flavors(None),
                gw.list_images(&active),
                networks(&gw),
                quotas(&gw),
                keypair_names(&gw),
            )?;
            let mut images: Vec<_> = images
                .iter()
                .filter(|i| i.status == "active")
                .map(catalog::image_info)
                .collect();
            images.sort_by(|a, b| a.name.cmp(&b.name));
            Payload::Catalog(Box::new(Catalog {
                azs: azs
                    .into_iter()
                    .filter(|a| a.available)
                    .map(|a| a.name)
                    .collect(),
                flavors: catalog::flavor_infos(&flavors),
                images,
                networks,
                quotas,
                keypairs,
            }))
        }
        What::Detail(View::Jobs, _) => {
            return Err(GatewayError::new(
                "task details",
                ErrorKind::Setup(
                    "tasks are read from the runner's journal, not the gateway".into(),
                ),
            ));
        }
    })
}

/// The project's key pair names, sorted; `None` when the list call fails (a gateway without
/// `os-keypairs`, or any other error): the catalog loads without them.
async fn keypair_names(gw: &Gateway) -> Result<Option<Vec<String>>, GatewayError> {
    match gw.list_keypairs().await {
        Ok(list) => {
            let mut names: Vec<String> = list.into_iter().map(|k| k.name).collect();
            names.sort();
            names.dedup();
            Ok(Some(names))
        }
        Err(e) => {
            tracing::info!("key pairs not listed, the form takes a typed name: {e}");
            Ok(None)
        }
    }
}

/// VPCs and every subnet (one list call each), joined.
async fn networks(gw: &Gateway) -> Result<Vec<catalog::NetworkInfo>, GatewayError> {
    let (vpcs, subnets) = futures::try_join!(gw.list_vpcs(), gw.list_subnets(None))?;
    Ok(catalog::network_infos(&vpcs, &subnets))
}

async fn quotas(gw: &Gateway) -> Result<catalog::Quotas, GatewayError> {
    let (compute, storage, images) =
        futures::try_join!(gw.compute_quota(), gw.storage_quota(), private_images(gw))?;
    Ok(catalog::Quotas {
        images,
        ..catalog::quotas(&compute, &storage)
    })
}

/// The private-image quota; `None` when IMS does not answer it (the quotas load without it, and
/// the runner still refuses a full one before sending).
async fn private_images(gw: &Gateway) -> Result<Option<catalog::Usage>, GatewayError> {
    match gw.private_image_quota().await {
        Ok(q) => Ok(q.map(|(used, limit)| catalog::Usage {
            used,
            limit: Some(limit),
        })),
        Err(e) => {
            tracing::info!("private-image quota not read: {e}");
            Ok(None)
        }
    }
}

/// Every server, gathered from its pages.
async fn all_servers(
    gw: &Gateway,
    names: &Mutex<HashMap<String, String>>,
) -> Result<(Vec<ServerFields>, Option<usize>), GatewayError> {
    let mut rows = Vec::new();
    let total = each_server_page(gw, names, |page, _| rows.extend(page)).await?;
    Ok((rows, total))
}

/// Every server: the first page gives the count, the others are read a few at a time, each
/// made into rows and handed to `sink` (with the count) as it arrives, in order; the gateway's
/// page walk stops a list that does not end. Returns the count.
async fn each_server_page(
    gw: &Gateway,
    names: &Mutex<HashMap<String, String>>,
    mut sink: impl FnMut(Vec<ServerFields>, Option<usize>),
) -> Result<Option<usize>, GatewayError> {
    let filter = ServerFilter::default();
    let total: Mutex<Option<u64>> = Mutex::new(None);
    let count = |total: &Mutex<Option<u64>>| total.lock().ok().and_then(|t| *t).map(|t| t as usize);
    page::each_by_position(
        page::Paging {
            position: page::Position::PageNumber,
            limit: SERVER_PAGE,
            concurrency: PAGES_AT_ONCE,
            limits: gw.page_limits(),
        },
        |p| {
            let (filter, total) = (&filter, &total);
            async move {
                let page = gw.servers_page_typed(filter, p, SERVER_PAGE).await?;
                if p == 1
                    && let Ok(mut t) = total.lock()
                {
                    *t = page.total;
                }
                Ok(page.map(|servers| rows_of(&servers, names)))
            }
        },
        // The sink cannot fail: its error type only has to hold the walk's.
        |rows| {
            sink(rows, count(&total));
            Ok::<(), Box<GatewayError>>(())
        },
    )
    .await
    .map_err(|e| *e)?;
    Ok(count(&total))
}

fn rows_of(servers: &[Server], names: &Mutex<HashMap<String, String>>) -> Vec<ServerFields> {
    if let Ok(mut n) = names.lock() {
        for s in servers {
            n.insert(s.id.clone(), s.name.clone());
        }
    }
    servers.iter().map(server_record).collect()
}

/// What a person needs of a gateway error: the message (without the request id, which the
/// console shows on its own) and the request id to quote.
fn load_error(e: GatewayError) -> LoadError {
    LoadError {
        message: e.message(),
        request_id: e.request_id,
    }
}
