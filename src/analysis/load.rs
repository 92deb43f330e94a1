//! Load: the system's declared traffic carried through the design's flows to every
//! component, as requests per second at average, peak and design-for load (seed 003 §5).
//!
//! The traffic enters at the entry points, split evenly between them. Every flow, sync or
//! async, carries its `share` of its caller's requests (all of them when undeclared, so a
//! fan-out multiplies); a cache with a `hit_ratio` passes on only its misses, and a
//! caller that reads through look-aside caches sends only their misses along its `access
//! read` flows into data stores. Rates are linear in the traffic, so one pass finds each
//! component's fraction of the system's requests and scales the three rates by it. A
//! flow closing a cycle carries nothing: it would count the same requests again.
//!
//! A journey that declares traffic adds it to every component its steps pass through
//! (each once, at the most it arrives with), on top of the system's: a step carries all
//! the journey's requests whatever its share (the journey is the requests that take it),
//! but past a cache, or on a read behind look-aside caches, only the misses.

use super::order::forward_order;
use crate::model::{ComponentId, Design, Flow, Journey, Kind, Rates};
use rustc_hash::FxHashMap;

pub struct Load {
    /// The requests per second entering the design, the system's and its journeys',
    /// after `--traffic` scaling.
    pub system: Rates,
    /// The multiple of the declared traffic this load is taken at (`--traffic`).
    pub traffic_scale: f64,
    /// Per component, in declaration order: the requests per second reaching it.
    pub components: Vec<Rates>,
    /// Per component: average writes per second into it.
    pub writes: Vec<Writes>,
}

/// Average writes per second into a component.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Writes {
    /// Through flows that write into it: `access write` or `read_write`, or undeclared
    /// (what it may have to store).
    pub all: f64,
    /// Through flows that declare they write (what it surely takes as writes).
    pub declared: f64,
}

impl Writes {
    /// Counts `rate` carried by `flow`, as far as the flow writes.
    fn add(&mut self, flow: &Flow, rate: f64) {
        if flow.access.is_none_or(|access| access.writes()) {
            self.all += rate;
        }
        if flow.access.is_some_and(|access| access.writes()) {
            self.declared += rate;
        }
    }

    fn scaled(self, factor: f64) -> Writes {
        Writes {
            all: self.all * factor,
            declared: self.declared * factor,
        }
    }
}

impl Load {
    /// The load of the declared traffic times `scale`; none when neither the system nor
    /// a journey declares traffic.
    pub fn new(design: &Design, entries: &[ComponentId], scale: f64) -> Option<Load> {
        let declared = design.system.traffic.rates();
        let journeys: Vec<(&Journey, Rates)> = (design.journeys.iter())
            .filter_map(|journey| Some((journey, journey.traffic.rates()?.scaled(scale))))
            .collect();
        if declared.is_none() && journeys.is_empty() {
            return None;
        }
        let system = declared.unwrap_or_default().scaled(scale);
        let outgoing = outgoing(design);
        let read_misses = read_misses(design, &outgoing);
        let (fractions, write_fractions) = fractions(design, entries, &outgoing, &read_misses);
        let mut load = Load {
            system,
            traffic_scale: scale,
            components: fractions.iter().map(|&f| system.scaled(f)).collect(),
            writes: write_fractions
                .iter()
                .map(|w| w.scaled(system.average))
                .collect(),
        };
        for &(journey, rates) in &journeys {
            load.add_journey(design, journey, rates, &read_misses);
        }
        Some(load)
    }

    /// A journey's rates on each component its steps pass through, once each, and its
    /// writes into what its steps write to.
    fn add_journey(
        &mut self,
        design: &Design,
        journey: &Journey,
        rates: Rates,
        read_misses: &[f64],
    ) {
        self.system = self.system.plus(rates);
        // The share of the journey's requests reaching each component it has reached.
        let mut reached: FxHashMap<ComponentId, f64> = FxHashMap::default();
        for &step in &journey.steps {
            let flow = &design.flows[step];
            let arriving = *reached.entry(flow.from).or_insert(1.0);
            let carried = arriving * misses_passed_on(design, flow, read_misses[flow.from]);
            let at_target = reached.entry(flow.to).or_insert(0.0);
            *at_target = at_target.max(carried);
            self.writes[flow.to].add(flow, rates.average * carried);
        }
        for (component, share) in reached {
            self.components[component] = self.components[component].plus(rates.scaled(share));
        }
    }
}

/// Per component, the fraction of the system's requests reaching it, and of those the
/// fraction that write into it.
fn fractions(
    design: &Design,
    entries: &[ComponentId],
    outgoing: &[Vec<usize>],
    read_misses: &[f64],
) -> (Vec<f64>, Vec<Writes>) {
    let count = design.components.len();
    let successors: Vec<Vec<ComponentId>> = outgoing
        .iter()
        .map(|flows| flows.iter().map(|&id| design.flows[id].to).collect())
        .collect();
    let order = forward_order(entries.iter().copied(), |c| &successors[c]);
    let mut position = vec![usize::MAX; count];
    for (at, &component) in order.iter().enumerate() {
        position[component] = at;
    }
    let mut fraction = vec![0.0; count];
    let mut writes = vec![Writes::default(); count];
    for &entry in entries {
        fraction[entry] += 1.0 / entries.len() as f64;
    }
    for &component in &order {
        for &id in &outgoing[component] {
            let flow = &design.flows[id];
            if position[flow.to] <= position[component] {
                continue;
            }
            let carried = fraction[component] * carried_share(design, flow, read_misses[component]);
            fraction[flow.to] += carried;
            writes[flow.to].add(flow, carried);
        }
    }
    (fraction, writes)
}

/// The flows out of each component.
fn outgoing(design: &Design) -> Vec<Vec<usize>> {
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); design.components.len()];
    for (id, flow) in design.flows.iter().enumerate() {
        outgoing[flow.from].push(id);
    }
    outgoing
}

/// The share of its caller's requests a flow carries: its declared share of what
/// [`misses_passed_on`] lets through.
fn carried_share(design: &Design, flow: &Flow, caller_read_misses: f64) -> f64 {
    flow.share.unwrap_or(1.0) * misses_passed_on(design, flow, caller_read_misses)
}

/// Of the requests a flow's caller sends along it, those that get past caches: only the
/// misses out of a cache, and only the misses of the caches its caller reads through on
/// a read into a data store.
fn misses_passed_on(design: &Design, flow: &Flow, caller_read_misses: f64) -> f64 {
    let caller = &design.components[flow.from];
    let target = &design.components[flow.to];
    let mut share = 1.0;
    if caller.kind == Kind::Cache {
        share *= 1.0 - caller.sizing.hit_ratio.unwrap_or(0.0);
    }
    let read = flow.access == Some(crate::model::Access::Read);
    if read && target.kind.is_data_store() && target.kind != Kind::Cache {
        share *= caller_read_misses;
    }
    share
}

/// Per component, the share of its reads that miss every look-aside cache it calls
/// (each with a `hit_ratio`, in turn): 1 for one that calls none.
fn read_misses(design: &Design, outgoing: &[Vec<usize>]) -> Vec<f64> {
    outgoing
        .iter()
        .map(|flows| {
            flows
                .iter()
                .map(|&id| &design.components[design.flows[id].to])
                .filter(|target| target.kind == Kind::Cache)
                .filter_map(|cache| cache.sizing.hit_ratio)
                .map(|hit| 1.0 - hit)
                .product()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn load(text: &str) -> (Design, Load) {
        let checked = crate::check(&Source::new("t", text));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let design = checked.design;
        let analysis = crate::analysis::analyze(&design);
        let load = Load::new(&design, &analysis.entries, 1.0).expect("traffic declared");
        (design, load)
    }

    fn peak(design: &Design, load: &Load, id: &str) -> f64 {
        let at = design.components.iter().position(|c| c.id == id).unwrap();
        load.components[at].peak
    }

    #[test]
    fn gateways_split_by_share_fan_out_multiplies_and_caches_pass_misses() {
        let (design, load) = load(
            "system \"s\" { peak_rps 1000 }
             users: client
             gw: gateway
             orders: service
             catalog: service
             cache: cache { hit_ratio 80% }
             db: database
             audit: database
             users -> gw
             gw -> orders { share 30% }
             gw -> catalog { share 70% }
             orders -> db
             orders -> audit
             catalog -> cache -> db",
        );
        assert_eq!(peak(&design, &load, "gw"), 1000.0);
        assert_eq!(peak(&design, &load, "orders"), 300.0);
        assert_eq!(peak(&design, &load, "catalog"), 700.0);
        assert_eq!(peak(&design, &load, "audit"), 300.0);
        // 300 from orders, and the cache's 20% misses of catalog's 700.
        assert!((peak(&design, &load, "db") - 440.0).abs() < 1e-9);
    }

    #[test]
    fn reads_through_a_look_aside_cache_reach_the_store_as_misses_and_writes_in_full() {
        let (design, load) = load(
            "system \"s\" { peak_rps 1000 }
             users: client
             app: service
             redis: cache { hit_ratio 90% }
             db: database
             archive: database
             users -> app -> redis
             app -> db { access read }
             app -> archive { access write }",
        );
        assert!((peak(&design, &load, "db") - 100.0).abs() < 1e-9);
        assert_eq!(peak(&design, &load, "archive"), 1000.0);
        let archive = design
            .components
            .iter()
            .position(|c| c.id == "archive")
            .unwrap();
        let db = archive - 1;
        assert_eq!(load.writes[db], Writes::default());
        assert!((load.writes[archive].all - 1000.0 / 3.0).abs() < 1e-9);
        assert_eq!(load.writes[archive].declared, load.writes[archive].all);
    }

    #[test]
    fn a_journeys_traffic_takes_its_steps_on_top_of_the_systems() {
        let (design, load) = load(
            "system \"s\" { peak_rps 100 }
             users: client
             api: service
             orders: service
             db: database
             users -> api -> orders -> db
             api -> db
             journey checkout { users -> api -> orders -> db; peak_rps 30 }",
        );
        assert_eq!(load.system.peak, 130.0);
        assert_eq!(peak(&design, &load, "api"), 130.0);
        // The system's 100 twice (through orders and straight from api), checkout's 30 once.
        assert_eq!(peak(&design, &load, "db"), 230.0);
    }

    #[test]
    fn a_journey_past_a_cache_goes_on_with_its_misses_and_ignores_shares() {
        let (design, load) = load(
            "users: client
             api: service
             other: service
             cache: cache { hit_ratio 90% }
             db: database
             users -> api { share 50% }
             users -> other { share 50% }
             api -> cache -> db
             api -> db { access read }
             journey read { users -> api -> cache -> db; peak_rps 1000 }",
        );
        assert_eq!(peak(&design, &load, "api"), 1000.0);
        assert_eq!(peak(&design, &load, "cache"), 1000.0);
        assert!((peak(&design, &load, "db") - 100.0).abs() < 1e-9);
        assert_eq!(peak(&design, &load, "other"), 0.0);
    }

    #[test]
    fn a_cycle_counts_requests_once() {
        let (design, load) = load(
            "system \"s\" { peak_rps 90 }
             users: client
             a: service
             b: service
             users -> a -> b -> a",
        );
        assert_eq!(peak(&design, &load, "a"), 90.0);
        assert_eq!(peak(&design, &load, "b"), 90.0);
    }
}
