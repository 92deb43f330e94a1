//! Text rendering time (check excluded: cell layout + drawing) on generated designs.
//! Run: `cargo bench --bench text`. Target: 1,000 components ≤ 100 ms.

use std::time::{Duration, Instant};
use strata::layout::Direction;
use strata::render::text::{self, Charset, TextOptions};
use strata::source::Source;

fn main() {
    println!("text render: cell layout + drawing (release build, median of runs)");
    println!(
        "{:>11} {:>7} {:>10} {:>9} {:>8} {:>9}",
        "components", "flows", "direction", "total ms", "columns", "rows"
    );
    for (components, runs) in [(200, 15), (1_000, 9), (5_000, 3)] {
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
            for _ in 0..runs {
                let started = Instant::now();
                drawing = text::to_text(design, &options).expect("unbounded width");
                times.push(started.elapsed());
            }
            times.sort();
            let columns = drawing
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0);
            println!(
                "{:>11} {:>7} {:>10} {:>9.1} {:>8} {:>9}",
                components,
                design.flows.len(),
                format!("{direction:?}"),
                times[times.len() / 2].as_secs_f64() * 1000.0,
                columns,
                drawing.lines().count()
            );
        }
    }
}
