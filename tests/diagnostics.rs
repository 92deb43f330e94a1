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

fn rendered(text: &str) -> Vec<String> {
    let source = Source::new("t", text);
    strata::check(&source)
        .diagnostics
        .iter()
        .map(|d| d.render(&source, false))
        .collect()
}

#[test]
fn labels_far_apart_are_shown_in_sections_each_headed_with_its_place() {
    let others: String = (0..100).map(|i| format!("b{i}: service\n")).collect();
    let text = format!("a: service\n{others}a: cache\n");
    let reports = rendered(&text);
    let duplicate = reports.iter().find(|r| r.contains("E102")).unwrap();
    // The primary's place heads the report; the first declaration has a header of its own.
    assert!(duplicate.contains("╭─[ t:102:1 ]"), "{duplicate}");
    assert!(duplicate.contains("├─[ t:1:1 ]"), "{duplicate}");
    assert!(duplicate.contains(" 102 │ a: cache"), "{duplicate}");
    assert!(duplicate.contains("   1 │ a: service"), "{duplicate}");
    assert_eq!(duplicate.matches(": service").count(), 1, "{duplicate}");
    assert!(duplicate.find("t:102:1").unwrap() < duplicate.find("t:1:1").unwrap());
}

/// Each of 20,000 duplicates points back at the first declaration: each report shows only
/// its own lines (drawing them took minutes when ariadne walked the lines between).
#[test]
fn drawing_many_diagnostics_far_from_their_related_labels_is_linear() {
    let text = "a: service\n".repeat(20_000);
    let source = Source::new("t", text);
    let checked = strata::check(&source);
    assert_eq!(checked.diagnostics.len(), 19_999);
    let rendered: usize = checked
        .diagnostics
        .iter()
        .map(|d| d.render(&source, false).len())
        .sum();
    assert!(rendered < 19_999 * 600, "{rendered} bytes");
}

#[test]
fn a_one_line_file_with_many_errors_shows_windows_of_it() {
    let text: String = (0..2_000)
        .map(|i| format!("c{i}: service {}", if i % 10 == 0 { "@ " } else { "" }))
        .collect();
    let source = Source::new("t", text.as_str());
    let checked = strata::check(&source);
    assert_eq!(checked.diagnostics.len(), 200);
    for diagnostic in &checked.diagnostics {
        let report = diagnostic.render(&source, false);
        assert!(report.len() < 1_500, "{report}");
        let column = source.position(diagnostic.primary.span.start).column;
        assert!(report.contains(&format!("t:1:{column} ]")), "{report}");
    }
}

#[test]
fn control_characters_in_the_source_are_shown_not_sent_to_the_terminal() {
    let text = "web: client \"\x1b[2J\0bell\x07\" { replicaz 2 } # \u{202e}x\r\n";
    let source = Source::new("t", text);
    let checked = strata::check(&source);
    let diagnostic = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "E104")
        .unwrap();
    let report = diagnostic.render(&source, false);
    for raw in ['\x1b', '\0', '\x07', '\u{202e}', '\r'] {
        assert!(!report.contains(raw), "{raw:?} in {report:?}");
    }
    assert!(
        report.contains("\"␛[2J␀bell␇\" { replicaz 2 } # �x"),
        "{report}"
    );
    // The underline is still under `replicaz`, one column per character.
    let mut lines = report.lines().skip_while(|l| !l.contains("│ web:"));
    let (line, underline) = (lines.next().unwrap(), lines.next().unwrap());
    let at = |s: &str, pattern: &str| s.find(pattern).map(|b| s[..b].chars().count());
    assert_eq!(at(line, "replicaz"), at(underline, "─"), "{report}");
}

#[test]
fn a_long_crlf_line_is_cut_without_showing_its_carriage_return() {
    let text = format!("a: service\r\nb: service {}@\r\n", "c: service ".repeat(40));
    let reports = rendered(&text);
    let invalid = reports.iter().find(|r| r.contains("E001")).unwrap();
    assert!(
        invalid.contains(" │ …ervice c: service c: service c: service @\n"),
        "{invalid}"
    );
    assert!(
        !invalid.contains('␍') && !invalid.contains('\r'),
        "{invalid}"
    );
    assert!(invalid.contains("t:2:452 ]"), "{invalid}");
}

/// Colour changes nothing but colour, wherever the margin was renumbered or widened.
#[test]
fn coloured_reports_are_the_plain_ones_with_colour() {
    let strip = |text: &str| {
        let mut plain = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\x1b') {
            plain.push_str(&rest[..at]);
            rest = &rest[at..];
            rest = &rest[rest.find('m').unwrap() + 1..];
        }
        plain + rest
    };
    let others: String = (0..120).map(|i| format!("b{i}: service\n")).collect();
    let long = format!("x: service {}@\n", "c: service ".repeat(40));
    for text in [
        format!("a: service\n{others}a: cache\n"),
        format!("{others}{long}"),
        format!("{long}{others}x -> nowhere\n"),
    ] {
        let source = Source::new("t", text.as_str());
        for diagnostic in strata::check(&source).diagnostics {
            let plain = diagnostic.render(&source, false);
            assert_eq!(strip(&diagnostic.render(&source, true)), plain);
        }
    }
}

#[test]
fn a_long_line_far_down_keeps_its_number_and_its_margin() {
    let others: String = (0..20_000).map(|i| format!("b{i}: service\n")).collect();
    let text = format!("{others}x: service {}@\n", "c: service ".repeat(40));
    let reports = rendered(&text);
    let invalid = reports.iter().find(|r| r.contains("E001")).unwrap();
    assert!(invalid.contains("       ╭─[ t:20001:452 ]"), "{invalid}");
    assert!(invalid.contains("\n 20001 │ …"), "{invalid}");
    assert!(invalid.contains("\n───────╯"), "{invalid}");
}
