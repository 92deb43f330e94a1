//! What a design says about load, capacity, storage and cost: the system's traffic and
//! each component's sizing, with the values they are written in converted (rates in
//! requests per second, sizes in bytes, periods in days).

use super::properties::{invalid, Converted};
use crate::syntax::ast::{Property, ValueKind};

/// The guide's peak over average (seed 003 §5: "Peak (3x average)").
pub const DEFAULT_PEAK_FACTOR: f64 = 3.0;
/// The guide's design-for over peak (seed 003 §5: "Design for (2x peak)").
pub const DEFAULT_DESIGN_FACTOR: f64 = 2.0;
pub const SECONDS_PER_DAY: f64 = 86_400.0;
pub const DAYS_PER_YEAR: f64 = 365.0;

/// The traffic a system declares: daily users and their actions, or the peak rate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traffic {
    pub dau: Option<u64>,
    pub actions_per_user: Option<f64>,
    pub peak_rps: Option<u64>,
    pub peak_factor: Option<f64>,
    pub design_factor: Option<f64>,
}

/// Requests per second at the three loads seed 003 §5 plans with.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub average: f64,
    pub peak: f64,
    pub design: f64,
}

impl Rates {
    pub fn plus(self, other: Rates) -> Rates {
        Rates {
            average: self.average + other.average,
            peak: self.peak + other.peak,
            design: self.design + other.design,
        }
    }

    pub fn scaled(self, factor: f64) -> Rates {
        Rates {
            average: self.average * factor,
            peak: self.peak * factor,
            design: self.design * factor,
        }
    }
}

impl Traffic {
    pub fn peak_factor(&self) -> f64 {
        self.peak_factor.unwrap_or(DEFAULT_PEAK_FACTOR)
    }

    pub fn design_factor(&self) -> f64 {
        self.design_factor.unwrap_or(DEFAULT_DESIGN_FACTOR)
    }

    /// The system's requests per second: the average from daily users × actions over a
    /// day, the peak declared or the average × the peak factor, design-for the peak ×
    /// the design factor. None when neither `dau` with `actions_per_user` nor `peak_rps`
    /// is declared.
    pub fn rates(&self) -> Option<Rates> {
        let daily = match (self.dau, self.actions_per_user) {
            (Some(dau), Some(actions)) => Some(dau as f64 * actions / SECONDS_PER_DAY),
            _ => None,
        };
        let declared_peak = self.peak_rps.map(|peak| peak as f64);
        let average = daily.or(declared_peak.map(|peak| peak / self.peak_factor()))?;
        let peak = declared_peak.unwrap_or(average * self.peak_factor());
        Some(Rates {
            average,
            peak,
            design: peak * self.design_factor(),
        })
    }
}

/// What one component handles, keeps and sends out, where declared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sizing {
    /// Requests per second one replica handles.
    pub capacity: Option<f64>,
    /// Caches: the share of reads answered from the cache.
    pub hit_ratio: Option<f64>,
    /// The instance type each replica runs on, a name in the price table.
    pub instance: Option<String>,
    pub storage: Storage,
    /// Bytes sent to the internet a month.
    pub egress_per_month: Option<f64>,
}

/// How a data store grows: records of a size at a write rate, or bytes a day, kept for
/// a retention period on a storage class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Storage {
    /// Bytes each write adds.
    pub record_size: Option<f64>,
    /// Writes per second; else the average load of the flows that write to the store.
    pub write_rate: Option<f64>,
    /// Bytes a day, instead of records.
    pub growth_per_day: Option<f64>,
    /// Days data is kept; kept for good when none.
    pub retention_days: Option<f64>,
    /// A name in the price table (`gp3`, `standard`…).
    pub class: Option<String>,
}

impl Storage {
    pub fn is_declared(&self) -> bool {
        *self != Storage::default()
    }
}

/// The component properties that size a data store.
pub const STORAGE_PROPERTIES: [&str; 5] = [
    "record_size",
    "write_rate",
    "growth_per_day",
    "retention",
    "storage_class",
];

/// A rate written with `rps`: `capacity 2000rps`. Zero or more; a negative rate is an error.
pub fn rate(property: &Property) -> Converted<f64> {
    quantity(property, &[("rps", 1.0)], "e.g. `capacity 2000rps`")
}

/// Decimal sizes, as the guide counts (200M × 100 bytes = 20GB).
const SIZE_UNITS: [(&str, f64); 6] = [
    ("KB", 1e3),
    ("MB", 1e6),
    ("GB", 1e9),
    ("TB", 1e12),
    ("PB", 1e15),
    ("B", 1.0),
];

/// A size in bytes: `100B`, `1KB`, `20GB`.
pub fn size(property: &Property) -> Converted<f64> {
    quantity(property, &SIZE_UNITS, "e.g. `record_size 100B` or `20GB`")
}

/// A number with one of `units`, converted by its factor.
fn quantity(property: &Property, units: &[(&str, f64)], example: &str) -> Converted<f64> {
    let name = &property.name.name;
    let ValueKind::Quantity(raw) = &property.value.kind else {
        return Err(invalid(
            property,
            format!(
                "expected a number with its unit, found {}",
                property.value.kind.describe()
            ),
            example,
        ));
    };
    let found = units
        .iter()
        .find_map(|&(unit, factor)| Some((raw.strip_suffix(unit)?, factor)));
    let Some((digits, factor)) = found else {
        let names: Vec<&str> = units.iter().map(|(unit, _)| *unit).collect();
        return Err(invalid(
            property,
            format!("`{name}` is not written in {}", names.join(", ")),
            example,
        ));
    };
    match digits.replace('_', "").parse::<f64>() {
        Ok(n) if n >= 0.0 => Ok(n * factor),
        _ => Err(invalid(
            property,
            format!("`{name}` cannot be negative"),
            example,
        )),
    }
}

/// How many times one rate is another: `peak_factor 3`; at least 1.
pub fn factor(property: &Property) -> Converted<f64> {
    let help = "write how many times the average the peak is, e.g. `peak_factor 3` \
                (design-for over peak: `design_factor 2`)";
    match positive_number(property, help)? {
        n if n >= 1.0 => Ok(n),
        _ => Err(invalid(
            property,
            format!("`{}` must be at least 1", property.name.name),
            help,
        )),
    }
}

/// A number above zero, fractions allowed: `actions_per_user 20`.
pub fn positive_number(property: &Property, help: &str) -> Converted<f64> {
    let ValueKind::Number(raw) = &property.value.kind else {
        return Err(invalid(
            property,
            format!(
                "expected a number, found {}",
                property.value.kind.describe()
            ),
            help,
        ));
    };
    match raw.replace('_', "").parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok(n),
        _ => Err(invalid(
            property,
            format!("`{}` must be above 0", property.name.name),
            help,
        )),
    }
}

/// A share of requests as a fraction, 0% to 100%: `share 30%`, `hit_ratio 80%`.
pub fn share(property: &Property) -> Converted<f64> {
    let help = match property.name.name.as_str() {
        "hit_ratio" => {
            "the share of reads the cache answers, from 0% to 100%, e.g. `hit_ratio 80%`"
        }
        _ => {
            "the share of the caller's requests the flow carries, from 0% to 100%, e.g. `share 30%`"
        }
    };
    let ValueKind::Percent(raw) = &property.value.kind else {
        return Err(invalid(
            property,
            format!(
                "expected a percentage, found {}",
                property.value.kind.describe()
            ),
            help,
        ));
    };
    match raw.trim_end_matches('%').replace('_', "").parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ => Err(invalid(
            property,
            format!(
                "`{}` of {raw} is not between 0% and 100%",
                property.name.name
            ),
            help,
        )),
    }
}

/// Days: `retention 365d`, `retention 720h`.
pub fn days(property: &Property) -> Converted<f64> {
    let milliseconds = super::properties::duration(property)?;
    Ok(milliseconds / (SECONDS_PER_DAY * 1_000.0))
}

/// A name from the price table, bare or quoted: `storage_class gp3`.
pub fn class_name(property: &Property) -> Converted<String> {
    super::properties::bare_or_quoted(
        property,
        "a storage class",
        "e.g. `storage_class gp3` (block storage) or `storage_class standard` (object storage)",
    )
}
