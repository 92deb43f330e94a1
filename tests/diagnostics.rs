//! Every language error case: a fixture under `tests/fixtures/errors/` and, as its insta
//! snapshot, the diagnostics `strata check` prints for it (colour off).

use std::path::Path;
use strata::source::Source;

fn rendered_diagnostics(path: &Path) -> (String, usize) {
    let name = format!(
        "fixtures/errors/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let bytes = std::fs::read(path).unwrap();
    match Source::from_bytes(name, bytes) {
        Ok(source) => {
            // What `strata check` reports before its findings: the lint block's errors too.
            let diagnostics = checked_with_lint_block(&source);
            let text = diagnostics
                .iter()
                .map(|d| d.render(&source, false))
                .collect::<String>();
            (text, diagnostics.len())
        }
        Err(failure) => {
            let (source, diagnostic) = *failure;
            (diagnostic.render(&source, false), 1)
        }
    }
}

#[test]
fn each_error_fixture_reports_its_diagnostics() {
    insta::glob!("fixtures/errors/*.strata", |path| {
        let (text, count) = rendered_diagnostics(path);
        assert!(count > 0, "{} reports nothing", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn one_run_reports_every_mistake_once() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors/several_errors.strata");
    let source = Source::new("several", std::fs::read_to_string(path).unwrap());
    let codes: Vec<_> = strata::check(&source)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(
        codes,
        ["E105", "E103", "E105", "E002", "E104", "E003", "E101"]
    );
}

#[test]
fn unknown_references_suggest_the_closest_id() {
    let source = Source::new(
        "t",
        "catalog_db: database\nweb: client\nweb -> catalgo_db\n",
    );
    let checked = strata::check(&source);
    assert_eq!(
        checked.diagnostics[0].help.as_deref(),
        Some("did you mean `catalog_db`?")
    );
}

#[test]
fn ten_thousand_nested_braces_give_one_clear_error() {
    let text = format!("tier t {{ {} }}", "group g {".repeat(10_000));
    let checked = strata::check(&Source::new("deep", text));
    assert_eq!(checked.diagnostics.len(), 1);
    assert_eq!(checked.diagnostics[0].code, "E007");
}

#[test]
fn columns_count_characters_on_non_ascii_lines() {
    let source = Source::new("t", "a: client \"café ☕\" { replicaz 2 }\n");
    let checked = strata::check(&source);
    assert_eq!(
        checked.diagnostics[0].concise(&source),
        "t:1:22: error[E104]: unknown component property `replicaz`"
    );
}

#[test]
fn a_byte_order_mark_is_accepted_and_takes_no_column() {
    let source = Source::from_bytes("t", b"\xEF\xBB\xBFa: servic\n".to_vec()).unwrap();
    let checked = strata::check(&source);
    assert_eq!(checked.diagnostics.len(), 1);
    assert_eq!(
        checked.diagnostics[0].concise(&source),
        "t:1:4: error[E103]: unknown component kind `servic`"
    );
}

/// The file's diagnostics and, for a design without errors (which goes on to lint), those
/// of its `lint` block.
fn checked_with_lint_block(source: &Source) -> Vec<strata::diagnostics::Diagnostic> {
    let checked = strata::check(source);
    let mut diagnostics = checked.diagnostics;
    if !diagnostics.iter().any(|d| d.is_error()) {
        let command_line = strata::lint::config::CommandLine::default();
        let (_, lint_block) = strata::lint::config::Config::new(&checked.design, &command_line)
            .expect("no command-line selections to refuse");
        diagnostics.extend(lint_block);
    }
    diagnostics
}
