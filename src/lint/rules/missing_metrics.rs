//! REQ007 missing-metrics.

use super::super::{Area, Context, Finding, Rule};
use super::missing_component;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "REQ007",
    name: "missing-metrics",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "The design has no metrics component.",
    why: "The guide (§10, the three pillars; RED and USE metrics) and its \"Every Architecture Needs\" card ask for a monitoring stack: without metrics nobody sees saturation, errors or latency until users report them.",
    example: "web: client\napi: service\nweb -> api\n",
    fix: "Add one to the observability tier, e.g. `prom: metrics \"Prometheus\" { managed true }`; observability components need no flows.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    missing_component(cx, &RULE, Kind::Metrics, "metrics store")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_when_present_or_with_nothing_to_observe() {
        let with = format!(
            "web: client\napi: service\nweb -> api\n{}\n",
            "prom: metrics \"Prometheus\" { managed true }"
        );
        assert!(ids(&RULE, &with).is_empty());
        assert!(ids(&RULE, "web: client\ndb: database\nweb -> db\n").is_empty());
    }
}
