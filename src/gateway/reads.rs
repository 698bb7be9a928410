//! What the typed reads share: a show (the one object under its key) and the list walks (a
//! request per page in, the rows checked to read as their model out, gathered or page by page).

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::Gateway;
use super::error::GatewayError;
use super::model::Row;
use super::page::{self, Page, Position};
use super::raw_rows::RawRow;
use super::request::Request;
use super::sign::encode;
use crate::config::Service;

/// A show: the service, the collection's path, the answer's key, the call's name.
pub(super) type Show = (Service, &'static str, &'static str, &'static str);

impl Gateway {
    /// `GET {collection}/{id}`: the object under `key` of the answer (`server`, `volume`, …);
    /// `what` names the call in errors with the id after it (`ECS show server`).
    pub(super) async fn show_one(
        &self,
        (service, collection, key, what): Show,
        id: &str,
    ) -> Result<Value, GatewayError> {
        let path = format!("{collection}/{}", encode(id));
        let req = Request::get(service, path, format!("{what} {id}"));
        self.execute(req).await?.object(key)
    }

    /// Every item under `key` of a marker-paged list (`request` makes a page's request from
    /// the marker), each checked to read as a `T`.
    pub(super) async fn marker_rows<T: DeserializeOwned + Row>(
        &self,
        limit: u64,
        key: &str,
        request: impl Fn(Option<String>) -> Request,
    ) -> Result<Vec<Value>, GatewayError> {
        page::by_marker(limit, self.page_limits(), |marker| {
            let req = request(marker);
            async move {
                let a = self.execute(req).await?;
                Ok(Page::of(&a, a.rows::<T>(key)?, None))
            }
        })
        .await
    }

    /// `marker_rows`, each page handed to `sink` as it comes, its items as the API sent them.
    pub(super) async fn marker_pages<T: DeserializeOwned + Row, E: From<GatewayError>>(
        &self,
        limit: u64,
        key: &str,
        request: impl Fn(Option<String>) -> Request,
        sink: impl FnMut(Vec<RawRow<T>>) -> Result<(), E>,
    ) -> Result<(), E> {
        page::each_by_marker(
            limit,
            self.page_limits(),
            |marker| {
                let req = request(marker);
                async move {
                    let a = self.execute(req).await?;
                    Ok(Page::of(&a, a.raw_rows::<T>(key)?.0, None))
                }
            },
            sink,
        )
        .await
    }

    /// Every item under `key` of a list paged by position (`request` makes a page's request
    /// from its position; the answer's `count` is the total), each checked to read as a `T`.
    pub(super) async fn position_rows<T: DeserializeOwned + Row>(
        &self,
        (position, limit): (Position, u64),
        key: &str,
        request: impl Fn(u64) -> Request,
    ) -> Result<Vec<Value>, GatewayError> {
        page::by_position::<Value, _, _>(self.paging(position, limit), |p| {
            let req = request(p);
            async move {
                let a = self.execute(req).await?;
                let (items, count) = a.counted_rows::<T>(key)?;
                Ok(Page::of(&a, items, count))
            }
        })
        .await
    }

    /// `position_rows`, each page handed to `sink` as it comes, its items as the API sent them.
    pub(super) async fn position_pages<T: DeserializeOwned + Row, E: From<GatewayError>>(
        &self,
        (position, limit): (Position, u64),
        key: &str,
        request: impl Fn(u64) -> Request,
        sink: impl FnMut(Vec<RawRow<T>>) -> Result<(), E>,
    ) -> Result<(), E> {
        page::each_by_position(
            self.paging(position, limit),
            |p| {
                let req = request(p);
                async move {
                    let a = self.execute(req).await?;
                    let (items, count) = a.raw_rows::<T>(key)?;
                    Ok(Page::of(&a, items, count))
                }
            },
            sink,
        )
        .await
    }
}
