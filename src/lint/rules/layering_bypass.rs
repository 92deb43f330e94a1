//! STR201 layering-bypass.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "STR201",
    name: "layering-bypass",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "An edge component (CDN, DNS, WAF, load balancer, gateway) talks straight to a data store or broker.",
    why: "The guide's tier model (seed 004: Client → Edge → Business → Data) keeps data behind the business tier, where validation, authorization and ownership live; an edge component that reads or writes data directly skips all three. (A CDN pulling from object storage, and a gateway keeping rate-limit counters in a cache, are the usual exceptions and are not reported.)",
    example: "web: client\napi: gateway { replicas 2 }\ndb: database { replicas 2 }\nweb -> api -> db\n",
    fix: "Put a service between the edge and the data (`api -> orders -> db`), owning that data.",
    check,
};

fn is_edge(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Cdn | Kind::Dns | Kind::Waf | Kind::LoadBalancer | Kind::Gateway
    )
}

fn is_accepted_exception(from: Kind, to: Kind) -> bool {
    matches!(
        (from, to),
        (Kind::Cdn, Kind::ObjectStorage) | (Kind::Cdn, Kind::Cache) | (Kind::Gateway, Kind::Cache)
    )
}

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .flows
        .iter()
        .filter(|flow| {
            let (from, to) = (
                cx.design.components[flow.from].kind,
                cx.design.components[flow.to].kind,
            );
            is_edge(from)
                && (to.is_data_store() || to.is_broker())
                && !is_accepted_exception(from, to)
        })
        .map(|flow| {
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!("{} skips the business tier", cx.flow_name(flow)),
                flow.span.clone(),
            )
            .with_label(format!(
                "a {} talking straight to a {}",
                cx.design.components[flow.from].kind.name(),
                cx.design.components[flow.to].kind.name()
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_through_a_service_and_for_a_cdn_origin() {
        assert!(ids(
            &RULE,
            "web: client\napi: gateway\ns: service\ndb: database\nweb -> api -> s -> db\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "web: client\ncdn: cdn\ns3: object_storage\nweb -> cdn -> s3\n"
        )
        .is_empty());
    }
}
