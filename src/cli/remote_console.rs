//! `servers console`: a server's one-time remote login URL, printed for the person who asked
//! (stdout only: never the log, the journal or the trace).

use serde_json::json;

use super::args::Output;
use super::exit::CliError;
use super::read_cmds::find_server;
use crate::gateway::Gateway;

pub async fn show(gw: &Gateway, server: &str, out: Output) -> Result<String, CliError> {
    let raw = find_server(gw, server).await?;
    let id = raw["id"].as_str().unwrap_or_default().to_owned();
    let name = raw["name"].as_str().unwrap_or_default().to_owned();
    let console = gw.remote_console(&id).await?;
    Ok(match out {
        Output::Json => json!({
            "server_id": id,
            "server_name": name,
            "protocol": console.protocol,
            "type": console.kind,
            "url": console.url.expose(),
        })
        .to_string(),
        Output::Table => format!("{}\n", console.url.expose()),
    })
}
