//! REQ012 missing-latency-target.

use super::super::{Area, Context, Finding, Rule};
use super::has_workloads;
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "REQ012",
    name: "missing-latency-target",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Neither the system nor any journey declares a p99 latency target.",
    why: "\"Latency: p50, p95, p99 targets\" is on the guide's requirements checklist (§3), and its latency targets by system type (§5) give the p99 a design is held to, from 150 ms for real-time gaming to 10 s for an analytics dashboard. Without one nobody can tell whether a chain of calls is too slow, and the latency rule (LAT401) has nothing to measure against.",
    example: "web: client\napi: service { replicas 2 }\nweb -> api\n",
    fix: "Declare the tail latency the system is held to, e.g. `system \"Shop\" { p99 1s }` (guide §5: e-commerce checkout), or one per journey: `journey checkout { …; p99 1s }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let design = cx.design;
    let declared = design.system.p99.is_some() || design.journeys.iter().any(|j| j.p99.is_some());
    if declared || !has_workloads(cx) {
        return Vec::new();
    }
    vec![Finding::new(
        &RULE,
        "system",
        "the design declares no latency target",
        cx.system_span(),
    )
    .with_label("no `p99` on the system or on any journey")]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn fires_where_nothing_declares_a_p99() {
        assert_eq!(ids(&RULE, RULE.example), ["REQ012@system"]);
        let median_only = format!("system \"Shop\" {{ p50 100ms }}\n{}", RULE.example);
        assert_eq!(ids(&RULE, &median_only), ["REQ012@system"]);
    }

    #[test]
    fn a_system_or_journey_p99_is_enough() {
        let system = format!("system \"Shop\" {{ p99 1s }}\n{}", RULE.example);
        assert!(ids(&RULE, &system).is_empty());
        let journey = format!(
            "{}journey browse {{ web -> api; p99 300ms }}\n",
            RULE.example
        );
        assert!(ids(&RULE, &journey).is_empty());
        assert!(ids(&RULE, "web: client\ncdn: cdn\nweb -> cdn\n").is_empty());
    }
}
