//! REQ005 missing-cache.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::Severity;
use crate::model::Kind;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "REQ005",
    name: "missing-cache",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Services read from databases synchronously and the design has no cache.",
    why: "A caching layer is on the guide's \"Every Architecture Needs\" card and in §4's core components (Redis beside the database): read-heavy paths that always hit the database put its latency and capacity on every request.",
    example: "web: client\napi: service\ndb: database\nweb -> api -> db\n",
    fix: "Add a `cache` beside the read path (`api -> cache`), e.g. `cache: cache \"Redis\" { replicas 2 }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let reads_a_database = cx.design.flows.iter().find(|flow| {
        flow.mode == FlowMode::Sync
            && is_workload(cx.design.components[flow.from].kind)
            && cx.design.components[flow.to].kind == Kind::Database
    });
    match reads_a_database {
        Some(flow) if !cx.has_kind(Kind::Cache) => vec![Finding::new(
            &RULE,
            "system",
            "the design has no cache in front of its databases",
            cx.system_span(),
        )
        .lacking(Kind::Cache)
        .with_related(flow.span.clone(), "a read that a cache could serve")
        .with_help(format!(
            "add a cache beside this read: `{0} -> cache` with `cache: cache \"Redis\" {{ replicas 2 }}`",
            cx.id(flow.from)
        ))],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_with_a_cache_or_without_database_reads() {
        assert!(ids(
            &RULE,
            "web: client\napi: service\nc: cache\ndb: database\nweb -> api -> c, db\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "web: client\napi: service\nq: queue\nweb -> api ~> q\n"
        )
        .is_empty());
    }
}
