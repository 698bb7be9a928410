//! IAM calls: regions, projects, and the region's project id (configured, from the token's
//! scope, or looked up with `GET /v3/projects?name=<region>`), cached.

use serde_json::Value;

use super::client::Gateway;
use super::error::{ErrorKind, GatewayError};
use super::model::{Project, Region};
use super::request::Request;
use super::typed;
use crate::config::Service;

impl Gateway {
    /// The project id of the gateway's region.
    pub async fn project_id(&self) -> Result<String, GatewayError> {
        if let Some(p) = self.cached_project(self.region()) {
            return Ok(p);
        }
        if self.auth().is_token() {
            let t = self.token().await?;
            return Ok(t.project_id);
        }
        let projects = self.find_projects(self.region()).await?;
        let op = format!("finding the project of region {}", self.region());
        match projects.as_slice() {
            [one] => {
                self.remember_project(self.region(), &one.id);
                Ok(one.id.clone())
            }
            [] => Err(GatewayError::new(
                op,
                ErrorKind::Setup(format!(
                    "IAM knows no project named {:?}: check the region, or set project_id in the profile (HVECS_PROJECT_ID)",
                    self.region()
                )),
            )),
            many => Err(GatewayError::new(
                op,
                ErrorKind::Setup(format!(
                    "IAM has {} projects named {:?} ({}): set project_id in the profile",
                    many.len(),
                    self.region(),
                    many.iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )),
        }
    }

    /// `GET /v3/projects?name=` (AK/SK).
    pub async fn find_projects(&self, name: &str) -> Result<Vec<Project>, GatewayError> {
        let req = Request::get(Service::Iam, "/v3/projects", "IAM query projects")
            .query("name", name)
            .unscoped();
        self.execute(req).await?.rows_as::<Project>("projects")
    }

    /// `GET /v3/regions`.
    pub async fn list_regions_raw(&self) -> Result<Vec<Value>, GatewayError> {
        let req = Request::get(Service::Iam, "/v3/regions", "IAM list regions").unscoped();
        self.execute(req).await?.rows::<Region>("regions")
    }

    pub async fn list_regions(&self) -> Result<Vec<Region>, GatewayError> {
        typed("IAM list regions", &self.list_regions_raw().await?)
    }

    /// `GET /v3/auth/projects`: the projects the credentials can use.
    pub async fn list_auth_projects(&self) -> Result<Vec<Project>, GatewayError> {
        let req = Request::get(Service::Iam, "/v3/auth/projects", "IAM list projects").unscoped();
        self.execute(req).await?.rows_as::<Project>("projects")
    }
}
