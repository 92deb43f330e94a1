//! AVL104 load-balancer-spof.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::is_redundant;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "AVL104",
    name: "load-balancer-spof",
    area: Area::Availability,
    severity: Severity::Error,
    summary: "A load balancer runs a single instance: the component meant to remove a single point of failure is one.",
    why: "The guide's availability pillar (§2: redundancy, failover) and its SPOF question: a lone load balancer takes every replica behind it down with it.",
    example: "web: client\nlb: load_balancer\napi: service { replicas 3 }\nweb -> lb -> api\n",
    fix: "Run the load balancer as a pair (`replicas 2`, e.g. keepalived with a floating IP) or use a provider's (`managed true`).",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| {
            cx.design.components[id].kind == Kind::LoadBalancer && !is_redundant(cx.design, id)
        })
        .map(|id| {
            let c = &cx.design.components[id];
            Finding::new(
                &RULE,
                &c.id,
                format!("load balancer `{}` is a single instance", c.id),
                c.span.clone(),
            )
            .with_label("everything behind it fails with it")
            .with_help(format!(
                "run a pair, `{}: load_balancer {{ replicas 2 }}`, or use a provider's load balancer with `managed true`",
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
    fn quiet_for_a_pair_or_a_managed_one() {
        assert!(ids(
            &RULE,
            "web: client\nlb: load_balancer { replicas 2 }\nweb -> lb\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "web: client\nlb: load_balancer { managed true }\nweb -> lb\n"
        )
        .is_empty());
    }
}
