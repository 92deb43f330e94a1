//! strata compiles architecture designs written as code.
//!
//! The pipeline, one module per stage: [`syntax`] (text → syntax tree) →
//! [`model`] (syntax tree → checked design graph) → [`analysis`] (what the design
//! implies) → [`lint`] (findings) → [`report`]; and [`model`] → [`view`] (optional) → [`layout`] → [`render`].

pub mod analysis;
pub mod diagnostics;
pub mod export;
pub mod generate;
pub mod layout;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod render;
pub mod report;
pub mod source;
pub mod syntax;
pub mod templates;
pub mod view;

use diagnostics::Diagnostic;
use source::Source;

/// A file taken through syntax and model: the design (possibly partial) and every
/// diagnostic, sorted by position.
pub struct Checked {
    pub parsed: syntax::Parsed,
    pub design: model::Design,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks one design file.
pub fn check(source: &Source) -> Checked {
    let parsed = syntax::parse(source);
    let (design, semantic) = model::lower(&parsed.items);
    let mut diagnostics = parsed.diagnostics.clone();
    diagnostics.extend(semantic);
    if design.components.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error("E008", "the design declares no components", 0..0)
                .with_label("nothing to check in this file")
                .with_help("declare components such as `web: client`, or start from a template: `strata new ecommerce`"),
        );
    }
    diagnostics::sort(&mut diagnostics);
    Checked {
        parsed,
        design,
        diagnostics,
    }
}
