//! The front end never panics: random text, random token soup, and mutations of real
//! designs all come back as a result with diagnostics.

use proptest::prelude::*;
use strata::source::Source;

const TEMPLATE: &str = include_str!("../templates/ecommerce.strata");
const FRAGMENTS: [&str; 33] = [
    "tier",
    "group",
    "system",
    "a",
    "b",
    ":",
    "->",
    "~>",
    ",",
    ";",
    "{",
    "}",
    "[",
    "]",
    "\"x\"",
    "\"",
    "1",
    "-1",
    "99%",
    "5ms",
    "#c\n",
    "\n",
    "service",
    "@",
    "=>",
    "1e5",
    "0x1F",
    "2min",
    "\u{FEFF}",
    "\u{1b}",
    "-> \"api -> db\"",
    "-> \"API Gateway\"",
    "\r\n",
];

fn check_does_not_panic(text: &str) {
    let source = Source::new("fuzz", text);
    let checked = strata::check(&source);
    for diagnostic in &checked.diagnostics {
        let span = &diagnostic.primary.span;
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span out of the file"
        );
        // The report is headed with the place the concise line gives.
        let rendered = diagnostic.render(&source, false);
        let at = source.position(span.start);
        let header = format!("╭─[ fuzz:{}:{} ]", at.line, at.column);
        assert!(rendered.contains(&header), "{header} not in\n{rendered}");
        let shown = rendered + &diagnostic.concise(&source);
        let raw = shown.chars().find(|c| c.is_control() && *c != '\n');
        assert!(raw.is_none(), "{raw:?} echoed in\n{shown}");
    }
    if !checked.parsed.has_errors() {
        strata::syntax::format::format(text, &checked.parsed);
    }
}

/// Every request the language server answers, at each offset, on the text: none may
/// fail inside the server (an internal error is a panic it caught).
fn language_server_answers_everywhere(text: &str, offsets: &[usize]) {
    use lsp_server::{Message, Notification, Request, RequestId};
    use serde_json::json;
    let mut server = strata::lsp::Server::default();
    let mut id = 0;
    let mut send = |server: &mut strata::lsp::Server, method: &str, params: serde_json::Value| {
        id += 1;
        let request = Request::new(RequestId::from(id), method.to_string(), params);
        for reply in server.handle(Message::Request(request)) {
            if let Message::Response(response) = reply {
                if let Err(error) = &response.response_result {
                    assert_ne!(error.code, -32603, "{method}: {}", error.message);
                }
            }
        }
    };
    send(&mut server, "initialize", json!({ "capabilities": {} }));
    let uri = "file:///fuzz.strata";
    let open = json!({ "textDocument": { "uri": uri, "languageId": "strata", "version": 1, "text": text } });
    server.handle(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        open,
    )));
    let document = json!({ "textDocument": { "uri": uri } });
    for method in [
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/semanticTokens/full",
    ] {
        send(&mut server, method, document.clone());
    }
    send(
        &mut server,
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let source = Source::new("fuzz", text);
    for &offset in offsets {
        let position = strata::lsp::position::position(&source, offset);
        let at = json!({ "textDocument": { "uri": uri }, "position": position });
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/prepareRename",
        ] {
            send(&mut server, method, at.clone());
        }
        let mut references = at.clone();
        references["context"] = json!({ "includeDeclaration": true });
        send(&mut server, "textDocument/references", references);
        let mut rename = at.clone();
        rename["newName"] = json!("renamed");
        send(&mut server, "textDocument/rename", rename);
        let range = json!({ "start": position, "end": strata::lsp::position::position(&source, offset + 40) });
        send(
            &mut server,
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } }),
        );
    }
}

/// Applies `cuts` (where, how much to remove, what to put there) to the template.
fn mutate(cuts: &[(usize, usize, &str)]) -> String {
    let mut text = TEMPLATE.to_string();
    for &(at, length, insert) in cuts {
        let mut start = at.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + length).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.replace_range(start..end, insert);
    }
    text
}

fn error_codes(checked: &strata::Checked) -> Vec<&'static str> {
    let mut codes: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    codes.sort_unstable();
    codes
}

/// Formatting never changes what a design means: a clean design formats to one with the
/// same exported graph, and one with errors keeps exactly its error codes (so the library
/// formatter never makes a broken file check clean; the CLI refuses to format it at all).
/// The formatter is the one `fmt` uses, which keeps CRLF line endings.
fn formatting_keeps_the_meaning(text: &str) {
    let source = Source::new("fuzz", text);
    let checked = strata::check(&source);
    if checked.parsed.has_errors() {
        return;
    }
    let formatted = strata::syntax::format::format_keeping_line_endings(text, &checked.parsed);
    let reformatted = strata::check(&Source::new("fuzz", formatted.as_str()));
    assert_eq!(
        error_codes(&reformatted),
        error_codes(&checked),
        "formatted:\n{formatted}"
    );
    if !checked.has_errors() {
        assert_eq!(
            strata::export::json::to_json(&reformatted.design),
            strata::export::json::to_json(&checked.design),
            "formatted:\n{formatted}"
        );
    }
}

fn mutation() -> impl Strategy<Value = Vec<(usize, usize, &'static str)>> {
    prop::collection::vec(
        (
            0usize..TEMPLATE.len(),
            0usize..40,
            prop::sample::select(&FRAGMENTS[..]),
        ),
        1..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text(text in "\\PC{0,200}") {
        check_does_not_panic(&text);
    }

    /// Control characters, carriage returns and long lines: what snippets must echo safely.
    #[test]
    fn random_text_with_control_characters(text in "[\\x00-\\x1f\\x7f\\u{85}\\u{202e}a-c :>{}\"@é-]{0,400}") {
        check_does_not_panic(&text);
    }

    #[test]
    fn random_token_soup(parts in prop::collection::vec(prop::sample::select(&FRAGMENTS[..]), 0..80)) {
        check_does_not_panic(&parts.join(" "));
    }

    #[test]
    fn mutated_template(cuts in mutation()) {
        check_does_not_panic(&mutate(&cuts));
    }

    #[test]
    fn the_language_server_answers_on_a_mutated_template(
        cuts in mutation(),
        offsets in prop::collection::vec(0usize..TEMPLATE.len() + 40, 4),
    ) {
        language_server_answers_everywhere(&mutate(&cuts), &offsets);
    }

    #[test]
    fn the_language_server_answers_on_token_soup(
        parts in prop::collection::vec(prop::sample::select(&FRAGMENTS[..]), 0..80),
        offsets in prop::collection::vec(0usize..200, 4),
    ) {
        language_server_answers_everywhere(&parts.join(" "), &offsets);
    }

    #[test]
    fn formatting_a_mutated_template_keeps_its_meaning(cuts in mutation()) {
        formatting_keeps_the_meaning(&mutate(&cuts));
    }
}

/// The slips that formatting used to turn into other, valid designs.
#[test]
fn formatting_keeps_quoted_flow_targets() {
    for text in [
        "web: client\napi: service\ndb: database\nweb -> \"api -> db\"\n",
        "web: client\napi: service \"API Service\"\nweb -> \"API Service\"\n",
        "web: client\napi: service\nweb -> api, \"api\" ~> \"db\" : \"x\"\n",
    ] {
        formatting_keeps_the_meaning(text);
    }
}

#[test]
fn a_fifty_megabyte_design_is_handled() {
    let mut text = String::with_capacity(52 << 20);
    let mut index = 0;
    while text.len() < 50 << 20 {
        text.push_str(&format!(
            "component_{index}: service \"Service {index}\" {{ replicas 2 }}\n"
        ));
        index += 1;
    }
    let checked = strata::check(&Source::new("big", text));
    assert!(checked.diagnostics.is_empty());
    assert_eq!(checked.design.components.len(), index);
}
