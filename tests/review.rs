//! The review evaluation set (`tests/review/`): designs modelled from public architectures,
//! each with the findings a staff-level reviewer would and would not raise, written before
//! strata was run on it. This scores strata's lint against them and prints, per design and
//! in total, true and false positives, false negatives, precision and recall (errors and
//! warnings; info findings counted apart): `cargo test --test review -- --nocapture`.
//!
//! The floor (precision and recall of at least 0.95) is asserted once every rule the
//! expectations name is registered in `strata::lint::RULES`; until then the scores are
//! printed and only the expectation files themselves are checked.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use strata::diagnostics::Severity;
use strata::lint::config::CommandLine;
use strata::lint::{lint, Config, RULES};
use strata::source::Source;

const FLOOR: f64 = 0.95;

/// The codes issue 11 adds to the registry. Expectations may name them before the rules
/// exist; any other unregistered code is a typo.
const ANNOUNCED: [&str; 17] = [
    "SEC304", "SEC305", "SEC306", "SEC307", "AVL109", "AVL110", "AVL111", "AVL112", "AVL113",
    "AVL114", "AVL115", "LAT402", "REQ011", "REQ012", "STR208", "STR209", "STR210",
];

/// One line of an `.expect` file: `CODE subject`, `CODE *`, or either with a leading `!`
/// (a reviewer would not raise it).
#[derive(Debug, Clone, PartialEq)]
struct Expectation {
    code: String,
    /// `None` for `*`: any subject.
    subject: Option<String>,
    raised: bool,
    line: usize,
}

impl Expectation {
    fn matches(&self, id: &str) -> bool {
        let Some((code, subject)) = id.split_once('@') else {
            return false;
        };
        code == self.code
            && self.subject.as_deref().is_none_or(|expected| {
                // A finding about one part of a component (`db.rpo`) is about the component.
                subject == expected
                    || subject
                        .strip_prefix(expected)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    fn describe(&self) -> String {
        format!(
            "{}{} {}",
            if self.raised { "" } else { "!" },
            self.code,
            self.subject.as_deref().unwrap_or("*")
        )
    }
}

fn parse_expectations(text: &str, file: &str) -> Vec<Expectation> {
    let mut expectations: Vec<Expectation> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or_default().trim();
        if content.is_empty() {
            continue;
        }
        let words: Vec<&str> = content.split_whitespace().collect();
        let [code, subject] = words[..] else {
            panic!("{file}:{line}: expected `CODE subject` or `!CODE subject`, found `{content}`");
        };
        let (raised, code) = match code.strip_prefix('!') {
            Some(code) => (false, code),
            None => (true, code),
        };
        let well_formed = code.len() == 6
            && code[..3].chars().all(|c| c.is_ascii_uppercase())
            && code[3..].chars().all(|c| c.is_ascii_digit());
        assert!(well_formed, "{file}:{line}: `{code}` is not a rule code");
        let expectation = Expectation {
            code: code.to_string(),
            subject: (subject != "*").then(|| subject.to_string()),
            raised,
            line,
        };
        if let Some(twin) = expectations
            .iter()
            .find(|e| e.code == expectation.code && e.subject == expectation.subject)
        {
            panic!(
                "{file}:{line}: `{}` repeats or contradicts line {}",
                expectation.describe(),
                twin.line
            );
        }
        expectations.push(expectation);
    }
    expectations
}

/// The expectation that speaks for a finding: one naming its subject before a `*`.
fn governing<'e>(expectations: &'e [Expectation], id: &str) -> Option<&'e Expectation> {
    let matching = || expectations.iter().filter(|e| e.matches(id));
    matching()
        .find(|e| e.subject.is_some())
        .or_else(|| matching().next())
}

fn rule_severity(code: &str) -> Option<Severity> {
    RULES
        .iter()
        .find(|rule| rule.code == code)
        .map(|rule| rule.severity)
}

/// A finding as the score sees it: its stable id and its severity.
struct Reported {
    id: String,
    severity: Severity,
}

#[derive(Default)]
struct Score {
    true_positives: usize,
    false_positives: Vec<String>,
    false_negatives: Vec<String>,
    /// Raised expectations met (errors and warnings count toward recall).
    met: usize,
    /// False negatives whose rule is not registered yet.
    pending: usize,
    info_findings: usize,
    info_unexpected: Vec<String>,
    info_expected: usize,
    info_missed: Vec<String>,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.true_positives += other.true_positives;
        self.false_positives.extend(other.false_positives);
        self.false_negatives.extend(other.false_negatives);
        self.met += other.met;
        self.pending += other.pending;
        self.info_findings += other.info_findings;
        self.info_unexpected.extend(other.info_unexpected);
        self.info_expected += other.info_expected;
        self.info_missed.extend(other.info_missed);
    }

    fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives.len(),
        )
    }

    fn recall(&self) -> f64 {
        ratio(self.met, self.met + self.false_negatives.len())
    }

    /// Recall over the expectations whose rule is registered today.
    fn registered_recall(&self) -> f64 {
        ratio(
            self.met,
            self.met + self.false_negatives.len() - self.pending,
        )
    }

    fn summary(&self) -> String {
        format!(
            "{} TP, {} FP, {} FN ({} for rules not registered yet), precision {:.3}, recall {:.3} \
             ({:.3} over registered rules); info: {} findings ({} not expected), {} expected, {} missed",
            self.true_positives,
            self.false_positives.len(),
            self.false_negatives.len(),
            self.pending,
            self.precision(),
            self.recall(),
            self.registered_recall(),
            self.info_findings,
            self.info_unexpected.len(),
            self.info_expected,
            self.info_missed.len()
        )
    }
}

/// A share that is 1 when there is nothing to share.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn score(expectations: &[Expectation], findings: &[Reported]) -> Score {
    let mut score = Score::default();
    for finding in findings {
        let verdict = governing(expectations, &finding.id);
        if finding.severity == Severity::Info {
            score.info_findings += 1;
            if !verdict.is_some_and(|e| e.raised) {
                score.info_unexpected.push(finding.id.clone());
            }
            continue;
        }
        match verdict {
            Some(e) if e.raised => score.true_positives += 1,
            Some(e) => score.false_positives.push(format!(
                "{} (line {}: a reviewer would not raise it)",
                finding.id, e.line
            )),
            None => score
                .false_positives
                .push(format!("{} (not expected)", finding.id)),
        }
    }
    for expectation in expectations.iter().filter(|e| e.raised) {
        let found = findings
            .iter()
            .any(|f| governing(expectations, &f.id).is_some_and(|g| g == expectation));
        let info = rule_severity(&expectation.code) == Some(Severity::Info);
        match (found, info) {
            (true, false) => score.met += 1,
            (false, false) => {
                score.pending += usize::from(rule_severity(&expectation.code).is_none());
                score.false_negatives.push(expectation.describe());
            }
            (true, true) => score.info_expected += 1,
            (false, true) => {
                score.info_expected += 1;
                score.info_missed.push(expectation.describe());
            }
        }
    }
    score
}

fn review_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/review")
}

fn files_with(extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(review_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

struct Case {
    name: String,
    source: Source,
    expectations: Vec<Expectation>,
}

fn cases() -> Vec<Case> {
    let designs = files_with("strata");
    let expects = files_with("expect");
    assert_eq!(
        designs
            .iter()
            .map(|p| p.with_extension(""))
            .collect::<Vec<_>>(),
        expects
            .iter()
            .map(|p| p.with_extension(""))
            .collect::<Vec<_>>(),
        "every design in tests/review needs its .expect file, and every .expect its design"
    );
    designs
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let expect_path = path.with_extension("expect");
            let expectations = parse_expectations(
                &std::fs::read_to_string(&expect_path).unwrap(),
                &expect_path.display().to_string(),
            );
            let source = Source::new(
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            );
            Case {
                name,
                source,
                expectations,
            }
        })
        .collect()
}

/// The findings strata reports on a design with the default configuration and the
/// design's own `lint` block and suppressions, as `strata check` does; or the first error
/// that stops it from being linted.
fn findings(source: &Source) -> Result<Vec<Reported>, String> {
    let checked = strata::check(source);
    if let Some(error) = checked.diagnostics.iter().find(|d| d.is_error()) {
        return Err(format!("[{}] {}", error.code, error.message));
    }
    let (config, config_errors) = Config::new(&checked.design, &CommandLine::default())?;
    let linted = lint(&checked.design, &checked.parsed.comments, source, &config);
    if let Some(error) = config_errors.iter().chain(&linted.diagnostics).next() {
        return Err(format!("[{}] {}", error.code, error.message));
    }
    Ok(linted
        .findings
        .into_iter()
        .map(|f| Reported {
            severity: f.diagnostic.severity,
            id: f.id,
        })
        .collect())
}

/// Codes the expectations name that no registered rule has yet.
fn unregistered(cases: &[Case]) -> Vec<String> {
    let mut codes: Vec<String> = cases
        .iter()
        .flat_map(|case| &case.expectations)
        .filter(|e| rule_severity(&e.code).is_none())
        .map(|e| e.code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn expectations_name_registered_or_announced_rules() {
    let cases = cases();
    assert!(cases.len() >= 15, "the set has {} designs", cases.len());
    for case in &cases {
        assert!(
            case.expectations.iter().any(|e| e.raised),
            "{} expects nothing",
            case.name
        );
        for expectation in &case.expectations {
            assert!(
                rule_severity(&expectation.code).is_some()
                    || ANNOUNCED.contains(&expectation.code.as_str()),
                "{}.expect:{}: no rule is called {}",
                case.name,
                expectation.line,
                expectation.code
            );
        }
    }
}

#[test]
fn the_review_set_scores_above_the_floor_once_its_rules_exist() {
    let cases = cases();
    let pending = unregistered(&cases);
    let mut report = String::new();
    let mut total = Score::default();
    let mut unchecked = Vec::new();
    for case in &cases {
        let findings = match findings(&case.source) {
            Ok(findings) => findings,
            Err(error) => {
                writeln!(report, "{}: not linted: {error}", case.name).unwrap();
                unchecked.push(case.name.clone());
                continue;
            }
        };
        let score = score(&case.expectations, &findings);
        writeln!(report, "{}: {}", case.name, score.summary()).unwrap();
        for id in &score.false_positives {
            writeln!(report, "    FP {id}").unwrap();
        }
        for expectation in &score.false_negatives {
            writeln!(report, "    FN {expectation}").unwrap();
        }
        for id in &score.info_unexpected {
            writeln!(report, "    info not expected {id}").unwrap();
        }
        for expectation in &score.info_missed {
            writeln!(report, "    info missed {expectation}").unwrap();
        }
        total.add(score);
    }
    writeln!(
        report,
        "total over {} of {} designs: {}",
        cases.len() - unchecked.len(),
        cases.len(),
        total.summary()
    )
    .unwrap();
    if pending.is_empty() {
        writeln!(
            report,
            "every expected rule is registered: the floor of {FLOOR} applies"
        )
        .unwrap();
    } else {
        writeln!(
            report,
            "floor not applied: no rule yet for {}",
            pending.join(", ")
        )
        .unwrap();
    }
    println!("{report}");
    if pending.is_empty() {
        assert!(
            unchecked.is_empty(),
            "designs not linted: {unchecked:?}\n{report}"
        );
        assert!(
            total.precision() >= FLOOR,
            "precision below {FLOOR}\n{report}"
        );
        assert!(total.recall() >= FLOOR, "recall below {FLOOR}\n{report}");
    }
}

fn expectation(line: &str) -> Expectation {
    parse_expectations(line, "test").remove(0)
}

fn reported(id: &str, severity: Severity) -> Reported {
    Reported {
        id: id.to_string(),
        severity,
    }
}

#[test]
fn a_subject_matches_itself_and_its_parts_and_a_star_matches_any() {
    let db = expectation("AVL103 db # the lone database");
    assert!(db.matches("AVL103@db"));
    assert!(db.matches("AVL103@db.rto"));
    assert!(!db.matches("AVL103@db2"));
    assert!(!db.matches("AVL111@db"));
    let any = expectation("SEC304 *");
    assert!(any.matches("SEC304@system"));
    assert!(any.matches("SEC304@users->lb"));
}

#[test]
fn a_named_subject_governs_before_a_star_and_negatives_count_as_false_positives() {
    let expectations =
        parse_expectations("AVL101 *\n!AVL101 ads\nREQ007 system\nSTR202 db\n", "test");
    let findings = [
        reported("AVL101@cart", Severity::Warning),
        reported("AVL101@ads", Severity::Warning),
        reported("STR202@db", Severity::Info),
        reported("SEC301@web->api", Severity::Error),
    ];
    let score = score(&expectations, &findings);
    assert_eq!(score.true_positives, 1);
    assert_eq!(
        score.false_positives,
        [
            "AVL101@ads (line 2: a reviewer would not raise it)",
            "SEC301@web->api (not expected)"
        ]
    );
    assert_eq!(score.false_negatives, ["REQ007 system"]);
    assert_eq!(
        (score.met, score.info_findings, score.info_expected),
        (1, 1, 1)
    );
}

#[test]
#[should_panic(expected = "contradicts")]
fn an_expectation_and_its_negation_cannot_both_be_written() {
    parse_expectations("AVL101 cart\n!AVL101 cart\n", "test");
}
