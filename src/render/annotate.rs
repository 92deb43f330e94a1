//! `--annotate`: lint findings as badges on the components they name (one per severity,
//! with the count, and the findings on hover), and single points of failure outlined.

use super::Badge;
use crate::analysis::Spof;
use crate::diagnostics::Severity;
use crate::lint::Finding;
use crate::model::Design;

pub struct Annotations {
    pub badges: Vec<Vec<Badge>>,
    pub outlined: Vec<bool>,
}

pub fn annotations(design: &Design, findings: &[Finding], spofs: &[Spof]) -> Annotations {
    let mut by_component: Vec<Vec<&Finding>> = vec![Vec::new(); design.components.len()];
    for finding in findings {
        // `CODE@component`; flows (`CODE@a->b`) and the whole system have no box of their own.
        let subject = finding
            .id
            .split_once('@')
            .map_or("", |(_, subject)| subject);
        if let Some(component) = design.component_by_id(subject) {
            by_component[component].push(finding);
        }
    }
    let badges = by_component
        .iter()
        .map(|found| {
            [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .filter_map(|severity| badge(found, severity))
                .collect()
        })
        .collect();
    let mut outlined = vec![false; design.components.len()];
    for spof in spofs {
        outlined[spof.component] = true;
    }
    Annotations { badges, outlined }
}

fn badge(found: &[&Finding], severity: Severity) -> Option<Badge> {
    let of_severity: Vec<&&Finding> = found
        .iter()
        .filter(|f| f.diagnostic.severity == severity)
        .collect();
    if of_severity.is_empty() {
        return None;
    }
    let colour = match severity {
        Severity::Error => "#d1242f",
        Severity::Warning => "#bf8700",
        Severity::Info => "#0969da",
    };
    let detail = of_severity
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                severity.as_str(),
                f.code(),
                f.diagnostic.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some(Badge {
        text: of_severity.len().to_string(),
        colour: colour.to_string(),
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::annotations;
    use crate::lint::{config::CommandLine, lint, Config};
    use crate::source::Source;

    #[test]
    fn findings_become_badges_on_their_components_and_spofs_are_outlined() {
        let source = Source::new(
            "t",
            "web: client\napi: gateway\ndb: database\nweb -> api -> db\n",
        );
        let checked = crate::check(&source);
        let (config, _) = Config::new(&checked.design, &CommandLine::default()).unwrap();
        let linted = lint(&checked.design, &checked.parsed.comments, &source, &config);
        let analysis = crate::analysis::analyze(&checked.design);
        let marks = annotations(&checked.design, &linted.findings, &analysis.spofs);
        let db = checked.design.component_by_id("db").unwrap();
        let api = checked.design.component_by_id("api").unwrap();
        assert_eq!(marks.badges[db][0].colour, "#d1242f");
        assert!(marks.badges[db][0].detail.contains("AVL103"));
        assert!(marks.outlined[api] && !marks.outlined[db]);
    }
}
