//! `strata check` as a linter: the findings, their configuration and every output format.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn strata(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(args: &[&str], stdin: Option<&str>) -> serde_json::Value {
    let output = strata(args, stdin);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)))
}

/// `(code, line)` of every diagnostic in a JSON report's first file.
fn codes_and_lines(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_gap_is_reported_once_at_its_line_with_a_fix() {
    let report = json(
        &[
            "check",
            "tests/fixtures/lint/gaps.strata",
            "--format",
            "json",
        ],
        None,
    );
    let found = codes_and_lines(&report);
    let expected = [
        ("REQ005", 3),  // no cache: at the system line
        ("REQ007", 3),  // no metrics
        ("REQ008", 3),  // no logging
        ("REQ010", 3),  // no alerting
        ("SEC306", 3),  // no secret store for the database's credentials
        ("AVL103", 20), // the single database, at `replicas 1`
        ("REQ006", 26), // the async flow with no broker
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    assert_eq!(found, expected);
    for diagnostic in report["files"][0]["diagnostics"].as_array().unwrap() {
        assert!(
            !diagnostic["help"].as_str().unwrap().is_empty(),
            "every finding says how to fix it"
        );
    }
}

#[test]
fn the_flawed_example_fires_the_rules_its_comments_promise() {
    let report = json(
        &["check", "examples/flawed.strata", "--format", "json"],
        None,
    );
    let mut codes: Vec<String> = codes_and_lines(&report)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    codes.sort();
    codes.dedup();
    for expected in [
        "AVL101", "AVL103", "AVL110", "AVL111", "REQ001", "REQ003", "REQ005", "REQ006", "REQ007",
        "REQ008", "REQ010", "SEC301", "SEC302", "SEC304", "SEC305",
    ] {
        assert!(
            codes.iter().any(|c| c == expected),
            "{expected} missing from {codes:?}"
        );
    }
}

#[test]
fn every_template_is_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let output = strata(
            &["check", path.to_str().unwrap(), "--format", "concise"],
            None,
        );
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        assert_eq!(stdout(&output), "", "{} has findings", path.display());
    }
}

#[test]
fn exit_codes_follow_fail_on_and_exit_zero() {
    let flawed = "examples/flawed.strata";
    assert_eq!(strata(&["check", flawed], None).status.code(), Some(1));
    assert_eq!(
        strata(&["check", flawed, "--exit-zero"], None)
            .status
            .code(),
        Some(0)
    );
    let warnings_only = [
        "check",
        "tests/fixtures/lint/gaps.strata",
        "--ignore",
        "AVL103",
    ];
    assert_eq!(strata(&warnings_only, None).status.code(), Some(0));
    let strict = [&warnings_only[..], &["--fail-on", "warning"]].concat();
    assert_eq!(strata(&strict, None).status.code(), Some(1));
    assert_eq!(
        strata(&["check", "-"], Some("web -> nowhere"))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        strata(&["check", flawed, "--select", "NOPE"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        strata(&["check", flawed, "--option", "max_sync_fan_out=0"], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn options_are_set_on_the_command_line_as_in_the_file() {
    let fan_out = "tests/fixtures/lint/regressions/fan_out_from_an_aggregating_service.strata";
    let codes = |extra: &[&str]| -> Vec<String> {
        let args = [
            &["check", fan_out, "--format", "json", "--select", "LAT402"][..],
            extra,
        ]
        .concat();
        codes_and_lines(&json(&args, None))
            .into_iter()
            .map(|(code, _)| code)
            .collect()
    };
    assert_eq!(codes(&[]), ["LAT402"]);
    assert!(codes(&["--option", "max_sync_fan_out=6"]).is_empty());
}

#[test]
fn select_ignore_and_severity_shape_the_findings() {
    let only_security = json(
        &[
            "check",
            "examples/flawed.strata",
            "--format",
            "json",
            "--select",
            "SEC",
        ],
        None,
    );
    assert!(codes_and_lines(&only_security)
        .iter()
        .all(|(c, _)| c.starts_with("SEC")));
    let report = json(
        &[
            "check",
            "examples/flawed.strata",
            "--format",
            "json",
            "--ignore",
            "missing-cache,REQ00",
            "--severity",
            "AVL103=info",
        ],
        None,
    );
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert!(diagnostics
        .iter()
        .all(|d| !d["code"].as_str().unwrap().starts_with("REQ00")));
    let avl103 = diagnostics.iter().find(|d| d["code"] == "AVL103").unwrap();
    assert_eq!(avl103["severity"], "info");
}

#[test]
fn the_lint_block_configures_rules_and_the_command_line_wins() {
    let design = "web: client\ndb: database\nweb -> db\nlint { AVL103 off; SEC302 warning }\n";
    let report = json(&["check", "-", "--format", "json"], Some(design));
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["code"] != "AVL103"));
    assert_eq!(
        diagnostics.iter().find(|d| d["code"] == "SEC302").unwrap()["severity"],
        "warning"
    );
    let overridden = json(
        &[
            "check",
            "-",
            "--format",
            "json",
            "--severity",
            "AVL103=error",
        ],
        Some(design),
    );
    assert!(overridden["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "AVL103"));
}

#[test]
fn suppressions_need_a_reason_and_unused_ones_are_reported() {
    let design = "web: client\ndb: database # strata: allow AVL103 because a scratch copy\nweb -> db # strata: allow SEC302 because a local demo\n";
    let report = json(
        &[
            "check",
            "-",
            "--format",
            "json",
            "--select",
            "AVL103,SEC302,LNT001",
        ],
        Some(design),
    );
    assert!(codes_and_lines(&report).is_empty(), "{report}");

    let unused = "web: client\napi: service { replicas 2 } # strata: allow AVL103 because no database\nweb -> api\n";
    let report = json(
        &[
            "check",
            "-",
            "--format",
            "json",
            "--select",
            "AVL103,LNT001",
        ],
        Some(unused),
    );
    assert_eq!(codes_and_lines(&report), [("LNT001".to_string(), 2)]);

    let no_reason = "web: client\ndb: database # strata: allow AVL103\nweb -> db\n";
    let output = strata(&["check", "-", "--format", "concise"], Some(no_reason));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("error[E203]: a suppression needs a reason"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_suppression_on_its_own_line_covers_the_next_statement() {
    let design = "web: client\n# strata: allow AVL103 because rebuilt nightly from the lake\ndb: database\nweb -> db\n";
    let report = json(
        &["check", "-", "--format", "json", "--select", "AVL103"],
        Some(design),
    );
    assert!(codes_and_lines(&report).is_empty());
}

#[test]
fn machine_formats_print_only_their_document() {
    for format in ["json", "sarif"] {
        let output = strata(
            &["check", "examples/flawed.strata", "--format", format],
            None,
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout)
            .expect("stdout is one JSON document");
    }
    let github = stdout(&strata(
        &["check", "examples/flawed.strata", "--format", "github"],
        None,
    ));
    assert!(github.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
    assert!(
        github.contains("::error file=examples/flawed.strata,line=24,col=49,"),
        "{github}"
    );
}

#[test]
fn findings_have_stable_ids() {
    let report = json(
        &["check", "examples/flawed.strata", "--format", "json"],
        None,
    );
    let ids: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert!(ids.contains(&"AVL103@db"), "{ids:?}");
    assert!(ids.contains(&"SEC302@web->db"), "{ids:?}");
}

/// The fields GitHub code scanning requires (see shared/design/lint.md).
#[test]
fn sarif_has_what_code_scanning_requires() {
    let sarif = json(
        &["check", "examples/flawed.strata", "--format", "sarif"],
        None,
    );
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(run["tool"]["driver"]["name"], "strata");
    for rule in rules {
        for field in ["id", "shortDescription", "fullDescription", "help"] {
            assert!(!rule[field].is_null(), "rule {} lacks {field}", rule["id"]);
        }
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "examples/flawed.strata"
        );
        let region = &location["region"];
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[field].as_u64().unwrap() >= 1);
        }
    }
}

/// The SARIF Multitool's own validator, with GitHub's rules. `.ci/run` installs it and
/// sets SARIF_MULTITOOL; without it this test says so and checks nothing more.
#[test]
fn sarif_passes_the_sarif_multitool_validator() {
    let Some(multitool) = std::env::var_os("SARIF_MULTITOOL") else {
        eprintln!("SARIF_MULTITOOL is not set: the Multitool validation runs in .ci/run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let outside = outside_design(dir.path());
    let inside = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/flawed.strata");
    for design in [
        "examples/flawed.strata",
        "templates/fintech.strata",
        "tests/fixtures/errors/several_errors.strata",
        inside.to_str().unwrap(),
        outside.to_str().unwrap(),
    ] {
        let sarif = dir.path().join("out.sarif");
        std::fs::write(
            &sarif,
            strata(&["check", design, "--format", "sarif"], None).stdout,
        )
        .unwrap();
        let output = Command::new(&multitool)
            .args(["validate", "--rule-kind", "Gh;Sarif"])
            .arg(&sarif)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{design}: {text}");
        assert!(!text.contains(": error "), "{design}: {text}");
        assert!(
            text.contains("Analysis completed successfully"),
            "{design}: {text}"
        );
    }
}

/// A copy of the flawed example outside the repository, in a folder whose name needs
/// percent-encoding.
fn outside_design(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("my designs #1");
    std::fs::create_dir_all(&folder).unwrap();
    let design = folder.join("flawed.strata");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/flawed.strata"),
        &design,
    )
    .unwrap();
    design
}

/// GitHub places a result by a URI relative to the repository: an absolute path inside it
/// is made relative, one outside becomes a `file://` URI (SARIF1004 rejects bare paths).
#[test]
fn sarif_uris_are_relative_to_the_repository_or_absolute_file_uris() {
    let dir = tempfile::tempdir().unwrap();
    let outside = outside_design(dir.path());
    let inside = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/flawed.strata");
    let sarif = json(
        &[
            "check",
            inside.to_str().unwrap(),
            outside.to_str().unwrap(),
            "--format",
            "sarif",
        ],
        None,
    );
    let run = &sarif["runs"][0];
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let locations: std::collections::BTreeSet<String> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"].to_string())
        .collect();
    let outside_uri = format!(
        "file://{}",
        outside
            .to_str()
            .unwrap()
            .replace(' ', "%20")
            .replace('#', "%23")
    );
    assert_eq!(
        locations.into_iter().collect::<Vec<_>>(),
        [
            serde_json::json!({ "uri": "examples/flawed.strata", "uriBaseId": "%SRCROOT%" })
                .to_string(),
            serde_json::json!({ "uri": outside_uri }).to_string(),
        ]
    );
}

#[test]
fn rule_prints_documentation_and_the_rules_doc_is_current() {
    let doc = stdout(&strata(&["rule", "AVL102"], None));
    for section in [
        "AVL102 spof-dominator",
        "What it finds",
        "Why it matters",
        "Example that fires",
        "How to fix",
    ] {
        assert!(doc.contains(section), "{doc}");
    }
    assert_eq!(stdout(&strata(&["rule", "spof_dominator"], None)), doc);
    let markdown = stdout(&strata(&["rule", "--all", "--format", "markdown"], None));
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
            .unwrap();
    assert_eq!(
        markdown, committed,
        "docs/rules.md is stale: regenerate it with `strata rule --all --format markdown`"
    );
    let all: serde_json::Value =
        serde_json::from_slice(&strata(&["rule", "--all", "--format", "json"], None).stdout)
            .unwrap();
    assert!(all.as_array().unwrap().len() >= 25);
}

#[test]
fn analyze_explains_availability_term_by_term() {
    let output = strata(&["analyze", "templates/fintech.strata"], None);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn render_annotate_overlays_findings_and_outlines_spofs() {
    let annotated = stdout(&strata(
        &["render", "examples/minimal.strata", "--annotate", "-o", "-"],
        None,
    ));
    let api = annotated
        .split(r#"id="c-api""#)
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    assert!(api.contains(r#"class="spof""#), "the SPOF is outlined");
    assert!(api.contains("AVL102"), "its finding is on hover");
    let plain = stdout(&strata(
        &["render", "examples/minimal.strata", "-o", "-"],
        None,
    ));
    assert!(!plain.contains(r#"class="spof""#) && !plain.contains("AVL102"));
}

/// Each false positive a user reported has a fixture where the rule must stay quiet and one
/// where it must still fire: `# rule CODE` names the rule, `# expect CODE@subject` each
/// finding of it the file must give, and no other.
#[test]
fn reported_false_positives_stay_fixed_and_the_rules_still_fire() {
    let mut checked = 0;
    let mut fixtures: Vec<_> = std::fs::read_dir("tests/fixtures/lint/regressions")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    fixtures.sort();
    for path in fixtures {
        let text = std::fs::read_to_string(&path).unwrap();
        let header = |key: &str| -> Vec<String> {
            text.lines()
                .filter_map(|line| line.strip_prefix(&format!("# {key} ")))
                .map(|value| value.trim().to_string())
                .collect()
        };
        let rule = header("rule").pop().expect("a fixture names its rule");
        let report = json(&["check", path.to_str().unwrap(), "--format", "json"], None);
        let found: Vec<String> = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == rule.as_str())
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(found, header("expect"), "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 2);
}
