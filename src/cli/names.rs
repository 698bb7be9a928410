//! The objects a new server is made of, named by id or exact name: image, flavor, VPC, subnet,
//! key pair and AZ (an image, VPC or subnet given by a UUID is taken as it is). A name several objects share is an error listing them (exit 2); a name
//! nothing has, an error saying what there is to choose from (exit 3).

use serde_json::{Value, json};

use crate::gateway::Gateway;

use super::args::CreateArgs;
use super::exit::{CliError, ExitCode};
use super::target::{looks_like_id, pick};

/// The id of the object `wanted` names among `items` (`{"id", "name"}` objects).
fn id_of(kind: &str, wanted: &str, items: Vec<Value>) -> Result<String, CliError> {
    let choices: Vec<String> = items
        .iter()
        .filter_map(|v| v["name"].as_str().map(str::to_owned))
        .take(20)
        .collect();
    let found = pick(kind, wanted, items).map_err(|mut e| {
        if e.code == ExitCode::Api && !choices.is_empty() {
            e.message = format!("{}; there are: {}", e.message, choices.join(", "));
        }
        e
    })?;
    Ok(found["id"].as_str().unwrap_or_default().to_owned())
}

/// `wanted` when it has the shape of an id (a UUID): taken as it is, the API checks it.
fn an_id(wanted: &str) -> Option<String> {
    looks_like_id(wanted).then(|| wanted.to_owned())
}

/// The image's id (IMS: by id, else by exact name).
pub async fn image(gw: &Gateway, wanted: &str) -> Result<String, CliError> {
    if let Some(id) = an_id(wanted) {
        return Ok(id);
    }
    let found = super::target::find_image(gw, wanted).await?;
    Ok(found["id"].as_str().unwrap_or_default().to_owned())
}

/// The flavor's id, among the flavors of `az` (all of them without one).
pub async fn flavor(gw: &Gateway, wanted: &str, az: Option<&str>) -> Result<String, CliError> {
    id_of("flavor", wanted, gw.list_flavors_raw(az).await?)
}

/// The VPC's id.
pub async fn vpc(gw: &Gateway, wanted: &str) -> Result<String, CliError> {
    if let Some(id) = an_id(wanted) {
        return Ok(id);
    }
    id_of("VPC", wanted, gw.list_vpcs_raw().await?)
}

/// The id of the subnet of VPC `vpc_id`.
pub async fn subnet(gw: &Gateway, wanted: &str, vpc_id: &str) -> Result<String, CliError> {
    if let Some(id) = an_id(wanted) {
        return Ok(id);
    }
    id_of("subnet", wanted, gw.list_subnets_raw(Some(vpc_id)).await?)
}

/// The key pair's name (a key pair's name is its id).
pub async fn key_pair(gw: &Gateway, wanted: &str) -> Result<String, CliError> {
    let pairs = gw.list_keypairs().await?;
    by_name("key pair", wanted, pairs.into_iter().map(|k| k.name))
}

/// The availability zone's name.
pub async fn az(gw: &Gateway, wanted: &str) -> Result<String, CliError> {
    let zones = gw.list_azs().await?;
    by_name(
        "availability zone",
        wanted,
        zones.into_iter().map(|z| z.name),
    )
}

/// The one of `names` that `wanted` is (objects known by their name alone).
fn by_name(
    kind: &str,
    wanted: &str,
    names: impl Iterator<Item = String>,
) -> Result<String, CliError> {
    let items = names.map(|n| json!({"id": n, "name": n})).collect();
    id_of(kind, wanted, items)
}

/// `servers create`'s flags with every name turned into the id the API takes.
pub async fn create_args(gw: &Gateway, a: &CreateArgs) -> Result<CreateArgs, CliError> {
    let (zone, image_id, vpc_id, key) = tokio::try_join!(
        async {
            match &a.az {
                Some(z) => az(gw, z).await.map(Some),
                None => Ok(None),
            }
        },
        image(gw, &a.image),
        vpc(gw, &a.vpc),
        async {
            match &a.key_name {
                Some(k) => key_pair(gw, k).await.map(Some),
                None => Ok(None),
            }
        },
    )?;
    let (flavor_id, subnet_id) = tokio::try_join!(
        flavor(gw, &a.flavor, zone.as_deref()),
        subnet(gw, &a.subnet, &vpc_id),
    )?;
    Ok(CreateArgs {
        image: image_id,
        flavor: flavor_id,
        vpc: vpc_id,
        subnet: subnet_id,
        az: zone,
        key_name: key,
        ..a.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_nothing_has_says_what_there_is() {
        let items = vec![
            json!({"id": "f1", "name": "small"}),
            json!({"id": "f2", "name": "big"}),
            json!({"id": "f3", "name": "big"}),
        ];
        assert_eq!(id_of("flavor", "small", items.clone()).unwrap(), "f1");
        assert_eq!(id_of("flavor", "f3", items.clone()).unwrap(), "f3");
        let e = id_of("flavor", "big", items.clone()).unwrap_err();
        assert_eq!(e.code, ExitCode::Usage);
        assert!(
            e.message.contains("f2") && e.message.contains("f3"),
            "{}",
            e.message
        );
        let e = id_of("flavor", "huge", items).unwrap_err();
        assert_eq!(e.code, ExitCode::Api);
        assert!(
            e.message.contains("there are: small, big, big"),
            "{}",
            e.message
        );
    }
}
