//! Disk keys through `AppState::update`: each dialog (create, attach and detach pickers, detach
//! confirmation, expand, rename, delete) and each refusal (read-only, preconditions, one disk).

use crossterm::event::KeyCode;

use crate::read::catalog::{Catalog, Quotas, Usage};
use crate::read::records::DiskFields;
use crate::read::source::{Payload, Scope, View, What};
use crate::runner::disk::op::{DiskOp, NewDisks, ServerInAz};
use crate::runner::{EventKind, Op, Priority, ServerRef, TaskState};
use crate::tui::app::{AppState, Effect, Mode, Msg};
use crate::tui::dialog::confirm::Confirm;
use crate::tui::dialog::disk_create::{DiskCreate, DiskField};
use crate::tui::dialog::disk_expand::DiskExpand;
use crate::tui::dialog::disk_rename::DiskRename;
use crate::tui::dialog::op_offer::OpOffer;
use crate::tui::dialog::picker::Picker;
use crate::tui::dialog::typed_delete::TypedDelete;
use crate::tui::keymap::Key;
use crate::tui::test_console::{
    answer_read, assert_esc_closes, assert_problem, assert_refused, assert_says,
    assert_sends_nothing, console, dialog_open, fetches, message, press, press_code, submitted,
    task_news, task_of, type_text,
};

fn disk(id: &str, name: &str, status: &str, az: &str, server: &str) -> DiskFields {
    DiskFields {
        id: id.into(),
        name: name.into(),
        status: status.into(),
        size: "20".into(),
        disk_type: "SSD".into(),
        az: az.into(),
        server: server.into(),
        server_id: server.into(),
        device: if server.is_empty() { "" } else { "/dev/vdb" }.into(),
        bootable: false,
    }
}

/// data-a available in 1a, data-b in-use on web-01 (id-1), sys-2 the system disk of web-02
/// (SHUTOFF), sys-3 the system disk of db-01 (ACTIVE), data-c available in 1b.
fn disk_rows() -> Vec<DiskFields> {
    let mut sys2 = disk("d-s2", "sys-2", "in-use", "region-1b", "id-2");
    sys2.bootable = true;
    let mut sys3 = disk("d-s3", "sys-3", "in-use", "region-1b", "id-3");
    sys3.bootable = true;
    vec![
        disk("d-a", "data-a", "available", "region-1a", ""),
        disk("d-b", "data-b", "in-use", "region-1a", "id-1"),
        sys2,
        sys3,
        disk("d-c", "data-c", "available", "region-1b", ""),
    ]
}

fn answer_disks(app: &mut AppState, fx: &[Effect]) {
    answer_read(app, fx, &What::Disks, Payload::Disks(disk_rows()));
}

/// The console on Disks (listed), the first (data-a) selected.
fn on_disks(read_only: bool) -> AppState {
    let mut app = console(read_only);
    let fx = press(&mut app, '4');
    answer_disks(&mut app, &fx);
    assert_eq!(app.view, View::Disks);
    app
}

/// Selects the disk named `name`.
fn select(app: &mut AppState, name: &str) {
    press(app, 'g');
    for _ in 0..10 {
        let l = app
            .typed::<crate::tui::list::rows::DiskRow>(View::Disks)
            .unwrap();
        if l.selected_row().is_some_and(|r| r.record().name == name) {
            return;
        }
        press(app, 'j');
    }
    panic!("no disk {name}");
}

fn picker(app: &AppState) -> &Picker<OpOffer> {
    match app.dialog::<Picker<OpOffer>>() {
        Some(p) => p,
        None => panic!("no picker: {:?}", app.mode),
    }
}

/// The labels the open picker shows.
fn picker_labels(app: &AppState) -> Vec<String> {
    picker(app)
        .shown()
        .iter()
        .map(|o| o.label.clone())
        .collect()
}

fn catalog() -> Catalog {
    Catalog {
        azs: vec!["region-1a".into(), "region-1b".into()],
        quotas: Quotas {
            storage: vec![
                ("gigabytes".into(), Usage::of(Some(900), Some(1000))),
                ("volumes".into(), Usage::of(Some(7), Some(10))),
                ("volumes_SAS".into(), Usage::of(Some(0), Some(-1))),
                ("volumes_SSD".into(), Usage::of(Some(0), Some(-1))),
            ],
            ..Quotas::default()
        },
        ..Catalog::default()
    }
}

fn answer_catalog(app: &mut AppState, fx: &[Effect]) {
    answer_read(
        app,
        fx,
        &What::Catalog,
        Payload::Catalog(Box::new(catalog())),
    );
}

fn form(app: &AppState) -> &DiskCreate {
    match app.dialog::<DiskCreate>() {
        Some(f) => f,
        None => panic!("no disk form: {:?}", app.mode),
    }
}

fn focus(app: &mut AppState, field: DiskField) {
    for _ in 0..8 {
        if form(app).focus == field {
            return;
        }
        press_code(app, KeyCode::Tab);
    }
    panic!("{field:?} not reachable");
}

fn set(app: &mut AppState, field: DiskField, text: &str) {
    focus(app, field);
    app.update(Msg::Key(Key::ctrl('u')));
    press_code(app, KeyCode::End);
    app.update(Msg::Key(Key::ctrl('u')));
    type_text(app, text);
}

#[test]
fn create_offers_the_region_s_types_checks_the_quota_and_attaches_in_the_az() {
    let mut app = on_disks(false);
    let fx = press(&mut app, 'c');
    assert!(app.dialog::<DiskCreate>().is_some());
    answer_catalog(&mut app, &fx);
    set(&mut app, DiskField::Name, "logs");
    // 4 disks of 20 GB: the quota leaves 3 disks and 100 GB
    set(&mut app, DiskField::Count, "4");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "the quota leaves 3 disks");
    assert_says(&app, "nothing was sent");
    set(&mut app, DiskField::Count, "1");
    set(&mut app, DiskField::Size, "200");
    press_code(&mut app, KeyCode::Enter);
    assert_says(&app, "the quota leaves 100 GB");
    set(&mut app, DiskField::Size, "20");
    // the types are those of the region's quota: SAS, then SSD
    focus(&mut app, DiskField::Type);
    press_code(&mut app, KeyCode::Right);
    // the servers of region-1a: web-01, web-03
    focus(&mut app, DiskField::Server);
    press_code(&mut app, KeyCode::Right);
    press_code(&mut app, KeyCode::Right);
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal, "{}", message(&app));
    let sent = submitted(&fx);
    assert_eq!(sent.len(), 1, "{fx:?}");
    assert_eq!(
        sent[0].0,
        Op::Disk(DiskOp::Create(NewDisks {
            name: "logs".into(),
            az: "region-1a".into(),
            volume_type: "SSD".into(),
            size_gb: 20,
            count: 1,
            attach_to: Some(ServerInAz {
                server: ServerRef::new("id-4", "web-03"),
                az: "region-1a".into(),
            }),
        }))
    );
    assert!(
        sent[0].1.contains_key("id-4"),
        "what is known of web-03 goes along"
    );
}

#[test]
fn create_waits_for_the_catalog_and_esc_sends_nothing() {
    let mut app = on_disks(false);
    press(&mut app, 'c');
    type_text(&mut app, "x");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "still reading");
    assert_esc_closes(&mut app);
}

#[test]
fn attach_on_disks_picks_a_server_of_the_disk_s_az() {
    let mut app = on_disks(false);
    select(&mut app, "data-a");
    assert!(press(&mut app, 'a').is_empty());
    let names: Vec<String> = picker_labels(&app);
    assert_eq!(
        names.len(),
        2,
        "web-01 and web-03 are in region-1a: {names:?}"
    );
    assert!(names[0].starts_with("web-01") && names[1].starts_with("web-03"));
    type_text(&mut app, "03");
    let fx = press_code(&mut app, KeyCode::Enter);
    let sent = submitted(&fx);
    assert_eq!(
        sent[0].0,
        Op::Disk(DiskOp::Attach {
            disk: app_disk("d-a"),
            to: ServerInAz {
                server: ServerRef::new("id-4", "web-03"),
                az: "region-1a".into(),
            },
            device: None,
        })
    );
}

fn app_disk(id: &str) -> crate::runner::disk::op::DiskRef {
    let row = disk_rows().into_iter().find(|d| d.id == id).unwrap();
    crate::tui::list::rows::DiskRow::new(row).disk_ref()
}

#[test]
fn attach_of_a_disk_in_use_is_refused_at_once() {
    let mut app = on_disks(false);
    select(&mut app, "data-b");
    assert!(press(&mut app, 'a').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "attached to web-01");
    assert_says(&app, "detach it first");
}

#[test]
fn detach_on_disks_confirms_with_cancel_as_default() {
    let mut app = on_disks(false);
    select(&mut app, "data-b");
    assert!(press(&mut app, 'd').is_empty());
    let c = dialog_open::<Confirm>(&app);
    assert_eq!(c.title, "detach disk data-b from web-01?");
    assert!(
        press_code(&mut app, KeyCode::Enter).is_empty(),
        "Enter cancels"
    );
    assert_eq!(app.mode, Mode::Normal);
    press(&mut app, 'd');
    let fx = press(&mut app, 'y');
    assert_eq!(
        submitted(&fx)[0].0,
        Op::Disk(DiskOp::Detach {
            disk: app_disk("d-b"),
            from: ServerRef::new("id-1", "web-01"),
        })
    );
}

#[test]
fn a_system_disk_detaches_only_from_a_stopped_server() {
    let mut app = on_disks(false);
    select(&mut app, "sys-3");
    assert!(press(&mut app, 'd').is_empty());
    assert_eq!(app.mode, Mode::Normal, "refused before any dialog");
    let m = message(&app);
    assert!(m.contains("system disk: stop the server first"), "{m}");
    // web-02 is SHUTOFF: its system disk may go, and the confirmation says what it means
    select(&mut app, "sys-2");
    press(&mut app, 'd');
    let c = dialog_open::<Confirm>(&app);
    assert!(c.lines[1].contains("cannot start"), "{:?}", c.lines);
    // a disk attached to nothing has nothing to detach
    press(&mut app, 'n');
    select(&mut app, "data-a");
    assert_sends_nothing(&mut app, 'd', "not attached");
}

#[test]
fn expand_takes_digits_only_and_only_more() {
    let mut app = on_disks(false);
    select(&mut app, "data-b");
    press(&mut app, '+');
    let d = dialog_open::<DiskExpand>(&app);
    assert_eq!(d.input.text, "20");
    assert_problem(&d.problem, "only grows");
    // letters are not taken
    press(&mut app, 'x');
    assert_eq!(dialog_open::<DiskExpand>(&app).input.text, "20");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "nothing was sent");
    press_code(&mut app, KeyCode::Backspace);
    press_code(&mut app, KeyCode::Backspace);
    type_text(&mut app, "40");
    assert_eq!(dialog_open::<DiskExpand>(&app).problem, None);
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        submitted(&fx)[0].0,
        Op::Disk(DiskOp::Expand {
            disk: app_disk("d-b"),
            new_size_gb: 40,
        })
    );
}

#[test]
fn rename_is_prefilled_and_checked() {
    let mut app = on_disks(false);
    select(&mut app, "data-a");
    press(&mut app, 'e');
    let d = dialog_open::<DiskRename>(&app);
    assert_problem(&d.problem, "already named");
    type_text(&mut app, "-old");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        submitted(&fx)[0].0,
        Op::Disk(DiskOp::Rename {
            disk: app_disk("d-a"),
            name: "data-a-old".into(),
        })
    );
}

#[test]
fn delete_asks_for_the_name_or_the_count_and_refuses_an_attached_disk() {
    let mut app = on_disks(false);
    select(&mut app, "data-b");
    assert!(press(&mut app, 'D').is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "detach it first");
    select(&mut app, "data-a");
    press(&mut app, 'D');
    assert_eq!(dialog_open::<TypedDelete>(&app).expected, "data-a");
    type_text(&mut app, "data");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "is not the disk's name");
    type_text(&mut app, "-a");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(
        submitted(&fx)[0].0,
        Op::Disk(DiskOp::Delete {
            disk: app_disk("d-a")
        })
    );
    // two marked: their count, one task each
    select(&mut app, "data-a");
    press(&mut app, ' ');
    select(&mut app, "data-c");
    press(&mut app, ' ');
    press(&mut app, 'D');
    assert_eq!(dialog_open::<TypedDelete>(&app).expected, "2");
    type_text(&mut app, "2");
    let fx = press_code(&mut app, KeyCode::Enter);
    let ids: Vec<String> = submitted(&fx)
        .iter()
        .filter_map(|(op, _)| match op {
            Op::Disk(DiskOp::Delete { disk }) => Some(disk.id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["d-a", "d-c"]);
    assert_says(&app, "delete disk data-a");
    assert_says(&app, "delete disk data-c");
    assert_eq!(
        app.list(View::Disks).marked(),
        0,
        "the marks go with the submission"
    );
}

#[test]
fn servers_attach_and_detach_pick_a_disk() {
    let mut app = console(false);
    // web-01 selected; the disks were never read: they are read first
    let fx = press(&mut app, 'a');
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "press the key again");
    answer_disks(&mut app, &fx);
    assert!(press(&mut app, 'a').is_empty());
    let shown: Vec<String> = picker_labels(&app);
    assert_eq!(
        shown.len(),
        1,
        "only data-a is available in region-1a: {shown:?}"
    );
    let fx = press_code(&mut app, KeyCode::Enter);
    assert!(matches!(
        &submitted(&fx)[0].0,
        Op::Disk(DiskOp::Attach { disk, to, .. }) if disk.id == "d-a" && to.server.id == "id-1"
    ));
    assert!(press(&mut app, 'd').is_empty());
    let shown: Vec<String> = picker_labels(&app);
    assert_eq!(shown.len(), 1, "data-b is on web-01: {shown:?}");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert!(app.dialog::<Confirm>().is_some(), "a detach confirms");
    let fx = press(&mut app, 'y');
    assert!(matches!(
        &submitted(&fx)[0].0,
        Op::Disk(DiskOp::Detach { disk, from }) if disk.id == "d-b" && from.id == "id-1"
    ));
}

#[test]
fn read_only_disk_keys_send_nothing_and_say_why() {
    let mut app = on_disks(true);
    for c in ['c', 'a', 'd', '+', 'e', 'D'] {
        select(&mut app, "data-b");
        assert_refused(&mut app, &[c], "read-only: ");
    }
    press(&mut app, '1');
    assert_refused(&mut app, &['a', 'd'], "read-only");
}

#[test]
fn a_disk_task_s_end_reads_the_disks_and_its_server_again() {
    let mut app = on_disks(false);
    let op = Op::Disk(DiskOp::Detach {
        disk: app_disk("d-b"),
        from: ServerRef::new("id-1", "web-01"),
    });
    let mut task = task_of(op, Priority::Interactive);
    task.state = TaskState::Running;
    assert!(task_news(&mut app, EventKind::Started, &task).is_empty());
    task.state = TaskState::Succeeded;
    let fx = task_news(&mut app, EventKind::Succeeded, &task);
    let reads: Vec<What> = fetches(&fx).into_iter().map(|f| f.what).collect();
    assert_eq!(
        reads,
        [What::Disks, What::Servers(Scope::Ids(vec!["id-1".into()]))]
    );
}
