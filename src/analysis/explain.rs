//! Availability and SPOFs in words: `strata analyze`, and the AVL105 finding.

use super::{downtime_minutes_per_year, Analysis, PathAvailability, Segment};

use crate::model::Design;
use std::fmt::Write;

/// `lb 99.99% × api 99.9999% × db 99.95% = 99.94%`.
pub fn terms(design: &Design, path: &PathAvailability) -> String {
    let factors: Vec<String> = path
        .segments
        .iter()
        .map(|segment| {
            format!(
                "{} {}",
                segment_name(design, segment),
                percent(segment.availability())
            )
        })
        .collect();
    format!("{} = {}", factors.join(" × "), percent(path.availability))
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
        Segment::Weakest { route, .. } => format!("(weakest route via {})", names(route)),
    }
}

/// A percentage with as many decimals as it takes to show its nines, and at least two.
pub fn percent(fraction: f64) -> String {
    let nines = if fraction >= 1.0 {
        0
    } else {
        (-(1.0 - fraction).log10()).floor() as usize
    };
    let decimals = nines.clamp(2, 6);
    // Rounded down, so a value just under a target never prints as meeting it.
    let scale = 10f64.powi(decimals as i32);
    let truncated = ((fraction * 100.0 * scale) + 1e-6).floor() / scale;
    let text = format!("{truncated:.decimals$}");
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
    let name = design.system.name.as_deref().unwrap_or("design");
    match design.system.sla {
        Some(sla) => writeln!(
            out,
            "{name}: SLA target {} ({} down a year allowed)",
            percent(sla),
            duration(downtime_minutes_per_year(sla))
        ),
        None => writeln!(
            out,
            "{name}: no SLA declared (`system \"…\" {{ sla 99.9% }}`)"
        ),
    }
    .unwrap();
    let id = |c: usize| design.components[c].id.as_str();
    let entries: Vec<&str> = analysis.entries.iter().map(|&e| id(e)).collect();
    writeln!(
        out,
        "entry points: {}",
        if entries.is_empty() {
            "none".to_string()
        } else {
            entries.join(", ")
        }
    )
    .unwrap();

    writeln!(
        out,
        "\nAvailability, request path by request path (least available first):"
    )
    .unwrap();
    let per_entry = super::paths_per_entry(design, analysis);
    let mut paths: Vec<&PathAvailability> = per_entry.iter().collect();
    paths.sort_by(|a, b| {
        a.availability
            .total_cmp(&b.availability)
            .then((a.entry, a.target).cmp(&(b.entry, b.target)))
    });
    if paths.is_empty() {
        writeln!(out, "  no request reaches a data store or broker").unwrap();
    }
    for path in paths {
        let below = design.system.sla.is_some_and(|sla| path.availability < sla);
        writeln!(
            out,
            "  {} → {}  {}  ({} down a year){}",
            id(path.entry),
            id(path.target),
            percent(path.availability),
            duration(downtime_minutes_per_year(path.availability)),
            if below { "  BELOW SLA" } else { "" }
        )
        .unwrap();
        writeln!(out, "      {}", terms(design, path)).unwrap();
    }

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
            targets.join(", ")
        )
        .unwrap();
        writeln!(out, "      e.g. {}", path.join(" → ")).unwrap();
    }
    out
}
