//! STR205 unreachable-component.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use std::collections::VecDeque;

pub const RULE: Rule = Rule {
    code: "STR205",
    name: "unreachable-component",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A component has flows, but no flow from any entry point (client or calling-in external system) reaches it.",
    why: "A component no request or message can reach is either dead weight in the design or a sign of a missing flow, and the analysis cannot judge its availability. Observability components are fed implicitly by every service and are exempt.",
    example: "web: client\napi: service\nreport: service\ndb: database\nweb -> api -> db\nreport -> db\n",
    fix: "Add the flow that reaches it (for example from the gateway or a queue), or remove it.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let n = cx.design.components.len();
    let mut successors = vec![Vec::new(); n];
    for flow in &cx.design.flows {
        successors[flow.from].push(flow.to);
    }
    let mut reached = vec![false; n];
    let mut queue: VecDeque<usize> = cx.analysis.entries.iter().copied().collect();
    for &entry in &cx.analysis.entries {
        reached[entry] = true;
    }
    while let Some(at) = queue.pop_front() {
        for &next in &successors[at] {
            if !std::mem::replace(&mut reached[next], true) {
                queue.push_back(next);
            }
        }
    }
    (0..n)
        .filter(|&id| {
            (cx.has_incoming[id] || cx.has_outgoing[id])
                && !reached[id]
                && !cx.design.components[id].kind.is_observability()
        })
        .map(|id| {
            Finding::new(
                &RULE,
                cx.id(id),
                format!("no flow from an entry point reaches `{}`", cx.id(id)),
                cx.span(id),
            )
            .with_label("unreachable from every client")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn async_flows_count_as_reaching() {
        let text = "web: client\napi: service\nq: queue\nw: worker\nweb -> api ~> q ~> w\n";
        assert!(ids(&RULE, text).is_empty());
        assert_eq!(ids(&RULE, RULE.example), ["STR205@report"]);
    }
}
