//! REQ011 missing-availability-target.

use super::super::{Area, Context, Finding, Rule};
use super::has_workloads;
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "REQ011",
    name: "missing-availability-target",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Neither the system nor any journey declares an availability target (`sla`).",
    why: "\"Availability: SLA percentage\" is on the guide's requirements checklist (§3) and its availability targets (§5) run from 99% for internal tools to 99.999% for critical infrastructure; guide 001 sets SLOs before designing. Without a target nobody can say whether the replicas, zones and regions are too few or too many, and the availability rules (AVL105, AVL108, AVL110) have nothing to measure against.",
    example: "web: client\napi: service { replicas 2 }\nweb -> api\n",
    fix: "Declare the target the system is held to, e.g. `system \"Shop\" { sla 99.95% }` (guide §5: e-commerce), or one per journey: `journey checkout { …; sla 99.95% }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let design = cx.design;
    let declared = design.system.sla.is_some() || design.journeys.iter().any(|j| j.sla.is_some());
    if declared || !has_workloads(cx) {
        return Vec::new();
    }
    vec![Finding::new(
        &RULE,
        "system",
        "the design declares no availability target",
        cx.system_span(),
    )
    .with_label("no `sla` on the system or on any journey")]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn fires_where_nothing_declares_a_target() {
        assert_eq!(ids(&RULE, RULE.example), ["REQ011@system"]);
    }

    #[test]
    fn a_system_or_journey_target_is_enough() {
        let system = format!("system \"Shop\" {{ sla 99.9% }}\n{}", RULE.example);
        assert!(ids(&RULE, &system).is_empty());
        let journey = format!(
            "{}journey browse {{ web -> api; sla 99.9% }}\n",
            RULE.example
        );
        assert!(ids(&RULE, &journey).is_empty());
        assert!(ids(&RULE, "web: client\ncdn: cdn\nweb -> cdn\n").is_empty());
    }
}
