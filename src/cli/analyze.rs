//! `strata analyze`: availability path by path and single points of failure, explained.

use super::io;
use super::ColorChoice;
use std::path::Path;
use std::process::ExitCode;

pub fn run(file: &Path, color: ColorChoice) -> ExitCode {
    let (_, checked) = match io::load_checked(file, color, "analyzed") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let analysis = strata::analysis::analyze(&checked.design);
    match io::print(&strata::analysis::explain::explain(
        &checked.design,
        &analysis,
    )) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
