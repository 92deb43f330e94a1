//! AVL106 sync-call-cycle.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::{Flow, Kind};
use crate::syntax::ast::FlowMode;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

pub const RULE: Rule = Rule {
    code: "AVL106",
    name: "sync-call-cycle",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "Components call each other synchronously in a cycle.",
    why: "A synchronous cycle lets one slow component hold threads in every member of the loop until all are exhausted (the guide's §2 reliability pillar: isolate failures, avoid cascades), and no member can be deployed or scaled independently. A loop through a client or an external system (a customer receiving the mail a service sends) holds no threads of ours and is not reported.",
    example: "web: client\na: service\nb: service\nweb -> a -> b\nb -> a\n",
    fix: "Break the loop: make one direction asynchronous through a queue (`b ~> q ~> a`), or move the shared logic into one service.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let mut graph: DiGraph<(), usize> = DiGraph::new();
    for _ in &cx.design.components {
        graph.add_node(());
    }
    // A person or a system outside ours closes no loop of threads held in our services: a
    // customer who receives the mail the service sends is not calling it back while waiting.
    let outside =
        |id: usize| matches!(cx.design.components[id].kind, Kind::Client | Kind::External);
    for (index, flow) in cx.design.flows.iter().enumerate() {
        if flow.mode == FlowMode::Sync && !outside(flow.from) && !outside(flow.to) {
            graph.add_edge(NodeIndex::new(flow.from), NodeIndex::new(flow.to), index);
        }
    }
    let mut cycles: Vec<Vec<usize>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|members| members.len() >= 2)
        .map(|members| {
            let mut members: Vec<usize> = members.into_iter().map(NodeIndex::index).collect();
            members.sort_unstable();
            members
        })
        .collect();
    cycles.sort();
    // The flows inside each cycle, in declaration order, found in one pass over the flows.
    let mut cycle_of: Vec<Option<usize>> = vec![None; cx.design.components.len()];
    for (index, members) in cycles.iter().enumerate() {
        for &member in members {
            cycle_of[member] = Some(index);
        }
    }
    let mut inside: Vec<Vec<&Flow>> = vec![Vec::new(); cycles.len()];
    for flow in &cx.design.flows {
        if let (FlowMode::Sync, Some(cycle)) = (flow.mode, cycle_of[flow.from]) {
            if cycle_of[flow.to] == Some(cycle) {
                inside[cycle].push(flow);
            }
        }
    }
    cycles
        .iter()
        .zip(inside)
        .map(|(members, flows)| {
            let (first, rest) = flows
                .split_first()
                .expect("a strongly connected component of two or more has an edge");
            let names: Vec<String> = members.iter().map(|&m| format!("`{}`", cx.id(m))).collect();
            rest.iter().fold(
                Finding::new(
                    &RULE,
                    &cx.flow_subject(first),
                    format!("synchronous call cycle between {}", names.join(", ")),
                    first.span.clone(),
                )
                .with_label("part of the cycle"),
                |finding, flow| finding.with_related(flow.span.clone(), "and this"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_each_cycle_once_at_its_first_flow() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL106@a->b"]);
    }

    #[test]
    fn a_loop_through_a_client_or_an_external_is_no_cycle() {
        let through_client = "customer: client\nweb: service\napi: service\nmail: external\n\
            customer -> web -> api -> mail -> customer\n";
        assert!(ids(&RULE, through_client).is_empty());
        let through_external = "web: client\na: service\npsp: external\nweb -> a -> psp -> a\n";
        assert!(ids(&RULE, through_external).is_empty());
    }

    #[test]
    fn a_loop_among_services_beside_a_client_still_fires() {
        let text = "customer: client\nweb: service\napi: service\ncustomer -> web -> api -> web\n";
        assert_eq!(ids(&RULE, text), ["AVL106@web->api"]);
    }

    #[test]
    fn an_async_way_back_is_no_cycle() {
        assert!(ids(
            &RULE,
            "web: client\na: service\nb: service\nq: queue\nweb -> a -> b\nb ~> q ~> a\n"
        )
        .is_empty());
    }
}
