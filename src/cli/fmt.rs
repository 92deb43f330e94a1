//! `strata fmt`: rewrite designs in canonical layout.

use super::io::{self, Overwrite};
use super::ColorChoice;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(files: &[PathBuf], check_only: bool, color: ColorChoice) -> ExitCode {
    let mut failed = false;
    let mut unformatted = Vec::new();
    for path in files {
        let source = match io::read_source(path) {
            Ok(source) => source,
            Err(error) => {
                error.report(color);
                failed = true;
                continue;
            }
        };
        let parsed = strata::syntax::parse(&source);
        if parsed.has_errors() {
            io::print_diagnostics(&source, &parsed.diagnostics, color);
            eprintln!(
                "error: {} not formatted: fix the errors above first",
                source.name
            );
            failed = true;
            continue;
        }
        let formatted = strata::syntax::format::format(&source.text, &parsed);
        if io::is_stdio(path) && !check_only {
            failed |= report(io::write_output(
                path,
                formatted.as_bytes(),
                Overwrite::Allow,
            ));
        } else if formatted != source.text {
            if !check_only {
                failed |= report(io::write_output(
                    path,
                    formatted.as_bytes(),
                    Overwrite::Allow,
                ));
            }
            unformatted.push(source.name);
        }
    }
    for name in &unformatted {
        let verb = if check_only {
            "would reformat"
        } else {
            "reformatted"
        };
        eprintln!("{verb} {name}");
    }
    if failed {
        io::failure()
    } else if check_only && !unformatted.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints a write error; returns whether there was one.
fn report(result: Result<(), String>) -> bool {
    match result {
        Ok(()) => false,
        Err(message) => {
            eprintln!("error: {message}");
            true
        }
    }
}
