//! SEC302 internet-facing-datastore.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "SEC302",
    name: "internet-facing-datastore",
    area: Area::Security,
    severity: Severity::Error,
    summary: "A client or external system talks straight to a data store or broker.",
    why: "The guide's security architecture (§9, defense in depth) keeps data stores in a private network behind the services that authorize access; a data store clients reach directly exposes its credentials, its whole data set and its attack surface to the internet.",
    example: "web: client\ndb: database { replicas 2 }\nweb -> db\n",
    fix: "Put a service (behind the gateway) in front of the data store and let only it connect: `web -> api -> db`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .flows
        .iter()
        .filter(|flow| {
            let (from, to) = (
                cx.design.components[flow.from].kind,
                cx.design.components[flow.to].kind,
            );
            matches!(from, Kind::Client | Kind::External) && (to.is_data_store() || to.is_broker())
        })
        .map(|flow| {
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!(
                    "{} exposes a {} to the outside",
                    cx.flow_name(flow),
                    cx.design.components[flow.to].kind.name()
                ),
                flow.span.clone(),
            )
            .with_label("reachable from outside the system")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn quiet_behind_a_service() {
        assert!(ids(
            &RULE,
            "web: client\napi: service\ndb: database\nweb -> api -> db\n"
        )
        .is_empty());
    }
}
