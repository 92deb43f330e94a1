//! Composite availability of request journeys.
//!
//! A journey is one kind of request: from an entry, through the routers that dispatch it
//! (clients, DNS, CDNs, WAFs, load balancers, gateways), to the component that handles it.
//! Where a router fans out, each component it dispatches to starts a journey of its own;
//! its calls to an auth service are made for every request, so every journey through it
//! needs them. A request needs every hard dependency of every component it passes
//! through, each counted once: the journey's availability is the product over that set
//! (series), where interchangeable components (load balancers, CDNs or DNS with the same
//! neighbours, or components tagged `failover`) count once, in parallel.

use super::request::RequestGraph;
use crate::model::{Component, ComponentId, Design, Failover, JourneyId, Kind};
use crate::syntax::ast::FlowMode;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// Availability of one instance of a kind (or of a managed service) when none is declared.
pub fn default_availability(kind: Kind) -> f64 {
    match kind {
        Kind::Client | Kind::Metrics | Kind::Logging | Kind::Tracing | Kind::Alerting => 1.0,
        Kind::Dns
        | Kind::Cdn
        | Kind::Waf
        | Kind::LoadBalancer
        | Kind::ObjectStorage
        | Kind::SecretStore => 0.9999,
        Kind::Gateway | Kind::Database | Kind::Queue | Kind::Stream => 0.9995,
        Kind::Service
        | Kind::Auth
        | Kind::Worker
        | Kind::Cache
        | Kind::Search
        | Kind::External
        | Kind::ConfigStore
        | Kind::Component => 0.999,
    }
}

/// A component's availability: `1 − (1 − a)^replicas` for independent replicas; a
/// managed service's declared (or default) availability is already the whole service's.
pub fn component_availability(component: &Component) -> f64 {
    availability_on(component, component.replicas)
}

/// A component's availability when this many of its instances run.
pub fn availability_on(component: &Component, instances: u32) -> f64 {
    let single = component
        .availability
        .unwrap_or_else(|| default_availability(component.kind));
    if component.managed {
        single
    } else {
        // Past i32::MAX replicas the power is zero anyway; `as` would wrap it negative.
        let instances = i32::try_from(instances).unwrap_or(i32::MAX);
        1.0 - (1.0 - single).powi(instances)
    }
}

pub fn downtime_minutes_per_year(availability: f64) -> f64 {
    (1.0 - availability) * 525_600.0
}

/// The downtime a month a target allows: its error budget, a twelfth of the year's.
pub fn error_budget_minutes_per_month(target: f64) -> f64 {
    downtime_minutes_per_year(target) / 12.0
}

/// One factor of a path's availability.
#[derive(Debug, Clone)]
pub enum Segment {
    /// A component the journey needs.
    Component { id: ComponentId, availability: f64 },
    /// Interchangeable components, combined in parallel (each route one component).
    Parallel {
        routes: Vec<Vec<ComponentId>>,
        availability: f64,
    },
    /// The same stamp of components in several regions behind one router: the request
    /// succeeds if any region serves it, `1 − Π(1 − region)` over the regions that count.
    Regions {
        regions: Vec<RegionalCopy>,
        availability: f64,
    },
}

/// One region's copy of a stamp.
#[derive(Debug, Clone)]
pub struct RegionalCopy {
    pub region: String,
    /// How traffic is switched to it if it is a standby (active-passive); none when active.
    pub standby: Option<Failover>,
    /// What the request needs in this region.
    pub factors: Vec<Segment>,
}

impl RegionalCopy {
    pub fn availability(&self) -> f64 {
        self.factors.iter().map(Segment::availability).product()
    }

    /// Active copies count, and standbys traffic fails over to by itself; a standby
    /// switched by hand serves only once someone acts, minutes to hours later (seed 001),
    /// so the figure leaves it out.
    pub fn counts(&self) -> bool {
        self.standby != Some(Failover::Manual)
    }
}

/// `1 − Π(1 − aᵢ)` over the copies that serve, given as (availability, counts); when none
/// of them counts by itself (only standbys switched by hand), over all of them.
pub fn serving(copies: &[(f64, bool)]) -> f64 {
    let counted = copies.iter().filter(|(_, counts)| *counts);
    let all_fail: f64 = if copies.iter().any(|(_, counts)| *counts) {
        counted.map(|(a, _)| 1.0 - a).product()
    } else {
        copies.iter().map(|(a, _)| 1.0 - a).product()
    };
    1.0 - all_fail
}

impl Segment {
    /// Whether this factor counts the component (alone, as a backup, or in a region).
    pub fn counts(&self, component: ComponentId) -> bool {
        match self {
            Segment::Component { id, .. } => *id == component,
            Segment::Parallel { routes, .. } => routes.iter().flatten().any(|&m| m == component),
            Segment::Regions { regions, .. } => regions
                .iter()
                .any(|copy| copy.factors.iter().any(|f| f.counts(component))),
        }
    }

    /// Every component the factor counts (alone, as a backup, or in a region).
    pub fn components(&self) -> Vec<ComponentId> {
        match self {
            Segment::Component { id, .. } => vec![*id],
            Segment::Parallel { routes, .. } => routes.concat(),
            Segment::Regions { regions, .. } => regions
                .iter()
                .flat_map(|copy| copy.factors.iter().flat_map(Segment::components))
                .collect(),
        }
    }

    pub fn availability(&self) -> f64 {
        match self {
            Segment::Component { availability, .. }
            | Segment::Parallel { availability, .. }
            | Segment::Regions { availability, .. } => *availability,
        }
    }
}

#[derive(Debug, Clone)]
/// A journey: requests from `entry` that its routers dispatch to `target` (or a declared
/// journey, from its first step to its last), and the factors of everything they need.
pub struct PathAvailability {
    /// The declared journey, or none for one inferred from the routers.
    pub journey: Option<JourneyId>,
    pub entry: ComponentId,
    pub target: ComponentId,
    /// Routers first, then auth, then the target and its dependencies; the entry itself
    /// is outside the system.
    pub segments: Vec<Segment>,
    pub availability: f64,
    /// A declared journey's critical path, in milliseconds, from the latencies declared on
    /// its steps; none when it declares none.
    pub latency: Option<CriticalPath>,
}

/// The slowest way through a journey's steps: components and flows with declared latencies.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalPath {
    pub milliseconds: f64,
    /// The components along it, first to last.
    pub components: Vec<ComponentId>,
}

impl PathAvailability {
    /// Whether the journey needs the component (its availability counts in the figure).
    pub fn needs(&self, component: ComponentId) -> bool {
        self.segments.iter().any(|s| s.counts(component))
    }

    /// The availability this journey must meet: its own target, else the system's.
    pub fn target(&self, design: &Design) -> Option<f64> {
        self.journey
            .and_then(|j| design.journeys[j].sla)
            .or(design.system.sla)
    }

    /// The p99 latency this journey must meet: its own target, else the system's.
    pub fn latency_target(&self, design: &Design) -> Option<f64> {
        self.journey
            .and_then(|j| design.journeys[j].p99)
            .or(design.system.p99)
    }
}

/// Each component's own availability, and the group of interchangeable backups it is in.
pub(super) struct Availabilities {
    own: Vec<f64>,
    groups: Vec<Vec<ComponentId>>,
    group_of: Vec<Option<usize>>,
}

impl Availabilities {
    pub(super) fn new(design: &Design, request: &RequestGraph) -> Self {
        let own: Vec<f64> = design
            .components
            .iter()
            .map(component_availability)
            .collect();
        let groups = backup_groups(design, request);
        let mut group_of = vec![None; own.len()];
        for (index, members) in groups.iter().enumerate() {
            for &m in members {
                group_of[m] = Some(index);
            }
        }
        Availabilities {
            own,
            groups,
            group_of,
        }
    }

    /// The factors of a set of components: each on its own, a group of backups once.
    fn segments(&self, needed: &[ComponentId]) -> Vec<Segment> {
        let mut groups_seen: FxHashSet<usize> = FxHashSet::default();
        let mut segments = Vec::with_capacity(needed.len());
        for &id in needed {
            match self.group_of[id] {
                None => segments.push(Segment::Component {
                    id,
                    availability: self.own[id],
                }),
                Some(group) if groups_seen.insert(group) => {
                    let members = &self.groups[group];
                    let all_fail: f64 = members.iter().map(|&m| 1.0 - self.own[m]).product();
                    segments.push(Segment::Parallel {
                        routes: members.iter().map(|&m| vec![m]).collect(),
                        availability: 1.0 - all_fail,
                    });
                }
                Some(_) => {}
            }
        }
        segments
    }
}

/// Every journey, one per component the routers dispatch to, in the order found. The
/// entries are taken together: many clients calling one gateway make one journey to each
/// service behind it, not one per client (a product nobody reads).
pub(super) fn journeys(
    design: &Design,
    request: &RequestGraph,
    entries: &[ComponentId],
    values: &Availabilities,
) -> Vec<PathAvailability> {
    let mut stamp = Stamp::new(design.components.len());
    let mut is_entry = vec![false; design.components.len()];
    for &entry in entries {
        is_entry[entry] = true;
    }
    let routers = routers_from(design, request, entries);
    let every_request: EveryRequest = routers
        .iter()
        .map(|&router| {
            (
                router,
                every_request_calls(design, request, router).collect(),
            )
        })
        .collect();
    let dispatched = handlers(request, &routers, &every_request)
        .into_iter()
        .map(|(handler, chain)| {
            let mut needed = Needed::new(request, &is_entry, &mut stamp);
            for &router in &chain {
                needed.alone(router);
            }
            for &call in chain.iter().flat_map(|router| &every_request[router]) {
                needed.with_dependencies(call);
            }
            needed.with_dependencies(handler);
            (handler, chain, needed.list)
        })
        .collect::<Vec<_>>();
    regional_stamps(design, request, dispatched)
        .into_iter()
        .map(|stamp| {
            let (handler, chain, needed) = &stamp[0];
            let segments = match stamp.as_slice() {
                [_] => values.segments(needed),
                _ => in_regions(design, values, &stamp),
            };
            PathAvailability {
                journey: None,
                entry: chain[0],
                target: *handler,
                availability: segments.iter().map(Segment::availability).product(),
                segments,
                latency: None,
            }
        })
        .collect()
}

/// A handler, the routers on the way to it, and everything its journey needs.
type Dispatched = (ComponentId, Vec<ComponentId>, Vec<ComponentId>);

/// The dispatched journeys, those to one stamp deployed in several regions together: a
/// router's handlers of the same kind and label, each in a region of its own (active-
/// active or active-passive behind a global router, seed 001). The rest one by one.
fn regional_stamps(
    design: &Design,
    request: &RequestGraph,
    dispatched: Vec<Dispatched>,
) -> Vec<Vec<Dispatched>> {
    type Role<'d> = (Vec<ComponentId>, Kind, &'d str);
    let mut stamps: Vec<Vec<Dispatched>> = Vec::new();
    let mut stamp_of: FxHashMap<Role, usize> = FxHashMap::default();
    for journey in dispatched {
        let handler = &design.components[journey.0];
        let Some(region) = handler.region.as_deref() else {
            stamps.push(vec![journey]);
            continue;
        };
        let mut callers: Vec<ComponentId> = request
            .predecessors(journey.0)
            .iter()
            .copied()
            .filter(|c| journey.1.contains(c))
            .collect();
        callers.sort_unstable();
        let role = (callers, handler.kind, handler.label.as_str());
        let fits = |stamp: &Vec<Dispatched>| {
            stamp
                .iter()
                .all(|(other, ..)| design.components[*other].region.as_deref() != Some(region))
        };
        match stamp_of.get(&role) {
            Some(&index) if fits(&stamps[index]) => stamps[index].push(journey),
            _ => {
                stamp_of.insert(role, stamps.len());
                stamps.push(vec![journey]);
            }
        }
    }
    stamps
}

/// What every region's journey needs counts once, in series; the rest of each region's
/// in parallel with the other regions'.
fn in_regions(design: &Design, values: &Availabilities, stamp: &[Dispatched]) -> Vec<Segment> {
    let in_all = |c: &ComponentId| stamp.iter().all(|(_, _, needed)| needed.contains(c));
    let shared: Vec<ComponentId> = stamp[0].2.iter().copied().filter(in_all).collect();
    let regions: Vec<RegionalCopy> = stamp
        .iter()
        .map(|(handler, _, needed)| {
            let own: Vec<ComponentId> = needed.iter().copied().filter(|c| !in_all(c)).collect();
            // Switched by hand if any of its parts is; the copy is as quick as its slowest.
            let standby = own
                .iter()
                .filter_map(|&c| design.components[c].standby)
                .max_by_key(|&s| s == Failover::Manual);
            RegionalCopy {
                region: design.components[*handler]
                    .region
                    .clone()
                    .unwrap_or_default(),
                standby,
                factors: values.segments(&own),
            }
        })
        .collect();
    let copies: Vec<(f64, bool)> = regions
        .iter()
        .map(|copy| (copy.availability(), copy.counts()))
        .collect();
    let mut segments = values.segments(&shared);
    segments.push(Segment::Regions {
        regions,
        availability: serving(&copies),
    });
    segments
}

/// The declared journeys: each needs what its steps pass through (but the end of an
/// `optional` flow), and every hard dependency of those that are not routers; a router
/// counts with the calls it makes for every request (its other calls are other journeys).
pub(super) fn declared_journeys(
    design: &Design,
    request: &RequestGraph,
    entries: &[ComponentId],
    values: &Availabilities,
) -> Vec<PathAvailability> {
    let mut stamp = Stamp::new(design.components.len());
    let mut is_entry = vec![false; design.components.len()];
    for &entry in entries {
        is_entry[entry] = true;
    }
    design
        .journeys
        .iter()
        .enumerate()
        .filter(|(_, journey)| !journey.steps.is_empty())
        .map(|(index, journey)| {
            let passed = passed_through(design, &journey.steps);
            // The caller copes without the end of an optional flow, in a journey too.
            let ends = |optional: bool| -> FxHashSet<ComponentId> {
                let steps = journey.steps.iter().map(|&f| &design.flows[f]);
                steps
                    .filter(|flow| flow.optional == optional)
                    .map(|flow| flow.to)
                    .collect()
            };
            let optional_ends: FxHashSet<ComponentId> =
                ends(true).difference(&ends(false)).copied().collect();
            let mut needed = Needed::new(request, &is_entry, &mut stamp);
            for &component in passed.iter().filter(|c| !optional_ends.contains(c)) {
                if is_router(design, component) {
                    needed.alone(component);
                    for call in every_request_calls(design, request, component) {
                        needed.with_dependencies(call);
                    }
                } else {
                    needed.with_dependencies(component);
                }
            }
            let segments = values.segments(&needed.list);
            PathAvailability {
                journey: Some(index),
                entry: passed[0],
                target: *passed
                    .last()
                    .expect("a journey with steps passes something"),
                availability: segments.iter().map(Segment::availability).product(),
                segments,
                latency: critical_path(design, &journey.steps),
            }
        })
        .collect()
}

/// The components a journey's steps name, each once, in the order the steps name them.
fn passed_through(design: &Design, steps: &[usize]) -> Vec<ComponentId> {
    let mut seen = FxHashSet::default();
    steps
        .iter()
        .flat_map(|&flow| [design.flows[flow].from, design.flows[flow].to])
        .filter(|&c| seen.insert(c))
        .collect()
}

/// The slowest way through the steps, summing the latencies declared on components and
/// flows. A request waits for its synchronous calls and for a publish to be accepted, not
/// for what consumes it: nothing after an async step is on its path, and steps that
/// close a cycle are not followed. None when no step declares a latency.
fn critical_path(design: &Design, steps: &[usize]) -> Option<CriticalPath> {
    let declared = steps.iter().any(|&f| {
        let flow = &design.flows[f];
        flow.latency.is_some()
            || design.components[flow.from].latency.is_some()
            || design.components[flow.to].latency.is_some()
    });
    if !declared {
        return None;
    }
    let nodes = passed_through(design, steps);
    let index: FxHashMap<ComponentId, usize> =
        nodes.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let own = |i: usize| design.components[nodes[i]].latency.unwrap_or(0.0);
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut waiting = vec![0usize; nodes.len()];
    for &f in steps {
        out[index[&design.flows[f].from]].push(f);
        waiting[index[&design.flows[f].to]] += 1;
    }
    // Per node: the slowest arrival that goes on (a start, or by a sync call) and the
    // slowest of any kind, each with the node it came from.
    type Arrival = Option<(f64, Option<usize>)>;
    let mut onward: Vec<Arrival> = vec![None; nodes.len()];
    let mut arrival: Vec<Arrival> = vec![None; nodes.len()];
    let mut ready: Vec<usize> = (0..nodes.len()).filter(|&i| waiting[i] == 0).collect();
    for &i in &ready {
        onward[i] = Some((own(i), None));
        arrival[i] = onward[i];
    }
    let slower = |slot: &mut Arrival, value: (f64, Option<usize>)| {
        if slot.is_none_or(|(known, _)| value.0 > known) {
            *slot = Some(value);
        }
    };
    while let Some(i) = ready.pop() {
        for &f in &out[i] {
            let flow = &design.flows[f];
            let j = index[&flow.to];
            if let Some((spent, _)) = onward[i] {
                let total = spent + flow.latency.unwrap_or(0.0) + own(j);
                slower(&mut arrival[j], (total, Some(i)));
                if flow.mode == FlowMode::Sync {
                    slower(&mut onward[j], (total, Some(i)));
                }
            }
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    let (last, (milliseconds, _)) = arrival
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.map(|a| (i, a)))
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.0.cmp(&a.0)))?;
    let mut components = vec![nodes[last]];
    let mut from = arrival[last].and_then(|(_, from)| from);
    while let Some(i) = from {
        components.push(nodes[i]);
        from = onward[i].and_then(|(_, from)| from);
    }
    components.reverse();
    Some(CriticalPath {
        milliseconds,
        components,
    })
}

/// Components that pass a request on rather than handle it: the router kinds, and any
/// component declared with `features [routing]` (tenant-routing middleware, a service mesh
/// ingress, an auth gatekeeper passing authorized requests on) whose calls are different
/// requests, not parts of one.
fn is_router(design: &Design, id: ComponentId) -> bool {
    design.components[id].is_router()
}

/// Kinds a router dispatches requests to, as opposed to stores it reads for every request.
fn is_dispatch_target(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Service | Kind::Worker | Kind::Gateway | Kind::LoadBalancer | Kind::Component
    )
}

/// Each router's calls that every request through it makes (`every_request_calls`).
type EveryRequest = FxHashMap<ComponentId, Vec<ComponentId>>;

/// The calls a router makes for every request it passes on, rather than dispatching: to
/// auth (token validation) and, when it also dispatches elsewhere, to its stores (sessions,
/// rate limits). A router that only calls a store (a CDN before its bucket) serves from it.
fn every_request_calls<'r>(
    design: &'r Design,
    request: &'r RequestGraph,
    router: ComponentId,
) -> impl Iterator<Item = ComponentId> + 'r {
    let successors = request.successors(router);
    let declared = declared_every_request(design, router);
    let dispatches = successors.iter().any(|&next| {
        declared(next).map_or(is_dispatch_target(design.components[next].kind), |every| {
            !every
        })
    });
    successors.iter().copied().filter(move |&next| {
        let kind = design.components[next].kind;
        declared(next).unwrap_or(
            !is_router(design, next)
                && (kind == Kind::Auth
                    || (dispatches && matches!(kind, Kind::Cache | Kind::Database))),
        )
    })
}

/// What the router's flows to a component say with `every_request`, if any does.
fn declared_every_request(
    design: &Design,
    router: ComponentId,
) -> impl Fn(ComponentId) -> Option<bool> + '_ {
    let declared: FxHashMap<ComponentId, bool> = design
        .graph
        .edges(design.node(router))
        .filter_map(|edge| {
            let flow = &design.flows[*edge.weight()];
            Some((flow.to, flow.every_request?))
        })
        .collect();
    move |next| declared.get(&next).copied()
}

/// The routers requests pass through before anything handles them, the entries first, in
/// breadth-first order.
fn routers_from(
    design: &Design,
    request: &RequestGraph,
    entries: &[ComponentId],
) -> Vec<ComponentId> {
    let mut routers = entries.to_vec();
    let mut seen: FxHashSet<ComponentId> = entries.iter().copied().collect();
    let mut at = 0;
    while let Some(&router) = routers.get(at) {
        at += 1;
        for &next in request.successors(router) {
            if is_router(design, next) && seen.insert(next) {
                routers.push(next);
            }
        }
    }
    routers
}

/// Each component the routers dispatch to, with the routers on the way to it (an entry
/// first). Calls every request makes (see `every_request_calls`) are not handlers.
fn handlers(
    request: &RequestGraph,
    routers: &[ComponentId],
    every_request: &EveryRequest,
) -> Vec<(ComponentId, Vec<ComponentId>)> {
    let is_in_chain: FxHashSet<ComponentId> = routers.iter().copied().collect();
    let mut found: Vec<ComponentId> = Vec::new();
    let mut callers: FxHashMap<ComponentId, Vec<ComponentId>> = FxHashMap::default();
    for &router in routers {
        let every_request: FxHashSet<ComponentId> =
            every_request[&router].iter().copied().collect();
        for &next in request.successors(router) {
            if is_in_chain.contains(&next) || every_request.contains(&next) {
                continue;
            }
            let list = callers.entry(next).or_default();
            if list.is_empty() {
                found.push(next);
            }
            list.push(router);
        }
    }
    // The routers on some way from the entry to the handler: back from its callers.
    let mut into: FxHashMap<ComponentId, Vec<ComponentId>> = FxHashMap::default();
    for &router in routers {
        for &next in request.successors(router) {
            if is_in_chain.contains(&next) {
                into.entry(next).or_default().push(router);
            }
        }
    }
    // In the order the entries reach them.
    let order: FxHashMap<ComponentId, usize> =
        routers.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    found
        .into_iter()
        .map(|handler| {
            let mut chain: Vec<ComponentId> = Vec::new();
            let mut queue: VecDeque<ComponentId> = callers[&handler].iter().copied().collect();
            let mut seen: FxHashSet<ComponentId> = queue.iter().copied().collect();
            while let Some(router) = queue.pop_front() {
                chain.push(router);
                for &before in into.get(&router).into_iter().flatten() {
                    if seen.insert(before) {
                        queue.push_back(before);
                    }
                }
            }
            chain.sort_by_key(|r| order[r]);
            (handler, chain)
        })
        .collect()
}

/// Marks for a search, cleared in the time of what was marked.
struct Stamp {
    mark: Vec<u32>,
    current: u32,
}

impl Stamp {
    fn new(size: usize) -> Self {
        Stamp {
            mark: vec![0; size],
            current: 0,
        }
    }

    fn start(&mut self) {
        self.current += 1;
    }

    /// Marks `c`; whether it was unmarked in this search.
    fn first_time(&mut self, c: ComponentId) -> bool {
        std::mem::replace(&mut self.mark[c], self.current) != self.current
    }
}

/// What a journey needs, each once, in the order found; entries are outside the system.
struct Needed<'a> {
    request: &'a RequestGraph,
    is_entry: &'a [bool],
    stamp: &'a mut Stamp,
    list: Vec<ComponentId>,
}

impl<'a> Needed<'a> {
    fn new(request: &'a RequestGraph, is_entry: &'a [bool], stamp: &'a mut Stamp) -> Self {
        stamp.start();
        Needed {
            request,
            is_entry,
            stamp,
            list: Vec::new(),
        }
    }

    /// The component, without what it calls (a router's calls are other journeys).
    fn alone(&mut self, component: ComponentId) {
        if !self.is_entry[component] && self.stamp.first_time(component) {
            self.list.push(component);
        }
    }

    /// The component and every hard dependency it has, transitively.
    fn with_dependencies(&mut self, component: ComponentId) {
        let from = self.list.len();
        self.alone(component);
        let mut at = from;
        while let Some(&c) = self.list.get(at) {
            at += 1;
            for &next in self.request.successors(c) {
                self.alone(next);
            }
        }
    }
}

/// For each component that has backups (see `is_backup_candidate`) with the same
/// neighbours, the group of them.
fn backup_groups(design: &Design, request: &RequestGraph) -> Vec<Vec<ComponentId>> {
    // Components that can stand in for each other: same kind (or both tagged), same neighbours.
    type Place = (Kind, bool, Vec<ComponentId>, Vec<ComponentId>);
    let mut groups: FxHashMap<Place, Vec<ComponentId>> = FxHashMap::default();
    let mut order: Vec<Place> = Vec::new();
    for (id, c) in design.components.iter().enumerate() {
        if is_backup_candidate(c) {
            let mut before = request.predecessors(id).to_vec();
            let mut after = request.successors(id).to_vec();
            before.sort_unstable();
            after.sort_unstable();
            let tagged = c.tags.iter().any(|t| t == "failover");
            let kind = if tagged { Kind::Component } else { c.kind };
            let place = (kind, tagged, before, after);
            let members = groups.entry(place.clone()).or_default();
            if members.is_empty() {
                order.push(place);
            }
            members.push(id);
        }
    }
    order
        .into_iter()
        .filter_map(|place| groups.remove(&place))
        .filter(|members| members.len() >= 2)
        .collect()
}

fn is_backup_candidate(component: &Component) -> bool {
    matches!(component.kind, Kind::LoadBalancer | Kind::Cdn | Kind::Dns)
        || component.tags.iter().any(|t| t == "failover")
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
        assert!((store[0].availability - 0.999 * 0.995).abs() < 1e-12);
        for look_aside in ["", "; role lookaside"] {
            assert!((paths_of(&design(look_aside))[0].availability - 0.999).abs() < 1e-12);
        }
    }

    #[test]
    fn a_flow_says_whether_a_router_calls_it_for_every_request_or_dispatches_along_it() {
        let design = |limiter: &str, sso: &str| {
            format!(
                "users: client\ngw: gateway {{ managed true; availability 100% }}\n\
                 api: service {{ managed true; availability 99.9% }}\n\
                 limiter: service {{ managed true; availability 99% }}\n\
                 sso: auth {{ managed true; availability 99.5% }}\n\
                 users -> gw -> api\ngw -> limiter{limiter}\ngw -> sso{sso}\n"
            )
        };
        let handlers = |paths: &[super::PathAvailability]| -> Vec<(usize, f64)> {
            let mut found: Vec<(usize, f64)> =
                paths.iter().map(|p| (p.target, p.availability)).collect();
            found.sort_by_key(|&(target, _)| target);
            found
        };
        // By kind: the limiter is a service of its own, auth is checked for every request.
        let by_kind = handlers(&paths_of(&design("", "")));
        assert_eq!(by_kind.len(), 2, "{by_kind:?}");
        assert!((by_kind[0].1 - 0.999 * 0.995).abs() < 1e-12);
        assert!((by_kind[1].1 - 0.99 * 0.995).abs() < 1e-12);
        // Declared: the limiter is called for every request, sign-in is a request of its own.
        let declared = handlers(&paths_of(&design(
            " { every_request true }",
            " { every_request false }",
        )));
        assert_eq!(declared.len(), 2, "{declared:?}");
        assert!((declared[0].1 - 0.999 * 0.99).abs() < 1e-12);
        assert_eq!(declared[1].0, 4);
        assert!((declared[1].1 - 0.99 * 0.995).abs() < 1e-12);
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

    #[test]
    fn a_sync_cycle_needs_all_its_members_once() {
        let mut text = String::from("web: client\ndb: database\nweb -> s0\ns5 -> db\n");
        for i in 0..20 {
            text.push_str(&format!("s{i}: service\ns{i} -> s{}\n", (i + 1) % 20));
        }
        let paths = paths_of(&text);
        assert_eq!(paths.len(), 1);
        assert!((paths[0].availability - 0.999f64.powi(20) * 0.9995).abs() < 1e-12);
    }

    #[test]
    fn a_router_fanning_out_dispatches_different_journeys_and_each_counts_alone() {
        let paths = paths_of(
            "web: client\ngw: gateway { availability 100%; managed true }\na: service { availability 99%; managed true }\nb: service { availability 90%; managed true }\ndb: database { availability 100%; managed true }\nweb -> gw -> a, b\na, b -> db",
        );
        let figures: Vec<(usize, f64)> = paths.iter().map(|p| (p.target, p.availability)).collect();
        assert_eq!(figures, [(2, 0.99), (3, 0.9)]);
    }

    #[test]
    fn a_request_needs_every_dependency_of_what_it_passes_through_each_once() {
        // The Reliable Web App shape: the web app needs all its stores at once, and the
        // database it reaches twice counts once.
        let paths = paths_of(
            "web: client\nfd: cdn { availability 99.99%; managed true }\napp: service { availability 99.95%; managed true }\nid: auth { availability 99.99%; managed true }\nsql: database { availability 99.995%; managed true }\nkv: external { availability 99.99%; managed true }\nrepo: service { availability 100%; managed true }\nweb -> fd -> app -> id, sql, kv, repo\nrepo -> sql",
        );
        assert_eq!(paths.len(), 1);
        let expected = 0.9999 * 0.9995 * 0.9999 * 0.99995 * 0.9999;
        assert!((paths[0].availability - expected).abs() < 1e-12);
    }

    #[test]
    fn auth_a_gateway_calls_is_needed_by_every_journey_through_it() {
        let paths = paths_of(
            "web: client\ngw: gateway { availability 100%; managed true }\nauth: auth { availability 99%; managed true }\na: service { availability 100%; managed true }\nb: service { availability 100%; managed true }\nweb -> gw -> auth, a, b",
        );
        let figures: Vec<(usize, f64)> = paths.iter().map(|p| (p.target, p.availability)).collect();
        assert_eq!(figures, [(3, 0.99), (4, 0.99)]);
    }

    #[test]
    fn an_auth_gatekeeper_declared_routing_is_a_router_and_its_session_store_is_in_every_journey() {
        // fintech's shape: gateway → authn → the services; authn reads its session store.
        let paths = paths_of(
            "web: client\ngw: gateway { availability 100%; managed true }\nauthn: auth { availability 99%; managed true; features [routing] }\nsessions: database { availability 90%; managed true }\na: service { availability 100%; managed true }\nb: service { availability 50%; managed true }\nweb -> gw -> authn -> a, b\nauthn -> sessions",
        );
        let figures: Vec<(usize, f64)> = paths.iter().map(|p| (p.target, p.availability)).collect();
        assert_eq!(figures, [(4, 0.99 * 0.9), (5, 0.99 * 0.9 * 0.5)]);
    }

    #[test]
    fn a_router_that_only_calls_a_store_serves_from_it() {
        let paths = paths_of(
            "web: client\ncdn: cdn { availability 99%; managed true }\nbucket: object_storage { availability 90%; managed true }\nweb -> cdn -> bucket",
        );
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].target, 2);
        assert!((paths[0].availability - 0.99 * 0.9).abs() < 1e-12);
    }

    const SHOP: &str = "web: client\ngw: gateway { availability 100%; managed true }\n\
        order: service { availability 99%; managed true; latency 20ms }\n\
        search: service { availability 50%; managed true }\n\
        db: database { availability 90%; managed true; latency 5ms }\n\
        pay: external { availability 80%; latency 300ms }\n\
        q: queue { availability 100%; managed true; latency 2ms }\n\
        mail: worker { availability 10%; managed true; latency 900ms }\n\
        web -> gw -> order, search\norder -> db { latency 3ms }\norder -> pay\norder ~> q ~> mail\n";

    #[test]
    fn a_declared_journey_needs_what_its_steps_pass_and_their_dependencies_not_a_routers_other_calls(
    ) {
        let paths = paths_of(&format!("{SHOP}journey checkout {{ web -> gw -> order }}"));
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].journey, Some(0));
        // order's dependencies (db, pay, the queue it publishes to) but not search, which
        // the gateway dispatches other requests to, nor the consumer behind the queue.
        assert!((paths[0].availability - 0.99 * 0.9 * 0.8).abs() < 1e-12);
    }

    #[test]
    fn a_consumer_named_in_a_journey_counts() {
        let paths = paths_of(&format!(
            "{SHOP}journey receipt {{ web -> gw -> order ~> q ~> mail }}"
        ));
        assert!((paths[0].availability - 0.99 * 0.9 * 0.8 * 0.1).abs() < 1e-12);
    }

    #[test]
    fn the_critical_path_is_the_slowest_way_through_the_steps_and_stops_after_an_async_step() {
        let paths = paths_of(&format!(
            "{SHOP}journey checkout {{ web -> gw -> order -> db\n order ~> q ~> mail }}"
        ));
        let critical = paths[0].latency.as_ref().unwrap();
        // order 20 + 3 + db 5 = 28 beats order 20 + q 2 = 22; mail's 900 ms is not waited for.
        assert_eq!(critical.milliseconds, 28.0);
        assert_eq!(critical.components, [0, 1, 2, 4]);
        let slow = paths_of(&format!(
            "{SHOP}journey charge {{ web -> gw -> order -> pay }}"
        ));
        assert_eq!(slow[0].latency.as_ref().unwrap().milliseconds, 320.0);
        let none = paths_of(&format!("{SHOP}journey browse {{ web -> gw -> search }}"));
        assert_eq!(none[0].latency, None, "no step declares a latency");
    }

    #[test]
    fn declared_journeys_replace_the_inferred_ones_and_each_has_its_own_target() {
        let text = format!(
            "system \"S\" {{ sla 99.9% }}\n{SHOP}journey browse {{ web -> gw -> search; sla 40% }}\njourney checkout {{ web -> gw -> order }}"
        );
        let checked = crate::check(&crate::source::Source::new("t", &text));
        let analysis = super::super::analyze(&checked.design);
        let targets: Vec<Option<f64>> = analysis
            .paths
            .iter()
            .map(|p| p.target(&checked.design))
            .collect();
        assert_eq!(targets, [Some(0.4), Some(0.999)]);
    }

    #[test]
    fn a_stamp_in_two_regions_behind_one_router_counts_once_with_the_regions_in_parallel() {
        let stamp = |n: u32| {
            format!(
                "web{n}: service \"Web\" {{ availability 99%; managed true; region \"r{n}\" }}\n\
                 db{n}: database {{ availability 90%; managed true; region \"r{n}\" }}\n\
                 cdn -> web{n} -> db{n}, idp\n"
            )
        };
        let paths = paths_of(&format!(
            "users: client\ncdn: cdn {{ availability 99.99%; managed true }}\nidp: auth {{ availability 99.9%; managed true }}\nusers -> cdn\n{}{}",
            stamp(1),
            stamp(2)
        ));
        assert_eq!(paths.len(), 1, "one journey, not one per region");
        let region = 0.99 * 0.9;
        let expected = 0.9999 * 0.999 * (1.0 - (1.0 - region) * (1.0 - region));
        assert!((paths[0].availability - expected).abs() < 1e-12);
    }

    #[test]
    fn each_entry_counts_its_own_way() {
        let paths = paths_of(
            "web: client\napp: client\ns1: service { availability 99%; managed true }\ns2: service { availability 99.9%; managed true }\ndb: database { availability 100%; managed true }\nweb -> s1 -> db\napp -> s2 -> db",
        );
        let ends: Vec<(usize, usize)> = paths.iter().map(|p| (p.entry, p.target)).collect();
        assert_eq!(ends, [(0, 2), (1, 3)]);
        assert!((paths[0].availability - 0.99).abs() < 1e-12);
        assert!((paths[1].availability - 0.999).abs() < 1e-12);
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
        // The journey needs the api and the queue it publishes to, not what is behind it.
        assert_eq!(paths.len(), 1);
        assert!((paths[0].availability - 0.99).abs() < 1e-12);
        let needed: Vec<usize> = paths[0]
            .segments
            .iter()
            .filter_map(|s| match s {
                super::Segment::Component { id, .. } => Some(*id),
                super::Segment::Parallel { .. } | super::Segment::Regions { .. } => None,
            })
            .collect();
        assert_eq!(needed, [1, 3]);
    }
}
