//! Parse + check time and peak heap memory on generated designs.
//! Run: `cargo bench --bench front_end`. Target: 10,000 components ≤ 50 ms, ≤ 50 MB.

use std::time::{Duration, Instant};
use strata::source::Source;

#[path = "common/peak_heap.rs"]
mod peak_heap;

#[global_allocator]
static ALLOCATOR: peak_heap::Counting = peak_heap::Counting;

fn main() {
    println!("front end: parse + check (release build, median of runs)");
    println!(
        "{:>12} {:>8} {:>10} {:>12} {:>14}",
        "components", "flows", "input KB", "time ms", "peak heap MB"
    );
    for components in [1_000, 10_000] {
        let text = strata::generate::design(components, 42);
        let input_kb = text.len() / 1024;
        let source = Source::new("generated", text);
        let mut times: Vec<Duration> = Vec::new();
        let mut flows = 0;
        let mut peak = 0;
        for _ in 0..15 {
            let start = Instant::now();
            let (checked, heap) = peak_heap::measure(|| strata::check(&source));
            times.push(start.elapsed());
            peak = heap;
            assert!(!checked.has_errors());
            flows = checked.design.flows.len();
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{components:>12} {flows:>8} {input_kb:>10} {:>12.2} {:>14.1}",
            median.as_secs_f64() * 1e3,
            peak as f64 / (1024.0 * 1024.0)
        );
    }
}
