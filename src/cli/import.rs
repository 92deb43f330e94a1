//! `strata import`: a D2 diagram or a Structurizr DSL workspace read into a strata design.

use super::io::{self, Overwrite};
use super::ColorChoice;
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;
use strata::import::Language;

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum From {
    /// A Structurizr DSL workspace (people, software systems, containers, relationships)
    Structurizr,
    /// A D2 diagram (containers, shapes, edges)
    D2,
}

/// What each input extension stands for, when `--from` is not given.
const EXTENSIONS: [(&str, From); 2] = [("dsl", From::Structurizr), ("d2", From::D2)];

pub fn run(file: &Path, from: Option<From>, output: Option<&Path>, color: ColorChoice) -> ExitCode {
    let output = output.unwrap_or(Path::new("-"));
    let chosen =
        language(file, from).and_then(|language| io::guard_input(file, output).map(|()| language));
    let language = match chosen {
        Ok(language) => language,
        Err(message) => {
            eprintln!("error: {message}");
            return io::failure();
        }
    };
    let source = match io::read_source(file) {
        Ok(source) => source,
        Err(error) => {
            error.report(color);
            return io::failure();
        }
    };
    let imported = match strata::import::import(&source, language) {
        Ok(imported) => imported,
        Err(errors) => {
            io::print_diagnostics(&source, &errors, color);
            eprintln!("error: nothing imported: fix the errors above first");
            return io::failure();
        }
    };
    io::print_diagnostics(&source, &imported.warnings, color);
    match io::write_output(output, imported.text.as_bytes(), Overwrite::Allow) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            io::failure()
        }
    }
}

/// `--from`, else what the input's extension says.
fn language(file: &Path, from: Option<From>) -> Result<Language, String> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let named = EXTENSIONS
        .iter()
        .find(|(known, _)| Some(*known) == extension.as_deref())
        .map(|&(_, from)| from);
    match from.or(named) {
        Some(From::D2) => Ok(Language::D2),
        Some(From::Structurizr) => Ok(Language::Structurizr),
        None => Err(format!(
            "cannot tell the language of {} from its extension: pass --from structurizr or --from d2",
            io::display_name(file)
        )),
    }
}
