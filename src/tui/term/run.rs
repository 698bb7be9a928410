//! The event loop: one channel in (keys, resizes, answers, timers, signals), drained before each
//! frame; a key draws at once, background news at most 30 times a second; each frame is one
//! synchronized update written at once; nothing is written while nothing changes.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Local;
use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::queue;
use crossterm::terminal::{BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::read::source::DataSource;
use crate::runner::{Op, Runner, Submission};
use crate::tui::app::{AppState, Effect, LaterMsg, Level, Msg, Signal};
use crate::tui::jobs::answer::AskError;
use crate::tui::keymap::Key;
use crate::tui::list::registry::Slot;
use crate::tui::term::terminal;
use crate::tui::theme::{Look, Styles};
use crate::tui::views;

/// The shortest time between two frames drawn for background news (30 per second).
pub const FRAME_INTERVAL: Duration = Duration::from_millis(33);

/// The longest run of work slices before the loop looks at its channel again.
const WORK_SLICE_TIME: Duration = Duration::from_millis(4);

/// What the loop needs besides the state.
pub struct Console {
    pub app: AppState,
    pub styles: Styles,
    pub look: Look,
    pub source: Arc<dyn DataSource>,
    /// `None`: no automatic refresh (only `Ctrl-r`).
    pub refresh: Option<Duration>,
    /// Where operations go; `None`: the console only reads.
    pub runner: Option<Runner>,
    /// Capture the mouse (`[ui] mouse`): clicks select rows, the wheel scrolls.
    pub mouse: bool,
    /// `[ui] open_command`: the program a remote login URL is handed to (empty: none).
    pub opener: Vec<String>,
}

/// How a console ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    Quit,
    /// `:profile NAME`: open the console again on that profile.
    SwitchProfile(String),
    /// A signal ended it (its number: the process exits with 128 + it).
    Signal(i32),
}

/// Runs the console until it quits; the terminal is restored however this ends.
pub async fn run(console: Console) -> io::Result<Ended> {
    // Handlers go in before the terminal is taken: a signal right after the first frame must
    // still restore it.
    let signals = Signals::install();
    let guard = terminal::enter(console.mouse)?;
    let result = event_loop(console, signals).await;
    drop(guard);
    result
}

async fn event_loop(mut c: Console, signals: Signals) -> io::Result<Ended> {
    let (tx, mut rx) = unbounded_channel();
    let (w, h) = crossterm::terminal::size()?;
    c.app.update(Msg::Resize(w, h));
    let mut fx = Effects {
        source: c.source.clone(),
        runner: c.runner.clone(),
        tx: tx.clone(),
        inflight: HashMap::new(),
        switch: None,
    };
    let mut tasks = vec![
        tokio::spawn(read_input(tx.clone())),
        tokio::spawn(signals.watch(tx.clone())),
    ];
    if let Some(runner) = &c.runner {
        tasks.push(tokio::spawn(forward_tasks(runner.subscribe(), tx.clone())));
        // Follow again what an earlier console left open; subscribed first, so it shows.
        let runner = runner.clone();
        tokio::spawn(async move {
            if let Err(e) = runner.reattach(None).await {
                tracing::warn!("reattaching open tasks: {e}");
            }
        });
    }
    let ticker = c.refresh.map(|every| tokio::spawn(tick(tx.clone(), every)));
    drop(tx);
    let frame = FrameWriter::default();
    let mut out = Terminal::new(CrosstermBackend::new(frame.clone()))?;
    let start = c.app.start();
    fx.apply(start, &mut c);
    draw(&mut out, &frame, &c.app, &c.styles)?;
    let mut last_draw = Instant::now();
    let mut pending = false;
    let mut ended_by = None;
    #[cfg(debug_assertions)]
    let panic_key = test_panic_key();
    while !c.app.quit {
        // While a filtered view is on its way, its slices run whenever no message waits; news
        // and keys go first, and a slice is a few milliseconds at most.
        if c.app.has_work() && rx.is_empty() {
            let slices = Instant::now();
            while c.app.has_work() && rx.is_empty() && slices.elapsed() < WORK_SLICE_TIME {
                c.app.update(Msg::Work);
                pending |= c.app.dirty;
            }
            let done = !c.app.has_work();
            if pending && (done || last_draw.elapsed() >= FRAME_INTERVAL) {
                draw(&mut out, &frame, &c.app, &c.styles)?;
                last_draw = Instant::now();
                pending = false;
            }
            // Let the input and the fetches in.
            tokio::task::yield_now().await;
            continue;
        }
        let first = if pending {
            tokio::select! {
                m = rx.recv() => m,
                _ = tokio::time::sleep_until(last_draw + FRAME_INTERVAL) => None,
            }
        } else {
            match rx.recv().await {
                Some(m) => Some(m),
                None => break,
            }
        };
        let mut key_seen = false;
        let mut next = first;
        while let Some(msg) = next {
            key_seen |= matches!(msg, Msg::Key(_));
            if let Msg::Signal(s) = msg {
                match s {
                    Signal::End(n) => ended_by = Some(n),
                    #[cfg(unix)]
                    Signal::Suspend => terminal::suspend()?,
                    #[cfg(not(unix))]
                    Signal::Suspend => {}
                    Signal::Continued => {}
                }
                if matches!(s, Signal::Suspend | Signal::Continued) {
                    // Whatever the terminal showed meanwhile: draw all of it again, now
                    // (a new Terminal forgets the last frame; `clear` would ask the terminal
                    // where its cursor is, and wait for the answer).
                    out = Terminal::new(CrosstermBackend::new(frame.clone()))?;
                    queue!(out.backend_mut(), Clear(ClearType::All))?;
                    // The window may have changed size meanwhile.
                    if let Ok((w, h)) = crossterm::terminal::size() {
                        c.app.update(Msg::Resize(w, h));
                    }
                    key_seen = true;
                }
            }
            #[cfg(debug_assertions)]
            if let Msg::Key(k) = &msg
                && panic_key == Some(*k)
            {
                panic!("test panic requested by HVECS_TEST_PANIC_KEY");
            }
            c.app.clock = Local::now();
            let effects = c.app.update(msg);
            pending |= c.app.dirty;
            fx.apply(effects, &mut c);
            next = rx.try_recv().ok();
        }
        if pending && (key_seen || last_draw.elapsed() >= FRAME_INTERVAL) && !c.app.quit {
            draw(&mut out, &frame, &c.app, &c.styles)?;
            last_draw = Instant::now();
            pending = false;
        }
    }
    for t in tasks.iter().chain(ticker.iter()) {
        t.abort();
    }
    fx.abort_all();
    Ok(match (ended_by, fx.switch) {
        (Some(n), _) => Ended::Signal(n),
        (None, Some(p)) => Ended::SwitchProfile(p),
        (None, None) => Ended::Quit,
    })
}

/// Draws one frame as one synchronized update, written to the terminal in one piece.
fn draw(
    term: &mut Terminal<CrosstermBackend<FrameWriter>>,
    frame: &FrameWriter,
    app: &AppState,
    styles: &Styles,
) -> io::Result<()> {
    queue!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(|f| {
        let area = f.area();
        if let Some(p) = views::draw(app, styles, area, f.buffer_mut()) {
            f.set_cursor_position(p);
        }
    })?;
    queue!(term.backend_mut(), EndSynchronizedUpdate)?;
    frame.commit(&mut io::stdout().lock())
}

/// Keeps a frame in memory until `commit`, so that it reaches the terminal in one write.
/// (ratatui owns the writer it draws through; the frame is shared with the loop that commits it.)
#[derive(Clone, Default)]
pub struct FrameWriter {
    buf: Arc<Mutex<Vec<u8>>>,
}

impl FrameWriter {
    /// Writes the frame to `out` in one piece and empties the buffer.
    pub fn commit(&self, out: &mut impl Write) -> io::Result<()> {
        let mut buf = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        out.write_all(&buf)?;
        buf.clear();
        out.flush()
    }
}

impl Write for FrameWriter {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }

    /// ratatui flushes inside a frame; the frame is written by `commit` instead.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs effects: fetches are spawned (a newer fetch of the same slot in the same region aborts
/// the older one: under `:region all` each region's servers are read at once), timers send their
/// message later.
struct Effects {
    source: Arc<dyn DataSource>,
    runner: Option<Runner>,
    tx: UnboundedSender<Msg>,
    inflight: HashMap<(String, Slot), JoinHandle<()>>,
    /// The profile `:profile` asked for.
    switch: Option<String>,
}

impl Effects {
    fn apply(&mut self, effects: Vec<Effect>, c: &mut Console) {
        for e in effects {
            match e {
                Effect::Fetch(req) => {
                    let slot = (
                        req.region.clone(),
                        crate::tui::list::registry::slot(&req.what),
                    );
                    if let Some(old) = self.inflight.remove(&slot) {
                        old.abort();
                    }
                    let seq = req.seq;
                    // A long list's pages come as they arrive, each with the read's number.
                    let pages = self.tx.clone();
                    let fut = self.source.fetch_paged(
                        req.region,
                        req.what,
                        Box::new(move |page| {
                            let _ = pages.send(Msg::Loaded {
                                seq,
                                result: Ok(page),
                                at: Local::now(),
                            });
                        }),
                    );
                    let tx = self.tx.clone();
                    let task = tokio::spawn(async move {
                        let result = fut.await;
                        let _ = tx.send(Msg::Loaded {
                            seq,
                            result,
                            at: Local::now(),
                        });
                    });
                    self.inflight.insert(slot, task);
                    self.inflight.retain(|_, t| !t.is_finished());
                }
                Effect::ResetCredentials => self.source.reset_credentials(),
                Effect::Later { after, msg } => {
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(after).await;
                        let _ = tx.send(match msg {
                            LaterMsg::Retry(slot) => Msg::Retry(slot),
                        });
                    });
                }
                Effect::SetTheme(name) => match c.look.styles(&name) {
                    Ok(s) => c.styles = s,
                    Err(e) => c.app.tell(Level::Error, e.to_string()),
                },
                Effect::Submit { region, op, known } => self.submit(region, *op, known),
                Effect::SetReadOnly { on, via } => {
                    if let Some(r) = &self.runner
                        && let Err(e) = r.set_read_only(on, via)
                    {
                        c.app.tell(Level::Error, format!("the audit log: {e}"));
                    }
                }
                Effect::LoadTasks => {
                    crate::tui::term::run_jobs::load_tasks(self.runner.clone(), &self.tx)
                }
                Effect::CancelTask(id) => {
                    crate::tui::term::run_jobs::cancel(self.runner.clone(), id, &self.tx)
                }
                Effect::RetryFailed { id, known } => crate::tui::term::run_jobs::retry_failed(
                    self.runner.clone(),
                    id,
                    known,
                    &self.tx,
                ),
                Effect::CopyToClipboard(text) => {
                    let mut out = io::stdout().lock();
                    let _ = out
                        .write_all(crate::tui::term::clipboard::osc52(&text).as_bytes())
                        .and_then(|_| out.flush());
                }
                Effect::CopySecret(secret) => {
                    let mut out = io::stdout().lock();
                    let _ = out
                        .write_all(crate::tui::term::clipboard::osc52(secret.expose()).as_bytes())
                        .and_then(|_| out.flush());
                }
                Effect::OpenUrl(url) => {
                    let (level, said) = crate::tui::term::opener::open(&c.opener, &url);
                    c.app.tell(level, said);
                }
                Effect::SwitchProfile(p) => self.switch = Some(p),
                Effect::Quit => {}
            }
        }
    }

    /// Hands an op to the runner, in its region; its answer (queued, or why nothing was sent)
    /// comes back.
    fn submit(&self, region: String, op: Op, known: crate::runner::Known) {
        let tx = self.tx.clone();
        let Some(runner) = self.runner.clone() else {
            let _ = tx.send(Msg::Submitted(Err(AskError::NoRunner)));
            return;
        };
        tokio::spawn(async move {
            let answer = runner
                .submit(Submission::new(region, op, known))
                .await
                .map(|s| s.task)
                .map_err(AskError::from);
            let _ = tx.send(Msg::Submitted(answer));
        });
    }

    fn abort_all(&mut self) {
        for (_, t) in self.inflight.drain() {
            t.abort();
        }
    }
}

/// The runner's task events, into the UI's channel.
async fn forward_tasks(
    mut events: tokio::sync::mpsc::UnboundedReceiver<crate::runner::TaskEvent>,
    tx: UnboundedSender<Msg>,
) {
    while let Some(ev) = events.recv().await {
        if tx.send(Msg::Task(ev)).is_err() {
            return;
        }
    }
}

/// Terminal events: key presses (not releases or repeats) and resizes. Ctrl-z suspends, as it
/// would outside raw mode (where the terminal turns it into SIGTSTP).
async fn read_input(tx: UnboundedSender<Msg>) {
    let mut events = EventStream::new();
    while let Some(ev) = events.next().await {
        let msg = match ev {
            Ok(Event::Key(k))
                if k.kind == KeyEventKind::Press
                    && k.code == KeyCode::Char('z')
                    && k.modifiers == KeyModifiers::CONTROL =>
            {
                Msg::Signal(Signal::Suspend)
            }
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(Key::from_event(&k)),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(Event::Mouse(m)) => match crate::tui::mouse::Mouse::from_event(&m) {
                Some(m) => Msg::Mouse(m),
                None => continue,
            },
            Ok(_) => continue,
            Err(_) => Msg::Quit,
        };
        let quit = matches!(msg, Msg::Quit);
        if tx.send(msg).is_err() || quit {
            return;
        }
    }
    let _ = tx.send(Msg::Quit);
}

/// SIGTERM, SIGHUP (the SSH session dropped), SIGINT and SIGQUIT end the console cleanly;
/// SIGTSTP suspends it and SIGCONT redraws it.
struct Signals {
    #[cfg(unix)]
    handlers: Vec<(tokio::signal::unix::Signal, Signal)>,
}

impl Signals {
    fn install() -> Self {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
            use tokio::signal::unix::{SignalKind, signal};
            let asks = [
                (SIGTERM, Signal::End(SIGTERM)),
                (SIGHUP, Signal::End(SIGHUP)),
                (SIGINT, Signal::End(SIGINT)),
                (SIGQUIT, Signal::End(SIGQUIT)),
                (SIGTSTP, Signal::Suspend),
                (SIGCONT, Signal::Continued),
            ];
            Signals {
                handlers: asks
                    .into_iter()
                    .filter_map(|(n, ask)| Some((signal(SignalKind::from_raw(n)).ok()?, ask)))
                    .collect(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn watch(self, tx: UnboundedSender<Msg>) {
        #[cfg(unix)]
        {
            let mut handlers = self.handlers;
            while !handlers.is_empty() {
                let waits = handlers.iter_mut().map(|(s, ask)| {
                    let ask = *ask;
                    Box::pin(async move { s.recv().await.map(|_| ask) })
                });
                let (got, _, _) = futures::future::select_all(waits).await;
                let Some(ask) = got else { return };
                if tx.send(Msg::Signal(ask)).is_err() || matches!(ask, Signal::End(_)) {
                    return;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            let _ = tx.send(Msg::Signal(Signal::End(2)));
        }
    }
}

async fn tick(tx: UnboundedSender<Msg>, every: Duration) {
    let mut interval = tokio::time::interval_at(Instant::now() + every, every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if tx.send(Msg::Tick).is_err() {
            return;
        }
    }
}

/// A key that makes the console panic, for the end-to-end test of the panic path (debug builds
/// only; release builds ignore the variable).
#[cfg(debug_assertions)]
fn test_panic_key() -> Option<Key> {
    std::env::var("HVECS_TEST_PANIC_KEY")
        .ok()
        .and_then(|k| Key::parse(&k).ok())
}
