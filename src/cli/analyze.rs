//! `strata analyze`: availability journey by journey and single points of failure,
//! explained in words or as JSON; with `--fail`, what still works without the failed
//! components.

use super::io;
use super::ColorChoice;
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;
use strata::analysis::explain::{explain, explain_what_if};
use strata::analysis::what_if::{what_if, Failure};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The report for a reader: each journey term by term, then single points of failure
    Text,
    /// The same analysis in the documented strata.analysis/1 schema
    Json,
}

/// `--traffic 10x` (or `10`, `2.5x`): a factor above zero.
pub fn traffic_scale(written: &str) -> Result<f64, String> {
    let digits = written.strip_suffix(['x', '×']).unwrap_or(written);
    match digits.replace('_', "").parse::<f64>() {
        Ok(factor) if factor > 0.0 && factor.is_finite() => Ok(factor),
        _ => Err(format!(
            "`{written}` is not a factor: write how many times the declared traffic, e.g. 10x"
        )),
    }
}

pub fn run(
    file: &Path,
    fail: &[String],
    traffic: f64,
    format: Format,
    color: ColorChoice,
) -> ExitCode {
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
    let analysis = strata::analysis::analyze_at(design, traffic);
    let what_if = (!failures.is_empty()).then(|| what_if(design, &analysis, &failures));
    let report = match (format, &what_if) {
        (Format::Json, _) => {
            strata::analysis::json::to_json(design, &analysis, what_if.as_ref().map(|w| (fail, w)))
        }
        (Format::Text, Some(what_if)) => explain_what_if(design, &analysis, what_if),
        (Format::Text, None) => explain(design, &analysis),
    };
    match io::print(&report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
