//! The D2 export: snapshots of its text, and the real `d2` binary drawing every shipped
//! design's export and a design made of awkward ids and labels, with every component and
//! flow in the drawing.

mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use strata::export::d2::to_d2;
use strata::model::Design;
use strata::source::Source;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AWKWARD: &str = "tests/fixtures/export/awkward.strata";

fn design(relative: &str) -> Design {
    let path = Path::new(ROOT).join(relative);
    let source = Source::new(
        relative.to_string(),
        std::fs::read_to_string(&path).unwrap(),
    );
    let checked = strata::check(&source);
    assert!(
        !checked.has_errors(),
        "{relative}: {:?}",
        checked.diagnostics
    );
    checked.design
}

/// Every `.strata` file in a folder of the repository, as a path relative to it, sorted.
fn designs_in(folder: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(folder))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "strata"))
        .map(|path| format!("{folder}/{}", path.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files
}

#[test]
fn d2_exports_are_snapshotted() {
    for relative in [
        "templates/ecommerce.strata",
        "templates/iot.strata",
        "examples/minimal.strata",
        AWKWARD,
    ] {
        let stem = Path::new(relative).file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("d2_{stem}"), to_d2(&design(relative)));
    }
}

#[test]
fn awkward_ids_get_keys_that_are_no_keyword_and_unique_without_regard_to_case() {
    let d2 = to_d2(&design(AWKWARD));
    for line in [
        "shape_2: \"Tier: {shape}; \\\"quoted\\\"\" {",
        "  Label_3: \"DNS \\${zone}\"",
        "  API_2: \"API\"",
        "Style_2.top_2 -> Style_2.api: \"REST; \\\\ #1\"",
        "Style_2.api -> Style_2.steps_2: \"événement 🚀\" {style.stroke-dash: 3}",
    ] {
        assert!(d2.contains(line), "missing {line:?} in:\n{d2}");
    }
}

fn d2_binary() -> String {
    std::env::var("STRATA_D2").unwrap_or_else(|_| "d2".to_string())
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

/// How many times `needle` occurs in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn d2_draws_every_export_with_every_component_and_flow() {
    let d2 = d2_binary();
    if !tools::found("the d2 binary (STRATA_D2)", runs(&d2, &["--version"])) {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let designs: Vec<String> = ["templates", "examples", "tests/review"]
        .into_iter()
        .flat_map(designs_in)
        .chain([AWKWARD.to_string()])
        .collect();
    assert!(designs.len() >= 12, "found only {designs:?}");
    for relative in designs {
        let design = design(&relative);
        let input: PathBuf = scratch.path().join("design.d2");
        std::fs::write(&input, to_d2(&design)).unwrap();
        // dagre is D2's default layout; ELK is the one scripts/compare-with-dot.sh scores.
        for layout in ["dagre", "elk"] {
            let output = scratch.path().join(format!("design-{layout}.svg"));
            let run = Command::new(&d2)
                .args(["--layout", layout])
                .arg(&input)
                .arg(&output)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(
                run.status.success() && !stderr.contains("err:"),
                "d2 --layout {layout} refused the export of {relative}:\n{stderr}"
            );
            let svg = std::fs::read_to_string(&output).unwrap();
            let boxes = design.tiers.len() + design.groups.len() + design.components.len();
            assert_eq!(
                count(&svg, "class=\"shape\""),
                boxes,
                "{relative} ({layout}): tiers, groups and components drawn"
            );
            let edges = svg
                .split("<path ")
                .skip(1)
                .filter(|element| {
                    let tag = &element[..element.find('>').unwrap_or(element.len())];
                    tag.contains("class=\"connection")
                })
                .count();
            assert_eq!(
                edges,
                design.flows.len(),
                "{relative} ({layout}): flows drawn"
            );
        }
    }
}
