//! LAT401 latency-budget-exceeded.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::ComponentId;

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
    let n = cx.design.components.len();
    let mut memo: Vec<Option<(f64, Option<ComponentId>)>> = vec![None; n];
    let mut on_stack = vec![false; n];
    let worst = cx
        .analysis
        .entries
        .iter()
        .map(|&entry| (slowest_from(cx, entry, &mut memo, &mut on_stack), entry))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let Some((total, entry)) = worst else {
        return Vec::new();
    };
    if total <= budget {
        return Vec::new();
    }
    let mut path = vec![entry];
    while let Some((_, Some(next))) = memo[*path.last().unwrap()] {
        path.push(next);
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

/// The largest sum of component and flow latencies from `at` along hard dependencies.
fn slowest_from(
    cx: &Context,
    at: ComponentId,
    memo: &mut [Option<(f64, Option<ComponentId>)>],
    on_stack: &mut [bool],
) -> f64 {
    if let Some((total, _)) = memo[at] {
        return total;
    }
    if on_stack[at] {
        return 0.0;
    }
    on_stack[at] = true;
    let own = cx.design.components[at].latency.unwrap_or(0.0);
    let mut best = (own, None);
    for &next in cx.analysis.request.successors(at) {
        let hop = cx
            .design
            .flows
            .iter()
            .filter(|f| f.from == at && f.to == next)
            .filter_map(|f| f.latency)
            .fold(0.0, f64::max);
        let total = own + hop + slowest_from(cx, next, memo, on_stack);
        if total > best.0 {
            best = (total, Some(next));
        }
    }
    on_stack[at] = false;
    memo[at] = Some(best);
    best.0
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
