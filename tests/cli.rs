//! The `strata` binary as a user runs it: exit codes, stdin/stdout, files it writes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BROKEN: &str = "web: client\nweb -> mystery\n";
const UNFORMATTED: &str = "web:client\napi:service\nweb->api\n";

fn strata(args: &[&str], stdin: Option<&[u8]>, dir: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn templates_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn check_exits_0_on_a_clean_template_and_2_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let clean = strata(
        &["check", "templates/ecommerce.strata"],
        None,
        templates_dir(),
    );
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    std::fs::write(dir.path().join("broken.strata"), BROKEN).unwrap();
    let broken = strata(
        &["check", "broken.strata", "--format", "concise"],
        None,
        dir.path(),
    );
    assert_eq!(broken.status.code(), Some(2));
    assert_eq!(
        text(&broken.stdout),
        "broken.strata:2:8: error[E101]: unknown component `mystery`\n"
    );
}

#[test]
fn check_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let output = strata(
        &["check", "-", "--format", "concise"],
        Some(BROKEN.as_bytes()),
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stdout).starts_with("<stdin>:2:8: error[E101]: "));
}

#[test]
fn check_reports_invalid_utf8_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latin1.strata"),
        b"web: client \"caf\xe9\"\n",
    )
    .unwrap();
    let output = strata(&["check", "latin1.strata"], None, dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stdout).contains("latin1.strata:1:17"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn colour_only_on_request_when_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.strata"), BROKEN).unwrap();
    let plain = strata(&["check", "broken.strata"], None, dir.path());
    assert!(!text(&plain.stdout).contains('\x1b'));
    let coloured = strata(
        &["--color", "always", "check", "broken.strata"],
        None,
        dir.path(),
    );
    assert!(text(&coloured.stdout).contains('\x1b'));
}

#[test]
fn fmt_check_exits_1_without_touching_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.strata");
    std::fs::write(&path, UNFORMATTED).unwrap();
    let output = strata(&["fmt", "--check", "d.strata"], None, dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("would reformat d.strata"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), UNFORMATTED);
}

#[test]
fn fmt_rewrites_the_file_and_is_then_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.strata");
    std::fs::write(&path, UNFORMATTED).unwrap();
    assert_eq!(
        strata(&["fmt", "d.strata"], None, dir.path()).status.code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "web: client\napi: service\nweb -> api\n"
    );
    assert_eq!(
        strata(&["fmt", "--check", "d.strata"], None, dir.path())
            .status
            .code(),
        Some(0)
    );
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "a temporary file was left behind");
}

#[test]
fn fmt_refuses_a_file_with_syntax_errors_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.strata");
    let broken = "tier t {\n a: service\n";
    std::fs::write(&path, broken).unwrap();
    let output = strata(&["fmt", "d.strata"], None, dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("E004"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = strata(&["fmt", "-"], Some(UNFORMATTED.as_bytes()), dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "web: client\napi: service\nweb -> api\n"
    );
}

#[test]
fn export_json_follows_the_schema() {
    let output = strata(
        &["export", "examples/minimal.strata", "--format", "json"],
        None,
        templates_dir(),
    );
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "strata.design/1");
    assert!(json["components"].as_array().unwrap().len() >= 3);
    assert!(json["flows"][0]["from"].is_string());
}

/// The journey rows of `strata analyze`'s text report, least available first.
fn journey_rows(report: &str) -> Vec<&str> {
    report
        .split("\n\n")
        .find(|section| section.starts_with("Availability of each"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|line| line.starts_with("  ") && !line.starts_with("      "))
        .collect()
}

#[test]
fn analyze_json_has_the_text_reports_journeys_and_figures() {
    // Declared journeys, inferred ones against the system's SLA, and no SLA at all.
    let designs = [
        "templates/ecommerce.strata",
        "examples/flawed.strata",
        "examples/minimal.strata",
    ];
    for design in designs {
        let report = text(&strata(&["analyze", design], None, templates_dir()).stdout);
        let output = strata(
            &["analyze", design, "--format", "json"],
            None,
            templates_dir(),
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(json["schema"], "strata.analysis/1");
        let journeys = json["journeys"].as_array().unwrap();
        let rows = journey_rows(&report);
        assert_eq!(journeys.len(), rows.len(), "{design}: {report}");
        for (journey, row) in journeys.iter().zip(&rows) {
            let name = match journey["id"].as_str() {
                Some(id) => id.to_string(),
                None => format!("{} → {}", journey["entry"], journey["target"]).replace('"', ""),
            };
            assert!(row.starts_with(&format!("  {name} ")), "{design}: {row}");
            // The text report prints the figure rounded; the JSON is within half its last digit.
            let printed = row.split_whitespace().find(|w| w.ends_with('%')).unwrap();
            let printed = printed.trim_end_matches('%');
            let decimals = printed.split('.').nth(1).map_or(0, str::len) as i32;
            let availability = journey["availability_percent"].as_f64().unwrap();
            let difference = (availability - printed.parse::<f64>().unwrap()).abs();
            assert!(difference <= 0.5 * 10f64.powi(-decimals), "{design}: {row}");
            match journey["target_sla_percent"].as_f64() {
                Some(target) => {
                    let meets = journey["meets_sla"].as_bool().unwrap();
                    assert_eq!(meets, availability >= target, "{design}: {journey}");
                    assert_eq!(meets, !row.contains("BELOW SLA"), "{design}: {row}");
                }
                None => assert!(journey.get("meets_sla").is_none(), "{design}: {journey}"),
            }
        }
        assert_eq!(
            journeys[0]["declared"],
            design.starts_with("templates/"),
            "templates declare their journeys, the examples do not"
        );
    }
}

/// A small design with a declared journey of each verdict, backups in parallel and a SPOF.
const SHOP: &str = "system \"Shop\" { sla 99.9%; p99 300ms }
web: client \"Browser\"
lb1: load_balancer { availability 99.9% }
lb2: load_balancer { availability 99.9% }
api: service \"API\" { replicas 2; latency 20ms }
orders: service \"Orders\" { latency 10ms }
db: database \"Orders DB\" { replicas 2; latency 5ms }
pay: external \"Payments\" { availability 99.95%; latency 150ms }
web -> lb1, lb2
lb1, lb2 -> api
api -> orders -> db { latency 2ms }
api -> pay
journey checkout \"Checkout\" { web -> lb1 -> api -> orders -> db; sla 99.5%; p99 250ms }
journey refund { web -> lb2 -> api -> pay }
";

#[test]
fn analyze_with_more_traffic_says_what_saturates_first_and_refuses_a_bad_factor() {
    let design = "tests/fixtures/capacity/scalability.strata";
    let scaled = strata(
        &["analyze", design, "--traffic", "10x"],
        None,
        templates_dir(),
    );
    assert_eq!(scaled.status.code(), Some(0), "{}", text(&scaled.stderr));
    let report = text(&scaled.stdout);
    assert!(report.contains("at 10× that traffic"), "{report}");
    assert!(report.contains("saturates first: api"), "{report}");
    assert!(
        report.contains("to add: api +47 (to 50), db +17 (to 20) replicas"),
        "{report}"
    );
    let refused = strata(
        &["analyze", design, "--traffic", "0x"],
        None,
        templates_dir(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("not a factor"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn cost_prints_the_bill_as_a_table_and_json_and_locates_a_bad_price_file() {
    let design = "tests/fixtures/capacity/url-shortener.strata";
    let table = strata(&["cost", design], None, templates_dir());
    assert_eq!(table.status.code(), Some(0), "{}", text(&table.stderr));
    insta::assert_snapshot!(text(&table.stdout));
    let json = strata(&["cost", design, "--format", "json"], None, templates_dir());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["schema"], "strata.cost/1");
    assert_eq!(json["total_usd"], 1133.54);
    assert_eq!(
        json["lines"][2]["how"],
        "3 × 2 vCPU × $0.04/vCPU-hour (compute) × 730 h"
    );
    let docs = std::fs::read_to_string(templates_dir().join("docs/cost-json.md")).unwrap();
    for key in [
        "schema",
        "pricing",
        "lines",
        "component",
        "item",
        "how",
        "monthly_usd",
        "total_usd",
        "not_costed",
    ] {
        assert!(
            docs.contains(&format!("\"{key}\"")),
            "docs/cost-json.md lacks {key}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let prices = dir.path().join("prices.toml");
    std::fs::write(&prices, "[managed]\n\"db.r6g.xlarge\" = \"cheap\"\n").unwrap();
    let args = [
        "cost",
        design,
        "--prices",
        prices.to_str().unwrap(),
        "--color",
        "never",
    ];
    let refused = strata(&args, None, templates_dir());
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("[E501] Error: `db.r6g.xlarge` is not a number"),
        "{stderr}"
    );
    assert!(stderr.contains("prices.toml:2:"), "{stderr}");

    let shown = strata(&["cost", "--show-prices"], None, templates_dir());
    std::fs::write(&prices, &shown.stdout).unwrap();
    let own = strata(
        &["cost", design, "--prices", prices.to_str().unwrap()],
        None,
        templates_dir(),
    );
    assert_eq!(own.status.code(), Some(0), "{}", text(&own.stderr));
    assert!(text(&own.stdout).contains("$1,133.54"));
}

#[test]
fn analyze_json_is_deterministic_and_snapshotted() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["analyze", "-", "--format", "json"];
    let first = strata(&args, Some(SHOP.as_bytes()), dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(first.stderr.is_empty(), "{}", text(&first.stderr));
    let second = strata(&args, Some(SHOP.as_bytes()), dir.path());
    assert_eq!(
        first.stdout, second.stdout,
        "the same design, the same bytes"
    );
    assert!(first.stdout.ends_with(b"}\n"));
    insta::assert_snapshot!(text(&first.stdout));
}

#[test]
fn analyze_json_documents_every_field_it_prints() {
    fn keys(value: &serde_json::Value, found: &mut std::collections::BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    found.insert(key.clone());
                    keys(value, found);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, found)),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut found = std::collections::BTreeSet::new();
    std::fs::write(dir.path().join("shop.strata"), SHOP).unwrap();
    let fintech = templates_dir().join("templates/fintech.strata");
    let fintech = fintech.to_str().unwrap();
    // With failures that break a journey and leave components on fewer instances.
    let scalability = templates_dir().join("tests/fixtures/capacity/scalability.strata");
    let scalability = scalability.to_str().unwrap();
    let runs = [
        vec!["shop.strata"],
        vec![fintech, "--fail", "zone=a", "--fail", "transaction"],
        vec![scalability, "--traffic", "10x"],
    ];
    for run in runs {
        let args = [&["analyze", "--format", "json"][..], &run].concat();
        let output = strata(&args, None, dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        keys(&serde_json::from_slice(&output.stdout).unwrap(), &mut found);
    }
    for key in ["what_if", "breaks_on", "instances_left"] {
        assert!(found.contains(key), "{key} is printed with --fail");
    }
    let docs = std::fs::read_to_string(templates_dir().join("docs/analysis-json.md")).unwrap();
    for key in found {
        assert!(
            docs.contains(&format!("\"{key}\"")),
            "docs/analysis-json.md lacks {key}"
        );
    }
}

#[test]
fn analyze_json_prints_nothing_for_a_design_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.strata"), BROKEN).unwrap();
    let output = strata(
        &["analyze", "broken.strata", "--format", "json"],
        None,
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    assert!(text(&output.stderr).contains("E101"));
}

#[test]
fn export_dot_draws_tiers_as_clusters() {
    let output = strata(
        &["export", "templates/ecommerce.strata", "--format", "dot"],
        None,
        templates_dir(),
    );
    let dot = text(&output.stdout);
    assert!(dot.starts_with("digraph \"E-Commerce Platform\" {"));
    assert!(dot.contains("subgraph \"cluster_edge\""));
    assert!(dot.contains("style=dashed"), "async flows are dashed");
}

#[test]
fn export_writes_nothing_for_a_design_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.strata"), BROKEN).unwrap();
    let output = strata(
        &[
            "export",
            "broken.strata",
            "--format",
            "json",
            "-o",
            "out.json",
        ],
        None,
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.path().join("out.json").exists());
}

#[test]
fn export_never_overwrites_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.strata");
    std::fs::write(&path, "web: client\n").unwrap();
    let output = strata(
        &["export", "d.strata", "--format", "json", "-o", "d.strata"],
        None,
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "web: client\n");
}

#[test]
fn templates_lists_the_eight_templates() {
    let output = strata(&["templates"], None, templates_dir());
    let names: Vec<String> = text(&output.stdout)
        .lines()
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "ecommerce",
            "social",
            "fintech",
            "healthcare",
            "streaming",
            "ai-ml",
            "saas",
            "iot"
        ]
    );
}

#[test]
fn new_writes_a_template_that_checks_clean_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bank.strata");
    assert_eq!(
        strata(&["new", "fintech", "-o", "bank.strata"], None, dir.path())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        strata(&["check", "bank.strata"], None, dir.path())
            .status
            .code(),
        Some(0)
    );
    std::fs::write(&path, "my own work\n").unwrap();
    let refused = strata(&["new", "fintech", "-o", "bank.strata"], None, dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own work\n");
    assert_eq!(
        strata(
            &["new", "fintech", "-o", "bank.strata", "--force"],
            None,
            dir.path()
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        strata::templates::find("fintech").unwrap().text
    );
}

#[test]
fn new_defaults_to_the_template_name_and_writes_stdout_for_dash() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        strata(&["new", "iot"], None, dir.path()).status.code(),
        Some(0)
    );
    assert!(dir.path().join("iot.strata").exists());
    let output = strata(&["new", "iot", "-o", "-"], None, dir.path());
    assert_eq!(
        text(&output.stdout),
        strata::templates::find("iot").unwrap().text
    );
}

#[test]
fn new_suggests_the_closest_template() {
    let dir = tempfile::tempdir().unwrap();
    let output = strata(&["new", "fintec"], None, dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("did you mean `fintech`?"));
}

#[test]
fn render_picks_the_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let template = templates_dir().join("templates/ecommerce.strata");
    let template = template.to_str().unwrap();
    for (file, magic) in [
        ("shop.svg", &b"<svg"[..]),
        ("shop.png", &b"\x89PNG"[..]),
        ("shop.json", &b"{"[..]),
    ] {
        let scale: &[&str] = match file.ends_with(".png") {
            true => &["--scale", "0.5"],
            false => &[],
        };
        let output = strata(
            &[&["render", template, "-o", file][..], scale].concat(),
            None,
            dir.path(),
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let written = std::fs::read(dir.path().join(file)).unwrap();
        assert!(written.starts_with(magic), "{file}");
    }
    let json = strata(
        &["render", template, "-o", "-", "--format", "json"],
        None,
        dir.path(),
    );
    assert!(text(&json.stdout).contains("\"nodes\""));
    let svg = strata(&["render", template, "-o", "-"], None, dir.path());
    assert!(text(&svg.stdout).starts_with("<svg"));
}

#[test]
fn render_refuses_an_unknown_extension_and_a_broken_design_without_touching_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.strata"), BROKEN).unwrap();
    std::fs::write(dir.path().join("old.svg"), "keep me").unwrap();
    let broken = strata(
        &["render", "broken.strata", "-o", "old.svg"],
        None,
        dir.path(),
    );
    assert_eq!(broken.status.code(), Some(2));
    assert!(text(&broken.stderr).contains("nothing rendered"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("old.svg")).unwrap(),
        "keep me"
    );
    std::fs::write(
        dir.path().join("ok.strata"),
        "a: client\nb: service\na -> b\n",
    )
    .unwrap();
    let unknown = strata(&["render", "ok.strata", "-o", "out.gif"], None, dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains(".svg, .png, .json or .txt"));
    assert!(!dir.path().join("out.gif").exists());
    let onto_input = strata(
        &["render", "ok.strata", "-o", "ok.strata", "--format", "svg"],
        None,
        dir.path(),
    );
    assert_eq!(onto_input.status.code(), Some(2));
    assert!(text(&onto_input.stderr).contains("refusing to overwrite the input"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ok.strata")).unwrap(),
        "a: client\nb: service\na -> b\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 3, "{leftovers:?}");
}

#[test]
fn an_unreadable_file_is_reported_in_machine_formats_too() {
    let dir = tempfile::tempdir().unwrap();
    let output = strata(
        &["check", "missing.strata", "--format", "json"],
        None,
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["files"][0]["path"], "missing.strata");
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "E010");
    assert!(text(&output.stderr).contains("1 file checked"));
}

#[test]
fn formatting_keeps_the_file_mode_and_writes_through_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.strata");
    std::fs::write(&real, UNFORMATTED).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o664)).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("link.strata")).unwrap();
    assert_eq!(
        strata(&["fmt", "link.strata"], None, dir.path())
            .status
            .code(),
        Some(0)
    );
    let link = std::fs::symlink_metadata(dir.path().join("link.strata")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "web: client\napi: service\nweb -> api\n"
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o664
    );
}

/// The binary with standard input from `/dev/zero` and `env` set: for input limits.
fn strata_from_zero(args: &[&str], env: &[(&str, &str)], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap()
}

#[test]
fn fmt_refuses_a_design_with_model_errors_and_never_makes_it_check_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.strata");
    for broken in [
        "web: client\napi: service\ndb: database\nweb -> \"api -> db\"\n",
        "web: client\napi: service \"API Service\"\nweb -> \"API Service\"\n",
        BROKEN,
    ] {
        std::fs::write(&path, broken).unwrap();
        for args in [&["fmt", "d.strata"][..], &["fmt", "--check", "d.strata"]] {
            let output = strata(args, None, dir.path());
            assert_eq!(output.status.code(), Some(2), "{args:?} {broken}");
            assert!(text(&output.stderr).contains("not formatted"));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
        }
        let check = strata(&["check", "d.strata"], None, dir.path());
        assert_eq!(check.status.code(), Some(2), "{broken}");
        let stdin = strata(&["fmt", "-"], Some(broken.as_bytes()), dir.path());
        assert_eq!(stdin.status.code(), Some(2));
        assert!(stdin.stdout.is_empty(), "{}", text(&stdin.stdout));
    }
}

#[test]
fn fmt_keeps_crlf_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.strata");
    let canonical = "# a design\r\nweb: client\r\napi: service # trailing\r\nweb -> api\r\n";
    std::fs::write(&path, canonical).unwrap();
    let output = strata(&["fmt", "--check", "d.strata"], None, dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    // Mostly CRLF: every line ends CRLF once formatted, even the one that did not.
    std::fs::write(&path, "web:client\r\napi:service # c\r\nweb->api\n").unwrap();
    assert_eq!(
        strata(&["fmt", "d.strata"], None, dir.path()).status.code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "web: client\r\napi: service # c\r\nweb -> api\r\n"
    );
    let stdin = strata(&["fmt", "-"], Some(canonical.as_bytes()), dir.path());
    assert_eq!(text(&stdin.stdout), canonical);
}

#[test]
fn input_over_the_limit_is_refused_at_once_with_how_to_raise_it() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["check", "/dev/zero"][..], &["check", "-"], &["fmt", "-"]] {
        let started = std::time::Instant::now();
        let output = strata_from_zero(args, &[], dir.path());
        assert!(started.elapsed().as_secs() < 5, "{args:?} read on");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let all = text(&output.stdout) + &text(&output.stderr);
        assert!(
            all.contains("larger than the input limit of 64 MiB"),
            "{all}"
        );
        assert!(all.contains("STRATA_MAX_INPUT"), "{all}");
    }
    std::fs::write(dir.path().join("d.strata"), UNFORMATTED).unwrap();
    let limit = UNFORMATTED.len().to_string();
    let fits = strata_from_zero(
        &["fmt", "--check", "d.strata"],
        &[("STRATA_MAX_INPUT", &limit)],
        dir.path(),
    );
    assert_eq!(fits.status.code(), Some(1), "{}", text(&fits.stderr));
    let smaller = (UNFORMATTED.len() - 1).to_string();
    let refused = strata_from_zero(
        &["check", "d.strata", "--format", "concise"],
        &[("STRATA_MAX_INPUT", &smaller)],
        dir.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stdout).contains(&format!(
        "d.strata is larger than the input limit of {smaller} bytes"
    )));
    let nonsense = strata_from_zero(
        &["check", "d.strata"],
        &[("STRATA_MAX_INPUT", "lots")],
        dir.path(),
    );
    assert_eq!(nonsense.status.code(), Some(2));
    assert!(text(&nonsense.stdout).contains("not a number of bytes"));
}

#[test]
fn standard_input_can_be_named_only_once() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["check", "fmt"] {
        // No input is given: the refusal comes before anything is read.
        let output = strata(&[command, "-", "-"], None, dir.path());
        assert_eq!(output.status.code(), Some(2));
        assert!(
            text(&output.stderr).contains("standard input (`-`) is named more than once"),
            "{}",
            text(&output.stderr)
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn check_and_fmt_walk_a_directory_in_order_and_other_commands_refuse_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for folder in ["designs/b", ".hidden", "target"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    for file in [
        "designs/z.strata",
        "designs/b/a.strata",
        "designs/a.strata",
        ".hidden/h.strata",
        "target/t.strata",
    ] {
        std::fs::write(root.join(file), BROKEN).unwrap();
    }
    std::fs::write(root.join("designs/notes.txt"), "not a design").unwrap();
    let check = strata(&["check", ".", "--format", "concise"], None, root);
    assert_eq!(check.status.code(), Some(2));
    let report = text(&check.stdout);
    let files: Vec<&str> = report
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        ["designs/a.strata", "designs/b/a.strata", "designs/z.strata"]
    );
    assert!(text(&check.stderr).contains("3 files checked"));
    for file in ["designs/a.strata", "designs/b/a.strata", "designs/z.strata"] {
        std::fs::write(root.join(file), UNFORMATTED).unwrap();
    }
    let would = strata(&["fmt", "--check", "designs"], None, root);
    assert_eq!(would.status.code(), Some(1));
    assert_eq!(text(&would.stderr).matches("would reformat").count(), 3);
    assert_eq!(
        strata(&["fmt", "designs"], None, root).status.code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("designs/b/a.strata")).unwrap(),
        "web: client\napi: service\nweb -> api\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("target/t.strata")).unwrap(),
        BROKEN
    );
    for args in [
        &["render", "designs", "-o", "out.svg"][..],
        &["export", "designs", "--format", "json"],
        &["analyze", "designs"],
    ] {
        let output = strata(args, None, root);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).contains("designs is a directory"),
            "{args:?}"
        );
    }
    std::fs::create_dir(root.join("empty")).unwrap();
    let empty = strata(&["check", "empty"], None, root);
    assert_eq!(empty.status.code(), Some(2));
    assert!(text(&empty.stderr).contains("no .strata files under empty"));
}

#[test]
fn a_dangling_symlink_as_output_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.strata"),
        "a: client\nb: service\na -> b\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink("out/drawing.svg", dir.path().join("link.svg")).unwrap();
    let output = strata(&["render", "d.strata", "-o", "link.svg"], None, dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let link = std::fs::symlink_metadata(dir.path().join("link.svg")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let drawing = std::fs::read_to_string(dir.path().join("out/drawing.svg")).unwrap();
    assert!(drawing.starts_with("<svg"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn render_refuses_options_its_format_does_not_use_and_extensions_that_contradict_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.strata"),
        "a: client\nb: service\na -> b\n",
    )
    .unwrap();
    for (args, message) in [
        (
            &["-o", "x.svg", "--width", "80"][..],
            "--width does not apply to svg output",
        ),
        (
            &["-o", "x.png", "--charset", "ascii"],
            "--charset does not apply to png output",
        ),
        (
            &["-o", "x.txt", "--theme", "dark"],
            "--theme does not apply to text output",
        ),
        (
            &["-o", "x.txt", "--scale", "3"],
            "--scale does not apply to text output",
        ),
        (
            &["-o", "x.svg", "--scale", "3"],
            "--scale does not apply to svg output",
        ),
        (
            &["-o", "x.json", "--annotate"],
            "--annotate does not apply to json output",
        ),
        (
            &["-o", "x.svg", "--format", "png"],
            "x.svg is named as svg output but --format is png",
        ),
        (
            &["-o", "x.svg", "--isolated"],
            "--config and --isolated choose the lint settings of --annotate",
        ),
    ] {
        let output = strata(
            &[&["render", "d.strata"][..], args].concat(),
            None,
            dir.path(),
        );
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).contains(message),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(written.len(), 1, "only the design is there");
    // What does apply is still taken, and --format names a file of any other extension.
    for args in [
        &["-o", "x.png", "--scale", "0.5", "--theme", "dark"][..],
        &["-o", "x.txt", "--width", "60", "--charset", "ascii"],
        &["-o", "drawing.out", "--format", "svg"],
    ] {
        let output = strata(
            &[&["render", "d.strata"][..], args].concat(),
            None,
            dir.path(),
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn export_takes_its_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.strata"),
        "a: client\nb: service\na -> b\n",
    )
    .unwrap();
    for (file, start) in [
        ("g.dot", "digraph"),
        ("g.json", "{"),
        ("g.d2", "direction: down"),
        ("g.mmd", "flowchart TB"),
        ("g.mermaid", "flowchart TB"),
        ("g.puml", "@startuml"),
        ("g.plantuml", "@startuml"),
        ("g.dsl", "workspace"),
        ("g.c4", "specification"),
        ("g.likec4", "specification"),
    ] {
        let output = strata(&["export", "d.strata", "-o", file], None, dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let written = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(written.starts_with(start), "{file}: {written}");
    }
    let contradiction = strata(
        &["export", "d.strata", "-o", "g.dot", "--format", "json"],
        None,
        dir.path(),
    );
    assert_eq!(contradiction.status.code(), Some(2));
    assert!(
        text(&contradiction.stderr).contains("g.dot is named as dot output but --format is json")
    );
    for args in [
        &["export", "d.strata"][..],
        &["export", "d.strata", "-o", "g.txt"],
    ] {
        let neither = strata(args, None, dir.path());
        assert_eq!(neither.status.code(), Some(2), "{args:?}");
        assert!(
            text(&neither.stderr).contains(
                ".json, .dot, .d2, .mmd, .mermaid, .puml, .plantuml, .dsl, .c4 or .likec4"
            ),
            "{}",
            text(&neither.stderr)
        );
    }
}

/// An unknown rule is a usage error, as in ruff; the README says so.
#[test]
fn rule_exits_2_on_an_unknown_rule() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = strata(&["rule", "NOPE"], None, dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no rule `NOPE`"));
    assert!(unknown.stdout.is_empty());
    let close = strata(&["rule", "AVL10"], None, dir.path());
    assert_eq!(close.status.code(), Some(2));
    assert_eq!(
        strata(&["rule", "AVL101"], None, dir.path()).status.code(),
        Some(0)
    );
    let readme = std::fs::read_to_string(templates_dir().join("README.md")).unwrap();
    assert!(
        readme.contains("| 0, 2 unknown rule |"),
        "the README's table gives rule's exit codes"
    );
}

#[test]
fn analyze_fail_reports_what_breaks_on_every_template_and_refuses_unknown_names() {
    for template in std::fs::read_dir(templates_dir().join("templates")).unwrap() {
        let path = template.unwrap().path();
        let path = path.to_str().unwrap();
        let output = strata(
            &["analyze", path, "--fail", "lb", "--fail", "auth"],
            None,
            templates_dir(),
        );
        // Not every template has both; an unknown one is refused and nothing is printed.
        let has = |id: &str| {
            std::fs::read_to_string(path)
                .unwrap()
                .contains(&format!("  {id}: "))
        };
        if has("lb") && has("auth") {
            assert!(output.status.success(), "{path}: {}", text(&output.stderr));
            let report = text(&output.stdout);
            assert!(
                report.starts_with("What if these fail: lb, auth\n"),
                "{report}"
            );
            assert!(report.contains("\nBreaks ") && report.contains("\nBlast radius"));
        } else {
            assert_eq!(output.status.code(), Some(2), "{path}");
            assert!(output.stdout.is_empty());
        }
    }
    let unknown = strata(
        &[
            "analyze",
            "templates/ecommerce.strata",
            "--fail",
            "api_gatway",
        ],
        None,
        templates_dir(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        text(&unknown.stderr),
        "error: --fail: unknown component `api_gatway`\n  help: did you mean `api_gateway`?\n"
    );
}

#[test]
fn analyze_fail_zone_takes_a_zones_share_and_refuses_zones_nothing_runs_in() {
    let zone = strata(
        &["analyze", "templates/fintech.strata", "--fail", "zone=a"],
        None,
        templates_dir(),
    );
    assert!(zone.status.success(), "{}", text(&zone.stderr));
    let report = text(&zone.stdout);
    assert!(
        report.contains("\nRunning on fewer instances: ids_ips (1 of 2), api_gateway (2 of 3)"),
        "{report}"
    );
    assert!(report.contains("Breaks 0 of 1 journeys"), "{report}");
    let beyond = strata(
        &["analyze", "templates/fintech.strata", "--fail", "zone=d"],
        None,
        templates_dir(),
    );
    assert_eq!(beyond.status.code(), Some(2));
    assert_eq!(
        text(&beyond.stderr),
        "error: --fail: no component runs in zone `d`\n  help: the components use zones a to c (`zones 3`)\n"
    );
}

#[test]
fn analyze_json_with_fail_says_what_the_text_report_says() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let args = [&["analyze", "-", "--fail", "orders"][..], extra].concat();
        let output = strata(&args, Some(SHOP.as_bytes()), dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let report = run(&[]);
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert_eq!(json["what_if"]["failures"], serde_json::json!(["orders"]));
    assert_eq!(json["what_if"]["down"], serde_json::json!(["orders"]));
    let journeys = json["journeys"].as_array().unwrap();
    let broken: Vec<&str> = journeys
        .iter()
        .filter(|j| j["what_if"]["works"] == false)
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        broken,
        ["checkout", "refund"],
        "api needs orders for every request"
    );
    assert!(
        report.contains("Breaks 2 of 2 journeys:\n  checkout \"Checkout\"  needs `orders`"),
        "{report}"
    );
    assert_eq!(
        journeys[0]["what_if"]["breaks_on"],
        serde_json::json!(["orders"])
    );
}

// Project configuration (strata.toml) and baselines.

/// A design with known findings: AVL103@db (no replica), REQ001@web->api (no load
/// balancer), REQ005@system (no cache), among others.
const PROJECT_DESIGN: &str =
    "web: client\napi: service { replicas 2 }\ndb: database\nweb -> api\napi -> db\n";

/// Writes `files` (path, contents) under a new temporary directory.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// `strata check … --format concise` in `dir`: exit code and the report's lines.
fn concise(args: &[&str], dir: &Path) -> (Option<i32>, Vec<String>) {
    let args = [&["check", "--format", "concise"][..], args].concat();
    let output = strata(&args, None, dir);
    let lines = text(&output.stdout).lines().map(str::to_string).collect();
    (output.status.code(), lines)
}

/// Whether a concise report has a finding with this code in `file`, and at what level.
fn level(lines: &[String], file: &str, code: &str) -> Option<String> {
    lines.iter().find_map(|line| {
        let rest = line.strip_prefix(&format!("{file}:"))?;
        let (_, after) = rest.split_once(": ")?;
        let (severity, _) = after.split_once(&format!("[{code}]"))?;
        Some(severity.to_string())
    })
}

#[test]
fn the_nearest_strata_toml_up_from_each_design_applies() {
    let dir = project(&[
        ("strata.toml", "[lint]\nignore = [\"REQ005\"]\n"),
        ("team/strata.toml", "[lint.severity]\nAVL103 = \"info\"\n"),
        ("deep/down/here/d.strata", PROJECT_DESIGN),
        ("team/sub/d.strata", PROJECT_DESIGN),
    ]);
    let (code, lines) = concise(&["."], dir.path());
    assert_eq!(
        code,
        Some(1),
        "AVL103 is an error in one of them: {lines:?}"
    );
    let (deep, team) = ("deep/down/here/d.strata", "team/sub/d.strata");
    assert_eq!(
        level(&lines, deep, "REQ005"),
        None,
        "ignored by the root file"
    );
    assert_eq!(level(&lines, deep, "AVL103").as_deref(), Some("error"));
    assert_eq!(
        level(&lines, team, "REQ005").as_deref(),
        Some("warning"),
        "the nearest file wins; it does not add to the root's"
    );
    assert_eq!(level(&lines, team, "AVL103").as_deref(), Some("info"));
    // From inside the tree too, and --isolated reads none.
    let (_, lines) = concise(&["d.strata"], &dir.path().join("deep/down/here"));
    assert_eq!(level(&lines, "d.strata", "REQ005"), None);
    let (_, lines) = concise(
        &["--isolated", "d.strata"],
        &dir.path().join("deep/down/here"),
    );
    assert_eq!(
        level(&lines, "d.strata", "REQ005").as_deref(),
        Some("warning")
    );
}

#[test]
fn config_names_the_file_instead_of_discovery() {
    let dir = project(&[
        ("strata.toml", "[lint]\nignore = [\"REQ005\"]\n"),
        ("ci/strict.toml", "[lint.severity]\nREQ = \"error\"\n"),
        ("d.strata", PROJECT_DESIGN),
    ]);
    let (code, lines) = concise(&["--config", "ci/strict.toml", "d.strata"], dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        level(&lines, "d.strata", "REQ005").as_deref(),
        Some("error")
    );
    let (code, lines) = concise(&["--config", "ci/missing.toml", "d.strata"], dir.path());
    assert_eq!(code, Some(2));
    assert!(
        lines[0].starts_with("ci/missing.toml:1:1: error[E010]: cannot read"),
        "{lines:?}"
    );
}

#[test]
fn extend_builds_on_a_shared_file_and_a_cycle_is_a_located_error() {
    let dir = project(&[
        ("shared/strata.toml", "[lint]\nignore = [\"REQ005\"]\nmax_sync_depth = 7\n[lint.severity]\nAVL103 = \"info\"\n"),
        ("app/strata.toml", "extend = \"../shared/strata.toml\"\n\n[lint.severity]\nAVL103 = \"warning\"\n"),
        ("app/d.strata", PROJECT_DESIGN),
    ]);
    let (code, lines) = concise(&["d.strata"], &dir.path().join("app"));
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(
        level(&lines, "d.strata", "REQ005"),
        None,
        "from the extended file"
    );
    assert_eq!(
        level(&lines, "d.strata", "AVL103").as_deref(),
        Some("warning"),
        "the extending file wins"
    );

    std::fs::write(
        dir.path().join("shared/strata.toml"),
        "# shared\nextend = \"../app/strata.toml\"\n",
    )
    .unwrap();
    let (code, lines) = concise(&["d.strata"], &dir.path().join("app"));
    assert_eq!(code, Some(2));
    // Outside the working directory, a file is named by its absolute path.
    let shared = dir.path().join("shared/strata.toml").display().to_string();
    let cycle = format!(
        "{shared}:2:10: error[E207]: `extend` makes a cycle: strata.toml → {shared} → strata.toml"
    );
    assert_eq!(lines, [cycle]);
}

#[test]
fn per_file_ignores_match_globs_from_the_files_directory() {
    let dir = project(&[
        (
            "strata.toml",
            "[lint.per-file-ignores]\n\"legacy/*.strata\" = [\"REQ001\"]\n\"scratch.strata\" = [\"AVL\"]\n",
        ),
        ("legacy/old.strata", PROJECT_DESIGN),
        ("legacy/deeper/older.strata", PROJECT_DESIGN),
        ("new.strata", PROJECT_DESIGN),
        ("drafts/scratch.strata", PROJECT_DESIGN),
    ]);
    let (_, lines) = concise(&["."], dir.path());
    assert_eq!(level(&lines, "legacy/old.strata", "REQ001"), None);
    assert!(
        level(&lines, "legacy/deeper/older.strata", "REQ001").is_some(),
        "`*` stays in one directory"
    );
    assert!(level(&lines, "new.strata", "REQ001").is_some());
    assert_eq!(
        level(&lines, "drafts/scratch.strata", "AVL103"),
        None,
        "a bare file name matches anywhere"
    );
    assert!(level(&lines, "drafts/scratch.strata", "REQ001").is_some());
}

#[test]
fn precedence_is_file_then_lint_block_then_command_line() {
    let with_block = format!("{PROJECT_DESIGN}lint {{ AVL103 warning }}\n");
    let dir = project(&[
        (
            "strata.toml",
            "[lint.severity]\nAVL103 = \"info\"\nREQ001 = \"error\"\n",
        ),
        ("d.strata", &with_block),
    ]);
    let (_, lines) = concise(&["d.strata"], dir.path());
    assert_eq!(
        level(&lines, "d.strata", "AVL103").as_deref(),
        Some("warning"),
        "the lint block wins over the file"
    );
    assert_eq!(
        level(&lines, "d.strata", "REQ001").as_deref(),
        Some("error"),
        "the file wins over the default"
    );
    let (_, lines) = concise(
        &[
            "d.strata",
            "--severity",
            "AVL103=error",
            "--ignore",
            "REQ001",
        ],
        dir.path(),
    );
    assert_eq!(
        level(&lines, "d.strata", "AVL103").as_deref(),
        Some("error"),
        "the command line wins"
    );
    assert_eq!(level(&lines, "d.strata", "REQ001"), None);
}

#[test]
fn show_settings_prints_the_resolved_configuration_and_its_files() {
    let dir = project(&[
        ("shared.toml", "[lint]\nmax_sync_depth = 6\n"),
        (
            "strata.toml",
            "extend = \"shared.toml\"\n[lint]\nignore = [\"REQ005\"]\n",
        ),
        (
            "d.strata",
            &format!("{PROJECT_DESIGN}lint {{ AVL103 info }}\n"),
        ),
    ]);
    let output = strata(
        &[
            "check",
            "--show-settings",
            "d.strata",
            "--severity",
            "REQ001=error",
        ],
        None,
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let shown = text(&output.stdout);
    assert!(
        shown.contains("From, lowest precedence first:\n  shared.toml\n  strata.toml\n  the design's lint block\n  the command line\n"),
        "{shown}"
    );
    let line = |code: &str| {
        shown
            .lines()
            .find(|l| l.trim_start().starts_with(code))
            .unwrap()
            .split_whitespace()
            .skip(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("max_sync_depth"), "6 shared.toml");
    assert_eq!(line("REQ005"), "off strata.toml");
    assert_eq!(line("AVL103"), "info the design's lint block");
    assert_eq!(line("REQ001"), "error the command line");
    assert_eq!(line("REQ003"), "warning default");
}

#[test]
fn a_malformed_strata_toml_is_a_located_error() {
    let dir = project(&[
        ("strata.toml", "[lint]\nselect = [\"AVL\"\nignore = []\n"),
        ("d.strata", PROJECT_DESIGN),
    ]);
    let (code, lines) = concise(&["d.strata"], dir.path());
    assert_eq!(code, Some(2));
    assert!(
        lines[0].starts_with("strata.toml:3:1: error[E205]: invalid TOML"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 1, "the design is not linted: {lines:?}");
}

#[test]
fn a_strata_toml_that_is_not_utf8_is_located_at_its_first_bad_byte() {
    let dir = project(&[("d.strata", PROJECT_DESIGN)]);
    std::fs::write(
        dir.path().join("strata.toml"),
        b"[lint]\nignore = [\"\xff\"]\n",
    )
    .unwrap();
    let (code, lines) = concise(&["d.strata"], dir.path());
    assert_eq!(code, Some(2));
    assert!(
        lines[0].starts_with("strata.toml:2:12: error[E006]: the file is not valid UTF-8"),
        "{lines:?}"
    );
}

#[test]
fn unknown_keys_and_rules_in_strata_toml_are_located_with_a_suggestion() {
    let dir = project(&[
        ("strata.toml", "[lint]\nselect = [\"AVL\"]\nignroe = [\"REQ005\"]\n[lint.severity]\nAVL1O3 = \"info\"\n"),
        ("d.strata", PROJECT_DESIGN),
        ("e.strata", PROJECT_DESIGN),
    ]);
    let output = strata(&["check", "d.strata", "e.strata"], None, dir.path());
    assert_eq!(output.status.code(), Some(2));
    let report = text(&output.stdout);
    assert!(
        report.contains("[E206] Error: unknown key `ignroe`\n   ╭─[ strata.toml:3:1 ]"),
        "{report}"
    );
    assert!(report.contains("Help: did you mean `ignore`?"), "{report}");
    assert!(
        report.contains("[E201] Error: unknown rule or option `AVL1O3`\n   ╭─[ strata.toml:5:1 ]"),
        "{report}"
    );
    assert!(report.contains("Help: did you mean `AVL103`?"), "{report}");
    assert_eq!(
        report.matches("E206").count(),
        1,
        "reported once for both designs"
    );
    let render = strata(
        &["render", "d.strata", "--annotate", "-o", "d.svg"],
        None,
        dir.path(),
    );
    assert_eq!(
        render.status.code(),
        Some(2),
        "render --annotate reads the same file"
    );
    assert!(text(&render.stderr).contains("unknown key `ignroe`"));
}

#[test]
fn a_baseline_hides_recorded_findings_even_when_their_lines_move() {
    let dir = project(&[("designs/d.strata", PROJECT_DESIGN)]);
    let written = strata(
        &["check", "designs", "--write-baseline", "baseline.toml"],
        None,
        dir.path(),
    );
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    let baseline = std::fs::read_to_string(dir.path().join("baseline.toml")).unwrap();
    assert!(
        baseline.contains("[files.\"designs/d.strata\"]\n"),
        "{baseline}"
    );
    assert!(baseline.contains("\"AVL103@db\" = 1\n"), "{baseline}");
    let again = strata(
        &["check", "designs", "--write-baseline", "baseline.toml"],
        None,
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("baseline.toml")).unwrap(),
        baseline,
        "deterministic"
    );

    let (code, lines) = concise(
        &[
            "designs",
            "--baseline",
            "baseline.toml",
            "--fail-on",
            "info",
        ],
        dir.path(),
    );
    assert_eq!((code, lines.len()), (Some(0), 0), "{lines:?}");

    // An older version of the design: lines moved by a comment and a reordering.
    let moved = "# moved about\n\nweb: client\n\ndb: database\napi: service { replicas 2 }\napi -> db\nweb -> api\n";
    std::fs::write(dir.path().join("designs/d.strata"), moved).unwrap();
    let (code, lines) = concise(
        &[
            "designs",
            "--baseline",
            "baseline.toml",
            "--fail-on",
            "info",
        ],
        dir.path(),
    );
    assert_eq!((code, lines.len()), (Some(0), 0), "{lines:?}");
}

#[test]
fn a_baseline_reports_new_findings_and_the_recorded_ones_that_are_gone() {
    let dir = project(&[("d.strata", PROJECT_DESIGN), ("ci/README", "baselines")]);
    let written = strata(
        &["check", "d.strata", "--write-baseline", "ci/baseline.toml"],
        None,
        dir.path(),
    );
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    // The database gets a replica (AVL103@db is fixed); a second database has none.
    let edited = PROJECT_DESIGN
        .replace("db: database", "db: database { replicas 2 }\ndb2: database")
        + "api -> db2\n";
    std::fs::write(dir.path().join("d.strata"), edited).unwrap();
    let (code, lines) = concise(&["d.strata", "--baseline", "ci/baseline.toml"], dir.path());
    assert_eq!(code, Some(1), "the new finding is an error: {lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("error[AVL103]: database `db2`")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("[REQ001]")), "{lines:?}");

    let output = strata(
        &["check", "d.strata", "--baseline", "ci/baseline.toml"],
        None,
        dir.path(),
    );
    let report = text(&output.stdout);
    assert!(
        report.ends_with("note: 1 finding recorded in ci/baseline.toml no longer occurs:\n  d.strata: AVL103@db\n  write the baseline again to drop them: --write-baseline ci/baseline.toml\n"),
        "{report}"
    );
    let output = strata(
        &[
            "check",
            "d.strata",
            "--baseline",
            "ci/baseline.toml",
            "--format",
            "json",
        ],
        None,
        dir.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["baseline"]["gone"],
        serde_json::json!([{ "path": "d.strata", "id": "AVL103@db", "count": 1 }])
    );
    assert!(json["baseline"]["matched"].as_u64().unwrap() > 0);
}

#[test]
fn a_missing_or_malformed_baseline_exits_2() {
    let dir = project(&[
        ("d.strata", PROJECT_DESIGN),
        (
            "bad.toml",
            "version = 1\n[files.\"d.strata\"]\n\"AVL103@db\" = \"one\"\n",
        ),
    ]);
    let missing = strata(
        &["check", "d.strata", "--baseline", "nope.toml"],
        None,
        dir.path(),
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("cannot read nope.toml"),
        "{}",
        text(&missing.stderr)
    );
    let malformed = strata(
        &["check", "d.strata", "--baseline", "bad.toml"],
        None,
        dir.path(),
    );
    assert_eq!(malformed.status.code(), Some(2));
    let stderr = text(&malformed.stderr);
    assert!(
        stderr.contains("[E208] Error: the count of `AVL103@db` is not a number of findings"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.toml:3:15"), "{stderr}");
    assert!(malformed.stdout.is_empty());
    let over_input = strata(
        &["check", "d.strata", "--write-baseline", "d.strata"],
        None,
        dir.path(),
    );
    assert_eq!(over_input.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d.strata")).unwrap(),
        PROJECT_DESIGN
    );
}

#[test]
fn render_views_resolve_their_names_and_refuse_what_does_not_combine() {
    let dir = tempfile::tempdir().unwrap();
    let template = templates_dir().join("templates/ecommerce.strata");
    let template = template.to_str().unwrap();
    let render = |args: &[&str]| {
        strata(
            &[&["render", template][..], args].concat(),
            None,
            dir.path(),
        )
    };
    let focus = render(&["--focus", "order", "--depth", "2", "--format", "text"]);
    assert_eq!(focus.status.code(), Some(0), "{}", text(&focus.stderr));
    assert!(
        text(&focus.stdout).starts_with("E-Commerce Platform: around Order Service, 2 flows away")
    );
    assert!(text(&focus.stdout).contains("+N after a name"));
    let journey = render(&["--journey", "checkout", "--annotate"]);
    assert_eq!(journey.status.code(), Some(0), "{}", text(&journey.stderr));
    assert!(text(&journey.stdout).contains(r#"opacity="0.25""#));
    for (args, expected) in [
        (
            &["--focus", "ordr"][..],
            "no component `ordr` in the design; did you mean `order`?",
        ),
        (
            &["--journey", "chekout"],
            "no journey `chekout` in the design; did you mean `checkout`?",
        ),
        (
            &["--focus", "order", "--depth", "11"],
            "the depth is a number of flows from 1 to 10",
        ),
        (&["--depth", "2"], "--focus"),
        (
            &["--focus", "order", "--collapse", "tiers"],
            "cannot be used with",
        ),
        (
            &["--journey", "checkout", "--collapse", "groups"],
            "cannot be used with",
        ),
    ] {
        let output = render(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).contains(expected),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn the_readme_view_example_is_what_render_draws() {
    let readme = std::fs::read_to_string(templates_dir().join("README.md")).unwrap();
    let start = readme.find("URL Shortener: around Redis").unwrap();
    let legend = "not drawn in this view\n";
    let end = start + readme[start..].find(legend).unwrap() + legend.len();
    let example = templates_dir().join("examples/url-shortener.strata");
    let args = [
        "render",
        example.to_str().unwrap(),
        "--focus",
        "redis",
        "--format",
        "text",
    ];
    let output = strata(&args, None, templates_dir());
    assert_eq!(text(&output.stdout), readme[start..end]);
}

#[test]
fn mermaid_export_of_more_flows_than_mermaid_draws_warns_and_still_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let flows = strata::export::mermaid::MAX_EDGES + 1;
    let mut design = String::from("hub: service\n");
    for i in 0..flows {
        design.push_str(&format!("c{i}: client\nc{i} -> hub\n"));
    }
    std::fs::write(dir.path().join("wide.strata"), design).unwrap();
    let output = strata(
        &["export", "wide.strata", "--format", "mermaid"],
        None,
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains(&format!("warning: {flows} flows")));
    assert_eq!(text(&output.stdout).matches(" --> ").count(), flows);
    let small = strata(
        &[
            "export",
            "templates/ecommerce.strata",
            "--format",
            "mermaid",
        ],
        None,
        templates_dir(),
    );
    assert!(text(&small.stderr).is_empty(), "{}", text(&small.stderr));
}
