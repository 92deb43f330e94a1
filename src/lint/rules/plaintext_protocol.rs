//! SEC301 plaintext-protocol.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "SEC301",
    name: "plaintext-protocol",
    area: Area::Security,
    severity: Severity::Error,
    summary: "A flow from the client or edge tier inward uses a plaintext protocol.",
    why: "The guide's defense in depth (§9) encrypts in transit: traffic that leaves the client or crosses the edge travels networks the system does not control, where plaintext can be read and altered. Behind a load balancer or gateway that terminates TLS the traffic is inside the network, the pattern the guide draws (\"SSL Term\" at the gateway, §6.1), and is not reported.",
    example: "web: client\napi: gateway { replicas 2 }\nweb -> api { protocol http }\n",
    fix: "Use the encrypted form: `https`, `wss`, `grpcs`/`grpc` over TLS, `mqtts`, `amqps`, `ftps`/`sftp`, `ldaps`.",
    check,
};

/// Protocols that carry data unencrypted, and what to use instead.
const PLAINTEXT: [(&str, &str); 9] = [
    ("http", "https"),
    ("ws", "wss"),
    ("ftp", "sftp"),
    ("telnet", "ssh"),
    ("mqtt", "mqtts"),
    ("amqp", "amqps"),
    ("smtp", "smtps"),
    ("ldap", "ldaps"),
    ("coap", "coaps"),
];

fn is_outer(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Client
            | Kind::External
            | Kind::Cdn
            | Kind::Dns
            | Kind::Waf
            | Kind::LoadBalancer
            | Kind::Gateway
    )
}

/// A load balancer or gateway that terminates TLS talks to what sits behind it inside the
/// network, which is the pattern the guide draws ("SSL Term" at the gateway, §6.1); a CDN
/// or WAF fetches from its origin across networks the system does not control.
fn past_tls_termination(from: Kind, to: Kind) -> bool {
    matches!(from, Kind::LoadBalancer | Kind::Gateway)
        && !matches!(
            to,
            Kind::Client | Kind::External | Kind::Cdn | Kind::Dns | Kind::Waf
        )
}

fn check(cx: &Context) -> Vec<Finding> {
    let kind = |id: usize| cx.design.components[id].kind;
    cx.design
        .flows
        .iter()
        .filter(|flow| {
            is_outer(kind(flow.from)) && !past_tls_termination(kind(flow.from), kind(flow.to))
        })
        .filter_map(|flow| {
            let protocol = flow.protocol.as_deref()?.to_ascii_lowercase();
            let (_, secure) = PLAINTEXT.iter().find(|(plain, _)| *plain == protocol)?;
            Some(
                Finding::new(
                    &RULE,
                    &cx.flow_subject(flow),
                    format!("{} uses plaintext `{protocol}`", cx.flow_name(flow)),
                    flow.span.clone(),
                )
                .with_label("unencrypted across the edge")
                .with_help(format!("use `protocol {secure}`")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_for_encrypted_and_internal_flows() {
        assert!(ids(
            &RULE,
            "web: client\napi: gateway\nweb -> api { protocol https }\n"
        )
        .is_empty());
        assert!(ids(&RULE, "web: client\na: service\nb: service\nweb -> a { protocol https }\na -> b { protocol http }\n").is_empty());
    }

    #[test]
    fn quiet_behind_the_load_balancer_that_terminates_tls() {
        let text = "web: client\nlb: load_balancer\napp: service\n\
            web -> lb { protocol https }\nlb -> app { protocol http }\n";
        assert!(ids(&RULE, text).is_empty());
    }

    #[test]
    fn fires_where_plaintext_crosses_networks_beyond_the_edge() {
        let text = "web: client\ncdn: cdn\nlb: load_balancer\npsp: external\n\
            web -> cdn { protocol https }\ncdn -> lb { protocol http }\nlb -> psp { protocol http }\n";
        assert_eq!(ids(&RULE, text), ["SEC301@cdn->lb", "SEC301@lb->psp"]);
    }
}
