//! `strata check`: parse and check designs, print every diagnostic.

use super::io::{self, Stream};
use super::ColorChoice;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use strata::diagnostics::Severity;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Source snippets with labels and help
    Text,
    /// One line each: file:line:col: CODE message
    Concise,
}

pub fn run(files: &[PathBuf], format: Format, color: ColorChoice) -> ExitCode {
    let use_color = io::use_color(color, Stream::Stdout);
    let (mut errors, mut warnings) = (0, 0);
    for path in files {
        let source = match io::read_source(path) {
            Ok(source) => source,
            Err(error) => {
                error.report(color);
                errors += 1;
                continue;
            }
        };
        let checked = strata::check(&source);
        for diagnostic in &checked.diagnostics {
            match diagnostic.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => {}
            }
            match format {
                Format::Text => print!("{}", diagnostic.render(&source, use_color)),
                Format::Concise => println!("{}", diagnostic.concise(&source)),
            }
        }
    }
    let files_word = if files.len() == 1 { "file" } else { "files" };
    if errors + warnings == 0 {
        eprintln!("{} {files_word} checked: no problems", files.len());
    } else {
        eprintln!(
            "{} {files_word} checked: {errors} error{}, {warnings} warning{}",
            files.len(),
            plural(errors),
            plural(warnings)
        );
    }
    if errors > 0 {
        io::failure()
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
