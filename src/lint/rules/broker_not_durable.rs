//! AVL113 broker-not-durable.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "AVL113",
    name: "broker-not-durable",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A queue or stream that nobody runs for you keeps its messages on one instance.",
    why: "The guide decouples work through a message queue (§4) so that it survives the failure of whoever handles it; its reliability questions (§2, SACRED \"R\") ask for data durability. A broker on one node loses every message it holds when that node's disk goes, and stops every producer while it is down: the work the queue was there to protect.",
    example: "web: client\napi: service { replicas 2 }\nq: queue\nw: worker { replicas 2 }\nweb -> api ~> q ~> w\n",
    fix: "Replicate the broker (`replicas 3`: a Kafka replication factor of 3, a RabbitMQ quorum queue), or use a provider-run one (`managed true`: SQS, Pub/Sub, Event Hubs).",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .components
        .iter()
        .filter(|c| c.kind.is_broker() && !c.managed && c.replicas < 2)
        .map(|c| {
            let span = c.span_at(&["replicas"]);
            Finding::new(
                &RULE,
                &c.id,
                format!(
                    "{} `{}` keeps its messages on one instance",
                    c.kind.name(),
                    c.id
                ),
                span,
            )
            .with_label("one disk lost is every message in it lost")
            .with_help(format!(
                "replicate it: {}, or run it managed: `managed true`",
                c.declared_with("replicas 3")
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn fires_on_a_single_self_run_broker() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL113@q"]);
        let stream = "s: stream { replicas 1 }\n";
        assert_eq!(ids(&RULE, stream), ["AVL113@s"]);
    }

    #[test]
    fn quiet_when_replicated_or_managed() {
        for quiet in [
            "q: queue { replicas 3 }\n",
            "q: queue { managed true }\n",
            "db: database\n",
        ] {
            assert!(ids(&RULE, quiet).is_empty(), "{quiet}");
        }
    }
}
