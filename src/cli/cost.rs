//! `strata cost`: the design's monthly estimate, line by line, from strata's price table
//! or the user's (`--prices`), as a table or as JSON.

use super::io;
use super::ColorChoice;
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::analysis::cost::{cost, dollars, Bill, Pricing};
use strata::analysis::prices::{Prices, DEFAULT};
use strata::diagnostics::listed;
use strata::model::Design;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// A table: component, what is paid for, how it is computed, a month's cost
    Text,
    /// The same lines in the documented strata.cost/1 schema
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PricingArg {
    /// List prices
    OnDemand,
    /// The table's reserved discount off compute and managed instances
    Reserved,
    /// The table's spot discount off compute instances
    Spot,
}

#[derive(clap::Args)]
pub struct CostArgs {
    /// Design file (`-` for standard input)
    #[arg(required_unless_present = "show_prices")]
    file: Option<PathBuf>,
    /// A price file (TOML) instead of strata's own; `--show-prices` prints strata's
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Which instance prices apply
    #[arg(long, value_enum, default_value_t = PricingArg::OnDemand)]
    pricing: PricingArg,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print strata's price table (seed 001's cloud cost mental model) and exit
    #[arg(long)]
    show_prices: bool,
}

pub fn run(args: &CostArgs, color: ColorChoice) -> ExitCode {
    if args.show_prices {
        return match io::print(DEFAULT) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        };
    }
    let Some(file) = &args.file else {
        return io::failure();
    };
    let prices = match read_prices(args.prices.as_deref(), color) {
        Ok(prices) => prices,
        Err(code) => return code,
    };
    let (source, checked) = match io::load_checked(file, color, "costed") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let design = &checked.design;
    let pricing = match args.pricing {
        PricingArg::OnDemand => Pricing::OnDemand,
        PricingArg::Reserved => Pricing::Reserved,
        PricingArg::Spot => Pricing::Spot,
    };
    let analysis = strata::analysis::analyze(design);
    let bill = match cost(design, &analysis, &prices, pricing) {
        Ok(bill) => bill,
        Err(errors) => {
            io::print_diagnostics(&checked.files(&source), &errors, color);
            eprintln!("error: nothing costed: the price table lacks what the design names");
            return io::failure();
        }
    };
    let report = match args.format {
        Format::Text => table(design, &bill, args.prices.as_deref()),
        Format::Json => strata::analysis::cost::to_json(design, &bill),
    };
    match io::print(&report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn read_prices(path: Option<&Path>, color: ColorChoice) -> Result<Prices, ExitCode> {
    let Some(path) = path else {
        return Ok(Prices::default_table());
    };
    let source = io::read_source(path).map_err(|error| {
        error.report(color);
        io::failure()
    })?;
    Prices::parse(&source.text).map_err(|errors| {
        io::print_diagnostics(&source, &errors, color);
        eprintln!("error: nothing costed: fix the price file first");
        io::failure()
    })
}

/// The bill as aligned columns, a total, and what has no price.
fn table(design: &Design, bill: &Bill, prices: Option<&Path>) -> String {
    let name = design.system.name.as_deref().unwrap_or("design");
    let table = match prices {
        Some(path) => format!("prices from {}", io::display_name(path)),
        None => "strata's prices (seed 001's cloud cost mental model)".to_string(),
    };
    let pricing = match bill.pricing {
        Pricing::OnDemand => "on demand",
        Pricing::Reserved => "reserved",
        Pricing::Spot => "spot",
    };
    let mut out = format!("{name}: monthly cost, {pricing}, {table}\n");
    let rows: Vec<[String; 4]> = bill
        .lines
        .iter()
        .map(|line| {
            [
                design.components[line.component].id.clone(),
                line.item.clone(),
                line.how.clone(),
                dollars(line.monthly),
            ]
        })
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [
        width(0),
        width(1),
        width(2),
        width(3).max(dollars(bill.total).len()),
    ];
    for row in &rows {
        out.push_str(&format!(
            "  {:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        ));
    }
    let label_width = widths[0] + widths[1] + widths[2] + 4;
    out.push_str(&format!(
        "  {:<label_width$}  {:>w3$}\n",
        "total",
        dollars(bill.total),
        w3 = widths[3]
    ));
    if !bill.not_costed.is_empty() {
        let ids: Vec<&str> = (bill.not_costed.iter())
            .map(|&c| design.components[c].id.as_str())
            .collect();
        out.push_str(&format!(
            "not costed (no instance type, storage or egress declared): {}\n",
            listed(&ids, "none")
        ));
    }
    out
}
