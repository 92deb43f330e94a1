//! The language server in process, driven through an in-memory connection as an editor
//! drives it: each request's answer is a snapshot.

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::thread::{self, JoinHandle};

const URI: &str = "file:///work/shop.strata";

/// A design with something for every request: tiers and a group, flows, a journey, a
/// `lint` block and a suppression.
const SHOP: &str = r#"system "Shop" { sla 99.9%; p99 300ms }

tier clients "Clients" {
  web: client "Browser"
}

tier services "Services" {
  group backend "Backend" {
    api: service "API" { tech "Go"; replicas 2 }
  }
  worker: worker "Mailer" # strata: allow AVL101 because mail can wait
}

tier data "Data" {
  db: database "Orders" { replicas 2; backup true }
  jobs: queue "Jobs" { replicas 3 }
}

web -> api
api -> db
api ~> jobs ~> worker

journey buy "Buy" { web -> api -> db }

lint { REQ005 off; "missing-metrics" off }
"#;

struct Client {
    connection: Connection,
    server: Option<JoinHandle<bool>>,
    next_id: i32,
}

impl Client {
    fn start() -> Client {
        let (server, connection) = Connection::memory();
        let server = thread::spawn(move || strata::lsp::serve(&server));
        let mut client = Client {
            connection,
            server: Some(server),
            next_id: 0,
        };
        client
            .request("initialize", json!({ "capabilities": {}, "initializationOptions": { "ruleDocs": "https://strata.example/docs/rules.md" } }))
            .expect("initialize succeeds");
        client.notify("initialized", json!({}));
        client
    }

    /// Sends a request; its result, or its error as `Err`. Notifications on the way are
    /// dropped.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection.sender.send(request.into()).unwrap();
        loop {
            match self.connection.receiver.recv().expect("the server answers") {
                Message::Response(Response {
                    id: answered,
                    response_result,
                }) if answered == id => {
                    return response_result.map_err(|error| serde_json::to_value(error).unwrap());
                }
                _ => continue,
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let notification = Notification::new(method.to_string(), params);
        self.connection.sender.send(notification.into()).unwrap();
    }

    /// The next diagnostics published.
    fn published(&self) -> Value {
        loop {
            if let Message::Notification(n) = self.connection.receiver.recv().unwrap() {
                if n.method == "textDocument/publishDiagnostics" {
                    return n.params;
                }
            }
        }
    }

    fn open(&self, text: &str) -> Value {
        self.open_at(URI, text)
    }

    fn open_at(&self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "strata", "version": 1, "text": text } }),
        );
        self.published()
    }

    fn change(&self, version: i32, text: &str) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        self.published()
    }

    fn at(&mut self, method: &str, needle: &str, extra: Value) -> Result<Value, Value> {
        let mut params =
            json!({ "textDocument": { "uri": URI }, "position": position_of(SHOP, needle) });
        if let (Value::Object(params), Value::Object(extra)) = (&mut params, extra) {
            params.extend(extra);
        }
        self.request(method, params)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null).unwrap();
        self.notify("exit", Value::Null);
        assert!(self.server.take().unwrap().join().unwrap());
    }
}

/// The LSP position of the first occurrence of `needle`, one character into it.
fn position_of(text: &str, needle: &str) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"))
        + 1;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap().encode_utf16().count();
    json!({ "line": line, "character": column })
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

#[test]
fn diagnostics_of_every_stage_with_codes_links_and_related_places() {
    let client = Client::start();
    let opened = client.open(SHOP);
    insta::assert_snapshot!("diagnostics_lint", pretty(&opened));
    let typo = SHOP
        .replace("api -> db", "api -> dbb")
        .replace("queue \"Jobs\"", "queu \"Jobs\"");
    let broken = client.change(2, &typo);
    insta::assert_snapshot!("diagnostics_model", pretty(&broken));
    let unbalanced = client.change(3, "tier t {\n  web: client\n");
    insta::assert_snapshot!("diagnostics_syntax", pretty(&unbalanced));
    let back = client.change(4, SHOP);
    assert_eq!(back["diagnostics"], opened["diagnostics"]);
    assert_eq!(back["version"], 4);
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(client.published()["diagnostics"], json!([]));
    client.stop();
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_design_on_disk_is_linted_with_its_project_configuration_as_check_does() {
    let project = tempfile::tempdir().unwrap();
    let designs = project.path().join("my designs");
    std::fs::create_dir(&designs).unwrap();
    let uri = format!("file://{}/shop.strata", designs.display()).replace(' ', "%20");
    let client = Client::start();
    let alone = codes(&client.open_at(&uri, SHOP));
    assert!(alone.iter().any(|c| c == "SEC306"), "{alone:?}");
    std::fs::write(
        project.path().join("strata.toml"),
        "[lint]\nignore = [\"SEC306\"]\n",
    )
    .unwrap();
    let configured = codes(&client.open_at(&uri, SHOP));
    let mut expected = alone.clone();
    expected.retain(|c| c != "SEC306");
    assert_eq!(configured, expected);
    std::fs::write(project.path().join("strata.toml"), "[lint]\nignroe = []\n").unwrap();
    let broken = client.open_at(&uri, SHOP);
    let first = &broken["diagnostics"][0];
    assert_eq!(first["code"], "E206", "{}", pretty(&broken));
    let message = first["message"].as_str().unwrap();
    assert!(message.contains("strata.toml:2:1"), "{message}");
    assert_eq!(codes(&broken)[1..], alone[..]);
    client.stop();
}

#[test]
fn hover_shows_a_component_and_a_rule() {
    let mut client = Client::start();
    client.open(SHOP);
    let api = client
        .at("textDocument/hover", "api: service", json!({}))
        .unwrap();
    insta::assert_snapshot!("hover_component", pretty(&api));
    let db = client
        .at("textDocument/hover", "db: database", json!({}))
        .unwrap();
    let text = db["contents"]["value"].as_str().unwrap();
    assert!(text.contains("single point of failure: no"), "{text}");
    let web = client
        .at("textDocument/hover", "web -> api", json!({}))
        .unwrap();
    assert!(web["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("**web**: `client`"));
    let rule = client
        .at("textDocument/hover", "AVL101 because", json!({}))
        .unwrap();
    insta::assert_snapshot!("hover_rule_in_suppression", pretty(&rule));
    let lint_key = client
        .at("textDocument/hover", "missing-metrics", json!({}))
        .unwrap();
    assert!(lint_key["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("## REQ007"));
    let nothing = client.at("textDocument/hover", "Shop", json!({})).unwrap();
    assert_eq!(nothing, Value::Null);
    client.stop();
}

#[test]
fn definition_references_and_rename() {
    let mut client = Client::start();
    client.open(SHOP);
    let definition = client
        .at("textDocument/definition", "api -> db", json!({}))
        .unwrap();
    insta::assert_snapshot!("definition", pretty(&definition));
    let references = client
        .at(
            "textDocument/references",
            "api -> db",
            json!({ "context": { "includeDeclaration": true } }),
        )
        .unwrap();
    insta::assert_snapshot!("references", pretty(&references));
    let prepared = client
        .at("textDocument/prepareRename", "api -> db", json!({}))
        .unwrap();
    assert_eq!(prepared["placeholder"], "api");
    let renamed = client
        .at(
            "textDocument/rename",
            "api -> db",
            json!({ "newName": "orders_api" }),
        )
        .unwrap();
    insta::assert_snapshot!("rename", pretty(&renamed));
    let journey = client
        .at(
            "textDocument/rename",
            "buy \"Buy\"",
            json!({ "newName": "purchase" }),
        )
        .unwrap();
    assert_eq!(journey["changes"][URI].as_array().unwrap().len(), 1);
    let taken = client
        .at(
            "textDocument/rename",
            "api -> db",
            json!({ "newName": "db" }),
        )
        .unwrap_err();
    insta::assert_snapshot!("rename_taken", pretty(&taken));
    let invalid = client
        .at(
            "textDocument/rename",
            "api -> db",
            json!({ "newName": "2fast" }),
        )
        .unwrap_err();
    assert!(
        invalid["message"]
            .as_str()
            .unwrap()
            .contains("not an identifier"),
        "{invalid}"
    );
    client.stop();
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let mut client = Client::start();
    client.open(SHOP);
    let unknown = client
        .request("textDocument/unknown", json!({}))
        .unwrap_err();
    assert_eq!(unknown["code"], -32601);
    let bad = client
        .request("textDocument/hover", json!({ "position": 3 }))
        .unwrap_err();
    assert_eq!(bad["code"], -32602, "{bad}");
    let closed = client
        .request("textDocument/hover", json!({ "textDocument": { "uri": "file:///other.strata" }, "position": { "line": 0, "character": 0 } }))
        .unwrap_err();
    assert!(closed["message"].as_str().unwrap().contains("is not open"));
    let far = client
        .request("textDocument/hover", json!({ "textDocument": { "uri": URI }, "position": { "line": 9999, "character": 9999 } }))
        .unwrap();
    assert_eq!(far, Value::Null);
    assert!(client
        .at("textDocument/hover", "api: service", json!({}))
        .is_ok());
    client.stop();
}

#[test]
fn requests_before_initialize_and_after_shutdown_are_refused() {
    let (server, connection) = Connection::memory();
    let handle = thread::spawn(move || strata::lsp::serve(&server));
    let send = |id: i32, method: &str| {
        let params = json!({ "capabilities": {} });
        connection
            .sender
            .send(Request::new(RequestId::from(id), method.into(), params).into())
            .unwrap();
        match connection.receiver.recv().unwrap() {
            Message::Response(response) => response.response_result.err().map(|e| e.code),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(send(1, "textDocument/hover"), Some(-32002));
    assert_eq!(send(2, "initialize"), None);
    assert_eq!(send(3, "shutdown"), None);
    assert_eq!(send(4, "textDocument/hover"), Some(-32600));
    connection
        .sender
        .send(Notification::new("exit".into(), Value::Null).into())
        .unwrap();
    assert!(handle.join().unwrap(), "shut down before exit");
}

#[test]
fn an_exit_without_shutdown_is_not_a_clean_end() {
    let (server, connection) = Connection::memory();
    let handle = thread::spawn(move || strata::lsp::serve(&server));
    connection
        .sender
        .send(Notification::new("exit".into(), Value::Null).into())
        .unwrap();
    assert!(!handle.join().unwrap());
}

/// The labels completion offers where `|` stands in `text` (opened without the `|`).
fn completions(client: &mut Client, version: i32, text: &str) -> Vec<String> {
    let offset = text.find('|').unwrap();
    let opened = text.replacen('|', "", 1);
    client.change(version, &opened);
    let before = &opened[..offset];
    let line = before.matches('\n').count();
    let character = before.rsplit('\n').next().unwrap().encode_utf16().count();
    let answer = client
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } }),
        )
        .unwrap();
    answer
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_what_the_grammar_allows_where_the_cursor_is() {
    use strata::model::properties::{COMPONENT_PROPERTIES, FLOW_PROPERTIES};
    let mut client = Client::start();
    client.open(SHOP);
    let kinds: Vec<String> = strata::model::Kind::ALL
        .map(|k| k.name().to_string())
        .to_vec();
    let text = SHOP.replacen("web: client", "web: cli|", 1);
    assert_eq!(completions(&mut client, 2, &text), kinds);
    let flow = SHOP.replacen("api -> db", "api -> |", 1);
    let ids = completions(&mut client, 3, &flow);
    assert_eq!(ids, ["web", "api", "worker", "db", "jobs"]);
    let fanned = SHOP.replacen("api -> db", "api -> db, w|", 1);
    assert_eq!(completions(&mut client, 4, &fanned), ids);
    let asynchronous = SHOP.replacen("api ~> jobs", "api ~> |jobs", 1);
    assert_eq!(completions(&mut client, 5, &asynchronous), ids);
    let property = SHOP.replacen("{ tech \"Go\"; replicas 2 }", "{ tech \"Go\"; |}", 1);
    assert_eq!(completions(&mut client, 6, &property), COMPONENT_PROPERTIES);
    let value = SHOP.replacen("backup true", "backup |", 1);
    assert_eq!(completions(&mut client, 7, &value), ["true", "false"]);
    let on_flow = SHOP.replacen("api -> db\n", "api -> db { access r| }\n", 1);
    assert_eq!(
        completions(&mut client, 8, &on_flow),
        ["read", "write", "read_write"]
    );
    let flow_property = SHOP.replacen("api -> db\n", "api -> db { | }\n", 1);
    assert_eq!(completions(&mut client, 9, &flow_property), FLOW_PROPERTIES);
    let lint = SHOP.replacen("lint { REQ005 off;", "lint { REQ005 off; |", 1);
    let keys = completions(&mut client, 10, &lint);
    assert!(
        keys.contains(&"AVL101".to_string())
            && keys.contains(&"\"single-replica-component\"".to_string())
    );
    assert!(keys.contains(&"max_sync_depth".to_string()));
    let level = SHOP.replacen("lint { REQ005 off;", "lint { REQ005 |", 1);
    assert_eq!(
        completions(&mut client, 11, &level),
        ["error", "warning", "info", "off"]
    );
    let allow = SHOP.replacen("allow AVL101", "allow AVL1|", 1);
    let rules = completions(&mut client, 12, &allow);
    assert_eq!(rules.len(), 2 * strata::lint::RULES.len());
    assert!(rules.contains(&"single-replica-component".to_string()));
    let plain_comment = SHOP.replacen("because mail", "because ma|il", 1);
    assert_eq!(
        completions(&mut client, 13, &plain_comment).len(),
        2 * strata::lint::RULES.len()
    );
    let label = SHOP.replacen("web -> api\n", "web -> api : |\n", 1);
    assert!(completions(&mut client, 14, &label).is_empty());
    client.stop();
}

#[test]
fn symbols_folding_and_semantic_tokens() {
    let mut client = Client::start();
    client.open(SHOP);
    let document = json!({ "textDocument": { "uri": URI } });
    let symbols = client
        .request("textDocument/documentSymbol", document.clone())
        .unwrap();
    insta::assert_snapshot!("symbols", pretty(&symbols));
    let folding = client
        .request("textDocument/foldingRange", document.clone())
        .unwrap();
    insta::assert_snapshot!("folding", pretty(&folding));
    let tokens = client
        .request("textDocument/semanticTokens/full", document)
        .unwrap();
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    // Rebuild each token's line, column and text from the deltas, and name its type.
    let legend = [
        "keyword",
        "type",
        "property",
        "variable",
        "namespace",
        "event",
        "string",
        "number",
        "comment",
        "operator",
        "enumMember",
    ];
    let lines: Vec<&str> = SHOP.lines().collect();
    let (mut line, mut column) = (0, 0);
    let mut decoded = String::new();
    for token in data.chunks(5) {
        if token[0] > 0 {
            column = 0;
        }
        line += token[0] as usize;
        column += token[1] as usize;
        let text: String = lines[line]
            .chars()
            .skip(column)
            .take(token[2] as usize)
            .collect();
        let declaration = if token[4] == 1 { " (declaration)" } else { "" };
        decoded.push_str(&format!(
            "{}:{} {} {text}{declaration}\n",
            line + 1,
            column + 1,
            legend[token[3] as usize]
        ));
    }
    insta::assert_snapshot!("semantic_tokens", decoded);
    client.stop();
}

#[test]
fn formatting_is_strata_fmt_and_refuses_a_design_with_errors() {
    let mut client = Client::start();
    let messy = "web:client\napi :  service{replicas 2}\nweb->api # calls\n";
    client.open(messy);
    let edits = client
        .request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }))
        .unwrap();
    let parsed = strata::syntax::parse(&strata::source::Source::new("t", messy));
    let expected = strata::syntax::format::format_keeping_line_endings(messy, &parsed);
    assert_eq!(edits[0]["newText"], expected);
    insta::assert_snapshot!("formatting", pretty(&edits));
    client.change(2, &expected);
    let none = client
        .request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }))
        .unwrap();
    assert_eq!(none, json!([]));
    client.change(3, "web: client\nweb -> nowhere\n");
    let refused = client
        .request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }))
        .unwrap_err();
    assert!(
        refused["message"].as_str().unwrap().contains("has errors"),
        "{refused}"
    );
    client.stop();
}

/// The code actions offered over the whole of `text`.
fn actions(client: &mut Client, version: i32, text: &str) -> Value {
    client.change(version, text);
    let lines = text.lines().count();
    client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": URI }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": lines, "character": 0 } }, "context": { "diagnostics": [] } }),
        )
        .unwrap()
}

#[test]
fn code_actions_fix_typos_suppress_findings_and_add_missing_components() {
    let mut client = Client::start();
    client.open(SHOP);
    let typo =
        SHOP.replacen("api -> db", "api -> dbb", 1)
            .replacen("queue \"Jobs\"", "queu \"Jobs\"", 1);
    let fixes = actions(&mut client, 2, &typo);
    insta::assert_snapshot!("actions_did_you_mean", pretty(&fixes));
    let unlinted = SHOP.replacen(
        "lint { REQ005 off; \"missing-metrics\" off }",
        "lint { REQ005 off }",
        1,
    );
    let findings = actions(&mut client, 3, &unlinted);
    let titles: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    insta::assert_snapshot!("actions_titles", titles.join("\n"));
    let add_metrics = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Add `metrics: metrics`")
        .expect("REQ007 offers to add a metrics component");
    insta::assert_snapshot!("actions_add_metrics", pretty(add_metrics));
    client.stop();
}

#[test]
fn imports_are_read_from_open_documents_then_disk_and_definitions_reach_into_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("strata.toml"), "").unwrap();
    std::fs::create_dir(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/data.strata"), "db: database\n").unwrap();
    let app_uri = format!("file://{}/app.strata", root.display());
    let shared_uri = format!("file://{}/shared/data.strata", root.display());
    let app = "import \"shared/data.strata\"\nweb: client\nweb -> db\n";
    let mut client = Client::start();
    let published = client.open_at(&app_uri, app);
    assert!(
        !codes(&published).iter().any(|code| code.starts_with('E')),
        "{}",
        pretty(&published)
    );
    let definition = client
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": app_uri }, "position": position_of(app, "db\n") }),
        )
        .unwrap();
    assert_eq!(definition["uri"], shared_uri.as_str());
    assert_eq!(
        definition["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    // An open document is read as the editor has it, saved or not.
    client.open_at(&shared_uri, "db: database\ncache: cache\n");
    let with_cache = "import \"shared/data.strata\"\nweb: client\nweb -> db, cache\n";
    let published = client.open_at(&app_uri, with_cache);
    assert!(
        !codes(&published).iter().any(|code| code.starts_with('E')),
        "{}",
        pretty(&published)
    );
    // An error in an imported file shows at the start of the design, saying where it is.
    client.open_at(&shared_uri, "db: databse\n");
    let published = client.open_at(&app_uri, app);
    let error = &published["diagnostics"][0];
    assert_eq!(error["code"], "E103");
    assert_eq!(
        error["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("shared/data.strata:1:5"),
        "{}",
        pretty(&published)
    );
    client.stop();
}

#[test]
fn a_design_with_imports_renames_its_own_ids() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("strata.toml"), "").unwrap();
    std::fs::write(root.join("data.strata"), "db: database\n").unwrap();
    let uri = format!("file://{}/app.strata", root.display());
    let app = "import \"data.strata\"\nweb: client\nweb -> db\n";
    let mut client = Client::start();
    client.open_at(&uri, app);
    let at =
        |needle| json!({ "textDocument": { "uri": uri }, "position": position_of(app, needle) });
    let mut params = at("web -> db");
    params["newName"] = json!("browser");
    let renamed = client.request("textDocument/rename", params).unwrap();
    assert_eq!(
        renamed["changes"][uri.as_str()].as_array().unwrap().len(),
        2
    );
    // A name an imported file declares is taken.
    let mut params = at("web -> db");
    params["newName"] = json!("db");
    assert!(client.request("textDocument/rename", params).is_err());
    client.stop();
}
