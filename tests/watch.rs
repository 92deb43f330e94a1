//! `strata watch` out of process: each way an editor saves gives exactly one render, a
//! save that changes nothing gives none, and a deleted file is waited for.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// Generous: only a hung watcher should ever reach it.
const PATIENCE: Duration = Duration::from_secs(60);

const DESIGN: &str = "web: client\napi: service\nweb -> api\n";

struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Watching {
    fn start(design: &Path, output: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
            .arg("watch")
            .arg(design)
            .arg("-o")
            .arg(output)
            .arg("--isolated")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, lines }
    }

    /// The next status line, which must be the `number`th.
    fn expect(&self, number: usize, saying: &str) -> String {
        let line = self
            .lines
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no status line {number} ({saying})"));
        assert!(
            line.starts_with(&format!("[{number}] ")) && line.contains(saying),
            "expected status line {number} saying {saying:?}, got {line:?}"
        );
        line
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn with_component(id: &str) -> String {
    format!("{DESIGN}{id}: database\napi -> {id}\n")
}

#[test]
fn every_kind_of_save_renders_once_and_a_deleted_design_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("shop.strata");
    let output = dir.path().join("shop.svg");
    std::fs::write(&design, DESIGN).unwrap();
    let watching = Watching::start(&design, &output);
    let line = watching.expect(1, "rendered");
    assert!(line.contains("shop.svg: 0 errors, "), "{line}");
    let drawing = || std::fs::read_to_string(&output).unwrap();
    assert!(drawing().contains(r#"id="c-api""#));

    // Written in place.
    std::fs::write(&design, with_component("orders")).unwrap();
    watching.expect(2, "rendered");
    assert!(drawing().contains(r#"id="c-orders""#));

    // Written to a temporary file renamed over the design, as many editors save.
    let temporary = dir.path().join(".shop.strata.swp");
    std::fs::write(&temporary, with_component("ledger")).unwrap();
    std::fs::rename(&temporary, &design).unwrap();
    watching.expect(3, "rendered");
    assert!(drawing().contains(r#"id="c-ledger""#));

    // Emptied, then written: one save, one render of what it ends with.
    std::fs::write(&design, "").unwrap();
    std::fs::write(&design, with_component("stock")).unwrap();
    // Saved again unchanged: no render; the next line is the next real change's.
    std::fs::write(&design, with_component("stock")).unwrap();
    let line = watching.expect(4, "rendered");
    assert!(drawing().contains(r#"id="c-stock""#), "{line}");

    // An error leaves the last drawing in place.
    std::fs::write(&design, "api: service\napi -> nowhere\n").unwrap();
    watching.expect(5, "nothing rendered");
    assert!(drawing().contains(r#"id="c-stock""#));

    // So does a file that is not UTF-8; the watcher goes on.
    std::fs::write(&design, b"web: client\xff\n").unwrap();
    watching.expect(6, "1 error, 0 warnings, 0 info; nothing rendered");

    std::fs::remove_file(&design).unwrap();
    watching.expect(7, "missing: waiting for it to come back");
    std::fs::write(&design, with_component("returns")).unwrap();
    watching.expect(8, "rendered");
    assert!(drawing().contains(r#"id="c-returns""#));
}

#[test]
fn a_design_missing_at_the_start_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("later.strata");
    let output = dir.path().join("later.txt");
    let watching = Watching::start(&design, &output);
    watching.expect(1, "missing: waiting");
    std::fs::write(&design, DESIGN).unwrap();
    watching.expect(2, "rendered");
    assert!(std::fs::read_to_string(&output).unwrap().contains("api"));
}

#[test]
fn standard_input_and_output_are_refused() {
    for (design, output, saying) in [
        ("-", "out.svg", "standard input cannot change"),
        ("shop.strata", "-", "name one with -o"),
    ] {
        let refused = Command::new(env!("CARGO_BIN_EXE_strata"))
            .args(["watch", design, "-o", output])
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(saying), "{stderr}");
    }
}

#[test]
fn a_save_of_a_file_the_design_imports_renders_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("strata.toml"), "").unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    let shared = dir.path().join("shared/data.strata");
    std::fs::write(&shared, "db: database\n").unwrap();
    let design = dir.path().join("shop.strata");
    let output = dir.path().join("shop.svg");
    std::fs::write(
        &design,
        "import \"shared/data.strata\"\n{DESIGN}api -> db\n".replace("{DESIGN}", DESIGN),
    )
    .unwrap();
    let watching = Watching::start(&design, &output);
    watching.expect(1, "rendered");
    let drawing = || std::fs::read_to_string(&output).unwrap();
    assert!(drawing().contains(r#"id="c-db""#));
    // The imported file, in another directory, changes: the design is drawn again.
    std::fs::write(&shared, "db: database\ncache: cache\n").unwrap();
    watching.expect(2, "rendered");
    assert!(drawing().contains(r#"id="c-cache""#));
    // An error in it leaves the last drawing, and its fix is seen too.
    std::fs::write(&shared, "db: databse\n").unwrap();
    watching.expect(3, "nothing rendered");
    std::fs::write(&shared, "db: database\n").unwrap();
    watching.expect(4, "rendered");
    assert!(!drawing().contains(r#"id="c-cache""#));
}
