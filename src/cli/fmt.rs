//! `strata fmt`: rewrite designs in canonical layout.

use super::io::{self, Overwrite};
use super::ColorChoice;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::syntax::format::format_keeping_line_endings;

/// What formatting one file came to.
enum Outcome {
    Unchanged,
    /// Reformatted, or would be with `--check`.
    Changed(String),
    /// Errors in the design or in reading or writing it, already reported.
    Failed,
}

pub fn run(paths: &[PathBuf], check_only: bool, color: ColorChoice) -> ExitCode {
    let files = match io::design_files(paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return io::failure();
        }
    };
    let mut failed = false;
    let mut changed = Vec::new();
    for path in &files {
        match format_file(path, check_only, color) {
            Outcome::Unchanged => {}
            Outcome::Changed(name) => changed.push(name),
            Outcome::Failed => failed = true,
        }
    }
    let verb = match check_only {
        true => "would reformat",
        false => "reformatted",
    };
    for name in &changed {
        eprintln!("{verb} {name}");
    }
    if failed {
        io::failure()
    } else if check_only && !changed.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Formats one file, or standard input to standard output. A design with any error,
/// syntax or model, is left alone: formatting what does not check could change what it
/// means (`web -> "api -> db"` would become a chain). Its imports are read to check it,
/// and left as they are: only the files named are formatted.
fn format_file(path: &Path, check_only: bool, color: ColorChoice) -> Outcome {
    let source = match io::read_source(path) {
        Ok(source) => source,
        Err(error) => {
            error.report(color);
            return Outcome::Failed;
        }
    };
    let checked = io::check_design(path, &source);
    if checked.has_errors() {
        io::print_diagnostics(&checked.files(&source), &checked.diagnostics, color);
        eprintln!(
            "error: {} not formatted: fix the errors above first",
            source.name
        );
        return Outcome::Failed;
    }
    let formatted = format_keeping_line_endings(&source.text, &checked.parsed);
    if io::is_stdio(path) && !check_only {
        return write(path, &formatted, Outcome::Unchanged);
    }
    if formatted == source.text {
        return Outcome::Unchanged;
    }
    let changed = Outcome::Changed(source.name);
    match check_only {
        true => changed,
        false => write(path, &formatted, changed),
    }
}

/// Writes the formatted text; `done` is the outcome when that works.
fn write(path: &Path, formatted: &str, done: Outcome) -> Outcome {
    match io::write_output(path, formatted.as_bytes(), Overwrite::Allow) {
        Ok(()) => done,
        Err(message) => {
            eprintln!("error: {message}");
            Outcome::Failed
        }
    }
}
