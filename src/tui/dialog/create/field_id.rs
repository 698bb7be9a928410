//! Which fields the create form has, how a person logs into the new servers, and what a key did
//! to the form.

/// The form's fields, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    Name,
    Az,
    Flavor,
    Image,
    DiskType,
    DiskSize,
    DataDisks,
    Vpc,
    Subnet,
    Count,
    Login,
    Password,
    KeyName,
}

impl FieldId {
    pub const ALL: [FieldId; 13] = [
        FieldId::Name,
        FieldId::Az,
        FieldId::Flavor,
        FieldId::Image,
        FieldId::DiskType,
        FieldId::DiskSize,
        FieldId::DataDisks,
        FieldId::Vpc,
        FieldId::Subnet,
        FieldId::Count,
        FieldId::Login,
        FieldId::Password,
        FieldId::KeyName,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FieldId::Name => "name",
            FieldId::Az => "AZ",
            FieldId::Flavor => "flavor",
            FieldId::Image => "image",
            FieldId::DiskType => "system disk",
            FieldId::DiskSize => "disk size GB",
            FieldId::DataDisks => "data disks",
            FieldId::Vpc => "VPC",
            FieldId::Subnet => "subnet",
            FieldId::Count => "count",
            FieldId::Login => "login",
            FieldId::Password => "admin password",
            FieldId::KeyName => "key pair",
        }
    }

    /// Chosen from a list with ←/→ (the others are typed).
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            FieldId::Az
                | FieldId::Flavor
                | FieldId::Image
                | FieldId::DiskType
                | FieldId::Vpc
                | FieldId::Subnet
                | FieldId::Login
        )
    }
}

/// How the new servers are logged into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    Password,
    KeyPair,
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// Handled; `false` when nothing changed.
    Stay(bool),
    Submit,
    Cancel,
}
