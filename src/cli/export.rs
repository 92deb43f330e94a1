//! `strata export`: the design graph as JSON, DOT, D2, Mermaid, PlantUML, Structurizr DSL
//! or LikeC4.

use super::io::{self, Overwrite};
use super::ColorChoice;
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Format {
    /// The design graph in the documented strata.design/1 schema
    Json,
    /// Graphviz DOT, tiers as clusters
    Dot,
    /// D2, tiers and groups as containers, kinds as classes
    D2,
    /// Mermaid flowchart, tiers and groups as subgraphs, kinds as shapes and classes
    Mermaid,
    /// PlantUML component diagram, tiers and groups as packages, kinds as elements
    Plantuml,
    /// A Structurizr DSL workspace: containers of one software system, tiers and groups as groups
    Structurizr,
    /// A LikeC4 model: elements nested per tier and group, a kind per strata kind
    Likec4,
}

/// What each output extension stands for.
const EXTENSIONS: [(&str, Format); 10] = [
    ("json", Format::Json),
    ("dot", Format::Dot),
    ("d2", Format::D2),
    ("mmd", Format::Mermaid),
    ("mermaid", Format::Mermaid),
    ("puml", Format::Plantuml),
    ("plantuml", Format::Plantuml),
    ("dsl", Format::Structurizr),
    ("c4", Format::Likec4),
    ("likec4", Format::Likec4),
];

pub fn run(
    file: &Path,
    format: Option<Format>,
    output: Option<&Path>,
    color: ColorChoice,
) -> ExitCode {
    let output = output.unwrap_or(Path::new("-"));
    let chosen = io::output_format(output, format, &EXTENSIONS, None)
        .and_then(|format| io::guard_input(file, output).map(|()| format));
    let format = match chosen {
        Ok(format) => format,
        Err(message) => {
            eprintln!("error: {message}");
            return io::failure();
        }
    };
    let (_, checked) = match io::load_checked(file, color, "exported") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let flows = checked.design.flows.len();
    if format == Format::Mermaid && flows > strata::export::mermaid::MAX_EDGES {
        eprintln!(
            "warning: {flows} flows: Mermaid draws at most {} edges unless its maxEdges \
             setting is raised; a view (`strata render --collapse groups`) or D2 shows more",
            strata::export::mermaid::MAX_EDGES
        );
    }
    let text = match format {
        Format::Json => strata::export::json::to_json(&checked.design),
        Format::Dot => strata::export::dot::to_dot(&checked.design),
        Format::D2 => strata::export::d2::to_d2(&checked.design),
        Format::Mermaid => strata::export::mermaid::to_mermaid(&checked.design),
        Format::Plantuml => strata::export::plantuml::to_plantuml(&checked.design),
        Format::Structurizr => strata::export::structurizr::to_structurizr(&checked.design),
        Format::Likec4 => strata::export::likec4::to_likec4(&checked.design),
    };
    match io::write_output(output, text.as_bytes(), Overwrite::Allow) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            io::failure()
        }
    }
}
