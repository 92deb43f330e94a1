//! AVL105 composite-sla-below-target.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::{duration, journey_name, percent, segment_name, terms};
use crate::analysis::{downtime_minutes_per_year, PathAvailability};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "AVL105",
    name: "composite-sla-below-target",
    area: Area::Availability,
    severity: Severity::Error,
    summary: "The composite availability of a request journey is below the system's declared SLA.",
    why: "Hard dependencies multiply (guide 001: three 99.99% components in series give about 99.97%); the §5 availability table turns the result into downtime a year. A design whose least available request journey cannot meet its own SLA will miss it in production. A journey is one kind of request, from the entry through the routers that dispatch it to what handles it, and it needs every hard dependency of everything it passes through, each once. Each replica set counts as 1 − (1 − a)^n; look-aside caches, consumers behind a queue and `optional` flows are soft and do not count; a cache with `role store` does.",
    example: "system \"Shop\" { sla 99.99% }\nweb: client\napi: service { replicas 2; availability 99.9% }\ndb: database { managed true; availability 99.95% }\nweb -> api -> db\n",
    fix: "Raise the weakest term: more replicas, a managed service with a higher SLA, or an alternative path; or declare the SLA the design can meet. `strata analyze` shows every journey term by term.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.design.journeys.is_empty() {
        return declared(cx);
    }
    let Some(target) = cx.design.system.sla else {
        return Vec::new();
    };
    let worst = cx
        .analysis
        .paths
        .iter()
        .min_by(|a, b| a.availability.total_cmp(&b.availability));
    match worst {
        Some(path) if path.availability < target => vec![finding(cx, path, target)],
        _ => Vec::new(),
    }
}

/// Each declared journey below its own target (or the system's), at the journey.
fn declared(cx: &Context) -> Vec<Finding> {
    cx.declared_journeys()
        .filter_map(|(journey, path)| {
            let target = path.target(cx.design)?;
            (path.availability < target).then(|| {
                Finding::new(
                    &RULE,
                    &journey.id,
                    format!(
                        "journey {} is {} available, below its SLA of {}",
                        journey_name(journey),
                        percent(path.availability),
                        percent(target)
                    ),
                    journey.id_span.clone(),
                )
                .with_label(label(cx, path, target))
                .with_help(help(cx, path))
            })
        })
        .collect()
}

fn label(cx: &Context, path: &PathAvailability, target: f64) -> String {
    format!(
        "{}: about {} down a year, against {} allowed",
        terms(cx.design, path),
        duration(downtime_minutes_per_year(path.availability)),
        duration(downtime_minutes_per_year(target))
    )
}

fn help(cx: &Context, path: &PathAvailability) -> String {
    let weakest = path
        .segments
        .iter()
        .min_by(|a, b| a.availability().total_cmp(&b.availability()))
        .expect("a journey needs at least what handles it");
    format!(
        "the weakest term is {}; add replicas or an alternative path there, or declare an SLA the design can meet (`strata analyze` shows every journey term by term)",
        segment_name(cx.design, weakest)
    )
}

fn finding(cx: &Context, path: &PathAvailability, target: f64) -> Finding {
    Finding::new(
        &RULE,
        "system",
        format!(
            "composite availability {} from `{}` to `{}` is below the SLA of {}",
            percent(path.availability),
            cx.id(path.entry),
            cx.id(path.target),
            percent(target)
        ),
        cx.system_span(),
    )
    .with_label(label(cx, path, target))
    .with_help(help(cx, path))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::analysis::explain::{duration, percent};
    use crate::lint::testing::{findings, ids};

    #[test]
    fn shows_the_product_term_by_term() {
        let found = findings(RULE.example);
        let finding = found.iter().find(|f| f.code() == "AVL105").unwrap();
        assert_eq!(
            finding.diagnostic.primary.message,
            "`api` 99.9999% × `db` 99.95% = 99.9499%: about 4.39 h down a year, against 52.6 min allowed"
        );
    }

    #[test]
    fn quiet_when_the_path_meets_the_sla_or_none_is_declared() {
        assert!(ids(&RULE, &RULE.example.replace("99.99%", "99.9%")).is_empty());
        assert!(ids(&RULE, &RULE.example.replace("{ sla 99.99% }", "")).is_empty());
    }

    #[test]
    fn each_declared_journey_is_held_to_its_own_target_or_else_the_systems() {
        let design = |checkout: &str, system: &str| {
            format!(
                "{}journey checkout {{ web -> api -> db{checkout} }}\njourney browse {{ web -> api }}\n",
                RULE.example.replace("99.99%", system)
            )
        };
        // Both journeys are the 99.9499% of the example.
        assert_eq!(
            ids(&RULE, &design("", "99.99%")),
            ["AVL105@checkout", "AVL105@browse"]
        );
        assert_eq!(
            ids(&RULE, &design("; sla 99.9%", "99.99%")),
            ["AVL105@browse"]
        );
        assert_eq!(
            ids(&RULE, &design("; sla 99.99%", "99.9%")),
            ["AVL105@checkout"]
        );
    }

    #[test]
    fn formats_follow_the_guide() {
        assert_eq!(percent(0.9995), "99.95%");
        assert_eq!(percent(0.999499), "99.9499%");
        // Downtime to three significant digits, as the published calculations print it.
        assert_eq!(percent(0.9961558), "99.616%");
        assert_eq!(percent(0.9995 * 0.9999), "99.94%");
        assert_eq!(percent(0.9999 * 0.9999 * 0.9995), "99.93%");
        assert_eq!(percent(1.0 - 0.01 * 0.01), "99.99%");
        assert_eq!(percent(0.999_999_999), "99.999999%", "cut, never 100%");
        assert_eq!(percent(1.0 - 0.0001 * 0.0001), "99.999999%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(duration(525_600.0 * 0.0005), "4.38 h");
        assert_eq!(duration(525_600.0 * 0.01), "3.65 days");
    }
}
