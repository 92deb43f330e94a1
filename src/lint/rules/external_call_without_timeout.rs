//! AVL114 external-call-without-timeout.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "AVL114",
    name: "external-call-without-timeout",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A synchronous call to an external system declares neither a timeout nor a circuit breaker.",
    why: "An external system fails and slows down on its own schedule; a caller that waits on it without a bound holds a thread, a connection and the user's request for as long as it hangs, until the caller fails too. The guide's reliability questions (§2, SACRED \"R\": \"Circuit breaker patterns? Retry policies?\") and its deep-dive list (§11: retry strategies, circuit breakers) ask how each such call is bounded.",
    example: "web: client\napi: service { replicas 2 }\npsp: external \"Payment provider\"\nweb -> api -> psp\n",
    fix: "Declare how the call is bounded: `api -> psp { timeout 2s; retries 2; circuit_breaker true }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let kind = |id: usize| cx.design.components[id].kind;
    cx.design
        .flows
        .iter()
        .filter(|f| {
            f.mode == FlowMode::Sync
                && kind(f.to) == Kind::External
                && !matches!(kind(f.from), Kind::Client | Kind::External)
                && f.timeout.is_none()
                && f.circuit_breaker != Some(true)
        })
        .map(|flow| {
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!(
                    "{} waits on an external system with no timeout or circuit breaker",
                    cx.flow_name(flow)
                ),
                flow.span.clone(),
            )
            .with_label(format!(
                "`{}` hangs as long as `{}` does",
                cx.id(flow.from),
                cx.id(flow.to)
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    const DESIGN: &str =
        "web: client\napi: service { replicas 2 }\npsp: external\nq: queue { managed true }\nweb -> api\n";

    #[test]
    fn fires_on_an_unbounded_synchronous_call() {
        let call = format!("{DESIGN}api -> psp\n");
        assert_eq!(ids(&RULE, &call), ["AVL114@api->psp"]);
        let breaker_off = format!("{DESIGN}api -> psp {{ circuit_breaker false; retries 3 }}\n");
        assert_eq!(ids(&RULE, &breaker_off), ["AVL114@api->psp"]);
    }

    #[test]
    fn quiet_with_a_bound_or_off_the_callers_thread() {
        for flow in [
            "api -> psp { timeout 2s }",
            "api -> psp { circuit_breaker true }",
            "api ~> psp",
            "psp -> api",
            "web -> psp",
        ] {
            assert!(
                ids(&RULE, &format!("{DESIGN}{flow}\n")).is_empty(),
                "{flow}"
            );
        }
    }
}
