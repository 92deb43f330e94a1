//! AVL107 sync-chain-too-deep.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::analysis::order::forward_order;
use crate::diagnostics::Severity;
use crate::model::ComponentId;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "AVL107",
    name: "sync-chain-too-deep",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A chain of synchronous calls between services is deeper than the limit (`max_sync_depth`, default 3).",
    why: "Every synchronous hop adds its latency and multiplies in its availability (guide §5 targets; 001's series arithmetic): deep chains are slow, fragile, and hard to debug. The guide's deep dive asks where to decouple with queues.",
    example: "web: client\na: service\nb: service\nc: service\nd: service\ne: service\nweb -> a -> b -> c -> d -> e\n",
    fix: "Flatten the chain (call services in parallel from one orchestrator), make downstream steps asynchronous through a queue, or raise the limit: `lint { max_sync_depth 5 }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let n = cx.design.components.len();
    let mut calls: Vec<Vec<ComponentId>> = vec![Vec::new(); n];
    for flow in &cx.design.flows {
        let (from, to) = (
            &cx.design.components[flow.from],
            &cx.design.components[flow.to],
        );
        if flow.mode == FlowMode::Sync && is_workload(from.kind) && is_workload(to.kind) {
            calls[flow.from].push(flow.to);
        }
    }
    let order = forward_order(0..n, |c| &calls[c]);
    let mut position = vec![0; n];
    for (index, &c) in order.iter().enumerate() {
        position[c] = index;
    }
    // Longest chain of calls from each component, and the next one on it.
    let mut depth = vec![0usize; n];
    let mut next: Vec<Option<ComponentId>> = vec![None; n];
    for &node in order.iter().rev() {
        for &callee in &calls[node] {
            if position[callee] > position[node] && depth[callee] + 1 > depth[node] {
                depth[node] = depth[callee] + 1;
                next[node] = Some(callee);
            }
        }
    }
    let Some(start) = (0..n).max_by_key(|&c| (depth[c], std::cmp::Reverse(c))) else {
        return Vec::new();
    };
    let hops = depth[start];
    if hops <= cx.options.max_sync_depth {
        return Vec::new();
    }
    let mut chain = vec![start];
    while let Some(callee) = next[*chain.last().unwrap()] {
        chain.push(callee);
    }
    let first = cx
        .design
        .flows
        .iter()
        .find(|f| f.from == chain[0] && f.to == chain[1] && f.mode == FlowMode::Sync)
        .expect("the chain follows sync flows");
    let names: Vec<&str> = chain.iter().map(|&c| cx.id(c)).collect();
    vec![Finding::new(
        &RULE,
        &cx.flow_subject(first),
        format!(
            "{hops} synchronous calls in a row, more than {}",
            cx.options.max_sync_depth
        ),
        first.span.clone(),
    )
    .with_label(format!("the chain starts here: {}", names.join(" → ")))]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_the_deepest_chain_at_its_first_hop() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL107@a->b"]);
    }

    #[test]
    fn the_limit_is_configurable() {
        assert!(ids(
            &RULE,
            &format!("{}lint {{ max_sync_depth 4 }}\n", RULE.example)
        )
        .is_empty());
    }
}
