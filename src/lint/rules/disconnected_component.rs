//! STR206 disconnected-component.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "STR206",
    name: "disconnected-component",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A component has no flows at all.",
    why: "A component with no flows does nothing in the design: it is a leftover, or the flows that use it are missing, and every analysis (SPOFs, availability) ignores it. Observability components are fed implicitly by every service and are exempt.",
    example: "web: client\napi: service\nsearch: search\nweb -> api\n",
    fix: "Add the flows that use it, or remove it.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| {
            !cx.has_incoming[id]
                && !cx.has_outgoing[id]
                && !cx.design.components[id].kind.is_observability()
        })
        .map(|id| {
            Finding::new(
                &RULE,
                cx.id(id),
                format!("`{}` has no flows", cx.id(id)),
                cx.span(id),
            )
            .with_label("nothing flows to or from it")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn observability_needs_no_flows() {
        assert!(ids(&RULE, "web: client\napi: service\nm: metrics\nweb -> api\n").is_empty());
        assert_eq!(ids(&RULE, RULE.example), ["STR206@search"]);
    }
}
