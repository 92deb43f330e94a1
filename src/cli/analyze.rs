//! `strata analyze`: availability path by path and single points of failure, explained.

use super::io;
use super::ColorChoice;
use std::path::Path;
use std::process::ExitCode;

pub fn run(file: &Path, color: ColorChoice) -> ExitCode {
    let source = match io::read_source(file) {
        Ok(source) => source,
        Err(error) => {
            error.report(color);
            return io::failure();
        }
    };
    let checked = strata::check(&source);
    io::print_diagnostics(&source, &checked.diagnostics, color);
    if checked.has_errors() {
        eprintln!("error: nothing analyzed: fix the errors above first");
        return io::failure();
    }
    let analysis = strata::analysis::analyze(&checked.design);
    print!(
        "{}",
        strata::analysis::explain::explain(&checked.design, &analysis)
    );
    ExitCode::SUCCESS
}
