//! Baselines: the findings a team accepted when it adopted strata, recorded by design and
//! stable id (`strata check --write-baseline`), so that later runs (`--baseline`) report
//! only new ones and say which recorded ones are gone. Ids name elements, not lines, so a
//! finding stays matched when its lines move. The file is TOML, sorted by design and id.

use super::{Entry, FileReport};
use crate::diagnostics::{self, Diagnostic};
use crate::source::{quoted, Source, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml_edit::{value, Document, DocumentMut, Item, Table, TableLike};

/// The format's version, written first; another is refused rather than misread.
const VERSION: i64 = 1;

const HEADER: &str = "\
# strata baseline: findings accepted when this project adopted strata, by design and
# finding id (with how many). `strata check --baseline FILE` reports only findings not
# listed here. Written by `strata check --write-baseline FILE`; review it like code.
";

const REWRITE: &str = "write it again with `strata check DESIGNS --write-baseline FILE`";

#[derive(Debug, Default, PartialEq)]
pub struct Baseline {
    /// Design (its path from the baseline's directory, with `/`) → finding id → how many.
    files: BTreeMap<String, BTreeMap<String, usize>>,
}

/// A baseline's effect on one run: how many findings it took out, and which it records
/// that no longer occur.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    /// The baseline file, as given.
    pub path: String,
    pub matched: usize,
    pub gone: Vec<Gone>,
}

#[derive(Debug, Serialize)]
pub struct Gone {
    /// The design, as reported.
    pub path: String,
    pub id: String,
    pub count: usize,
}

/// A design's key in the baseline at `baseline`: its path from the baseline's directory.
pub fn design_key(design: &Path, baseline: &Path) -> String {
    let design = super::absolute(design);
    let baseline = super::absolute(baseline);
    let directory = baseline.parent().unwrap_or(Path::new("/"));
    relative(&design, directory)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `path` from `base` (both absolute), through `..` where it lies outside it.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let common = (path.components().zip(base.components()))
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative: PathBuf = base.components().skip(common).map(|_| "..").collect();
    relative.extend(path.components().skip(common));
    relative
}

impl Baseline {
    /// Records the findings of one design.
    pub fn record(&mut self, design: String, entries: &[Entry]) {
        let ids = entries.iter().filter_map(|entry| entry.id.clone());
        let mut counts = BTreeMap::new();
        for id in ids {
            *counts.entry(id).or_insert(0) += 1;
        }
        if !counts.is_empty() {
            self.files.insert(design, counts);
        }
    }

    /// How many findings it records.
    pub fn findings(&self) -> usize {
        self.files.values().flat_map(BTreeMap::values).sum()
    }

    pub fn to_toml(&self) -> String {
        let mut document = DocumentMut::new();
        document["version"] = value(VERSION);
        let mut files = Table::new();
        files.set_implicit(true);
        for (design, ids) in &self.files {
            let mut table = Table::new();
            for (id, count) in ids {
                table[id.as_str()] = value(*count as i64);
            }
            files[design.as_str()] = Item::Table(table);
        }
        document["files"] = Item::Table(files);
        format!("{HEADER}\n{document}")
    }

    /// Takes out of `report` the findings recorded for `design` (each recorded id as many
    /// times as recorded, the earliest first); returns how many, and what was recorded
    /// and not found.
    pub fn apply(&self, design: &str, report: &mut FileReport) -> (usize, Vec<Gone>) {
        let Some(recorded) = self.files.get(design) else {
            return (0, Vec::new());
        };
        let mut left = recorded.clone();
        let before = report.entries.len();
        report.entries.retain(
            |entry| match entry.id.as_ref().and_then(|id| left.get_mut(id)) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            },
        );
        let gone = left
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(id, count)| Gone {
                path: report.root().name.clone(),
                id,
                count,
            })
            .collect();
        (before - report.entries.len(), gone)
    }

    /// Reads a baseline; every mistake in it is reported where it is.
    pub fn parse(source: &Source) -> Result<Baseline, Vec<Diagnostic>> {
        let document = Document::parse(source.text.as_str()).map_err(|error| {
            let at = error.span().unwrap_or(0..0);
            vec![malformed(format!("invalid TOML: {}", error.message()), at)
                .with_label("the file cannot be read past here")]
        })?;
        let mut baseline = Baseline::default();
        let mut errors = Vec::new();
        let mut version = None;
        let root = document.as_table();
        for (name, item) in root.iter() {
            let at = item.span().unwrap_or(0..0);
            match name {
                "version" if item.as_integer() == Some(VERSION) => version = Some(VERSION),
                "version" => errors.push(
                    malformed(
                        format!(
                            "unsupported baseline version `{}`",
                            quoted(item.to_string().trim())
                        ),
                        at,
                    )
                    .with_label(format!("this strata reads version {VERSION}")),
                ),
                "files" => match item.as_table_like() {
                    Some(files) => baseline.read_files(files, &mut errors),
                    None => errors
                        .push(malformed("`files` is not a table", at).with_label("not a table")),
                },
                _ => {
                    let at = root.key(name).and_then(|key| key.span()).unwrap_or(at);
                    errors.push(
                        malformed(format!("unknown key `{}`", quoted(name)), at)
                            .with_label("a baseline has `version` and `files`"),
                    )
                }
            }
        }
        if version.is_none() && errors.is_empty() {
            errors.push(
                malformed("no `version`: this is not a baseline strata wrote", 0..0)
                    .with_label("a baseline starts with `version = 1`"),
            );
        }
        diagnostics::sort(&mut errors);
        match errors.is_empty() {
            true => Ok(baseline),
            false => Err(errors),
        }
    }

    fn read_files(&mut self, files: &dyn TableLike, errors: &mut Vec<Diagnostic>) {
        for (design, ids) in files.iter() {
            let Some(ids) = ids.as_table_like() else {
                let at = ids.span().unwrap_or(0..0);
                errors.push(
                    malformed(
                        format!("`{}` is not a table of finding ids", quoted(design)),
                        at,
                    )
                    .with_label("not a table"),
                );
                continue;
            };
            let mut counts = BTreeMap::new();
            for (id, count) in ids.iter() {
                match count.as_integer().and_then(|n| usize::try_from(n).ok()) {
                    Some(n) if n > 0 => {
                        counts.insert(id.to_string(), n);
                    }
                    _ => errors.push(
                        malformed(
                            format!("the count of `{}` is not a number of findings", quoted(id)),
                            count.span().unwrap_or(0..0),
                        )
                        .with_label("a whole number from 1"),
                    ),
                }
            }
            self.files.insert(design.to_string(), counts);
        }
    }
}

fn malformed(message: impl Into<String>, at: Span) -> Diagnostic {
    Diagnostic::error("E208", message, at).with_help(REWRITE)
}

/// The note after a text report: the recorded findings that are gone.
pub fn gone_note(outcome: &Outcome) -> String {
    if outcome.gone.is_empty() {
        return String::new();
    }
    let count: usize = outcome.gone.iter().map(|gone| gone.count).sum();
    let mut note = format!(
        "note: {count} finding{} recorded in {} no longer occur{}:\n",
        if count == 1 { "" } else { "s" },
        outcome.path,
        if count == 1 { "s" } else { "" }
    );
    let mut by_design: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for gone in &outcome.gone {
        let id = match gone.count {
            1 => gone.id.clone(),
            n => format!("{} ×{n}", gone.id),
        };
        by_design.entry(&gone.path).or_default().push(id);
    }
    for (design, ids) in by_design {
        note.push_str(&format!("  {design}: {}\n", ids.join(", ")));
    }
    note.push_str(&format!(
        "  write the baseline again to drop them: --write-baseline {}\n",
        outcome.path
    ));
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            diagnostic: Diagnostic::error("AVL101", "m", 0..0),
            id: Some(id.to_string()),
        }
    }

    #[test]
    fn a_baseline_is_written_sorted_with_counts_and_read_back() {
        let mut baseline = Baseline::default();
        let entries = [
            entry("STR201@api->db"),
            entry("AVL101@db"),
            entry("STR201@api->db"),
        ];
        baseline.record("designs/b.strata".into(), &entries);
        baseline.record("a.strata".into(), &[entry("REQ005@system")]);
        baseline.record("clean.strata".into(), &[]);
        let text = baseline.to_toml();
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                "",
                "version = 1",
                "",
                "[files.\"a.strata\"]",
                "\"REQ005@system\" = 1",
                "",
                "[files.\"designs/b.strata\"]",
                "\"AVL101@db\" = 1",
                "\"STR201@api->db\" = 2",
            ]
        );
        let read = Baseline::parse(&Source::new("b.toml", text)).unwrap();
        assert_eq!(read, baseline);
        assert_eq!(read.findings(), 4);
    }

    #[test]
    fn applying_takes_out_as_many_as_recorded_and_names_the_rest_gone() {
        let mut baseline = Baseline::default();
        baseline.record(
            "d.strata".into(),
            &[entry("A@x"), entry("A@x"), entry("B@y")],
        );
        let mut report = FileReport::single(
            Source::new("d.strata", ""),
            vec![entry("A@x"), entry("C@z"), entry("A@x"), entry("A@x")],
        );
        let (matched, gone) = baseline.apply("d.strata", &mut report);
        assert_eq!(matched, 2);
        let left: Vec<_> = report
            .entries
            .iter()
            .map(|e| e.id.clone().unwrap())
            .collect();
        assert_eq!(left, ["C@z", "A@x"]);
        assert_eq!((gone[0].id.as_str(), gone[0].count), ("B@y", 1));
    }

    #[test]
    fn mistakes_are_located() {
        let text = "version = 1\n[files.\"d.strata\"]\n\"A@x\" = 0\nextra = true\n";
        let errors = Baseline::parse(&Source::new("b.toml", text)).unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the count of `A@x` is not a number of findings",
                "the count of `extra` is not a number of findings"
            ]
        );
        let zero = text.find("0\n").unwrap();
        assert_eq!(errors[0].primary.span, zero..zero + 1);
        let wrong_version = Baseline::parse(&Source::new("b.toml", "version = 2\n")).unwrap_err();
        assert_eq!(wrong_version[0].message, "unsupported baseline version `2`");
        let not_toml = Baseline::parse(&Source::new("b.toml", "version = \n")).unwrap_err();
        assert!(
            not_toml[0].message.starts_with("invalid TOML"),
            "{not_toml:?}"
        );
    }

    #[test]
    fn design_keys_are_relative_to_the_baseline_directory() {
        assert_eq!(
            design_key(
                Path::new("/p/designs/a.strata"),
                Path::new("/p/baseline.toml")
            ),
            "designs/a.strata"
        );
        assert_eq!(
            design_key(Path::new("/p/a.strata"), Path::new("/p/ci/baseline.toml")),
            "../a.strata"
        );
    }
}
