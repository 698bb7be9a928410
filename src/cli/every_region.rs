//! `--region all`: a list read in every region at once (each through the cloud session's client
//! of that region), the items tagged with their region; a region that fails is named on its own.

use serde_json::Value;

use crate::gateway::CloudSession;

use super::args::Output;
use super::exit::{CliError, ExitCode};
use super::read_cmds::{List, json};
use super::table::Table;

/// The list in every region IAM names: the text to print, and an error naming each region that
/// failed (the others are printed all the same).
pub async fn list(
    cloud: &CloudSession,
    list: List<'_>,
    out: Output,
) -> Result<(String, Option<CliError>), CliError> {
    let regions = cloud.home()?.list_regions().await?;
    let reads = regions.iter().map(|r| async move {
        let got = match cloud.client(&r.id) {
            Ok(gw) => list.raw(&gw).await,
            Err(e) => Err(e.into()),
        };
        (r.id.clone(), got)
    });
    let results = futures::future::join_all(reads).await;
    let mut items = Vec::new();
    let mut header = vec!["REGION"];
    header.extend(list.table(Vec::new())?.header);
    let mut table = Table::new(&header);
    let mut failed = Vec::new();
    for (region, got) in results {
        let raw = match got {
            Ok(raw) => raw,
            Err(e) => {
                failed.push(format!("region {region}: {}", e.message));
                continue;
            }
        };
        match out {
            Output::Json => items.extend(raw.into_iter().map(|mut v| {
                if let Value::Object(m) = &mut v {
                    m.insert("region".into(), Value::String(region.clone()));
                }
                v
            })),
            Output::Table => match list.table(raw) {
                Ok(t) => {
                    for row in t.rows {
                        let mut r = vec![region.clone()];
                        r.extend(row);
                        table.push(r);
                    }
                }
                Err(e) => failed.push(format!("region {region}: {}", e.message)),
            },
        }
    }
    let text = match out {
        Output::Json => json(&Value::Array(items)),
        Output::Table => table.print(),
    };
    let error = (!failed.is_empty()).then(|| {
        CliError::new(
            ExitCode::Api,
            format!(
                "{} of {} regions could not be listed:\n{}",
                failed.len(),
                regions.len(),
                failed.join("\n")
            ),
        )
    });
    Ok((text, error))
}
