//! strata compiles architecture designs written as code.
//!
//! The pipeline, one module per stage: [`syntax`] (text → syntax tree) →
//! [`load`] (the files a design imports) → [`model`] (syntax tree → checked design graph) → [`analysis`] (what the design
//! implies) → [`lint`] (findings) → [`report`]; and [`model`] → [`view`] (optional) → [`layout`] → [`render`].

pub mod analysis;
pub mod diagnostics;
pub mod export;
pub mod generate;
pub mod import;
pub mod layout;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod model;
pub mod render;
pub mod report;
pub mod source;
pub mod syntax;
pub mod templates;
pub mod view;

use diagnostics::Diagnostic;
use source::{Files, Source};
use std::borrow::Cow;
use syntax::lexer::Comment;

/// A design taken through syntax and model: the design (possibly partial) and every
/// diagnostic, sorted by position.
pub struct Checked {
    /// The design's own file's syntax tree.
    pub parsed: syntax::Parsed,
    /// The files it imports, transitively, each once, in the order first imported.
    pub imported: Vec<load::Imported>,
    pub design: model::Design,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The design's files, `root` being the design's own source, for rendering diagnostics.
    pub fn files<'a>(&'a self, root: &'a Source) -> DesignFiles<'a> {
        DesignFiles {
            root,
            imported: &self.imported,
        }
    }

    /// Every file's comments, where lint reads suppressions.
    pub fn comments(&self) -> Cow<'_, [Comment]> {
        match self.imported.is_empty() {
            true => Cow::Borrowed(&self.parsed.comments),
            false => Cow::Owned(
                (self.parsed.comments.iter())
                    .chain(self.imported.iter().flat_map(|file| &file.parsed.comments))
                    .cloned()
                    .collect(),
            ),
        }
    }

    /// The design's sources, its own first: the files a report on it names.
    pub fn into_sources(self, root: Source) -> Vec<Source> {
        std::iter::once(root)
            .chain(self.imported.into_iter().map(|file| file.source))
            .collect()
    }
}

/// A design's own file and the files it imports, each at its own offsets.
pub struct DesignFiles<'a> {
    root: &'a Source,
    imported: &'a [load::Imported],
}

impl Files for DesignFiles<'_> {
    fn file_of(&self, offset: usize) -> &Source {
        let after = self
            .imported
            .partition_point(|file| file.source.base() <= offset);
        match after {
            0 => self.root,
            _ => &self.imported[after - 1].source,
        }
    }
}

/// Parses and checks one design file on its own: an `import` in it is an error, as there
/// is no file to read it relative to (see [`check_project`]).
pub fn check(source: &Source) -> Checked {
    check_project(source, None)
}

/// Parses and checks a design file and every file it imports, read through `project`.
pub fn check_project(source: &Source, project: Option<&mut load::Project>) -> Checked {
    let parsed = syntax::parse(source);
    let loaded = load::load(source, &parsed, project);
    let files: Vec<&[syntax::ast::Item]> = (loaded.order.iter())
        .map(|&file| match file {
            0 => parsed.items.as_slice(),
            _ => loaded.imported[file - 1].parsed.items.as_slice(),
        })
        .collect();
    let (design, semantic) = model::lower(&files);
    let mut diagnostics = parsed.diagnostics.clone();
    diagnostics.extend(loaded.diagnostics);
    for file in &loaded.imported {
        diagnostics.extend(file.parsed.diagnostics.iter().cloned());
    }
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
        imported: loaded.imported,
        design,
        diagnostics,
    }
}
