//! The shipped designs (templates, examples) and the formatter's guarantees on them.

use std::path::{Path, PathBuf};
use strata::export::json::to_json;
use strata::source::Source;
use strata::syntax::format::format;

fn design_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(folder))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "strata"))
            .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Source {
    Source::new(
        path.display().to_string(),
        std::fs::read_to_string(path).unwrap(),
    )
}

fn formatted(source: &Source) -> String {
    let parsed = strata::syntax::parse(source);
    assert!(
        !parsed.has_errors(),
        "{}: {:?}",
        source.name,
        parsed.diagnostics
    );
    format(&source.text, &parsed)
}

#[test]
fn every_template_and_example_checks_clean() {
    let files: Vec<_> = design_files("templates")
        .into_iter()
        .chain(design_files("examples"))
        .collect();
    assert!(
        files.len() >= 11,
        "expected 8 templates and 3 examples, found {}",
        files.len()
    );
    for path in files {
        let source = load(&path);
        let checked = strata::check(&source);
        let rendered: String = checked
            .diagnostics
            .iter()
            .map(|d| d.render(&source, false))
            .collect();
        assert!(checked.diagnostics.is_empty(), "{rendered}");
    }
}

#[test]
fn the_embedded_templates_are_the_files_in_templates() {
    assert_eq!(strata::templates::ALL.len(), 8);
    for template in &strata::templates::ALL {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("templates/{}.strata", template.name));
        assert_eq!(std::fs::read_to_string(path).unwrap(), template.text);
    }
}

#[test]
fn templates_and_examples_are_formatted_canonically() {
    for path in design_files("templates")
        .into_iter()
        .chain(design_files("examples"))
    {
        let source = load(&path);
        assert_eq!(
            formatted(&source),
            source.text,
            "{} is not formatted",
            path.display()
        );
    }
}

/// Designs with comments everywhere a comment can stand, blank lines, and long blocks.
fn formatter_cases() -> Vec<Source> {
    let mut cases: Vec<Source> = design_files("templates")
        .into_iter()
        .chain(design_files("examples"))
        .chain(design_files("tests/fixtures/format"))
        .map(|path| load(&path))
        .collect();
    for seed in 0..5 {
        cases.push(Source::new(
            format!("generated-{seed}"),
            strata::generate::design(60, seed),
        ));
    }
    cases
}

#[test]
fn fmt_is_idempotent() {
    for source in formatter_cases() {
        let once = formatted(&source);
        let twice = formatted(&Source::new(source.name.clone(), once.clone()));
        assert_eq!(once, twice, "{} changes when formatted twice", source.name);
    }
}

#[test]
fn fmt_keeps_every_comment_and_the_graph() {
    for source in formatter_cases() {
        let after = Source::new(source.name.clone(), formatted(&source));
        let before_graph = to_json(&strata::check(&source).design);
        let after_graph = to_json(&strata::check(&after).design);
        assert_eq!(
            before_graph, after_graph,
            "{}: formatting changed the graph",
            source.name
        );
        let comments = |s: &Source| -> Vec<String> {
            strata::syntax::parse(s)
                .comments
                .into_iter()
                .map(|c| c.text)
                .collect()
        };
        assert_eq!(
            comments(&source),
            comments(&after),
            "{}: a comment moved or was lost",
            source.name
        );
    }
}

#[test]
fn fmt_keeps_a_byte_order_mark() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format/byte_order_mark.strata");
    let source = load(&path);
    assert!(source.text.starts_with('\u{FEFF}'));
    let once = formatted(&source);
    assert!(
        once.starts_with("\u{FEFF}# A file saved with a byte-order mark"),
        "{once:?}"
    );
    assert_eq!(once.matches('\u{FEFF}').count(), 1);
}

/// The published composite-availability calculations of `tests/fixtures/availability`
/// (each file cites its source and states the figure as published) that strata's least
/// available journey reproduces to 0.001 percentage points, printed as published.
const REPRODUCED: [&str; 5] = [
    "aws-two-redundant-subsystems",
    "azure-waf-queue-fallback",
    "azure-waf-web-sql",
    "rwa-dotnet-dev",
    "rwa-java-acme",
];

/// The figure a fixture's header states as published, as written.
fn published_figure(text: &str) -> String {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("# Expected figure (as published):"))
        .expect("every availability fixture states its published figure");
    let number: String = line
        .trim()
        .trim_start_matches('~')
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number
}

#[test]
fn published_availability_calculations_reproduced_so_far() {
    let mut reproduced = Vec::new();
    for path in design_files("tests/fixtures/availability") {
        let source = load(&path);
        let published = published_figure(&source.text);
        let checked = strata::check(&source);
        assert!(
            !checked.has_errors(),
            "{}: {:?}",
            source.name,
            checked.diagnostics
        );
        let analysis = strata::analysis::analyze(&checked.design);
        let least = analysis
            .paths
            .iter()
            .map(|p| p.availability)
            .reduce(f64::min);
        // Within 0.001 percentage points, and printed as published.
        let agrees = |figure: f64| {
            (figure * 100.0 - published.parse::<f64>().unwrap()).abs() <= 0.001
                && strata::analysis::explain::percent(figure) == format!("{published}%")
        };
        if least.is_some_and(agrees) {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            reproduced.push(name);
        }
    }
    assert_eq!(reproduced, REPRODUCED);
}
