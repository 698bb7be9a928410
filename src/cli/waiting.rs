//! While a command waits on the gateway, a terminal's stderr says what for after a few seconds
//! ("waiting for ecs at https://host:443 (5 s)…"), on one line cleared when the answer comes or
//! when the command's output starts (a list written page by page).

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::config::Service;
use crate::gateway::Gateway;

const FIRST: Duration = Duration::from_secs(5);
const EVERY: Duration = Duration::from_secs(5);

/// Set once the command's output has started: nothing more is said on stderr while it waits.
static OUTPUT_STARTED: AtomicBool = AtomicBool::new(false);

/// Before the first output of a command: clears the waiting line (if a terminal's stderr shows
/// one) and says no more of it.
pub fn clear_line() {
    OUTPUT_STARTED.store(true, Ordering::Relaxed);
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[K").and_then(|_| err.flush());
    }
}

/// `service at scheme://host:port`: what a command waits for.
pub fn what(gw: &Gateway, service: Service) -> String {
    let base = gw.base_url(service);
    let at = match url::Url::parse(&base) {
        Ok(u) => format!(
            "{}://{}:{}",
            u.scheme(),
            u.host_str().unwrap_or(""),
            u.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => base,
    };
    format!("{} at {at}", service.name())
}

/// Runs `fut`; when stderr is a terminal and it takes long, says so there.
pub async fn announce<T>(what: &str, fut: impl Future<Output = T>) -> T {
    if !std::io::stderr().is_terminal() {
        return fut.await;
    }
    announce_to(what, fut, &mut std::io::stderr()).await
}

async fn announce_to<T, W: Write>(what: &str, fut: impl Future<Output = T>, out: &mut W) -> T {
    tokio::pin!(fut);
    let started = tokio::time::Instant::now();
    let mut next = FIRST;
    let mut shown = false;
    loop {
        tokio::select! {
            v = &mut fut => {
                if shown {
                    let _ = write!(out, "\r\x1b[K");
                    let _ = out.flush();
                }
                return v;
            }
            _ = tokio::time::sleep_until(started + next) => {
                if OUTPUT_STARTED.load(Ordering::Relaxed) {
                    return fut.await;
                }
                let _ = write!(out, "\r\x1b[Khvecs: waiting for {what} ({} s)…", next.as_secs());
                let _ = out.flush();
                shown = true;
                next += EVERY;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_long_wait_is_said_and_cleared() {
        let mut out = Vec::new();
        let v = announce_to(
            "ecs at https://gw:443",
            async {
                tokio::time::sleep(Duration::from_secs(12)).await;
                7
            },
            &mut out,
        )
        .await;
        assert_eq!(v, 7);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\r\x1b[Khvecs: waiting for ecs at https://gw:443 (5 s)…\r\x1b[Khvecs: waiting for ecs at https://gw:443 (10 s)…\r\x1b[K"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_quick_answer_says_nothing() {
        let mut out = Vec::new();
        announce_to("ecs", tokio::time::sleep(Duration::from_secs(4)), &mut out).await;
        assert!(out.is_empty());
    }
}
