//! The command line (clap derive): global flags accepted before or after any subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "hvecs",
    version,
    about = "A keyboard-driven console for Hyper-V Elastic Cloud Servers behind a ManageOne API gateway",
    long_about = None,
    propagate_version = true,
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes, before or after the subcommand.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// The profile to use (default: HVECS_PROFILE, then default_profile)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The config file (default: $XDG_CONFIG_HOME/hvecs/config.toml)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// One base URL for every service, overriding the profile
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The region, overriding the profile
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Refuse every change (reads only)
    #[arg(long, global = true)]
    pub read_only: bool,
    /// The colour theme (default, ansi16, high-contrast, mono, or one of yours)
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Draw with ASCII characters only
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Use no colour, only bold and reverse (also: NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Write every HTTP request and response to FILE (secrets and tokens redacted)
    #[arg(long, global = true, value_name = "FILE")]
    pub trace_http: Option<PathBuf>,
    /// Output format of CLI commands
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = Output::Table)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check or locate the configuration
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Run the gateway simulator (the ECS/IMS/EVS/VPC/IAM API over a simulated SCVMM)
    Sim(crate::sim::SimArgs),
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Check the profile: config, endpoints, TLS, authentication, clock, project, each API
    Doctor,
    /// Regions of the cloud (IAM)
    #[command(subcommand)]
    Regions(ListCommand),
    /// Availability zones of the region
    #[command(subcommand)]
    Azs(ListCommand),
    /// Flavors (sizes) for new servers, with their sale state
    #[command(subcommand)]
    Flavors(FlavorsCommand),
    /// VPCs and subnets (the networks of a new server)
    #[command(subcommand)]
    Networks(ListCommand),
    /// Quotas of the project: servers, cores, RAM, disks, snapshots, images
    #[command(subcommand)]
    Quotas(ListCommand),
    /// Elastic cloud servers
    #[command(subcommand)]
    Servers(ServersCommand),
    /// Images (IMS)
    #[command(subcommand)]
    Images(ImagesCommand),
    /// Disk snapshots (EVS)
    #[command(subcommand)]
    Snapshots(SnapshotsCommand),
    /// Disks (EVS)
    #[command(subcommand)]
    Disks(DisksCommand),
}

#[derive(Debug, Subcommand)]
pub enum ListCommand {
    /// List them
    List,
}

#[derive(Debug, Subcommand)]
pub enum FlavorsCommand {
    /// List the flavors (those not on sale in the AZ are marked)
    List {
        /// Only flavors for this availability zone
        #[arg(long, value_name = "AZ")]
        az: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServersCommand {
    /// List servers
    List {
        /// Only servers in this availability zone
        #[arg(long, value_name = "AZ")]
        az: Option<String>,
        /// Only servers with this status (ACTIVE, SHUTOFF, ERROR, ...)
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Only servers whose name contains this text
        #[arg(long, value_name = "TEXT")]
        name: Option<String>,
    },
    /// Show one server
    Show {
        /// The server's id or exact name
        server: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// List images
    List {
        /// gold (public), private, shared or market
        #[arg(long = "type", value_name = "TYPE")]
        image_type: Option<String>,
    },
    /// Show one image
    Show {
        /// The image's id or exact name
        image: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SnapshotsCommand {
    /// List snapshots
    List {
        /// Only snapshots of this server's disks (id or exact name)
        #[arg(long, value_name = "SERVER")]
        server: Option<String>,
    },
    /// Show one snapshot
    Show {
        /// The snapshot's id or exact name
        snapshot: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DisksCommand {
    /// List disks
    List {
        /// Only the disks attached to this server (id or exact name)
        #[arg(long, value_name = "SERVER")]
        server: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Load and check the configuration; print the profile in use with every secret as ***
    Check {
        /// Also run every *_command and read every *_env secret, to prove they work
        #[arg(long)]
        resolve: bool,
    },
    /// Print where the config, themes, state and log live
    Path,
}
