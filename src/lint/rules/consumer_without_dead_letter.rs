//! STR208 consumer-without-dead-letter.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "STR208",
    name: "consumer-without-dead-letter",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A queue or stream has consumers and no dead-letter queue for the messages they fail on.",
    why: "A message a consumer cannot process (malformed, or hitting a bug) is retried forever and blocks what comes after it, or is dropped and lost. The staff roadmap's messaging topics name \"dead letter queues and retry mechanisms\" together (guide 000), and the guide's reliability questions (§2, SACRED \"R\") ask for the failure modes and their handling.",
    example: "api: service\njobs: queue { replicas 2 }\nw: worker\napi ~> jobs ~> w\n",
    fix: "Send the messages consumers give up on to a dead-letter queue, and say so: `jobs: queue { dead_letter true }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| {
            let c = &cx.design.components[id];
            c.kind.is_broker() && cx.has_outgoing[id] && c.dead_letter != Some(true)
        })
        .map(|id| {
            let c = &cx.design.components[id];
            let span = c.span_at(&["dead_letter"]);
            Finding::new(
                &RULE,
                &c.id,
                format!(
                    "{} `{}` has consumers and no dead-letter queue",
                    c.kind.name(),
                    c.id
                ),
                span,
            )
            .with_label("a message its consumers cannot process is retried forever or lost")
            .with_help(format!(
                "set failed messages aside in a dead-letter queue: {}",
                c.declared_with("dead_letter true")
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn fires_on_a_consumed_broker_without_a_dead_letter_queue() {
        let design =
            |jobs: &str| format!("api: service\njobs: {jobs}\nw: worker\napi ~> jobs ~> w\n");
        assert_eq!(ids(&RULE, &design("queue")), ["STR208@jobs"]);
        assert_eq!(
            ids(&RULE, &design("stream { dead_letter false }")),
            ["STR208@jobs"]
        );
        assert!(ids(&RULE, &design("queue { dead_letter true }")).is_empty());
    }

    #[test]
    fn quiet_on_a_broker_nothing_consumes() {
        assert!(ids(&RULE, "api: service\njobs: queue\napi ~> jobs\n").is_empty());
    }
}
