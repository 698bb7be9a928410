//! The real `hvecs` binary in a pseudo-terminal of a set size, its screen read with `vt100`.
//! A shell runs it, then prints its exit code and `stty -a`, so that a test can see what a
//! person would see after it ends: the main screen, the cursor, cooked mode.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    pub dir: tempfile::TempDir,
}

impl Pty {
    /// Starts `hvecs ARGS` under `sh` in a `cols`x`rows` terminal, with its config and state in
    /// a fresh folder and `env` added.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let dir = tempfile::tempdir().unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(
            r#""$HVECS_BIN" "$@" </dev/tty & pid=$!; echo "hvecs-pid=$pid"; wait $pid; echo "hvecs-exit=$?"; stty -a; sleep 30"#,
        );
        cmd.arg("sh");
        for a in args {
            cmd.arg(a);
        }
        cmd.env_clear();
        cmd.env("HVECS_BIN", env!("CARGO_BIN_EXE_hvecs"));
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.env("HOME", dir.path());
        cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
        cmd.env("XDG_STATE_HOME", dir.path().join("state"));
        cmd.env("XDG_DATA_HOME", dir.path().join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(dir.path());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Pty {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            dir,
        }
    }

    /// Types keys as a person would: one write per key, a short pause between.
    pub fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let mut b = [0u8; 4];
            self.writer
                .write_all(c.encode_utf8(&mut b).as_bytes())
                .unwrap();
            self.writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Sends raw bytes (escape sequences such as Enter `\r` or Esc `\x1b`).
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits until the screen satisfies `pred` (a generous limit: machines here are shared).
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}; the screen:\n{s}\n--- raw tail:\n{}",
                    tail(&self.raw())
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// The pid of `hvecs` (not of the shell).
    pub fn hvecs_pid(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let raw = self.raw();
            if let Some(rest) = raw.split("hvecs-pid=").nth(1) {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if !digits.is_empty() && rest.len() > digits.len() {
                    return digits.parse().unwrap();
                }
            }
            assert!(Instant::now() < deadline, "no pid printed: {raw}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends a signal to `hvecs`.
    pub fn signal(&self, sig: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.hvecs_pid().to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -{sig} failed");
    }

    /// Waits for `hvecs` to end; returns its exit code as the shell saw it, and what the shell
    /// printed after it (`stty -a`), read from the output (a small screen scrolls it away).
    pub fn wait_exit(&self) -> (i32, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let raw = self.raw();
            if let Some(after) = raw
                .rsplit("hvecs-exit=")
                .next()
                .filter(|_| raw.contains("hvecs-exit="))
                && after.contains("icanon")
                && after.contains("echoke")
            {
                let code = after
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap();
                return (code, after.to_owned());
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for hvecs to exit; the screen:\n{}\n--- raw tail:\n{}",
                    self.screen(),
                    tail(&raw)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// After `hvecs` ended: main screen, cursor shown, cooked mode (canonical input, echo).
    pub fn assert_terminal_restored(&self) -> i32 {
        let (code, stty) = self.wait_exit();
        let screen = self.screen();
        assert!(
            !self.alternate_screen(),
            "still on the alternate screen:\n{screen}"
        );
        assert!(
            !self.cursor_hidden(),
            "the cursor is still hidden:\n{screen}"
        );
        let words: Vec<&str> = stty.split_whitespace().collect();
        assert!(
            words.contains(&"icanon"),
            "not in canonical (cooked) mode:\n{stty}"
        );
        assert!(words.contains(&"echo"), "echo is off:\n{stty}");
        let raw = self.raw();
        let synced_begin = raw.matches("\x1b[?2026h").count();
        let synced_end = raw.matches("\x1b[?2026l").count();
        assert!(
            synced_end >= synced_begin,
            "a frame was left open: {synced_begin} begun, {synced_end} ended"
        );
        code
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.master.resize(PtySize::default());
    }
}

fn tail(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let start = chars.len().saturating_sub(2000);
    chars[start..]
        .iter()
        .collect::<String>()
        .escape_debug()
        .to_string()
}
