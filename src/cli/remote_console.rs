//! `servers console`: a server's one-time remote login URL, printed for the person who asked
//! (stdout only: never the log, the journal or the trace). In the column formats the URL alone,
//! so that `xdg-open "$(hvecs servers console web-01)"` works.

use serde_json::json;

use super::args::Output;
use super::exit::CliError;
use super::format::{Format, View, print};
use super::out;
use super::target::find_server;
use crate::gateway::Gateway;

pub async fn show(gw: &Gateway, server: &str, format: &Format) -> Result<(), CliError> {
    let raw = find_server(gw, server).await?;
    let id = raw["id"].as_str().unwrap_or_default().to_owned();
    let name = raw["name"].as_str().unwrap_or_default().to_owned();
    let console = gw.remote_console(&id).await?;
    let url = console.url.expose();
    if format.query.is_none() && matches!(format.output, Output::Table | Output::Wide | Output::Tsv)
    {
        super::waiting::clear_line();
        return out::raw(&format!("{url}\n"));
    }
    let value = json!({
        "server_id": id,
        "server_name": name,
        "protocol": console.protocol,
        "type": console.kind,
        "url": url,
    });
    print(format, &value, || {
        View::Fields(vec![("url", url.to_owned())])
    })
}
