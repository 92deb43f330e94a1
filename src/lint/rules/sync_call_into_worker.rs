//! STR207 sync-call-into-worker.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "STR207",
    name: "sync-call-into-worker",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A component calls a worker synchronously.",
    why: "Workers exist to take slow or deferrable work off the request path (the guide's §4 diagram feeds WORKERS from the QUEUE); calling one synchronously puts that work back on the path, with none of the queue's buffering or retries.",
    example: "web: client\napi: service\nw: worker\nweb -> api -> w\n",
    fix: "Hand the work over through a queue (`api ~> jobs ~> w`), or declare it a `service` if callers need the answer now.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .flows
        .iter()
        .filter(|f| f.mode == FlowMode::Sync && cx.design.components[f.to].kind == Kind::Worker)
        .map(|flow| {
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!("{} calls a worker synchronously", cx.flow_name(flow)),
                flow.span.clone(),
            )
            .with_label("work on the request path")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_through_a_queue() {
        assert!(ids(
            &RULE,
            "web: client\napi: service\nq: queue\nw: worker\nweb -> api ~> q ~> w\n"
        )
        .is_empty());
    }
}
