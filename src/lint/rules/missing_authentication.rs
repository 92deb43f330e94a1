//! REQ003 missing-authentication.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "REQ003",
    name: "missing-authentication",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Requests from clients reach services, and nothing in the design authenticates them.",
    why: "An authentication service is on the guide's \"Every Architecture Needs\" card and in the §4 core components diagram (AUTH beside the services); without one every service trusts whatever arrives.",
    example: "web: client\napi: service\nweb -> api\n",
    fix: "Add an `auth` component the gateway or services call (`api -> auth`), or declare that the gateway authenticates: `features [auth]`.",
    check,
};

const AUTH_FEATURES: [&str; 6] = ["auth", "authentication", "oauth", "oidc", "jwt", "mtls"];

fn check(cx: &Context) -> Vec<Finding> {
    let authenticates = cx.design.components.iter().any(|c| {
        c.kind == Kind::Auth
            || c.features
                .iter()
                .any(|f| AUTH_FEATURES.contains(&f.to_ascii_lowercase().as_str()))
    });
    let clients_reach_services = cx
        .design
        .components
        .iter()
        .enumerate()
        .any(|(id, c)| is_workload(c.kind) && cx.on_request_path[id]);
    if authenticates || !clients_reach_services {
        return Vec::new();
    }
    vec![Finding::new(
        &RULE,
        "system",
        "nothing authenticates requests",
        cx.system_span(),
    )
    .with_label("no `auth` component, and no component with `features [auth]`")]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn an_auth_component_or_an_authenticating_gateway_is_enough() {
        assert!(ids(
            &RULE,
            "web: client\napi: service\nauth: auth\nweb -> api -> auth\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "web: client\ngw: gateway { features [jwt] }\napi: service\nweb -> gw -> api\n"
        )
        .is_empty());
    }
}
