//! Load, capacity, storage and cost from a design: seed 003 §5's scalability calculation
//! reproduced by `analyze`, and load that only grows with traffic.

use proptest::prelude::*;
use strata::analysis::load::Load;
use strata::model::Design;
use strata::source::Source;

fn fixture(name: &str) -> Design {
    let path = format!(
        "{}/tests/fixtures/capacity/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let checked = strata::check(&Source::new(&path, std::fs::read_to_string(&path).unwrap()));
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    checked.design
}

fn component(design: &Design, id: &str) -> usize {
    design.components.iter().position(|c| c.id == id).unwrap()
}

/// Within `tolerance` (a fraction) of the guide's rounded figure.
fn near(value: f64, guide: f64, tolerance: f64) -> bool {
    (value - guide).abs() <= guide * tolerance
}

#[test]
fn analyze_reproduces_seed_003s_scalability_calculation() {
    let design = fixture("scalability.strata");
    let analysis = strata::analysis::analyze(&design);
    let load = analysis.load.as_ref().expect("traffic is declared");
    // 10M × 20 / 86,400 = 2,314.8 ("≈ 2,300"); × 3 = 6,944 ("~7,000"); × 2 = 13,889
    // ("~15,000": the guide doubles its rounded 7,000 and rounds up again).
    let expected = (200_000_000.0 / 86_400.0, 200_000_000.0 * 3.0 / 86_400.0);
    assert!((load.system.average - expected.0).abs() < 1e-6);
    assert!((load.system.peak - expected.1).abs() < 1e-6);
    assert!((load.system.design - 2.0 * expected.1).abs() < 1e-6);
    assert!(near(load.system.average, 2_300.0, 0.01));
    assert!(near(load.system.peak, 7_000.0, 0.01));
    assert!(near(load.system.design, 15_000.0, 0.08));
    let db = component(&design, "db");
    assert!((load.components[db].peak - expected.1).abs() < 1e-6);

    // 200M actions × 100 bytes = 20GB a day; × 365 = 7.3TB; three copies, 21.9TB
    // ("Design for: 20TB with replication").
    let stored = analysis.capacity.stored[db].expect("the database declares its records");
    assert!((stored.bytes_per_day - 20e9).abs() < 1.0);
    assert!((stored.after_a_year - 7.3e12).abs() < 1e3);
    assert!((stored.with_copies() - 21.9e12).abs() < 1e3);

    let report = strata::analysis::explain::explain(&design, &analysis);
    for line in [
        "10,000,000 daily users × 20 actions ÷ 86,400 s = 2,315 rps average; peak ×3 = 6,944 rps; design for ×2 = 13,889 rps",
        "db: 100B × 2,315 writes/s × 86,400 s = 20GB a day; × 365 days = 7.3TB; × 3 copies = 21.9TB",
    ] {
        assert!(report.contains(line), "{report}");
    }
}

#[test]
fn ten_times_the_traffic_says_what_saturates_first_and_what_to_add() {
    let design = fixture("scalability.strata");
    let analysis = strata::analysis::analyze_at(&design, 10.0);
    let api = component(&design, "api");
    assert_eq!(analysis.capacity.saturates_first(), Some(api));
    // 69,444 rps at peak over 2,000 rps × 70% per replica: 50 replicas.
    assert_eq!(analysis.capacity.headroom[api].unwrap().replicas_needed, 50);
    insta::assert_snapshot!(strata::analysis::explain_capacity::explain_capacity(
        &design, &analysis
    ));
}

/// A generated design with traffic, shares, hit ratios and capacities drawn from `seed`.
fn sized_design(components: usize, seed: u64, peak_rps: u64) -> Design {
    let text = strata::generate::design(components, seed);
    let mut design = strata::check(&Source::new("generated", text)).design;
    design.system.traffic.peak_rps = Some(peak_rps);
    let mut outgoing = vec![0usize; design.components.len()];
    for flow in &design.flows {
        outgoing[flow.from] += 1;
    }
    for (n, flow) in design.flows.iter_mut().enumerate() {
        if (n as u64 + seed) % 3 == 0 {
            flow.share = Some(1.0 / outgoing[flow.from] as f64);
        }
    }
    for (n, component) in design.components.iter_mut().enumerate() {
        component.sizing.capacity = Some(500.0 + (n as f64 * 37.0) % 1500.0);
        if component.kind == strata::model::Kind::Cache {
            component.sizing.hit_ratio = Some(((n as u64 + seed) % 10) as f64 / 10.0);
        }
    }
    design
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn doubling_the_traffic_never_lowers_any_components_load(
        seed in 0u64..10_000,
        components in 20usize..120,
        peak in 1u64..100_000,
    ) {
        let once = sized_design(components, seed, peak);
        let twice = sized_design(components, seed, peak * 2);
        let entries = strata::analysis::analyze(&once).entries;
        let once = Load::new(&once, &entries, 1.0).unwrap();
        let twice = Load::new(&twice, &entries, 1.0).unwrap();
        for (a, b) in once.components.iter().zip(&twice.components) {
            prop_assert!(b.average >= a.average && b.peak >= a.peak && b.design >= a.design);
        }
    }
}
