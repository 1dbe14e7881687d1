//! A tiny HTTP/1.1 server for tests only: one blocking thread, one request per
//! connection (`Connection: close`), GET requests without bodies.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the server answers to one request.
pub(crate) struct Reply {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Reply {
    /// 200 with a JSON body.
    pub(crate) fn json(body: &str) -> Reply {
        Reply {
            status: 200,
            reason: "OK",
            content_type: "application/json",
            body: body.as_bytes().to_vec(),
        }
    }

    /// 200 with a text body.
    pub(crate) fn text(body: &str) -> Reply {
        Reply {
            status: 200,
            reason: "OK",
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }

    /// An error status with an empty body.
    pub(crate) fn status(status: u16, reason: &'static str) -> Reply {
        Reply {
            status,
            reason,
            content_type: "text/plain",
            body: Vec::new(),
        }
    }
}

/// A running server; stops when dropped.
pub(crate) struct TestServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    /// Starts a server answering each request target (path and query) with
    /// `handler`.
    pub(crate) async fn start<F>(handler: F) -> TestServer
    where
        F: Fn(&str) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                answer(stream, &handler);
            }
        });
        TestServer {
            addr,
            requests,
            stop,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// How many requests were answered so far.
    pub(crate) fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so the thread sees the flag and ends.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn answer<F: Fn(&str) -> Reply>(mut stream: TcpStream, handler: &F) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request);
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = handler(&target);
    let header = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.reason,
        reply.content_type,
        reply.body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&reply.body);
    let _ = stream.flush();
}
