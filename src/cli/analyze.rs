//! `strata analyze`: availability path by path and single points of failure, explained
//! in words or as JSON.

use super::io;
use super::ColorChoice;
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The report for a reader: each journey term by term, then single points of failure
    Text,
    /// The same analysis in the documented strata.analysis/1 schema
    Json,
}

pub fn run(file: &Path, format: Format, color: ColorChoice) -> ExitCode {
    let (_, checked) = match io::load_checked(file, color, "analyzed") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let analysis = strata::analysis::analyze(&checked.design);
    let text = match format {
        Format::Text => strata::analysis::explain::explain(&checked.design, &analysis),
        Format::Json => strata::analysis::json::to_json(&checked.design, &analysis),
    };
    match io::print(&text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
