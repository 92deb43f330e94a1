//! REQ008 missing-logging.

use super::super::{Area, Context, Finding, Rule};
use super::missing_component;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "REQ008",
    name: "missing-logging",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "The design has no logging component.",
    why: "Logging infrastructure is on the guide's \"Every Architecture Needs\" card and one of §10's three pillars: logs scattered over instances are gone when an instance is replaced, exactly when they are needed.",
    example: "web: client\napi: service\nweb -> api\n",
    fix: "Add one to the observability tier, e.g. `logs: logging \"Loki\" { managed true }`; observability components need no flows.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    missing_component(cx, &RULE, Kind::Logging, "centralized logging")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_when_present_or_with_nothing_to_observe() {
        let with = format!(
            "web: client\napi: service\nweb -> api\n{}\n",
            "logs: logging \"Loki\" { managed true }"
        );
        assert!(ids(&RULE, &with).is_empty());
        assert!(ids(&RULE, "web: client\ndb: database\nweb -> db\n").is_empty());
    }
}
