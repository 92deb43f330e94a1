//! `strata watch`: re-check and re-render a design on every save. [`DesignWatcher`] is
//! the file watching that `strata serve` shares.

use super::check::{check_file, counted};
use super::render::{self, Request};
use super::settings::{ConfigArgs, Settings};
use super::{io, ColorChoice};
use notify::{RecursiveMode, Watcher};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;
use strata::lint::config::CommandLine;
use strata::report::{self, FileReport};

/// How long the directory must stay quiet before a change is read: an editor that writes
/// twice, or writes a temporary file and renames it, is done well within it.
const SETTLE: Duration = Duration::from_millis(150);

/// What happened to the watched file since it was last seen.
pub enum Change {
    /// It has new content (or is back after being deleted).
    Saved,
    /// It is gone; it may come back.
    Deleted,
}

/// Watches one design file through its directory, so saves that replace the file (write a
/// temporary file, rename it over) are seen as well as writes in place; and, once told
/// them ([`DesignWatcher::follow`]), the files it imports, through theirs.
pub struct DesignWatcher {
    path: PathBuf,
    events: Receiver<notify::Result<notify::Event>>,
    // Kept alive: dropping it stops the events.
    watcher: notify::RecommendedWatcher,
    /// The directories watched.
    directories: Vec<PathBuf>,
    /// A hash of the content last seen, `None` while the file is missing: events that
    /// leave the content as it was (a touch, a second identical write) are no change.
    seen: Option<u64>,
    /// The files the design imported when last read, with their content hashes.
    imports: Vec<(PathBuf, Option<u64>)>,
}

impl DesignWatcher {
    pub fn new(path: &Path) -> Result<Self, String> {
        let directory = directory_of(path);
        let cannot_watch = |e: notify::Error| format!("cannot watch {}: {e}", directory.display());
        let (sender, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender).map_err(cannot_watch)?;
        watcher
            .watch(&directory, RecursiveMode::NonRecursive)
            .map_err(cannot_watch)?;
        Ok(DesignWatcher {
            path: path.to_path_buf(),
            events,
            watcher,
            directories: vec![directory.clone()],
            seen: content_hash(path),
            imports: Vec::new(),
        })
    }

    /// Watches the files the design imports now (as read for its last report) too: a
    /// change to any of them is a change to the design.
    pub fn follow(&mut self, report: &FileReport) {
        self.imports = (report.sources[1..].iter())
            .map(|source| {
                let path = PathBuf::from(&source.name);
                let hash = content_hash(&path);
                (path, hash)
            })
            .collect();
        for (path, _) in &self.imports {
            let directory = directory_of(path);
            // A directory that cannot be watched leaves its files unwatched, as before.
            if !self.directories.contains(&directory)
                && self
                    .watcher
                    .watch(&directory, RecursiveMode::NonRecursive)
                    .is_ok()
            {
                self.directories.push(directory);
            }
        }
    }

    /// Whether the file is there now.
    pub fn exists(&self) -> bool {
        self.seen.is_some()
    }

    /// Blocks until the file's content differs from what was last seen, or it is deleted.
    pub fn next_change(&mut self) -> Result<Change, String> {
        loop {
            let event = self
                .events
                .recv()
                .map_err(|_| "the file watcher stopped".to_string())?;
            if !self.concerns(&event) {
                continue;
            }
            while self.events.recv_timeout(SETTLE).is_ok() {}
            let now = content_hash(&self.path);
            let mut imports_changed = false;
            for (path, seen) in &mut self.imports {
                let hash = content_hash(path);
                imports_changed |= hash != *seen;
                *seen = hash;
            }
            if now == self.seen && !imports_changed {
                continue;
            }
            self.seen = now;
            return Ok(match now {
                Some(_) => Change::Saved,
                None => Change::Deleted,
            });
        }
    }

    /// Events name paths in the directory; an error from the watcher may hide one of ours.
    fn concerns(&self, event: &notify::Result<notify::Event>) -> bool {
        match event {
            Ok(event) => event.paths.iter().any(|changed| {
                let watched =
                    std::iter::once(&self.path).chain(self.imports.iter().map(|(path, _)| path));
                watched
                    .into_iter()
                    .any(|path| changed.file_name() == path.file_name())
            }),
            Err(_) => true,
        }
    }
}

/// The directory a file is in, as notify is to watch it.
fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file's content hash; `None` when it is missing. A file that cannot be read counts
/// as changed, so the render that follows reports why.
fn content_hash(path: &Path) -> Option<u64> {
    let mut hasher = std::hash::DefaultHasher::new();
    match std::fs::read(path) {
        Ok(bytes) => bytes.hash(&mut hasher),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => e.to_string().hash(&mut hasher),
    }
    Some(hasher.finish())
}

pub fn run(file: &Path, output: &Path, config: &ConfigArgs, color: ColorChoice) -> ExitCode {
    // Standard input is read once, and drawings on standard output would run into the
    // status lines.
    let refused = match (io::is_stdio(file), io::is_stdio(output)) {
        (true, _) => Err("watch needs a design file: standard input cannot change".to_string()),
        (_, true) => Err("watch writes its drawing to a file: name one with -o".to_string()),
        _ => io::guard_input(file, output),
    };
    if let Err(message) = refused {
        eprintln!("error: {message}");
        return io::failure();
    }
    let mut watcher = match DesignWatcher::new(file) {
        Ok(watcher) => watcher,
        Err(message) => {
            eprintln!("error: {message}");
            return io::failure();
        }
    };
    let name = io::display_name(file);
    let mut count: u64 = 0;
    let mut change = match watcher.exists() {
        true => Change::Saved,
        false => Change::Deleted,
    };
    loop {
        count += 1;
        let status = match change {
            Change::Saved => render_once(file, output, config, color, &mut watcher),
            Change::Deleted => format!("{name} is missing: waiting for it to come back"),
        };
        status_line(count, &status);
        change = match watcher.next_change() {
            Ok(change) => change,
            Err(message) => {
                eprintln!("error: {message}");
                return io::failure();
            }
        };
    }
}

/// Checks and lints the design as `strata check` does: its report, and whether it has
/// errors (then printed in full on standard error). `Err`: a usage error.
pub fn check(
    file: &Path,
    config: &ConfigArgs,
    color: ColorChoice,
) -> Result<(FileReport, bool), String> {
    let mut settings = Settings::new(config);
    let checked = check_file(file, &mut settings, &CommandLine::default());
    settings.print_problems(color);
    let (report, broken) = checked?;
    if broken {
        let color = io::use_color(color, io::Stream::Stderr);
        eprint!("{}", report::text(std::slice::from_ref(&report), color));
    }
    Ok((report, broken))
}

/// Checks and renders the design once, then watches what it imports; the status line
/// says what came of it.
fn render_once(
    file: &Path,
    output: &Path,
    config: &ConfigArgs,
    color: ColorChoice,
    watcher: &mut DesignWatcher,
) -> String {
    let (report, broken) = match check(file, config, color) {
        Ok(checked) => checked,
        Err(usage) => return format!("error: {usage}"),
    };
    watcher.follow(&report);
    let summary = counted(std::slice::from_ref(&report));
    if broken {
        return format!("{}: {summary}; nothing rendered", report.root().name);
    }
    // The drawing is `strata render`'s, which lints only for --annotate.
    let unlinted = ConfigArgs::default();
    let request = Request::new(file, output, &unlinted);
    match render::render_file(&request, color) {
        Ok(()) => format!("rendered {}: {summary}", output.display()),
        Err(Some(message)) => format!("error: {message}"),
        Err(None) => format!("{}: nothing rendered", report.root().name),
    }
}

/// Prints `[N] STATUS` at once, even when standard output is a pipe; a closed standard
/// output does not stop the watching.
pub fn status_line(number: u64, status: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "[{number}] {status}").and_then(|()| stdout.flush());
}
