//! REQ001 missing-load-balancer.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "REQ001",
    name: "missing-load-balancer",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Traffic from outside reaches a replicated component with no load balancer in front.",
    why: "The guide's checklist (§4) puts a load balancer in front of every service that runs more than one server: without one, clients must know every instance, and an instance that fails keeps receiving traffic.",
    example: "web: client\napi: service { replicas 3 }\nweb -> api\n",
    fix: "Put a `load_balancer` (with `replicas 2` or `managed true`) between the clients and the replicated component: `web -> lb -> api`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .flows
        .iter()
        .filter(|flow| {
            let from = &cx.design.components[flow.from];
            let to = &cx.design.components[flow.to];
            matches!(from.kind, Kind::Client | Kind::Cdn | Kind::Dns | Kind::Waf)
                && matches!(to.kind, Kind::Gateway | Kind::Service | Kind::Auth)
                && to.replicas >= 2
                && !to.managed
        })
        .map(|flow| {
            let target = &cx.design.components[flow.to];
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!(
                    "{} reaches {} replicas of `{}` with no load balancer in front",
                    cx.flow_name(flow),
                    target.replicas,
                    target.id
                ),
                flow.span.clone(),
            )
            .with_label("no load balancer on this hop")
            .with_help(format!(
                "put a load balancer in between: `{} -> lb -> {}` with `lb: load_balancer {{ replicas 2 }}`",
                cx.id(flow.from),
                target.id
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_behind_a_load_balancer_or_for_a_single_instance() {
        let text = "web: client\nlb: load_balancer { managed true }\napi: service { replicas 3 }\nweb -> lb -> api\n";
        assert!(ids(&RULE, text).is_empty());
        assert!(ids(&RULE, "web: client\napi: service\nweb -> api\n").is_empty());
    }

    #[test]
    fn names_the_hop() {
        assert_eq!(ids(&RULE, RULE.example), ["REQ001@web->api"]);
    }
}
