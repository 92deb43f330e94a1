//! Text rendering time (check excluded: cell layout + drawing) and peak heap memory on
//! generated designs. Run: `cargo bench --bench text`. Target: 1,000 components ≤ 100 ms.

#[path = "common/peak_heap.rs"]
mod peak_heap;

use std::time::{Duration, Instant};
use strata::layout::Direction;
use strata::render::text::{self, Charset, TextOptions};
use strata::source::Source;

#[global_allocator]
static ALLOCATOR: peak_heap::Counting = peak_heap::Counting;

const RUNS: [(usize, usize); 2] = [(200, 15), (1_000, 9)];

fn main() {
    println!("text render: cell layout + drawing (release build, median of runs)");
    println!(
        "{:>11} {:>7} {:>10} {:>9} {:>8} {:>9} {:>9} {:>13}",
        "components",
        "flows",
        "direction",
        "total ms",
        "columns",
        "rows",
        "text MB",
        "peak heap MB"
    );
    // Past about 1,500 components the drawing passes `text::MAX_CELLS` and is refused.
    for (components, runs) in RUNS {
        let checked = strata::check(&Source::new(
            "generated",
            strata::generate::design(components, 42),
        ));
        assert!(!checked.has_errors());
        let design = &checked.design;
        for direction in [Direction::Down, Direction::Right] {
            let options = TextOptions {
                direction,
                charset: Charset::Unicode,
                width: usize::MAX,
            };
            let mut times: Vec<Duration> = Vec::new();
            let mut drawing = String::new();
            let mut peak = 0;
            for _ in 0..runs {
                drop(std::mem::take(&mut drawing));
                let started = Instant::now();
                let (text, heap) = peak_heap::measure(|| {
                    text::to_text(design, &options).expect("unbounded width")
                });
                times.push(started.elapsed());
                drawing = text;
                peak = heap;
            }
            times.sort();
            let columns = drawing
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0);
            println!(
                "{:>11} {:>7} {:>10} {:>9.1} {:>8} {:>9} {:>9.1} {:>13.1}",
                components,
                design.flows.len(),
                format!("{direction:?}"),
                times[times.len() / 2].as_secs_f64() * 1000.0,
                columns,
                drawing.lines().count(),
                drawing.len() as f64 / 1e6,
                peak as f64 / (1024.0 * 1024.0)
            );
        }
    }
    refusals();
}

/// A design too wide for the terminal is refused with the width it needs: every way of
/// fitting is tried first (wrapped ranks too, for designs small enough).
fn refusals() {
    println!("\nrefused at 100 columns: the ways that can fit or be the narrowest laid out, then the error (median)");
    println!("{:>11} {:>9} {:>9}", "components", "total ms", "needs");
    for (components, runs) in [(60, 15), (200, 9), (1_000, 5)] {
        let checked = strata::check(&Source::new(
            "generated",
            strata::generate::design(components, 42),
        ));
        let options = TextOptions {
            direction: Direction::Down,
            charset: Charset::Unicode,
            width: 100,
        };
        let mut times: Vec<Duration> = Vec::new();
        let mut needs = String::new();
        for _ in 0..runs {
            let started = Instant::now();
            let error = text::to_text(&checked.design, &options).expect_err("too wide");
            times.push(started.elapsed());
            needs = match error {
                text::TextError::TooWide { needed, .. } => needed.to_string(),
                other => other.to_string(),
            };
        }
        times.sort();
        println!(
            "{:>11} {:>9.1} {:>9}",
            components,
            times[times.len() / 2].as_secs_f64() * 1000.0,
            needs
        );
    }
}
