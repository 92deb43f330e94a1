//! The D2, Mermaid, PlantUML, Structurizr and LikeC4 exports: snapshots of their text, and
//! the real tools (`d2`, mermaid-cli, PlantUML, a Structurizr DSL parser, LikeC4) drawing or
//! reading every shipped design's export and the designs made of awkward ids and labels,
//! with every component and flow in what they read.

mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use strata::export::d2::to_d2;
use strata::export::likec4::to_likec4;
use strata::export::mermaid::to_mermaid;
use strata::export::plantuml::to_plantuml;
use strata::export::structurizr::to_structurizr;
use strata::model::Design;
use strata::model::Kind;
use strata::source::Source;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AWKWARD: &str = "tests/fixtures/export/awkward.strata";
const KEYWORDS: &str = "tests/fixtures/export/keywords.strata";

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

/// Every template, example, real-world and review design, and the awkward ones made for
/// the exports.
fn shipped_designs() -> Vec<String> {
    let designs: Vec<String> = [
        "templates",
        "examples",
        "examples/real-world",
        "tests/review",
        "tests/fixtures/export",
    ]
    .into_iter()
    .flat_map(designs_in)
    .collect();
    assert!(designs.len() >= 13, "found only {designs:?}");
    designs
}

#[test]
fn d2_exports_are_snapshotted() {
    for relative in [
        "templates/ecommerce.strata",
        "templates/iot.strata",
        "examples/minimal.strata",
        AWKWARD,
    ] {
        let stem = stem(relative);
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
    for relative in shipped_designs() {
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

#[test]
fn mermaid_and_plantuml_exports_are_snapshotted() {
    for relative in [
        "templates/ecommerce.strata",
        "templates/iot.strata",
        KEYWORDS,
    ] {
        let stem = stem(relative);
        let design = design(relative);
        insta::assert_snapshot!(format!("mermaid_{stem}"), to_mermaid(&design));
        insta::assert_snapshot!(format!("plantuml_{stem}"), to_plantuml(&design));
    }
}

#[test]
fn keyword_ids_get_other_keys_in_mermaid_and_plantuml() {
    let design = design(KEYWORDS);
    let mermaid = to_mermaid(&design);
    for line in [
        "  subgraph end_2[\"end; #96;md#96; **bold** a.b.c\"]",
        "    subgraph_2([\"#35;quot; #35;35; #lt;b#gt;html#lt;/b#gt; #amp; #amp;amp;\"]):::client",
        "      subgraph style_2[\" \"]",
        "  subgraph_2 -->|\"ends in #gt;\"| graph_2",
        "  call_2 -.->|\"**bold** #96;code#96;\"| database",
    ] {
        assert!(mermaid.contains(line), "missing {line:?} in:\n{mermaid}");
    }
    let plantuml = to_plantuml(&design);
    for line in [
        "package \"<U+0027>comment at start\" as package_2 {",
        "    rectangle \" \" as style {",
        "  database \"<U+0024>var <U+0024>{x} <U+0025>date()\" <<database>> as component_2",
        "subgraph --> graph : ends in <U+003E>",
        "note_2 ..> left_2 : <U+0027>quote",
    ] {
        assert!(plantuml.contains(line), "missing {line:?} in:\n{plantuml}");
    }
}

/// How many elements of `svg` have `class` among their classes, e.g. `node` in
/// `class="node default database"`.
fn count_class(svg: &str, class: &str) -> usize {
    svg.split("class=\"")
        .skip(1)
        .filter(|rest| {
            let classes = &rest[..rest.find('"').unwrap_or(rest.len())];
            classes.split(' ').any(|c| c == class)
        })
        .count()
}

#[test]
fn mermaid_cli_draws_every_export_with_every_component_and_flow() {
    let mmdc = std::env::var("STRATA_MERMAID_CLI").unwrap_or_else(|_| "mmdc".to_string());
    let chromium = std::env::var("STRATA_CHROMIUM").unwrap_or_else(|_| "chromium".to_string());
    let found = runs(&mmdc, &["--version"]) && runs(&chromium, &["--version"]);
    if !tools::found(
        "mermaid-cli and chromium (STRATA_MERMAID_CLI, STRATA_CHROMIUM)",
        found,
    ) {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let puppeteer = scratch.path().join("puppeteer.json");
    let config = serde_json::json!({"executablePath": chromium, "args": ["--no-sandbox"]});
    std::fs::write(&puppeteer, config.to_string()).unwrap();
    // One Markdown file with every export as a chart: mermaid-cli draws them all in one
    // browser, to `drawing-1.svg`, `drawing-2.svg`… in order.
    let designs: Vec<(String, Design)> = shipped_designs()
        .into_iter()
        .map(|relative| (relative.clone(), design(&relative)))
        .collect();
    let markdown: String = designs
        .iter()
        .map(|(_, design)| format!("```mermaid\n{}```\n\n", to_mermaid(design)))
        .collect();
    let input = scratch.path().join("designs.md");
    std::fs::write(&input, markdown).unwrap();
    let run = Command::new(&mmdc)
        .arg("--quiet")
        .arg("--puppeteerConfigFile")
        .arg(&puppeteer)
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(scratch.path().join("drawing.md"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "mermaid-cli refused an export:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (index, (relative, design)) in designs.iter().enumerate() {
        let svg_path = scratch.path().join(format!("drawing-{}.svg", index + 1));
        let svg = std::fs::read_to_string(svg_path).unwrap();
        let boxes = design.tiers.len() + design.groups.len();
        assert_eq!(count_class(&svg, "cluster"), boxes, "{relative}: subgraphs");
        let components = design.components.len();
        assert_eq!(count_class(&svg, "node"), components, "{relative}: nodes");
        let flows = design.flows.len();
        assert_eq!(
            count_class(&svg, "flowchart-link"),
            flows,
            "{relative}: flows"
        );
    }
}

#[test]
fn plantuml_draws_every_export_with_every_component_and_flow() {
    let plantuml = std::env::var("STRATA_PLANTUML").unwrap_or_else(|_| "plantuml".to_string());
    if !tools::found("PlantUML (STRATA_PLANTUML)", runs(&plantuml, &["-version"])) {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let designs: Vec<(String, Design)> = shipped_designs()
        .into_iter()
        .map(|relative| (relative.clone(), design(&relative)))
        .collect();
    let inputs: Vec<PathBuf> = designs
        .iter()
        .enumerate()
        .map(|(index, (_, design))| {
            let input = scratch.path().join(format!("design-{index}.puml"));
            std::fs::write(&input, to_plantuml(design)).unwrap();
            input
        })
        .collect();
    // One run draws them all, sparing a Java start per design.
    let run = Command::new(&plantuml)
        .arg("-tsvg")
        .args(&inputs)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "PlantUML refused an export:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for ((relative, design), input) in designs.iter().zip(&inputs) {
        let svg = std::fs::read_to_string(input.with_extension("svg")).unwrap();
        // The SVG ends with its source in a comment; the drawing is what comes before.
        let drawing = &svg[..svg.find("\n@startuml").unwrap_or(svg.len())];
        // PlantUML draws a syntax error or a crash as a picture of it, and still exits 0.
        assert!(
            !drawing.contains("Syntax Error") && !drawing.contains("An error has occured"),
            "PlantUML drew an error for {relative}"
        );
        // Each element's comment in the SVG names what it draws: `<!--MD5=[…]\ncluster a-->`.
        let boxes = design.tiers.len() + design.groups.len();
        let clusters = count(drawing, "]\ncluster ");
        assert_eq!(clusters, boxes, "{relative}: packages and rectangles");
        // Only components carry a stereotype, their kind: «database».
        let components = design.components.len();
        assert_eq!(count(drawing, "\u{ab}"), components, "{relative}: elements");
        // PlantUML adds hidden links of its own to lay out unlinked elements; they draw no path.
        let arrows = drawing
            .split("]\nlink ")
            .skip(1)
            .filter(|rest| {
                rest.split_once("-->")
                    .is_some_and(|(_, r)| r.starts_with("<path"))
            })
            .count();
        assert_eq!(arrows, design.flows.len(), "{relative}: flows");
    }
}

fn stem(relative: &str) -> String {
    Path::new(relative)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn structurizr_and_likec4_exports_are_snapshotted() {
    for relative in [
        "templates/ecommerce.strata",
        "templates/iot.strata",
        AWKWARD,
    ] {
        let design = design(relative);
        let stem = stem(relative);
        insta::assert_snapshot!(format!("structurizr_{stem}"), to_structurizr(&design));
        insta::assert_snapshot!(format!("likec4_{stem}"), to_likec4(&design));
    }
}

#[test]
fn awkward_names_are_unique_escaped_and_no_keyword() {
    let design = design(AWKWARD);
    let structurizr = to_structurizr(&design);
    for line in [
        "        label = person \"Clients — 用户 🚀\" \"\" \"client\"",
        "                        _ = container \"\\\\ back\\\\slash \\\\n\" \"\" \"Fastly \\\"edge\\\"\" \"cdn\"",
        "                    classes = container \"classes\" \"first line second; {third}\" \"\" \"waf\"",
        "                API_2 = container \"API\" \"\" \"\" \"auth\"",
        "        api -> steps \"événement 🚀\" \"\" \"async\"",
    ] {
        assert!(structurizr.contains(line), "missing {line:?} in:\n{structurizr}");
    }
    let likec4 = to_likec4(&design);
    for line in [
        "  shape_2 = tier \"Tier: {shape}; \\\"quoted\\\"\" {",
        "        e_ = cdn \"\\\\ back\\\\slash \\\\n\" {",
        "      classes = waf \"classes\" {",
        "  Style_2.api -> Style_2.steps \"événement 🚀\" {\n    #async\n",
        "    include shape_2_2.**",
    ] {
        assert!(likec4.contains(line), "missing {line:?} in:\n{likec4}");
    }
}

fn tool(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_string())
}

fn json_of(output: &std::process::Output, what: &str) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// How many components of the design are of the kinds given.
fn of_kinds(design: &Design, kinds: &[Kind]) -> usize {
    let kinds = design.components.iter().filter(|c| kinds.contains(&c.kind));
    kinds.count()
}

#[test]
fn structurizr_parser_reads_every_export_whole() {
    let python = tool("STRATA_STRUCTURIZR_PYTHON", "python3");
    let check = Path::new(ROOT).join("tests/tools/structurizr_check.py");
    let importable = runs(&python, &["-c", "import c4studio.parser.dsl"]);
    if !tools::found("c4studio (STRATA_STRUCTURIZR_PYTHON)", importable) {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let designs = shipped_designs();
    let mut paths = Vec::new();
    for relative in &designs {
        let path = scratch.path().join(format!("{}.dsl", stem(relative)));
        std::fs::write(&path, to_structurizr(&design(relative))).unwrap();
        paths.push(path);
    }
    let output = Command::new(&python)
        .arg(&check)
        .args(&paths)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let lines = String::from_utf8(output.stdout).unwrap();
    let reports: Vec<serde_json::Value> = lines
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(reports.len(), designs.len());
    for (relative, report) in designs.iter().zip(&reports) {
        let design = design(relative);
        assert_eq!(report["problems"], serde_json::json!([]), "{relative}");
        let people = of_kinds(&design, &[Kind::Client]);
        let externals = of_kinds(&design, &[Kind::External]);
        let expected = serde_json::json!({
            "people": people,
            "software_systems": externals + 1,
            "containers": design.components.len() - people - externals,
            "relationships": design.flows.len(),
            "container_views": 1,
        });
        for (field, value) in expected.as_object().unwrap() {
            assert_eq!(&report[field], value, "{relative}: {field}");
        }
    }
}

#[test]
fn likec4_validates_every_export_and_reads_it_whole() {
    let likec4 = tool("STRATA_LIKEC4", "likec4");
    if !tools::found(
        "the likec4 CLI (STRATA_LIKEC4)",
        runs(&likec4, &["--version"]),
    ) {
        return;
    }
    // One workspace with a project per design: each project a model of its own, so one
    // run of the CLI checks them all.
    let scratch = tempfile::tempdir().unwrap();
    let designs = shipped_designs();
    for relative in &designs {
        let project = scratch.path().join(stem(relative));
        std::fs::create_dir(&project).unwrap();
        let config = serde_json::json!({ "name": stem(relative) }).to_string();
        std::fs::write(project.join("likec4.config.json"), config).unwrap();
        std::fs::write(project.join("design.c4"), to_likec4(&design(relative))).unwrap();
    }
    let run = |args: &[&str]| {
        Command::new(&likec4)
            .args(args)
            .current_dir(scratch.path())
            .output()
            .unwrap()
    };
    let validated = json_of(
        &run(&["validate", "--no-layout", "--json", "."]),
        "validate",
    );
    assert_eq!(validated["valid"], true, "{validated:#}");
    assert_eq!(validated["stats"]["totalFiles"], designs.len());
    let exported = run(&["export", "json", "--skip-layout", "-o", "models.json", "."]);
    assert!(exported.status.success(), "{exported:?}");
    let models: serde_json::Value =
        serde_json::from_slice(&std::fs::read(scratch.path().join("models.json")).unwrap())
            .unwrap();
    for relative in &designs {
        let design = design(relative);
        let model = models
            .as_array()
            .unwrap()
            .iter()
            .find(|model| model["projectId"] == stem(relative).as_str())
            .unwrap_or_else(|| panic!("no model of {relative}"));
        let elements = design.tiers.len() + design.groups.len() + design.components.len();
        let count = |value: &serde_json::Value| value.as_object().map_or(0, |o| o.len());
        assert_eq!(count(&model["elements"]), elements, "{relative}: elements");
        assert_eq!(count(&model["relations"]), design.flows.len(), "{relative}");
        let shown = model["views"]["index"]["nodes"].as_array().map(Vec::len);
        assert_eq!(shown, Some(elements), "{relative}: elements in the view");
        let titles: Vec<&str> = model["elements"]
            .as_object()
            .unwrap()
            .values()
            .map(|element| element["title"].as_str().unwrap())
            .collect();
        for component in &design.components {
            let title = match component.label.trim().is_empty() {
                true => &component.id,
                false => &component.label,
            };
            assert!(
                titles.contains(&title.as_str()),
                "{relative}: {title:?} read back as another title"
            );
        }
    }
}
