//! `--region all`: a list read in every region, one region after another (each through the
//! cloud session's client of that region) and written as it comes, the items tagged with their
//! region; a region that fails is named on its own.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::gateway::CloudSession;

use super::exit::{CliError, ExitCode};
use super::format::{Format, col};
use super::list_cmd::List;
use super::list_stream::{Item, ListWriter};

/// Writes the list in every region IAM names, region by region, to stdout; an error names each
/// region that failed (the others are written all the same). The regions are read one after
/// another so that only a few pages are held at a time. A region that fails before any of its
/// items were written leaves a whole list of the others (`-o json`: a closed array); one that
/// fails after leaves the JSON array open, so that it is not taken for a whole list.
pub async fn list(cloud: &CloudSession, list: List<'_>, format: &Format) -> Result<(), CliError> {
    let regions = cloud.home()?.list_regions().await?;
    let mut columns = vec![col("REGION")];
    columns.extend(list.columns().iter().cloned());
    let mut writer = ListWriter::new(format, &columns);
    let mut failed = Vec::new();
    let mut whole = true;
    for r in &regions {
        let mut wrote = false;
        let mut stdout_failed = false;
        let got = match cloud.client(&r.id) {
            Ok(gw) => {
                let mut sink = |items: Vec<Item>| {
                    wrote |= !items.is_empty();
                    let items = items.into_iter().map(|i| in_region(i, &r.id)).collect();
                    let written = writer.page(items);
                    stdout_failed = written.is_err();
                    written
                };
                list.by_page(&gw, format, &mut sink).await
            }
            Err(e) => Err(e.into()),
        };
        match got {
            Ok(()) => {}
            Err(e) if stdout_failed => return Err(e),
            Err(e) => {
                whole &= !wrote;
                failed.push(format!("region {}: {}", r.id, e.message));
            }
        }
    }
    if whole {
        writer.finish()?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(CliError::new(
        ExitCode::Api,
        format!(
            "{} of {} regions could not be listed:\n{}",
            failed.len(),
            regions.len(),
            failed.join("\n")
        ),
    ))
}

/// The item tagged with its region: a `region` column, and a `region` member in its JSON.
fn in_region(item: Item, region: &str) -> Item {
    let cells = match item.cells.is_empty() {
        true => Vec::new(),
        false => std::iter::once(region.to_owned())
            .chain(item.cells)
            .collect(),
    };
    Item {
        json: tagged(item.json, region),
        cells,
    }
}

/// The object's JSON with a `region` member: appended to the API's own text, unless the object
/// may have a member of that name already (then it is replaced, through a tree).
fn tagged(json: Box<RawValue>, region: &str) -> Box<RawValue> {
    let text = json.get();
    let value = Value::String(region.to_owned()).to_string();
    if !text.contains("\"region\"")
        && let Some(members) = text.trim_end().strip_suffix('}')
    {
        let members = members.trim_end();
        let comma = if members.ends_with('{') { "" } else { "," };
        if let Ok(raw) = RawValue::from_string(format!("{members}{comma}\"region\":{value}}}")) {
            return raw;
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut m)) => {
            m.insert("region".into(), Value::String(region.to_owned()));
            RawValue::from_string(Value::Object(m).to_string()).unwrap_or(json)
        }
        _ => json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_owned()).unwrap()
    }

    #[test]
    fn the_region_is_added_to_the_api_text_or_replaces_one_it_had() {
        assert_eq!(
            tagged(raw(r#"{"id": "a", "x": [1]} "#), "r\"1").get(),
            r#"{"id": "a", "x": [1],"region":"r\"1"}"#
        );
        assert_eq!(tagged(raw("{ }"), "r1").get(), r#"{"region":"r1"}"#);
        let replaced: Value =
            serde_json::from_str(tagged(raw(r#"{"region": "old", "id": "a"}"#), "r1").get())
                .unwrap();
        assert_eq!(replaced, serde_json::json!({"id": "a", "region": "r1"}));
    }
}
