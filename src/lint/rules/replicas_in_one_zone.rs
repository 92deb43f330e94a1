//! AVL110 replicas-in-one-zone.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::percent;
use crate::analysis::what_if::zones_of;
use crate::diagnostics::Severity;
use crate::model::ComponentId;

pub const RULE: Rule = Rule {
    code: "AVL110",
    name: "replicas-in-one-zone",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A component runs several instances, all in one zone, where the system or a journey held to 99.95% or more needs it.",
    why: "Replicas survive a crash or a deploy, not the loss of the zone they share: a zone outage usually lasts hours, while 99.95% (the guide's e-commerce level, §5) allows 4.38 hours down a year and 21.9 minutes a month. The guide's availability questions (§2, SACRED \"A\") ask for the single points of failure, and one zone is one.",
    example: "system \"Shop\" { sla 99.95% }\nweb: client\nlb: load_balancer { managed true }\napi: service { replicas 3 }\nweb -> lb -> api\n",
    fix: "Spread the instances over zones (`replicas 3; zones 3`), or use a zone-redundant managed service (`managed true`).",
    check,
};

/// From this target on, a zone outage costs more than the error budget holds.
const NEEDS_ZONES_FROM: f64 = 0.9995;

/// The highest target a component is held to, and by what.
struct Held {
    target: f64,
    by: String,
}

fn check(cx: &Context) -> Vec<Finding> {
    let held = held_to(cx);
    (0..cx.design.components.len())
        .filter_map(|id| Some((id, held[id].as_ref()?)))
        .filter(|(id, _)| {
            let c = &cx.design.components[*id];
            !c.managed && c.replicas >= 2 && zones_of(c) == Some(1)
        })
        .map(|(id, held)| finding(cx, id, held))
        .collect()
}

/// What each component is held to from 99.95% up: by the journeys that need it, and by
/// the system's SLA when a request can reach it.
fn held_to(cx: &Context) -> Vec<Option<Held>> {
    let design = cx.design;
    let mut held: Vec<Option<Held>> = (0..design.components.len()).map(|_| None).collect();
    let mut hold = |component: ComponentId, target: f64, by: &dyn Fn() -> String| {
        if held[component].as_ref().is_none_or(|h| h.target < target) {
            held[component] = Some(Held { target, by: by() });
        }
    };
    if let Some(sla) = design.system.sla.filter(|&sla| sla >= NEEDS_ZONES_FROM) {
        for component in (0..design.components.len()).filter(|&c| cx.on_request_path[c]) {
            hold(component, sla, &|| "the system".to_string());
        }
    }
    for path in &cx.analysis.paths {
        let Some(target) = path.target(design).filter(|&t| t >= NEEDS_ZONES_FROM) else {
            continue;
        };
        let by = || match path.journey {
            Some(journey) => format!("journey `{}`", design.journeys[journey].id),
            None => "the system".to_string(),
        };
        for component in path.segments.iter().flat_map(|s| s.components()) {
            hold(component, target, &by);
        }
    }
    held
}

fn finding(cx: &Context, id: ComponentId, held: &Held) -> Finding {
    let c = &cx.design.components[id];
    let span = c.span_at(&["zones", "replicas"]);
    Finding::new(
        &RULE,
        &c.id,
        format!("all {} instances of `{}` run in one zone", c.replicas, c.id),
        span,
    )
    .with_label(format!(
        "one zone outage takes them all down; {} is held to {}",
        held.by,
        percent(held.target)
    ))
    .with_help(format!(
        "spread them: {}",
        c.declared_with(&format!(
            "replicas {}; zones {}",
            c.replicas,
            c.replicas.min(3)
        ))
    ))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn names_the_target_that_needs_the_zones() {
        let found = findings(RULE.example);
        let finding = found.iter().find(|f| f.code() == "AVL110").unwrap();
        assert_eq!(finding.id, "AVL110@api");
        assert_eq!(
            finding.diagnostic.primary.message,
            "one zone outage takes them all down; the system is held to 99.95%"
        );
        let journey = "web: client\napi: service { replicas 2; zones 1 }\nweb -> api\n\
            journey browse { web -> api; sla 99.99% }\n";
        let found = findings(journey);
        let finding = found.iter().find(|f| f.code() == "AVL110").unwrap();
        assert_eq!(
            finding.diagnostic.primary.message,
            "one zone outage takes them all down; journey `browse` is held to 99.99%"
        );
    }

    #[test]
    fn quiet_when_spread_managed_single_or_held_lower() {
        for quiet in [
            RULE.example.replace("replicas 3", "replicas 3; zones 3"),
            RULE.example
                .replace("replicas 3", "replicas 3; managed true"),
            RULE.example.replace("replicas 3", "replicas 1"),
            RULE.example.replace("99.95%", "99.9%"),
        ] {
            assert!(ids(&RULE, &quiet).is_empty(), "{quiet}");
        }
    }

    #[test]
    fn quiet_for_what_no_request_needs() {
        let behind_queue = "system \"Shop\" { sla 99.99% }\nweb: client\n\
            api: service { replicas 2; zones 2 }\nq: queue { managed true }\n\
            w: worker { replicas 2 }\nweb -> api ~> q ~> w\n";
        assert!(ids(&RULE, behind_queue).is_empty());
    }
}
