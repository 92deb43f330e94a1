//! AVL102 spof-dominator.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "AVL102",
    name: "spof-dominator",
    area: Area::Availability,
    severity: Severity::Error,
    summary: "A non-redundant component lies on every request path to a data store: a single point of failure.",
    why: "\"Where are the single points of failure?\" is the first of the guide's \"Questions to Ask Yourself\". Found by graph analysis: with a virtual root joined to every entry point, a component that dominates a data store is crossed by every request to it, so when its only instance fails, that data is unreachable.",
    example: "web: client\napi: gateway\norders: service { replicas 2 }\ndb: database { replicas 2 }\nweb -> api -> orders -> db\n",
    fix: "Give the component a second instance (`replicas 2`), mark it `managed true` if a provider runs it redundantly, or add an alternative path around it.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.analysis
        .spofs
        .iter()
        .filter(|spof| {
            let kind = cx.design.components[spof.component].kind;
            // Databases and load balancers have rules of their own (AVL103, AVL104).
            !matches!(kind, Kind::Database | Kind::LoadBalancer)
        })
        .map(|spof| {
            let c = &cx.design.components[spof.component];
            let targets: Vec<String> = spof.targets.iter().take(3).map(|&t| format!("`{}`", cx.id(t))).collect();
            let more = spof.targets.len().saturating_sub(3);
            let targets = if more > 0 {
                format!("{} and {more} more", targets.join(", "))
            } else {
                targets.join(", ")
            };
            let path: Vec<&str> = spof.example.iter().map(|&id| cx.id(id)).collect();
            Finding::new(
                &RULE,
                &c.id,
                format!("`{}` is a single point of failure: every request to {targets} passes through it", c.id),
                c.span.clone(),
            )
            .with_label(format!("one instance, on every path: {}", path.join(" → ")))
            .with_help(format!(
                "run a second instance ({}), mark it `managed true` if a provider runs it redundantly, or add a path around it",
                c.declared_with("replicas 2")
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn finds_the_dominator_and_not_the_redundant_ones() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL102@api"]);
    }

    #[test]
    fn a_parallel_path_removes_the_spof() {
        let text = "web: client\na: gateway\nb: gateway\ndb: database { replicas 2 }\nweb -> a, b\na, b -> db\n";
        assert!(ids(&RULE, text).is_empty());
    }
}
