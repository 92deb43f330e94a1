//! AVL109 volatile-cache-store.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::is_redundant;
use crate::diagnostics::Severity;
use crate::model::{CacheRole, Kind};

pub const RULE: Rule = Rule {
    code: "AVL109",
    name: "volatile-cache-store",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A cache holds the only copy of its data in the memory of one instance, with nothing written to disk.",
    why: "A cache with `role store` (sessions, carts, timelines) is the only copy of what it holds, so a restart of its one instance loses all of it. The guide's e-commerce decisions (§6.1) keep the shopping cart in \"Redis with persistence\", and its reliability questions (§2, SACRED \"R\") ask for the data durability guarantees: memory alone guarantees none.",
    example: "web: client\napi: service { replicas 2 }\nsessions: cache { role store }\nweb -> api -> sessions\n",
    fix: "Persist it to disk (`persistence true`: snapshots or an append-only file), run a replica (`replicas 2`), or use a managed cache (`managed true`).",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| {
            let c = &cx.design.components[id];
            c.kind == Kind::Cache
                && c.cache_role == CacheRole::Store
                && c.persistence != Some(true)
                && !is_redundant(cx.design, id)
        })
        .map(|id| {
            let c = &cx.design.components[id];
            let span = c.span_at(&["persistence", "role"]);
            Finding::new(
                &RULE,
                &c.id,
                format!(
                    "cache `{}` holds the only copy of its data in one instance's memory",
                    c.id
                ),
                span,
            )
            .with_label("a restart loses everything it holds")
            .with_help(format!(
                "persist it (`{0}: cache {{ role store; persistence true }}`), add a replica (`replicas 2`), or use a managed cache (`managed true`)",
                c.id
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    fn with_cache(properties: &str) -> String {
        format!("web: client\napi: service {{ replicas 2 }}\nsessions: cache {{ {properties} }}\nweb -> api -> sessions\n")
    }

    #[test]
    fn fires_on_a_lone_store_kept_in_memory() {
        assert_eq!(ids(&RULE, &with_cache("role store")), ["AVL109@sessions"]);
        assert_eq!(
            ids(&RULE, &with_cache("role store; persistence false")),
            ["AVL109@sessions"]
        );
    }

    #[test]
    fn quiet_when_persisted_replicated_managed_or_a_copy() {
        for properties in [
            "role store; persistence true",
            "role store; replicas 2",
            "role store; managed true",
            "role lookaside",
            "persistence false",
        ] {
            assert!(
                ids(&RULE, &with_cache(properties)).is_empty(),
                "{properties}"
            );
        }
    }
}
