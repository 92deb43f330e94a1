//! LAT402 sync-fan-out-too-wide.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::{listed, Severity};
use crate::model::ComponentId;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "LAT402",
    name: "sync-fan-out-too-wide",
    area: Area::Latency,
    severity: Severity::Warning,
    summary: "A service makes more synchronous calls than the limit (`max_sync_fan_out`, default 5) that it cannot do without.",
    why: "A request that waits on every one of N calls is as slow as the slowest of them: with each call over its p99 one time in a hundred, ten calls put one request in ten in the tail, against the p99 targets of the guide's §5; and its availability is the product of all of theirs (guide 001's series arithmetic). The guide's deep dive (§3) asks where the bottlenecks are and where to decouple with queues. Gateways and other routers dispatch each request to one of their services and are not counted.",
    example: "web: client\napi: service { replicas 2 }\na: service\nb: service\nc: service\nd: service\ne: service\nf: service\nweb -> api -> a, b, c, d, e, f\n",
    fix: "Fetch what can wait asynchronously (publish to a queue), read what changes rarely from a cache or a read model built ahead of time, mark calls the service can do without `optional true`, or raise the limit: `lint { max_sync_fan_out 8 }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let components = &cx.design.components;
    let mut callees: Vec<Vec<ComponentId>> = vec![Vec::new(); components.len()];
    for flow in &cx.design.flows {
        let caller = &components[flow.from];
        let needed = flow.mode == FlowMode::Sync
            && !flow.optional
            && !components[flow.to].kind.is_observability();
        if needed && is_workload(caller.kind) && !caller.is_router() {
            callees[flow.from].push(flow.to);
        }
    }
    callees
        .into_iter()
        .enumerate()
        .filter_map(|(caller, mut called)| {
            called.sort_unstable();
            called.dedup();
            (called.len() > cx.options.max_sync_fan_out).then(|| finding(cx, caller, &called))
        })
        .collect()
}

fn finding(cx: &Context, caller: ComponentId, called: &[ComponentId]) -> Finding {
    let names: Vec<&str> = called.iter().map(|&c| cx.id(c)).collect();
    Finding::new(
        &RULE,
        cx.id(caller),
        format!(
            "`{}` waits on {} synchronous calls, more than {}",
            cx.id(caller),
            called.len(),
            cx.options.max_sync_fan_out
        ),
        cx.span(caller),
    )
    .with_label(format!("calls {}", listed(&names, "nothing")))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn counts_each_service_called_once() {
        let found = findings(&format!("{}api -> a\n", RULE.example));
        let finding = found.iter().find(|f| f.code() == "LAT402").unwrap();
        assert_eq!(finding.id, "LAT402@api");
        assert_eq!(
            finding.diagnostic.message,
            "`api` waits on 6 synchronous calls, more than 5"
        );
        assert_eq!(finding.diagnostic.primary.message, "calls a, b, c, d, e, f");
    }

    #[test]
    fn optional_and_asynchronous_calls_do_not_count() {
        let optional = RULE
            .example
            .replace("e, f\n", "e\napi -> f { optional true }\n");
        assert!(ids(&RULE, &optional).is_empty());
        let published = RULE
            .example
            .replace("e, f\n", "e\nq: queue { managed true }\napi ~> q ~> f\n");
        assert!(ids(&RULE, &published).is_empty());
    }

    #[test]
    fn routers_dispatch_and_the_limit_is_configurable() {
        let gateway = RULE.example.replace("api: service", "api: gateway");
        assert!(ids(&RULE, &gateway).is_empty());
        let routing = RULE
            .example
            .replace("{ replicas 2 }", "{ replicas 2; features [routing] }");
        assert!(ids(&RULE, &routing).is_empty());
        let raised = format!("{}lint {{ max_sync_fan_out 6 }}\n", RULE.example);
        assert!(ids(&RULE, &raised).is_empty());
    }
}
