//! AVL103 database-without-failover.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::is_redundant;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "AVL103",
    name: "database-without-failover",
    area: Area::Availability,
    severity: Severity::Error,
    summary: "A database runs a single instance, with no replica to fail over to.",
    why: "The guide's core components (§4) pair the primary database with a replica, and its \"Where is data stored and backed up?\" question: a lone database is both an outage and a data-loss risk when its host fails.",
    example: "web: client\napi: service { replicas 2 }\ndb: database { replicas 1 }\nweb -> api -> db\n",
    fix: "Run a primary and a replica (`replicas 2`), or use a managed database with failover (`managed true`).",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| cx.design.components[id].kind == Kind::Database && !is_redundant(cx.design, id))
        .map(|id| {
            let c = &cx.design.components[id];
            let span = c.property_span("replicas").cloned().unwrap_or_else(|| c.span.clone());
            Finding::new(&RULE, &c.id, format!("database `{}` has no replica to fail over to", c.id), span)
                .with_label("a single instance")
                .with_help(format!(
                    "add a replica: `{}: database {{ replicas 2 }}`, or `managed true` for a managed database with failover",
                    c.id
                ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_with_a_replica_or_managed() {
        assert!(ids(
            &RULE,
            "db: database { replicas 2 }\nweb: client\nweb -> db\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "db: database { managed true }\nweb: client\nweb -> db\n"
        )
        .is_empty());
    }
}
