//! Targets by id or exact name: a name that matches several objects is an error listing them.

use std::future::Future;

use serde_json::Value;

use crate::gateway::{Gateway, GatewayError, ImageFilter, ServerFilter, found};

use super::exit::{CliError, ExitCode};

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Picks the object whose id, else whose exact name, is `wanted`.
pub fn pick(kind: &str, wanted: &str, items: Vec<Value>) -> Result<Value, CliError> {
    if let Some(v) = items.iter().find(|v| text(v, "id") == wanted) {
        return Ok(v.clone());
    }
    let mut named: Vec<Value> = items
        .into_iter()
        .filter(|v| text(v, "name") == wanted)
        .collect();
    match named.len() {
        // The API has no such object: an answer, like a 404 for an id (exit 3), not a usage error.
        0 => Err(CliError::new(
            ExitCode::Api,
            format!("no {kind} has the id or name {wanted:?}"),
        )),
        1 => Ok(named.remove(0)),
        n => {
            let list: Vec<String> = named
                .iter()
                .map(|v| format!("  {}  {}", text(v, "id"), text(v, "status")))
                .collect();
            Err(CliError::new(
                ExitCode::Usage,
                format!(
                    "{n} {kind}s are named {wanted:?}; give the id of the one you mean:\n{}",
                    list.join("\n")
                ),
            ))
        }
    }
}

/// Whether the text has the shape of a UUID (servers, images, disks and snapshots have them).
pub fn looks_like_id(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The `kind` named `wanted`, as the API returned it: what `show` reads of it by id when `wanted`
/// has an id's shape and exists, else picked by id or exact name from what `list` reads.
pub async fn find<S, L>(
    kind: &str,
    wanted: &str,
    show: impl FnOnce() -> S,
    list: impl FnOnce() -> L,
) -> Result<Value, CliError>
where
    S: Future<Output = Result<Value, GatewayError>>,
    L: Future<Output = Result<Vec<Value>, GatewayError>>,
{
    if looks_like_id(wanted)
        && let Some(v) = found(show().await)?
    {
        return Ok(v);
    }
    pick(kind, wanted, list().await?)
}

/// The server with this id or exact name, as the API returned it.
pub async fn find_server(gw: &Gateway, wanted: &str) -> Result<Value, CliError> {
    let list = || async {
        let filter = ServerFilter {
            name: Some(wanted.to_owned()),
            ..Default::default()
        };
        let named = gw.list_servers_raw(&filter).await?;
        // The API's name filter is regex-like: a name with special characters may not match
        // itself.
        if named.iter().any(|v| v["name"] == wanted) {
            return Ok(named);
        }
        gw.list_servers_raw(&ServerFilter::default()).await
    };
    find("server", wanted, || gw.show_server_raw(wanted), list).await
}

/// The id of a server named by id or name.
pub async fn server_id(gw: &Gateway, server: &str) -> Result<String, CliError> {
    let s = find_server(gw, server).await?;
    Ok(s["id"].as_str().unwrap_or_default().to_owned())
}

/// One image by id or exact name, as the API returned it.
pub async fn find_image(gw: &Gateway, wanted: &str) -> Result<Value, CliError> {
    let f = ImageFilter {
        name: Some(wanted.to_owned()),
        ..Default::default()
    };
    let list = || gw.list_images_raw(&f);
    find("image", wanted, || gw.show_image_raw(wanted), list).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_win_names_must_be_unique() {
        let items = vec![
            json!({"id": "a", "name": "web", "status": "ACTIVE"}),
            json!({"id": "b", "name": "web", "status": "SHUTOFF"}),
            json!({"id": "c", "name": "db"}),
        ];
        assert_eq!(pick("server", "b", items.clone()).unwrap()["id"], "b");
        assert_eq!(pick("server", "db", items.clone()).unwrap()["id"], "c");
        let e = pick("server", "web", items.clone()).unwrap_err();
        assert_eq!(e.code, ExitCode::Usage);
        assert!(
            e.message.starts_with("2 servers are named \"web\""),
            "{}",
            e.message
        );
        assert!(e.message.contains("  a  ACTIVE") && e.message.contains("  b  SHUTOFF"));
        let e = pick("server", "nope", items).unwrap_err();
        assert!(e.message.contains("no server has"), "{}", e.message);
        assert_eq!(e.code, ExitCode::Api);
        assert!(looks_like_id("9f819649-1f7c-44ea-a315-7aa6706de50b"));
        assert!(!looks_like_id("web-1"));
    }
}
