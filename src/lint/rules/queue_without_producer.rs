//! STR204 queue-without-producer.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "STR204",
    name: "queue-without-producer",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A queue or stream has consumers but no producer.",
    why: "A broker that nothing publishes to leaves its consumers idle: the design is missing the flow that feeds them, or they are dead code.",
    example: "web: client\napi: service\nq: queue\nw: worker\nweb -> api\nq ~> w\n",
    fix: "Add the producer (`api ~> q`), or remove the queue and its consumers.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| {
            cx.design.components[id].kind.is_broker() && cx.has_outgoing[id] && !cx.has_incoming[id]
        })
        .map(|id| {
            Finding::new(
                &RULE,
                cx.id(id),
                format!("`{}` has consumers but no producer", cx.id(id)),
                cx.span(id),
            )
            .with_label("no producer")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_with_both_ends() {
        let text = "web: client\napi: service\nq: queue\nw: worker\nweb -> api ~> q ~> w\n";
        assert!(ids(&RULE, text).is_empty());
        assert_eq!(ids(&RULE, RULE.example), ["STR204@q"]);
    }
}
