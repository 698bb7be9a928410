//! What only a real terminal shows (docs/performance.md, "Console"): the real `hvecs` in a
//! pseudo-terminal of 200x50. Measures `hvecs demo` start to first frame, key-to-screen latency
//! (from the key's write to the end of the synchronized update) and bytes per `j` with 100k
//! servers from a separate `hvecs sim`, bytes written in 10 s of idle, and the console's RSS.
//!
//! `cargo bench --bench console_pty` (set `HVECS_BENCH_SERVERS` to change the simulator's size;
//! its three regions share them, so 300000 puts 100k in the region the console shows).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const END: &[u8] = b"\x1b[?2026l";
const COLS: u16 = 200;
const ROWS: u16 = 50;

/// The output of a console in a pty, with the time each piece arrived.
struct Screen {
    rx: Receiver<(Instant, Vec<u8>)>,
    buf: Vec<u8>,
    scanned: usize,
    frames: usize,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Screen {
    fn spawn(args: &[&str], env: &[(&str, String)]) -> (Screen, Instant) {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hvecs"));
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let start = Instant::now();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut b = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut b) {
                if n == 0 || tx.send((Instant::now(), b[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        let writer = pair.master.take_writer().unwrap();
        (
            Screen {
                rx,
                buf: Vec::new(),
                scanned: 0,
                frames: 0,
                writer,
                child,
                _master: pair.master,
            },
            start,
        )
    }

    /// Reads until `n` more frames have ended; returns when the last one ended.
    fn frames(&mut self, n: usize, limit: Duration) -> Option<Instant> {
        let want = self.frames + n;
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (at, bytes) = self.rx.recv_timeout(left).ok()?;
            self.buf.extend_from_slice(&bytes);
            while let Some(i) = find(&self.buf[self.scanned..], END) {
                self.scanned += i + END.len();
                self.frames += 1;
            }
            if self.frames >= want {
                return Some(at);
            }
        }
    }

    /// Reads until the screen (the whole output through a vt100 parser) satisfies `pred`;
    /// returns when the output that made it so arrived.
    fn until_screen(&mut self, pred: impl Fn(&str) -> bool, limit: Duration) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        let mut vt = vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0);
        vt.process(&self.buf);
        loop {
            if pred(&vt.screen().contents()) {
                return Some(Instant::now());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            let (_, bytes) = self.rx.recv_timeout(left).ok()?;
            vt.process(&bytes);
            self.buf.extend_from_slice(&bytes);
            while let Some(i) = find(&self.buf[self.scanned..], END) {
                self.scanned += i + END.len();
                self.frames += 1;
            }
        }
    }

    /// Reads until the output holds `text`; returns when it arrived.
    fn until(&mut self, text: &str, limit: Duration) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        let from = self.buf.len();
        loop {
            if find(
                &self.buf[from.saturating_sub(text.len())..],
                text.as_bytes(),
            )
            .is_some()
            {
                return Some(Instant::now());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            let (_, bytes) = self.rx.recv_timeout(left).ok()?;
            self.buf.extend_from_slice(&bytes);
            while let Some(i) = find(&self.buf[self.scanned..], END) {
                self.scanned += i + END.len();
                self.frames += 1;
            }
        }
    }

    /// Bytes that arrive within `d`.
    fn drain_for(&mut self, d: Duration) -> usize {
        let before = self.buf.len();
        let end = Instant::now() + d;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if let Ok((_, b)) = self.rx.recv_timeout(left) {
                self.buf.extend_from_slice(&b);
            }
        }
        self.scanned = self.buf.len();
        self.buf.len() - before
    }

    fn key(&mut self, k: &[u8]) -> Instant {
        let t = Instant::now();
        self.writer.write_all(k).unwrap();
        self.writer.flush().unwrap();
        t
    }

    fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or(0)
    }

    fn quit(mut self) {
        self.key(b"q");
        let _ = self.child.wait();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A config and state folder of its own, with automatic refresh off.
fn home() -> (tempfile::TempDir, Vec<(&'static str, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config/hvecs");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "[ui]\nrefresh_seconds = 0\n").unwrap();
    let env = vec![
        ("HOME", dir.path().display().to_string()),
        (
            "XDG_CONFIG_HOME",
            dir.path().join("config").display().to_string(),
        ),
        (
            "XDG_STATE_HOME",
            dir.path().join("state").display().to_string(),
        ),
    ];
    (dir, env)
}

fn demo_start() {
    let mut first = Vec::new();
    let mut rows = Vec::new();
    for _ in 0..7 {
        let (_dir, env) = home();
        let (mut s, start) = Screen::spawn(&["demo"], &env);
        let f = s
            .frames(1, Duration::from_secs(30))
            .expect("no first frame");
        let r = s
            .until("ecs-", Duration::from_secs(30))
            .expect("no servers");
        first.push(ms(f - start));
        rows.push(ms(r - start));
        s.quit();
    }
    first.sort_by(f64::total_cmp);
    rows.sort_by(f64::total_cmp);
    println!(
        "demo start (300 servers): first frame median {:.1} ms (min {:.1}, max {:.1}); first frame with servers median {:.1} ms",
        pct(&first, 0.5),
        first[0],
        first[first.len() - 1],
        pct(&rows, 0.5)
    );
}

/// `hvecs sim --servers N` as a separate process with the bench's keys, and the environment
/// (a fresh home) that points `hvecs` at its first region.
fn start_sim(
    servers: usize,
) -> (
    std::process::Child,
    tempfile::TempDir,
    Vec<(&'static str, String)>,
) {
    let mut sim = Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args(["sim", "--listen", "127.0.0.1:0", "--servers"])
        .arg(servers.to_string())
        .args(["--ak", "AKBENCHCONSOLE", "--sk", "bench-secret-key"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(sim.stdout.take().unwrap()).lines();
    let (mut url, mut project) = (String::new(), String::new());
    for l in lines.by_ref() {
        let l = l.unwrap();
        if let Some(u) = l.strip_prefix("listening on ") {
            url = u.to_owned();
        }
        if let Some(p) = l.strip_prefix("region: cn-north-1 project_id: ") {
            project = p.to_owned();
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let (dir, mut env) = home();
    env.extend([
        ("HVECS_ENDPOINT", url),
        ("HVECS_REGION", "cn-north-1".to_owned()),
        ("HVECS_AK", "AKBENCHCONSOLE".to_owned()),
        ("HVECS_SK", "bench-secret-key".to_owned()),
        ("HVECS_PROJECT_ID", project),
    ]);
    (sim, dir, env)
}

fn with_sim(servers: usize) {
    let (mut sim, _dir, env) = start_sim(servers);
    let (mut s, start) = Screen::spawn(&[], &env);
    let Some(loaded) = s.until("ecs-", Duration::from_secs(300)) else {
        let tail = String::from_utf8_lossy(&s.buf[s.buf.len().saturating_sub(3000)..]).into_owned();
        panic!("the list never loaded; the output ends with: {tail:?}");
    };
    // The first page is on screen at once; the title shows the count alone once the read is
    // whole (`3,000 of 100,000…` until then).
    let count = format!(" {} ", servers.div_ceil(3));
    let whole = s
        .until_screen(
            |screen| {
                let title = screen.lines().find(|l| l.contains("Servers ·"));
                title.is_some_and(|t| t.contains(&count) && !t.contains('…'))
            },
            Duration::from_secs(600),
        )
        .expect("the list never became whole");
    s.drain_for(Duration::from_millis(500));
    println!(
        "{} servers in the simulator ({} in the region shown): first rows {:.0} ms after start, \
         the whole list {:.0} ms after start",
        servers,
        servers.div_ceil(3),
        ms(loaded - start),
        ms(whole - start)
    );
    // key to screen, and bytes per key
    let mut lat = Vec::new();
    let mut bytes = Vec::new();
    for i in 0..300 {
        let before = s.buf.len();
        let t = s.key(if i % 2 == 0 { b"j" } else { b"k" });
        let done = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after a key");
        lat.push(ms(done - t));
        bytes.push((s.buf.len() - before) as f64);
        std::thread::sleep(Duration::from_millis(20));
    }
    lat.sort_by(f64::total_cmp);
    bytes.sort_by(f64::total_cmp);
    println!(
        "key to screen (j/k, 300 keys): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1]
    );
    println!(
        "bytes per j/k at {COLS}x{ROWS}: median {:.0}, max {:.0}",
        pct(&bytes, 0.5),
        bytes[bytes.len() - 1]
    );
    // a filter keystroke through the terminal
    let mut flat = Vec::new();
    for k in [
        b"/".as_slice(),
        b"w",
        b"e",
        b"b",
        b"\x7f",
        b"\x7f",
        b"\x7f",
        b"\x1b",
    ] {
        let t = s.key(k);
        let done = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after a filter key");
        flat.push(ms(done - t));
        // what follows the key's frame (a view completed between keys) is not the next key's
        s.drain_for(Duration::from_millis(50));
    }
    println!(
        "filter keys (/ w e b bs bs bs esc) to screen: {:?} ms",
        flat.iter()
            .map(|x| (x * 100.0).round() / 100.0)
            .collect::<Vec<_>>()
    );
    // first keys: 16 letters, each a new filter over every row (`/`, the letter, Esc)
    let mut first = Vec::new();
    for letter in b"wdcabfpsertonlmg" {
        s.key(b"/");
        s.frames(1, Duration::from_secs(10))
            .expect("no frame after /");
        s.drain_for(Duration::from_millis(30));
        let t = s.key(&[*letter]);
        let done = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after a first key");
        first.push(ms(done - t));
        s.drain_for(Duration::from_millis(30));
        s.key(b"\x1b");
        s.frames(1, Duration::from_secs(10))
            .expect("no frame after Esc");
        s.drain_for(Duration::from_millis(30));
    }
    first.sort_by(f64::total_cmp);
    println!(
        "first filter key to screen (16 letters): p50 {:.2} ms, max {:.2} ms",
        pct(&first, 0.5),
        first[first.len() - 1]
    );
    // a regex with no literal, typed key by key: `~\d{20}` matches no row, so its view (every
    // row checked) is the slowest to complete; each key's first frame comes after one slice
    const NONE: &str = "nothing matches the filter";
    let mut rlat = Vec::new();
    let (mut last, mut first_frame) = (s.key(b"/"), Instant::now());
    s.frames(1, Duration::from_secs(10))
        .expect("no frame after /");
    for k in [b"~", b"\\", b"d", b"{", b"2", b"0", b"}"] {
        s.drain_for(Duration::from_millis(50));
        last = s.key(k);
        first_frame = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after a filter key");
        rlat.push(ms(first_frame - last));
    }
    // the screen as a terminal shows it (a frame writes only the cells that change)
    let mut vt = vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0);
    vt.process(&s.buf);
    let mut complete = first_frame;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !vt.screen().contents().contains(NONE) {
        let left = deadline
            .checked_duration_since(Instant::now())
            .expect("the regex filter never completed");
        let (at, bytes) =
            s.rx.recv_timeout(left)
                .expect("no output after the last key");
        vt.process(&bytes);
        s.buf.extend_from_slice(&bytes);
        complete = at;
    }
    s.scanned = s.buf.len();
    println!(
        "regex filter keys (~ \\ d {{ 2 0 }}) to screen: {:?} ms; the last key's view complete after {:.2} ms",
        rlat.iter()
            .map(|x| (x * 100.0).round() / 100.0)
            .collect::<Vec<_>>(),
        ms(complete - last)
    );
    s.key(b"\x1b");
    s.drain_for(Duration::from_millis(300));
    // `o` sorts by the next column (the whole list, every press), `O` reverses the sort
    let mut sorts = Vec::new();
    for _ in 0..24 {
        let t = s.key(b"o");
        let done = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after o");
        sorts.push(ms(done - t));
        s.drain_for(Duration::from_millis(100));
    }
    println!(
        "o, key by key (each the next column): {:?} ms",
        sorts
            .iter()
            .map(|x| (x * 100.0).round() / 100.0)
            .collect::<Vec<_>>()
    );
    let mut reverse = Vec::new();
    for _ in 0..10 {
        let t = s.key(b"O");
        let done = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after O");
        reverse.push(ms(done - t));
        s.drain_for(Duration::from_millis(50));
    }
    sorts.sort_by(f64::total_cmp);
    reverse.sort_by(f64::total_cmp);
    println!(
        "o (sort by the next column, 24 keys) to screen: p50 {:.2} ms, max {:.2} ms; \
         O (reverse, 10 keys): p50 {:.2} ms, max {:.2} ms",
        pct(&sorts, 0.5),
        sorts[sorts.len() - 1],
        pct(&reverse, 0.5),
        reverse[reverse.len() - 1]
    );
    println!(
        "RSS of hvecs holding the list: {} MB",
        rss_kb(s.pid()) / 1024
    );
    let idle = s.drain_for(Duration::from_secs(10));
    println!("bytes written in 10 s idle (refresh off): {idle}");
    s.quit();
    let _ = sim.kill();
    let _ = sim.wait();
}

/// The background of the default theme's selection (`themes/default.toml`).
const SELECTION_BG: u8 = 25;

/// The screen row (0-based) of the selected row of the main table: the one drawn with the
/// selection's background, read from the first cells of the NAME column.
fn selected_row(p: &vt100::Parser) -> Option<u16> {
    let screen = p.screen();
    (2..ROWS - 4).find(|&y| {
        screen
            .cell(y, 24)
            .is_some_and(|c| c.bgcolor() == vt100::Color::Idx(SELECTION_BG))
    })
}

/// Key-to-screen while a soft stop of 1000 servers runs (issue 7): the servers the simulator
/// (speed 1: a soft stop takes 5 to 60 s) shows ACTIVE in the first region are marked with `*`
/// and stopped with `x`, `y` (4140 servers with the default seed put exactly 1000 ACTIVE there:
/// `HVECS_BENCH_STOP_SERVERS` changes it); 8 s later, while the task's progress streams in,
/// `j`/`k` are typed 20 ms apart. A key's time is from its write to the arrival of the output in which the
/// selection has moved (read through a vt100 parser: background frames do not count).
fn during_bulk_stop(servers: usize) {
    let (mut sim, _dir, env) = start_sim(servers);
    let (mut s, _) = Screen::spawn(&[], &env);
    s.until("ecs-", Duration::from_secs(120))
        .expect("the list never loaded");
    s.drain_for(Duration::from_millis(500));
    for k in [b"/".as_slice(), b"status:active", b"\r", b"*"] {
        s.key(k);
        s.drain_for(Duration::from_millis(300));
    }
    let text = String::from_utf8_lossy(&s.buf).into_owned();
    let before = text.rsplit(" marked").nth(1).expect("no marks shown");
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let marked: usize = before[before.len() - digits..]
        .parse()
        .expect("no count of marks");
    s.key(b"x");
    s.until("confirm", Duration::from_secs(10))
        .expect("no confirmation");
    s.key(b"y");
    let running = format!("stop {marked} servers");
    s.until(&running, Duration::from_secs(30))
        .expect("the stop never showed in the job strip");
    // The first servers stop after 5 s: from then on progress streams in while keys are typed.
    s.drain_for(Duration::from_secs(8));
    let mut vt = vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0);
    vt.process(&s.buf);
    let mut row = selected_row(&vt).expect("no selected row");
    let mut lat = Vec::new();
    let mut background = 0usize;
    for i in 0..300 {
        let down = i % 2 == 0;
        let want = if down { row + 1 } else { row - 1 };
        let t = s.key(if down { b"j" } else { b"k" });
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline
                .checked_duration_since(Instant::now())
                .expect("the selection never moved");
            let (at, bytes) = s.rx.recv_timeout(left).expect("no output after a key");
            vt.process(&bytes);
            s.buf.extend_from_slice(&bytes);
            if selected_row(&vt) == Some(want) {
                lat.push(ms(at - t));
                break;
            }
            background += 1;
        }
        row = want;
        std::thread::sleep(Duration::from_millis(20));
    }
    let strip = vt
        .screen()
        .contents()
        .lines()
        .nth(usize::from(ROWS) - 3)
        .unwrap_or_default()
        .to_owned();
    let still = strip.contains(&format!("▶ {running}"));
    lat.sort_by(f64::total_cmp);
    println!(
        "key to screen (j/k, 300 keys) while {marked} servers are being stopped: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({background} background writes in between; the stop {} running at the end)",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1],
        if still { "was still" } else { "was no longer" }
    );
    println!("the job strip at the end: {}", strip.trim_end());
    s.quit();
    let _ = sim.kill();
    let _ = sim.wait();
}

/// `:region all` over the simulator's three regions (`HVECS_BENCH_SERVERS` / 3 servers each), on
/// a connection without a pinned project (each region's project looked up): from Enter to the
/// first rows of any region on screen and to every region's rows; key-to-screen once all are
/// listed; the console's RSS (now and its peak).
fn all_regions(servers: usize) {
    let (mut sim, _dir, mut env) = start_sim(servers);
    env.retain(|(k, _)| *k != "HVECS_PROJECT_ID");
    let (mut s, _) = Screen::spawn(&[], &env);
    s.until("ecs-", Duration::from_secs(300))
        .expect("the first region never loaded");
    s.drain_for(Duration::from_millis(500));
    let mut vt = vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0);
    vt.process(&s.buf);
    let regions = ["cn-north-1", "cn-east-2", "cn-south-1"];
    // a table row: a region's name in the REGION cell, then one of its AZs
    let rows_shown = |text: &str| {
        text.lines().any(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w.windows(2).any(|p| {
                regions.contains(&p[0]) && p[1].len() == p[0].len() + 1 && p[1].starts_with(p[0])
            })
        })
    };
    s.key(b":region all");
    s.drain_for(Duration::from_millis(200));
    vt.process(&s.buf);
    let enter = s.key(b"\r");
    let (mut first, mut every) = (None, None);
    // when each region's "loading" line went: its answer is merged and drawn
    let mut answered: Vec<(&str, f64)> = Vec::new();
    let mut loading: Vec<&str> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(600);
    while every.is_none() {
        let left = deadline
            .checked_duration_since(Instant::now())
            .expect("the regions never all loaded");
        let (at, bytes) = s.rx.recv_timeout(left).expect("no output");
        vt.process(&bytes);
        s.buf.extend_from_slice(&bytes);
        let text = vt.screen().contents();
        if !text.contains("all regions") {
            continue;
        }
        for r in regions {
            let line = format!("{r}: loading servers in");
            if text.contains(&line) {
                if !loading.contains(&r) {
                    loading.push(r);
                }
            } else if loading.contains(&r) && !answered.iter().any(|(x, _)| *x == r) {
                answered.push((r, ms(at - enter)));
            }
        }
        if first.is_none() && rows_shown(&text) {
            first = Some(at);
        }
        if answered.len() == regions.len() && !text.contains("refreshing") {
            every = Some(at);
        }
    }
    s.scanned = s.buf.len();
    let total = vt.screen().contents();
    let count = total
        .lines()
        .find(|l| l.contains("all regions"))
        .unwrap_or_default()
        .to_owned();
    println!(
        "{servers} servers, :region all: first rows {:.0} ms after Enter; every region {:.0} ms after Enter; each region's answer on screen at {answered:?} ms; title: {}",
        ms(first.unwrap_or(enter) - enter),
        ms(every.unwrap_or(enter) - enter),
        count.trim()
    );
    let mut lat = Vec::new();
    for i in 0..300 {
        let t = s.key(if i % 2 == 0 { b"j" } else { b"k" });
        let done = s
            .frames(1, Duration::from_secs(10))
            .expect("no frame after a key");
        lat.push(ms(done - t));
        std::thread::sleep(Duration::from_millis(20));
    }
    lat.sort_by(f64::total_cmp);
    println!(
        "key to screen under all (j/k, 300 keys): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1]
    );
    println!(
        "RSS of hvecs holding every region's servers: {} MB (peak {} MB)",
        rss_kb(s.pid()) / 1024,
        peak_kb(s.pid()) / 1024
    );
    s.quit();
    let _ = sim.kill();
    let _ = sim.wait();
}

/// The process's peak resident memory (`VmHWM`).
fn peak_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let bulk = std::env::var("HVECS_BENCH_STOP_SERVERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4140);
    if std::env::args().any(|a| a == "bulk-stop") {
        during_bulk_stop(bulk);
        return;
    }
    let servers = std::env::var("HVECS_BENCH_SERVERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300_000);
    if std::env::args().any(|a| a == "all-regions") {
        all_regions(servers);
        return;
    }
    demo_start();
    with_sim(servers);
    during_bulk_stop(bulk);
}
