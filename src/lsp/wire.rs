//! The stdio transport, reading frames itself so that one malformed message cannot stop the
//! server (`lsp-server`'s own reader ends the connection on the first bad body). A JSON body
//! that is not a JSON-RPC message gets an `InvalidRequest` (-32600) response when it has an id;
//! a body that is not JSON gets a `ParseError` (-32700) response with a `null` id, as JSON-RPC
//! says (no id can be read from it), and a note on stderr; a message without an id is
//! skipped with a note on stderr. Lone UTF-16 surrogate escapes (`"\ud800"`), which JSON parsers refuse,
//! become U+FFFD so the text around them still arrives.

use std::io::{BufRead, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};
use serde_json::Value;

/// The method of the message that tells the writer thread to stop (never written).
const STOP: &str = "$/jenkinsfile/stop";
/// The method of the message that tells the writer thread to write a -32700 response with a
/// `null` id (which `lsp_server::Response` cannot hold); its params are the error message.
const PARSE_ERROR: &str = "$/jenkinsfile/parse-error";

/// The writer thread over stdout, and how to stop it.
pub struct Stdio {
    stop: Connection,
    writer: JoinHandle<()>,
}

impl Stdio {
    /// The server's end of a connection over stdin/stdout, and the threads behind it.
    #[must_use]
    pub fn start() -> (Connection, Stdio) {
        let (connection, client) = Connection::memory();
        let to_server = client.sender.clone();
        let replies = connection.sender.clone();
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            read_loop(
                &mut stdin.lock(),
                |m| to_server.send(m).is_ok(),
                |m| {
                    let _ = replies.send(m);
                },
            );
        });
        let from_server = client.receiver.clone();
        let writer = std::thread::spawn(move || {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for message in from_server {
                if matches!(&message, Message::Notification(n) if n.method == STOP) {
                    break;
                }
                let written = match &message {
                    Message::Notification(n) if n.method == PARSE_ERROR => {
                        write_parse_error(&mut out, &n.params)
                    }
                    _ => message.write(&mut out),
                };
                if written.is_err() {
                    break;
                }
            }
            let _ = out.flush();
        });
        let stop = Connection {
            sender: connection.sender.clone(),
            receiver: client.receiver,
        };
        (connection, Stdio { stop, writer })
    }

    /// Flushes what the server sent and ends the writer; the reader ends with stdin.
    pub fn finish(self) {
        let _ = self
            .stop
            .sender
            .send(Notification::new(STOP.into(), Value::Null).into());
        let _ = self.writer.join();
    }
}

/// A JSON-RPC `ParseError` response, whose id is `null`, in one frame.
fn write_parse_error(out: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": ErrorCode::ParseError as i32, "message": message},
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Reads frames until end of input (or `deliver` says the server is gone). `reply` sends an
/// error response straight back (a `Response`, or the parse-error message for the writer).
pub fn read_loop(
    input: &mut impl BufRead,
    deliver: impl Fn(Message) -> bool,
    reply: impl Fn(Message),
) {
    while let Ok(Some(frame)) = read_frame(input) {
        let body = match frame {
            Frame::Body(body) => body,
            Frame::TooLarge(length) => {
                // The id is inside the skipped body, so no response can be addressed.
                let _ = writeln!(
                    std::io::stderr(),
                    "jenkinsfile lsp: skipped a message of {length} bytes (the limit is {MAX_BODY})"
                );
                continue;
            }
        };
        match decode(&body) {
            Ok(message) => {
                if !deliver(message) {
                    return;
                }
            }
            Err((Some(id), code, message)) => {
                reply(Message::Response(Response::new_err(
                    id,
                    code as i32,
                    message,
                )));
            }
            Err((None, ErrorCode::ParseError, message)) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "jenkinsfile lsp: skipped a message: {message}"
                );
                reply(Message::Notification(Notification::new(
                    PARSE_ERROR.into(),
                    Value::String(message),
                )));
            }
            Err((None, _, message)) => {
                // stderr is the server's log in every editor; nothing else can be told.
                let _ = writeln!(
                    std::io::stderr(),
                    "jenkinsfile lsp: skipped a message: {message}"
                );
            }
        }
    }
}

/// The largest body read: a `Content-Length` beyond it is skipped as it streams past rather
/// than allocated up front (a bogus header must not abort the server).
pub const MAX_BODY: u64 = 64 * 1024 * 1024;

/// One frame.
enum Frame {
    Body(Vec<u8>),
    /// A body over [`MAX_BODY`], discarded.
    TooLarge(u64),
}

/// One frame; `None` at end of input.
fn read_frame(input: &mut impl BufRead) -> std::io::Result<Option<Frame>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<u64>().ok();
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY {
        let mut rest = std::io::Read::take(&mut *input, length);
        std::io::copy(&mut rest, &mut std::io::sink())?;
        return Ok(Some(Frame::TooLarge(length)));
    }
    let mut body = vec![0; usize::try_from(length).unwrap_or(0)];
    input.read_exact(&mut body)?;
    Ok(Some(Frame::Body(body)))
}

type Refusal = (Option<RequestId>, ErrorCode, String);

fn decode(body: &[u8]) -> Result<Message, Refusal> {
    let text = String::from_utf8_lossy(body);
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(first) => serde_json::from_str(&replace_lone_surrogates(&text))
            .map_err(|_| (None, ErrorCode::ParseError, format!("not JSON: {first}")))?,
    };
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value(id.clone()).ok());
    serde_json::from_value::<Message>(value).map_err(|e| {
        (
            id,
            ErrorCode::InvalidRequest,
            format!("not a JSON-RPC message: {e}"),
        )
    })
}

/// `\uD800`–`\uDFFF` escapes that do not form a pair, as `\uFFFD`.
fn replace_lone_surrogates(text: &str) -> String {
    let surrogate = |s: &str| -> Option<u16> {
        let hex = s.strip_prefix("\\u")?.get(..4)?;
        u16::from_str_radix(hex, 16)
            .ok()
            .filter(|u| (0xD800..0xE000).contains(u))
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\u") {
        // An escaped backslash (`\\u`) is not an escape.
        let backslashes = rest[..at].chars().rev().take_while(|c| *c == '\\').count();
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if backslashes % 2 == 1 {
            out.push_str("\\u");
            rest = &rest[2..];
            continue;
        }
        match surrogate(rest) {
            Some(high) if (0xD800..0xDC00).contains(&high) => {
                if surrogate(&rest[6..]).is_some_and(|low| low >= 0xDC00) {
                    out.push_str(&rest[..12]);
                    rest = &rest[12..];
                } else {
                    out.push_str("\\uFFFD");
                    rest = &rest[6..];
                }
            }
            Some(_) => {
                out.push_str("\\uFFFD");
                rest = &rest[6..];
            }
            None => {
                out.push_str("\\u");
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use lsp_server::Message;

    use super::{PARSE_ERROR, decode, read_loop, replace_lone_surrogates, write_parse_error};

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(replace_lone_surrogates(r#""a\ud800b""#), r#""a\uFFFDb""#);
        assert_eq!(
            replace_lone_surrogates(r#""\ud83d\ude00""#),
            r#""\ud83d\ude00""#
        );
        assert_eq!(replace_lone_surrogates(r#""\\ud800""#), r#""\\ud800""#);
        assert_eq!(replace_lone_surrogates(r#""\udc00x""#), r#""\uFFFDx""#);
    }

    #[test]
    fn garbage_is_refused_with_the_right_code() {
        assert_eq!(
            decode(b"{\"jsonrpc\":\"2.0\",\"id\":3,\"met")
                .unwrap_err()
                .1 as i32,
            -32700
        );
        let (id, code, _) = decode(b"{\"id\":4,\"hello\":1}").unwrap_err();
        assert_eq!(
            (id.map(|i| i.to_string()), code as i32),
            (Some("4".into()), -32600)
        );
    }

    #[test]
    fn a_body_that_is_not_json_gets_a_parse_error_with_a_null_id() {
        let input = "Content-Length: 5\r\n\r\n{\"id\"";
        let replies = RefCell::new(Vec::new());
        read_loop(
            &mut input.as_bytes(),
            |_| true,
            |m| replies.borrow_mut().push(m),
        );
        let replies = replies.into_inner();
        assert_eq!(replies.len(), 1);
        let Message::Notification(n) = &replies[0] else {
            panic!("{replies:?}")
        };
        assert_eq!(n.method, PARSE_ERROR);
        let mut out = Vec::new();
        write_parse_error(&mut out, &n.params).unwrap();
        let out = String::from_utf8(out).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["id"], serde_json::Value::Null);
        assert_eq!(body["error"]["code"], -32700);
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("not JSON: EOF while parsing"),
            "{body}"
        );
    }

    #[test]
    fn a_huge_content_length_is_skipped_not_allocated() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 99999999999999999\r\n\r\n{{\"id\":1}}Content-Length: {}\r\n\r\n{ok}",
            ok.len()
        );
        let seen = RefCell::new(Vec::new());
        read_loop(
            &mut input.as_bytes(),
            |m| {
                seen.borrow_mut().push(m);
                true
            },
            |_| {},
        );
        // The oversized frame swallows the rest of the input (it claimed it all) and
        // nothing aborts; a frame under the limit still arrives.
        assert!(seen.borrow().is_empty());
        let input = format!("Content-Length: {}\r\n\r\n{ok}", ok.len());
        read_loop(
            &mut input.as_bytes(),
            |m| {
                seen.borrow_mut().push(m);
                true
            },
            |_| {},
        );
        assert_eq!(seen.borrow().len(), 1);
    }
}
