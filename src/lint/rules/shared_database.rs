//! STR202 shared-database.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::Severity;
use crate::model::Kind;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "STR202",
    name: "shared-database",
    area: Area::Structure,
    severity: Severity::Info,
    summary: "Two or more services write to the same database.",
    why: "A database written by several services couples them through its schema: none can change it, scale it or own its invariants alone (the guide's developability pillar, §2; each service with its own database in §6.1). Sometimes it is deliberate, as in a bank's single ACID ledger: suppress it with the reason.",
    example: "web: client\norders: service\nbilling: service\ndb: database\nweb -> orders, billing\norders, billing -> db\n",
    fix: "Give each service its own database and share data through APIs or events; mark read-only access `access read` (or `tags [\"read\"]`); or suppress with the reason the sharing is deliberate.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&db| cx.design.components[db].kind == Kind::Database)
        .filter_map(|db| {
            let mut writers: Vec<usize> = cx
                .design
                .flows
                .iter()
                .filter(|f| {
                    f.to == db
                        && f.mode == FlowMode::Sync
                        && is_workload(cx.design.components[f.from].kind)
                        && f.access.is_none_or(|access| access.writes())
                        && !f.tags.iter().any(|t| t == "read")
                })
                .map(|f| f.from)
                .collect();
            writers.sort_unstable();
            writers.dedup();
            (writers.len() >= 2).then(|| {
                let names: Vec<String> =
                    writers.iter().map(|&w| format!("`{}`", cx.id(w))).collect();
                Finding::new(
                    &RULE,
                    cx.id(db),
                    format!(
                        "database `{}` is written by {} services: {}",
                        cx.id(db),
                        writers.len(),
                        names.join(", ")
                    ),
                    cx.span(db),
                )
                .with_label("shared by several services")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn readers_do_not_count() {
        let text = "web: client\norders: service\nreports: service\ndb: database\nweb -> orders, reports\norders -> db\nreports -> db { tags [\"read\"] }\n";
        assert!(ids(&RULE, text).is_empty());
    }

    #[test]
    fn a_flow_that_declares_read_access_does_not_count() {
        let text = "web: client\norders: service\nreports: service\ndb: database\nweb -> orders, reports\norders -> db { access write }\nreports -> db { access read }\n";
        assert!(ids(&RULE, text).is_empty());
        let both_write = text.replace("access read", "access read_write");
        assert_eq!(ids(&RULE, &both_write), ["STR202@db"]);
    }
}
