//! SEC305 missing-ddos-protection.

use super::super::{Area, Context, Finding, Rule};
use super::{declares_feature, unguarded_way_in, way};
use crate::diagnostics::Severity;
use crate::model::{Component, Kind};

pub const RULE: Rule = Rule {
    code: "SEC305",
    name: "missing-ddos-protection",
    area: Area::Security,
    severity: Severity::Warning,
    summary: "Clients reach the system with no CDN, WAF or DDoS protection on the way in.",
    why: "DDoS protection is in the perimeter layer of the guide's defense in depth (§9), and its banking template puts a DDoS Protect box beside the WAF in the security perimeter (§6.3): a flood that reaches the load balancer or the services directly takes the system down for everyone, whatever its replicas.",
    example: "web: client\nlb: load_balancer { managed true }\napi: service { replicas 2 }\nweb -> lb -> api\n",
    fix: "Put a CDN or WAF in front (`web -> cdn -> lb`), or declare the protection the edge has (AWS Shield, Cloudflare, Azure DDoS Protection): `features [ddos_protection]`.",
    check,
};

/// A CDN or a WAF absorbs or filters a flood; so does whatever declares that it does.
fn absorbs_floods(component: &Component) -> bool {
    matches!(component.kind, Kind::Cdn | Kind::Waf)
        || declares_feature(component, "waf")
        || declares_feature(component, "ddos")
}

/// Ours to protect: not the clients and external systems, not the DNS provider (which
/// answers floods of its own), nor the observability layer requests never reach.
fn exposed(component: &Component) -> bool {
    !matches!(component.kind, Kind::Client | Kind::External | Kind::Dns)
        && !component.kind.is_observability()
}

fn check(cx: &Context) -> Vec<Finding> {
    let Some(unprotected) = unguarded_way_in(cx, absorbs_floods, exposed) else {
        return Vec::new();
    };
    let reached = *unprotected.last().expect("a way has an end");
    vec![Finding::new(
        &RULE,
        "system",
        "requests from clients reach the system with no DDoS protection on the way in",
        cx.system_span(),
    )
    .with_label("no `cdn`, no `waf`, and nothing in front declares `features [ddos_protection]`")
    .with_related(
        cx.span(reached),
        format!("reached unprotected: {}", way(cx, &unprotected)),
    )]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn names_the_first_component_a_flood_reaches() {
        let found = findings(RULE.example);
        let finding = found.iter().find(|f| f.code() == "SEC305").unwrap();
        assert_eq!(finding.id, "SEC305@system");
        assert_eq!(
            finding.diagnostic.related[0].message,
            "reached unprotected: `web` → `lb`"
        );
    }

    #[test]
    fn quiet_behind_a_cdn_a_waf_or_declared_protection() {
        let behind_cdn =
            "web: client\ncdn: cdn { managed true }\nlb: load_balancer { managed true }\n\
            api: service { replicas 2 }\nweb -> cdn -> lb -> api\n";
        assert!(ids(&RULE, behind_cdn).is_empty());
        for features in ["waf", "ddos_protection"] {
            let protected = RULE.example.replace(
                "managed true",
                &format!("managed true; features [{features}]"),
            );
            assert!(ids(&RULE, &protected).is_empty(), "{features}");
        }
    }

    #[test]
    fn a_way_in_around_the_cdn_still_fires() {
        let around =
            "web: client\ncdn: cdn { managed true }\nfiles: object_storage { managed true }\n\
            api: service { replicas 2 }\nweb -> cdn -> files\nweb -> api\n";
        assert_eq!(ids(&RULE, around), ["SEC305@system"]);
        let dns_first = "web: client\ndns: dns { managed true }\ncdn: cdn { managed true }\n\
            api: service { replicas 2 }\nweb -> dns\nweb -> cdn -> api\n";
        assert!(ids(&RULE, dns_first).is_empty());
    }
}
