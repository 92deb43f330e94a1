//! `strata analyze --format json`: the analysis as JSON. Schema `strata.analysis/1`,
//! documented in `docs/analysis-json.md`: fields are only ever added, never renamed or
//! removed, within version 1; optional fields are left out when they do not apply.
//! Journeys are in the text report's order, so both list the same rows alike.

use super::explain::least_available_first;
use super::what_if::{self, Outcome, WhatIf};
use super::{
    downtime_minutes_per_year, error_budget_minutes_per_month, Analysis, PathAvailability, Segment,
};
use crate::model::{Design, Failover, Kind, Replication};
use serde::Serialize;

pub const SCHEMA: &str = "strata.analysis/1";

#[derive(Serialize)]
struct AnalysisJson<'a> {
    schema: &'static str,
    system: SystemJson<'a>,
    entries: Vec<&'a str>,
    journeys: Vec<JourneyJson<'a>>,
    single_points_of_failure: Vec<SpofJson<'a>>,
    /// Per component, how many journeys it alone takes down; largest first.
    blast_radius: Vec<BlastRadiusJson<'a>>,
    data_stores: Vec<DataStoreJson<'a>>,
    /// With declared traffic, or a component's capacity or storage.
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<CapacityJson<'a>>,
    /// With `--fail` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    what_if: Option<WhatIfJson<'a>>,
}

#[derive(Serialize)]
struct CapacityJson<'a> {
    /// `--traffic`: how many times the declared traffic the figures are for.
    traffic_scale: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    system: Option<RatesJson>,
    target_utilization_percent: f64,
    /// Components the traffic reaches, or that declare a capacity, in declaration order.
    components: Vec<ComponentLoadJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    saturates_first: Option<&'a str>,
    storage: Vec<StorageJson<'a>>,
}

#[derive(Serialize)]
struct RatesJson {
    average_rps: f64,
    peak_rps: f64,
    design_rps: f64,
}

#[derive(Serialize)]
struct ComponentLoadJson<'a> {
    component: &'a str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    rates: Option<RatesJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity_rps: Option<f64>,
    replicas: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    utilization_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replicas_needed: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shards_needed: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    survives_replica_loss: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    survives_zone_loss: Option<bool>,
}

#[derive(Serialize)]
struct StorageJson<'a> {
    component: &'a str,
    bytes_per_day: f64,
    days_kept: f64,
    bytes_after_a_year: f64,
    copies: u32,
    bytes_with_copies: f64,
}

#[derive(Serialize)]
struct BlastRadiusJson<'a> {
    component: &'a str,
    journeys: usize,
}

#[derive(Serialize)]
struct DataStoreJson<'a> {
    component: &'a str,
    kind: Kind,
    replicas: u32,
    managed: bool,
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
    /// Seed 001's DR tier, 1 to 4, when both rpo and rto are declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    dr_tier: Option<u8>,
}

#[derive(Serialize)]
struct WhatIfJson<'a> {
    /// As given to `--fail`.
    failures: &'a [String],
    down: Vec<&'a str>,
    reduced: Vec<ReducedJson<'a>>,
}

#[derive(Serialize)]
struct ReducedJson<'a> {
    component: &'a str,
    instances_left: u32,
    instances: u32,
}

/// How a journey fares with `--fail`: it works at an availability, or breaks on these.
#[derive(Serialize)]
struct OutcomeJson<'a> {
    works: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability_percent: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    breaks_on: Vec<&'a str>,
}

#[derive(Serialize)]
struct SystemJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sla_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p99_ms: Option<f64>,
    /// The targets above that the system's `type` filled rather than the design declared.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    targets_from_type: Vec<&'static str>,
}

#[derive(Serialize)]
struct JourneyJson<'a> {
    declared: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    entry: &'a str,
    target: &'a str,
    availability_percent: f64,
    downtime_minutes_per_year: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_sla_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meets_sla: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_budget_minutes_per_month: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p99_target_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    critical_path: Option<CriticalPathJson<'a>>,
    terms: Vec<TermJson<'a>>,
    /// With `--fail` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    what_if: Option<OutcomeJson<'a>>,
}

/// A factor of a journey's availability, told apart by its key (`component` or
/// `parallel`) as a reader would, rather than by a type tag.
#[derive(Serialize)]
#[serde(untagged)]
enum TermJson<'a> {
    Component {
        component: &'a str,
        availability_percent: f64,
    },
    Parallel {
        parallel: Vec<Vec<&'a str>>,
        availability_percent: f64,
    },
    Regions {
        regions: Vec<RegionJson<'a>>,
        availability_percent: f64,
    },
}

#[derive(Serialize)]
struct RegionJson<'a> {
    region: &'a str,
    /// How traffic reaches a standby copy; absent for an active one.
    #[serde(skip_serializing_if = "Option::is_none")]
    standby: Option<Failover>,
    /// Whether it counts in the figure (not a standby switched by hand).
    counted: bool,
    terms: Vec<TermJson<'a>>,
}

#[derive(Serialize)]
struct CriticalPathJson<'a> {
    milliseconds: f64,
    components: Vec<&'a str>,
}

#[derive(Serialize)]
struct SpofJson<'a> {
    component: &'a str,
    kind: Kind,
    targets: Vec<&'a str>,
    example: Vec<&'a str>,
}

/// The analysis as pretty-printed JSON, ending in a newline; with the failures as written
/// and what they do, the what-if too.
pub fn to_json(
    design: &Design,
    analysis: &Analysis,
    what_if: Option<(&[String], &WhatIf)>,
) -> String {
    let ids = |components: &[usize]| -> Vec<&str> {
        components
            .iter()
            .map(|&c| design.components[c].id.as_str())
            .collect()
    };
    let system = &design.system;
    let document = AnalysisJson {
        schema: SCHEMA,
        system: SystemJson {
            name: system.name.as_deref(),
            sla_percent: system.sla.map(percent),
            p99_ms: system.p99.map(milliseconds),
            targets_from_type: ["sla", "p99"]
                .into_iter()
                .filter(|target| system.is_from_type(target))
                .collect(),
        },
        entries: ids(&analysis.entries),
        journeys: least_available_first(&analysis.paths)
            .into_iter()
            .map(|index| {
                let mut row = journey(design, &analysis.paths[index]);
                row.what_if = what_if.map(|(_, w)| outcome(design, &w.outcomes[index]));
                row
            })
            .collect(),
        single_points_of_failure: analysis
            .spofs
            .iter()
            .map(|spof| SpofJson {
                component: &design.components[spof.component].id,
                kind: design.components[spof.component].kind,
                targets: ids(&spof.targets),
                example: ids(&spof.example),
            })
            .collect(),
        blast_radius: blast_radius(design, analysis),
        data_stores: data_stores(design),
        capacity: capacity(design, analysis),
        what_if: what_if.map(|(failures, w)| WhatIfJson {
            failures,
            down: ids(&w.failed),
            reduced: w
                .reduced
                .iter()
                .map(|&(c, left)| ReducedJson {
                    component: &design.components[c].id,
                    instances_left: left,
                    instances: design.components[c].replicas,
                })
                .collect(),
        }),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the analysis serializes");
    text.push('\n');
    text
}

fn rates(rates: crate::model::Rates) -> RatesJson {
    RatesJson {
        average_rps: rounded(rates.average, 3),
        peak_rps: rounded(rates.peak, 3),
        design_rps: rounded(rates.design, 3),
    }
}

fn capacity<'a>(design: &'a Design, analysis: &Analysis) -> Option<CapacityJson<'a>> {
    let sized = &analysis.capacity;
    let declared = analysis.load.is_some()
        || design
            .components
            .iter()
            .any(|c| c.sizing.capacity.is_some())
        || sized.stored.iter().any(Option::is_some);
    if !declared {
        return None;
    }
    let load = analysis.load.as_ref();
    let components = (design.components.iter().enumerate())
        .filter_map(|(id, component)| {
            let reached = load.map(|l| l.components[id]).filter(|r| r.peak > 0.0);
            let headroom = sized.headroom[id];
            (reached.is_some() || component.sizing.capacity.is_some()).then(|| ComponentLoadJson {
                component: &component.id,
                rates: reached.map(rates),
                capacity_rps: component.sizing.capacity,
                replicas: component.replicas,
                utilization_percent: headroom.map(|h| rounded(h.utilization * 100.0, 3)),
                replicas_needed: headroom.map(|h| h.replicas_needed),
                shards_needed: headroom.and_then(|h| h.shards_needed),
                survives_replica_loss: headroom.map(|h| h.survives_replica_loss),
                survives_zone_loss: headroom.and_then(|h| h.survives_zone_loss),
            })
        })
        .collect();
    let storage = (sized.stored.iter().enumerate())
        .filter_map(|(id, stored)| {
            let stored = stored.as_ref()?;
            Some(StorageJson {
                component: &design.components[id].id,
                bytes_per_day: rounded(stored.bytes_per_day, 0),
                days_kept: stored.days_kept,
                bytes_after_a_year: rounded(stored.after_a_year, 0),
                copies: stored.copies,
                bytes_with_copies: rounded(stored.with_copies(), 0),
            })
        })
        .collect();
    Some(CapacityJson {
        traffic_scale: analysis.traffic_scale,
        system: load.map(|l| rates(l.system)),
        target_utilization_percent: rounded(super::capacity::TARGET_UTILIZATION * 100.0, 3),
        components,
        saturates_first: sized
            .saturates_first()
            .map(|id| design.components[id].id.as_str()),
        storage,
    })
}

fn blast_radius<'a>(design: &'a Design, analysis: &Analysis) -> Vec<BlastRadiusJson<'a>> {
    what_if::blast_radius(design, &analysis.paths)
        .into_iter()
        .map(|(c, journeys)| BlastRadiusJson {
            component: &design.components[c].id,
            journeys,
        })
        .collect()
}

fn data_stores(design: &Design) -> Vec<DataStoreJson<'_>> {
    design
        .components
        .iter()
        .filter(|c| c.kind.is_data_store() || c.kind.is_broker())
        .map(|c| DataStoreJson {
            component: &c.id,
            kind: c.kind,
            replicas: c.replicas,
            managed: c.managed,
            replication: c.recovery.replication,
            failover: c.recovery.failover,
            backup: c.recovery.backup,
            rpo_ms: c.recovery.rpo.map(milliseconds),
            rto_ms: c.recovery.rto.map(milliseconds),
            dr_tier: c.recovery.tier(),
        })
        .collect()
}

fn outcome<'a>(design: &'a Design, outcome: &Outcome) -> OutcomeJson<'a> {
    match outcome {
        Outcome::Works { availability } => OutcomeJson {
            works: true,
            availability_percent: Some(percent(*availability)),
            breaks_on: Vec::new(),
        },
        Outcome::Breaks { on } => OutcomeJson {
            works: false,
            availability_percent: None,
            breaks_on: on
                .iter()
                .map(|&c| design.components[c].id.as_str())
                .collect(),
        },
    }
}

fn journey<'a>(design: &'a Design, path: &'a PathAvailability) -> JourneyJson<'a> {
    let id = |c: usize| design.components[c].id.as_str();
    let declared = path.journey.map(|j| &design.journeys[j]);
    let target = path.target(design);
    JourneyJson {
        declared: declared.is_some(),
        id: declared.map(|j| j.id.as_str()),
        title: declared.map(|j| j.title.as_str()),
        entry: id(path.entry),
        target: id(path.target),
        availability_percent: percent(path.availability),
        downtime_minutes_per_year: minutes(downtime_minutes_per_year(path.availability)),
        target_sla_percent: target.map(percent),
        // As the text report's BELOW SLA and AVL105 judge it, on the unrounded figures.
        meets_sla: target.map(|sla| path.availability >= sla),
        error_budget_minutes_per_month: declared
            .and(target)
            .map(|sla| minutes(error_budget_minutes_per_month(sla))),
        p99_target_ms: declared.and(path.latency_target(design)).map(milliseconds),
        critical_path: path.latency.as_ref().map(|critical| CriticalPathJson {
            milliseconds: milliseconds(critical.milliseconds),
            components: critical.components.iter().map(|&c| id(c)).collect(),
        }),
        terms: terms(design, &path.segments),
        what_if: None,
    }
}

fn terms<'a>(design: &'a Design, segments: &'a [Segment]) -> Vec<TermJson<'a>> {
    let id = |c: usize| design.components[c].id.as_str();
    segments
        .iter()
        .map(|segment| match segment {
            Segment::Component {
                id: c,
                availability,
            } => TermJson::Component {
                component: id(*c),
                availability_percent: percent(*availability),
            },
            Segment::Parallel {
                routes,
                availability,
            } => TermJson::Parallel {
                parallel: routes
                    .iter()
                    .map(|route| route.iter().map(|&c| id(c)).collect())
                    .collect(),
                availability_percent: percent(*availability),
            },
            Segment::Regions {
                regions,
                availability,
            } => TermJson::Regions {
                regions: regions
                    .iter()
                    .map(|copy| RegionJson {
                        region: &copy.region,
                        standby: copy.standby,
                        counted: copy.counts(),
                        terms: terms(design, &copy.factors),
                    })
                    .collect(),
                availability_percent: percent(*availability),
            },
        })
        .collect()
}

/// `value` rounded to `decimals` places: products of many factors carry floating-point
/// drift (1e-15): 99.95 % is 262.7999999999711 minutes of downtime a year unrounded.
fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// A fraction as a percentage to 1e-9 percentage points. Like the text report, it never
/// rounds up to 100: what can fail shows as 99.999999999 at most.
fn percent(fraction: f64) -> f64 {
    const DECIMALS: i32 = 9;
    let value = rounded(fraction * 100.0, DECIMALS);
    if value >= 100.0 && fraction < 1.0 {
        rounded(100.0 - 10f64.powi(-DECIMALS), DECIMALS)
    } else {
        value
    }
}

/// Minutes to a millionth (60 µs); a downtime that is not zero never rounds to zero.
fn minutes(value: f64) -> f64 {
    const DECIMALS: i32 = 6;
    let minutes = rounded(value, DECIMALS);
    if minutes <= 0.0 && value > 0.0 {
        10f64.powi(-DECIMALS)
    } else {
        minutes
    }
}

/// Milliseconds to a millionth: sums of declared latencies (0.1 + 0.2) drift too.
fn milliseconds(value: f64) -> f64 {
    rounded(value, 6)
}

#[cfg(test)]
mod tests {
    use super::{minutes, percent};

    #[test]
    fn figures_carry_no_drift_and_what_can_fail_never_shows_as_perfect() {
        let product = 0.9999 * 0.9995 * 0.9999 * 0.9999 * 0.999 * 0.999 * 0.99995 * 0.999;
        assert_eq!(percent(product), 99.615576577);
        assert_eq!(percent(0.9995), 99.95);
        assert_eq!(percent(1.0), 100.0);
        assert_eq!(percent(1.0 - 1e-15), 99.999999999);
        assert_eq!(minutes(0.0), 0.0);
        assert_eq!(minutes(1e-12), 0.000001);
        assert_eq!(minutes((1.0 - 0.9995) * 525_600.0), 262.8);
    }

    #[test]
    fn the_system_says_which_targets_its_type_filled() {
        let text = "system \"Shop\" { type ecommerce; p99 800ms }\nweb: client\napi: service\nweb -> api\n";
        let checked = crate::check(&crate::source::Source::new("t", text));
        let analysis = crate::analysis::analyze(&checked.design);
        let json: serde_json::Value =
            serde_json::from_str(&super::to_json(&checked.design, &analysis, None)).unwrap();
        assert_eq!(
            json["system"]["targets_from_type"],
            serde_json::json!(["sla"])
        );
        assert_eq!(json["system"]["p99_ms"], serde_json::json!(800.0));
    }
}
