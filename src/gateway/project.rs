//! A region's project, as a cloud session knows it: its id and name, where it came from (pinned
//! or looked up), and whether a project belongs to a region.

/// Where a region's project came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectSource {
    /// The profile pins it (`[projects]`, `project_id`, `project`, HVECS_PROJECT_ID).
    Pinned,
    /// Found through IAM from the region's name.
    LookedUp,
}

impl ProjectSource {
    pub fn name(self) -> &'static str {
        match self {
            ProjectSource::Pinned => "pinned",
            ProjectSource::LookedUp => "looked up",
        }
    }
}

/// A region's project, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionProject {
    pub id: String,
    pub name: String,
    pub source: ProjectSource,
}

/// Whether a project of this name belongs to the region: IAM names a region's project after the
/// region (`cn-north-1`), and its sub-projects `cn-north-1_NAME`.
pub fn project_belongs(project_name: &str, region: &str) -> bool {
    project_name == region
        || project_name
            .strip_prefix(region)
            .is_some_and(|rest| rest.starts_with('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_belongs_to_its_region_and_its_sub_projects() {
        assert!(project_belongs("cn-north-1", "cn-north-1"));
        assert!(project_belongs("cn-north-1_dev", "cn-north-1"));
        assert!(!project_belongs("cn-north-10", "cn-north-1"));
        assert!(!project_belongs("cn-east-2", "cn-north-1"));
        assert!(!project_belongs("", "cn-north-1"));
    }
}
