//! A minimal LSP client for the end-to-end tests: spawns `jenkinsfile lsp`, frames JSON-RPC
//! messages with `Content-Length` headers over its stdio, and waits for answers with a
//! deadline, so that a wedged server fails the test instead of hanging it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
    /// How many `publishDiagnostics` notifications have arrived so far.
    pub(crate) published: usize,
}

impl Client {
    /// Starts the server in `cwd` with `XDG_CONFIG_HOME` pointing at an empty place and
    /// `XDG_CACHE_HOME` (the rule documentation) inside `cwd`, and initializes it as a client
    /// that takes the nested outline.
    pub(crate) fn start(cwd: &Path) -> Client {
        Client::start_with(
            cwd,
            json!({"processId": null, "rootUri": null, "capabilities": {
                "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}
            }}),
        )
    }

    /// `start`, with these `initialize` parameters.
    pub(crate) fn start_with(cwd: &Path, params: Value) -> Client {
        Client::spawn(cwd, params, Stdio::inherit())
    }

    /// `start`, with the server's stderr (its log) written to `log`.
    pub(crate) fn start_logging(cwd: &Path, log: &Path) -> Client {
        let file = std::fs::File::create(log).expect("create the log file");
        Client::spawn(
            cwd,
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
            Stdio::from(file),
        )
    }

    fn spawn(cwd: &Path, params: Value, stderr: Stdio) -> Client {
        let mut client = Client::spawn_uninitialized(cwd, params, stderr);
        client.notify("initialized", json!({}));
        client
    }

    /// Starts the server and answers `initialize`, without the `initialized` notification
    /// that should follow (some clients send `didOpen` first).
    pub(crate) fn start_uninitialized(cwd: &Path) -> Client {
        Client::spawn_uninitialized(
            cwd,
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
            Stdio::inherit(),
        )
    }

    fn spawn_uninitialized(cwd: &Path, params: Value, stderr: Stdio) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
            .arg("lsp")
            .current_dir(cwd)
            .env("XDG_CONFIG_HOME", cwd.join(".no-user-config"))
            .env("XDG_CACHE_HOME", cwd.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn jenkinsfile lsp");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming: rx,
            pending: VecDeque::new(),
            next_id: 0,
            published: 0,
        };
        let init = client.request("initialize", params);
        assert_eq!(init["serverInfo"]["name"], "jenkinsfile", "{init}");
        client
    }

    pub(crate) fn send(&mut self, message: &Value) {
        self.send_raw(&message.to_string());
    }

    /// Sends `body` in one frame, whatever it holds.
    pub(crate) fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its `result` (panicking on an error response).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// Sends a request and returns the whole response.
    pub(crate) fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(&format!("the response to {method}"), |m| m["id"] == id)
    }

    /// The next message `pick` accepts; other messages are kept for later waits.
    pub(crate) fn wait(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&pick) {
            return self.pending.remove(at).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let received = self.incoming.recv_timeout(left);
            if let Ok(m) = &received
                && m["method"] == "textDocument/publishDiagnostics"
            {
                self.published += 1;
            }
            match received {
                Ok(m) if pick(&m) => return m,
                Ok(m) => self.pending.push_back(m),
                Err(RecvTimeoutError::Timeout) => panic!("no {what} within {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server hung up before {what}"),
            }
        }
    }

    /// Whether any message read so far and not yet consumed is a `publishDiagnostics` for `uri`.
    pub(crate) fn published_for(&self, uri: &str) -> bool {
        self.pending
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
    }

    /// The next `publishDiagnostics` for `uri` (at `version`, when given).
    pub(crate) fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub(crate) fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    pub(crate) fn change_all(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub(crate) fn shutdown(mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.stdin.take();
        self.wait_exit()
    }

    /// Closes the server's stdin, as an editor that crashed or quit would.
    pub(crate) fn hang_up(&mut self) {
        self.stdin.take();
    }

    pub(crate) fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The server's resident memory in kB (Linux), for the memory check.
    pub(crate) fn rss_kb(&self) -> Option<u64> {
        self.status_kb("VmRSS")
    }

    /// One `kB` field of the server's `/proc/<pid>/status` (`VmRSS`, `VmHWM`, `RssAnon`).
    pub(crate) fn status_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status
            .lines()
            .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Prints a measurement (shown with `--nocapture`).
#[expect(
    clippy::print_stdout,
    reason = "the robustness tests report their timings"
)]
pub(crate) fn say(text: &str) {
    println!("{text}");
}

/// The `file:` URI of a path (the tests' paths need no escaping).
pub(crate) fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}
