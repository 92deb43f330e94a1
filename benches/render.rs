//! Full render (check excluded: layout + SVG) time and peak heap memory on generated
//! designs. Run: `cargo bench --bench render`.
//! Targets: 1,000 components ≤ 60 ms, 5,000 ≤ 1 s, peak heap ≤ 200 MB.
//!
//! `cargo bench --bench render -- --write-json DIR` also writes each design's layout JSON,
//! DOT and D2 to DIR for `scripts/compare-with-dot.sh`.

use std::time::{Duration, Instant};
use strata::layout::Direction;
use strata::render::{self, RenderOptions};
use strata::source::Source;

#[path = "common/peak_heap.rs"]
mod peak_heap;

#[global_allocator]
static ALLOCATOR: peak_heap::Counting = peak_heap::Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write_dir = args
        .iter()
        .position(|a| a == "--write-json")
        .and_then(|i| args.get(i + 1));
    if let Some(dir) = write_dir {
        write_for_comparison(dir);
        return;
    }
    println!("render: layout + SVG (release build, median of runs)");
    println!(
        "{:>11} {:>7} {:>9} {:>9} {:>8} {:>10} {:>13}",
        "components", "flows", "layout ms", "total ms", "SVG KB", "crossings", "peak heap MB"
    );
    for (components, runs) in [(1_000, 15), (5_000, 5)] {
        let checked = strata::check(&Source::new(
            "generated",
            strata::generate::design(components, 42),
        ));
        assert!(!checked.has_errors());
        let design = &checked.design;
        let mut layout_times: Vec<Duration> = Vec::new();
        let mut total_times: Vec<Duration> = Vec::new();
        let (mut peak, mut svg_len, mut crossings) = (0, 0, 0);
        for _ in 0..runs {
            let start = Instant::now();
            let ((layout, svg), heap) = peak_heap::measure(|| {
                let layout = render::pixel_layout(design, Direction::Down);
                layout_times.push(start.elapsed());
                let svg = render::svg::to_svg(design, &layout, &RenderOptions::default());
                total_times.push(start.elapsed());
                (layout, svg)
            });
            peak = heap;
            svg_len = svg.len();
            crossings = layout.crossings;
        }
        layout_times.sort();
        total_times.sort();
        println!(
            "{components:>11} {:>7} {:>9.1} {:>9.1} {:>8} {crossings:>10} {:>13.1}",
            design.flows.len(),
            layout_times[runs / 2].as_secs_f64() * 1e3,
            total_times[runs / 2].as_secs_f64() * 1e3,
            svg_len / 1024,
            peak as f64 / (1024.0 * 1024.0)
        );
    }
}

fn write_for_comparison(dir: &str) {
    let generated = [50, 200, 1_000, 5_000].map(|components| {
        (
            components.to_string(),
            strata::generate::design(components, 42),
        )
    });
    let templates = strata::templates::ALL
        .iter()
        .map(|template| (template.name.to_string(), template.text.to_string()));
    for (name, text) in templates.chain(generated) {
        let checked = strata::check(&Source::new(&name, text));
        let design = &checked.design;
        let layout = render::pixel_layout(design, Direction::Down);
        let path = format!("{dir}/strata-{name}.json");
        std::fs::write(&path, render::json::to_json(design, &layout)).unwrap();
        let dot = format!("{dir}/design-{name}.dot");
        std::fs::write(&dot, strata::export::dot::to_dot(design)).unwrap();
        let d2 = format!("{dir}/design-{name}.d2");
        std::fs::write(&d2, strata::export::d2::to_d2(design)).unwrap();
        println!("wrote {path}, {dot} and {d2}");
    }
}
