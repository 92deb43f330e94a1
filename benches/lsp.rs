//! The language server's keystroke: `didChange` on a generated design, answered with its
//! diagnostics (syntax, model, analysis and every lint rule on the whole new text).
//! Run: `cargo bench --bench lsp`. Target: 1,000 components ≤ 50 ms a keystroke.

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;
use std::time::{Duration, Instant};
use strata::lsp::Server;

const URI: &str = "file:///generated.strata";

fn main() {
    println!("lsp: a keystroke (didChange + diagnostics published), release build, median and slowest of 21");
    println!(
        "{:>12} {:>10} {:>12} {:>12} {:>12} {:>12}",
        "components", "bytes", "diagnostics", "keystroke ms", "slowest ms", "hover ms"
    );
    for components in [200, 1_000, 2_000] {
        let text = strata::generate::design(components, 42);
        let mut server = Server::default();
        let initialize = Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({ "capabilities": {} }),
        );
        server.handle(Message::Request(initialize));
        let open = json!({ "textDocument": { "uri": URI, "languageId": "strata", "version": 0, "text": text } });
        let published = server.handle(notification("textDocument/didOpen", open));
        let diagnostics = count_diagnostics(&published);
        let mut times: Vec<Duration> = Vec::new();
        for version in 1..=21 {
            // Typing at the end of the file: a comment grows by one character a keystroke.
            let typed = format!("{text}# note{}\n", "x".repeat(version as usize));
            let change = json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": typed }] });
            let start = Instant::now();
            let replies = server.handle(notification("textDocument/didChange", change));
            times.push(start.elapsed());
            assert_eq!(
                count_diagnostics(&replies),
                diagnostics,
                "the comment changes nothing"
            );
        }
        times.sort();
        let hover = Request::new(
            RequestId::from(2),
            "textDocument/hover".into(),
            json!({ "textDocument": { "uri": URI }, "position": { "line": 3, "character": 4 } }),
        );
        let start = Instant::now();
        server.handle(Message::Request(hover));
        let hover_time = start.elapsed();
        println!(
            "{components:>12} {:>10} {diagnostics:>12} {:>12.2} {:>12.2} {:>12.2}",
            text.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1]),
            ms(hover_time)
        );
    }
}

fn notification(method: &str, params: serde_json::Value) -> Message {
    Message::Notification(Notification::new(method.into(), params))
}

fn count_diagnostics(replies: &[Message]) -> usize {
    replies
        .iter()
        .find_map(|reply| match reply {
            Message::Notification(n) => n.params["diagnostics"].as_array().map(Vec::len),
            _ => None,
        })
        .expect("diagnostics are published")
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
