//! Lint time (analysis + every rule) on generated designs.
//! Run: `cargo bench --bench lint`. Target: 10,000 components ≤ 100 ms.

use std::time::{Duration, Instant};
use strata::lint::config::CommandLine;
use strata::lint::{lint, Config};
use strata::source::Source;

fn main() {
    println!(
        "lint: analysis + {} rules (release build, median of runs)",
        strata::lint::RULES.len()
    );
    println!(
        "{:>12} {:>8} {:>10} {:>10}",
        "components", "flows", "findings", "time ms"
    );
    for components in [1_000, 10_000] {
        let source = Source::new("generated", strata::generate::design(components, 42));
        let checked = strata::check(&source);
        let (config, _) =
            Config::new(&checked.design, &CommandLine::default()).expect("default configuration");
        let mut times: Vec<Duration> = Vec::new();
        let mut findings = 0;
        for _ in 0..9 {
            let start = Instant::now();
            let linted = lint(&checked.design, &checked.parsed.comments, &source, &config);
            times.push(start.elapsed());
            findings = linted.findings.len();
        }
        times.sort();
        println!(
            "{components:>12} {:>8} {findings:>10} {:>10.2}",
            checked.design.flows.len(),
            times[times.len() / 2].as_secs_f64() * 1e3
        );
    }
}
