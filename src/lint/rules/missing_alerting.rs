//! REQ010 missing-alerting.

use super::super::{Area, Context, Finding, Rule};
use super::missing_component;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "REQ010",
    name: "missing-alerting",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "The design has no alerting component.",
    why: "The guide's §10 alerting strategy and §4 observability layer (LOGS, METRICS, TRACES, ALERTS): metrics nobody is paged on do not shorten an outage.",
    example: "web: client\napi: service\nweb -> api\n",
    fix: "Add one to the observability tier, e.g. `pager: alerting \"PagerDuty\" { managed true }`; observability components need no flows.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    missing_component(cx, &RULE, Kind::Alerting, "alerting")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_when_present_or_with_nothing_to_observe() {
        let with = format!(
            "web: client\napi: service\nweb -> api\n{}\n",
            "pager: alerting \"PagerDuty\" { managed true }"
        );
        assert!(ids(&RULE, &with).is_empty());
        assert!(ids(&RULE, "web: client\ndb: database\nweb -> db\n").is_empty());
    }
}
