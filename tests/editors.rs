//! Keeps the editor support in `editors/` true to the language: the tree-sitter grammar
//! (its corpus and highlight tests, and a parse of every design without an error node),
//! the TextMate grammar (every design tokenized with no unmatched region), and the VS Code
//! manifest.
//!
//! The tree-sitter CLI and the TextMate tokenizer's npm packages are installed by
//! `.ci/run`; outside CI a test that lacks them says so and passes, under `CI=true` it fails.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use strata::model::properties::{
    COMPONENT_PROPERTIES, FLOW_PROPERTIES, JOURNEY_PROPERTIES, SYSTEM_PROPERTIES,
};
use strata::model::Kind;
use strata::source::Source;

mod tools;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const TREE_SITTER_DIR: &str = "editors/tree-sitter-strata";
const TEXTMATE_GRAMMAR: &str = "editors/vscode/syntaxes/strata.tmLanguage.json";

/// Every design in the repository that strata's own lexer and parser accept: the
/// templates, the examples and the fixtures without syntax errors.
fn valid_designs() -> Vec<PathBuf> {
    let mut designs = Vec::new();
    for dir in ["templates", "examples", "tests/fixtures"] {
        collect_designs(&Path::new(ROOT).join(dir), &mut designs);
    }
    designs.retain(|path| {
        let bytes = std::fs::read(path).unwrap();
        Source::from_bytes(path.display().to_string(), bytes)
            .is_ok_and(|source| strata::syntax::parse(&source).diagnostics.is_empty())
    });
    assert!(designs.len() > 20, "too few designs found: {designs:?}");
    designs
}

fn collect_designs(dir: &Path, designs: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_designs(&path, designs);
        } else if path.extension().is_some_and(|e| e == "strata") {
            designs.push(path);
        }
    }
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

fn tree_sitter() -> String {
    std::env::var("STRATA_TREE_SITTER").unwrap_or_else(|_| "tree-sitter".to_string())
}

fn run_in(dir: &Path, program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{program} {} failed:\n{printed}",
        args[0]
    );
    printed
}

/// The grammar sources copied to a scratch directory, so generating there leaves the
/// committed parser to compare against.
fn scratch_grammar() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    let source = Path::new(ROOT).join(TREE_SITTER_DIR);
    for file in ["grammar.js", "tree-sitter.json"] {
        std::fs::copy(source.join(file), scratch.path().join(file)).unwrap();
    }
    for dir in ["queries", "test/corpus", "test/highlight"] {
        std::fs::create_dir_all(scratch.path().join(dir)).unwrap();
        for entry in std::fs::read_dir(source.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(
                &path,
                scratch.path().join(dir).join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    scratch
}

/// The grammar generated in a scratch directory, and the CLI to run there; `None` when
/// the CLI is missing outside CI.
fn generated_grammar() -> Option<(tempfile::TempDir, String)> {
    let tree_sitter = tree_sitter();
    if !tools::found("the tree-sitter CLI", runs(&tree_sitter, &["--version"])) {
        return None;
    }
    let scratch = scratch_grammar();
    run_in(scratch.path(), &tree_sitter, &["generate"]);
    Some((scratch, tree_sitter))
}

#[test]
fn tree_sitter_grammar_is_generated_tested_and_parses_every_design() {
    let Some((scratch, tree_sitter)) = generated_grammar() else {
        return;
    };
    let dir = scratch.path();
    let committed = Path::new(ROOT).join(TREE_SITTER_DIR).join("src");
    for file in ["parser.c", "grammar.json", "node-types.json"] {
        let generated = std::fs::read_to_string(dir.join("src").join(file)).unwrap();
        let kept = std::fs::read_to_string(committed.join(file)).unwrap();
        assert!(
            generated == kept,
            "{TREE_SITTER_DIR}/src/{file} is not what grammar.js generates: run `tree-sitter generate` there and commit it"
        );
    }
    let tested = run_in(dir, &tree_sitter, &["test"]);
    assert!(tested.contains("syntax highlighting"), "{tested}");

    let designs = valid_designs();
    let mut args = vec!["parse", "--grammar-path", ".", "--quiet"];
    args.extend(designs.iter().map(|p| p.to_str().unwrap()));
    // Exits non-zero and names the file when any tree has an ERROR or MISSING node.
    run_in(dir, &tree_sitter, &args);
}

#[test]
fn tree_sitter_grammar_finds_errors_the_parser_reports() {
    let Some((scratch, tree_sitter)) = generated_grammar() else {
        return;
    };
    let broken = Path::new(ROOT).join("tests/fixtures/errors/missing_colon.strata");
    let parsed = Command::new(&tree_sitter)
        .args(["parse", "--grammar-path", ".", "--quiet"])
        .arg(&broken)
        .current_dir(scratch.path())
        .output()
        .unwrap();
    assert!(!parsed.status.success());
    assert!(String::from_utf8_lossy(&parsed.stdout).contains("ERROR"));
}

/// Runs `editors/test/textmate.js` with `args`; `None` when node or its packages are
/// missing outside CI.
fn textmate(args: &[&Path]) -> Option<std::process::Output> {
    let modules = std::env::var("STRATA_EDITORS_NODE_MODULES").ok();
    let found = modules
        .as_deref()
        .is_some_and(|m| Path::new(m).join("vscode-textmate").is_dir())
        && runs("node", &["--version"]);
    if !tools::found("node with vscode-textmate and vscode-oniguruma", found) {
        return None;
    }
    let output = Command::new("node")
        .arg(Path::new(ROOT).join("editors/test/textmate.js"))
        .args(args)
        .env("NODE_PATH", modules.unwrap())
        .output()
        .unwrap();
    Some(output)
}

#[test]
fn textmate_grammar_tokenizes_every_design_with_no_unmatched_region() {
    let designs = valid_designs();
    let grammar = Path::new(ROOT).join(TEXTMATE_GRAMMAR);
    let mut args = vec![grammar.as_path()];
    args.extend(designs.iter().map(PathBuf::as_path));
    let Some(output) = textmate(&args) else {
        return;
    };
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        printed.contains(&format!("{} files tokenized, 0 problems", designs.len())),
        "{printed}"
    );
}

/// What each construct is highlighted as: the sample the tree-sitter highlight test
/// asserts on, token by token.
#[test]
fn textmate_scopes_of_each_construct() {
    let grammar = Path::new(ROOT).join(TEXTMATE_GRAMMAR);
    let sample = Path::new(ROOT)
        .join(TREE_SITTER_DIR)
        .join("test/highlight/design.strata");
    let Some(output) = textmate(&[Path::new("--scopes"), &grammar, &sample]) else {
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let scopes: String = String::from_utf8_lossy(&output.stdout)
        .lines()
        // The sample's assertion comments say nothing new.
        .filter(|line| !line.ends_with(" comment.line.strata") || line.contains("strata:"))
        .map(|line| format!("{line}\n"))
        .collect();
    insta::assert_snapshot!(scopes);
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The words of an alternation `\b(a|b|c)\b` in a TextMate pattern.
fn alternation(pattern: &str, after: &str) -> BTreeSet<String> {
    let start = pattern.find(after).unwrap() + after.len();
    let end = start + pattern[start..].find(')').unwrap();
    pattern[start..end].split('|').map(str::to_string).collect()
}

#[test]
fn both_grammars_know_exactly_the_kinds_and_property_names_the_checker_accepts() {
    let kinds: BTreeSet<String> = Kind::ALL.map(|k| k.name().to_string()).into();
    let properties: BTreeSet<String> = SYSTEM_PROPERTIES
        .iter()
        .chain(&COMPONENT_PROPERTIES)
        .chain(&FLOW_PROPERTIES)
        .chain(&JOURNEY_PROPERTIES)
        .map(|p| p.to_string())
        .collect();
    let grammar = json(TEXTMATE_GRAMMAR);
    let component = grammar["repository"]["component"]["match"]
        .as_str()
        .unwrap();
    assert_eq!(alternation(component, r"(?:\b("), kinds);
    let names = grammar["repository"]["properties"]["patterns"][1]["match"]
        .as_str()
        .unwrap();
    assert_eq!(alternation(names, r"\s*\b("), properties);

    let highlights = std::fs::read_to_string(
        Path::new(ROOT)
            .join(TREE_SITTER_DIR)
            .join("queries/highlights.scm"),
    )
    .unwrap();
    let builtin = &highlights[highlights.find("#any-of? @type.builtin").unwrap()..];
    let builtin = &builtin[..builtin.find("))").unwrap()];
    let quoted: BTreeSet<String> = builtin
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert_eq!(quoted, kinds);
}

#[test]
fn vscode_extension_manifest_names_files_that_exist_and_agree() {
    let manifest = json("editors/vscode/package.json");
    let folder = Path::new(ROOT).join("editors/vscode");
    for field in ["name", "displayName", "version", "publisher", "main"] {
        assert!(manifest[field].is_string(), "package.json lacks {field}");
    }
    assert!(folder.join(manifest["main"].as_str().unwrap()).is_file());
    assert!(manifest["engines"]["vscode"].is_string());
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "strata");
    assert_eq!(language["extensions"], serde_json::json!([".strata"]));
    let configuration = language["configuration"].as_str().unwrap();
    let configuration = json(&format!("editors/vscode/{configuration}"));
    assert_eq!(configuration["comments"]["lineComment"], "#");
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "strata");
    let path = grammar["path"].as_str().unwrap();
    let scope = json(&format!("editors/vscode/{path}"))["scopeName"].clone();
    assert_eq!(grammar["scopeName"], scope);
    let setting = &manifest["contributes"]["configuration"]["properties"]["strata.path"];
    assert_eq!(setting["default"], "strata");
    let extension = std::fs::read_to_string(folder.join("extension.js")).unwrap();
    assert!(extension.contains("'strata.path'") || extension.contains("get('path'"));
    assert!(extension.contains("args: ['lsp']"));
}
