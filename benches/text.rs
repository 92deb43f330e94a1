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
    for (components, runs) in [(200, 15), (1_000, 9)] {
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
}
