//! `strata serve` out of process: in headless chromium (installed by `.ci/run`, driven
//! with playwright-core) the page shows the drawing and the findings and follows a save
//! with no reload; a port in use is a clear error.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

mod tools;

const DESIGN: &str = include_str!("../examples/minimal.strata");

struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `strata serve` on a free port; its first line names the page's address.
fn serve(design: &Path) -> (Serving, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["serve", "--isolated"])
        .arg(design)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    lines.read_line(&mut first).unwrap();
    // Read on, so the status lines never fill the pipe.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let url = first
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    (Serving(child), url)
}

fn browser_tools() -> Option<(String, String)> {
    let modules = std::env::var("STRATA_EDITORS_NODE_MODULES").ok();
    let chromium = std::env::var("STRATA_CHROMIUM").unwrap_or_else(|_| "chromium".to_string());
    let found = modules
        .as_deref()
        .is_some_and(|m| Path::new(m).join("playwright-core").is_dir())
        && Command::new(&chromium)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    tools::found("chromium or playwright-core", found)
        .then(|| modules.map(|m| (m, chromium)))
        .flatten()
}

#[test]
fn the_page_shows_the_design_and_follows_a_save_without_a_reload() {
    let Some((modules, chromium)) = browser_tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("shop.strata");
    std::fs::write(&design, DESIGN).unwrap();
    let (_serving, url) = serve(&design);
    let output = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/serve.js"))
        .arg(&url)
        .arg(&design)
        .arg(chromium)
        .env("NODE_PATH", modules)
        .output()
        .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("ok: "), "{printed}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("shop.strata");
    std::fs::write(&design, DESIGN).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["serve", "--port", &port.to_string()])
        .arg(&design)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("error: port {port} on 127.0.0.1 is in use")),
        "{stderr}"
    );
}

#[test]
fn only_requests_naming_the_local_server_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("shop.strata");
    std::fs::write(&design, DESIGN).unwrap();
    let (_serving, url) = serve(&design);
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let status = |host: &str| {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response.lines().next().unwrap_or_default().to_string()
    };
    assert!(status(address).contains("200"), "{}", status(address));
    // A page elsewhere that resolves its own name to 127.0.0.1 gets nothing.
    assert!(status("attacker.example:80").contains("403"));
}

#[test]
fn standard_input_is_refused() {
    let refused = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["serve", "-"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("standard input cannot change"), "{stderr}");
}
