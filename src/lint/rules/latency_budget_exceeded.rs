//! LAT401 latency-budget-exceeded.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::journey_name;
use crate::analysis::order::forward_order;
use crate::diagnostics::Severity;
use crate::model::ComponentId;
use rustc_hash::FxHashMap;

pub const RULE: Rule = Rule {
    code: "LAT401",
    name: "latency-budget-exceeded",
    area: Area::Latency,
    severity: Severity::Warning,
    summary: "The declared latencies along a request path (or a declared journey's critical path) add up to more than the p99 target.",
    why: "The guide's §5 sets latency targets per system type (e-commerce checkout p99 < 1 s, social feed < 500 ms…); synchronous hops add up, so a path whose declared latencies already exceed the target will miss it.",
    example: "system \"Feed\" { p99 300ms }\nweb: client\napi: service { latency 120ms }\ndb: database { latency 250ms }\nweb -> api -> db\n",
    fix: "Shorten the path (cache the slow read, call in parallel, move work to a queue), or declare a target the path can meet.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if !cx.design.journeys.is_empty() {
        return declared(cx);
    }
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

/// Each declared journey whose critical path is over its own p99 (or the system's).
fn declared(cx: &Context) -> Vec<Finding> {
    cx.declared_journeys()
        .filter_map(|(journey, path)| {
            let (critical, budget) = (path.latency.as_ref()?, path.latency_target(cx.design)?);
            let names: Vec<&str> = critical.components.iter().map(|&c| cx.id(c)).collect();
            (critical.milliseconds > budget).then(|| {
                Finding::new(
                    &RULE,
                    &journey.id,
                    format!(
                        "journey {}: declared latencies add up to {:.0} ms, over its p99 target of {budget:.0} ms",
                        journey_name(journey),
                        critical.milliseconds
                    ),
                    journey.id_span.clone(),
                )
                .with_label(format!("its critical path: {}", names.join(" → ")))
            })
        })
        .collect()
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

    #[test]
    fn a_declared_journey_is_held_to_its_own_p99_or_else_the_systems() {
        let text = format!(
            "{}journey read {{ web -> api -> db; p99 400ms }}\njourney write {{ web -> api -> db }}\njourney ping {{ web -> api }}\n",
            RULE.example
        );
        // 120 + 250 ms: within read's 400 ms, over the system's 300 ms; ping is 120 ms.
        assert_eq!(ids(&RULE, &text), ["LAT401@write"]);
    }
}
