//! The remote login (`v`) through `AppState::update`: the URL read once for an ACTIVE server,
//! shown whole, copied and opened as a secret that never reaches the message log.

use chrono::Local;
use crossterm::event::KeyCode;

use super::{Login, RemoteLogin};
use crate::config::Secret;
use crate::gateway::RemoteConsole;
use crate::read::source::{LoadError, Payload, What};
use crate::tui::app::{AppState, Effect, Mode, Msg};
use crate::tui::test_console::{
    assert_says, console, dialog_open, fetches, press, press_code, screen,
};

const URL: &str = "https://novnc.region-1a.example:8002/vnc_auto.html?token=0fda3eca-8232&lang=EN";

fn answer(app: &mut AppState, seq: u64, result: Result<Payload, LoadError>) {
    app.update(Msg::Loaded {
        seq,
        result,
        at: Local::now(),
    });
}

fn login(url: &str) -> Payload {
    Payload::RemoteConsole(RemoteConsole {
        protocol: "vnc".into(),
        kind: "novnc".into(),
        url: Secret::new(url),
    })
}

/// Every message of the run, whole.
fn log(app: &AppState) -> String {
    format!("{:?}", app.messages)
}

#[test]
fn v_reads_the_url_once_shows_it_and_copies_it_without_logging_it() {
    let mut app = console(false);
    let fx = press(&mut app, 'v');
    let reads = fetches(&fx);
    assert_eq!(reads.len(), 1, "{fx:?}");
    assert_eq!(reads[0].what, What::RemoteConsole("id-1".into()));
    assert_eq!(reads[0].region, "region-1");
    assert_eq!(
        app.dialog::<RemoteLogin>().map(|d| d.login.clone()),
        Some(Login::Reading)
    );
    assert!(
        screen(&app).contains("asking the gateway"),
        "{}",
        screen(&app)
    );
    // `Y` before the URL came copies nothing.
    assert!(press(&mut app, 'Y').is_empty());

    answer(&mut app, reads[0].seq, Ok(login(URL)));
    let shown = screen(&app);
    assert!(shown.contains("token=0fda3eca-8232"), "{shown}");
    assert!(shown.contains("one use"), "{shown}");

    let fx = press(&mut app, 'Y');
    assert_eq!(fx, vec![Effect::CopySecret(Secret::new(URL))]);
    assert_says(&app, "copied the remote login URL of web-01");
    let fx = press(&mut app, 'o');
    assert_eq!(fx, vec![Effect::OpenUrl(Secret::new(URL))]);
    press_code(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert!(
        !log(&app).contains("0fda3eca"),
        "the token reached the log: {}",
        log(&app)
    );
}

#[test]
fn a_refusal_is_shown_in_the_dialog_and_not_retried() {
    let mut app = console(false);
    let fx = press(&mut app, 'v');
    let seq = fetches(&fx)[0].seq;
    app.update(Msg::Loaded {
        seq,
        result: Err(LoadError {
            message: "ECS remote login to server id-1: Ecs.0011: server id-1 is SHUTOFF".into(),
            request_id: Some("req-9".into()),
        }),
        at: Local::now(),
    });
    let d = dialog_open::<RemoteLogin>(&app);
    assert!(
        matches!(&d.login, Login::Failed(why) if why.contains("Ecs.0011") && why.contains("req-9"))
    );
    // No retry is scheduled for a one-time URL.
    assert!(
        app.update(Msg::Tick)
            .iter()
            .all(|e| !matches!(e, Effect::Fetch(f) if matches!(f.what, What::RemoteConsole(_))))
    );
    // An answer after the dialog closed is dropped.
    press_code(&mut app, KeyCode::Esc);
    answer(&mut app, seq, Ok(login(URL)));
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_server_that_is_not_active_is_refused_without_asking_and_read_only_may_log_in() {
    let mut app = console(false);
    press(&mut app, 'j'); // web-02, SHUTOFF
    let fx = press(&mut app, 'v');
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    assert_says(&app, "web-02 is SHUTOFF");
    assert_eq!(app.mode, Mode::Normal);

    let mut ro = console(true);
    let fx = press(&mut ro, 'v');
    assert_eq!(fetches(&fx).len(), 1, "a remote login is a read: {fx:?}");
}
