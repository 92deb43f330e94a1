//! Availability and SPOFs in words: `strata analyze`, and the AVL105 finding.

use super::what_if::{Outcome, WhatIf};
use super::{
    downtime_minutes_per_year, error_budget_minutes_per_month, Analysis, PathAvailability, Segment,
};

use crate::diagnostics::listed;
use crate::model::{Design, Failover, Journey};
use crate::source::quoted;
use std::fmt::Write;

/// `lb 99.99% × api 99.9999% × db 99.95% = 99.94%`.
pub fn terms(design: &Design, path: &PathAvailability) -> String {
    format!(
        "{} = {}",
        factors_text(design, &path.segments),
        percent(path.availability)
    )
}

/// How many factors a line shows. Past it, the most available factors, which move the
/// product least, are folded into one: a reader sees what drags the journey down, the
/// product still multiplies out by hand, and a line costs the same however deep the
/// design is.
const FACTORS_SHOWN: usize = 20;

/// `lb 99.99% × api 99.9999%`: each factor and its availability, in the journey's order;
/// past [`FACTORS_SHOWN`], the least available of them and the rest folded into one.
fn factors_text(design: &Design, segments: &[Segment]) -> String {
    let shown = least_available(segments, FACTORS_SHOWN);
    let mut factors: Vec<String> = Vec::with_capacity(FACTORS_SHOWN + 1);
    let (mut folded, mut folded_product, mut folded_least) = (0, 1.0, 1.0_f64);
    for (segment, &show) in segments.iter().zip(&shown) {
        let availability = segment.availability();
        if show {
            let name = segment_name(design, segment);
            factors.push(format!("{name} {}", percent(availability)));
        } else {
            folded += 1;
            folded_product *= availability;
            folded_least = folded_least.min(availability);
        }
    }
    if folded > 0 {
        factors.push(format!(
            "{folded} more, each {} or better, {} together",
            percent(folded_least),
            percent(folded_product)
        ));
    }
    factors.join(" × ")
}

/// Which of `segments` are among the `count` least available (ties to the earlier).
fn least_available(segments: &[Segment], count: usize) -> Vec<bool> {
    if segments.len() <= count {
        return vec![true; segments.len()];
    }
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.select_nth_unstable_by(count - 1, |&a, &b| {
        let availability = |i: usize| segments[i].availability();
        availability(a).total_cmp(&availability(b)).then(a.cmp(&b))
    });
    let mut shown = vec![false; segments.len()];
    for &i in &order[..count] {
        shown[i] = true;
    }
    shown
}

pub fn segment_name(design: &Design, segment: &Segment) -> String {
    let names = |route: &[usize]| {
        route
            .iter()
            .map(|&c| design.components[c].id.as_str())
            .collect::<Vec<_>>()
            .join("→")
    };
    match segment {
        Segment::Component { id, .. } => format!("`{}`", design.components[*id].id),
        Segment::Parallel { routes, .. } => {
            let routes: Vec<String> = routes.iter().map(|r| names(r)).collect();
            format!("({})", routes.join(" ∥ "))
        }
        Segment::Regions { regions, .. } => {
            let regions: Vec<String> = regions
                .iter()
                .map(|copy| {
                    let standby = match copy.standby {
                        None => "",
                        Some(Failover::Automatic) => " (standby)",
                        Some(Failover::Manual) => " (standby switched by hand, not counted)",
                    };
                    format!(
                        "{}{standby}: {} = {}",
                        copy.region,
                        factors_text(design, &copy.factors),
                        percent(copy.availability())
                    )
                })
                .collect();
            format!("({})", regions.join(" ∥ "))
        }
    }
}

/// A percentage whose downtime (100 % minus it) shows three significant digits, as
/// published calculations print them (99.616 %, 99.94 %, 99.9779 %), with at least two
/// decimals. Rounded there, so the drift of floating point (1e-15) never shows. Past six
/// decimals it is cut at six rather than rounded, so no downtime ever prints as 100 %.
pub fn percent(fraction: f64) -> String {
    const MOST_DECIMALS: i32 = 6;
    let downtime = (1.0 - fraction) * 100.0;
    let significant = if downtime <= 0.0 {
        2
    } else {
        (-downtime.log10()).floor() as i32 + 3
    };
    let text = if significant > MOST_DECIMALS {
        let scale = 10f64.powi(MOST_DECIMALS);
        // The nudge undoes drift below an exact value (1 − 10⁻⁸ is 99.99999899…).
        format!("{:.6}", (fraction * 100.0 * scale + 1e-6).floor() / scale)
    } else {
        let decimals = significant.max(2) as usize;
        format!("{:.decimals$}", fraction * 100.0)
    };
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// Minutes a year as the guide's table writes them: minutes, hours or days.
pub fn duration(minutes: f64) -> String {
    if minutes < 1.0 {
        format!("{:.0} s", minutes * 60.0)
    } else if minutes < 120.0 {
        format!("{minutes:.1} min")
    } else if minutes < 2.0 * 1440.0 {
        format!("{:.2} h", minutes / 60.0)
    } else {
        format!("{:.2} days", minutes / 1440.0)
    }
}

/// The report `strata analyze` prints.
pub fn explain(design: &Design, analysis: &Analysis) -> String {
    let mut out = String::new();
    let system = &design.system;
    let name = system.name.as_deref().unwrap_or("design");
    let from_type = type_source(design);
    match system.sla {
        Some(sla) => writeln!(
            out,
            "{name}: SLA target {}{} ({} down a year allowed)",
            percent(sla),
            if system.is_from_type("sla") {
                &from_type
            } else {
                ""
            },
            duration(downtime_minutes_per_year(sla))
        ),
        None => writeln!(
            out,
            "{name}: no SLA declared (`system \"…\" {{ sla 99.9% }}`)"
        ),
    }
    .unwrap();
    latency_targets_from_type(&mut out, design, &from_type);
    let id = |c: usize| design.components[c].id.as_str();
    let entries: Vec<&str> = analysis.entries.iter().map(|&e| id(e)).collect();
    writeln!(out, "entry points: {}", listed(&entries, "none")).unwrap();
    journeys(&mut out, design, analysis);
    single_points_of_failure(&mut out, design, analysis);
    data_recovery(&mut out, design);
    out.push_str(&super::explain_capacity::explain_capacity(design, analysis));
    out
}

/// `, from type ecommerce (guide §5)`: where targets the design did not declare came from.
fn type_source(design: &Design) -> String {
    design.system.system_type.map_or_else(String::new, |t| {
        format!(", from `type {}` (guide §5)", t.name())
    })
}

/// The latency targets `type` filled, which the report would otherwise leave unsaid.
fn latency_targets_from_type(out: &mut String, design: &Design, from_type: &str) {
    let system = &design.system;
    let filled: Vec<String> = [
        ("p50", system.p50),
        ("p95", system.p95),
        ("p99", system.p99),
    ]
    .into_iter()
    .filter(|(name, _)| system.is_from_type(name))
    .filter_map(|(name, target)| Some(format!("{name} {}", milliseconds(target?))))
    .collect();
    if !filled.is_empty() {
        writeln!(out, "latency targets {}{from_type}", filled.join(", ")).unwrap();
    }
}

/// The review card's "Where is data stored and backed up?": each data store and broker,
/// how it keeps copies, and the DR tier (seed 001) its declared objectives reach.
fn data_recovery(out: &mut String, design: &Design) {
    writeln!(
        out,
        "\nWhere data is kept and how it comes back (replicas, replication, failover, backup, RPO/RTO):"
    )
    .unwrap();
    let stores: Vec<&crate::model::Component> = design
        .components
        .iter()
        .filter(|c| c.kind.is_data_store() || c.kind.is_broker())
        .collect();
    if stores.is_empty() {
        writeln!(out, "  no data stores or brokers").unwrap();
    }
    for store in stores {
        let recovery = &store.recovery;
        let mut facts = vec![if store.managed {
            "managed".to_string()
        } else {
            format!(
                "{} replica{}",
                store.replicas,
                if store.replicas == 1 { "" } else { "s" }
            )
        }];
        if let Some(replication) = recovery.replication {
            facts.push(format!("{replication:?} replication").to_lowercase());
        }
        if let Some(failover) = recovery.failover {
            facts.push(format!("{failover:?} failover").to_lowercase());
        }
        match recovery.backup {
            Some(true) => facts.push("backed up".to_string()),
            Some(false) => facts.push("no backup".to_string()),
            None => {}
        }
        if let Some(rpo) = recovery.rpo {
            facts.push(format!("RPO {}", milliseconds(rpo)));
        }
        if let Some(rto) = recovery.rto {
            facts.push(format!("RTO {}", milliseconds(rto)));
        }
        let tier = match recovery.tier() {
            Some(tier) => format!("DR tier {tier}"),
            None if recovery.is_declared() => "DR tier: declare both rpo and rto".to_string(),
            None => "recovery not declared".to_string(),
        };
        writeln!(
            out,
            "  {} ({}): {}; {tier}",
            store.id,
            store.kind.name(),
            facts.join(", ")
        )
        .unwrap();
    }
}

/// The report `strata analyze --fail` prints: what still works without the failed
/// components, what breaks and on what, and each component's blast radius.
pub fn explain_what_if(design: &Design, analysis: &Analysis, what_if: &WhatIf) -> String {
    let mut out = String::new();
    let id = |c: usize| design.components[c].id.as_str();
    let failed: Vec<&str> = what_if.failed.iter().map(|&c| id(c)).collect();
    writeln!(out, "What if these fail: {}", listed(&failed, "nothing")).unwrap();
    if !what_if.reduced.is_empty() {
        let reduced: Vec<String> = what_if
            .reduced
            .iter()
            .map(|&(c, left)| format!("{} ({left} of {})", id(c), design.components[c].replicas))
            .collect();
        let reduced: Vec<&str> = reduced.iter().map(String::as_str).collect();
        writeln!(out, "Running on fewer instances: {}", listed(&reduced, "")).unwrap();
    }
    let total = analysis.paths.len();
    let order = least_available_first(&analysis.paths);
    let broken: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| matches!(what_if.outcomes[i], Outcome::Breaks { .. }))
        .collect();
    writeln!(out, "\nBreaks {} of {total} journeys:", broken.len()).unwrap();
    if broken.is_empty() {
        writeln!(out, "  none").unwrap();
    }
    for &i in &broken {
        if let Outcome::Breaks { on } = &what_if.outcomes[i] {
            let on: Vec<String> = on.iter().map(|&c| format!("`{}`", id(c))).collect();
            writeln!(
                out,
                "  {}  needs {}, with nothing to stand in",
                path_name(design, &analysis.paths[i]),
                on.join(", ")
            )
            .unwrap();
        }
    }
    writeln!(out, "\nStill works:").unwrap();
    if broken.len() == total {
        writeln!(out, "  none").unwrap();
    }
    for &i in &order {
        if let Outcome::Works { availability } = what_if.outcomes[i] {
            let path = &analysis.paths[i];
            let below = path.target(design).is_some_and(|sla| availability < sla);
            writeln!(
                out,
                "  {}  {}  (was {}){}",
                path_name(design, path),
                percent(availability),
                percent(path.availability),
                if below { "  BELOW SLA" } else { "" }
            )
            .unwrap();
        }
    }
    let radius: Vec<String> = what_if
        .blast_radius
        .iter()
        .map(|&(c, n)| format!("{} {n}", id(c)))
        .collect();
    let radius: Vec<&str> = radius.iter().map(String::as_str).collect();
    writeln!(
        out,
        "\nBlast radius, the journeys each component takes down alone (largest first, of {total}):\n  {}",
        listed(&radius, "none")
    )
    .unwrap();
    out
}

/// One row per journey, least available first: what a target is missed by, and what
/// AVL105 reports, term by term. Declared journeys also get their monthly figures, error
/// budget and critical path.
fn journeys(out: &mut String, design: &Design, analysis: &Analysis) {
    let declared = !design.journeys.is_empty();
    writeln!(
        out,
        "\n{}",
        if declared {
            "Availability of each declared journey, with everything it needs (least available first):"
        } else {
            "Availability of each request journey, entry → what handles it, with everything it needs (least available first):"
        }
    )
    .unwrap();
    if analysis.paths.is_empty() {
        writeln!(out, "  no request reaches anything that handles it").unwrap();
    }
    for index in least_available_first(&analysis.paths) {
        journey_row(out, design, &analysis.paths[index]);
    }
}

/// The order the report lists journeys in, and `--format json` too: least available
/// first, ties in a fixed order, so the same design always lists them alike.
/// Indices into `paths`.
pub fn least_available_first(paths: &[PathAvailability]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&paths[a], &paths[b]);
        a.availability
            .total_cmp(&b.availability)
            .then((a.journey, a.entry, a.target).cmp(&(b.journey, b.entry, b.target)))
    });
    order
}

fn journey_row(out: &mut String, design: &Design, path: &PathAvailability) {
    let id = |c: usize| design.components[c].id.as_str();
    let target = path.target(design);
    let below = target.is_some_and(|sla| path.availability < sla);
    let name = path_name(design, path);
    let yearly = downtime_minutes_per_year(path.availability);
    let downtime = match path.journey {
        Some(_) => format!(
            "{} down a year, {} a month",
            duration(yearly),
            duration(yearly / 12.0)
        ),
        None => format!("{} down a year", duration(yearly)),
    };
    let verdict = match (below, path.journey.and(target)) {
        (true, Some(sla)) => format!("  BELOW SLA {}", percent(sla)),
        (true, None) => "  BELOW SLA".to_string(),
        (false, _) => String::new(),
    };
    writeln!(
        out,
        "  {name}  {}  ({downtime}){verdict}",
        percent(path.availability)
    )
    .unwrap();
    writeln!(out, "      {}", terms(design, path)).unwrap();
    if path.journey.is_none() {
        return;
    }
    if let Some(sla) = target {
        let budget = error_budget_minutes_per_month(sla);
        writeln!(
            out,
            "      error budget at {}: {} a month; the design's expected downtime is {:.0}% of it",
            percent(sla),
            duration(budget),
            yearly / 12.0 / budget * 100.0
        )
        .unwrap();
    }
    match (&path.latency, path.latency_target(design)) {
        (Some(critical), p99) => {
            let way: Vec<&str> = critical.components.iter().map(|&c| id(c)).collect();
            let against = match p99 {
                Some(p99) if critical.milliseconds > p99 => {
                    format!(", over the p99 target of {}", milliseconds(p99))
                }
                Some(p99) => format!(", within the p99 target of {}", milliseconds(p99)),
                None => String::new(),
            };
            writeln!(
                out,
                "      critical path {} ({}){against}",
                milliseconds(critical.milliseconds),
                way.join(" → ")
            )
            .unwrap();
        }
        (None, Some(_)) => {
            writeln!(
                out,
                "      critical path: no latency declared on its steps (`latency 20ms` on components or flows)"
            )
            .unwrap();
        }
        (None, None) => {}
    }
}

/// A declared journey by name, an inferred one as `entry → handler`.
fn path_name(design: &Design, path: &PathAvailability) -> String {
    let id = |c: usize| design.components[c].id.as_str();
    match path.journey {
        Some(j) => journey_name(&design.journeys[j]),
        None => format!("{} → {}", id(path.entry), id(path.target)),
    }
}

/// `checkout "Checkout"`, or the id alone when the title is the id.
pub fn journey_name(journey: &Journey) -> String {
    if journey.title == journey.id {
        journey.id.clone()
    } else {
        format!("{} \"{}\"", journey.id, quoted(&journey.title))
    }
}

/// Milliseconds as written in a design: `800 ms`, `1.5 s`, `5 min`, `4 h`.
pub fn milliseconds(ms: f64) -> String {
    match ms {
        ms if ms >= 3_600_000.0 => format!("{} h", trimmed(ms / 3_600_000.0)),
        ms if ms >= 60_000.0 => format!("{} min", trimmed(ms / 60_000.0)),
        ms if ms >= 1000.0 => format!("{} s", trimmed(ms / 1000.0)),
        ms => format!("{} ms", trimmed(ms)),
    }
}

fn trimmed(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn single_points_of_failure(out: &mut String, design: &Design, analysis: &Analysis) {
    let id = |c: usize| design.components[c].id.as_str();
    writeln!(
        out,
        "\nSingle points of failure (one instance on every path to a target):"
    )
    .unwrap();
    if analysis.spofs.is_empty() {
        writeln!(out, "  none").unwrap();
    }
    for spof in &analysis.spofs {
        let targets: Vec<&str> = spof.targets.iter().map(|&t| id(t)).collect();
        let path: Vec<&str> = spof.example.iter().map(|&c| id(c)).collect();
        writeln!(
            out,
            "  {} ({}): every request to {} passes through it",
            id(spof.component),
            design.components[spof.component].kind.name(),
            listed(&targets, "none")
        )
        .unwrap();
        writeln!(out, "      e.g. {}", path.join(" → ")).unwrap();
    }
}

#[cfg(test)]
mod tests {
    use crate::source::Source;
    use std::fmt::Write;

    fn explained(text: &str) -> String {
        let checked = crate::check(&Source::new("t", text));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        super::explain(&checked.design, &super::super::analyze(&checked.design))
    }

    /// `entries` clients each calling one gateway, which calls `targets` databases.
    fn many_to_many(entries: usize, targets: usize) -> String {
        let mut text = String::from("gw: gateway\n");
        for e in 0..entries {
            writeln!(text, "c{e}: client\nc{e} -> gw").unwrap();
        }
        for t in 0..targets {
            writeln!(text, "db{t}: database\ngw -> db{t}").unwrap();
        }
        text
    }

    #[test]
    fn one_row_per_journey_however_many_entries_start_it() {
        let report = explained(&many_to_many(30, 4));
        let rows: Vec<&str> = report.lines().filter(|l| l.starts_with("  c")).collect();
        assert_eq!(rows.len(), 4, "{report}");
        // `gw` dispatches every journey, so each one's terms name it.
        for t in 0..4 {
            assert!(
                report.contains(&format!("`gw` 99.95% × `db{t}` 99.95% = 99.9%")),
                "{report}"
            );
        }
    }

    #[test]
    fn long_lists_of_names_say_how_many_they_leave_out() {
        let report = explained(&many_to_many(25, 12));
        let entries = report.lines().nth(1).unwrap();
        assert_eq!(
            entries,
            "entry points: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 … and 15 more"
        );
        let spof = report
            .lines()
            .find(|l| l.starts_with("  gw (gateway)"))
            .unwrap();
        assert_eq!(
            spof,
            "  gw (gateway): every request to db0, db1, db2, db3, db4, db5, db6, db7, db8, db9 … and 2 more passes through it"
        );
        assert!(explained(&many_to_many(10, 1)).contains("c8, c9\n"));
    }

    #[test]
    fn a_long_journey_shows_its_least_available_factors_and_folds_the_rest() {
        // A chain of 24 services, each run managed at 99.99% but `s3` at 99%.
        let mut text = String::from("web: client\nweb -> s0\n");
        for i in 0..24 {
            let availability = if i == 3 { "99%" } else { "99.99%" };
            writeln!(
                text,
                "s{i}: service {{ managed true; availability {availability} }}"
            )
            .unwrap();
            if i > 0 {
                writeln!(text, "s{} -> s{i}", i - 1).unwrap();
            }
        }
        let report = explained(&text);
        let terms = report.lines().find(|l| l.contains(" × ")).unwrap();
        assert_eq!(terms.matches(" × ").count(), 20, "{terms}");
        assert!(terms.contains("`s3` 99%"), "{terms}");
        assert!(
            terms.contains("`s19` 99.99% × 4 more, each 99.99% or better, 99.96% together = "),
            "{terms}"
        );
    }

    #[test]
    fn targets_a_type_filled_say_so_and_declared_ones_do_not() {
        let design = "web: client\napi: service\nweb -> api\n";
        let report = explained(&format!(
            "system \"Shop\" {{ type ecommerce; p99 800ms }}\n{design}"
        ));
        let mut lines = report.lines();
        assert_eq!(
            lines.next().unwrap(),
            "Shop: SLA target 99.95%, from `type ecommerce` (guide §5) (4.38 h down a year allowed)"
        );
        assert_eq!(
            lines.next().unwrap(),
            "latency targets p50 200 ms, p95 500 ms, from `type ecommerce` (guide §5)"
        );
        let declared = explained(&format!("system \"Shop\" {{ sla 99.95% }}\n{design}"));
        assert!(
            declared.starts_with("Shop: SLA target 99.95% (4.38 h"),
            "{declared}"
        );
        assert!(!declared.contains("latency targets"), "{declared}");
    }
}
