//! REQ002 missing-api-gateway.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::{listed, Severity};
use crate::model::{ComponentId, Kind};

pub const RULE: Rule = Rule {
    code: "REQ002",
    name: "missing-api-gateway",
    area: Area::Checklist,
    severity: Severity::Warning,
    summary: "Clients call two or more backend services directly (counted over all clients together), with no API gateway between.",
    why: "The guide's checklist (§4, \"Every Architecture Needs\") has an API gateway so that authentication, rate limiting and routing live in one place; clients that call each service directly couple themselves to the backend's shape and each service must re-implement those concerns.",
    example: "web: client\norders: service\nusers: service\nweb -> orders, users\n",
    fix: "Route the client through one `gateway` that calls the services: `web -> api -> orders, users`.",
    check,
};

/// Counts the services the clients call together: a browser and a mobile app each calling
/// one service still couple the clients to two.
fn check(cx: &Context) -> Vec<Finding> {
    let clients: Vec<(ComponentId, Vec<ComponentId>)> = cx
        .design
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == Kind::Client)
        .map(|(client, _)| (client, services_reached_directly(cx, client)))
        .filter(|(_, reached)| !reached.is_empty())
        .collect();
    let mut together: Vec<ComponentId> = clients.iter().flat_map(|(_, r)| r.clone()).collect();
    together.sort_unstable();
    together.dedup();
    if together.len() < 2 {
        return Vec::new();
    }
    // Cut at ten names: every client's finding names the services of all of them.
    let names = |ids: &[ComponentId]| -> String {
        let names: Vec<String> = ids.iter().map(|&s| format!("`{}`", cx.id(s))).collect();
        listed(&names, "")
    };
    let together_names = names(&together);
    clients
        .iter()
        .map(|(client, reached)| {
            let c = &cx.design.components[*client];
            let message = if reached.len() == together.len() {
                format!(
                    "`{}` calls {} services directly: {}",
                    c.id,
                    reached.len(),
                    names(reached)
                )
            } else {
                format!(
                    "`{}` calls {} directly; the clients together call {} services with no gateway: {}",
                    c.id,
                    names(reached),
                    together.len(),
                    together_names
                )
            };
            Finding::new(&RULE, &c.id, message, c.span.clone())
                .with_label("no API gateway between this client and the services")
        })
        .collect()
}

/// The workloads a client reaches through edge plumbing alone (CDN, DNS, WAF, LB).
fn services_reached_directly(cx: &Context, client: ComponentId) -> Vec<ComponentId> {
    let mut reached = Vec::new();
    let mut seen = vec![false; cx.design.components.len()];
    let mut stack = vec![client];
    while let Some(at) = stack.pop() {
        for &next in cx.analysis.request.successors(at) {
            if std::mem::replace(&mut seen[next], true) {
                continue;
            }
            let kind = cx.design.components[next].kind;
            if is_workload(kind) {
                reached.push(next);
            } else if matches!(kind, Kind::Cdn | Kind::Dns | Kind::Waf | Kind::LoadBalancer) {
                stack.push(next);
            }
        }
    }
    reached.sort_unstable();
    reached
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    #[test]
    fn quiet_behind_a_gateway_and_for_one_service() {
        assert!(ids(
            &RULE,
            "web: client\napi: gateway\na: service\nb: service\nweb -> api -> a, b\n"
        )
        .is_empty());
        assert!(ids(&RULE, "web: client\na: service\nweb -> a\n").is_empty());
    }

    #[test]
    fn counts_the_services_all_clients_call_together() {
        let text = "spa: client\nmobile: client\na: service\nb: service\nspa -> a\nmobile -> b\n";
        assert_eq!(ids(&RULE, text), ["REQ002@spa", "REQ002@mobile"]);
        let one_service = "spa: client\nmobile: client\na: service\nspa -> a\nmobile -> a\n";
        assert!(ids(&RULE, one_service).is_empty());
    }

    #[test]
    fn names_at_most_ten_services_of_all_the_clients() {
        let services: Vec<String> = (0..12).map(|i| format!("s{i}")).collect();
        let text = format!(
            "spa: client\nmobile: client\n{}spa -> s0\nmobile -> {}\n",
            services
                .iter()
                .map(|s| format!("{s}: service\n"))
                .collect::<String>(),
            services[1..].join(", ")
        );
        let found = findings(&text);
        let spa = found.iter().find(|f| f.id == "REQ002@spa").unwrap();
        assert!(
            spa.diagnostic.message.ends_with("`s8`, `s9` … and 2 more"),
            "{}",
            spa.diagnostic.message
        );
    }

    #[test]
    fn sees_through_a_load_balancer() {
        let text = "web: client\nlb: load_balancer\na: service\nb: service\nweb -> lb -> a, b\n";
        assert_eq!(ids(&RULE, text), ["REQ002@web"]);
    }
}
