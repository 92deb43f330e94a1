//! `strata analyze`: availability journey by journey and single points of failure,
//! explained; with `--fail`, what still works without the failed components.

use super::io;
use super::ColorChoice;
use std::path::Path;
use std::process::ExitCode;
use strata::analysis::explain::{explain, explain_what_if};
use strata::analysis::what_if::{what_if, Failure};

pub fn run(file: &Path, fail: &[String], color: ColorChoice) -> ExitCode {
    let (_, checked) = match io::load_checked(file, color, "analyzed") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let design = &checked.design;
    let failures: Result<Vec<Failure>, String> = fail
        .iter()
        .map(|written| Failure::parse(design, written))
        .collect();
    let failures = match failures {
        Ok(failures) => failures,
        Err(message) => {
            eprintln!("error: --fail: {message}");
            return io::failure();
        }
    };
    let analysis = strata::analysis::analyze(design);
    let report = if failures.is_empty() {
        explain(design, &analysis)
    } else {
        explain_what_if(design, &analysis, &what_if(design, &analysis, &failures))
    };
    match io::print(&report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
