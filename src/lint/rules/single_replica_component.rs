//! AVL101 single-replica-component.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::is_redundant;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "AVL101",
    name: "single-replica-component",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A component that requests pass through runs a single instance.",
    why: "The guide's availability pillar (§2, SACRED \"A\") and its question \"Where are the single points of failure?\": one instance means every crash, deploy or host failure is an outage for the requests that need it. (Components every request depends on are reported as AVL102 instead; databases as AVL103, load balancers as AVL104.)",
    example: "web: client\nlb: load_balancer { managed true }\na: service { replicas 2 }\nb: service\ndb: database { managed true }\nweb -> lb -> a, b\na, b -> db\n",
    fix: "Run two or more instances (`replicas 2`), or mark a provider-run service `managed true`.",
    check,
};

/// On a request path; a cache counts when something on a request path reads it.
fn check(cx: &Context) -> Vec<Finding> {
    let mut is_spof = vec![false; cx.design.components.len()];
    for spof in &cx.analysis.spofs {
        is_spof[spof.component] = true;
    }
    let mut read_from_request_path = vec![false; cx.design.components.len()];
    for flow in &cx.design.flows {
        read_from_request_path[flow.to] |= cx.on_request_path[flow.from];
    }
    let mut is_entry = vec![false; cx.design.components.len()];
    for &entry in &cx.analysis.entries {
        is_entry[entry] = true;
    }
    (0..cx.design.components.len())
        .filter(|&id| {
            let c = &cx.design.components[id];
            let on_path = if c.kind == Kind::Cache {
                read_from_request_path[id]
            } else {
                cx.on_request_path[id] && !is_entry[id]
            };
            is_covered_kind(c.kind) && !is_redundant(cx.design, id) && on_path && !is_spof[id]
        })
        .map(|id| {
            let c = &cx.design.components[id];
            let span = c.span_at(&["replicas"]);
            Finding::new(
                &RULE,
                &c.id,
                format!("`{}` runs a single instance on a request path", c.id),
                span,
            )
            .with_label("one instance: a crash or deploy is an outage")
            .with_help(format!(
                "run at least two: {}",
                c.declared_with("replicas 2")
            ))
        })
        .collect()
}

/// Kinds this rule speaks for; databases and load balancers have rules of their own.
fn is_covered_kind(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Client | Kind::External | Kind::Database | Kind::LoadBalancer
    ) && !kind.is_observability()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_the_single_instance_that_is_not_on_every_path() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL101@b"]);
    }

    #[test]
    fn quiet_for_replicated_managed_and_off_path_components() {
        let text = "web: client\na: service { replicas 2 }\nq: queue { managed true }\nw: worker\nweb -> a ~> q ~> w\n";
        assert!(
            ids(&RULE, text).is_empty(),
            "a worker behind a queue is not on a request path"
        );
    }
}
