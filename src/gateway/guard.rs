//! The credential guard: once the gateway refuses a profile's credentials (a 401), nothing more
//! is sent with them until the person acts, and until they are accepted one request at a time
//! (the gateway locks an AK for everyone after 5 bad signatures in a row).

use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

use super::error::{ErrorKind, GatewayError};

/// Shared by every clone (and so by every client built from one `GatewayOptions`).
#[derive(Clone, Default)]
pub struct CredentialGuard {
    state: Arc<Mutex<State>>,
    /// Held by the one request in flight while the credentials are unproven.
    probe: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum State {
    /// Nothing answered yet (or reset): one request at a time.
    #[default]
    Unproven,
    /// The gateway accepted them: requests go at once.
    Proven,
    /// Refused: the first refusal, as it was said.
    Refused(String),
}

impl std::fmt::Debug for CredentialGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CredentialGuard")
            .field(&self.state())
            .finish()
    }
}

/// Leave to send: `probe` is held while the credentials are unproven.
pub struct Admitted {
    _probe: Option<OwnedMutexGuard<()>>,
}

impl CredentialGuard {
    fn state(&self) -> State {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn set(&self, to: State) {
        if let Ok(mut s) = self.state.lock() {
            *s = to;
        }
    }

    fn held(operation: &str, why: String) -> GatewayError {
        GatewayError::new(operation, ErrorKind::CredentialsHeld(why))
    }

    /// Leave to send a request with the profile's credentials: at once when they were accepted,
    /// one at a time until they are, never once they were refused.
    pub async fn admit(&self, operation: &str) -> Result<Admitted, GatewayError> {
        match self.state() {
            State::Refused(why) => return Err(Self::held(operation, why)),
            State::Proven => return Ok(Admitted { _probe: None }),
            State::Unproven => {}
        }
        let probe = self.probe.clone().lock_owned().await;
        match self.state() {
            State::Refused(why) => Err(Self::held(operation, why)),
            State::Proven => Ok(Admitted { _probe: None }),
            State::Unproven => Ok(Admitted {
                _probe: Some(probe),
            }),
        }
    }

    /// Refuses at once when the credentials were refused (the login inside an admitted request).
    pub fn check(&self, operation: &str) -> Result<(), GatewayError> {
        match self.state() {
            State::Refused(why) => Err(Self::held(operation, why)),
            _ => Ok(()),
        }
    }

    /// The gateway authenticated a request.
    pub(crate) fn accepted(&self) {
        if let Ok(mut s) = self.state.lock()
            && *s == State::Unproven
        {
            *s = State::Proven;
        }
    }

    /// The gateway refused the credentials: hold them (the first refusal is kept).
    pub(crate) fn refuse(&self, e: &GatewayError) {
        if let Ok(mut s) = self.state.lock()
            && !matches!(*s, State::Refused(_))
        {
            tracing::warn!("credentials refused, not sending again until reset: {e}");
            *s = State::Refused(e.to_string());
        }
    }

    /// The person acted (Ctrl-r, a changed profile): the next request may try again.
    pub fn reset(&self) {
        self.set(State::Unproven);
    }

    /// The refusal that holds the credentials, if any.
    pub fn refusal(&self) -> Option<String> {
        match self.state() {
            State::Refused(why) => Some(why),
            _ => None,
        }
    }
}
