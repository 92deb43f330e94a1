//! `strata.toml`: a project's lint settings, like ruff's configuration. The file nearest a
//! design (in its directory, or the closest one above) applies to it; `extend` names a
//! file it builds on. Its settings are read as a design's `lint` block is (the same
//! checks, the same messages), and every mistake is a diagnostic located in the file.

use super::config::{self, is_known_selector, suggestion, Layer, OPTIONS};
use crate::diagnostics::{self, Diagnostic};
use crate::model::{LintSetting, SettingValue};
use crate::report::absolute;
use crate::source::{quoted, Source, Span};
use globset::{GlobBuilder, GlobMatcher};
use std::path::{Path, PathBuf};
use toml_edit::{Document, Item, TableLike};

pub const FILE_NAME: &str = "strata.toml";

/// The keys of the top level, and of `[lint]` besides the options.
const TOP_KEYS: [&str; 2] = ["extend", "lint"];
const LINT_KEYS: [&str; 4] = ["select", "ignore", "severity", "per-file-ignores"];

/// The configuration file for designs in `directory`: the nearest `strata.toml` in it or
/// in a directory above it.
pub fn find(directory: &Path) -> Option<PathBuf> {
    absolute(directory)
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// A path as reported: relative to the working directory when inside it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().map(|cwd| absolute(&cwd));
    match cwd.as_ref().map(|cwd| path.strip_prefix(cwd)) {
        Ok(Ok(relative)) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// A configuration file and the files it extends, read and checked.
#[derive(Debug)]
pub struct Project {
    /// Lowest precedence (the last file of the `extend` chain) first.
    files: Vec<ConfigFile>,
}

#[derive(Debug)]
struct ConfigFile {
    /// Absolute: per-file-ignores globs are relative to it.
    directory: PathBuf,
    /// Its settings; the origin is the file's name as reported.
    layer: Layer,
    per_file_ignores: Vec<PerFileIgnore>,
}

#[derive(Debug)]
struct PerFileIgnore {
    pattern: String,
    matcher: GlobMatcher,
    selectors: Vec<String>,
}

/// Why a configuration file could not be read: what happened, or where its text is not
/// UTF-8 (located in it, as a design's would be).
pub enum Unread {
    Message(String),
    Encoding(Box<(Source, Diagnostic)>),
}

/// Why a configuration cannot be used: each file with what is wrong in it.
pub type Problems = Vec<(Source, Vec<Diagnostic>)>;

/// Where a file is named by the `extend` of another: that file, and the value's span.
type NamedBy = Option<(Source, Span)>;

impl Project {
    /// Reads the configuration file at `path` and the chain of files it extends. `read`
    /// reads a file given the name it is reported under.
    pub fn load(
        path: &Path,
        read: &dyn Fn(&Path) -> Result<Source, Unread>,
    ) -> Result<Project, Problems> {
        let mut files = Vec::new();
        let mut problems = Problems::new();
        // Each file read so far, as the file system knows it (links resolved) and as named.
        let mut chain: Vec<(PathBuf, String)> = Vec::new();
        let mut next: (PathBuf, NamedBy) = (absolute(path), None);
        loop {
            let (path, named_by) = next;
            let name = shown(&path);
            let identity = path.canonicalize().unwrap_or_else(|_| path.clone());
            if let Some((source, span)) = &named_by {
                if chain.iter().any(|(seen, _)| *seen == identity) {
                    let names: Vec<&str> = chain.iter().map(|(_, name)| name.as_str()).collect();
                    let cycle = Diagnostic::error(
                        "E207",
                        format!("`extend` makes a cycle: {} → {name}", names.join(" → ")),
                        span.clone(),
                    )
                    .with_label("this file is already in the chain")
                    .with_help("remove one `extend`: each file may extend one that does not lead back to it");
                    add_problem(&mut problems, source, cycle);
                    break;
                }
            }
            let source = match read(Path::new(&name)) {
                Ok(source) => source,
                Err(Unread::Message(message)) => {
                    let (source, diagnostic) = unreadable(&name, message, named_by);
                    add_problem(&mut problems, &source, diagnostic);
                    break;
                }
                Err(Unread::Encoding(located)) => {
                    let (source, diagnostic) = *located;
                    add_problem(&mut problems, &source, diagnostic);
                    break;
                }
            };
            chain.push((identity, name));
            let directory = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let parsed = parse(&source, directory);
            for diagnostic in parsed.diagnostics {
                add_problem(&mut problems, &source, diagnostic);
            }
            files.push(parsed.file);
            let Some((target, span)) = parsed.extend else {
                break;
            };
            let directory = &files[files.len() - 1].directory;
            next = (absolute(&directory.join(target)), Some((source, span)));
        }
        if !problems.is_empty() {
            for (_, diagnostics) in &mut problems {
                diagnostics::sort(diagnostics);
            }
            return Err(problems);
        }
        files.reverse();
        Ok(Project { files })
    }

    /// The layers for a design at `design` (`None`: standard input, which no per-file
    /// ignore matches), lowest precedence first: each file's settings, then the
    /// per-file ignores of it that match the design.
    pub fn layers(&self, design: Option<&Path>) -> Vec<Layer> {
        let design = design.map(absolute);
        let mut layers = Vec::new();
        for file in &self.files {
            layers.push(file.layer.clone());
            let Some(design) = &design else {
                continue;
            };
            for ignore in &file.per_file_ignores {
                if ignore.matches(design, &file.directory) {
                    layers.push(Layer {
                        origin: format!(
                            "{} [lint.per-file-ignores] \"{}\"",
                            file.layer.origin, ignore.pattern
                        ),
                        ignore: ignore.selectors.clone(),
                        ..Layer::default()
                    });
                }
            }
        }
        layers
    }
}

impl PerFileIgnore {
    /// A pattern with a `/` is matched against the design's path from the configuration
    /// file's directory; one without, against its file name, in any directory (as in
    /// `.gitignore`).
    fn matches(&self, design: &Path, directory: &Path) -> bool {
        if self.pattern.contains('/') {
            design
                .strip_prefix(directory)
                .is_ok_and(|relative| self.matcher.is_match(relative))
        } else {
            design
                .file_name()
                .is_some_and(|name| self.matcher.is_match(name))
        }
    }
}

fn add_problem(problems: &mut Problems, source: &Source, diagnostic: Diagnostic) {
    match problems.iter_mut().find(|(s, _)| s.name == source.name) {
        Some((_, diagnostics)) => diagnostics.push(diagnostic),
        None => problems.push((source.clone(), vec![diagnostic])),
    }
}

/// A file that cannot be read: located at the `extend` that names it, or else reported
/// against the file itself.
fn unreadable(name: &str, message: String, named_by: NamedBy) -> (Source, Diagnostic) {
    match named_by {
        Some((source, span)) => {
            let diagnostic = Diagnostic::error("E207", message, span)
                .with_label(format!("`extend` names `{}`", quoted(name)))
                .with_help("`extend` takes a path relative to this file's directory");
            (source, diagnostic)
        }
        None => {
            let diagnostic = Diagnostic::error("E010", message, 0..0)
                .with_label("this file could not be read")
                .with_help("check the path given to --config and its permissions");
            (Source::new(name, ""), diagnostic)
        }
    }
}

struct Parsed {
    file: ConfigFile,
    /// The file named by `extend`, as written, and where.
    extend: Option<(String, Span)>,
    diagnostics: Vec<Diagnostic>,
}

fn parse(source: &Source, directory: PathBuf) -> Parsed {
    let mut parsed = Parsed {
        file: ConfigFile {
            directory,
            layer: Layer {
                origin: source.name.clone(),
                ..Layer::default()
            },
            per_file_ignores: Vec::new(),
        },
        extend: None,
        diagnostics: Vec::new(),
    };
    let document = match Document::parse(source.text.as_str()) {
        Ok(document) => document,
        Err(error) => {
            let at = error.span().unwrap_or(0..0);
            parsed.diagnostics.push(
                Diagnostic::error(
                    "E205",
                    format!("invalid TOML: {}", error.message()),
                    at,
                )
                .with_label("the file cannot be read past here")
                .with_help("strata.toml is TOML: `key = value` lines under `[table]` headers, strings in double quotes (https://toml.io)"),
            );
            return parsed;
        }
    };
    let root = document.as_table();
    for (name, item) in root.iter() {
        let key_span = key_span(root, name);
        match name {
            "extend" => match item.as_str() {
                Some(path) => parsed.extend = Some((path.to_string(), span(item))),
                None => parsed.diagnostics.push(wrong_type(
                    name,
                    item,
                    "a path to another strata.toml, e.g. `extend = \"../strata.toml\"`",
                )),
            },
            "lint" => match item.as_table_like() {
                Some(table) => read_lint(table, &mut parsed),
                None => parsed.diagnostics.push(wrong_type(
                    name,
                    item,
                    "a table: a `[lint]` header with settings under it",
                )),
            },
            _ => {
                let help = match LINT_KEYS.contains(&name) || config::option(name).is_some() {
                    true => format!("`{name}` is a lint setting: put it under `[lint]`"),
                    false => suggestion_among(name, TOP_KEYS.iter().chain(&LINT_KEYS)),
                };
                parsed.diagnostics.push(unknown_key(
                    name,
                    key_span,
                    "strata.toml has no such key",
                    help,
                ));
            }
        }
    }
    parsed
}

/// The settings under `[lint]`.
fn read_lint(table: &dyn TableLike, parsed: &mut Parsed) {
    // Options here and severities under `[lint.severity]` are read together, as a `lint`
    // block's settings are, so one rule named twice is reported as it is there.
    let mut settings = Vec::new();
    for (name, item) in table.iter() {
        let key_span = key_span(table, name);
        match name {
            "select" => parsed.file.layer.select = Some(selectors(name, item, parsed)),
            "ignore" => parsed.file.layer.ignore = selectors(name, item, parsed),
            "severity" => match item.as_table_like() {
                Some(severities) => read_severities(severities, &mut settings, parsed),
                None => parsed.diagnostics.push(wrong_type(
                    name,
                    item,
                    "a table of rules and severities, e.g. `[lint.severity]` then `AVL101 = \"error\"`",
                )),
            },
            "per-file-ignores" => match item.as_table_like() {
                Some(ignores) => read_per_file_ignores(ignores, parsed),
                None => parsed.diagnostics.push(wrong_type(
                    name,
                    item,
                    "a table of globs and rules, e.g. `\"legacy/*.strata\" = [\"REQ002\"]`",
                )),
            },
            _ if config::option(name).is_some() => {
                settings.extend(setting(name, key_span, item, "a whole number", parsed))
            }
            _ => {
                let help = match is_known_selector(name) {
                    true => format!(
                        "rules' severities go under `[lint.severity]`: `{name} = \"warning\"`"
                    ),
                    false => suggestion_among(name, LINT_KEYS.iter().chain(OPTIONS.iter().map(|o| &o.name))),
                };
                parsed.diagnostics.push(unknown_key(
                    name,
                    key_span,
                    "`[lint]` has no such setting",
                    help,
                ));
            }
        }
    }
    let (layer, diagnostics) = Layer::from_settings(String::new(), &settings);
    parsed.file.layer.severities = layer.severities;
    parsed.file.layer.options = layer.options;
    parsed.diagnostics.extend(diagnostics);
}

fn read_severities(table: &dyn TableLike, settings: &mut Vec<LintSetting>, parsed: &mut Parsed) {
    const EXPECTED: &str = "a severity: \"error\", \"warning\", \"info\" or \"off\"";
    for (name, item) in table.iter() {
        let key_span = key_span(table, name);
        if config::option(name).is_some() {
            parsed.diagnostics.push(
                Diagnostic::error(
                    "E201",
                    format!("`{name}` is an option, not a rule"),
                    key_span,
                )
                .with_label("not a rule")
                .with_help(format!("options go under `[lint]`: `{name} = 4`")),
            );
            continue;
        }
        settings.extend(setting(name, key_span, item, EXPECTED, parsed));
    }
}

fn read_per_file_ignores(table: &dyn TableLike, parsed: &mut Parsed) {
    for (pattern, item) in table.iter() {
        let key_span = key_span(table, pattern);
        let glob = GlobBuilder::new(pattern).literal_separator(true).build();
        let selectors = selectors(pattern, item, parsed);
        match glob {
            Ok(glob) => parsed.file.per_file_ignores.push(PerFileIgnore {
                pattern: pattern.to_string(),
                matcher: glob.compile_matcher(),
                selectors,
            }),
            Err(error) => parsed.diagnostics.push(
                Diagnostic::error(
                    "E202",
                    format!("invalid glob `{}`: {}", quoted(pattern), error.kind()),
                    key_span,
                )
                .with_label("not a glob")
                .with_help("a glob relative to this file's directory: `legacy/*.strata`, `drafts/**`, or a file name such as `scratch.strata`"),
            ),
        }
    }
}

/// A list of rule selectors; each that names no rule is reported and left out.
fn selectors(name: &str, item: &Item, parsed: &mut Parsed) -> Vec<String> {
    let Some(array) = item.as_array() else {
        parsed.diagnostics.push(wrong_type(
            name,
            item,
            "a list of rules: codes, code prefixes or names, e.g. `[\"AVL\", \"SEC301\"]`",
        ));
        return Vec::new();
    };
    let mut selectors = Vec::new();
    for value in array {
        let at = value.span().unwrap_or(0..0);
        match value.as_str() {
            Some(selector) if is_known_selector(selector) => selectors.push(selector.to_string()),
            Some(selector) => parsed.diagnostics.push(
                Diagnostic::error("E201", format!("unknown rule `{}`", quoted(selector)), at)
                    .with_label("no rule has this code or name")
                    .with_help(suggestion(selector)),
            ),
            None => parsed.diagnostics.push(
                Diagnostic::error(
                    "E202",
                    format!(
                        "`{name}` lists rules as strings, not {}",
                        a(value.type_name())
                    ),
                    at,
                )
                .with_label("not a string")
                .with_help("write a rule in double quotes: `\"AVL101\"`"),
            ),
        }
    }
    selectors
}

/// A severity or option as a `lint` block would hold it, so the block's checks apply.
fn setting(
    name: &str,
    key_span: Span,
    item: &Item,
    expected: &str,
    parsed: &mut Parsed,
) -> Option<LintSetting> {
    let value = match item.as_value() {
        Some(value) if value.is_str() => SettingValue::Word(value.as_str()?.to_string()),
        Some(value) if value.is_integer() => SettingValue::Number(value.as_integer()? as f64),
        Some(value) if value.is_float() => SettingValue::Number(value.as_float()?),
        _ => {
            parsed.diagnostics.push(wrong_type(name, item, expected));
            return None;
        }
    };
    Some(LintSetting {
        key: name.to_string(),
        key_span,
        value,
        value_span: span(item),
    })
}

fn span(item: &Item) -> Span {
    item.span().unwrap_or(0..0)
}

fn key_span(table: &dyn TableLike, name: &str) -> Span {
    table.key(name).and_then(|key| key.span()).unwrap_or(0..0)
}

fn wrong_type(name: &str, item: &Item, expected: &str) -> Diagnostic {
    Diagnostic::error(
        "E202",
        format!("`{}` takes {expected}", quoted(name)),
        span(item),
    )
    .with_label(format!("this is {}", a(item.type_name())))
    .with_help(format!("write {expected}"))
}

fn a(name: &str) -> String {
    let article = match name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => "an",
        false => "a",
    };
    format!("{article} {name}")
}

fn unknown_key(name: &str, at: Span, label: &str, help: String) -> Diagnostic {
    Diagnostic::error("E206", format!("unknown key `{}`", quoted(name)), at)
        .with_label(label)
        .with_help(help)
}

/// "Did you mean …?" among the keys that could be meant.
fn suggestion_among<'a>(name: &str, keys: impl Iterator<Item = &'a &'static str>) -> String {
    match crate::model::suggest::closest(name, keys.copied()) {
        Some(key) => format!("did you mean `{key}`?"),
        None => "README.md's Configuration section lists the keys of strata.toml".to_string(),
    }
}
