//! Composite availability of request paths.
//!
//! From an entry to a target, the components every path crosses (the target's dominators
//! from that entry) multiply in series. Between two consecutive ones there may be several
//! routes. Interchangeable ones (load balancers, CDNs, DNS providers side by side, or
//! components tagged `failover`) back each other up and combine in parallel. Other routes
//! are different request journeys through different services, so the least available one
//! counts: the result is the availability of the weakest request path. Where the routes
//! form a cycle, the best single route is used instead, a lower bound, and the result is
//! marked inexact.

use super::request::RequestGraph;
use crate::model::{Component, ComponentId, Design, Kind};
use petgraph::algo::dominators::{self, Dominators};
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Availability of one instance of a kind (or of a managed service) when none is declared.
pub fn default_availability(kind: Kind) -> f64 {
    match kind {
        Kind::Client | Kind::Metrics | Kind::Logging | Kind::Tracing | Kind::Alerting => 1.0,
        Kind::Dns | Kind::Cdn | Kind::Waf | Kind::LoadBalancer | Kind::ObjectStorage => 0.9999,
        Kind::Gateway | Kind::Database | Kind::Queue | Kind::Stream => 0.9995,
        Kind::Service
        | Kind::Auth
        | Kind::Worker
        | Kind::Cache
        | Kind::Search
        | Kind::External
        | Kind::Component => 0.999,
    }
}

/// A component's availability: `1 − (1 − a)^replicas` for independent replicas; a
/// managed service's declared (or default) availability is already the whole service's.
pub fn component_availability(component: &Component) -> f64 {
    let single = component
        .availability
        .unwrap_or_else(|| default_availability(component.kind));
    if component.managed {
        single
    } else {
        1.0 - (1.0 - single).powi(component.replicas as i32)
    }
}

pub fn downtime_minutes_per_year(availability: f64) -> f64 {
    (1.0 - availability) * 525_600.0
}

/// One factor of a path's availability.
#[derive(Debug, Clone)]
pub enum Segment {
    /// A component every request on the path passes through.
    Component { id: ComponentId, availability: f64 },
    /// Interchangeable routes between two such components, combined in parallel.
    Parallel {
        routes: Vec<Vec<ComponentId>>,
        availability: f64,
    },
    /// The least available of several different routes between two such components.
    Weakest {
        route: Vec<ComponentId>,
        availability: f64,
    },
    /// Routes too entangled to combine exactly: the best single one, a lower bound.
    Bound {
        route: Vec<ComponentId>,
        availability: f64,
    },
}

impl Segment {
    pub fn availability(&self) -> f64 {
        match self {
            Segment::Component { availability, .. }
            | Segment::Parallel { availability, .. }
            | Segment::Weakest { availability, .. }
            | Segment::Bound { availability, .. } => *availability,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PathAvailability {
    pub entry: ComponentId,
    pub target: ComponentId,
    /// From the entry towards the target; the entry itself is outside the system.
    pub segments: Vec<Segment>,
    pub availability: f64,
    /// False when some segment is a lower bound.
    pub exact: bool,
}

pub(super) fn paths(
    design: &Design,
    request: &RequestGraph,
    entries: &[ComponentId],
    targets: &[ComponentId],
) -> Vec<PathAvailability> {
    let component = |id: ComponentId| component_availability(&design.components[id]);
    let backed_up = backup_availability(design, request);
    let effective = |id: ComponentId| backed_up[id].unwrap_or_else(|| component(id));
    let graph = petgraph_of(request, design.components.len());
    let mut between: FxHashMap<(ComponentId, ComponentId), Option<Segment>> = FxHashMap::default();
    let mut paths = Vec::new();
    for &entry in entries {
        let tree = dominators::simple_fast(&graph, NodeIndex::new(entry));
        for &target in targets {
            if target == entry || tree.immediate_dominator(NodeIndex::new(target)).is_none() {
                continue;
            }
            let chain = dominator_chain(&tree, entry, target);
            let mut segments = Vec::new();
            for pair in chain.windows(2) {
                let (u, v) = (pair[0], pair[1]);
                let segment = between.entry((u, v)).or_insert_with(|| {
                    segment_between(design, request, &component, &effective, u, v)
                });
                segments.extend(segment.clone());
                segments.push(Segment::Component {
                    id: v,
                    availability: component(v),
                });
            }
            paths.push(PathAvailability {
                entry,
                target,
                availability: segments.iter().map(Segment::availability).product(),
                exact: !segments.iter().any(|s| matches!(s, Segment::Bound { .. })),
                segments,
            });
        }
    }
    paths
}

fn petgraph_of(request: &RequestGraph, nodes: usize) -> DiGraph<(), ()> {
    let mut graph = DiGraph::with_capacity(nodes, request.edge_count());
    for _ in 0..nodes {
        graph.add_node(());
    }
    for from in 0..nodes {
        for &to in request.successors(from) {
            graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), ());
        }
    }
    graph
}

/// `entry, …, target`: the components on every path, in path order.
fn dominator_chain(
    tree: &Dominators<NodeIndex>,
    entry: ComponentId,
    target: ComponentId,
) -> Vec<ComponentId> {
    let mut chain = vec![target];
    let mut at = NodeIndex::new(target);
    while at.index() != entry {
        at = tree
            .immediate_dominator(at)
            .expect("reachable nodes have a dominator");
        chain.push(at.index());
    }
    chain.reverse();
    chain
}

/// Regions larger than this are not decomposed; the best single route bounds them.
const REGION_LIMIT: usize = 256;

/// The factor for the routes from `u` to its dominated `v`, or none for a direct hop.
fn segment_between(
    design: &Design,
    request: &RequestGraph,
    component: &impl Fn(ComponentId) -> f64,
    effective: &impl Fn(ComponentId) -> f64,
    u: ComponentId,
    v: ComponentId,
) -> Option<Segment> {
    if request.predecessors(v) == [u] {
        return None;
    }
    let bound = || {
        let route = best_route(request, component, u, v);
        let availability = route.iter().map(|&c| component(c)).product();
        Some(Segment::Bound {
            route,
            availability,
        })
    };
    let Some(region) = region_between(request, u, v) else {
        return bound();
    };
    if region.is_empty() {
        return None;
    }
    if let Some(routes) = disjoint_chains(request, &region, u, v) {
        if interchangeable(design, &routes) {
            let all_fail: f64 = routes
                .iter()
                .map(|route| 1.0 - route.iter().map(|&c| component(c)).product::<f64>())
                .product();
            return Some(Segment::Parallel {
                routes,
                availability: 1.0 - all_fail,
            });
        }
    }
    match weakest_route(request, effective, &region, u, v) {
        Some(route) => {
            let availability = route.iter().map(|&c| effective(c)).product();
            Some(Segment::Weakest {
                route,
                availability,
            })
        }
        None => bound(),
    }
}

/// For each component that has backups (see `is_backup_candidate`) with the same
/// neighbours, the availability of the group in parallel.
fn backup_availability(design: &Design, request: &RequestGraph) -> Vec<Option<f64>> {
    // Components that can stand in for each other: same kind (or both tagged), same neighbours.
    type Place = (Kind, bool, Vec<ComponentId>, Vec<ComponentId>);
    let mut groups: FxHashMap<Place, Vec<ComponentId>> = FxHashMap::default();
    for (id, c) in design.components.iter().enumerate() {
        if is_backup_candidate(c) {
            let mut before = request.predecessors(id).to_vec();
            let mut after = request.successors(id).to_vec();
            before.sort_unstable();
            after.sort_unstable();
            let tagged = c.tags.iter().any(|t| t == "failover");
            let kind = if tagged { Kind::Component } else { c.kind };
            groups
                .entry((kind, tagged, before, after))
                .or_default()
                .push(id);
        }
    }
    let mut backed_up = vec![None; design.components.len()];
    for members in groups.into_values().filter(|m| m.len() >= 2) {
        let all_fail: f64 = members
            .iter()
            .map(|&m| 1.0 - component_availability(&design.components[m]))
            .product();
        for m in members {
            backed_up[m] = Some(1.0 - all_fail);
        }
    }
    backed_up
}

fn is_backup_candidate(component: &Component) -> bool {
    matches!(component.kind, Kind::LoadBalancer | Kind::Cdn | Kind::Dns)
        || component.tags.iter().any(|t| t == "failover")
}

/// Whether the routes back each other up: single components of one traffic-spreading
/// kind side by side, or all tagged `failover`.
fn interchangeable(design: &Design, routes: &[Vec<ComponentId>]) -> bool {
    let singles: Option<Vec<&Component>> = routes
        .iter()
        .map(|route| match route.as_slice() {
            [only] => Some(&design.components[*only]),
            _ => None,
        })
        .collect();
    let Some(singles) = singles else {
        return false;
    };
    let same_spreading_kind = singles.iter().all(|c| {
        c.kind == singles[0].kind && matches!(c.kind, Kind::LoadBalancer | Kind::Cdn | Kind::Dns)
    });
    let tagged = singles
        .iter()
        .all(|c| c.tags.iter().any(|t| t == "failover"));
    singles.len() >= 2 && (same_spreading_kind || tagged)
}

/// The least available route from `u` through `region` to `v`, its inner components;
/// none when the region has a cycle.
fn weakest_route(
    request: &RequestGraph,
    component: &impl Fn(ComponentId) -> f64,
    region: &[ComponentId],
    u: ComponentId,
    v: ComponentId,
) -> Option<Vec<ComponentId>> {
    let inside = |c: ComponentId| region.binary_search(&c).is_ok();
    let order = topological_order(request, region)?;
    // For each component: the least availability of a route reaching it, and from where.
    let mut worst: FxHashMap<ComponentId, (f64, ComponentId)> = FxHashMap::default();
    fn reach(
        worst: &mut FxHashMap<ComponentId, (f64, ComponentId)>,
        node: ComponentId,
        through: ComponentId,
        so_far: f64,
    ) {
        let entry = worst.entry(node).or_insert((f64::INFINITY, through));
        if so_far < entry.0 {
            *entry = (so_far, through);
        }
    }
    for &next in request.successors(u) {
        if inside(next) {
            reach(&mut worst, next, u, component(next));
        }
    }
    for &node in &order {
        let Some(&(so_far, _)) = worst.get(&node) else {
            continue;
        };
        for &next in request.successors(node) {
            if next == v {
                reach(&mut worst, v, node, so_far);
            } else if inside(next) {
                reach(&mut worst, next, node, so_far * component(next));
            }
        }
    }
    let mut route = Vec::new();
    let mut at = worst.get(&v)?.1;
    while at != u {
        route.push(at);
        at = worst[&at].1;
    }
    route.reverse();
    Some(route)
}

/// The region's components in an order where every route runs forwards; none if cyclic.
fn topological_order(request: &RequestGraph, region: &[ComponentId]) -> Option<Vec<ComponentId>> {
    let inside = |c: &ComponentId| region.binary_search(c).is_ok();
    let mut pending: FxHashMap<ComponentId, usize> = region
        .iter()
        .map(|&c| {
            (
                c,
                request.predecessors(c).iter().filter(|p| inside(p)).count(),
            )
        })
        .collect();
    let mut ready: Vec<ComponentId> = region.iter().copied().filter(|c| pending[c] == 0).collect();
    let mut order = Vec::with_capacity(region.len());
    while let Some(node) = ready.pop() {
        order.push(node);
        for next in request.successors(node).iter().filter(|s| inside(s)) {
            let count = pending.get_mut(next).expect("inside the region");
            *count -= 1;
            if *count == 0 {
                ready.push(*next);
            }
        }
    }
    (order.len() == region.len()).then_some(order)
}

/// The components on some path from `u` to `v` (neither included), or none if too many.
fn region_between(
    request: &RequestGraph,
    u: ComponentId,
    v: ComponentId,
) -> Option<Vec<ComponentId>> {
    let forward = bounded_search(u, v, |c| request.successors(c))?;
    let backward = bounded_search(v, u, |c| request.predecessors(c))?;
    let mut region: Vec<ComponentId> = forward
        .into_iter()
        .filter(|c| backward.contains(c) && *c != u && *c != v)
        .collect();
    region.sort_unstable();
    Some(region)
}

fn bounded_search<'g>(
    start: ComponentId,
    stop: ComponentId,
    next: impl Fn(ComponentId) -> &'g [ComponentId],
) -> Option<Vec<ComponentId>> {
    let mut seen = vec![start];
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for &n in next(at) {
            if n != stop && !seen.contains(&n) {
                if seen.len() == REGION_LIMIT {
                    return None;
                }
                seen.push(n);
                queue.push_back(n);
            }
        }
    }
    Some(seen)
}

/// The region as routes `u → … → v` that share no component, if it is one.
fn disjoint_chains(
    request: &RequestGraph,
    region: &[ComponentId],
    u: ComponentId,
    v: ComponentId,
) -> Option<Vec<Vec<ComponentId>>> {
    let inside = |c: &ComponentId| region.binary_search(c).is_ok();
    for &c in region {
        let ins = request
            .predecessors(c)
            .iter()
            .filter(|p| **p == u || inside(p))
            .count();
        let outs = request
            .successors(c)
            .iter()
            .filter(|s| **s == v || inside(s))
            .count();
        if ins != 1 || outs != 1 {
            return None;
        }
    }
    let mut routes = Vec::new();
    for &first in request.successors(u) {
        if first == v {
            routes.push(Vec::new());
            continue;
        }
        if !inside(&first) {
            continue;
        }
        let mut route = vec![first];
        let mut at = first;
        while let Some(&next) = request
            .successors(at)
            .iter()
            .find(|s| **s == v || inside(s))
        {
            if next == v {
                break;
            }
            route.push(next);
            at = next;
        }
        routes.push(route);
    }
    Some(routes)
}

/// The most available route from `u` to `v` (Dijkstra on −ln a), its inner components.
fn best_route(
    request: &RequestGraph,
    component: &impl Fn(ComponentId) -> f64,
    u: ComponentId,
    v: ComponentId,
) -> Vec<ComponentId> {
    #[derive(PartialEq)]
    struct Reach(f64, ComponentId);
    impl Eq for Reach {}
    impl Ord for Reach {
        fn cmp(&self, other: &Self) -> Ordering {
            other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
        }
    }
    impl PartialOrd for Reach {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    let mut cost: FxHashMap<ComponentId, f64> = FxHashMap::default();
    let mut previous: FxHashMap<ComponentId, ComponentId> = FxHashMap::default();
    let mut heap = BinaryHeap::from([Reach(0.0, u)]);
    cost.insert(u, 0.0);
    while let Some(Reach(so_far, at)) = heap.pop() {
        if at == v {
            break;
        }
        if so_far > cost[&at] {
            continue;
        }
        for &next in request.successors(at) {
            let step = if next == v {
                0.0
            } else {
                -component(next).ln()
            };
            let total = so_far + step;
            if cost.get(&next).is_none_or(|&known| total < known) {
                cost.insert(next, total);
                previous.insert(next, at);
                heap.push(Reach(total, next));
            }
        }
    }
    let mut route = Vec::new();
    let mut at = v;
    while let Some(&before) = previous.get(&at) {
        if before == u {
            break;
        }
        route.push(before);
        at = before;
    }
    route.reverse();
    route
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    fn paths_of(text: &str) -> Vec<super::PathAvailability> {
        let checked = crate::check(&Source::new("t", text));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        super::super::analyze(&checked.design).paths
    }

    #[test]
    fn series_components_multiply() {
        let paths = paths_of(
            "web: client\na: service { availability 99.9% }\nb: database { availability 99.9% }\nweb -> a -> b",
        );
        assert_eq!(paths.len(), 1);
        assert!((paths[0].availability - 0.999 * 0.999).abs() < 1e-12);
        assert!(paths[0].exact);
    }

    #[test]
    fn replicas_combine_in_parallel() {
        let paths = paths_of("web: client\na: service { availability 99%; replicas 2 }\nweb -> a ~> q\nq: queue { managed true; availability 100% }");
        assert!((paths[0].availability - (1.0 - 0.01 * 0.01)).abs() < 1e-12);
    }

    #[test]
    fn different_services_are_different_journeys_and_the_weakest_counts() {
        let paths = paths_of(
            "web: client\ngw: gateway { availability 100%; managed true }\na: service { availability 99%; managed true }\nb: service { availability 90%; managed true }\ndb: database { availability 100%; managed true }\nweb -> gw -> a, b\na, b -> db",
        );
        let to_db = paths.iter().find(|p| p.target == 4).unwrap();
        assert!((to_db.availability - 0.9).abs() < 1e-12);
        assert!(to_db.exact);
    }

    #[test]
    fn alternative_routes_combine_in_parallel() {
        let paths = paths_of(
            "web: client\nlb1: load_balancer { availability 99%; managed true }\nlb2: load_balancer { availability 99%; managed true }\ndb: database { availability 100%; managed true }\nweb -> lb1, lb2\nlb1, lb2 -> db",
        );
        assert!((paths[0].availability - (1.0 - 0.01 * 0.01)).abs() < 1e-12);
        assert!(paths[0].exact);
    }

    #[test]
    fn caches_and_consumers_behind_a_queue_are_soft() {
        let paths = paths_of(
            "web: client\napi: service { availability 99%; managed true }\nc: cache { availability 50%; managed true }\nq: queue { availability 100%; managed true }\nw: worker { availability 50%; managed true }\nd: database { availability 100%; managed true }\nweb -> api -> c\napi ~> q ~> w -> d",
        );
        let to_queue = paths.iter().find(|p| p.target == 3).unwrap();
        assert!((to_queue.availability - 0.99).abs() < 1e-12);
        assert!(
            paths.iter().all(|p| p.target != 5),
            "the worker's database is not on a request path"
        );
    }
}
