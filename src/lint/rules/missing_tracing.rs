//! REQ009 missing-tracing.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "REQ009",
    name: "missing-tracing",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Three or more services call each other synchronously and the design has no tracing.",
    why: "Distributed tracing is the third of the guide's three pillars (§10): once a request crosses several services, logs and metrics no longer say which hop made it slow or failed.",
    example: "web: client\na: service\nb: service\nc: service\nweb -> a -> b -> c\n",
    fix: "Add a `tracing` component to the observability tier, e.g. `jaeger: tracing \"Jaeger\"`.",
    check,
};

fn is_service_like(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Service | Kind::Auth | Kind::Gateway | Kind::Worker
    )
}

fn check(cx: &Context) -> Vec<Finding> {
    if cx.has_kind(Kind::Tracing) {
        return Vec::new();
    }
    let mut talking = vec![false; cx.design.components.len()];
    for flow in &cx.design.flows {
        let from = cx.design.components[flow.from].kind;
        let to = cx.design.components[flow.to].kind;
        if flow.mode == FlowMode::Sync && is_service_like(from) && is_service_like(to) {
            talking[flow.from] = true;
            talking[flow.to] = true;
        }
    }
    let count = talking.iter().filter(|&&t| t).count();
    if count < 3 {
        return Vec::new();
    }
    vec![Finding::new(
        &RULE,
        "system",
        format!("{count} services call each other synchronously and nothing traces requests"),
        cx.system_span(),
    )
    .lacking(Kind::Tracing)]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_with_tracing_or_few_services() {
        assert!(ids(&RULE, &format!("{}j: tracing\n", RULE.example)).is_empty());
        assert!(ids(
            &RULE,
            "web: client\na: service\nb: service\nweb -> a -> b\n"
        )
        .is_empty());
    }
}
