//! The price table `strata cost` reads: strata's own (`prices.toml`, seed 001's cloud cost
//! mental model) or a user's file of the same shape, read with toml_edit so every mistake
//! is located in the file.

use crate::diagnostics::Diagnostic;
use crate::model::suggest::closest;
use crate::source::{quoted, Span};
use std::collections::BTreeMap;
use toml_edit::{Document, Item, TableLike};

/// strata's default prices.
pub const DEFAULT: &str = include_str!("prices.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    pub hours_per_month: f64,
    /// Per vCPU-hour, by family.
    pub compute: BTreeMap<String, f64>,
    pub instances: BTreeMap<String, Instance>,
    /// Managed database and cache instances, per hour.
    pub managed: BTreeMap<String, f64>,
    /// Per GB-month, by storage class.
    pub storage: BTreeMap<String, f64>,
    /// Per GB sent to the internet.
    pub internet_transfer: f64,
    /// Per month per replica, by component kind.
    pub fixed: BTreeMap<String, f64>,
    /// Fractions off instance prices.
    pub reserved: f64,
    pub spot: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub family: String,
    pub vcpus: f64,
}

const TABLES: [&str; 8] = [
    "hours_per_month",
    "compute",
    "instances",
    "managed",
    "storage",
    "transfer",
    "fixed",
    "discounts",
];

impl Prices {
    /// strata's own table, which a test keeps readable.
    pub fn default_table() -> Prices {
        Prices::parse(DEFAULT).expect("the shipped price table reads")
    }

    /// A price file's text, or every mistake in it, located.
    pub fn parse(text: &str) -> Result<Prices, Vec<Diagnostic>> {
        let document = Document::parse(text).map_err(|error| {
            vec![Diagnostic::error(
                "E501",
                format!("invalid TOML: {}", error.message().trim()),
                error.span().unwrap_or(0..0),
            )
            .with_label("the price file cannot be read past here")
            .with_help("a price file is TOML, shaped as strata's own: `strata cost --show-prices`")]
        })?;
        let mut reader = Reader::default();
        let root = document.as_table();
        for (name, _) in root.iter() {
            if !TABLES.contains(&name) {
                let help = match closest(name, TABLES) {
                    Some(key) => format!("did you mean `{key}`?"),
                    None => format!("a price file has {}", TABLES.join(", ")),
                };
                reader.error(
                    key_span(root, name),
                    format!("unknown key `{}`", quoted(name)),
                    "not part of a price table",
                    help,
                );
            }
        }
        let hours_per_month = match root.get("hours_per_month") {
            Some(item) => reader.price(item, "hours_per_month").unwrap_or(730.0),
            None => 730.0,
        };
        let compute = reader.prices(root, "compute");
        let managed = reader.prices(root, "managed");
        let storage = reader.prices(root, "storage");
        let fixed = reader.prices(root, "fixed");
        let transfer = reader.prices(root, "transfer");
        let discounts = reader.prices(root, "discounts");
        let instances = reader.instances(root, &compute);
        for (name, &fraction) in &discounts {
            if fraction > 1.0 {
                let item = &root["discounts"][name.as_str()];
                reader.error(
                    span(item),
                    format!("a discount of {fraction} is more than the whole price"),
                    "a fraction off, from 0 to 1",
                    "write the discount as a fraction: 0.4 for 40% off".to_string(),
                );
            }
        }
        if !reader.diagnostics.is_empty() {
            return Err(reader.diagnostics);
        }
        Ok(Prices {
            hours_per_month,
            compute,
            instances,
            managed,
            storage,
            internet_transfer: transfer.get("internet").copied().unwrap_or(0.0),
            fixed,
            reserved: discounts.get("reserved").copied().unwrap_or(0.0),
            spot: discounts.get("spot").copied().unwrap_or(0.0),
        })
    }
}

#[derive(Default)]
struct Reader {
    diagnostics: Vec<Diagnostic>,
}

impl Reader {
    fn error(&mut self, at: Span, message: String, label: &str, help: String) {
        self.diagnostics.push(
            Diagnostic::error("E501", message, at)
                .with_label(label)
                .with_help(help),
        );
    }

    /// A number of zero or more (a whole number is read as one too).
    fn price(&mut self, item: &Item, name: &str) -> Option<f64> {
        let value = item
            .as_float()
            .or_else(|| item.as_integer().map(|n| n as f64));
        match value {
            Some(n) if n >= 0.0 && n.is_finite() => Some(n),
            Some(_) => {
                self.error(
                    span(item),
                    format!("`{}` cannot be negative", quoted(name)),
                    "a price is zero or more",
                    "write the price in dollars, e.g. 0.05".to_string(),
                );
                None
            }
            None => {
                self.error(
                    span(item),
                    format!("`{}` is not a number", quoted(name)),
                    "expected a number",
                    "write the price as a number without quotes or currency sign, e.g. 0.05"
                        .to_string(),
                );
                None
            }
        }
    }

    /// A table of names to prices.
    fn prices(&mut self, root: &dyn TableLike, table: &str) -> BTreeMap<String, f64> {
        let mut prices = BTreeMap::new();
        let Some(item) = root.get(table) else {
            return prices;
        };
        let Some(entries) = item.as_table_like() else {
            self.not_a_table(item, table);
            return prices;
        };
        for (name, item) in entries.iter() {
            if let Some(price) = self.price(item, name) {
                prices.insert(name.to_string(), price);
            }
        }
        prices
    }

    fn not_a_table(&mut self, item: &Item, table: &str) {
        self.error(
            span(item),
            format!("`{table}` is not a table"),
            "expected a table of names and prices",
            format!("write it as a `[{table}]` table of `name = price` lines"),
        );
    }

    /// `[instances]`: each a family of `[compute]` and a number of vCPUs.
    fn instances(
        &mut self,
        root: &dyn TableLike,
        compute: &BTreeMap<String, f64>,
    ) -> BTreeMap<String, Instance> {
        let mut instances = BTreeMap::new();
        let Some(item) = root.get("instances") else {
            return instances;
        };
        let Some(entries) = item.as_table_like() else {
            self.not_a_table(item, "instances");
            return instances;
        };
        for (name, item) in entries.iter() {
            let fields = item.as_table_like();
            let family = fields.and_then(|f| f.get("family"));
            let vcpus = fields.and_then(|f| f.get("vcpus"));
            let (Some(family), Some(vcpus)) = (family, vcpus) else {
                self.error(
                    span(item),
                    format!("instance type `{}` needs a family and vCPUs", quoted(name)),
                    "expected `{ family = \"…\", vcpus = N }`",
                    "e.g. `\"c6g.large\" = { family = \"compute\", vcpus = 2 }`".to_string(),
                );
                continue;
            };
            let Some(vcpus) = self.price(vcpus, "vcpus") else {
                continue;
            };
            match family.as_str() {
                Some(known) if compute.contains_key(known) => {
                    instances.insert(
                        name.to_string(),
                        Instance {
                            family: known.to_string(),
                            vcpus,
                        },
                    );
                }
                written => {
                    let families: Vec<&str> = compute.keys().map(String::as_str).collect();
                    let help = match written.and_then(|w| closest(w, families.iter().copied())) {
                        Some(family) => format!("did you mean `{family}`?"),
                        None => format!(
                            "the families priced under [compute] are {}",
                            families.join(", ")
                        ),
                    };
                    self.error(
                        span(family),
                        format!("instance type `{}` has an unknown family", quoted(name)),
                        "not a family under [compute]",
                        help,
                    );
                }
            }
        }
        instances
    }
}

fn span(item: &Item) -> Span {
    item.span().unwrap_or(0..0)
}

fn key_span(table: &dyn TableLike, name: &str) -> Span {
    table.key(name).and_then(|key| key.span()).unwrap_or(0..0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_holds_seed_001s_prices() {
        let prices = Prices::default_table();
        assert_eq!(prices.hours_per_month, 730.0);
        assert_eq!(prices.compute["compute"], 0.04);
        assert_eq!(prices.instances["c6g.large"].vcpus, 2.0);
        assert_eq!(prices.managed["db.r6g.xlarge"], 0.48);
        assert_eq!(prices.storage["gp3"], 0.08);
        assert_eq!(prices.internet_transfer, 0.09);
        assert_eq!(prices.fixed["load_balancer"], 25.0);
    }

    #[test]
    fn mistakes_in_a_price_file_are_located() {
        let text = "[compute]\ngeneral = \"cheap\"\n[instances]\n\"x1\" = { family = \"genral\", vcpus = 2 }\n[discounts]\nspot = -1\n[extra]\n";
        let errors = Prices::parse(text).unwrap_err();
        let messages: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.message.as_str(), &text[d.primary.span.clone()]))
            .collect();
        assert_eq!(
            messages,
            [
                ("unknown key `extra`", "extra"),
                ("`general` is not a number", "\"cheap\""),
                ("`spot` cannot be negative", "-1"),
                ("instance type `x1` has an unknown family", "\"genral\""),
            ]
        );
        let bad = Prices::parse("[compute\n").unwrap_err();
        assert!(
            bad[0].message.starts_with("invalid TOML"),
            "{}",
            bad[0].message
        );
    }
}
