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
    server: Option<JoinHandle<()>>,
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
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": URI, "languageId": "strata", "version": 1, "text": text } }),
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
        self.server.take().unwrap().join().unwrap();
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
    handle.join().unwrap();
}
