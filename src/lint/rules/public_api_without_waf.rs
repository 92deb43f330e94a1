//! SEC303 public-api-without-waf.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "SEC303",
    name: "public-api-without-waf",
    area: Area::Security,
    severity: Severity::Info,
    summary: "Clients reach a public API and nothing in the design is a web application firewall.",
    why: "The guide's defense in depth (§9) and its banking template's security perimeter (§6.3) put a WAF in front of public endpoints to stop injection, bots and floods before they reach application code.",
    example: "web: client\napi: gateway { replicas 2 }\nweb -> api\n",
    fix: "Add a `waf` in front of the gateway (`web -> waf -> api`), or declare the one built into it: `features [waf]`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let protected =
        cx.design.components.iter().any(|c| {
            c.kind == Kind::Waf || c.features.iter().any(|f| f.eq_ignore_ascii_case("waf"))
        });
    let public_api =
        cx.design.components.iter().enumerate().find(|(id, c)| {
            matches!(c.kind, Kind::Gateway | Kind::Service) && cx.on_request_path[*id]
        });
    match public_api {
        Some((id, _)) if !protected => vec![Finding::new(
            &RULE,
            "system",
            "no web application firewall protects the public API",
            cx.system_span(),
        )
        .with_label("no `waf` component, and no `features [waf]`")
        .with_related(cx.span(id), "reached from outside")],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn a_waf_or_a_gateway_feature_protects() {
        assert!(ids(
            &RULE,
            "web: client\nwaf: waf\napi: gateway\nweb -> waf -> api\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "web: client\napi: gateway { features [waf] }\nweb -> api\n"
        )
        .is_empty());
    }
}
