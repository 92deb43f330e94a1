//! LAT401 latency-budget-exceeded.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::order::forward_order;
use crate::diagnostics::Severity;
use crate::model::ComponentId;
use rustc_hash::FxHashMap;

pub const RULE: Rule = Rule {
    code: "LAT401",
    name: "latency-budget-exceeded",
    area: Area::Latency,
    severity: Severity::Warning,
    summary: "The declared latencies along a request path add up to more than the system's p99 target.",
    why: "The guide's §5 sets latency targets per system type (e-commerce checkout p99 < 1 s, social feed < 500 ms…); synchronous hops add up, so a path whose declared latencies already exceed the target will miss it.",
    example: "system \"Feed\" { p99 300ms }\nweb: client\napi: service { latency 120ms }\ndb: database { latency 250ms }\nweb -> api -> db\n",
    fix: "Shorten the path (cache the slow read, call in parallel, move work to a queue), or declare a target the path can meet.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(budget) = cx.design.system.p99 else {
        return Vec::new();
    };
    let (slowest, next) = slowest_paths(cx);
    let worst = cx
        .analysis
        .entries
        .iter()
        .map(|&entry| (slowest[entry], entry))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let Some((total, entry)) = worst else {
        return Vec::new();
    };
    if total <= budget {
        return Vec::new();
    }
    let mut path = vec![entry];
    while let Some(after) = next[*path.last().unwrap()] {
        path.push(after);
    }
    let names: Vec<&str> = path.iter().map(|&c| cx.id(c)).collect();
    vec![Finding::new(
        &RULE,
        "system",
        format!("declared latencies add up to {total:.0} ms on one path, over the p99 target of {budget:.0} ms"),
        cx.system_span(),
    )
    .with_label(format!("the slowest path: {}", names.join(" → ")))]
}

/// For each component, the largest sum of component and flow latencies from it along
/// hard dependencies, and the next component on that path.
fn slowest_paths(cx: &Context) -> (Vec<f64>, Vec<Option<ComponentId>>) {
    let n = cx.design.components.len();
    let mut hop: FxHashMap<(ComponentId, ComponentId), f64> = FxHashMap::default();
    for flow in &cx.design.flows {
        let latency = hop.entry((flow.from, flow.to)).or_insert(0.0);
        *latency = latency.max(flow.latency.unwrap_or(0.0));
    }
    let request = &cx.analysis.request;
    let order = forward_order(cx.analysis.entries.iter().copied(), |c| {
        request.successors(c)
    });
    let mut position = vec![usize::MAX; n];
    for (index, &c) in order.iter().enumerate() {
        position[c] = index;
    }
    let mut slowest: Vec<f64> = cx
        .design
        .components
        .iter()
        .map(|c| c.latency.unwrap_or(0.0))
        .collect();
    let mut next = vec![None; n];
    for &node in order.iter().rev() {
        let own = slowest[node];
        for &after in request.successors(node) {
            if position[after] <= position[node] {
                continue;
            }
            let total = own + hop[&(node, after)] + slowest[after];
            if total > slowest[node] {
                slowest[node] = total;
                next[node] = Some(after);
            }
        }
    }
    (slowest, next)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_within_budget_or_without_a_target() {
        assert!(ids(&RULE, &RULE.example.replace("300ms", "400ms")).is_empty());
        assert!(ids(&RULE, &RULE.example.replace("{ p99 300ms }", "")).is_empty());
    }
}
