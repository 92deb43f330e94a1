//! LSP over standard input and output. `lsp_server::Connection::stdio` ends the
//! connection at the first malformed message; this reader answers it with a JSON-RPC
//! error instead and reads on, so a client's mistake never stops the server.

use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

/// One message as read: a message, or why it is not one (and its id, when it had one).
enum Frame {
    Message(Message),
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        reason: String,
    },
}

/// The reader and writer threads; joined when the server is done.
pub struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Threads {
    /// Waits for every message sent to be written. The reader ends at `exit` or at the end
    /// of input; it is not waited for, as it may be blocked reading a client that stays open.
    pub fn join(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

pub fn stdio() -> (Connection, Threads) {
    let stdout = Arc::new(Mutex::new(io::stdout()));
    let (to_writer, from_server) = unbounded::<Message>();
    let (to_server, from_reader) = unbounded::<Message>();
    let writer = {
        let stdout = Arc::clone(&stdout);
        thread::spawn(move || write_all(&from_server, &stdout))
    };
    let reader = thread::spawn(move || read_all(io::stdin().lock(), &to_server, &stdout));
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    (connection, Threads { reader, writer })
}

fn write_all(messages: &Receiver<Message>, stdout: &Mutex<io::Stdout>) {
    for message in messages {
        let mut out = stdout
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if message.write(&mut *out).is_err() {
            return;
        }
    }
}

/// Reads messages until the input ends or `exit` arrives, answering malformed ones.
fn read_all(mut input: impl BufRead, server: &Sender<Message>, stdout: &Mutex<io::Stdout>) {
    while let Some(frame) = read_frame(&mut input) {
        match frame {
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || exit {
                    return;
                }
            }
            Frame::Malformed { id, code, reason } => {
                let mut out = stdout
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if write_error(&mut *out, id, code, &reason).is_err() {
                    return;
                }
            }
        }
    }
}

/// The next frame, `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> Option<Frame> {
    let mut length = None;
    let mut bad_header = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            // Blank lines before any header (stray newlines between messages) are no frame.
            if length.is_some() || bad_header.is_some() {
                break;
            }
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("Content-Length") => {
                match value.trim().parse::<u64>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header `{header}`")),
        }
    }
    let malformed = |reason: String| Frame::Malformed {
        id: None,
        code: ErrorCode::ParseError,
        reason,
    };
    let Some(length) = length else {
        return Some(malformed(
            bad_header.unwrap_or_else(|| "no Content-Length header".into()),
        ));
    };
    let mut body = Vec::new();
    input.take(length).read_to_end(&mut body).ok()?;
    if (body.len() as u64) < length {
        return None;
    }
    Some(match String::from_utf8(body) {
        Ok(text) => parse(&text),
        Err(_) => malformed("the message is not UTF-8".into()),
    })
}

fn parse(text: &str) -> Frame {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            return Frame::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                reason: format!("the message is not JSON: {error}"),
            }
        }
    };
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(error) => Frame::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            reason: format!("not a JSON-RPC request, response or notification: {error}"),
        },
    }
}

/// An error response; with no id (the message could not be read far enough) the id is
/// `null`, as JSON-RPC asks, which `lsp_server::Response` cannot express.
fn write_error(
    out: &mut impl Write,
    id: Option<RequestId>,
    code: ErrorCode,
    reason: &str,
) -> io::Result<()> {
    if let Some(id) = id {
        return Message::Response(Response::new_err(id, code as i32, reason.to_string()))
            .write(out);
    }
    let body = json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code as i32, "message": reason },
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut input = input.as_bytes();
        std::iter::from_fn(|| read_frame(&mut input)).collect()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let valid = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            "Content-Length: many\r\n\r\n".to_string(),
            framed(valid),
        ]
        .concat();
        let frames = frames(&input);
        assert_eq!(frames.len(), 4);
        assert!(matches!(
            &frames[0],
            Frame::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                ..
            }
        ));
        assert!(matches!(
            &frames[1],
            Frame::Malformed { id: Some(id), code: ErrorCode::InvalidRequest, .. } if *id == RequestId::from(7)
        ));
        assert!(matches!(&frames[2], Frame::Malformed { reason, .. } if reason.contains("many")));
        assert!(
            matches!(&frames[3], Frame::Message(Message::Request(r)) if r.method == "shutdown")
        );
    }

    #[test]
    fn a_null_id_error_is_valid_json_rpc() {
        let mut out = Vec::new();
        write_error(&mut out, None, ErrorCode::ParseError, "bad").unwrap();
        let text = String::from_utf8(out).unwrap();
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        let value: Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["id"], Value::Null);
        assert_eq!(value["error"]["code"], -32700);
    }
}
