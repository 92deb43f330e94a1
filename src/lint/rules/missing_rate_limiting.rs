//! SEC304 missing-rate-limiting.

use super::super::{Area, Context, Finding, Rule};
use super::{declares_feature, is_workload, unguarded_way_in, way};
use crate::diagnostics::Severity;
use crate::model::{Component, Kind};

pub const RULE: Rule = Rule {
    code: "SEC304",
    name: "missing-rate-limiting",
    area: Area::Security,
    severity: Severity::Warning,
    summary: "Clients reach services, and nothing on the way in (CDN, WAF, load balancer or gateway) limits the rate of their requests.",
    why: "Rate limiting is in the perimeter layer of the guide's defense in depth (§9), and limiting rates is one of the three jobs the selection matrix (§4) gives an API gateway: without it one client, a retry storm or a scraper can take the capacity every other user needs.",
    example: "web: client\nlb: load_balancer { managed true }\napi: service { replicas 2 }\nweb -> lb -> api\n",
    fix: "Declare the limit where it is enforced, on the gateway, load balancer, WAF or CDN every request crosses: `features [rate_limit]`; or add an API gateway that does (`web -> gw -> api`).",
    check,
};

/// Where the guide puts rate limits: the edge every request crosses on its way in.
fn limits_rates(component: &Component) -> bool {
    matches!(
        component.kind,
        Kind::Cdn | Kind::Waf | Kind::LoadBalancer | Kind::Gateway
    ) && declares_feature(component, "rate_limit")
}

fn check(cx: &Context) -> Vec<Finding> {
    let Some(unlimited) = unguarded_way_in(cx, limits_rates, |c| is_workload(c.kind)) else {
        return Vec::new();
    };
    let service = *unlimited.last().expect("a way has an end");
    vec![Finding::new(
        &RULE,
        "system",
        "requests from clients reach services with no rate limit on the way in",
        cx.system_span(),
    )
    .with_label("no CDN, WAF, load balancer or gateway in front declares `features [rate_limit]`")
    .with_related(
        cx.span(service),
        format!("reached with no limit: {}", way(cx, &unlimited)),
    )]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn names_a_way_in_that_no_limit_crosses() {
        let found = findings(RULE.example);
        let finding = found.iter().find(|f| f.code() == "SEC304").unwrap();
        assert_eq!(finding.id, "SEC304@system");
        assert_eq!(
            finding.diagnostic.related[0].message,
            "reached with no limit: `web` → `lb` → `api`"
        );
    }

    #[test]
    fn quiet_when_every_way_in_crosses_a_limit() {
        let limited = RULE
            .example
            .replace("managed true", "managed true; features [waf, rate_limit]");
        assert!(ids(&RULE, &limited).is_empty());
        let gateway =
            "web: client\ngw: gateway { replicas 2; features [\"Per-Tenant-Rate-Limits\"] }\n\
            api: service { replicas 2 }\nweb -> gw -> api\n";
        assert!(ids(&RULE, gateway).is_empty());
    }

    #[test]
    fn a_service_that_limits_its_own_callers_is_not_the_edge() {
        let own = "web: client\napi: service { replicas 2; features [rate_limit] }\nweb -> api\n";
        assert_eq!(ids(&RULE, own), ["SEC304@system"]);
    }

    #[test]
    fn a_second_way_in_around_the_limit_still_fires() {
        let around =
            "web: client\nadmin: client\ngw: gateway { replicas 2; features [rate_limit] }\n\
            api: service { replicas 2 }\nweb -> gw -> api\nadmin -> api\n";
        assert_eq!(ids(&RULE, around), ["SEC304@system"]);
        let no_services =
            "web: client\ncdn: cdn { managed true }\nfiles: object_storage\nweb -> cdn -> files\n";
        assert!(ids(&RULE, no_services).is_empty());
    }
}
