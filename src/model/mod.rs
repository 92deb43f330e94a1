//! Stage 2, model: the syntax tree lowered into a checked design graph.
//!
//! A [`Design`] holds tiers (ordered), groups (nested), components and flows, all in
//! declaration order, and a petgraph graph whose node `i` is component `i` and whose edge
//! weights are flow indices.

pub mod kind;
mod lower;
pub mod properties;
pub mod sizing;
pub mod suggest;

pub use kind::Kind;
pub use lower::lower;
pub use sizing::{Rates, Sizing, Storage, Traffic};

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
    /// Daily users and their actions, or the peak rate, and the factors between rates.
    pub traffic: Traffic,
    pub description: Option<String>,
    /// What the system is; its targets fill those not declared.
    pub system_type: Option<SystemType>,
    /// The targets `system_type` filled (`sla`, `p50`, `p95`, `p99`), in that order.
    pub targets_from_type: Vec<&'static str>,
    /// Regulatory regimes the system's data falls under.
    pub compliance: Vec<Compliance>,
    /// The recovery point and time objectives of the whole system, in milliseconds.
    pub rpo: Option<f64>,
    pub rto: Option<f64>,
    /// The `system` declaration, where whole-design findings point.
    pub span: Option<Span>,
    /// Where each written property is, by name, for findings about a value.
    pub property_spans: Vec<(&'static str, Span)>,
}

impl System {
    /// Whether the target (`sla`, `p50`, `p95`, `p99`) comes from `type` rather than
    /// being declared.
    pub fn is_from_type(&self, target: &str) -> bool {
        self.targets_from_type.contains(&target)
    }

    pub fn property_span(&self, name: &str) -> Option<&Span> {
        find_span(&self.property_spans, name)
    }

    /// Fills the targets not declared from the type's (seed 003 §5), noting which.
    fn fill_targets_from_type(&mut self) {
        let Some(system_type) = self.system_type else {
            return;
        };
        let typical = system_type.targets();
        for (name, declared, typical) in [
            ("sla", &mut self.sla, typical.sla),
            ("p50", &mut self.p50, typical.p50),
            ("p95", &mut self.p95, typical.p95),
            ("p99", &mut self.p99, typical.p99),
        ] {
            if declared.is_none() && typical.is_some() {
                *declared = typical;
                self.targets_from_type.push(name);
            }
        }
    }
}

fn find_span<'s>(spans: &'s [(&'static str, Span)], name: &str) -> Option<&'s Span> {
    spans
        .iter()
        .find(|(property, _)| *property == name)
        .map(|(_, span)| span)
}

/// What kind of system it is, by the rows of seed 003 §5's latency and availability
/// tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemType {
    Ecommerce,
    Social,
    Search,
    Gaming,
    Banking,
    Analytics,
    Batch,
    Internal,
    Business,
    Critical,
}

/// Availability and latency targets: a fraction and milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Targets {
    pub sla: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
}

impl SystemType {
    pub const ALL: [SystemType; 10] = [
        SystemType::Ecommerce,
        SystemType::Social,
        SystemType::Search,
        SystemType::Gaming,
        SystemType::Banking,
        SystemType::Analytics,
        SystemType::Batch,
        SystemType::Internal,
        SystemType::Business,
        SystemType::Critical,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SystemType::Ecommerce => "ecommerce",
            SystemType::Social => "social",
            SystemType::Search => "search",
            SystemType::Gaming => "gaming",
            SystemType::Banking => "banking",
            SystemType::Analytics => "analytics",
            SystemType::Batch => "batch",
            SystemType::Internal => "internal",
            SystemType::Business => "business",
            SystemType::Critical => "critical",
        }
    }

    /// The guide's targets for this kind of system (seed 003 §5): the latency table's
    /// p50/p95/p99 and the availability table's level. Batch processing has no latency
    /// targets; the last three rows are availability levels only.
    pub fn targets(self) -> Targets {
        const SECOND: f64 = 1_000.0;
        let latency = |p50: f64, p95: f64, p99: f64| Targets {
            p50: Some(p50),
            p95: Some(p95),
            p99: Some(p99),
            sla: None,
        };
        let sla = |sla: f64| Targets {
            sla: Some(sla),
            ..Targets::default()
        };
        match self {
            SystemType::Ecommerce => Targets {
                sla: Some(0.9995),
                ..latency(200.0, 500.0, SECOND)
            },
            SystemType::Social => latency(100.0, 300.0, 500.0),
            SystemType::Search => latency(50.0, 200.0, 500.0),
            SystemType::Gaming => latency(50.0, 100.0, 150.0),
            SystemType::Banking => Targets {
                sla: Some(0.9999),
                ..latency(500.0, SECOND, 2.0 * SECOND)
            },
            SystemType::Analytics => latency(2.0 * SECOND, 5.0 * SECOND, 10.0 * SECOND),
            SystemType::Batch => Targets::default(),
            SystemType::Internal => sla(0.99),
            SystemType::Business => sla(0.999),
            SystemType::Critical => sla(0.99999),
        }
    }
}

/// A regulatory regime a system's data falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compliance {
    Hipaa,
    PciDss,
    Gdpr,
    Soc2,
}

impl Compliance {
    pub const ALL: [Compliance; 4] = [
        Compliance::Hipaa,
        Compliance::PciDss,
        Compliance::Gdpr,
        Compliance::Soc2,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Compliance::Hipaa => "hipaa",
            Compliance::PciDss => "pci_dss",
            Compliance::Gdpr => "gdpr",
            Compliance::Soc2 => "soc2",
        }
    }
}

/// How a write that spans several data stores is kept consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Consistency {
    /// Local transactions with compensating steps.
    Saga,
    /// The change and its event written in one transaction, published after.
    Outbox,
    TwoPhaseCommit,
}

/// What a flow into a data store does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Write,
    ReadWrite,
}

impl Access {
    pub fn writes(self) -> bool {
        self != Access::Read
    }
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
    /// Data stores and brokers: whether the data at rest is encrypted, where declared.
    pub encrypted: Option<bool>,
    /// Caches: whether the cache persists to disk (snapshots, append-only file).
    pub persistence: Option<bool>,
    /// Brokers: whether failed messages go to a dead-letter queue.
    pub dead_letter: Option<bool>,
    /// Workloads: how a write spanning several data stores is kept consistent.
    pub consistency: Option<Consistency>,
    /// What one replica handles, what a data store keeps, the instance type, egress.
    pub sizing: Sizing,
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
    /// restore). The worse of the two decides.
    pub fn tier(&self) -> Option<u8> {
        Some(point_tier(self.rpo?).max(time_tier(self.rto?)))
    }

    /// How much data a failure can lose: the declared rpo, else the DR tier what the
    /// store declares implies (seed 001): a synchronous copy loses nearly nothing, an
    /// asynchronous one its lag (seconds), backups alone what was written since the last.
    pub fn recovery_point(&self) -> Option<Objective> {
        if let Some(rpo) = self.rpo {
            return Some(Objective::Declared(rpo));
        }
        let (tier, by, property) = match (self.replication, self.backup) {
            (Some(Replication::Sync), _) => (1, "synchronous replication", "replication"),
            (Some(Replication::Async), _) => (2, "asynchronous replication", "replication"),
            (None, Some(true)) => (4, "backups alone", "backup"),
            (None, _) => return None,
        };
        Some(Objective::Implied { tier, by, property })
    }

    /// How long the store takes to come back: the declared rto, else the DR tier what it
    /// declares implies (seed 001): an automatic failover takes minutes, a manual one
    /// hours, restoring a backup days.
    pub fn recovery_time(&self) -> Option<Objective> {
        if let Some(rto) = self.rto {
            return Some(Objective::Declared(rto));
        }
        let (tier, by, property) = match (self.failover, self.backup) {
            (Some(Failover::Automatic), _) => (2, "automatic failover", "failover"),
            (Some(Failover::Manual), _) => (3, "manual failover", "failover"),
            (None, Some(true)) => (4, "restoring a backup", "backup"),
            (None, _) => return None,
        };
        Some(Objective::Implied { tier, by, property })
    }
}

const SECOND: f64 = 1_000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;

/// The DR tier (seed 001) a recovery point falls in: near zero (under a second),
/// seconds, minutes or hours.
pub fn point_tier(rpo: f64) -> u8 {
    match rpo {
        r if r < SECOND => 1,
        r if r < MINUTE => 2,
        r if r < HOUR => 3,
        _ => 4,
    }
}

/// The DR tier (seed 001) a recovery time falls in: near zero (under a minute), minutes,
/// hours or days.
pub fn time_tier(rto: f64) -> u8 {
    match rto {
        r if r < MINUTE => 1,
        r if r < HOUR => 2,
        r if r < 24.0 * HOUR => 3,
        _ => 4,
    }
}

/// A recovery point or time a store reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    /// Written on the store, in milliseconds.
    Declared(f64),
    /// The DR tier what the store declares implies, what implies it in words, and the
    /// property that says so.
    Implied {
        tier: u8,
        by: &'static str,
        property: &'static str,
    },
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

    /// A request that reads it fails when it is down. A look-aside cache is read through
    /// on a miss. Secret and configuration stores count, as the published calculations
    /// count Key Vault and App Configuration; a service that keeps what it read at
    /// start-up says so with `optional true` on the flow.
    pub fn is_hard_dependency_target(&self) -> bool {
        match self.kind {
            Kind::Cache => self.cache_role == CacheRole::Store,
            _ => true,
        }
    }

    pub fn property_span(&self, name: &str) -> Option<&Span> {
        find_span(&self.property_spans, name)
    }

    /// This component's declaration with `properties` in its block, as help shows a fix:
    /// `` `db: database { replicas 2 }` ``.
    pub fn declared_with(&self, properties: &str) -> String {
        format!("`{}: {} {{ {properties} }}`", self.id, self.kind.name())
    }

    /// Where a finding about these properties points: the first of them written, else the
    /// whole declaration (what is missing is missing from it).
    pub fn span_at(&self, properties: &[&str]) -> Span {
        let written = properties.iter().find_map(|name| self.property_span(name));
        written.unwrap_or(&self.span).clone()
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
    /// How long the caller waits for an answer, in milliseconds.
    pub timeout: Option<f64>,
    pub retries: Option<u32>,
    /// Whether the caller stops calling a failing target for a while.
    pub circuit_breaker: Option<bool>,
    /// Into a data store: whether the flow reads, writes or both; unknown when undeclared.
    pub access: Option<Access>,
    /// The share of the caller's requests the flow carries; all of them when undeclared.
    pub share: Option<f64>,
    /// From the source endpoint to the target endpoint of this one hop.
    pub span: Span,
    /// Where each written property is, by name (the declaration's, shared by its hops).
    pub property_spans: Vec<(&'static str, Span)>,
}

impl Flow {
    pub fn property_span(&self, name: &str) -> Option<&Span> {
        find_span(&self.property_spans, name)
    }
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
    /// How a write spanning several data stores along it is kept consistent.
    pub consistency: Option<Consistency>,
    /// The requests this journey carries, on top of the system's: they take its steps.
    pub traffic: Traffic,
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

#[cfg(test)]
mod tests {
    use crate::source::Source;

    fn system(text: &str) -> super::System {
        let checked = crate::check(&Source::new("t", format!("{text}\nweb: client\n")));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        checked.design.system
    }

    #[test]
    fn a_type_fills_the_targets_not_declared_and_says_which() {
        let shop = system("system \"Shop\" { type ecommerce; p99 800ms }");
        assert_eq!(
            (shop.sla, shop.p50, shop.p95, shop.p99),
            (Some(0.9995), Some(200.0), Some(500.0), Some(800.0))
        );
        assert_eq!(shop.targets_from_type, ["sla", "p50", "p95"]);
        assert!(shop.is_from_type("sla") && !shop.is_from_type("p99"));
    }

    #[test]
    fn a_type_without_a_row_in_a_table_leaves_those_targets_alone() {
        let batch = system("system \"Nightly\" { type batch }");
        assert_eq!((batch.sla, batch.p99), (None, None));
        assert!(batch.targets_from_type.is_empty());
        let internal = system("system \"Wiki\" { type internal; sla 99.5% }");
        assert_eq!((internal.sla, internal.p99), (Some(0.995), None));
        assert!(internal.targets_from_type.is_empty());
        let social = system("system \"Feed\" { type social }");
        assert_eq!((social.sla, social.p99), (None, Some(500.0)));
    }
}
