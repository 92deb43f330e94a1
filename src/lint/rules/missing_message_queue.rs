//! REQ006 missing-message-queue.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "REQ006",
    name: "missing-message-queue",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "An asynchronous flow goes straight from one component to another, with no queue or stream between.",
    why: "The guide's checklist asks for a message queue whenever work is asynchronous (\"Message queue (if async)\"; Kafka, RabbitMQ or SQS for \"async processing, decoupling\"): without a broker, messages are lost when the receiver is down and nothing absorbs bursts.",
    example: "web: client\norders: service\nemail: worker\nweb -> orders\norders ~> email\n",
    fix: "Send the messages through a broker: `orders ~> events ~> email` with `events: queue` (or `stream`).",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .flows
        .iter()
        .filter(|flow| {
            flow.mode == FlowMode::Async
                && !cx.design.components[flow.from].kind.is_broker()
                && !cx.design.components[flow.to].kind.is_broker()
        })
        .map(|flow| {
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!(
                    "asynchronous flow {} has no queue between the ends",
                    cx.flow_name(flow)
                ),
                flow.span.clone(),
            )
            .with_label("no broker on this async flow")
            .with_help(format!(
                "route it through a queue: `{} ~> jobs ~> {}` with `jobs: queue`",
                cx.id(flow.from),
                cx.id(flow.to)
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_through_a_broker() {
        let text =
            "web: client\norders: service\nq: queue\nemail: worker\nweb -> orders ~> q ~> email\n";
        assert!(ids(&RULE, text).is_empty());
        assert_eq!(ids(&RULE, RULE.example), ["REQ006@orders->email"]);
    }
}
