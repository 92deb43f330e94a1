//! REQ004 missing-primary-database.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "REQ004",
    name: "missing-primary-database",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "The design has services but no database to keep their state.",
    why: "A primary database is on the guide's \"Every Architecture Needs\" card: state kept only in service memory or a cache is lost when an instance restarts.",
    example: "web: client\napi: service\ncache: cache\nweb -> api -> cache\n",
    fix: "Add the system of record: `db: database \"Primary\" { replicas 2 }` and the flows that write to it.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if cx.has_kind(Kind::Database) || !cx.has_kind(Kind::Service) {
        return Vec::new();
    }
    vec![Finding::new(
        &RULE,
        "system",
        "the design has no database",
        cx.system_span(),
    )
    .lacking(Kind::Database)]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_with_a_database() {
        assert!(ids(
            &RULE,
            "web: client\napi: service\ndb: database\nweb -> api -> db\n"
        )
        .is_empty());
    }
}
