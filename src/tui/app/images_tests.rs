//! Images through `AppState::update`: `i` on a server (the form, the quota refused before
//! sending, the stop-first offer), `e` and `D` on Images, read-only, the describe view, and the
//! images read again after an image task's steps.

use crossterm::event::KeyCode;

use crate::read::catalog::{Catalog, Usage};
use crate::read::detail::FROM_SERVER;
use crate::read::source::{Detail, DetailLine, Payload, What};
use crate::runner::{EventKind, ImageOp, ImageRef, ImageSpec, Op, Priority, TaskEvent};
use crate::tui::app::{AppState, Effect, Mode, Msg};
use crate::tui::dialog::image_form::{ImageField, ImageForm};
use crate::tui::dialog::image_rename::ImageRename;
use crate::tui::dialog::image_stop_first::StopFirstOffer;
use crate::tui::dialog::typed_delete::TypedDelete;
use crate::tui::list::rows::{ImageFields, ServerFields};
use crate::tui::test_console::{
    answer, answer_read, assert_esc_closes, assert_problem, assert_says, assert_sends_nothing,
    console_with, dialog_open, fetches, message, press, press_code, screen, submitted, task_news,
    task_of, type_text,
};

fn server(i: usize, name: &str, status: &str, image_id: &str) -> ServerFields {
    ServerFields {
        id: format!("id-{i}"),
        name: name.into(),
        status: status.into(),
        az: "region-1a".into(),
        image_id: image_id.into(),
        ..Default::default()
    }
}

/// web-01 ACTIVE and web-02 SHUTOFF made from `img-gold`, db-01 ACTIVE from a public image.
fn console(read_only: bool) -> AppState {
    console_with(
        read_only,
        vec![
            server(1, "web-01", "ACTIVE", "img-gold"),
            server(2, "web-02", "SHUTOFF", "img-gold"),
            server(3, "db-01", "ACTIVE", "img-centos"),
        ],
    )
}

fn image(id: &str, name: &str, kind: &str, status: &str) -> ImageFields {
    ImageFields {
        id: id.into(),
        name: name.into(),
        status: status.into(),
        image_type: kind.into(),
        ..Default::default()
    }
}

/// Shows Images (`2`) and answers its read: gold-web (private), CentOS 7 (public).
fn show_images(app: &mut AppState) {
    show_images_of(
        app,
        vec![
            image("img-gold", "gold-web", "private", "active"),
            image("img-centos", "CentOS 7", "public", "active"),
        ],
    );
}

/// Shows Images (`2`) and answers its read with `rows`.
fn show_images_of(app: &mut AppState, rows: Vec<ImageFields>) {
    let fx = press(app, '2');
    answer_read(app, &fx, &What::Images, Payload::Images(rows));
}

/// Answers the catalog read among `fx` with the private-image quota at `used` of `limit`.
fn answer_catalog(app: &mut AppState, fx: &[Effect], used: i64, limit: i64) {
    let mut cat = Catalog::default();
    cat.quotas.images = Some(Usage::of(Some(used), Some(limit)));
    answer_read(app, fx, &What::Catalog, Payload::Catalog(Box::new(cat)));
}

fn form(app: &AppState) -> &ImageForm {
    dialog_open::<ImageForm>(app)
}

fn spec(name: &str, tags: &[(&str, &str)]) -> ImageSpec {
    ImageSpec {
        name: name.into(),
        description: None,
        tags: tags
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
    }
}

#[test]
fn i_on_a_running_server_offers_stop_first_as_one_task() {
    let mut app = console(false);
    let fx = press(&mut app, 'i');
    assert_eq!(form(&app).name.text, "web-01-image");
    assert!(form(&app).running);
    answer_catalog(&mut app, &fx, 3, 10);
    assert_eq!(form(&app).quota, Some(Usage::of(Some(3), Some(10))));
    let s = screen(&app);
    assert!(s.contains("private images: 3 of 10"), "{s}");
    assert!(s.contains("web-01 is running"), "{s}");
    // the tags line, typed
    press_code(&mut app, KeyCode::Tab);
    press_code(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).focus, ImageField::Tags);
    type_text(&mut app, "team=ops");
    // Enter on a running server sends nothing yet: it offers to stop it first
    let fx = press_code(&mut app, KeyCode::Enter);
    assert!(submitted(&fx).is_empty(), "{fx:?}");
    let offer = dialog_open::<StopFirstOffer>(&app);
    assert!(offer.known.contains_key("id-1"));
    let s = screen(&app);
    assert!(
        s.contains("stop it first, then start it again when the image is done"),
        "{s}"
    );
    let fx = press(&mut app, 'y');
    assert_eq!(app.mode, Mode::Normal);
    let sent = submitted(&fx);
    assert_eq!(
        sent.first().map(|(op, _)| op.clone()),
        Some(Op::Image(ImageOp::FromServer {
            server: ImageRef::new("id-1", "web-01"),
            spec: spec("web-01-image", &[("team", "ops")]),
            stop_first: true,
        }))
    );
    assert_eq!(sent[0].1["id-1"].status, "ACTIVE");
}

#[test]
fn the_offer_answered_n_images_it_running_and_esc_sends_nothing() {
    let mut app = console(false);
    press(&mut app, 'i');
    press_code(&mut app, KeyCode::Enter);
    let fx = press(&mut app, 'n');
    assert!(matches!(
        submitted(&fx).first().map(|(op, _)| op.clone()),
        Some(Op::Image(ImageOp::FromServer {
            stop_first: false,
            ..
        }))
    ));
    press(&mut app, 'i');
    press_code(&mut app, KeyCode::Enter);
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert!(
        app.dialog::<StopFirstOffer>().is_some(),
        "Enter answers nothing"
    );
    assert_esc_closes(&mut app);
    assert_says(&app, "nothing was sent");
}

#[test]
fn a_stopped_server_is_imaged_at_once_with_its_description() {
    let mut app = console(false);
    press_code(&mut app, KeyCode::Down);
    press(&mut app, 'i');
    assert!(!form(&app).running);
    press_code(&mut app, KeyCode::Tab);
    type_text(&mut app, "before the upgrade");
    let fx = press_code(&mut app, KeyCode::Enter);
    let mut want = spec("web-02-image", &[]);
    want.description = Some("before the upgrade".into());
    assert_eq!(
        submitted(&fx).first().map(|(op, _)| op.clone()),
        Some(Op::Image(ImageOp::FromServer {
            server: ImageRef::new("id-2", "web-02"),
            spec: want,
            stop_first: false,
        }))
    );
}

#[test]
fn a_full_quota_is_refused_before_sending_and_the_form_stays() {
    let mut app = console(false);
    let fx = press(&mut app, 'i');
    answer_catalog(&mut app, &fx, 10, 10);
    let s = screen(&app);
    assert!(
        s.contains("quota is full (10 of 10 images, IMG.0015)"),
        "{s}"
    );
    let fx = press_code(&mut app, KeyCode::Enter);
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    assert!(app.dialog::<ImageForm>().is_some(), "the form stays");
    assert_says(&app, "IMG.0015");
    assert_says(&app, "nothing was sent");
}

#[test]
fn the_form_checks_names_taken_tags_and_descriptions_as_typed() {
    let mut app = console(false);
    show_images(&mut app);
    press(&mut app, '1');
    press(&mut app, 'i');
    assert_eq!(form(&app).problem(ImageField::Name), None);
    press_code(&mut app, KeyCode::Backspace);
    for _ in 0.."web-01-image".len() {
        press_code(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "gold-web");
    let p = form(&app).problem(ImageField::Name).unwrap_or_default();
    assert!(p.contains("IMG.0009"), "{p}");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert!(fx.is_empty());
    assert_says(&app, "IMG.0009");
    type_text(&mut app, "/2");
    let p = form(&app).problem(ImageField::Name).unwrap_or_default();
    assert!(p.contains("'/'"), "{p}");
    press_code(&mut app, KeyCode::Backspace);
    press_code(&mut app, KeyCode::Backspace);
    type_text(&mut app, "-2");
    assert_eq!(form(&app).problem(ImageField::Name), None);
    press_code(&mut app, KeyCode::Tab);
    type_text(&mut app, "a <b>");
    assert!(form(&app).problem(ImageField::Description).is_some());
    press_code(&mut app, KeyCode::Tab);
    type_text(&mut app, "team");
    let p = form(&app).problem(ImageField::Tags).unwrap_or_default();
    assert!(p.contains("KEY=VALUE"), "{p}");
    // Enter moves to the first line that is wrong, and sends nothing
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(form(&app).focus, ImageField::Description);
}

#[test]
fn read_only_i_e_and_d_send_nothing_and_say_why() {
    let mut app = console(true);
    assert!(press(&mut app, 'i').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "read-only: refusing to make an image of web-01");
    show_images(&mut app);
    for (key, verb) in [
        ('e', "rename image gold-web"),
        ('D', "delete image gold-web"),
    ] {
        assert!(press(&mut app, key).is_empty());
        assert_eq!(app.mode, Mode::Normal);
        let m = message(&app);
        assert!(m.contains(&format!("read-only: refusing to {verb}")), "{m}");
    }
}

#[test]
fn e_renames_a_private_image_and_a_public_one_is_refused() {
    let mut app = console(false);
    show_images(&mut app);
    press(&mut app, 'e');
    let d = dialog_open::<ImageRename>(&app);
    assert_problem(&d.problem, "already named");
    type_text(&mut app, "-v2");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        submitted(&fx).first().map(|(op, _)| op.clone()),
        Some(Op::Image(ImageOp::Rename {
            image: ImageRef::new("img-gold", "gold-web"),
            name: "gold-web-v2".into(),
        }))
    );
    press_code(&mut app, KeyCode::Down);
    assert_sends_nothing(&mut app, 'e', "CentOS 7 is public");
}

#[test]
fn d_says_how_many_listed_servers_were_made_from_the_image_and_takes_its_name() {
    let mut app = console(false);
    show_images(&mut app);
    press(&mut app, 'D');
    let d = dialog_open::<TypedDelete>(&app);
    assert_eq!(d.lines, ["web-01  ACTIVE", "web-02  SHUTOFF"]);
    let s = screen(&app);
    assert!(
        s.contains("2 of the 3 servers listed were made from it"),
        "{s}"
    );
    type_text(&mut app, "gold");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "is not the image's name");
    type_text(&mut app, "-web");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        submitted(&fx).first().map(|(op, _)| op.clone()),
        Some(Op::Image(ImageOp::Delete {
            images: vec![ImageRef::new("img-gold", "gold-web")]
        }))
    );
}

#[test]
fn an_image_still_saving_is_not_offered_for_delete() {
    let mut app = console(false);
    show_images_of(
        &mut app,
        vec![image("img-new", "fresh", "private", "saving")],
    );
    assert!(press(&mut app, 'D').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "fresh is saving");
}

#[test]
fn the_type_column_shows_words_and_type_private_filters() {
    let mut app = console(false);
    show_images(&mut app);
    let s = screen(&app);
    assert!(s.contains("TYPE"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("CentOS 7") && l.contains("public")),
        "{s}"
    );
    press(&mut app, '/');
    type_text(&mut app, "type:private");
    press_code(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("gold-web") && !s.contains("CentOS 7"), "{s}");
}

#[test]
fn describe_names_the_source_server_and_the_servers_made_from_the_image() {
    let mut app = console(false);
    show_images(&mut app);
    let fx = press_code(&mut app, KeyCode::Enter);
    let f = fetches(&fx).pop().expect("the detail read");
    let detail = Detail {
        lines: vec![
            DetailLine::Field("name".into(), "gold-web".into()),
            DetailLine::Field(FROM_SERVER.into(), "id-3".into()),
            DetailLine::Section("All fields".into()),
        ],
        raw_json: "{}".into(),
    };
    answer(&mut app, &f, Payload::Detail(detail));
    let Mode::Describe(d) = &app.mode else {
        panic!("not describing: {:?}", app.mode);
    };
    let lines = &d.detail.as_ref().expect("the detail").lines;
    assert_eq!(
        lines[1],
        DetailLine::Field(FROM_SERVER.into(), "db-01 (id-3)".into())
    );
    assert_eq!(
        lines[2],
        DetailLine::Section("Servers made from it (2 of the 3 listed)".into())
    );
    assert_eq!(
        lines[3],
        DetailLine::Field("server".into(), "web-01  ACTIVE".into())
    );
}

#[test]
fn an_image_task_reads_the_images_again_at_each_step_and_at_its_end() {
    let mut app = console(false);
    show_images(&mut app);
    press(&mut app, '1');
    let op = Op::Image(ImageOp::FromServer {
        server: ImageRef::new("id-1", "web-01"),
        spec: spec("web-01-image", &[]),
        stop_first: true,
    });
    let t = task_of(op, Priority::Interactive);
    let images_read = |fx: &[Effect]| fetches(fx).iter().any(|f| matches!(f.what, What::Images));
    let fx = task_news(&mut app, EventKind::Step { index: 1 }, &t);
    assert!(images_read(&fx), "{fx:?}");
    let fx = task_news(&mut app, EventKind::Progress, &t);
    assert!(!images_read(&fx), "{fx:?}");
    let fx = task_news(&mut app, EventKind::Succeeded, &t);
    assert!(images_read(&fx), "{fx:?}");
    // a power task does not
    let stop = Op::Power {
        action: crate::runner::PowerAction::Start,
        servers: vec![crate::runner::ServerRef::new("id-2", "web-02")],
    };
    let t = task_of(stop, Priority::Interactive);
    let fx = task_news(&mut app, EventKind::Succeeded, &t);
    assert!(!images_read(&fx), "{fx:?}");
}

#[test]
fn a_busy_server_is_refused_at_once_and_a_taken_prefill_still_opens_the_form() {
    let mut app = console_with(
        false,
        vec![
            server(1, "web-01", "BUILD", "img-gold"),
            server(2, "gold-web", "SHUTOFF", "img-gold"),
        ],
    );
    assert!(press(&mut app, 'i').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "web-01 is BUILD");
    assert_says(&app, "nothing was sent");
    // the images listed hold "gold-web-image": the form opens and says the name is taken
    show_images_of(
        &mut app,
        vec![image("img-x", "gold-web-image", "private", "active")],
    );
    press(&mut app, '1');
    press_code(&mut app, KeyCode::Down);
    press(&mut app, 'i');
    let p = form(&app).problem(ImageField::Name).unwrap_or_default();
    assert!(p.contains("IMG.0009"), "{p}");
}

#[test]
fn a_running_server_refused_by_the_platform_says_how_to_stop_it_first() {
    let mut app = console(false);
    let op = |stop_first| {
        Op::Image(ImageOp::FromServer {
            server: ImageRef::new("id-1", "web-01"),
            spec: spec("web-01-image", &[]),
            stop_first,
        })
    };
    let failed = |op: Op, code: &str| {
        let mut t = task_of(op, Priority::Interactive);
        t.state = crate::runner::TaskState::Failed;
        t.set_outcome(
            "id-1",
            crate::runner::TargetOutcome::Failed {
                code: Some(code.into()),
                reason: "not in stopped state".into(),
            },
        );
        t
    };
    app.update(Msg::Task(TaskEvent::new(
        EventKind::Failed,
        &failed(op(false), "IMG.0008"),
    )));
    let m = message(&app);
    assert!(m.contains("i on web-01 and y stops it first"), "{m}");
    for t in [failed(op(false), "IMG.0010"), failed(op(true), "IMG.0008")] {
        task_news(&mut app, EventKind::Failed, &t);
        assert!(
            !message(&app).contains("stops it first"),
            "{}",
            message(&app)
        );
    }
}
