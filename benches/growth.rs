//! How every command's time grows with the size of adversarial designs: each family of
//! `strata::generate::adversarial` at 1,000 to 16,000 components (or flows), every
//! command run as the CLI runs it (from the text), and the growth factor per doubling.
//! Each command runs on each size in a fresh process, as a user runs it.
//! Run: `cargo bench --bench growth` (`-- --sizes 500,1000` for other sizes,
//! `-- --family fan-in` for one family, `-- --command "render svg"` for one command).
//! Target: every factor at most ×2.5. Beside it, how the command's output grows over
//! that doubling: where a family's output grows faster than its input (the sparse
//! design's journeys get longer as it grows), time can only follow it.
//!
//! `-- --instructions` counts the instructions each command executes instead (under
//! valgrind's callgrind, counting only inside the command), once per size: the work, as
//! any machine reproduces it exactly. Time on large inputs also pays for memory farther
//! from the processor (where caches hold about 8 MB, a random read costs 41 ns with 8 MB
//! of data and 172 ns with 32 MB, which is where 8,000 and 16,000 components fall), so a
//! time factor above the target with an instruction factor below it is the memory
//! hierarchy, not the algorithm.

use std::time::Duration;
use strata::generate::adversarial::Family;
use strata::layout::Direction;
use strata::lint::{config::CommandLine, lint, Config};
use strata::render::text::{Charset, TextOptions};
use strata::render::{self, RenderOptions};
use strata::report::{self, Entry, FileReport};
use strata::source::Source;

#[path = "common/peak_heap.rs"]
mod peak_heap;

#[global_allocator]
static ALLOCATOR: peak_heap::Counting = peak_heap::Counting;

/// A measurement this long ends its row: the next size would take too long to wait for.
const GIVE_UP: Duration = Duration::from_secs(20);
/// Each figure is the least of runs adding up to at least this long (and 3 runs).
const SAMPLE: Duration = Duration::from_millis(300);
const TARGET_GROWTH: f64 = 2.5;

type Command = fn(&str) -> usize;

const COMMANDS: [(&str, Command); 13] = [
    ("check", check),
    ("analyze", analyze),
    ("fmt", fmt),
    ("render svg", render_svg),
    ("render png", render_png),
    ("render text", render_text),
    ("export json", |text| {
        export(text, strata::export::json::to_json)
    }),
    ("export dot", |text| {
        export(text, strata::export::dot::to_dot)
    }),
    ("export d2", |text| export(text, strata::export::d2::to_d2)),
    ("export mermaid", |text| {
        export(text, strata::export::mermaid::to_mermaid)
    }),
    ("export plantuml", |text| {
        export(text, strata::export::plantuml::to_plantuml)
    }),
    ("export structurizr", |text| {
        export(text, strata::export::structurizr::to_structurizr)
    }),
    ("export likec4", |text| {
        export(text, strata::export::likec4::to_likec4)
    }),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    if let Some(what) = option("--measure") {
        measure_one(what);
        return;
    }
    if let Some(what) = option("--count") {
        count_one(what);
        return;
    }
    let instructions = args.iter().any(|a| a == "--instructions");
    if instructions && !valgrind_runs() {
        println!("--instructions needs valgrind (callgrind) on the PATH");
        std::process::exit(2);
    }
    let sizes: Vec<usize> = option("--sizes")
        .map(|list| list.split(',').map(|s| s.parse().unwrap()).collect())
        .unwrap_or_else(|| vec![1_000, 2_000, 4_000, 8_000, 16_000]);
    let families: Vec<Family> = Family::ALL
        .into_iter()
        .filter(|f| option("--family").is_none_or(|name| name == f.name()))
        .collect();
    let unit = if instructions { "M ins" } else { "ms" };
    print!("{:<12} {:<18}", "family", "command");
    for size in &sizes {
        print!(" {:>9}", format!("{size} {unit}"));
    }
    println!(" {:>7} {:>7} {:>8}", "growth", "output", "peak MB");
    let mut worst: (f64, String) = (0.0, String::new());
    for family in families {
        for (name, _) in COMMANDS
            .into_iter()
            .filter(|(name, _)| option("--command").is_none_or(|wanted| wanted == name))
        {
            print!("{:<12} {name:<18}", family.name());
            let (mut times, mut outputs) = (Vec::new(), Vec::new());
            let mut peak = 0;
            for &size in &sizes {
                if instructions {
                    let (count, output) = count_in_callgrind(family, name, size);
                    outputs.push(output);
                    print!(" {:>9.1}", count as f64 / 1e6);
                    // A million instructions stand for a millisecond in the growth.
                    times.push(Duration::from_nanos(count));
                    continue;
                }
                let (time, heap, output) = measure_in_processes(family, name, size);
                outputs.push(output);
                print!(" {:>9.1}", time.as_secs_f64() * 1e3);
                times.push(time);
                peak = heap;
                if time > GIVE_UP {
                    break;
                }
            }
            for _ in times.len()..sizes.len() {
                print!(" {:>9}", "-");
            }
            let (growth, window) = growth(&times);
            let flag = if growth > TARGET_GROWTH { " !" } else { "" };
            let output_growth = outputs.get(window + 1).map_or(1.0, |&after| {
                after.max(1) as f64 / outputs[window].max(1) as f64
            });
            let peak = if instructions {
                "-".to_string()
            } else {
                format!("{:.1}", peak as f64 / 1048576.0)
            };
            println!(" {growth:>6.2}× {output_growth:>6.2}× {peak:>8}{flag}");
            if growth > worst.0 {
                worst = (growth, format!("{} {name}", family.name()));
            }
        }
    }
    println!("worst growth per doubling: {:.2}× ({})", worst.0, worst.1);
    if !instructions {
        deep_nesting();
    }
}

fn valgrind_runs() -> bool {
    std::process::Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The instructions one command executes on one design, counted by callgrind inside
/// [`counted`] only (not the design's generation or the process's start), and the
/// output's size.
fn count_in_callgrind(family: Family, command: &str, size: usize) -> (u64, usize) {
    let what = format!("{}/{command}/{size}", family.name());
    let exe = std::env::current_exe().expect("the bench knows where it is");
    let child = std::process::Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            "--toggle-collect=growth::counted",
        ])
        .arg(exe)
        .args(["--count", &what])
        .output()
        .expect("valgrind runs");
    let log = String::from_utf8_lossy(&child.stderr);
    // "==123== Collected : 123456789"
    let count = log
        .lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|figure| figure.trim().parse().ok());
    let output = String::from_utf8_lossy(&child.stdout).trim().parse().ok();
    match (child.status.success(), count, output) {
        (true, Some(count), Some(output)) => (count, output),
        _ => panic!("{what} under callgrind: {log}"),
    }
}

/// `--count FAMILY/COMMAND/SIZE`: runs the command once, in [`counted`], and prints the
/// output's size.
fn count_one(what: &str) {
    let (run, text) = command_and_design(what);
    run(&Family::Chain.design(20));
    println!("{}", counted(run, &text));
}

/// The one function callgrind counts in.
#[inline(never)]
fn counted(command: Command, text: &str) -> usize {
    std::hint::black_box(command(std::hint::black_box(text)))
}

/// How many processes measure each command and size; the least time counts. Where a
/// process's memory lands in the caches changes its time on memory-bound work by a
/// quarter from one process to the next (seen at 16,000 components), which is no growth.
const PROCESSES: usize = 3;

/// The least time of [`PROCESSES`] measurements in processes of their own.
fn measure_in_processes(family: Family, command: &str, size: usize) -> (Duration, usize, usize) {
    (0..PROCESSES)
        .map(|_| measure_in_a_process(family, command, size))
        .min_by_key(|(time, _, _)| *time)
        .expect("at least one process")
}

/// One command on one design, in a process of its own, as the CLI runs it: what earlier
/// measurements left in the allocator and the caches is not this one's growth.
fn measure_in_a_process(family: Family, command: &str, size: usize) -> (Duration, usize, usize) {
    let what = format!("{}/{command}/{size}", family.name());
    let exe = std::env::current_exe().expect("the bench knows where it is");
    let child = std::process::Command::new(exe)
        .args(["--measure", &what])
        .output()
        .expect("the bench runs itself");
    let report = String::from_utf8_lossy(&child.stdout);
    let figures: Vec<u128> = report
        .split_whitespace()
        .map(|figure| figure.parse().expect("a measurement prints numbers"))
        .collect();
    assert!(
        child.status.success() && figures.len() == 3,
        "{what}: {report}{}",
        String::from_utf8_lossy(&child.stderr)
    );
    (
        Duration::from_nanos(figures[0] as u64),
        figures[1] as usize,
        figures[2] as usize,
    )
}

/// `--measure FAMILY/COMMAND/SIZE`: prints the time in nanoseconds, the peak heap and the
/// output's size.
fn measure_one(what: &str) {
    let (run, text) = command_and_design(what);
    // The font database and other one-time set-up are not growth.
    run(&Family::Chain.design(20));
    let (time, heap, output) = measure(run, &text);
    println!("{} {heap} {output}", time.as_nanos());
}

/// The command and the design that `FAMILY/COMMAND/SIZE` names.
fn command_and_design(what: &str) -> (Command, String) {
    let mut parts = what.split('/');
    let (family, command, size) = (parts.next(), parts.next(), parts.next());
    let family = Family::ALL
        .into_iter()
        .find(|f| Some(f.name()) == family)
        .expect("a known family");
    let (_, run) = COMMANDS
        .into_iter()
        .find(|(name, _)| Some(*name) == command)
        .expect("a known command");
    let size: usize = size.and_then(|s| s.parse().ok()).expect("a size");
    (run, family.design(size))
}

/// Two components in the innermost of 60 nested groups: time grew exponentially with
/// depth once. Target: under 1 s.
fn deep_nesting() {
    let depth = 60;
    let text = format!(
        "tier app {{\n{}  web: client\n  api: service\n{}}}\nweb -> api\n",
        (0..depth)
            .map(|i| format!("group g{i} {{\n"))
            .collect::<String>(),
        "}\n".repeat(depth)
    );
    for (name, command) in [
        ("render svg", render_svg as Command),
        ("render text", render_text),
    ] {
        let (time, _, _) = measure(command, &text);
        println!(
            "nesting depth {depth}: {name} {:.1} ms",
            time.as_secs_f64() * 1e3
        );
    }
}

/// The least time of repeated runs (whatever else the machine runs only ever adds time,
/// so the least is closest to the command's own cost), the peak heap of one, and the
/// output's size. Time is this thread's CPU time, so time spent waiting for a core that
/// other processes hold is not counted as the command's.
fn measure(command: Command, text: &str) -> (Duration, usize, usize) {
    let (mut times, mut peak, mut spent, mut output) = (Vec::new(), 0, Duration::ZERO, 0);
    while times.len() < 3 || spent < SAMPLE {
        let start = thread_cpu_time();
        let (bytes, heap) = peak_heap::measure(|| std::hint::black_box(command(text)));
        output = bytes;
        let time = thread_cpu_time() - start;
        times.push(time);
        spent += time;
        peak = peak.max(heap);
        if time > GIVE_UP / 4 {
            break;
        }
    }
    let least = times.into_iter().min().expect("at least three runs");
    (least, peak, output)
}

/// CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to, and this clock exists on Linux.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread's CPU clock cannot be read");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The largest factor between consecutive sizes, each size twice the one before, and the
/// size it grows from. Times under a millisecond are taken as one, so timer noise on tiny
/// work is not growth.
fn growth(times: &[Duration]) -> (f64, usize) {
    let ms = |t: &Duration| (t.as_secs_f64() * 1e3).max(1.0);
    times
        .windows(2)
        .map(|pair| ms(&pair[1]) / ms(&pair[0]))
        .enumerate()
        .fold((0.0, 0), |worst, (window, factor)| {
            if factor > worst.0 {
                (factor, window)
            } else {
                worst
            }
        })
}

fn checked(text: &str) -> (Source, strata::Checked) {
    let source = Source::new("adversarial", text);
    let checked = strata::check(&source);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
    (source, checked)
}

/// `strata check`: language checks, lint, and the findings rendered as text.
fn check(text: &str) -> usize {
    let (source, checked) = checked(text);
    let (config, _) = Config::new(&checked.design, &CommandLine::default()).unwrap();
    let linted = lint(&checked.design, &checked.parsed.comments, &source, &config);
    let entries = linted.findings.into_iter().map(Entry::from).collect();
    report::text(&[FileReport::single(source, entries)], false).len()
}

fn analyze(text: &str) -> usize {
    let (_, checked) = checked(text);
    let analysis = strata::analysis::analyze(&checked.design);
    strata::analysis::explain::explain(&checked.design, &analysis).len()
}

fn fmt(text: &str) -> usize {
    let source = Source::new("adversarial", text);
    let parsed = strata::syntax::parse(&source);
    strata::syntax::format::format(&source.text, &parsed).len()
}

fn svg(text: &str) -> String {
    let (_, checked) = checked(text);
    let layout = render::pixel_layout(&checked.design, Direction::Down);
    render::svg::to_svg(&checked.design, &layout, &RenderOptions::default())
}

fn render_svg(text: &str) -> usize {
    svg(text).len()
}

/// A PNG, or the refusal of one too large, as `strata render -o x.png` makes it.
fn render_png(text: &str) -> usize {
    let (_, checked) = checked(text);
    let options = RenderOptions::default();
    render::png::design_to_png(&checked.design, Direction::Down, &options, 2.0)
        .map_or_else(|e| e.len(), |png| png.len())
}

/// A text drawing at 100 columns, or the refusal of one that does not fit.
fn render_text(text: &str) -> usize {
    let (_, checked) = checked(text);
    let options = TextOptions {
        direction: Direction::Down,
        charset: Charset::Unicode,
        width: 100,
    };
    render::text::to_text(&checked.design, &options)
        .map_or_else(|e| e.to_string().len(), |t| t.len())
}

fn export(text: &str, to: fn(&strata::model::Design) -> String) -> usize {
    to(&checked(text).1.design).len()
}
