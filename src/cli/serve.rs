//! `strata serve`: a page on 127.0.0.1 with the design's drawing, findings and analysis,
//! brought up to date on every save (through the watch's [`DesignWatcher`]) without a
//! reload: the page long-polls `/state`, answered as soon as the design has changed.

use super::check::counted;
use super::render::{self, Request};
use super::settings::ConfigArgs;
use super::watch::{self, status_line, Change, DesignWatcher};
use super::{io, ColorChoice};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use strata::analysis::explain::explain;
use strata::report::FileReport;
use tiny_http::{Header, Response, Server};

const PAGE: &str = include_str!("serve.html");

/// How long a poll waits for a change before the page is told nothing changed and asks
/// again; short enough for proxies and browsers never to give up on the request first.
const POLL: Duration = Duration::from_secs(25);

/// Everything the page shows, as JSON.
#[derive(Serialize)]
struct PageState {
    /// Counts changes: the page asks for a state newer than the one it has.
    version: u64,
    name: String,
    status: String,
    /// `None` when the design has errors: the page keeps the last drawing.
    svg: Option<String>,
    findings: Vec<FindingView>,
    analysis: String,
}

#[derive(Serialize)]
struct FindingView {
    severity: &'static str,
    code: &'static str,
    message: String,
    /// The file, when the finding is in one the design imports.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    line: usize,
    column: usize,
    /// The component (or a flow's first component) the finding is about, as the SVG's
    /// `c-ID` element names it.
    element: Option<String>,
}

struct Shared {
    state: Mutex<PageState>,
    changed: Condvar,
}

pub fn run(file: &Path, port: Option<u16>, config: &ConfigArgs, color: ColorChoice) -> ExitCode {
    match serve(file, port, config, color) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            io::failure()
        }
    }
}

fn serve(
    file: &Path,
    port: Option<u16>,
    config: &ConfigArgs,
    color: ColorChoice,
) -> Result<(), String> {
    if io::is_stdio(file) {
        return Err("serve needs a design file: standard input cannot change".to_string());
    }
    let server = bind(port)?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let mut watcher = DesignWatcher::new(file)?;
    let mut change = match watcher.exists() {
        true => Change::Saved,
        false => Change::Deleted,
    };
    let shared = Arc::new(Shared {
        state: Mutex::new(page_state(file, &change, 1, config, color, &mut watcher)),
        changed: Condvar::new(),
    });
    let name = io::display_name(file);
    let _ = writeln!(
        std::io::stdout(),
        "serving {name} at http://{address}/ (Ctrl-C to stop)"
    );
    let answering = Arc::clone(&shared);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let shared = Arc::clone(&answering);
            std::thread::spawn(move || answer(request, &shared, address.port()));
        }
    });
    let mut version = 1;
    loop {
        {
            let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            status_line(state.version, &state.status);
        }
        change = watcher.next_change()?;
        version += 1;
        let state = page_state(file, &change, version, config, color, &mut watcher);
        *shared.state.lock().unwrap_or_else(|e| e.into_inner()) = state;
        shared.changed.notify_all();
    }
}

/// A server on 127.0.0.1 only: on `port`, or on one the system finds free.
fn bind(port: Option<u16>) -> Result<Server, String> {
    Server::http(("127.0.0.1", port.unwrap_or(0))).map_err(|error| {
        let in_use = error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        match (in_use, port) {
            (true, Some(port)) => format!(
                "port {port} on 127.0.0.1 is in use: give another with --port, or leave --port out to have a free one chosen"
            ),
            _ => format!("cannot serve on 127.0.0.1: {error}"),
        }
    })
}

/// The page's state after `change`: drawing, findings and analysis, or what went wrong.
fn page_state(
    file: &Path,
    change: &Change,
    version: u64,
    config: &ConfigArgs,
    color: ColorChoice,
    watcher: &mut DesignWatcher,
) -> PageState {
    let name = io::display_name(file);
    let mut state = PageState {
        version,
        name: name.clone(),
        status: String::new(),
        svg: None,
        findings: Vec::new(),
        analysis: String::new(),
    };
    if let Change::Deleted = change {
        state.status = format!("{name} is missing: waiting for it to come back");
        return state;
    }
    let (report, broken) = match watch::check(file, config, color) {
        Ok(checked) => checked,
        Err(usage) => {
            state.status = format!("error: {usage}");
            return state;
        }
    };
    watcher.follow(&report);
    state.findings = findings(&report);
    let summary = counted(std::slice::from_ref(&report));
    if broken {
        state.status = format!("{summary}; the drawing is of the last design without errors");
        return state;
    }
    match drawing_and_analysis(file, config, color) {
        Ok((svg, analysis)) => {
            state.svg = Some(svg);
            state.analysis = analysis;
            state.status = format!("rendered: {summary}");
        }
        Err(message) => state.status = format!("error: {message}"),
    }
    state
}

fn findings(report: &FileReport) -> Vec<FindingView> {
    report
        .entries
        .iter()
        .map(|entry| {
            let diagnostic = &entry.diagnostic;
            let source = report.file_of(entry);
            let position = source.position(diagnostic.primary.span.start);
            let file = (source.base() != report.root().base()).then(|| source.name.clone());
            let element = entry.id.as_deref().and_then(|id| {
                let subject = id.split_once('@')?.1;
                Some(subject.split("->").next().unwrap_or(subject).to_string())
            });
            FindingView {
                severity: diagnostic.severity.as_str(),
                code: diagnostic.code,
                message: diagnostic.message.clone(),
                file,
                line: position.line,
                column: position.column,
                element,
            }
        })
        .collect()
}

/// The annotated SVG, as `strata render --annotate` draws it, and `strata analyze`'s report.
fn drawing_and_analysis(
    file: &Path,
    config: &ConfigArgs,
    color: ColorChoice,
) -> Result<(String, String), String> {
    let mut request = Request::new(file, Path::new("-"), config);
    request.format = Some(render::Format::Svg);
    request.annotate = true;
    let svg = render::drawing(&request, color)
        .map_err(|message| message.unwrap_or_else(|| "nothing rendered".to_string()))?;
    let (_, checked) =
        io::load_checked(file, color, "analyzed").map_err(|_| "nothing analyzed".to_string())?;
    let analysis = strata::analysis::analyze(&checked.design);
    Ok((
        String::from_utf8_lossy(&svg).into_owned(),
        explain(&checked.design, &analysis),
    ))
}

/// Answers one request: the page, or the state once it is newer than the page's.
fn answer(request: tiny_http::Request, shared: &Shared, port: u16) {
    let html = "text/html; charset=utf-8";
    // Another site in the browser may send requests here; only this page's are answered.
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    let local = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !host.is_some_and(|host| local.contains(&host)) {
        let _ = request.respond(Response::from_string("forbidden").with_status_code(403));
        return;
    }
    let url = request.url().to_string();
    let response = match url.split_once('?') {
        None if url == "/" => Response::from_string(PAGE).with_header(header("Content-Type", html)),
        Some(("/state", query)) => {
            let after = query
                .strip_prefix("after=")
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            Response::from_string(newer_state(shared, after))
                .with_header(header("Content-Type", "application/json"))
        }
        _ => Response::from_string("not found").with_status_code(404),
    };
    let response = response
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'none'; connect-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:",
        ));
    let _ = request.respond(response);
}

/// The state as JSON once its version is past `after`, or as it is after [`POLL`].
fn newer_state(shared: &Shared, after: u64) -> String {
    let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let (state, _) = shared
        .changed
        .wait_timeout_while(state, POLL, |state| state.version <= after)
        .unwrap_or_else(|e| e.into_inner());
    serde_json::to_string(&*state).unwrap_or_default()
}

fn header(field: &str, value: &str) -> Header {
    Header::from_bytes(field.as_bytes(), value.as_bytes()).expect("a valid header")
}
