//! AVL115 single-region-high-sla.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::{journey_name, percent};
use crate::analysis::what_if::regions;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "AVL115",
    name: "single-region-high-sla",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "The system or a journey is held to 99.99% or more, and the design runs in one region.",
    why: "Guide 001 gives surviving a full region outage (99.99%+ availability) as a reason to go multi-region, and the guide's banking template reaches 99.99% with active-active multi-region (§6.3). Four nines allow 52.6 minutes down a year (§5); a region outage usually lasts longer, and one region is one failure domain however its zones are used.",
    example: "system \"Bank\" { sla 99.99% }\nweb: client\napi: service { replicas 3; zones 3 }\ndb: database { managed true }\nweb -> api -> db\n",
    fix: "Run a copy of the stack in a second region behind a global router (`region \"eu\"` and `region \"us\"` on each copy, `standby automatic` for active-passive), or declare the SLA one region can meet (99.95%).",
    check,
};

/// From this target on, one region's outage costs more than the error budget holds.
const NEEDS_REGIONS_FROM: f64 = 0.9999;

fn check(cx: &Context) -> Vec<Finding> {
    let design = cx.design;
    let ours = (design.components.iter()).any(|c| !matches!(c.kind, Kind::Client | Kind::External));
    let region_names = regions(design);
    if !ours || region_names.len() >= 2 {
        return Vec::new();
    }
    let runs_in = match region_names.first() {
        Some(region) => format!("everything runs in region {region}"),
        None => "no component declares a `region`".to_string(),
    };
    if let Some(sla) = design.system.sla.filter(|&sla| sla >= NEEDS_REGIONS_FROM) {
        return vec![Finding::new(
            &RULE,
            "system",
            format!(
                "the SLA is {} but the design runs in one region",
                percent(sla)
            ),
            cx.system_span(),
        )
        .with_label(runs_in)];
    }
    design
        .journeys
        .iter()
        .filter_map(|journey| {
            let sla = journey.sla.filter(|&sla| sla >= NEEDS_REGIONS_FROM)?;
            Some(
                Finding::new(
                    &RULE,
                    &journey.id,
                    format!(
                        "journey {} is held to {} but the design runs in one region",
                        journey_name(journey),
                        percent(sla)
                    ),
                    journey.id_span.clone(),
                )
                .with_label(runs_in.clone()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn reports_the_system_once_and_says_where_it_runs() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL115@system"]);
        let one = RULE.example.replace("zones 3", "zones 3; region \"eu\"");
        let found = findings(&one);
        let finding = found.iter().find(|f| f.code() == "AVL115").unwrap();
        assert_eq!(
            finding.diagnostic.primary.message,
            "everything runs in region eu"
        );
    }

    #[test]
    fn a_journey_held_higher_than_the_system_is_reported_at_itself() {
        let text = format!(
            "{}journey pay {{ web -> api -> db; sla 99.995% }}\n",
            RULE.example.replace("99.99%", "99.9%")
        );
        assert_eq!(ids(&RULE, &text), ["AVL115@pay"]);
    }

    #[test]
    fn quiet_in_two_regions_or_below_four_nines() {
        let two = "system \"Bank\" { sla 99.99% }\nweb: client\ncdn: cdn { managed true }\n\
            api1: service \"API\" { replicas 3; zones 3; region \"eu\" }\n\
            api2: service \"API\" { replicas 3; zones 3; region \"us\" }\n\
            web -> cdn -> api1, api2\n";
        assert!(ids(&RULE, two).is_empty());
        assert!(ids(&RULE, &RULE.example.replace("99.99%", "99.95%")).is_empty());
    }
}
