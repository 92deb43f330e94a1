//! Parse + check time and peak heap memory on generated designs.
//! Run: `cargo bench --bench front_end`. Target: 10,000 components ≤ 50 ms, ≤ 50 MB.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use strata::source::Source;

/// Counts live heap bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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
            let before = LIVE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let start = Instant::now();
            let checked = strata::check(&source);
            times.push(start.elapsed());
            peak = PEAK.load(Ordering::Relaxed) - before;
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
