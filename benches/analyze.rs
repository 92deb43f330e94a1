//! Analysis time on generated designs, with the journeys inferred from the routers and
//! with 100 declared ones walking the design's own flows: the analysis alone, and as
//! `strata analyze` runs it (check + analyze + the report, text or JSON, or `--fail`).
//! Run: `cargo bench --bench analyze`. Targets: 10,000 components with 100 declared
//! journeys analysed in ≤ 100 ms, and `--fail` on one component of 10,000 in ≤ 100 ms.

use std::time::{Duration, Instant};
use strata::analysis::what_if::{what_if, Failure};
use strata::source::Source;

const JOURNEYS: usize = 100;
/// Flows each journey walks at most, about a request's depth through the tiers.
const HOPS: usize = 5;
const RUNS: usize = 15;
const TARGET_MS: f64 = 100.0;

fn main() {
    println!(
        "analyze: analysis alone, and check + analyze + report (release build, median of {RUNS} runs)"
    );
    println!(
        "{:>12} {:>8} {:>16} {:>8} {:>12} {:>10} {:>10} {:>10}",
        "components",
        "flows",
        "journeys",
        "steps",
        "analysis ms",
        "+text ms",
        "+json ms",
        "--fail ms"
    );
    let mut at_target = None;
    for components in [1_000, 10_000] {
        // Every component declares a latency, so each journey's critical path is worked
        // out too, not skipped as it is when no step has one.
        let plain = strata::generate::design(components, 42)
            .replace("{ replicas", "{ latency 2ms; replicas");
        let inferred = Source::new("generated", plain.as_str());
        let mut text = plain;
        text.push_str(&strata::generate::journeys(
            &strata::check(&inferred).design,
            JOURNEYS,
            HOPS,
        ));
        let declared = Source::new("generated", text);
        row("inferred", &inferred);
        at_target = Some(row("declared", &declared));
    }
    let (analysis, whole, fail) = at_target.expect("a size was measured");
    println!(
        "target: 10,000 components with {JOURNEYS} declared journeys analysed in ≤ {TARGET_MS} ms: \
         analysis {:.2} ms, check + analyze + text report {:.2} ms; \
         `--fail` on the component with the largest blast radius {:.2} ms (target ≤ {TARGET_MS} ms)",
        ms(analysis),
        ms(whole),
        ms(fail)
    );
}

/// One line of figures: the design's journeys analysed alone, then as `strata analyze`
/// runs from the text with each report, and with `--fail` on the component that takes
/// the most journeys down. Returns the analysis alone, with the text report, and `--fail`.
fn row(name: &str, source: &Source) -> (Duration, Duration, Duration) {
    let checked = strata::check(source);
    assert!(
        !checked.has_errors(),
        "{:?}",
        checked.diagnostics.iter().find(|d| d.is_error())
    );
    let design = &checked.design;
    let analysis = strata::analysis::analyze(design);
    if !design.journeys.is_empty() {
        assert_eq!(analysis.paths.len(), JOURNEYS);
        assert!(analysis.paths.iter().all(|p| p.latency.is_some()));
    }
    let steps: usize = design.journeys.iter().map(|j| j.steps.len()).sum();
    let analysis_alone = median(|| strata::analysis::analyze(design).paths.len());
    let with_text = median(|| {
        let checked = strata::check(source);
        let analysis = strata::analysis::analyze(&checked.design);
        strata::analysis::explain::explain(&checked.design, &analysis).len()
    });
    let with_json = median(|| {
        let checked = strata::check(source);
        let analysis = strata::analysis::analyze(&checked.design);
        strata::analysis::json::to_json(&checked.design, &analysis, None).len()
    });
    let busiest = what_if(design, &analysis, &[]).blast_radius[0].0;
    let with_fail = median(|| {
        let checked = strata::check(source);
        let design = &checked.design;
        let analysis = strata::analysis::analyze(design);
        let outcome = what_if(design, &analysis, &[Failure::Component(busiest)]);
        strata::analysis::explain::explain_what_if(design, &analysis, &outcome).len()
    });
    println!(
        "{:>12} {:>8} {:>16} {steps:>8} {:>12.2} {:>10.2} {:>10.2} {:>10.2}",
        design.components.len(),
        design.flows.len(),
        format!("{name} {}", analysis.paths.len()),
        ms(analysis_alone),
        ms(with_text),
        ms(with_json),
        ms(with_fail),
    );
    (analysis_alone, with_text, with_fail)
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
