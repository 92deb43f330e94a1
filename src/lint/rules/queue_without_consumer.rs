//! STR203 queue-without-consumer.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "STR203",
    name: "queue-without-consumer",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A queue or stream has producers but no consumer.",
    why: "Messages pile up in a broker nobody reads: the work the producers hand off never happens, and the backlog grows until retention drops it.",
    example: "web: client\napi: service\nq: queue\nweb -> api ~> q\n",
    fix: "Add the worker that consumes it (`q ~> worker`), or remove the queue.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| {
            cx.design.components[id].kind.is_broker() && cx.has_incoming[id] && !cx.has_outgoing[id]
        })
        .map(|id| {
            Finding::new(
                &RULE,
                cx.id(id),
                format!("`{}` has producers but no consumer", cx.id(id)),
                cx.span(id),
            )
            .with_label("no consumer")
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
        assert_eq!(ids(&RULE, RULE.example), ["STR203@q"]);
    }
}
