//! AVL107 sync-chain-too-deep.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
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
    let mut depth: Vec<Option<(usize, Option<ComponentId>)>> = vec![None; n];
    let mut on_stack = vec![false; n];
    for start in 0..n {
        longest_from(start, &calls, &mut depth, &mut on_stack);
    }
    let deepest = (0..n).max_by_key(|&c| (depth[c].map_or(0, |d| d.0), std::cmp::Reverse(c)));
    let Some(start) = deepest else {
        return Vec::new();
    };
    let hops = depth[start].map_or(0, |d| d.0);
    if hops <= cx.options.max_sync_depth {
        return Vec::new();
    }
    let mut chain = vec![start];
    while let Some((_, Some(next))) = depth[*chain.last().unwrap()] {
        chain.push(next);
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

/// The longest chain of calls from `at` (cycles are cut; AVL106 reports them).
fn longest_from(
    at: ComponentId,
    calls: &[Vec<ComponentId>],
    depth: &mut [Option<(usize, Option<ComponentId>)>],
    on_stack: &mut [bool],
) -> usize {
    if let Some((hops, _)) = depth[at] {
        return hops;
    }
    if on_stack[at] {
        return 0;
    }
    on_stack[at] = true;
    let mut best = (0, None);
    for &next in &calls[at] {
        let hops = 1 + longest_from(next, calls, depth, on_stack);
        if hops > best.0 {
            best = (hops, Some(next));
        }
    }
    on_stack[at] = false;
    depth[at] = Some(best);
    best.0
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
