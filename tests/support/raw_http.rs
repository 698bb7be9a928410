//! A tiny HTTP/1.1 server on 127.0.0.1 for client tests: each answer is chosen by a handler and
//! may be whole, cut short, or a dropped connection. Plain TCP or TLS (tokio-rustls).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub enum Reply {
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Declares `Content-Length` of the whole body but sends only the first `send` bytes.
    Truncated {
        status: u16,
        body: String,
        send: usize,
    },
    /// Reads the request, then closes without a word.
    Reset,
    /// A whole answer whose body is any bytes (not UTF-8, say).
    Bytes { status: u16, body: Vec<u8> },
    /// `reply`, sent once `gate` is open (`Gate::open`): an answer held back.
    Held { gate: Gate, reply: Box<Reply> },
}

/// A gate that held answers wait for (`Reply::Held`); cloned, each clone opens the same one.
#[derive(Clone)]
pub struct Gate(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for Gate {
    fn default() -> Self {
        Gate(Arc::new(tokio::sync::watch::channel(false).0))
    }
}

impl Gate {
    pub fn open(&self) {
        self.0.send_replace(true);
    }

    /// `reply`, held until the gate opens.
    pub fn hold(&self, reply: Reply) -> Reply {
        Reply::Held {
            gate: self.clone(),
            reply: Box::new(reply),
        }
    }

    async fn opened(&self) {
        let mut rx = self.0.subscribe();
        let _ = rx.wait_for(|&open| open).await;
    }
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: body.to_owned(),
        }
    }
    pub fn with_header(self, k: &str, v: &str) -> Reply {
        match self {
            Reply::Full {
                status,
                mut headers,
                body,
            } => {
                headers.push((k.to_owned(), v.to_owned()));
                Reply::Full {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

/// The lab project `0123…cdef` of `region-1`, as `GET /v3/auth/projects` lists it.
pub const LAB_PROJECTS: &str =
    r#"{"projects":[{"id":"0123456789abcdef0123456789abcdef","name":"region-1"}]}"#;

pub type Handler = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

pub struct Server {
    pub addr: std::net::SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn hits(&self, method: &str, path_prefix: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method && s.target.starts_with(path_prefix))
            .count()
    }
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}", self.addr)
    }
}

/// Starts a plain HTTP server; the handler gets the request and its index (0-based).
pub async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
    start_with(handler, None).await
}

pub async fn start_with(
    handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let handler: Handler = Arc::new(handler);
    let s2 = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let (seen, handler, tls) = (s2.clone(), handler.clone(), tls.clone());
            tokio::spawn(async move {
                match tls {
                    Some(acc) => {
                        if let Ok(s) = acc.accept(sock).await {
                            serve(s, seen, handler).await;
                        }
                    }
                    None => serve(sock, seen, handler).await,
                }
            });
        }
    });
    Server { addr, seen }
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    seen: Arc<Mutex<Vec<Seen>>>,
    handler: Handler,
) {
    loop {
        let Some(req) = read_request(&mut s).await else {
            return;
        };
        // IAM's list of the caller's projects, which a pinned project is checked against at
        // first use, answers itself (unrecorded): the lab project of region-1.
        let reply = if req.method == "GET"
            && req
                .target
                .split('?')
                .next()
                .is_some_and(|p| p.ends_with("/v3/auth/projects"))
        {
            Some(Reply::json(200, LAB_PROJECTS))
        } else {
            None
        };
        let idx = if reply.is_some() {
            0
        } else {
            let mut v = seen.lock().unwrap();
            v.push(req.clone());
            v.len() - 1
        };
        let mut reply = reply.unwrap_or_else(|| handler(&req, idx));
        while let Reply::Held { gate, reply: held } = reply {
            gate.opened().await;
            reply = *held;
        }
        match reply {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\ncontent-type: application/json\r\n",
                    body.len()
                );
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("x-request-id"))
                {
                    head.push_str(&format!("x-request-id: req{idx:04}\r\n"));
                }
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if s.write_all(head.as_bytes()).await.is_err()
                    || s.write_all(body.as_bytes()).await.is_err()
                {
                    return;
                }
                let _ = s.flush().await;
            }
            Reply::Truncated { status, body, send } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nx-request-id: req{idx:04}\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(&body.as_bytes()[..send.min(body.len())]).await;
                let _ = s.flush().await;
                let _ = s.shutdown().await;
                return;
            }
            Reply::Bytes { status, body } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\ncontent-type: application/json\r\nx-request-id: req{idx:04}\r\n\r\n",
                    body.len()
                );
                if s.write_all(head.as_bytes()).await.is_err() || s.write_all(&body).await.is_err()
                {
                    return;
                }
                let _ = s.flush().await;
            }
            Reply::Reset => return,
            Reply::Held { .. } => unreachable!("held answers are waited for above"),
        }
    }
}

async fn read_request<S: AsyncRead + Unpin>(s: &mut S) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut byte).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = s.read(&mut byte).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&byte[..n]);
    }
    Some(Seen {
        method,
        target,
        headers,
        body,
    })
}
