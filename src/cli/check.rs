//! `strata check`: parse, check and lint designs; print every diagnostic and finding.

use super::io::{self, Overwrite, ReadError, Stream};
use super::settings::{describe, ConfigArgs, Settings, Unusable};
use super::ColorChoice;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::diagnostics::{Diagnostic, Severity};
use strata::lint::config::CommandLine;
use strata::lint::lint;
use strata::report::baseline::{design_key, gone_note, Baseline, Outcome};
use strata::report::{self, Entry, FileReport};
use strata::source::Source;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Source snippets with labels and help
    Text,
    /// One line each: file:line:col: severity[CODE]: message
    Concise,
    /// The strata.lint/1 JSON document
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions annotations
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Design files or directories (searched for `*.strata`); `-` for standard input
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// How to print diagnostics and findings
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Run only these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Set a rule's severity: RULE=error|warning|info|off (repeatable; wins over the file)
    #[arg(long, value_name = "RULE=LEVEL")]
    severity: Vec<String>,
    /// Set a lint option: max_sync_depth=N or max_sync_fan_out=N (repeatable; wins over the file)
    #[arg(long, value_name = "OPTION=N")]
    option: Vec<String>,
    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Exit 0 even when findings reach --fail-on (errors in the design itself still exit 2)
    #[arg(long)]
    exit_zero: bool,
    #[command(flatten)]
    config: ConfigArgs,
    /// Print the configuration each design is linted with and the files it comes from;
    /// lint nothing
    #[arg(long, conflicts_with_all = ["baseline", "write_baseline"])]
    show_settings: bool,
    /// Report only the findings not recorded in FILE (see --write-baseline), and which
    /// recorded ones are gone
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every finding of this run in FILE, for --baseline; print no report
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
}

pub fn run(args: &CheckArgs, color: ColorChoice) -> ExitCode {
    let command_line = CommandLine {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severities: args.severity.clone(),
        options: args.option.clone(),
    };
    let files = match io::design_files(&args.files) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return io::failure();
        }
    };
    let mut settings = Settings::new(&args.config);
    if args.show_settings {
        return show_settings(&files, &mut settings, &command_line, color);
    }
    let baseline = match &args.baseline {
        Some(path) => match read_baseline(path, color) {
            Ok(baseline) => Some((path, baseline)),
            Err(code) => return code,
        },
        None => None,
    };
    let mut reports = Vec::new();
    // Each design's report, by its index in `reports`, and its path.
    let mut designs = Vec::new();
    let mut broken = false;
    for path in &files {
        let (report, errors) = match check_file(path, &mut settings, &command_line) {
            Ok(checked) => checked,
            Err(usage) => {
                eprintln!("error: {usage}");
                return io::failure();
            }
        };
        broken |= errors || !settings.problems.is_empty();
        reports.append(&mut settings.problems);
        designs.push((reports.len(), path));
        reports.push(report);
    }
    if let Some(target) = &args.write_baseline {
        return write_baseline(target, &reports, &designs, broken, color);
    }
    let outcome = baseline.map(|(path, baseline)| {
        let mut outcome = Outcome {
            path: path.display().to_string(),
            ..Outcome::default()
        };
        for &(index, design) in &designs {
            let key = baseline_key(design, path);
            let (matched, gone) = baseline.apply(&key, &mut reports[index]);
            outcome.matched += matched;
            outcome.gone.extend(gone);
        }
        outcome
    });
    let color = io::use_color(color, Stream::Stdout);
    if let Err(code) = print(&reports, args.format, color, outcome.as_ref()) {
        return code;
    }
    summarize(files.len(), &reports, outcome.as_ref());
    if broken {
        io::failure()
    } else if !args.exit_zero && reaches(&reports, args.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks and lints one design: its report, and whether it has errors. A mistake on the
/// command line is returned as a usage error.
pub(super) fn check_file(
    path: &Path,
    settings: &mut Settings,
    command_line: &CommandLine,
) -> Result<(FileReport, bool), String> {
    let source = match io::read_source(path) {
        Ok(source) => source,
        Err(ReadError::Design(design)) => {
            let (source, diagnostic) = *design;
            let entries = vec![diagnostic.into()];
            return Ok((FileReport::single(source, entries), true));
        }
        Err(ReadError::Io { message, help }) => {
            // Reported like any other problem, so machine formats list the file too.
            let diagnostic = Diagnostic::error("E010", message, 0..0)
                .with_label("this file could not be read")
                .with_help(help);
            let source = Source::new(io::display_name(path), "");
            let entries = vec![diagnostic.into()];
            return Ok((FileReport::single(source, entries), true));
        }
    };
    let checked = io::check_design(path, &source);
    let mut entries: Vec<Entry> = checked
        .diagnostics
        .iter()
        .cloned()
        .map(Entry::from)
        .collect();
    let mut broken = checked.has_errors();
    if !checked.has_errors() {
        let (config, config_errors) = match settings.config(path, &checked, command_line) {
            Ok(config) => config,
            Err(Unusable::Usage(usage)) => return Err(usage),
            Err(Unusable::Configuration) => {
                let sources = checked.into_sources(source);
                return Ok((FileReport { sources, entries }, true));
            }
        };
        let files = checked.files(&source);
        let linted = lint(&checked.design, &checked.comments(), &files, &config);
        broken |= !config_errors.is_empty() || !linted.diagnostics.is_empty();
        entries.extend(
            config_errors
                .into_iter()
                .chain(linted.diagnostics)
                .map(Entry::from),
        );
        entries.extend(linted.findings.into_iter().map(Entry::from));
    }
    let sources = checked.into_sources(source);
    Ok((FileReport { sources, entries }, broken))
}

/// `--show-settings`: each design's configuration instead of its findings.
fn show_settings(
    files: &[PathBuf],
    settings: &mut Settings,
    command_line: &CommandLine,
    color: ColorChoice,
) -> ExitCode {
    let mut described = Vec::new();
    let mut broken = false;
    for path in files {
        let source = match io::read_source(path) {
            Ok(source) => source,
            Err(error) => {
                error.report(color);
                broken = true;
                continue;
            }
        };
        let checked = io::check_design(path, &source);
        match settings.config(path, &checked, command_line) {
            Ok((config, errors)) => {
                io::print_diagnostics(&source, &errors, color);
                broken |= !errors.is_empty();
                described.push(describe(&source.name, &config));
            }
            Err(Unusable::Usage(usage)) => {
                eprintln!("error: {usage}");
                return io::failure();
            }
            Err(Unusable::Configuration) => broken = true,
        }
        settings.print_problems(color);
    }
    if let Err(code) = io::print(&described.join("\n")) {
        return code;
    }
    match broken {
        true => io::failure(),
        false => ExitCode::SUCCESS,
    }
}

fn read_baseline(path: &Path, color: ColorChoice) -> Result<Baseline, ExitCode> {
    let source = io::read_source(path).map_err(|error| {
        error.report(color);
        io::failure()
    })?;
    Baseline::parse(&source).map_err(|errors| {
        io::print_diagnostics(&source, &errors, color);
        eprintln!(
            "error: {} is not a baseline strata can read",
            path.display()
        );
        io::failure()
    })
}

/// A design's key in the baseline at `baseline`.
fn baseline_key(design: &Path, baseline: &Path) -> String {
    match io::is_stdio(design) {
        true => io::display_name(design),
        false => design_key(design, baseline),
    }
}

/// `--write-baseline`: records every finding of the run, or nothing when a design or its
/// configuration has errors (their findings are unknown).
fn write_baseline(
    target: &Path,
    reports: &[FileReport],
    designs: &[(usize, &PathBuf)],
    broken: bool,
    color: ColorChoice,
) -> ExitCode {
    if let Err(message) = designs
        .iter()
        .try_for_each(|(_, design)| io::guard_input(design, target))
    {
        eprintln!("error: {message}");
        return io::failure();
    }
    if broken {
        let errors: Vec<FileReport> = reports
            .iter()
            .map(|report| FileReport {
                sources: report.sources.clone(),
                entries: (report.entries.iter())
                    .filter(|entry| entry.id.is_none())
                    .map(|entry| Entry::from(entry.diagnostic.clone()))
                    .collect(),
            })
            .collect();
        eprint!(
            "{}",
            report::text(&errors, io::use_color(color, Stream::Stderr))
        );
        eprintln!("error: no baseline written: fix the errors above first");
        return io::failure();
    }
    let mut baseline = Baseline::default();
    for &(index, design) in designs {
        baseline.record(baseline_key(design, target), &reports[index].entries);
    }
    if let Err(message) = io::write_output(target, baseline.to_toml().as_bytes(), Overwrite::Allow)
    {
        eprintln!("error: {message}");
        return io::failure();
    }
    let findings = baseline.findings();
    eprintln!(
        "wrote {} with {findings} finding{} from {} file{}",
        target.display(),
        plural(findings),
        designs.len(),
        plural(designs.len())
    );
    ExitCode::SUCCESS
}

fn print(
    reports: &[FileReport],
    format: Format,
    color: bool,
    baseline: Option<&Outcome>,
) -> Result<(), ExitCode> {
    let note = baseline.map(gone_note).unwrap_or_default();
    let text = match format {
        Format::Text => report::text(reports, color) + &note,
        Format::Concise => report::concise(reports),
        Format::Json => report::json(reports, baseline),
        Format::Sarif => report::sarif(reports),
        Format::Github => report::github(reports),
    };
    // Machine formats keep standard output to themselves.
    if !matches!(format, Format::Text | Format::Json) {
        eprint!("{note}");
    }
    io::print(&text)
}

fn reaches(reports: &[FileReport], fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    reports
        .iter()
        .flat_map(|r| &r.entries)
        .any(|e| e.diagnostic.severity >= threshold)
}

/// One line on standard error, so machine formats keep standard output to themselves.
fn summarize(files: usize, reports: &[FileReport], baseline: Option<&Outcome>) {
    let files = match files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    let baselined = match baseline {
        Some(outcome) if outcome.matched > 0 => format!(" ({} in the baseline)", outcome.matched),
        _ => String::new(),
    };
    eprintln!("{files} checked: {}{baselined}", counted(reports));
}

/// What the reports found, in words: `no problems`, or `2 errors, 1 warning, 0 info`.
pub(super) fn counted(reports: &[FileReport]) -> String {
    match report::counts(reports) {
        (0, 0, 0) => "no problems".to_string(),
        (errors, warnings, infos) => format!(
            "{errors} error{}, {warnings} warning{}, {infos} info",
            plural(errors),
            plural(warnings)
        ),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
