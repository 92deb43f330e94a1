//! AVL108 outage-takes-journey-down.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::{journey_name, percent};
use crate::analysis::what_if::{availability_after, outcome, regions, Failure, Outcome};
use crate::analysis::PathAvailability;
use crate::diagnostics::Severity;
use crate::model::ComponentId;

pub const RULE: Rule = Rule {
    code: "AVL108",
    name: "outage-takes-journey-down",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A journey held to 99.99% or more goes down with one zone or one region.",
    why: "At four nines a year allows 52.6 minutes down, less than a zone or region outage usually lasts; guide 001 gives surviving a full region outage (99.99%+ availability) as a reason to go multi-region. A journey that needs a component whose instances all run in one zone (no `zones`, or `zones 1`), or whose regions do not cover for each other, cannot meet such a target however available each part is. (A design in one region is reported as AVL115 instead.)",
    example: "system \"Bank\" { sla 99.99% }\nweb: client\napi: service { replicas 3; region \"eu\" }\ndb: database { managed true; region \"eu\" }\nweb -> api -> db\n",
    fix: "Spread the instances over zones (`replicas 3; zones 3`), use a zone-redundant managed service, and run the journey's stamp in a second region behind a global router (`region` on each copy); or declare the SLA one zone or one region can meet.",
    check,
};

/// The target from which one failure domain must not take a journey down.
const SURVIVES_AN_OUTAGE_FROM: f64 = 0.9999;

fn check(cx: &Context) -> Vec<Finding> {
    let held: Vec<&PathAvailability> = cx
        .analysis
        .paths
        .iter()
        .filter(|p| {
            p.target(cx.design)
                .is_some_and(|t| t >= SURVIVES_AN_OUTAGE_FROM)
        })
        .collect();
    if held.is_empty() {
        return Vec::new();
    }
    // In one region, its outage is AVL115's to report.
    let regions_cover = regions(cx.design).len() >= 2;
    let outages: Vec<(Failure, Vec<Option<f64>>)> = Failure::domains(cx.design)
        .into_iter()
        .filter(|domain| regions_cover || !matches!(domain, Failure::Region(_)))
        .map(|domain| {
            let after = availability_after(cx.design, std::slice::from_ref(&domain));
            (domain, after)
        })
        .collect();
    let broken = held.into_iter().filter_map(|path| {
        let taken_down_by: Vec<String> = outages
            .iter()
            .filter_map(|(domain, after)| match outcome(path, after) {
                Outcome::Breaks { on } => Some(format!(
                    "{} (`{}`)",
                    domain.describe(cx.design),
                    ids(cx, &on)
                )),
                Outcome::Works { .. } => None,
            })
            .collect();
        (!taken_down_by.is_empty()).then_some((path, taken_down_by))
    });
    if cx.design.journeys.is_empty() {
        inferred(cx, broken.collect())
    } else {
        broken
            .map(|(path, taken_down_by)| declared(cx, path, &taken_down_by))
            .collect()
    }
}

fn declared(cx: &Context, path: &PathAvailability, taken_down_by: &[String]) -> Finding {
    let journey = &cx.design.journeys[path.journey.expect("declared journeys only")];
    Finding::new(
        &RULE,
        &journey.id,
        format!(
            "journey {} is held to {} but one outage takes it down",
            journey_name(journey),
            percent(path.target(cx.design).expect("held to a target"))
        ),
        journey.id_span.clone(),
    )
    .with_label(format!("taken down by {}", taken_down_by.join("; ")))
}

/// One finding for the whole design: the journeys were not named, so neither is one
/// picked out of them.
fn inferred(cx: &Context, broken: Vec<(&PathAvailability, Vec<String>)>) -> Vec<Finding> {
    let Some((first, taken_down_by)) = broken.first() else {
        return Vec::new();
    };
    let others = match broken.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more journey)".to_string(),
        more => format!(" (and {more} more journeys)"),
    };
    vec![Finding::new(
        &RULE,
        "system",
        format!(
            "the SLA is {} but one outage takes the journey from `{}` to `{}` down{others}",
            percent(first.target(cx.design).expect("held to a target")),
            cx.id(first.entry),
            cx.id(first.target)
        ),
        cx.system_span(),
    )
    .with_label(format!("taken down by {}", taken_down_by.join("; ")))]
}

fn ids(cx: &Context, components: &[ComponentId]) -> String {
    let names: Vec<&str> = components.iter().map(|&c| cx.id(c)).collect();
    names.join("`, `")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn names_each_outage_that_takes_the_journey_down() {
        let found = findings(RULE.example);
        let finding = found.iter().find(|f| f.code() == "AVL108").unwrap();
        assert_eq!(
            finding.diagnostic.message,
            "the SLA is 99.99% but one outage takes the journey from `web` to `api` down"
        );
        assert_eq!(
            finding.diagnostic.primary.message,
            "taken down by zone eu/a (`api`)"
        );
    }

    #[test]
    fn quiet_when_every_zone_and_region_can_go() {
        let spread = "system \"Bank\" { sla 99.99% }\nweb: client\ncdn: cdn { managed true }\n\
            api1: service \"API\" { replicas 3; zones 3; region \"eu\" }\n\
            api2: service \"API\" { replicas 3; zones 3; region \"us\" }\n\
            web -> cdn -> api1, api2\n";
        assert!(ids(&RULE, spread).is_empty());
        assert!(ids(&RULE, &RULE.example.replace("99.99%", "99.95%")).is_empty());
    }

    #[test]
    fn a_region_is_an_outage_only_where_another_could_cover() {
        let zoned = "system \"Bank\" { sla 99.99% }\nweb: client\n\
            api: service { replicas 3; zones 3 }\ndb: database { managed true }\nweb -> api -> db\n";
        assert!(ids(&RULE, zoned).is_empty(), "one region is AVL115's");
        let shared_db = "system \"Bank\" { sla 99.99% }\nweb: client\ncdn: cdn { managed true }\n\
            api1: service \"API\" { replicas 3; zones 3; region \"eu\" }\n\
            api2: service \"API\" { replicas 3; zones 3; region \"us\" }\n\
            db: database { managed true; region \"eu\" }\n\
            web -> cdn -> api1, api2\napi1, api2 -> db\n";
        let found = findings(shared_db);
        let finding = found.iter().find(|f| f.code() == "AVL108").unwrap();
        assert_eq!(
            finding.diagnostic.primary.message,
            "taken down by region eu (`db`)"
        );
    }

    #[test]
    fn a_declared_journey_is_reported_at_itself() {
        let text = format!(
            "{}journey pay {{ web -> api -> db; sla 99.99% }}\n",
            RULE.example.replace("sla 99.99%", "sla 99.9%")
        );
        assert_eq!(ids(&RULE, &text), ["AVL108@pay"]);
    }
}
