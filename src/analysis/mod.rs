//! Stage 3, analysis: what a design implies. Entry points, the request graph of hard
//! dependencies, single points of failure (dominators), and composite availability.
//! The linter's rules and `strata analyze` read it; nothing here reports findings.

mod availability;
pub mod capacity;
pub mod cost;
pub mod explain;
pub mod explain_capacity;
pub mod json;
pub mod load;
pub mod order;
pub mod prices;
mod request;
pub mod what_if;

pub use availability::{
    component_availability, default_availability, downtime_minutes_per_year,
    error_budget_minutes_per_month, PathAvailability, Segment,
};
pub use request::RequestGraph;

use availability::Availabilities;
use capacity::Capacity;
use load::Load;

use crate::model::{Component, ComponentId, Design, Kind};
use petgraph::algo::dominators::{self as petgraph_dominators, Dominators};
use petgraph::graph::NodeIndex;

pub struct Analysis {
    /// Where requests come from: clients, and external systems that only call in.
    pub entries: Vec<ComponentId>,
    pub request: RequestGraph,
    /// Where requests end up: data stores other than caches, and brokers.
    pub targets: Vec<ComponentId>,
    /// Non-redundant components that every request to some target passes through.
    pub spofs: Vec<Spof>,
    /// Every request journey: from an entry, through its routers, to what handles it.
    pub paths: Vec<PathAvailability>,
    /// The declared traffic through every component; none without declared traffic.
    pub load: Option<Load>,
    /// Utilization, replicas needed and N+1 under that load, and storage after a year.
    pub capacity: Capacity,
    /// How many times the declared traffic `load` carries (`analyze --traffic 10x`).
    pub traffic_scale: f64,
}

/// A single point of failure and the evidence for it.
pub struct Spof {
    pub component: ComponentId,
    /// The targets that no request can reach without it.
    pub targets: Vec<ComponentId>,
    /// One request path through it, from an entry to the first of `targets`.
    pub example: Vec<ComponentId>,
}

pub fn analyze(design: &Design) -> Analysis {
    analyze_at(design, 1.0)
}

/// The analysis with the declared traffic multiplied by `traffic_scale`.
pub fn analyze_at(design: &Design, traffic_scale: f64) -> Analysis {
    let request = RequestGraph::new(design);
    let entries = entry_points(design, &request);
    let targets: Vec<ComponentId> = (0..design.components.len())
        .filter(|&c| is_target(&design.components[c]))
        .collect();
    let root = NodeIndex::new(design.components.len());
    let tree = petgraph_dominators::simple_fast(&request.with_virtual_root(&entries), root);
    let spofs = single_points_of_failure(design, &request, &entries, &targets, &tree);
    let values = Availabilities::new(design, &request);
    // Declared journeys are the requests that matter; without any, every one inferred.
    let paths = if design.journeys.is_empty() {
        availability::journeys(design, &request, &entries, &values)
    } else {
        availability::declared_journeys(design, &request, &entries, &values)
    };
    let load = Load::new(design, &entries, traffic_scale);
    let capacity = Capacity::new(design, load.as_ref());
    Analysis {
        entries,
        request,
        targets,
        spofs,
        paths,
        load,
        capacity,
        traffic_scale,
    }
}

/// Where requests end: data stores (a cache only when it holds the only copy) and brokers.
fn is_target(component: &Component) -> bool {
    let kind = component.kind;
    (kind.is_data_store() && component.is_hard_dependency_target()) || kind.is_broker()
}

/// Clients, and external systems that call in without being called. A design with
/// neither starts wherever nothing calls in.
fn entry_points(design: &Design, request: &RequestGraph) -> Vec<ComponentId> {
    let mut has_incoming = vec![false; design.components.len()];
    let mut has_outgoing = vec![false; design.components.len()];
    for flow in &design.flows {
        has_outgoing[flow.from] = true;
        has_incoming[flow.to] = true;
    }
    let mut entries: Vec<ComponentId> = design
        .components
        .iter()
        .enumerate()
        .filter(|(id, c)| {
            c.kind == Kind::Client
                || (c.kind == Kind::External && !has_incoming[*id] && has_outgoing[*id])
        })
        .map(|(id, _)| id)
        .collect();
    if entries.is_empty() {
        entries = (0..design.components.len())
            .filter(|&c| {
                let kind = design.components[c].kind;
                request.predecessors(c).is_empty()
                    && !request.successors(c).is_empty()
                    && !kind.is_observability()
            })
            .collect();
    }
    entries
}

/// Whether a component is its own failover: several instances, or run by a provider.
pub fn is_redundant(design: &Design, component: ComponentId) -> bool {
    let c = &design.components[component];
    c.replicas >= 2 || c.managed
}

/// A component that strictly dominates a target (with a virtual root joined to every
/// entry) lies on every request path to it.
fn single_points_of_failure(
    design: &Design,
    request: &RequestGraph,
    entries: &[ComponentId],
    targets: &[ComponentId],
    tree: &Dominators<NodeIndex>,
) -> Vec<Spof> {
    let root = design.components.len();
    let shortest = request.shortest_paths(entries);
    let mut by_component: Vec<Vec<ComponentId>> = vec![Vec::new(); root];
    for &target in targets {
        let Some(mut dominator) = tree.immediate_dominator(NodeIndex::new(target)) else {
            continue;
        };
        while dominator.index() != root {
            let component = dominator.index();
            let kind = design.components[component].kind;
            let ours = !matches!(kind, Kind::Client | Kind::External);
            if ours && !is_redundant(design, component) {
                by_component[component].push(target);
            }
            dominator = tree
                .immediate_dominator(dominator)
                .expect("every dominator but the root has one");
        }
    }
    by_component
        .into_iter()
        .enumerate()
        .filter(|(_, targets)| !targets.is_empty())
        .map(|(component, targets)| Spof {
            component,
            // The component dominates its targets, so every path to one passes through it.
            example: shortest
                .to(targets[0])
                .expect("a dominated target is reachable"),
            targets,
        })
        .collect()
}
