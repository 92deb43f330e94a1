//! The configuration a design is linted with, the same for every command that lints
//! (`check`, `render --annotate`): the `strata.toml` that applies to it (the nearest one
//! up from the design, or `--config`; each file read once a run), then the design's
//! `lint` block, then the command line.

use super::io::{self, ReadError};
use super::ColorChoice;
use clap::Args;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use strata::diagnostics::Diagnostic;
use strata::lint::config::{CommandLine, OPTIONS};
use strata::lint::project::{self, Project, Unread};
use strata::lint::{Config, RULES};
use strata::report::{Entry, FileReport};
use strata::source::Source;

#[derive(Args, Default)]
pub struct ConfigArgs {
    /// Use this strata.toml for every design, instead of the nearest one to each
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use no strata.toml: only the design's lint block and the command line
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

/// Why a design cannot be linted.
pub enum Unusable {
    /// A mistake on the command line.
    Usage(String),
    /// The configuration file that applies has errors: they are in `Settings::problems`,
    /// the first time only.
    Configuration,
}

pub struct Settings<'a> {
    args: &'a ConfigArgs,
    /// Each configuration file read so far: `None` when it has errors.
    loaded: HashMap<PathBuf, Option<Rc<Project>>>,
    /// Configuration files with errors, each reported once, for the caller to take.
    pub problems: Vec<FileReport>,
}

impl<'a> Settings<'a> {
    pub fn new(args: &'a ConfigArgs) -> Self {
        Settings {
            args,
            loaded: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// The configuration a design (read from `path`) is linted with, and the errors in
    /// its `lint` block.
    pub fn config(
        &mut self,
        path: &Path,
        checked: &strata::Checked,
        command_line: &CommandLine,
    ) -> Result<(Config, Vec<Diagnostic>), Unusable> {
        let design = (!io::is_stdio(path)).then_some(path);
        let below = match self.project(design)? {
            Some(project) => project.layers(design),
            None => Vec::new(),
        };
        Config::layered(below, &checked.design, command_line).map_err(Unusable::Usage)
    }

    /// The project configuration for a design (`None`: standard input, whose
    /// configuration is found from the working directory).
    fn project(&mut self, design: Option<&Path>) -> Result<Option<Rc<Project>>, Unusable> {
        if self.args.isolated {
            return Ok(None);
        }
        let path = match &self.args.config {
            Some(path) => path.clone(),
            None => {
                let directory = design.and_then(Path::parent).unwrap_or(Path::new(""));
                match project::find(directory) {
                    Some(path) => path,
                    None => return Ok(None),
                }
            }
        };
        let loaded = match self.loaded.get(&path) {
            Some(loaded) => loaded.clone(),
            None => {
                let loaded = match Project::load(&path, &read) {
                    Ok(project) => Some(Rc::new(project)),
                    Err(problems) => {
                        self.problems
                            .extend(problems.into_iter().map(|(source, diagnostics)| {
                                FileReport::single(
                                    source,
                                    diagnostics.into_iter().map(Entry::from).collect(),
                                )
                            }));
                        None
                    }
                };
                self.loaded.insert(path, loaded.clone());
                loaded
            }
        };
        loaded.map(Some).ok_or(Unusable::Configuration)
    }

    /// Prints the problems of configuration files on standard error, for commands that
    /// print no report of their own.
    pub fn print_problems(&mut self, color: ColorChoice) {
        for problem in self.problems.drain(..) {
            let diagnostics: Vec<Diagnostic> = problem
                .entries
                .into_iter()
                .map(|entry| entry.diagnostic)
                .collect();
            io::print_diagnostics(&problem.sources, &diagnostics, color);
        }
    }
}

/// Reads a configuration file with the input limit designs have.
fn read(path: &Path) -> Result<Source, Unread> {
    io::read_source(path).map_err(ReadError::unread)
}

/// `--show-settings`: the configuration a design is linted with, and where each part of
/// it comes from.
pub fn describe(design: &str, config: &Config) -> String {
    let mut out = format!("Settings for {design}\n\nFrom, lowest precedence first:\n");
    for layer in config.layers() {
        let empty = layer.select.is_none()
            && layer.ignore.is_empty()
            && layer.severities.is_empty()
            && layer.options.is_empty();
        let note = if empty { " (sets nothing)" } else { "" };
        out.push_str(&format!("  {}{note}\n", layer.origin));
    }
    let from = |layer: Option<&strata::lint::config::Layer>| {
        layer.map_or("default".to_string(), |layer| layer.origin.clone())
    };
    out.push_str("\nOptions:\n");
    let width = OPTIONS
        .iter()
        .map(|spec| spec.name.len())
        .max()
        .unwrap_or(0);
    for spec in &OPTIONS {
        let value = (spec.get)(&config.options).to_string();
        let origin = from(config.option_origin(spec.name));
        out.push_str(&format!("  {:width$} = {value:<4} {origin}\n", spec.name));
    }
    out.push_str("\nRules:\n");
    let width = RULES.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    for rule in RULES {
        let (severity, layer) = config.resolve(rule);
        let severity = severity.map_or("off", |s| s.as_str());
        out.push_str(&format!(
            "  {} {:width$} {severity:<7} {}\n",
            rule.code,
            rule.name,
            from(layer)
        ));
    }
    out
}
