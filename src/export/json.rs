//! The design graph as JSON. Schema `strata.design/1`, documented in `docs/json-schema.md`:
//! fields are only ever added, never renamed or removed, within version 1; optional fields
//! are left out when the design does not declare them. No source positions are included,
//! so formatting a file never changes its export.

use super::percent;
use crate::model::{
    Access, CacheRole, Compliance, Consistency, Design, Failover, Kind, Replication, SystemType,
};
use crate::syntax::ast::FlowMode;
use serde::Serialize;

pub const SCHEMA: &str = "strata.design/1";

#[derive(Serialize)]
struct DesignJson<'a> {
    schema: &'static str,
    system: SystemJson<'a>,
    tiers: Vec<TierJson<'a>>,
    groups: Vec<GroupJson<'a>>,
    components: Vec<ComponentJson<'a>>,
    flows: Vec<FlowJson<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    journeys: Vec<JourneyJson<'a>>,
}

#[derive(Serialize)]
struct JourneyJson<'a> {
    id: &'a str,
    title: &'a str,
    /// Indices into `flows`.
    steps: &'a [usize],
    #[serde(flatten)]
    targets: TargetsJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consistency: Option<Consistency>,
}

/// Availability and latency targets, of the system or of a journey.
#[derive(Serialize)]
struct TargetsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    sla_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p50_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p95_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p99_ms: Option<f64>,
}

#[derive(Serialize)]
struct SystemJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(flatten)]
    targets: TargetsJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    dau: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    peak_rps: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    system_type: Option<SystemType>,
    /// The targets above that `type` filled rather than the design declared.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    targets_from_type: &'a [&'static str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    compliance: &'a [Compliance],
    #[serde(skip_serializing_if = "Option::is_none")]
    rpo_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rto_ms: Option<f64>,
}

#[derive(Serialize)]
struct TierJson<'a> {
    id: &'a str,
    title: &'a str,
    components: Vec<&'a str>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    components: Vec<&'a str>,
}

#[derive(Serialize)]
struct ComponentJson<'a> {
    id: &'a str,
    kind: Kind,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    replicas: u32,
    managed: bool,
    /// Caches only.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<CacheRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tech: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zones: Option<u32>,
    /// A region's standby copy: how traffic is switched to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    standby: Option<Failover>,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    features: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    replication: Option<Replication>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failover: Option<Failover>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rpo_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rto_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    persistence: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dead_letter: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consistency: Option<Consistency>,
}

#[derive(Serialize)]
struct FlowJson<'a> {
    from: &'a str,
    to: &'a str,
    mode: FlowMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    protocol: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    optional: bool,
    /// From a router, when declared: a call made for every request, or a dispatch.
    #[serde(skip_serializing_if = "Option::is_none")]
    every_request: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    circuit_breaker: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access: Option<Access>,
}

/// The design as pretty-printed JSON, ending in a newline.
pub fn to_json(design: &Design) -> String {
    let component_id = |index: usize| design.components[index].id.as_str();
    let system = &design.system;
    let document = DesignJson {
        schema: SCHEMA,
        system: SystemJson {
            name: system.name.as_deref(),
            targets: TargetsJson {
                sla_percent: system.sla.map(percent),
                p50_ms: system.p50,
                p95_ms: system.p95,
                p99_ms: system.p99,
            },
            dau: system.traffic.dau,
            peak_rps: system.traffic.peak_rps,
            description: system.description.as_deref(),
            system_type: system.system_type,
            targets_from_type: &system.targets_from_type,
            compliance: &system.compliance,
            rpo_ms: system.rpo,
            rto_ms: system.rto,
        },
        tiers: design
            .tiers
            .iter()
            .map(|tier| TierJson {
                id: &tier.id,
                title: &tier.title,
                components: tier.components.iter().map(|&c| component_id(c)).collect(),
            })
            .collect(),
        groups: design
            .groups
            .iter()
            .map(|group| GroupJson {
                id: &group.id,
                title: &group.title,
                tier: group.tier.map(|t| design.tiers[t].id.as_str()),
                parent: group.parent.map(|g| design.groups[g].id.as_str()),
                components: group.components.iter().map(|&c| component_id(c)).collect(),
            })
            .collect(),
        components: design
            .components
            .iter()
            .map(|c| ComponentJson {
                id: &c.id,
                kind: c.kind,
                label: &c.label,
                tier: c.tier.map(|t| design.tiers[t].id.as_str()),
                group: c.group.map(|g| design.groups[g].id.as_str()),
                replicas: c.replicas,
                managed: c.managed,
                role: (c.kind == Kind::Cache).then_some(c.cache_role),
                tech: c.tech.as_deref(),
                region: c.region.as_deref(),
                zones: c.zones,
                standby: c.standby,
                availability_percent: c.availability.map(percent),
                latency_ms: c.latency,
                description: c.description.as_deref(),
                tags: &c.tags,
                features: &c.features,
                replication: c.recovery.replication,
                failover: c.recovery.failover,
                backup: c.recovery.backup,
                rpo_ms: c.recovery.rpo,
                rto_ms: c.recovery.rto,
                encrypted: c.encrypted,
                persistence: c.persistence,
                dead_letter: c.dead_letter,
                consistency: c.consistency,
            })
            .collect(),
        flows: design
            .flows
            .iter()
            .map(|f| FlowJson {
                from: component_id(f.from),
                to: component_id(f.to),
                mode: f.mode,
                label: f.label.as_deref(),
                protocol: f.protocol.as_deref(),
                latency_ms: f.latency,
                optional: f.optional,
                every_request: f.every_request,
                description: f.description.as_deref(),
                tags: &f.tags,
                timeout_ms: f.timeout,
                retries: f.retries,
                circuit_breaker: f.circuit_breaker,
                access: f.access,
            })
            .collect(),
        journeys: design
            .journeys
            .iter()
            .map(|j| JourneyJson {
                id: &j.id,
                title: &j.title,
                steps: &j.steps,
                targets: TargetsJson {
                    sla_percent: j.sla.map(percent),
                    p50_ms: j.p50,
                    p95_ms: j.p95,
                    p99_ms: j.p99,
                },
                description: j.description.as_deref(),
                consistency: j.consistency,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the design serializes");
    text.push('\n');
    text
}
