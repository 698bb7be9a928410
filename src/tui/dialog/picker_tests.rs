//! The picker on its own: typing narrows, the keymap's arrows move, `Enter` chooses what is
//! allowed and says why not otherwise, `Esc` cancels; drawn with its offers and filter.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Offer, Picker};
use crate::tui::app::catalog_state::CatalogState;
use crate::tui::app::messages::Level;
use crate::tui::dialog::{Dialog, Env, Outcome};
use crate::tui::keymap::{Key, Keymap};

#[derive(Debug, Clone, PartialEq)]
struct Fruit(&'static str, bool);

impl Offer for Fruit {
    fn label(&self) -> String {
        format!("{} fruit", self.0)
    }
    fn refusal(&self) -> Option<String> {
        (!self.1).then(|| format!("{} is not ripe", self.0))
    }
    fn chosen(self) -> Outcome {
        Outcome::Cancelled(format!("picked {}", self.0))
    }
}

fn picker() -> Picker<Fruit> {
    Picker::new(
        "pick a fruit",
        vec!["for the bowl".into()],
        vec![
            Fruit("apple", true),
            Fruit("banana", false),
            Fruit("cherry", true),
            Fruit("apricot", true),
        ],
    )
}

/// `f` with the console's default keymap and no catalog.
fn with_env<T>(f: impl FnOnce(&Env) -> T) -> T {
    let keymap = Keymap::default();
    let catalog = CatalogState::default();
    f(&Env {
        keymap: &keymap,
        region: "region-1",
        read_only: false,
        catalog: &catalog,
    })
}

fn key(p: &mut Picker<Fruit>, k: Key) -> Outcome {
    with_env(|env| p.key(k, env))
}

fn typed(p: &mut Picker<Fruit>, s: &str) {
    for c in s.chars() {
        key(p, Key::char(c));
    }
}

fn picked(o: Outcome) -> String {
    match o {
        Outcome::Cancelled(t) => t,
        other => panic!("not chosen: {other:?}"),
    }
}

#[test]
fn typing_narrows_by_every_word_and_letters_are_typed_not_moves() {
    let mut p = picker();
    typed(&mut p, "AP");
    let names: Vec<&str> = p.shown().iter().map(|f| f.0).collect();
    assert_eq!(names, ["apple", "apricot"]);
    // `j` is the keymap's down, but here it is typed
    typed(&mut p, "j");
    assert!(p.shown().is_empty());
    assert_eq!(p.filter(), "APj");
    key(&mut p, Key::plain(KeyCode::Backspace));
    typed(&mut p, " fruit ric");
    assert_eq!(p.selected().map(|f| f.0), Some("apricot"));
    assert_eq!(
        picked(key(&mut p, Key::plain(KeyCode::Enter))),
        "picked apricot"
    );
}

#[test]
fn arrows_move_and_enter_refuses_what_cannot_be_chosen() {
    let mut p = picker();
    assert!(matches!(
        key(&mut p, Key::plain(KeyCode::Down)),
        Outcome::Changed
    ));
    assert_eq!(p.selected().map(|f| f.0), Some("banana"));
    match key(&mut p, Key::plain(KeyCode::Enter)) {
        Outcome::Say(Level::Error, why) => {
            assert_eq!(why, "banana is not ripe; nothing was sent")
        }
        other => panic!("{other:?}"),
    }
    key(&mut p, Key::plain(KeyCode::End));
    assert_eq!(p.selected().map(|f| f.0), Some("apricot"));
    key(&mut p, Key::plain(KeyCode::Down));
    assert_eq!(
        p.selected().map(|f| f.0),
        Some("apricot"),
        "stays on the last"
    );
    key(&mut p, Key::plain(KeyCode::Home));
    assert_eq!(
        picked(key(&mut p, Key::plain(KeyCode::Enter))),
        "picked apple"
    );
}

#[test]
fn esc_cancels_and_an_empty_list_chooses_nothing() {
    let mut p = picker();
    assert!(matches!(
        key(&mut p, Key::plain(KeyCode::Esc)),
        Outcome::Cancelled(t) if t.contains("nothing was sent")
    ));
    let mut none: Picker<Fruit> = Picker::new("pick", vec![], vec![]).when_empty("no fruit here");
    match key(&mut none, Key::plain(KeyCode::Enter)) {
        Outcome::Say(_, t) => assert!(t.contains("nothing chosen"), "{t}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn it_draws_its_offers_with_the_reasons_and_its_filter() {
    let mut p = picker();
    typed(&mut p, "an");
    let styles = crate::tui::theme::Styles::builtin("default", true);
    let area = Rect::new(0, 0, 80, 20);
    let mut buf = Buffer::empty(area);
    with_env(|env| p.draw(env, &styles, area, &mut buf));
    let text: String = (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(text.contains("pick a fruit"), "{text}");
    assert!(text.contains("> an"), "{text}");
    assert!(
        text.contains("banana fruit  (banana is not ripe)"),
        "{text}"
    );
    assert!(!text.contains("cherry"), "{text}");
    assert!(text.contains("down/up move"), "{text}");
}
