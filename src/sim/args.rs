//! `hvecs sim`: the command-line flags, and running the simulator as a server until a signal.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::{Credentials, FaultSpec, SimOptions};
use crate::config::Secret;

#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Address to listen on (port 0 picks a free one)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Save the simulated cloud here and resume it at the next start
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Seed of the inventory and of the injected faults
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Number of servers in the generated inventory
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub servers: usize,
    /// Divide every duration by X (100 makes a create take seconds)
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub speed: f64,
    /// Faults to inject, e.g. latency=200ms,5xx=0.05,429=0.02,reset=0.01,truncate=0.01,jobfail=0.1
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// Access key to accept (with --sk; generated when not given)
    #[arg(long, value_name = "AK", requires = "sk")]
    pub ak: Option<String>,
    /// Secret key to accept (with --ak)
    #[arg(long, value_name = "SK", requires = "ak", value_parser = secret)]
    pub sk: Option<Secret>,
    /// IAM user name to accept (with --password)
    #[arg(long, value_name = "U", requires = "password")]
    pub user: Option<String>,
    /// IAM password to accept (with --user)
    #[arg(long, value_name = "PW", requires = "user", value_parser = secret)]
    pub password: Option<Secret>,
    /// TLS certificate (PEM), with --tls-key: serve https
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM), with --tls-cert
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Make images of running servers too (newer IMS releases); by default IMG.0008 refuses them
    #[arg(long)]
    pub image_from_running: bool,
    /// The private-image quota of every project (default 100)
    #[arg(long, value_name = "N")]
    pub image_quota: Option<u64>,
}

/// Keeps a secret flag a `Secret` from the start (its `Debug` prints `***`).
fn secret(value: &str) -> Result<Secret, String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(Secret::new(value))
}

impl SimArgs {
    /// The options these flags ask for; a bad value is an error that names the flag.
    pub fn options(&self) -> Result<SimOptions, String> {
        if !(self.speed.is_finite() && self.speed > 0.0) {
            return Err(format!(
                "--speed must be a positive number, not {}",
                self.speed
            ));
        }
        let faults = match &self.faults {
            Some(s) => FaultSpec::parse(s)?,
            None => FaultSpec::default(),
        };
        let credentials = if self.ak.is_some() || self.user.is_some() {
            let mut c = Credentials::generate();
            if let (Some(ak), Some(sk)) = (&self.ak, &self.sk) {
                c.ak = ak.clone();
                c.sk = sk.clone();
            }
            if let (Some(u), Some(p)) = (&self.user, &self.password) {
                c.user = u.clone();
                c.password = p.clone();
            }
            Some(c)
        } else {
            None
        };
        Ok(SimOptions {
            listen: self.listen,
            seed: self.seed,
            servers: self.servers,
            speed: self.speed,
            faults,
            state_dir: self.state.clone(),
            credentials,
            tls: self.tls_cert.clone().zip(self.tls_key.clone()),
            image_from_running: self.image_from_running,
            image_quota: self.image_quota,
        })
    }
}

/// Runs `hvecs sim` until SIGINT/SIGTERM; saves the state (with `--state`) before it returns.
pub fn run(args: &SimArgs) -> Result<(), String> {
    let opts = args.options()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    rt.block_on(async move {
        let signals = Signals::install();
        let handle = super::start(opts).await?;
        // The simulator prints its lab credentials on purpose: they are what a client needs.
        let c = handle.credentials();
        println!("listening on {}", handle.base_url());
        println!("ak: {}", c.ak);
        println!("sk: {}", c.sk.expose());
        println!("user: {}", c.user);
        println!("password: {}", c.password.expose());
        println!("domain: {}", c.domain);
        println!("regions: {}", handle.regions().len());
        for r in handle.regions() {
            println!("region: {} project_id: {}", r.name, r.project_id);
        }
        signals.wait().await;
        handle.shutdown().await
    })
}

/// SIGINT and SIGTERM handlers, installed before the address is printed: a signal that follows
/// the first line at once must still save the state and exit 0.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        {
            async fn recv(s: Option<tokio::signal::unix::Signal>) {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                _ = recv(self.term) => {}
                _ = recv(self.int) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
