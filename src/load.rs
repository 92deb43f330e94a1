//! Designs across files: the files a design imports (`import "shared/edge.strata"`), read
//! transitively, each once, inside the project's root.
//!
//! Loading sits between parsing and the model: each file is parsed at its own offsets
//! (`Source::at`), its imports are resolved and read, and the model lowers every file's
//! items in one namespace, each file after the files it imports.

use crate::diagnostics::Diagnostic;
use crate::lint::project::{self, Unread};
use crate::report::absolute;
use crate::source::{quoted, Source, Span};
use crate::syntax::{self, ast::Item, Parsed};
use std::path::{Path, PathBuf};

/// A file the design imports, read and parsed.
pub struct Imported {
    /// Absolute, with `.` and `..` resolved.
    pub path: PathBuf,
    pub source: Source,
    pub parsed: Parsed,
}

/// Where a design's imports are read from: the design's own path, the project's root no
/// import may leave, and how a file is read (from disk with the input limit, or from an
/// editor's open documents).
pub struct Project<'r> {
    /// The design's file, absolute; for standard input, a name in the working directory.
    pub design: PathBuf,
    /// Imports resolve inside this directory only.
    pub root: PathBuf,
    /// Reads a file given its path, as it is to be reported.
    pub read: &'r mut dyn FnMut(&Path, String) -> Result<Source, Unread>,
}

impl<'r> Project<'r> {
    /// The project of the design at `design`: its root is the directory of the nearest
    /// `strata.toml` at or above the design (the file that also holds its lint settings),
    /// else the design's own directory.
    pub fn of(
        design: &Path,
        read: &'r mut dyn FnMut(&Path, String) -> Result<Source, Unread>,
    ) -> Self {
        let design = absolute(design);
        let directory = design.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = project::find(&directory)
            .and_then(|file| file.parent().map(Path::to_path_buf))
            .unwrap_or(directory);
        Project { design, root, read }
    }
}

/// The design's imported files and the order its files' declarations are lowered in.
pub(crate) struct Loaded {
    pub imported: Vec<Imported>,
    /// Files by index (0 the design's own, `k` the `k`th imported), each after the files
    /// it imports: the order of their declarations in the design.
    pub order: Vec<usize>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every file `root` imports, depth first and each once. Without a project (text
/// checked on its own), each import is an error: there is nowhere to read it from.
pub(crate) fn load(root_source: &Source, root: &Parsed, project: Option<&mut Project>) -> Loaded {
    let mut loaded = Loaded {
        imported: Vec::new(),
        order: Vec::new(),
        diagnostics: Vec::new(),
    };
    let Some(project) = project else {
        loaded.diagnostics = (root.items.iter())
            .filter_map(import_of)
            .map(|(path, span)| {
                Diagnostic::error("E010", format!("`{}` is not read", quoted(path)), span)
                    .with_label("an import in a design that is not a file")
                    .with_help("imports are read relative to the design's file: check the design as a file")
            })
            .collect();
        loaded.order.push(0);
        return loaded;
    };
    let design = project.design.clone();
    let mut walk = Walk {
        identities: vec![identity(&design)],
        paths: vec![design],
        names: vec![root_source.name.clone()],
        next_base: root_source.next_base(),
        project,
        loaded,
    };
    walk.run(root);
    walk.loaded
}

fn import_of(item: &Item) -> Option<(&str, Span)> {
    match item {
        Item::Import(import) => Some((&import.path.value, import.span.clone())),
        _ => None,
    }
}

/// A file as the file system knows it (links resolved), so one file reached by two paths
/// is read once; the path itself where it cannot be resolved.
fn identity(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

struct Walk<'p, 'r> {
    project: &'p mut Project<'r>,
    /// Each file's path (absolute), identity and name as reported, by index.
    paths: Vec<PathBuf>,
    identities: Vec<PathBuf>,
    names: Vec<String>,
    next_base: usize,
    loaded: Loaded,
}

impl Walk<'_, '_> {
    fn run(&mut self, root: &Parsed) {
        // The files being imported, innermost last, each with the next item to look at.
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        while let Some(&(file, next)) = stack.last() {
            let items = match file {
                0 => &root.items,
                _ => &self.loaded.imported[file - 1].parsed.items,
            };
            let found = (items.iter().enumerate().skip(next)).find_map(|(at, item)| {
                import_of(item).map(|(path, span)| (at, path.to_string(), span))
            });
            let Some((at, path, span)) = found else {
                self.loaded.order.push(file);
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 = at + 1;
            }
            let chain: Vec<usize> = stack.iter().map(|&(file, _)| file).collect();
            if let Some(imported) = self.import(&path, span, &chain) {
                stack.push((imported, 0));
            }
        }
    }

    /// Reads the file `path` names, imported by the last file of `chain` at `span`: its
    /// index, or `None` when it is read already or cannot be (an error then says why).
    fn import(&mut self, path: &str, span: Span, chain: &[usize]) -> Option<usize> {
        let importer = chain[chain.len() - 1];
        if path.trim().is_empty() {
            self.error(
                Diagnostic::error("E010", "an import that names no file", span)
                    .with_label("an empty path")
                    .with_help("write the path of a design file, relative to this one: `import \"shared/edge.strata\"`"),
            );
            return None;
        }
        let directory = self.paths[importer].parent().unwrap_or(Path::new("/"));
        let target = absolute(&directory.join(path));
        let resolved = target.canonicalize().ok();
        // Lexically inside, and where it exists, inside once links are followed too.
        let inside = target.starts_with(&self.project.root)
            && (resolved.as_ref())
                .is_none_or(|real| real.starts_with(identity(&self.project.root)));
        let identity = resolved.unwrap_or_else(|| target.clone());
        if !inside {
            let root = project::shown(&self.project.root);
            self.error(
                Diagnostic::error("E012", format!("`{}` is outside the project", quoted(path)), span)
                    .with_label(format!("this file is not inside {}", quoted(&root)))
                    .with_help(format!(
                        "a design imports files inside its project only: the directory of the nearest strata.toml at or above the design, else the design's own directory ({}); move the file there, or put a strata.toml in a directory above both",
                        quoted(&root)
                    )),
            );
            return None;
        }
        if let Some(from) = chain
            .iter()
            .position(|&file| self.identities[file] == identity)
        {
            let names: Vec<&str> = (chain[from..].iter())
                .chain([&chain[from]])
                .map(|&file| self.names[file].as_str())
                .collect();
            self.error(
                Diagnostic::error("E011", format!("an import cycle: {}", quoted(&names.join(" → "))), span)
                    .with_label("this import closes the cycle")
                    .with_help("a file cannot import itself, even through others: move what both need into a file that imports neither"),
            );
            return None;
        }
        if self.identities.contains(&identity) {
            return None;
        }
        let name = project::shown(&target);
        let base = self.next_base;
        let (source, parsed) = match (self.project.read)(&target, name) {
            Ok(source) => {
                let source = source.at(base);
                let parsed = syntax::parse(&source);
                (source, parsed)
            }
            Err(Unread::Message(message)) => {
                self.error(
                    Diagnostic::error("E010", format!("cannot import `{}`", quoted(path)), span)
                        .with_label(message)
                        .with_help("the path is relative to the importing file's directory"),
                );
                return None;
            }
            Err(Unread::Encoding(located)) => {
                let (source, diagnostic) = *located;
                let parsed = Parsed {
                    items: Vec::new(),
                    comments: Vec::new(),
                    diagnostics: vec![diagnostic.shifted(base)],
                };
                (source.at(base), parsed)
            }
        };
        self.next_base = source.next_base();
        self.names.push(source.name.clone());
        self.paths.push(target);
        self.identities.push(identity);
        self.loaded.imported.push(Imported {
            path: self.paths[self.paths.len() - 1].clone(),
            source,
            parsed,
        });
        Some(self.loaded.imported.len())
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.loaded.diagnostics.push(diagnostic);
    }
}
