//! The terminal: raw mode and the alternate screen on entry, and back to normal on every way out
//! (normal exit, error, panic through a hook; signals end the loop, which restores) and while
//! the console is suspended (Ctrl-z, SIGTSTP) until it continues.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};

static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: std::sync::Once = std::sync::Once::new();

/// While it lives the terminal is in raw mode on the alternate screen; dropping it restores.
pub struct TerminalGuard(());

/// Enters raw mode and the alternate screen, with the cursor hidden; captures the mouse when
/// `mouse` (the terminal's own selection then needs Shift).
pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
    install_panic_hook();
    take(mouse)?;
    Ok(TerminalGuard(()))
}

/// Raw mode, the alternate screen, the cursor hidden, the mouse when asked; restored on error.
fn take(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    MOUSE.store(mouse, Ordering::SeqCst);
    let mut out = io::stdout();
    let entered = execute!(out, EnterAlternateScreen, Hide).and_then(|_| {
        if mouse {
            execute!(out, EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
        restore();
        return Err(e);
    }
    Ok(())
}

/// Suspends the process as SIGTSTP would: gives the terminal back (main screen, cursor, cooked
/// mode), stops, and once continued (`fg`, SIGCONT) takes the terminal again. The caller
/// redraws the whole screen after.
#[cfg(unix)]
pub fn suspend() -> io::Result<()> {
    let mouse = MOUSE.load(Ordering::SeqCst);
    let was_active = ACTIVE.load(Ordering::SeqCst);
    restore();
    // SIGSTOP cannot be caught: the process stops here until a SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    if was_active { take(mouse) } else { Ok(()) }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Back to the main screen, cursor shown, cooked mode. Safe to call more than once.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        // A frame cut short may have left the terminal inside a synchronized update.
        let _ = queue!(out, crossterm::terminal::EndSynchronizedUpdate);
        if MOUSE.swap(false, Ordering::SeqCst) {
            let _ = queue!(out, DisableMouseCapture);
        }
        let _ = execute!(out, LeaveAlternateScreen, Show);
        let _ = out.flush();
        let _ = disable_raw_mode();
    }
}

/// A panic restores the terminal before the message is printed (so that it can be read), then
/// ends the process: a console whose state is broken must not go on drawing.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_active = ACTIVE.load(Ordering::SeqCst);
            restore();
            previous(info);
            if was_active {
                std::process::exit(101);
            }
        }));
    });
}
