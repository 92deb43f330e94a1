//! Composite availability of request paths.
//!
//! From an entry to a target, the components every path crosses (the target's dominators
//! from that entry) multiply in series. Between two consecutive ones there may be several
//! routes. Interchangeable ones (load balancers, CDNs, DNS providers side by side, or
//! components tagged `failover`) back each other up and combine in parallel. Other routes
//! are different request journeys through different services, so the least available one
//! counts: the result is the availability of the weakest request path. Synchronous call
//! cycles (reported by AVL106) are cut: a journey does not go round one.

use super::request::RequestGraph;
use crate::model::{Component, ComponentId, Design, Kind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

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
        // Past i32::MAX replicas the power is zero anyway; `as` would wrap it negative.
        let replicas = i32::try_from(component.replicas).unwrap_or(i32::MAX);
        1.0 - (1.0 - single).powi(replicas)
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
}

impl Segment {
    pub fn availability(&self) -> f64 {
        match self {
            Segment::Component { availability, .. }
            | Segment::Parallel { availability, .. }
            | Segment::Weakest { availability, .. } => *availability,
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
}

/// Each component's own availability, and with its interchangeable backups in parallel.
pub(super) struct Availabilities {
    own: Vec<f64>,
    effective: Vec<f64>,
}

impl Availabilities {
    pub(super) fn new(design: &Design, request: &RequestGraph) -> Self {
        let own: Vec<f64> = design
            .components
            .iter()
            .map(component_availability)
            .collect();
        let backed_up = backup_availability(design, request);
        let effective = own
            .iter()
            .zip(backed_up)
            .map(|(&own, backed_up)| backed_up.unwrap_or(own))
            .collect();
        Availabilities { own, effective }
    }
}

/// Immediate dominators: `idom(c)` for a reachable component, `root` (the component count)
/// for an entry. With a virtual root over all entries, or over one entry's reach only.
pub(super) type Idom<'a> = &'a dyn Fn(ComponentId) -> ComponentId;

/// For every target, the least available request journey to it. `targets` are those the
/// entries reach.
pub(super) fn paths(
    design: &Design,
    request: &RequestGraph,
    entries: &[ComponentId],
    targets: &[ComponentId],
    values: &Availabilities,
    idom: Idom,
) -> Vec<PathAvailability> {
    let is_entry: FxHashSet<ComponentId> = entries.iter().copied().collect();
    let journeys = Journeys::new(request, entries, &is_entry, &values.effective);
    let root = design.components.len();
    let mut between: FxHashMap<ComponentId, Option<Segment>> = FxHashMap::default();
    let mut paths = Vec::new();
    for &target in targets {
        if is_entry.contains(&target) || !journeys.weakest.contains_key(&target) {
            continue;
        }
        let chain = dominator_chain(idom, root, target);
        let mut segments = Vec::new();
        for pair in chain.windows(2) {
            let (u, v) = (pair[0], pair[1]);
            let segment = between
                .entry(v)
                .or_insert_with(|| segment_between(design, request, &journeys, values, u, v, root));
            segments.extend(segment.clone());
            if !is_entry.contains(&v) {
                segments.push(Segment::Component {
                    id: v,
                    availability: values.own[v],
                });
            }
        }
        paths.push(PathAvailability {
            entry: journeys.origin(target),
            target,
            availability: segments.iter().map(Segment::availability).product(),
            segments,
        });
    }
    paths
}

/// The least available journey from any entry to each component it reaches: `weakest[c]`
/// is its availability (entries count as 1) and `through[c]` the component before it.
/// Sparse, so the journeys of one entry cost only what that entry reaches.
struct Journeys {
    weakest: FxHashMap<ComponentId, f64>,
    through: FxHashMap<ComponentId, ComponentId>,
}

impl Journeys {
    fn new(
        request: &RequestGraph,
        entries: &[ComponentId],
        is_entry: &FxHashSet<ComponentId>,
        effective: &[f64],
    ) -> Self {
        let mut weakest: FxHashMap<ComponentId, f64> =
            entries.iter().map(|&entry| (entry, 1.0)).collect();
        let mut through = FxHashMap::default();
        let order = super::order::forward_order(entries.iter().copied(), |c| request.successors(c));
        let position: FxHashMap<ComponentId, usize> = order
            .iter()
            .enumerate()
            .map(|(index, &c)| (c, index))
            .collect();
        for &node in &order {
            let Some(&so_far) = weakest.get(&node) else {
                continue;
            };
            for &next in request.successors(node) {
                // Back edges close cycles; a journey does not go round one.
                if position[&next] <= position[&node] || is_entry.contains(&next) {
                    continue;
                }
                let candidate = so_far * effective[next];
                if weakest.get(&next).is_none_or(|&known| candidate < known) {
                    weakest.insert(next, candidate);
                    through.insert(next, node);
                }
            }
        }
        Journeys { weakest, through }
    }

    /// The entry the weakest journey to `target` starts from.
    fn origin(&self, target: ComponentId) -> ComponentId {
        let mut at = target;
        while let Some(&before) = self.through.get(&at) {
            at = before;
        }
        at
    }

    /// The components strictly between `u` and `v` on the weakest journey to `v`; from
    /// its entry when `u` is the virtual root (entries are outside the system).
    fn route(&self, u: ComponentId, v: ComponentId) -> Vec<ComponentId> {
        let mut route = Vec::new();
        let mut at = self.through.get(&v).copied();
        while let Some(c) = at {
            // Only entries have no component before them.
            if c == u || !self.through.contains_key(&c) {
                break;
            }
            route.push(c);
            at = self.through.get(&c).copied();
        }
        route.reverse();
        route
    }
}

/// `root, …, target`: the components on every path, in path order.
fn dominator_chain(idom: Idom, root: usize, target: ComponentId) -> Vec<ComponentId> {
    let mut chain = vec![target];
    let mut at = target;
    while at != root {
        at = idom(at);
        chain.push(at);
    }
    chain.reverse();
    chain
}

/// Regions larger than this are not searched for interchangeable routes.
const REGION_LIMIT: usize = 256;

/// The factor for the routes from `u` to its dominated `v`, or none for a direct hop.
fn segment_between(
    design: &Design,
    request: &RequestGraph,
    journeys: &Journeys,
    values: &Availabilities,
    u: ComponentId,
    v: ComponentId,
    root: usize,
) -> Option<Segment> {
    if request.predecessors(v) == [u] {
        return None;
    }
    // From the virtual root, `v` is the first component every journey crosses, reached
    // from different entries by different routes: only the weakest journey counts, as
    // between any two such components. Nothing there is searched for backups: the
    // region would span every entry's reach.
    let region = (u != root).then(|| region_between(request, u, v)).flatten();
    if let Some(region) = region {
        if region.is_empty() {
            return None;
        }
        if let Some(routes) = disjoint_chains(request, &region, u, v) {
            if interchangeable(design, &routes) {
                let all_fail: f64 = routes
                    .iter()
                    .map(|route| 1.0 - route.iter().map(|&c| values.own[c]).product::<f64>())
                    .product();
                return Some(Segment::Parallel {
                    routes,
                    availability: 1.0 - all_fail,
                });
            }
        }
    }
    // `u` is on every journey to `v`, so the weakest one passes through it. When it goes
    // straight from `u` (or an entry) to `v`, nothing between them counts: no factor.
    let route = journeys.route(u, v);
    if route.is_empty() {
        return None;
    }
    let availability = route.iter().map(|&c| values.effective[c]).product();
    Some(Segment::Weakest {
        route,
        availability,
    })
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

/// The components on some path from `u` to `v` (neither included), or none if too many.
fn region_between(
    request: &RequestGraph,
    u: ComponentId,
    v: ComponentId,
) -> Option<Vec<ComponentId>> {
    let forward = bounded_search(u, v, |c| request.successors(c), |_| true)?;
    // The region lies inside `forward`: the way back from `v` is walked over the edges
    // among its components only, so neither a long cycle through `v` nor the callers of a
    // much-called `v` outside it cost anything.
    let mut into: FxHashMap<ComponentId, Vec<ComponentId>> = FxHashMap::default();
    for &c in &forward {
        for &next in request.successors(c) {
            into.entry(next).or_default().push(c);
        }
    }
    let empty = Vec::new();
    let backward = bounded_search(v, u, |c| into.get(&c).unwrap_or(&empty), |_| true)?;
    let mut region: Vec<ComponentId> = forward
        .iter()
        .copied()
        .filter(|c| backward.contains(c) && *c != u && *c != v)
        .collect();
    region.sort_unstable();
    Some(region)
}

/// The components reachable from `start` through `allowed` ones without passing `stop`
/// (`start` included), or none if more than [`REGION_LIMIT`].
fn bounded_search<'g>(
    start: ComponentId,
    stop: ComponentId,
    next: impl Fn(ComponentId) -> &'g [ComponentId],
    allowed: impl Fn(ComponentId) -> bool,
) -> Option<FxHashSet<ComponentId>> {
    let mut seen = FxHashSet::from_iter([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for &n in next(at) {
            if n != stop && !seen.contains(&n) && allowed(n) {
                if seen.len() == REGION_LIMIT {
                    return None;
                }
                seen.insert(n);
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

#[cfg(test)]
mod tests {
    use crate::source::Source;

    fn paths_of(text: &str) -> Vec<super::PathAvailability> {
        let checked = crate::check(&Source::new("t", text));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        super::super::analyze(&checked.design).paths
    }

    #[test]
    fn a_cache_holding_the_only_copy_is_a_hard_dependency_and_a_look_aside_one_is_not() {
        let design = |role: &str| {
            format!(
                "web: client\napi: service {{ availability 99.9%; managed true }}\n\
                 carts: cache {{ availability 99.5%; managed true{role} }}\nweb -> api -> carts"
            )
        };
        let store = paths_of(&design("; role store"));
        assert_eq!(store.len(), 1, "the only copy is where the request ends");
        assert!((store[0].availability - 0.999 * 0.995).abs() < 1e-12);
        assert!(paths_of(&design("")).is_empty());
        assert!(paths_of(&design("; role lookaside")).is_empty());
    }

    #[test]
    fn series_components_multiply() {
        let paths = paths_of(
            "web: client\na: service { availability 99.9% }\nb: database { availability 99.9% }\nweb -> a -> b",
        );
        assert_eq!(paths.len(), 1);
        assert!((paths[0].availability - 0.999 * 0.999).abs() < 1e-12);
    }

    #[test]
    fn replicas_combine_in_parallel() {
        let paths = paths_of("web: client\na: service { availability 99%; replicas 2 }\nweb -> a ~> q\nq: queue { managed true; availability 100% }");
        assert!((paths[0].availability - (1.0 - 0.01 * 0.01)).abs() < 1e-12);
    }

    #[test]
    fn the_most_replicas_a_design_may_declare_stay_a_probability() {
        let paths = paths_of(
            "web: client\na: service { replicas 4294967295 }\nd: database { managed true; availability 100% }\nweb -> a -> d",
        );
        assert_eq!(paths[0].availability, 1.0);
    }

    /// A sync cycle longer than the region limit, entered from `web` at `s0`.
    fn long_cycle(length: usize) -> String {
        let mut text = String::from("web: client\ndb: database\nweb -> s0\ns5 -> db\n");
        for i in 0..length {
            text.push_str(&format!("s{i}: service\ns{i} -> s{}\n", (i + 1) % length));
        }
        text
    }

    #[test]
    fn a_long_sync_cycle_adds_no_empty_route() {
        for length in [20, super::REGION_LIMIT + 44] {
            let paths = paths_of(&long_cycle(length));
            let to_db = paths.iter().find(|p| p.target == 1).unwrap();
            assert!(
                to_db
                    .segments
                    .iter()
                    .all(|s| matches!(s, super::Segment::Component { .. })),
                "{length}: {:?}",
                to_db.segments
            );
            // s0 … s5 and the database, one after another.
            assert!((to_db.availability - 0.999f64.powi(6) * 0.9995).abs() < 1e-12);
        }
    }

    #[test]
    fn different_services_are_different_journeys_and_the_weakest_counts() {
        let paths = paths_of(
            "web: client\ngw: gateway { availability 100%; managed true }\na: service { availability 99%; managed true }\nb: service { availability 90%; managed true }\ndb: database { availability 100%; managed true }\nweb -> gw -> a, b\na, b -> db",
        );
        let to_db = paths.iter().find(|p| p.target == 4).unwrap();
        assert!((to_db.availability - 0.9).abs() < 1e-12);
    }

    #[test]
    fn entries_count_their_own_way_to_the_first_component_they_share() {
        // From the virtual root over both entries the database is the first shared
        // component: what leads to it counts by the weakest journey, not as nothing.
        let paths = paths_of(
            "web: client\napp: client\ns1: service { availability 99%; managed true }\ns2: service { availability 99.9%; managed true }\ndb: database { availability 100%; managed true }\nweb -> s1 -> db\napp -> s2 -> db",
        );
        assert_eq!(paths.len(), 1);
        assert_eq!((paths[0].entry, paths[0].target), (0, 4));
        assert!((paths[0].availability - 0.99).abs() < 1e-12);
        assert!(matches!(
            &paths[0].segments[0],
            super::Segment::Weakest { route, .. } if route == &[2]
        ));
    }

    #[test]
    fn alternative_routes_combine_in_parallel() {
        let paths = paths_of(
            "web: client\nlb1: load_balancer { availability 99%; managed true }\nlb2: load_balancer { availability 99%; managed true }\ndb: database { availability 100%; managed true }\nweb -> lb1, lb2\nlb1, lb2 -> db",
        );
        assert!((paths[0].availability - (1.0 - 0.01 * 0.01)).abs() < 1e-12);
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
