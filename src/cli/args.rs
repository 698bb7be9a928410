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
    /// Leave out the header line (table, wide, tsv)
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// A JMESPath expression applied to the JSON form before printing (lists and shows). Over a
    /// list it holds the whole list in memory (the list no longer streams; some 40 times its JSON)
    #[arg(long, global = true, value_name = "EXPR")]
    pub query: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    /// Aligned columns fitted to the terminal, as the console shows them
    #[default]
    Table,
    /// One JSON document (a list is one array, written page by page)
    Json,
    /// One JSON object per line (a list written page by page)
    Ndjson,
    /// Tab-separated values, every column (tabs and line breaks in values become spaces)
    Tsv,
    /// The table with every column (ids too), never cut to the terminal's width
    Wide,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check or locate the configuration
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Run the gateway simulator (the ECS/IMS/EVS/VPC/IAM API over a simulated SCVMM)
    Sim(Box<crate::sim::SimArgs>),
    /// The console on an embedded simulated cloud (in-process, 127.0.0.1, real HTTP)
    Demo(DemoArgs),
    /// Print a shell completion script
    Completions {
        /// The shell to complete in (bash, zsh and fish complete names of servers, images, disks and regions)
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page of hvecs or of a command (roff; e.g. `hvecs man servers list | man -l -`)
    Man {
        /// The command whose page to print (none: hvecs itself)
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
        /// Write every page (hvecs and each command) into DIR instead
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
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
    /// Tasks (changes) of this profile and their cloud jobs
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Hyper-V hosts the servers are placed on (summed from the servers: no read of its own)
    #[command(subcommand)]
    Hosts(HostsCommand),
}

#[derive(Debug, Subcommand)]
pub enum HostsCommand {
    /// List the hosts: AZ, servers, running, vCPU and RAM placed
    List {
        /// Only hosts in this availability zone
        #[arg(long, value_name = "AZ")]
        az: Option<String>,
    },
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
        /// Only servers on this Hyper-V host (OS-EXT-SRV-ATTR:host, as `hosts list` shows it)
        #[arg(long, value_name = "HOST")]
        host: Option<String>,
        /// Only servers with this tag: KEY=VALUE, or KEY with any value (repeat: all of them)
        #[arg(long, value_name = "KEY[=VALUE]")]
        tag: Vec<String>,
    },
    /// Show one server
    Show {
        /// The server's id or exact name
        server: String,
    },
    /// Print a server's one-time remote login (noVNC) URL: valid a few minutes, a secret (never
    /// logged or traced); the server must be ACTIVE. Open it with e.g. `xdg-open "$(hvecs servers
    /// console web-01)"`
    Console {
        /// The server's id or exact name
        server: String,
    },
    /// Create servers from an image
    Create(Box<CreateArgs>),
    /// Start stopped servers (those already ACTIVE are skipped: nothing to do)
    Start {
        /// Servers by id or exact name
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
        /// Refuse servers already ACTIVE (exit 4) instead of skipping them
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Stop running servers (soft: the guest shuts down; --hard: power off); those already
    /// SHUTOFF are skipped: nothing to do
    Stop {
        /// Servers by id or exact name
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
        /// Power off at once instead of asking the guest to shut down
        #[arg(long)]
        hard: bool,
        /// Refuse servers already SHUTOFF (exit 4) instead of skipping them
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Reboot running servers (soft, or --hard)
    Reboot {
        /// Servers by id or exact name
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
        /// Power off at once instead of asking the guest to restart
        #[arg(long)]
        hard: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Change a server's flavor (stopped servers, or --with-stop for running ones)
    Resize {
        /// The server's id or exact name
        #[arg(value_name = "SERVER")]
        server: String,
        /// The new flavor's name or id
        #[arg(long, value_name = "FLAVOR")]
        flavor: String,
        /// Let the platform stop the server, resize it and start it again
        #[arg(long)]
        with_stop: bool,
        /// Only check with the API (dry_run); change nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Rename a server
    Rename {
        /// The server's id or exact name
        #[arg(value_name = "SERVER")]
        server: String,
        /// Its new name
        #[arg(value_name = "NEW_NAME")]
        name: String,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Delete servers (their data disks stay unless --with-disks)
    Delete {
        /// Servers by id or exact name
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
        /// Delete the data disks too
        #[arg(long)]
        with_disks: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Add and remove tags of servers (one create and one delete call a server)
    Tag {
        /// Servers by id or exact name
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
        /// A tag to add, KEY=VALUE (or KEY alone); a key the server has takes the new value
        #[arg(long, value_name = "KEY=VALUE")]
        add: Vec<String>,
        /// A tag to remove, by its KEY (whatever its value)
        #[arg(long, value_name = "KEY")]
        remove: Vec<String>,
        #[command(flatten)]
        change: ChangeFlags,
    },
}

/// Flags of every changing command.
#[derive(Debug, Clone, Args, Default)]
pub struct ChangeFlags {
    /// Follow the task to its end (a progress bar on a terminal, plain lines otherwise)
    #[arg(long)]
    pub wait: bool,
    /// Do not ask for confirmation (needed for destructive commands without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// With --wait: stop following after D (e.g. 90s, 5m, 1h30m) and exit 5; the task goes on in
    /// the cloud and `hvecs jobs show TASK --wait` follows it again
    #[arg(long, value_name = "D", requires = "wait", value_parser = duration)]
    pub timeout: Option<std::time::Duration>,
}

/// A duration as people write it: 90s, 5m, 1h30m (humantime).
pub fn duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (write it as 90s, 5m or 1h30m)"))
}

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The name (1-64 letters, digits, '_', '-', '.'); with --count > 1 a suffix -0001… is added
    #[arg(long)]
    pub name: String,
    /// The image's name or id
    #[arg(long, value_name = "IMAGE")]
    pub image: String,
    /// The flavor's name or id
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: String,
    /// The VPC's name or id
    #[arg(long, value_name = "VPC")]
    pub vpc: String,
    /// The subnet's name or id (a subnet of the VPC)
    #[arg(long, value_name = "SUBNET")]
    pub subnet: String,
    /// The availability zone's name
    #[arg(long, value_name = "AZ")]
    pub az: Option<String>,
    /// System disk type (SATA, SAS, SSD, GPSSD, ESSD…)
    #[arg(long, value_name = "TYPE", default_value = "SSD")]
    pub disk_type: String,
    /// System disk size in GB (at least the image's minimum)
    #[arg(long, value_name = "GB", default_value_t = 40)]
    pub disk_size: u32,
    /// A data disk, TYPE:GB (repeat for more)
    #[arg(long = "data-disk", value_name = "TYPE:GB")]
    pub data_disks: Vec<String>,
    /// How many servers (1-100)
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// A key pair for login, by name
    #[arg(long = "key-pair", visible_alias = "key-name", value_name = "KEYPAIR")]
    pub key_name: Option<String>,
    /// The environment variable that holds the admin password (never given on the command line)
    #[arg(long, value_name = "VAR")]
    pub admin_pass_env: Option<String>,
    /// Only check with the API (dry_run); create nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub change: ChangeFlags,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// The tasks of this profile (from its journal)
    List,
    /// One task: steps, job and request ids, result per server
    Show {
        /// The task id (t0123456789), as `jobs list` shows it
        task: String,
        /// Follow it to its end (reattaching it if no console follows it)
        #[arg(long)]
        wait: bool,
        /// With --wait: stop following after D (e.g. 90s, 5m) and exit 5; the task goes on
        #[arg(long, value_name = "D", requires = "wait", value_parser = duration)]
        timeout: Option<std::time::Duration>,
    },
    /// Send a task that was never sent (state "not sent": its process ended before its request
    /// left); its servers are checked again first
    Send {
        /// The task id (t0123456789), as `jobs list` shows it
        task: String,
        /// Follow it to its end
        #[arg(long)]
        wait: bool,
    },
    /// Give up a task that was never sent (a job already sent cannot be stopped in the cloud)
    Cancel {
        /// The task id (t0123456789), as `jobs list` shows it
        task: String,
    },
    /// Try again, as a new task, only the servers a failed task failed on (checked again first)
    Retry {
        /// The task id (t0123456789), as `jobs list` shows it
        task: String,
        /// Follow the new task to its end
        #[arg(long)]
        wait: bool,
    },
    /// Take up a snapshot task where it stopped: one that no process follows goes on at its
    /// next step; a rollback that failed is finished (its detached disks attached again at their
    /// devices, the server started if it ran)
    Resume {
        /// The task id (t0123456789), as `jobs list` shows it
        task: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// List images
    List {
        /// public, private, shared or market (gold is public)
        #[arg(long = "type", value_name = "TYPE")]
        image_type: Option<String>,
    },
    /// Show one image
    Show {
        /// The image's id or exact name
        image: String,
    },
    /// Make a private image of a server (IMS; the platform may need it stopped: --stop-first)
    Create {
        /// The server's id or exact name
        #[arg(long, value_name = "SERVER")]
        server: String,
        /// The image's name (1 to 128 letters, digits, spaces, '_', '-', '.')
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The image's description
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// A tag KEY=VALUE (repeat for more)
        #[arg(long = "tag", value_name = "KEY=VALUE")]
        tags: Vec<String>,
        /// If the server is running: stop it, make the image, start it again (one task, followed
        /// to its end as with --wait)
        #[arg(long)]
        stop_first: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Rename a private image
    Rename {
        /// The image's id or exact name
        image: String,
        /// Its new name
        name: String,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Delete private images
    Delete {
        /// Ids or exact names
        #[arg(required = true)]
        images: Vec<String>,
        #[command(flatten)]
        change: ChangeFlags,
    },
}

#[derive(Debug, Subcommand)]
pub enum SnapshotsCommand {
    /// List snapshots, grouped by set (a server's disks snapshotted together; a snapshot made
    /// elsewhere is a set of one)
    List {
        /// Only snapshots of this server's disks (id or exact name)
        #[arg(long, value_name = "SERVER")]
        server: Option<String>,
        /// One row per snapshot, as the API lists them (written page by page)
        #[arg(long)]
        each: bool,
    },
    /// Show one snapshot
    Show {
        /// The snapshot's id or exact name
        snapshot: String,
    },
    /// Snapshot every disk of a server together, as one set (waits until all are available)
    Create {
        /// The server's id or exact name
        #[arg(value_name = "SERVER")]
        server: String,
        /// The set's name (default: <server>-<yyyymmdd-hhmm>); each disk's gets -<device>
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Roll a server back to a set: stop it, detach each disk, roll each back, attach each at its
    /// device, start it again if it ran. Discards every change since the set was taken
    Rollback {
        /// The set's id, or one snapshot's id or exact name (its set)
        #[arg(value_name = "SET")]
        set: String,
        /// The server (id or exact name) when the set does not name it
        #[arg(long, value_name = "SERVER")]
        server: Option<String>,
        /// Seconds to wait for a soft stop before stopping the server hard
        #[arg(long, value_name = "SECONDS", default_value_t = 120)]
        soft_stop: u64,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Delete sets or single snapshots (ids, exact names, or set ids)
    Delete {
        /// Set ids, snapshot ids or exact snapshot names
        #[arg(required = true, value_name = "SET_OR_SNAPSHOT")]
        targets: Vec<String>,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Rename one snapshot
    Rename {
        /// The snapshot's id or exact name
        #[arg(value_name = "SNAPSHOT")]
        snapshot: String,
        /// Its new name (at most 255 bytes)
        #[arg(value_name = "NAME")]
        name: String,
        #[command(flatten)]
        change: ChangeFlags,
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
    /// Show one disk (id or exact name)
    Show {
        /// The disk's id or exact name
        #[arg(value_name = "DISK")]
        disk: String,
    },
    /// Create blank data disks (pay-per-use), optionally attached to a server at once
    Create(DiskCreateArgs),
    /// Attach a disk to a server of its AZ
    Attach {
        /// The disk's id or exact name
        #[arg(value_name = "DISK")]
        disk: String,
        /// The server's id or exact name
        #[arg(value_name = "SERVER")]
        server: String,
        /// The device to attach at (/dev/vdb…); else the first free one
        #[arg(long)]
        device: Option<String>,
        /// Only ask the gateway to check it (nothing changes)
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Detach a disk from its server (a system disk only from a stopped server)
    Detach {
        /// The disk's id or exact name
        #[arg(value_name = "DISK")]
        disk: String,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Grow a disk (an attached one too); a disk never shrinks
    Expand {
        /// The disk's id or exact name
        #[arg(value_name = "DISK")]
        disk: String,
        /// The new size in GB, more than the disk has
        #[arg(long, value_name = "GB")]
        size: u64,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Rename a disk
    Rename {
        /// The disk's id or exact name
        #[arg(value_name = "DISK")]
        disk: String,
        /// Its new name
        #[arg(value_name = "NAME")]
        name: String,
        #[command(flatten)]
        change: ChangeFlags,
    },
    /// Delete a detached disk (its snapshots first)
    Delete {
        /// The disk's id or exact name
        #[arg(value_name = "DISK")]
        disk: String,
        #[command(flatten)]
        change: ChangeFlags,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DiskCreateArgs {
    /// The name (1-64 characters); with --count > 1 a suffix -0001… is added
    #[arg(long)]
    pub name: String,
    /// Size in GB (10-32768)
    #[arg(long, value_name = "GB")]
    pub size: u64,
    /// The disk type (SAS, SSD, GPSSD…)
    #[arg(long = "type", value_name = "TYPE", default_value = "SAS")]
    pub volume_type: String,
    /// The availability zone (default: the --server's)
    #[arg(long, value_name = "AZ")]
    pub az: Option<String>,
    /// How many disks (1-100)
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// Attach the new disk to this server (id or exact name) in the same task
    #[arg(long, value_name = "SERVER")]
    pub server: Option<String>,
    #[command(flatten)]
    pub change: ChangeFlags,
}

/// `hvecs demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Number of servers in the simulated cloud
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub servers: usize,
    /// Divide every duration of the simulated cloud by X
    #[arg(long, value_name = "X", default_value_t = 20.0)]
    pub speed: f64,
    /// Keep the simulated cloud here and resume it at the next start
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
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
    /// Write a new profile to the config file (mode 0600), asking on a terminal for what the flags
    /// leave out. The profile is named by --profile (default: "default"); its endpoint and region
    /// come from --endpoint and --region. Secrets are never asked for: only the environment
    /// variable or the command that gives them.
    Init(InitArgs),
}

/// The new profile's authentication (`config init`).
#[derive(Debug, Clone, Args, Default)]
pub struct InitArgs {
    /// How the profile authenticates
    #[arg(long, value_enum)]
    pub auth: Option<InitAuth>,
    /// The access key id (aksk)
    #[arg(long, value_name = "AK")]
    pub ak: Option<String>,
    /// The environment variable that holds the secret key (aksk)
    #[arg(long, value_name = "VAR", conflicts_with = "sk_command")]
    pub sk_env: Option<String>,
    /// A command that prints the secret key, e.g. "pass show cloud/sk" (aksk)
    #[arg(long, value_name = "CMD")]
    pub sk_command: Option<String>,
    /// The IAM user (password)
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// The account (domain) of the user (password)
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// The environment variable that holds the password (password)
    #[arg(long, value_name = "VAR", conflicts_with = "password_command")]
    pub password_env: Option<String>,
    /// A command that prints the password (password)
    #[arg(long, value_name = "CMD")]
    pub password_command: Option<String>,
}

/// The authentication methods of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitAuth {
    /// An access key and its secret key (requests signed with SDK-HMAC-SHA256)
    Aksk,
    /// An IAM user's password (a token per project)
    Password,
}
