//! Cost: a monthly estimate per component and in total from a price table (seed 001's
//! cloud cost mental model by default), every line with how it was computed: instances
//! (compute by vCPU-hour of their family, or managed database and cache instances by the
//! hour) times replicas, a fixed price per replica for kinds priced so (load balancers),
//! storage after a year on its class by the GB-month, and transfer to the internet.

use super::capacity::Stored;
use super::explain_capacity::{bytes, grouped, rate};
use super::prices::Prices;
use super::Analysis;
use crate::diagnostics::Diagnostic;
use crate::model::suggest::closest;
use crate::model::{Component, ComponentId, Design, Kind};

/// Which instance prices apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pricing {
    OnDemand,
    /// The table's reserved discount off compute and managed instances.
    Reserved,
    /// The table's spot discount off compute instances (managed ones stay on demand).
    Spot,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub component: ComponentId,
    /// What is paid for: `3 × c6g.large`, `storage (gp3)`, `transfer to the internet`.
    pub item: String,
    /// How the figure is computed, each factor with its unit.
    pub how: String,
    pub monthly: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub pricing: Pricing,
    pub lines: Vec<Line>,
    pub total: f64,
    /// Components with nothing priced (no instance type, no storage, no egress).
    pub not_costed: Vec<ComponentId>,
}

const GB: f64 = 1e9;

/// The bill, or a located error for every instance type or storage class the design
/// names that the table lacks.
pub fn cost(
    design: &Design,
    analysis: &Analysis,
    prices: &Prices,
    pricing: Pricing,
) -> Result<Bill, Vec<Diagnostic>> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let mut not_costed = Vec::new();
    for (id, component) in design.components.iter().enumerate() {
        let before = lines.len();
        match instance_line(component, prices, pricing) {
            Ok(Some(how)) => lines.push(line(id, how)),
            Ok(None) => {}
            Err(error) => errors.push(*error),
        }
        if let Some(stored) = &analysis.capacity.stored[id] {
            match storage_line(component, stored, prices) {
                Ok(how) => lines.push(line(id, how)),
                Err(error) => errors.push(*error),
            }
        }
        if let Some(egress) = component.sizing.egress_per_month {
            let gigabytes = egress / GB;
            lines.push(line(
                id,
                (
                    "transfer to the internet".to_string(),
                    format!(
                        "{} × {}/GB",
                        bytes(egress),
                        dollars(prices.internet_transfer)
                    ),
                    gigabytes * prices.internet_transfer,
                ),
            ));
        }
        if lines.len() == before && !matches!(component.kind, Kind::Client | Kind::External) {
            not_costed.push(id);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let total = lines.iter().map(|line: &Line| line.monthly).sum();
    Ok(Bill {
        pricing,
        lines,
        total,
        not_costed,
    })
}

fn line(component: ComponentId, (item, how, monthly): (String, String, f64)) -> Line {
    Line {
        component,
        item,
        how,
        monthly,
    }
}

type Priced = (String, String, f64);

/// The component's instances: an instance type of the table, or a kind with a fixed price.
fn instance_line(
    component: &Component,
    prices: &Prices,
    pricing: Pricing,
) -> Result<Option<Priced>, Box<Diagnostic>> {
    let replicas = f64::from(component.replicas);
    let hours = prices.hours_per_month;
    let Some(instance) = &component.sizing.instance else {
        let Some(&monthly) = prices.fixed.get(component.kind.name()) else {
            return Ok(None);
        };
        return Ok(Some((
            format!("{} × {}", component.replicas, component.kind.name()),
            format!("{} × {}/month", component.replicas, dollars(monthly)),
            replicas * monthly,
        )));
    };
    let item = format!("{} × {instance}", component.replicas);
    if let Some(spec) = prices.instances.get(instance) {
        let per_vcpu = prices.compute[&spec.family];
        let discount = match pricing {
            Pricing::OnDemand => 0.0,
            Pricing::Reserved => prices.reserved,
            Pricing::Spot => prices.spot,
        };
        let how = format!(
            "{} × {} vCPU × {}/vCPU-hour ({}) × {} h{}",
            component.replicas,
            rate(spec.vcpus),
            dollars(per_vcpu),
            spec.family,
            rate(hours),
            off(discount, pricing)
        );
        let monthly = replicas * spec.vcpus * per_vcpu * hours * (1.0 - discount);
        return Ok(Some((item, how, monthly)));
    }
    if let Some(&hourly) = prices.managed.get(instance) {
        let discount = match pricing {
            Pricing::Reserved => prices.reserved,
            Pricing::OnDemand | Pricing::Spot => 0.0,
        };
        let how = format!(
            "{} × {}/hour × {} h{}",
            component.replicas,
            dollars(hourly),
            rate(hours),
            off(discount, pricing)
        );
        return Ok(Some((
            item,
            how,
            replicas * hourly * hours * (1.0 - discount),
        )));
    }
    let known = prices.instances.keys().chain(prices.managed.keys());
    Err(Box::new(unknown_name(
        component,
        "instance",
        instance,
        known.map(String::as_str),
        "instance type",
        "[instances] (compute) or [managed] (databases, caches)",
    )))
}

/// ` × (1 − 40% reserved)`, or nothing on demand.
fn off(discount: f64, pricing: Pricing) -> String {
    if discount == 0.0 {
        return String::new();
    }
    let name = match pricing {
        Pricing::Reserved => "reserved",
        _ => "spot",
    };
    format!(" × (1 − {}% {name})", rate(discount * 100.0))
}

/// A data store's size after a year, every copy, on its storage class.
fn storage_line(
    component: &Component,
    stored: &Stored,
    prices: &Prices,
) -> Result<Priced, Box<Diagnostic>> {
    let class = component
        .sizing
        .storage
        .class
        .as_deref()
        .unwrap_or(match component.kind {
            Kind::ObjectStorage => "standard",
            _ => "gp3",
        });
    let Some(&per_gb) = prices.storage.get(class) else {
        return Err(Box::new(unknown_name(
            component,
            "storage_class",
            class,
            prices.storage.keys().map(String::as_str),
            "storage class",
            "[storage]",
        )));
    };
    let gigabytes = stored.with_copies() / GB;
    Ok((
        format!("storage ({class})"),
        format!(
            "{} after a year × {} cop{} × {}/GB-month",
            bytes(stored.after_a_year),
            stored.copies,
            if stored.copies == 1 { "y" } else { "ies" },
            dollars(per_gb)
        ),
        gigabytes * per_gb,
    ))
}

fn unknown_name<'a>(
    component: &Component,
    property: &str,
    written: &str,
    known: impl Iterator<Item = &'a str> + Clone,
    what: &str,
    table: &str,
) -> Diagnostic {
    let at = component
        .property_span(property)
        .unwrap_or(&component.span)
        .clone();
    let help = match closest(written, known.clone()) {
        Some(name) => format!("did you mean `{name}`?"),
        None => format!(
            "the price table lists them under {table}: {}; add it to your own price file \
             (`--prices FILE`)",
            crate::diagnostics::listed(&known.collect::<Vec<_>>(), "none")
        ),
    };
    Diagnostic::error(
        "E502",
        format!("no price for {what} `{}`", crate::source::quoted(written)),
        at,
    )
    .with_label(format!("not a {what} of the price table"))
    .with_help(help)
}

/// `$0.04`, `$58.40`, `$1,133.54`: cents, grouped by thousands; a price under a dollar
/// as the table writes it, to four places at most.
pub fn dollars(value: f64) -> String {
    if value != 0.0 && value.abs() < 1.0 {
        let text = format!("{value:.4}");
        let decimals = text.trim_end_matches('0').len() - text.find('.').unwrap_or(0) - 1;
        return format!("${value:.*}", decimals.max(2));
    }
    let cents = (value * 100.0).round();
    format!(
        "${}.{:02}",
        grouped((cents / 100.0).trunc()),
        (cents % 100.0) as u64
    )
}

pub const SCHEMA: &str = "strata.cost/1";

#[derive(serde::Serialize)]
struct BillJson<'a> {
    schema: &'static str,
    pricing: Pricing,
    lines: Vec<LineJson<'a>>,
    total_usd: f64,
    not_costed: Vec<&'a str>,
}

#[derive(serde::Serialize)]
struct LineJson<'a> {
    component: &'a str,
    item: &'a str,
    how: &'a str,
    monthly_usd: f64,
}

/// The bill as pretty-printed JSON (schema `strata.cost/1`, `docs/cost-json.md`), dollars
/// to the cent, ending in a newline.
pub fn to_json(design: &Design, bill: &Bill) -> String {
    let cents = |value: f64| (value * 100.0).round() / 100.0;
    let document = BillJson {
        schema: SCHEMA,
        pricing: bill.pricing,
        lines: (bill.lines.iter())
            .map(|line| LineJson {
                component: &design.components[line.component].id,
                item: &line.item,
                how: &line.how,
                monthly_usd: cents(line.monthly),
            })
            .collect(),
        total_usd: cents(bill.total),
        not_costed: (bill.not_costed.iter())
            .map(|&c| design.components[c].id.as_str())
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the bill serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::dollars;

    #[test]
    fn dollars_read_as_a_bill() {
        assert_eq!(dollars(0.04), "$0.04");
        assert_eq!(dollars(0.023), "$0.023");
        assert_eq!(dollars(0.125), "$0.125");
        assert_eq!(dollars(58.4), "$58.40");
        assert_eq!(dollars(25.0), "$25.00");
        assert_eq!(dollars(1133.54), "$1,133.54");
        assert_eq!(dollars(0.0), "$0.00");
    }
}
