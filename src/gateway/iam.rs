//! IAM calls: regions, projects, and the region's project: pinned (and then checked against
//! IAM before any use), or found (the token's scope, or `GET /v3/projects?name=<region>`), cached.

use serde_json::Value;

use super::client::Gateway;
use super::error::{ErrorKind, GatewayError};
use super::model::{Project, Region};
use super::project::{ProjectSource, RegionProject, project_belongs};
use super::request::Request;
use super::typed;
use crate::config::Service;

impl Gateway {
    /// The project id of the gateway's region.
    pub async fn project_id(&self) -> Result<String, GatewayError> {
        Ok(self.project().await?.id)
    }

    /// The region's project and where it came from; a pinned one is checked once against IAM,
    /// and refused (nothing sent under it) when it belongs to another region.
    pub async fn project(&self) -> Result<RegionProject, GatewayError> {
        if let Some(p) = self.cached_project() {
            return Ok(p);
        }
        let p = self.find_project().await?;
        self.remember_project(&p);
        Ok(p)
    }

    async fn find_project(&self) -> Result<RegionProject, GatewayError> {
        let region = self.region().to_owned();
        let op = format!("finding the project of region {region}");
        let pinned = self.pinned_project().map(str::to_owned);
        let source = match pinned {
            Some(_) => ProjectSource::Pinned,
            None => ProjectSource::LookedUp,
        };
        let checked = |id: String, name: String| {
            if source == ProjectSource::Pinned && !project_belongs(&name, &region) {
                return Err(GatewayError::new(
                    op.clone(),
                    ErrorKind::WrongProject {
                        region: region.clone(),
                        project: pinned.clone().unwrap_or_default(),
                        why: format!("IAM says it is project {name:?}"),
                    },
                ));
            }
            Ok(RegionProject { id, name, source })
        };
        if self.auth().is_token() {
            let t = self.token().await?;
            return checked(t.project_id, t.project_name);
        }
        if let Some(pin) = &pinned {
            let known = self.list_auth_projects().await?;
            return match known.into_iter().find(|p| &p.id == pin) {
                Some(p) => checked(p.id, p.name),
                None => Err(GatewayError::new(
                    op,
                    ErrorKind::WrongProject {
                        region,
                        project: pin.clone(),
                        why: "IAM lists no such project for these credentials".into(),
                    },
                )),
            };
        }
        let projects = self.find_projects(&region).await?;
        match projects.as_slice() {
            [one] => Ok(RegionProject {
                id: one.id.clone(),
                name: one.name.clone(),
                source,
            }),
            [] => Err(GatewayError::new(
                op,
                ErrorKind::Setup(format!(
                    "IAM knows no project named {region:?}: check the region, or pin its project in the profile ([projects], project_id, HVECS_PROJECT_ID)"
                )),
            )),
            many => Err(GatewayError::new(
                op,
                ErrorKind::Setup(format!(
                    "IAM has {} projects named {region:?} ({}): pin one in the profile ([projects] or project_id)",
                    many.len(),
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
