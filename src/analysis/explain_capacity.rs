//! Load, capacity and storage in words: the `strata analyze` section answering the review
//! card's "How do we scale when traffic 10x?", each figure with how it was computed.

use super::capacity::{Growth, Headroom, Stored, TARGET_UTILIZATION};
use super::Analysis;
use crate::model::sizing::{DAYS_PER_YEAR, SECONDS_PER_DAY};
use crate::model::{Design, Rates, Traffic};
use std::fmt::Write;

/// The section, or nothing for a design that declares no traffic, capacity or storage.
pub fn explain_capacity(design: &Design, analysis: &Analysis) -> String {
    let mut out = String::new();
    let sized = design
        .components
        .iter()
        .any(|c| c.sizing.capacity.is_some())
        || analysis.capacity.stored.iter().any(Option::is_some);
    match &analysis.load {
        Some(load) => {
            traffic(&mut out, design, analysis, load.system);
            per_component(&mut out, design, analysis);
            scaling(&mut out, design, analysis);
        }
        None if sized => writeln!(
            out,
            "\nLoad: no traffic declared (`system \"…\" {{ dau 10_000_000; actions_per_user 20 }}` \
             or `peak_rps 7000`), so no utilization"
        )
        .unwrap(),
        None => return out,
    }
    storage(&mut out, design, analysis);
    out
}

fn traffic(out: &mut String, design: &Design, analysis: &Analysis, total: Rates) {
    let journeys = (design.journeys.iter())
        .filter(|journey| journey.traffic.rates().is_some())
        .map(|journey| (format!("journey {}", journey.id), &journey.traffic));
    let sources: Vec<(String, &Traffic)> =
        std::iter::once(("system".to_string(), &design.system.traffic))
            .filter(|(_, traffic)| traffic.rates().is_some())
            .chain(journeys)
            .collect();
    writeln!(out, "\nLoad (seed 003 §5):").unwrap();
    for (name, traffic) in &sources {
        writeln!(out, "  {name}: {}", traffic_line(traffic)).unwrap();
    }
    if analysis.traffic_scale != 1.0 || sources.len() > 1 {
        let scale = match analysis.traffic_scale {
            1.0 => "together".to_string(),
            scale => format!("at {}× that traffic", rate(scale)),
        };
        writeln!(
            out,
            "{scale}: {} rps average, {} peak, {} design for",
            rate(total.average),
            rate(total.peak),
            rate(total.design)
        )
        .unwrap();
    }
}

/// `10,000,000 daily users × 20 actions ÷ 86,400 s = 2,315 rps average; peak ×3 = 6,944
/// rps; design for ×2 = 13,889 rps`.
fn traffic_line(traffic: &Traffic) -> String {
    let rates = traffic.rates().unwrap_or_default();
    let average = match (traffic.dau, traffic.actions_per_user) {
        (Some(dau), Some(actions)) => format!(
            "{} daily users × {} actions ÷ 86,400 s = {} rps average",
            rate(dau as f64),
            rate(actions),
            rate(rates.average)
        ),
        _ => format!(
            "{} rps average (peak ÷ {})",
            rate(rates.average),
            rate(traffic.peak_factor())
        ),
    };
    let peak = match traffic.peak_rps {
        Some(_) => "declared".to_string(),
        None => format!("×{}", rate(traffic.peak_factor())),
    };
    format!(
        "{average}; peak {peak} = {} rps; design for ×{} = {} rps",
        rate(rates.peak),
        rate(traffic.design_factor()),
        rate(rates.design),
    )
}

fn per_component(out: &mut String, design: &Design, analysis: &Analysis) {
    let Some(load) = &analysis.load else { return };
    writeln!(
        out,
        "Per component, requests per second average / peak / design-for, and at peak against \
         its capacity (target {}):",
        percent(TARGET_UTILIZATION)
    )
    .unwrap();
    for (id, component) in design.components.iter().enumerate() {
        let rates = load.components[id];
        if rates.peak <= 0.0 {
            continue;
        }
        let mut line = format!(
            "  {}: {} / {} / {} rps",
            component.id,
            rate(rates.average),
            rate(rates.peak),
            rate(rates.design)
        );
        if let (Some(headroom), Some(capacity)) =
            (analysis.capacity.headroom[id], component.sizing.capacity)
        {
            line.push_str("; ");
            line.push_str(&headroom_text(component.replicas, capacity, &headroom));
        }
        writeln!(out, "{line}").unwrap();
    }
}

/// `3 × 2,000 rps: 116% at peak, needs 5 replicas for 70%; losing one: 4,000 rps left,
/// short of the peak`.
fn headroom_text(replicas: u32, capacity: f64, headroom: &Headroom) -> String {
    let mut text = format!(
        "{replicas} × {} rps: {} at peak",
        rate(capacity),
        percent(headroom.utilization)
    );
    if headroom.replicas_needed > replicas {
        write!(
            text,
            ", needs {} replicas (+{}) for {}",
            headroom.replicas_needed,
            headroom.replicas_needed - replicas,
            percent(TARGET_UTILIZATION)
        )
        .unwrap();
    }
    if let Some(shards) = headroom.shards_needed {
        write!(
            text,
            "; its writes all go to one leader: {shards} shards for {}",
            percent(TARGET_UTILIZATION)
        )
        .unwrap();
    }
    text.push_str(match headroom.survives_replica_loss {
        true => "; survives losing a replica",
        false => "; does not survive losing a replica at peak",
    });
    text.push_str(match headroom.survives_zone_loss {
        Some(true) => " or a zone",
        Some(false) => ", nor a zone",
        None => "",
    });
    text
}

/// What saturates first and what to add for the target at this traffic.
fn scaling(out: &mut String, design: &Design, analysis: &Analysis) {
    let capacity = &analysis.capacity;
    let Some(first) = capacity.saturates_first() else {
        writeln!(
            out,
            "no component declares its capacity (`capacity 2000rps`): nothing saturates"
        )
        .unwrap();
        return;
    };
    let utilization = capacity.headroom[first]
        .expect("it has headroom")
        .utilization;
    writeln!(
        out,
        "saturates first: {} ({} at peak{})",
        design.components[first].id,
        percent(utilization),
        if utilization < 1.0 {
            format!(", at {}× this traffic", rate(1.0 / utilization))
        } else {
            String::new()
        }
    )
    .unwrap();
    let additions: Vec<String> = design
        .components
        .iter()
        .zip(&capacity.headroom)
        .filter_map(|(component, headroom)| {
            let needed = headroom.as_ref()?.replicas_needed;
            (needed > component.replicas).then(|| {
                format!(
                    "{} +{} (to {})",
                    component.id,
                    needed - component.replicas,
                    needed
                )
            })
        })
        .collect();
    let shards: Vec<String> = design
        .components
        .iter()
        .zip(&capacity.headroom)
        .filter_map(|(component, headroom)| {
            let shards = headroom.as_ref()?.shards_needed?;
            Some(format!("{} into {shards}", component.id))
        })
        .collect();
    if !shards.is_empty() {
        writeln!(
            out,
            "to shard (a single leader takes every write; replicas add reads only): {}",
            shards.join(", ")
        )
        .unwrap();
    }
    if additions.is_empty() {
        writeln!(
            out,
            "to add: nothing, every component is within {} at peak",
            percent(TARGET_UTILIZATION)
        )
        .unwrap();
    } else {
        writeln!(out, "to add: {} replicas", additions.join(", ")).unwrap();
    }
}

fn storage(out: &mut String, design: &Design, analysis: &Analysis) {
    let stores: Vec<(usize, &Stored)> = (analysis.capacity.stored.iter().enumerate())
        .filter_map(|(id, stored)| Some((id, stored.as_ref()?)))
        .collect();
    if stores.is_empty() {
        return;
    }
    writeln!(out, "Storage after a year (seed 003 §5):").unwrap();
    for (id, stored) in stores {
        let per_day = match stored.growth {
            Growth::Declared {
                per_day,
                traffic_scale,
            } if traffic_scale != 1.0 => format!(
                "{} a day × {} (--traffic) = {} a day",
                bytes(per_day),
                rate(traffic_scale),
                bytes(stored.bytes_per_day)
            ),
            Growth::Declared { .. } => format!("{} a day", bytes(stored.bytes_per_day)),
            Growth::Records {
                record_size,
                writes_per_second,
            } => format!(
                "{} × {} writes/s × {} s = {} a day",
                bytes(record_size),
                rate(writes_per_second),
                rate(SECONDS_PER_DAY),
                bytes(stored.bytes_per_day)
            ),
        };
        let kept = if stored.days_kept < DAYS_PER_YEAR {
            format!("{} days kept", rate(stored.days_kept))
        } else {
            "365 days".to_string()
        };
        writeln!(
            out,
            "  {}: {per_day}; × {kept} = {}; × {} cop{} = {}",
            design.components[id].id,
            bytes(stored.after_a_year),
            stored.copies,
            if stored.copies == 1 { "y" } else { "ies" },
            bytes(stored.with_copies())
        )
        .unwrap();
    }
}

/// A rate or count: whole and grouped by thousands from 100 up (`6,944`), else three
/// significant digits (`2.5`, `0.123`).
pub fn rate(value: f64) -> String {
    if value.abs() >= 100.0 {
        return grouped(value.round());
    }
    let text = format!("{:.*}", significant_decimals(value, 3), value);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn significant_decimals(value: f64, digits: i32) -> usize {
    if value == 0.0 {
        return 0;
    }
    (digits - 1 - value.abs().log10().floor() as i32).max(0) as usize
}

/// Digits grouped by thousands with commas: `1,133`.
pub fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut text = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    if value < 0.0 {
        text.insert(0, '-');
    }
    text
}

/// Bytes in decimal units to three significant digits: `20GB`, `7.3TB`, `21.9TB`.
pub fn bytes(value: f64) -> String {
    const UNITS: [(&str, f64); 5] = [
        ("PB", 1e15),
        ("TB", 1e12),
        ("GB", 1e9),
        ("MB", 1e6),
        ("KB", 1e3),
    ];
    let (unit, size) = UNITS
        .into_iter()
        .find(|&(_, size)| value >= size)
        .unwrap_or(("B", 1.0));
    format!("{}{unit}", rate(value / size))
}

/// `70%`, `115.7%`: a fraction as a percentage to a tenth at most.
pub fn percent(fraction: f64) -> String {
    let text = format!("{:.1}", fraction * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_the_guide_writes_them() {
        assert_eq!(rate(2314.8148), "2,315");
        assert_eq!(rate(13_888.9), "13,889");
        assert_eq!(rate(20.0), "20");
        assert_eq!(rate(2.5), "2.5");
        assert_eq!(bytes(20e9), "20GB");
        assert_eq!(bytes(7.3e12), "7.3TB");
        assert_eq!(bytes(21.9e12), "21.9TB");
        assert_eq!(bytes(100.0), "100B");
        assert_eq!(percent(0.7), "70%");
        assert_eq!(percent(1.157_4), "115.7%");
    }
}
