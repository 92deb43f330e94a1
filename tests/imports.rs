//! Designs across files (`tests/fixtures/imports/`): a shared observability tier imported
//! by two designs (one through a shared edge that imports it too), and each mistake an
//! import can make, located at the import with the chain or both places named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use strata::lint::project::Unread;
use strata::load::Project;
use strata::source::Source;

const FIXTURES: &str = "tests/fixtures/imports";

/// Checks a design as `strata check` does, imports read from disk. Paths are relative to
/// the crate's directory, where cargo runs tests, so reports name them alike everywhere.
fn check(path: &str) -> (Source, strata::Checked) {
    let source = Source::new(path, std::fs::read_to_string(path).unwrap());
    let mut read = |path: &Path, name: String| {
        std::fs::read_to_string(path)
            .map(|text| Source::new(name, text))
            .map_err(|error| Unread::Message(format!("cannot read: {}", error.kind())))
    };
    let mut project = Project::of(Path::new(path), &mut read);
    let checked = strata::check_project(&source, Some(&mut project));
    (source, checked)
}

fn strata(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn each_import_error_fixture_reports_its_located_diagnostic() {
    insta::glob!("fixtures/imports/errors/*.strata", |path| {
        let relative = path.strip_prefix(crate_dir()).unwrap();
        let (source, checked) = check(relative.to_str().unwrap());
        let files = checked.files(&source);
        let text: String = (checked.diagnostics.iter())
            .map(|diagnostic| diagnostic.render(&files, false))
            .collect();
        assert!(checked.has_errors(), "{} reports nothing", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn a_cycle_is_reported_at_the_import_that_closes_it_naming_the_chain() {
    let (source, checked) = check("tests/fixtures/imports/errors/cycle_a.strata");
    let [cycle] = checked.diagnostics.as_slice() else {
        panic!("{:?}", checked.diagnostics);
    };
    assert_eq!(cycle.code, "E011");
    let files = checked.files(&source);
    let closing = strata::source::Files::file_of(&files, cycle.primary.span.start);
    assert_eq!(closing.name, "tests/fixtures/imports/errors/cycle_b.strata");
    assert!(cycle.message.contains("cycle_a.strata → tests/fixtures/imports/errors/cycle_b.strata → tests/fixtures/imports/errors/cycle_a.strata"), "{}", cycle.message);
}

#[test]
fn a_duplicate_id_across_files_names_both_files() {
    let (source, checked) = check("tests/fixtures/imports/errors/duplicate_across_files.strata");
    let [duplicate] = checked.diagnostics.as_slice() else {
        panic!("{:?}", checked.diagnostics);
    };
    assert_eq!(duplicate.code, "E102");
    let files = checked.files(&source);
    let file_of = |offset| strata::source::Files::file_of(&files, offset).name.clone();
    assert_eq!(file_of(duplicate.primary.span.start), source.name);
    assert_eq!(
        file_of(duplicate.related[0].span.start),
        "tests/fixtures/imports/shared/observability.strata"
    );
}

#[test]
fn a_shared_fragment_imported_twice_is_read_once_and_its_tier_takes_the_design_s_components() {
    let (_, checked) = check("tests/fixtures/imports/shop.strata");
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    // edge.strata imports observability.strata, and so does shop.strata: read once.
    let imported: Vec<&str> = (checked.imported.iter())
        .map(|file| file.source.name.as_str())
        .collect();
    assert_eq!(
        imported,
        [
            "tests/fixtures/imports/shared/edge.strata",
            "tests/fixtures/imports/shared/observability.strata"
        ]
    );
    let design = &checked.design;
    let tiers: Vec<&str> = design.tiers.iter().map(|tier| tier.id.as_str()).collect();
    // The shop's block adding to the shared tier places it after its own tiers.
    assert_eq!(
        tiers,
        ["clients", "edge", "services", "data", "observability"]
    );
    let observability = &design.tiers[4];
    let members: Vec<&str> = (observability.components.iter())
        .map(|&id| design.components[id].id.as_str())
        .collect();
    assert_eq!(members, ["metrics", "logs", "traces", "alerts", "status"]);
    let status = design.components.iter().find(|c| c.id == "status").unwrap();
    assert_eq!(status.tier, Some(4));
    let (_, payments) = check("tests/fixtures/imports/payments.strata");
    assert!(!payments.has_errors(), "{:?}", payments.diagnostics);
    assert!(payments.design.components.iter().any(|c| c.id == "alerts"));
}

#[test]
fn both_designs_render_with_the_shared_tier() {
    for design in ["shop", "payments"] {
        let path = format!("{FIXTURES}/{design}.strata");
        let output = strata(
            &[
                "render", &path, "--format", "text", "--width", "120", "-o", "-",
            ],
            &crate_dir(),
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let drawing = String::from_utf8(output.stdout).unwrap();
        assert!(drawing.contains("Observability") && drawing.contains("Prometheus"));
        insta::assert_snapshot!(format!("render_{design}"), drawing);
    }
}

#[test]
fn export_and_analyze_take_the_imported_components() {
    let output = strata(
        &[
            "export",
            "tests/fixtures/imports/shop.strata",
            "--format",
            "json",
        ],
        &crate_dir(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let design: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = (design["components"].as_array().unwrap().iter())
        .map(|component| component["id"].as_str().unwrap())
        .collect();
    for id in ["users", "api", "metrics", "alerts", "orders", "status"] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    let output = strata(
        &[
            "analyze",
            "tests/fixtures/imports/shop.strata",
            "--fail",
            "api",
        ],
        &crate_dir(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let analysis = String::from_utf8(output.stdout).unwrap();
    assert!(analysis.contains("orders"), "{analysis}");
}

/// A project whose design imports a database with a finding of its own.
fn project_with_a_finding_in_an_import() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("strata.toml"), "").unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(
        dir.path().join("shared/data.strata"),
        "# data\ndb: database\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.strata"),
        "import \"shared/data.strata\"\nweb: client\nweb -> db\n",
    )
    .unwrap();
    dir
}

#[test]
fn check_reports_findings_in_imported_files_under_their_file_in_every_format() {
    let dir = project_with_a_finding_in_an_import();
    let run = |format: &str| {
        let output = strata(
            &[
                "check",
                "app.strata",
                "--select",
                "AVL103",
                "--format",
                format,
            ],
            dir.path(),
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        run("concise"),
        "shared/data.strata:2:1: error[AVL103]: database `db` has no replica to fail over to\n"
    );
    let text = run("text");
    assert!(
        text.contains("╭─[ shared/data.strata:2:1 ]") && text.contains("2 │ db: database"),
        "{text}"
    );
    let github = run("github");
    assert!(
        github.starts_with("::error file=shared/data.strata,line=2,col=1,"),
        "{github}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "app.strata");
    assert_eq!(files[0]["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(files[1]["path"], "shared/data.strata");
    assert_eq!(files[1]["diagnostics"][0]["code"], "AVL103");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert!(location["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("shared/data.strata"));
    assert_eq!(location["region"]["startLine"], 2);
}

#[test]
fn fmt_formats_the_files_named_and_leaves_their_imports_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("strata.toml"), "").unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    let shared = "tier  edge  {  lb : load_balancer }\n";
    std::fs::write(dir.path().join("shared/edge.strata"), shared).unwrap();
    std::fs::write(
        dir.path().join("app.strata"),
        "import   \"shared/edge.strata\"\nweb: client\nweb->lb\n",
    )
    .unwrap();
    let output = strata(&["fmt", "app.strata"], dir.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.strata")).unwrap(),
        "import \"shared/edge.strata\"\n\nweb: client\nweb -> lb\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("shared/edge.strata")).unwrap(),
        shared
    );
}

#[test]
fn without_a_strata_toml_the_project_is_the_design_s_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("shared.strata"), "db: database\n").unwrap();
    std::fs::write(
        dir.path().join("app/app.strata"),
        "import \"../shared.strata\"\nweb: client\nweb -> db\n",
    )
    .unwrap();
    let output = strata(
        &["check", "app/app.strata", "--format", "concise"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.starts_with("app/app.strata:1:1: error[E012]"),
        "{report}"
    );
    // With a strata.toml above both, the same import is inside the project.
    std::fs::write(dir.path().join("strata.toml"), "").unwrap();
    let output = strata(
        &["check", "app/app.strata", "--format", "concise"],
        dir.path(),
    );
    assert_ne!(output.status.code(), Some(2));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("shared.strata:1:1: error[AVL103]"),
        "{report}"
    );
}
