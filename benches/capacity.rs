//! Load propagation, capacity and cost on generated designs: the declared traffic carried
//! through every flow, each component's headroom and each store's size after a year, and
//! the bill. Run: `cargo bench --bench capacity`. Target: 10,000 components in ≤ 50 ms.

use std::time::{Duration, Instant};
use strata::analysis::capacity::Capacity;
use strata::analysis::cost::{cost, Pricing};
use strata::analysis::load::Load;
use strata::analysis::prices::Prices;
use strata::model::{Design, Kind};
use strata::source::Source;

const RUNS: usize = 15;
const TARGET_MS: f64 = 50.0;

fn main() {
    println!(
        "capacity: load propagation + capacity, and cost (release build, median of {RUNS} runs)"
    );
    println!(
        "{:>12} {:>8} {:>10} {:>10} {:>10}",
        "components", "flows", "load ms", "cost ms", "total ms"
    );
    let mut at_target = Duration::ZERO;
    for components in [1_000, 10_000] {
        let design = sized(components);
        let analysis = strata::analysis::analyze(&design);
        let prices = Prices::default_table();
        let load = median(|| {
            let load = Load::new(&design, &analysis.entries, 1.0).expect("traffic declared");
            Capacity::new(&design, Some(&load)).headroom.len()
        });
        let bill = median(|| {
            cost(&design, &analysis, &prices, Pricing::OnDemand)
                .expect("every instance is priced")
                .lines
                .len()
        });
        println!(
            "{:>12} {:>8} {:>10.2} {:>10.2} {:>10.2}",
            design.components.len(),
            design.flows.len(),
            ms(load),
            ms(bill),
            ms(load + bill)
        );
        at_target = load + bill;
    }
    println!(
        "target: load propagation and cost of 10,000 components in ≤ {TARGET_MS} ms: {:.2} ms",
        ms(at_target)
    );
}

/// A generated design with the guide's traffic, a capacity on every component, services
/// on compute instances and databases on managed ones, growing by 100-byte records.
fn sized(components: usize) -> Design {
    let text = strata::generate::design(components, 42)
        .replacen(
            "p99 500ms }",
            "p99 500ms; dau 10_000_000; actions_per_user 20 }",
            1,
        )
        .replace("{ replicas", "{ capacity 800rps; replicas");
    let checked = strata::check(&Source::new("generated", text));
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
    let mut design = checked.design;
    for component in &mut design.components {
        match component.kind {
            Kind::Service | Kind::Worker => {
                component.sizing.instance = Some("c6g.large".to_string());
            }
            Kind::Database => {
                component.sizing.instance = Some("db.r6g.xlarge".to_string());
                component.sizing.storage.record_size = Some(100.0);
            }
            _ => {}
        }
    }
    design
}

/// The median time of `RUNS` runs; the result is kept so the work is not optimised away.
fn median(mut run: impl FnMut() -> usize) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(run());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}
