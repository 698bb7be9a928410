//! VPC objects: VPCs and their subnets (the networks of the create form).

use serde::Deserialize;

use super::lenient;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Vpc {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub cidr: String,
    /// `CREATING`, `OK`, or as received.
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
}

/// A subnet; its `id` is the `subnet_id` of a create body's `nics`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Subnet {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub cidr: String,
    #[serde(deserialize_with = "lenient::string")]
    pub gateway_ip: String,
    #[serde(deserialize_with = "lenient::string")]
    pub vpc_id: String,
    /// Empty: serves every AZ of the region.
    #[serde(deserialize_with = "lenient::string")]
    pub availability_zone: String,
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
}

impl Subnet {
    pub fn serves(&self, az: &str) -> bool {
        self.availability_zone.is_empty() || self.availability_zone == az
    }
}
