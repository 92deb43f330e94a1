//! Stage 2, model: the syntax tree lowered into a checked design graph.
//!
//! A [`Design`] holds tiers (ordered), groups (nested), components and flows, all in
//! declaration order, and a petgraph graph whose node `i` is component `i` and whose edge
//! weights are flow indices.

pub mod kind;
mod lower;
pub mod properties;
pub mod suggest;

pub use kind::Kind;
pub use lower::lower;

use crate::source::Span;
use crate::syntax::ast::FlowMode;
use petgraph::graph::{DiGraph, NodeIndex};

/// Index of a component in [`Design::components`] and of its node in [`Design::graph`].
pub type ComponentId = usize;
pub type TierId = usize;
pub type GroupId = usize;
pub type FlowId = usize;
pub type JourneyId = usize;

#[derive(Debug, Clone, Default)]
pub struct Design {
    pub system: System,
    pub tiers: Vec<Tier>,
    pub groups: Vec<Group>,
    pub components: Vec<Component>,
    pub flows: Vec<Flow>,
    pub graph: DiGraph<ComponentId, FlowId>,
    /// Declared journeys, in declaration order.
    pub journeys: Vec<Journey>,
    /// `lint { … }` entries in file order; the lint stage, which knows the rules, checks them.
    pub lint_settings: Vec<LintSetting>,
}

#[derive(Debug, Clone, Default)]
pub struct System {
    pub name: Option<String>,
    /// Target availability as a fraction (99.95% → 0.9995).
    pub sla: Option<f64>,
    /// Latency targets in milliseconds.
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub dau: Option<u64>,
    pub peak_rps: Option<u64>,
    pub description: Option<String>,
    /// The `system` declaration, where whole-design findings point.
    pub span: Option<Span>,
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub id: String,
    pub title: String,
    pub span: Span,
    /// Every component in the tier, nested groups included, in declaration order.
    pub components: Vec<ComponentId>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub tier: Option<TierId>,
    pub parent: Option<GroupId>,
    /// Every component in the group, nested groups included, in declaration order.
    pub components: Vec<ComponentId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub kind: Kind,
    pub label: String,
    pub tier: Option<TierId>,
    /// The innermost group the component is declared in.
    pub group: Option<GroupId>,
    pub tech: Option<String>,
    pub replicas: u32,
    pub region: Option<String>,
    pub zones: Option<u32>,
    /// A region's copy that serves only once the active region fails (active-passive),
    /// and how traffic is switched to it; none for an active copy.
    pub standby: Option<Failover>,
    /// Declared availability as a fraction, per instance (or per service when managed).
    pub availability: Option<f64>,
    pub latency: Option<f64>,
    pub managed: bool,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub features: Vec<String>,
    /// What a cache holds; `LookAside` for every other kind.
    pub cache_role: CacheRole,
    /// How a data store or broker keeps and recovers its data, where declared.
    pub recovery: Recovery,
    /// The whole declaration.
    pub span: Span,
    /// Where each written property is, by name, for findings about a value.
    pub property_spans: Vec<(&'static str, Span)>,
}

/// How a data store keeps copies and comes back (seed 001, disaster recovery).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recovery {
    pub replication: Option<Replication>,
    pub failover: Option<Failover>,
    pub backup: Option<bool>,
    /// Recovery point and time objectives, in milliseconds.
    pub rpo: Option<f64>,
    pub rto: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replication {
    Sync,
    Async,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Failover {
    Automatic,
    Manual,
}

impl Recovery {
    pub fn is_declared(&self) -> bool {
        *self != Recovery::default()
    }

    /// The DR tier of seed 001's table its objectives reach (1 best, 4 backup and
    /// restore): RPO near zero (under a second), seconds, minutes or hours; RTO near
    /// zero (under a minute), minutes, hours or days. The worse of the two decides.
    pub fn tier(&self) -> Option<u8> {
        const SECOND: f64 = 1_000.0;
        const MINUTE: f64 = 60.0 * SECOND;
        const HOUR: f64 = 60.0 * MINUTE;
        let point = |rpo: f64| match rpo {
            r if r < SECOND => 1,
            r if r < MINUTE => 2,
            r if r < HOUR => 3,
            _ => 4,
        };
        let time = |rto: f64| match rto {
            r if r < MINUTE => 1,
            r if r < HOUR => 2,
            r if r < 24.0 * HOUR => 3,
            _ => 4,
        };
        Some(point(self.rpo?).max(time(self.rto?)))
    }
}

/// What a cache holds, and so whether a request can do without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheRole {
    /// A copy of data kept elsewhere: a miss reads through, so requests survive its loss.
    #[default]
    #[serde(rename = "lookaside")]
    LookAside,
    /// The only copy (sessions, carts, timelines): requests that read it fail without it.
    Store,
}

impl Component {
    /// It passes requests on rather than handling them: clients, DNS, CDNs, WAFs, load
    /// balancers, gateways, and whatever declares `features [routing]`.
    pub fn is_router(&self) -> bool {
        matches!(
            self.kind,
            Kind::Client | Kind::Dns | Kind::Cdn | Kind::Waf | Kind::LoadBalancer | Kind::Gateway
        ) || self.features.iter().any(|f| f == "routing")
    }

    /// A request that reads it fails when it is down.
    pub fn is_hard_dependency_target(&self) -> bool {
        self.kind != Kind::Cache || self.cache_role == CacheRole::Store
    }

    pub fn property_span(&self, name: &str) -> Option<&Span> {
        self.property_spans
            .iter()
            .find(|(property, _)| *property == name)
            .map(|(_, span)| span)
    }
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub from: ComponentId,
    pub to: ComponentId,
    pub mode: FlowMode,
    pub label: Option<String>,
    pub protocol: Option<String>,
    pub latency: Option<f64>,
    /// The caller degrades gracefully without it: a soft dependency.
    pub optional: bool,
    /// From a router: whether it makes this call for every request it passes on (token
    /// validation, a rate limiter) or dispatches requests of their own along it; none
    /// leaves it to the kind of what is called.
    pub every_request: Option<bool>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// From the source endpoint to the target endpoint of this one hop.
    pub span: Span,
}

/// A request that matters, named by the user: the declared flows it takes and its targets.
#[derive(Debug, Clone)]
pub struct Journey {
    pub id: String,
    pub title: String,
    /// The flows it takes, each once, in the order written.
    pub steps: Vec<FlowId>,
    /// Target availability as a fraction; the system's when not declared.
    pub sla: Option<f64>,
    /// Latency targets in milliseconds.
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub description: Option<String>,
    pub span: Span,
    /// The journey's id where it is declared, where findings about it point.
    pub id_span: Span,
}

#[derive(Debug, Clone)]
pub struct LintSetting {
    pub key: String,
    pub key_span: Span,
    pub value: SettingValue,
    pub value_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    Word(String),
    Number(f64),
}

impl Design {
    pub fn component_by_id(&self, id: &str) -> Option<ComponentId> {
        self.components.iter().position(|c| c.id == id)
    }

    pub fn node(&self, component: ComponentId) -> NodeIndex {
        NodeIndex::new(component)
    }
}
