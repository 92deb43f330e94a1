//! The shipped designs (templates, examples, the real-world designs) and the formatter's
//! guarantees on them.

use std::path::{Path, PathBuf};
use std::process::Command;
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

/// Every shipped design: the templates, the examples and the real-world designs.
fn shipped_designs() -> Vec<PathBuf> {
    design_files("templates")
        .into_iter()
        .chain(design_files("examples"))
        .chain(design_files(REAL_WORLD))
        .collect()
}

/// Seed 002's real-world systems (§4) and its recommendation pattern (§5.1).
const REAL_WORLD: &str = "examples/real-world";

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
    let files = shipped_designs();
    assert!(
        files.len() >= 20,
        "expected 8 templates, 3 examples and 9 real-world designs, found {}",
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

fn strata(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Each real-world design lints clean (its findings are fixed or suppressed with the
/// reason its header discusses: a stale suppression is a finding too), and `analyze`
/// prints every journey it declares.
#[test]
fn real_world_designs_lint_clean_and_analyze_prints_their_journeys() {
    let designs = design_files(REAL_WORLD);
    let names: Vec<_> = designs
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "discord",
            "google-search",
            "netflix",
            "recommendation",
            "spotify",
            "twitter",
            "uber",
            "whatsapp",
            "youtube"
        ]
    );
    for path in designs {
        let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let relative = relative.to_str().unwrap();
        let (clean, _, report) = strata(&["check", relative, "--fail-on", "info"]);
        assert!(clean, "{relative} has findings:\n{report}");
        let journeys = strata::check(&load(&path)).design.journeys;
        assert!(journeys.len() >= 2, "{relative} declares too few journeys");
        let (analyzed, analysis, errors) = strata(&["analyze", relative]);
        assert!(analyzed, "{relative}: {errors}");
        for journey in journeys {
            let row = format!("  {} \"{}\"  ", journey.id, journey.title);
            assert!(
                analysis.lines().any(|line| line.starts_with(&row)),
                "{relative}: analyze does not print journey `{}`:\n{analysis}",
                journey.id
            );
        }
    }
}

#[test]
fn templates_and_examples_are_formatted_canonically() {
    for path in shipped_designs() {
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
    let mut cases: Vec<Source> = shipped_designs()
        .into_iter()
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
/// available journey reproduces to 0.001 percentage points.
const REPRODUCED: [&str; 6] = [
    "aws-two-redundant-subsystems",
    "azure-waf-queue-fallback",
    "azure-waf-web-sql",
    "rwa-dotnet-dev",
    "rwa-dotnet-two-regions",
    "rwa-java-acme",
];

/// Reproduced, but printed otherwise than published: the source reuses a figure that
/// does not follow from its own table (see the fixture's header).
const PRINTED_OTHERWISE: [&str; 1] = ["rwa-dotnet-two-regions"];

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
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let agrees =
            |figure: f64| (figure * 100.0 - published.parse::<f64>().unwrap()).abs() <= 0.001;
        if let Some(figure) = least.filter(|&figure| agrees(figure)) {
            let printed = strata::analysis::explain::percent(figure) == format!("{published}%");
            assert_eq!(
                printed,
                !PRINTED_OTHERWISE.contains(&name.as_str()),
                "{name}"
            );
            reproduced.push(name);
        }
    }
    assert_eq!(reproduced, REPRODUCED);
}

/// The design with one component and its flows taken out, ids renumbered.
fn without(design: &strata::model::Design, gone: usize) -> strata::model::Design {
    let renumber = |c: usize| if c > gone { c - 1 } else { c };
    let mut smaller = design.clone();
    smaller.components.remove(gone);
    smaller.flows.retain(|f| f.from != gone && f.to != gone);
    for flow in &mut smaller.flows {
        flow.from = renumber(flow.from);
        flow.to = renumber(flow.to);
    }
    for members in smaller
        .tiers
        .iter_mut()
        .map(|t| &mut t.components)
        .chain(smaller.groups.iter_mut().map(|g| &mut g.components))
    {
        members.retain(|&c| c != gone);
        members.iter_mut().for_each(|c| *c = renumber(*c));
    }
    smaller.graph = Default::default();
    for c in 0..smaller.components.len() {
        smaller.graph.add_node(c);
    }
    for (id, flow) in smaller.flows.iter().enumerate() {
        smaller
            .graph
            .add_edge(smaller.node(flow.from), smaller.node(flow.to), id);
    }
    smaller
}

/// Every template with its declared journeys dropped, so the journeys are those inferred
/// from the routers (a design rewritten for a what-if also loses declared steps).
fn templates_with_inferred_journeys() -> Vec<(String, strata::model::Design)> {
    design_files("templates")
        .into_iter()
        .map(|path| {
            let source = load(&path);
            let mut design = strata::check(&source).design;
            design.journeys.clear();
            (source.name, design)
        })
        .collect()
}

/// Each journey that `--fail` says still works has the same figure as the journey to the
/// same handler in the design rewritten by hand and analysed again; returns how many
/// were compared.
fn agrees_with_analysing_again(
    design: &strata::model::Design,
    outcomes: &[strata::analysis::what_if::Outcome],
    rewritten: &strata::model::Design,
    what: &str,
) -> usize {
    use strata::analysis::what_if::Outcome;
    let analysis = strata::analysis::analyze(design);
    let again = strata::analysis::analyze(rewritten);
    let mut compared = 0;
    for (journey, outcome) in analysis.paths.iter().zip(outcomes) {
        let Outcome::Works { availability } = outcome else {
            continue;
        };
        let handler = &design.components[journey.target].id;
        let same = again
            .paths
            .iter()
            .find(|p| &rewritten.components[p.target].id == handler)
            .unwrap_or_else(|| panic!("{what}: no journey to {handler}"));
        assert!(
            (same.availability - availability).abs() < 1e-12,
            "{what}: the journey to {handler} is {} analysed again but {availability} by --fail",
            same.availability,
        );
        compared += 1;
    }
    compared
}

/// `--fail X` on every component of every template but its entry points (outside the
/// system): what still works is what the design with X taken out gives, and a journey
/// breaks only on what it needs.
#[test]
fn what_if_a_component_fails_agrees_with_taking_it_out_and_analysing_again() {
    use strata::analysis::what_if::{what_if, Failure, Outcome};
    let mut compared = 0;
    for (name, design) in templates_with_inferred_journeys() {
        let analysis = strata::analysis::analyze(&design);
        for gone in 0..design.components.len() {
            if analysis.entries.contains(&gone) {
                continue;
            }
            let outcomes = what_if(&design, &analysis, &[Failure::Component(gone)]).outcomes;
            for (journey, outcome) in analysis.paths.iter().zip(&outcomes) {
                if matches!(outcome, Outcome::Breaks { .. }) {
                    assert!(
                        journey.needs(gone),
                        "a journey breaks only on what it needs"
                    );
                }
            }
            let what = format!("{name} without `{}`", design.components[gone].id);
            compared +=
                agrees_with_analysing_again(&design, &outcomes, &without(&design, gone), &what);
        }
    }
    assert!(compared > 500, "only {compared} journeys compared");
}

/// `--fail zone=…` on every zone of every template: what still works is what the design
/// rewritten by hand gives, each component on the instances the zone leaves it and those
/// it leaves none taken out.
#[test]
fn what_if_a_zone_fails_agrees_with_rewriting_the_instances_and_analysing_again() {
    use strata::analysis::what_if::{what_if, Failure};
    let mut compared = 0;
    for (name, design) in templates_with_inferred_journeys() {
        let analysis = strata::analysis::analyze(&design);
        let zones = Failure::domains(&design)
            .into_iter()
            .filter(|d| matches!(d, Failure::Zone { .. }));
        for zone in zones {
            let after = what_if(&design, &analysis, std::slice::from_ref(&zone));
            let mut rewritten = design.clone();
            for &(component, left) in &after.reduced {
                rewritten.components[component].replicas = left;
            }
            for &gone in after.failed.iter().rev() {
                rewritten = without(&rewritten, gone);
            }
            let what = format!("{name} with {zone:?} down");
            compared += agrees_with_analysing_again(&design, &after.outcomes, &rewritten, &what);
        }
    }
    assert!(compared > 50, "only {compared} journeys compared");
}
