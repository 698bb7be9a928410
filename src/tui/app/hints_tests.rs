//! Hints, help and dispatch agree per list: each view hints only its own keys, `?` help always
//! fits, and a key for another list says where it applies and sends nothing.

use crate::read::source::View;
use crate::tui::app::extras_tests::{console, message, press};
use crate::tui::app::{AppState, Mode};
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::test_console::assert_refused;

const SERVER_ONLY: [&str; 9] = ["s", "x", "X", "r", "R", "z", "e", "D", "c"];

fn hint_keys(m: &Keymap, context: Context, read_only: bool) -> Vec<String> {
    m.hints(context, read_only)
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

fn help_actions(m: &Keymap, context: Context, read_only: bool) -> Vec<Action> {
    m.help(context, read_only)
        .into_iter()
        .map(|(_, i)| i.action)
        .collect()
}

#[test]
fn jobs_pane_hints_details_cancel_and_retry_and_no_server_actions() {
    let m = Keymap::default();
    let jobs = Context::List(View::Jobs);
    let hints = m.hints(jobs, false);
    for want in [("enter", "details"), ("C", "cancel"), ("t", "retry")] {
        assert!(
            hints.contains(&(want.0.to_owned(), want.1)),
            "{want:?} in {hints:?}"
        );
    }
    let keys = hint_keys(&m, jobs, false);
    for k in SERVER_ONLY {
        assert!(
            !keys.contains(&k.to_owned()),
            "{k} hinted on jobs: {keys:?}"
        );
    }
    let help = help_actions(&m, jobs, false);
    assert!(help.contains(&Action::CancelTask) && help.contains(&Action::RetryFailed));
    assert!(!help.contains(&Action::Start) && !help.contains(&Action::Delete));
    // and at 80 columns, cancel and retry still make the bar
    let fit = m.hints_fitting(jobs, false, 80);
    assert!(fit.iter().any(|(k, _)| k == "C"), "{fit:?}");
    assert!(fit.iter().any(|(k, _)| k == "t"), "{fit:?}");
}

#[test]
fn read_only_lists_and_other_lists_hint_no_server_actions() {
    let m = Keymap::default();
    for view in [View::Flavors, View::Networks, View::Quotas, View::Snapshots] {
        let keys = hint_keys(&m, Context::List(view), false);
        // Snapshot sets are deleted (`D`) and renamed (`e`) too.
        let acted_on = |k: &str| view == View::Snapshots && (k == "D" || k == "e");
        for k in SERVER_ONLY.into_iter().filter(|k| !acted_on(k)) {
            assert!(
                !keys.contains(&k.to_owned()),
                "{k} hinted on {view:?}: {keys:?}"
            );
        }
        let help = help_actions(&m, Context::List(view), false);
        assert!(
            !help.contains(&Action::Stop) && !help.contains(&Action::Create),
            "{view:?}: {help:?}"
        );
        assert!(keys.contains(&"/".to_owned()), "filter works on every list");
    }
    // Images: create (from the image) and delete apply, power actions and the image of a
    // server do not
    let keys = hint_keys(&m, Context::List(View::Images), false);
    assert!(keys.contains(&"c".to_owned()), "{keys:?}");
    assert!(keys.contains(&"D".to_owned()), "{keys:?}");
    for k in ["s", "x", "r", "i"] {
        assert!(!keys.contains(&k.to_owned()), "{k} on images: {keys:?}");
    }
    // Servers keep theirs, but not the jobs keys
    let keys = hint_keys(&m, Context::List(View::Servers), false);
    for k in ["s", "x", "r", "D", "c"] {
        assert!(keys.contains(&k.to_owned()), "{k} on servers: {keys:?}");
    }
    assert!(!keys.contains(&"C".to_owned()) && !keys.contains(&"t".to_owned()));
    // Disks: create, delete, attach, detach, expand; no power actions
    let keys = hint_keys(&m, Context::List(View::Disks), false);
    for k in ["c", "D", "a", "d", "+"] {
        assert!(keys.contains(&k.to_owned()), "{k} on disks: {keys:?}");
    }
    for k in ["s", "x", "r", "z"] {
        assert!(!keys.contains(&k.to_owned()), "{k} on disks: {keys:?}");
    }
}

#[test]
fn read_only_still_hides_dangerous_actions_per_view() {
    let m = Keymap::default();
    for view in [View::Servers, View::Images, View::Jobs] {
        let help = m.help(Context::List(view), true);
        assert!(!help.iter().any(|(_, i)| i.dangerous), "{view:?}");
    }
    let keys = hint_keys(&m, Context::List(View::Servers), true);
    assert!(!keys.contains(&"x".to_owned()) && !keys.contains(&"D".to_owned()));
    assert!(keys.contains(&"s".to_owned()), "start is not dangerous");
}

#[test]
fn help_is_always_in_the_bar_and_every_hint_fits_whole() {
    let m = Keymap::default();
    let contexts = [
        Context::List(View::Servers),
        Context::List(View::Images),
        Context::List(View::Jobs),
        Context::List(View::Quotas),
        Context::Side,
        Context::Describe,
    ];
    for width in [60, 80, 120, 160] {
        for ro in [false, true] {
            for c in contexts {
                let fit = m.hints_fitting(c, ro, width);
                assert_eq!(
                    fit.last(),
                    Some(&("?".to_owned(), "help")),
                    "{c:?} at {width}: {fit:?}"
                );
                // as the bar draws it, the trailing spaces of the last one aside
                let drawn: usize = 1 + fit
                    .iter()
                    .map(|(k, w)| k.len() + w.len() + 5)
                    .sum::<usize>()
                    - 2;
                assert!(drawn <= width, "{c:?} at {width}: {drawn} columns");
            }
        }
    }
    // a wide bar drops nothing
    let all = m.hints(Context::List(View::Servers), false);
    assert_eq!(
        m.hints_fitting(Context::List(View::Servers), false, 500),
        all
    );
    // and a narrow one drops some, but never help
    assert!(
        m.hints_fitting(Context::List(View::Servers), false, 60)
            .len()
            < all.len()
    );
}

#[test]
fn unbound_help_is_not_reserved() {
    let overrides = [("help".to_owned(), Vec::new())].into_iter().collect();
    let m = Keymap::with_overrides(&overrides, None).unwrap();
    let fit = m.hints_fitting(Context::List(View::Servers), false, 60);
    assert!(!fit.iter().any(|(_, w)| *w == "help"), "{fit:?}");
}

fn on(view: View) -> AppState {
    let mut app = console(3);
    app.show(view);
    app
}

#[test]
fn a_server_key_elsewhere_says_where_it_applies_and_sends_nothing() {
    for view in [View::Flavors, View::Disks, View::Jobs, View::Images] {
        for c in ['s', 'x', 'R', 'z', 'e', 'D', 'i'] {
            if matches!(view, View::Disks | View::Images) && matches!(c, 'e' | 'D') {
                // they rename and delete disks and images there
                continue;
            }
            let mut app = on(view);
            let fx = press(&mut app, c);
            assert!(fx.is_empty(), "{c} on {view:?}: {fx:?}");
            assert_eq!(app.mode, Mode::Normal, "{c} on {view:?}: no dialog");
            let m = message(&app);
            assert!(
                m.contains("applies to servers (press 1)"),
                "{c} on {view:?}: {m}"
            );
        }
    }
    let mut app = on(View::Quotas);
    assert!(press(&mut app, 'c').is_empty());
    assert_eq!(
        message(&app),
        "create applies to servers (press 1), images (press 2) and disks (press 4)"
    );
    for c in ['a', 'd'] {
        assert!(press(&mut app, c).is_empty());
        assert_eq!(
            message(&app),
            format!(
                "{} applies to servers (press 1) and disks (press 4)",
                if c == 'a' { "attach" } else { "detach" }
            )
        );
    }
    assert!(press(&mut app, '+').is_empty());
    assert_eq!(message(&app), "expand applies to disks (press 4)");
}

#[test]
fn jobs_keys_elsewhere_point_to_the_jobs_pane() {
    let mut app = on(View::Servers);
    assert!(press(&mut app, 'C').is_empty());
    assert_eq!(message(&app), "cancel task applies to jobs (press 5)");
    assert!(press(&mut app, 't').is_empty());
    assert_eq!(message(&app), "retry failed applies to jobs (press 5)");
}

#[test]
fn read_only_dangerous_keys_elsewhere_say_read_only() {
    let mut app = on(View::Flavors);
    app.session.read_only = true;
    assert_refused(&mut app, &['x', 'D', 'z'], "read-only: ");
}

#[test]
fn the_context_names_the_list_shown() {
    let app = on(View::Networks);
    assert_eq!(app.context(), Context::List(View::Networks));
}
