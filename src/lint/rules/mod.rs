//! The rules, one file each: code, name, area, default severity, documentation, check
//! and tests. `ALL` is the registry, in code order.

use super::{Context, Finding, Rule};
use crate::model::{Component, ComponentId, Kind};

pub mod broker_not_durable;
pub mod composite_sla_below_target;
pub mod consumer_without_dead_letter;
pub mod database_without_backup;
pub mod database_without_failover;
pub mod disconnected_component;
pub mod dual_write_without_saga;
pub mod external_call_without_timeout;
pub mod internet_facing_datastore;
pub mod latency_budget_exceeded;
pub mod layering_bypass;
pub mod load_balancer_spof;
pub mod missing_alerting;
pub mod missing_api_gateway;
pub mod missing_authentication;
pub mod missing_availability_target;
pub mod missing_cache;
pub mod missing_ddos_protection;
pub mod missing_latency_target;
pub mod missing_load_balancer;
pub mod missing_logging;
pub mod missing_message_queue;
pub mod missing_metrics;
pub mod missing_primary_database;
pub mod missing_rate_limiting;
pub mod missing_secret_store;
pub mod missing_tracing;
pub mod no_headroom_for_a_failure;
pub mod outage_takes_journey_down;
pub mod over_target_at_peak;
pub mod plaintext_protocol;
pub mod public_api_without_waf;
pub mod queue_without_consumer;
pub mod queue_without_producer;
pub mod recovery_misses_objective;
pub mod replicas_in_one_zone;
pub mod shared_database;
pub mod single_region_high_sla;
pub mod single_replica_component;
pub mod spof_dominator;
pub mod storage_outgrows_a_node;
pub mod sync_call_cycle;
pub mod sync_call_into_worker;
pub mod sync_chain_too_deep;
pub mod sync_fan_out_too_wide;
pub mod sync_side_effect;
pub mod traffic_without_capacity;
pub mod unencrypted_data_at_rest;
pub mod unreachable_component;
pub mod unused_suppression;
pub mod volatile_cache_store;

pub static ALL: [&Rule; 51] = [
    &missing_load_balancer::RULE,
    &missing_api_gateway::RULE,
    &missing_authentication::RULE,
    &missing_primary_database::RULE,
    &missing_cache::RULE,
    &missing_message_queue::RULE,
    &missing_metrics::RULE,
    &missing_logging::RULE,
    &missing_tracing::RULE,
    &missing_alerting::RULE,
    &missing_availability_target::RULE,
    &missing_latency_target::RULE,
    &single_replica_component::RULE,
    &spof_dominator::RULE,
    &database_without_failover::RULE,
    &load_balancer_spof::RULE,
    &composite_sla_below_target::RULE,
    &sync_call_cycle::RULE,
    &sync_chain_too_deep::RULE,
    &outage_takes_journey_down::RULE,
    &volatile_cache_store::RULE,
    &replicas_in_one_zone::RULE,
    &database_without_backup::RULE,
    &recovery_misses_objective::RULE,
    &broker_not_durable::RULE,
    &external_call_without_timeout::RULE,
    &single_region_high_sla::RULE,
    &layering_bypass::RULE,
    &shared_database::RULE,
    &queue_without_consumer::RULE,
    &queue_without_producer::RULE,
    &unreachable_component::RULE,
    &disconnected_component::RULE,
    &sync_call_into_worker::RULE,
    &consumer_without_dead_letter::RULE,
    &sync_side_effect::RULE,
    &dual_write_without_saga::RULE,
    &plaintext_protocol::RULE,
    &internet_facing_datastore::RULE,
    &public_api_without_waf::RULE,
    &missing_rate_limiting::RULE,
    &missing_ddos_protection::RULE,
    &missing_secret_store::RULE,
    &unencrypted_data_at_rest::RULE,
    &latency_budget_exceeded::RULE,
    &sync_fan_out_too_wide::RULE,
    &over_target_at_peak::RULE,
    &no_headroom_for_a_failure::RULE,
    &storage_outgrows_a_node::RULE,
    &traffic_without_capacity::RULE,
    &unused_suppression::RULE,
];

pub fn find(selector: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| {
        rule.code.eq_ignore_ascii_case(selector) || rule.name == selector.replace('_', "-")
    })
}

/// Whether the design runs anything worth observing: services, workers or gateways.
fn has_workloads(cx: &Context) -> bool {
    cx.design.components.iter().any(|c| {
        matches!(
            c.kind,
            Kind::Service | Kind::Worker | Kind::Gateway | Kind::Auth
        )
    })
}

/// A whole-design finding for a checklist component the design lacks.
fn missing_component(cx: &Context, rule: &Rule, kind: Kind, what: &str) -> Vec<Finding> {
    if cx.has_kind(kind) || !has_workloads(cx) {
        return Vec::new();
    }
    vec![Finding::new(
        rule,
        "system",
        format!("the design has no {what}"),
        cx.system_span(),
    )
    .lacking(kind)]
}

/// Components that run business logic.
fn is_workload(kind: Kind) -> bool {
    matches!(kind, Kind::Service | Kind::Auth | Kind::Worker)
}

/// Whether a component lists the capability among its `features`, however the feature
/// is spelled around it (`rate_limit`, `Rate-Limits`, `per_tenant_rate_limits`).
fn declares_feature(component: &Component, capability: &str) -> bool {
    component.features.iter().any(|feature| {
        feature
            .to_ascii_lowercase()
            .replace('-', "_")
            .contains(capability)
    })
}

/// The shortest way a client's request takes to a component `wanted` picks without
/// crossing one `guard` picks, from one search; none when every way in crosses a guard.
fn unguarded_way_in(
    cx: &Context,
    guard: impl Fn(&Component) -> bool,
    wanted: impl Fn(&Component) -> bool,
) -> Option<Vec<ComponentId>> {
    let components = &cx.design.components;
    let clients: Vec<ComponentId> = (0..components.len())
        .filter(|&c| components[c].kind == Kind::Client)
        .collect();
    let ways = cx
        .analysis
        .request
        .shortest_paths_through(&clients, |c| !guard(&components[c]));
    (0..components.len())
        .filter(|&c| wanted(&components[c]) && !guard(&components[c]))
        .find_map(|c| ways.to(c))
}

/// `a → b → c`, a way through the design in a label.
fn way(cx: &Context, components: &[ComponentId]) -> String {
    let names: Vec<String> = components
        .iter()
        .map(|&c| format!("`{}`", cx.id(c)))
        .collect();
    names.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::lint::testing;

    #[test]
    fn every_rule_fires_on_its_own_example() {
        for rule in ALL {
            let ids = testing::ids(rule, rule.example);
            assert!(
                !ids.is_empty(),
                "{} does not fire on its example",
                rule.code
            );
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        for (index, rule) in ALL.iter().enumerate() {
            assert!(ALL[..index]
                .iter()
                .all(|other| other.code != rule.code && other.name != rule.name));
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.name
            );
            for text in [rule.summary, rule.why, rule.example, rule.fix] {
                assert!(!text.trim().is_empty(), "{} lacks documentation", rule.code);
            }
        }
        let mut codes: Vec<_> = ALL.iter().map(|rule| rule.code).collect();
        codes.sort();
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
