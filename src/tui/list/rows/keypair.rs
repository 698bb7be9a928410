//! A key pair's row (`:keypairs`): its name, type and fingerprint.

use super::{Cells, Column, KeypairFields, Row, StatusClass, col, row_type};
use crate::read::source::Payload;

pub static KEYPAIR_COLUMNS: &[Column] = &[
    col("NAME", "name", 0, 8, 40),
    col("TYPE", "type", 2, 4, 6),
    col("FINGERPRINT", "fingerprint", 1, 16, 60),
    // a key pair's name is its id in the API
    col("ID", "id", 9, 8, 40),
];

row_type!(KeypairRow, KeypairFields, KEYPAIR_COLUMNS, status: None, az: None,
rows: |p, _| match p {
    Payload::Keypairs(k) => Some(k.into_iter().map(KeypairRow::new).collect()),
    _ => None,
});

impl KeypairRow {
    pub fn new(k: KeypairFields) -> Self {
        let kind = if k.kind.is_empty() { "ssh" } else { &k.kind };
        KeypairRow::build(
            Cells::new(&[k.name.as_str(), kind, &k.fingerprint, &k.name]),
            1,
            false,
            k,
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::Local;
    use crossterm::event::KeyCode;

    use super::*;
    use crate::read::source::{View, What};
    use crate::tui::app::{Effect, Msg};
    use crate::tui::keymap::Key;
    use crate::tui::test_console::{console, press, press_code, screen, type_text};

    fn pair(name: &str, kind: &str) -> KeypairFields {
        KeypairFields {
            name: name.into(),
            kind: kind.into(),
            fingerprint: format!("SHA256:{name}-fp"),
        }
    }

    #[test]
    fn colon_keypairs_reads_the_key_pairs_once_and_lists_them() {
        let mut app = console(false);
        press(&mut app, ':');
        type_text(&mut app, "keypairs");
        let fx = press_code(&mut app, KeyCode::Enter);
        let [Effect::Fetch(req)] = fx.as_slice() else {
            panic!("one read: {fx:?}")
        };
        assert_eq!(
            (req.what.clone(), req.region.as_str()),
            (What::Keypairs, "region-1")
        );
        assert_eq!(app.view, View::Keypairs);
        assert!(app.list(View::Keypairs).state().loading);
        app.update(Msg::Loaded {
            seq: req.seq,
            result: Ok(Payload::Keypairs(vec![
                pair("ops-key", ""),
                pair("deploy", "x509"),
            ])),
            at: Local::now(),
        });
        let list = app.list(View::Keypairs);
        assert_eq!((list.len(), list.state().loading), (2, false));
        let s = screen(&app);
        let line = |what: &str| {
            s.lines()
                .find(|l| l.contains(what))
                .unwrap_or("")
                .to_owned()
        };
        assert!(line("ops-key").contains("ssh"), "no type given: ssh\n{s}");
        assert!(line("deploy").contains("x509"), "{s}");
        assert!(line("deploy").contains("SHA256:deploy-fp"), "{s}");
        // the rows keep their typed record
        let typed = app
            .typed::<KeypairRow>(View::Keypairs)
            .map(|l| l.all_rows().to_vec());
        assert_eq!(
            typed
                .unwrap_or_default()
                .iter()
                .map(|r| r.record().name.clone())
                .collect::<Vec<_>>(),
            ["ops-key", "deploy"]
        );
        // the header (its first line) holds the time of the read
        let body: Vec<&str> = s.lines().skip(1).collect();
        crate::tui::test_console::assert_snapshot!("keypairs_100x30", body.join("\n"));
        // shown again: no new read; a describe needs no read either
        assert!(press(&mut app, '1').is_empty());
        press(&mut app, ':');
        type_text(&mut app, "keypairs");
        assert!(press_code(&mut app, KeyCode::Enter).is_empty());
        assert!(app.update(Msg::Key(Key::plain(KeyCode::Enter))).is_empty());
        assert!(screen(&app).contains("fingerprint"), "{}", screen(&app));
        // another region empties it
        app.switch_region("region-2");
        assert_eq!(app.list(View::Keypairs).total(), 0);
    }
}
