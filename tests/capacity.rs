//! Load, capacity, storage and cost from a design: seed 003 §5's scalability calculation
//! reproduced by `analyze`, and load that only grows with traffic.

use proptest::prelude::*;
use strata::analysis::cost::{cost, Pricing};
use strata::analysis::load::Load;
use strata::analysis::prices::Prices;
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

#[test]
fn cost_reproduces_seed_001s_url_shortener_bill_line_by_line() {
    let design = fixture("url-shortener.strata");
    let analysis = strata::analysis::analyze(&design);
    let bill = cost(
        &design,
        &analysis,
        &Prices::default_table(),
        Pricing::OnDemand,
    )
    .unwrap();
    let lines: Vec<(&str, &str, &str, f64)> = bill
        .lines
        .iter()
        .map(|line| {
            let id = design.components[line.component].id.as_str();
            (
                id,
                line.item.as_str(),
                line.how.as_str(),
                (line.monthly * 100.0).round() / 100.0,
            )
        })
        .collect();
    // The guide's lines, as strata computes them from the guide's unit prices: it rounds
    // $58.40 to $60, $182.50 to $180 and $350.40 to $350.
    assert_eq!(
        lines,
        [
            ("lb", "1 × load_balancer", "1 × $25.00/month", 25.0),
            ("lb", "transfer to the internet", "556GB × $0.09/GB", 50.04),
            (
                "app",
                "3 × c6g.large",
                "3 × 2 vCPU × $0.04/vCPU-hour (compute) × 730 h",
                175.2
            ),
            (
                "redis",
                "1 × cache.r6g.large",
                "1 × $0.25/hour × 730 h",
                182.5
            ),
            ("db", "2 × db.r6g.xlarge", "2 × $0.48/hour × 730 h", 700.8),
        ]
    );
    for (line, guide) in bill.lines.iter().zip([25.0, 50.0, 180.0, 180.0, 700.0]) {
        assert!(near(line.monthly, guide, 0.03), "{line:?} against ${guide}");
    }
    assert!(near(bill.total, 1_135.0, 0.005), "{}", bill.total);
    // Reserved takes the table's 40% off the instances, not the load balancer or transfer.
    let reserved = cost(
        &design,
        &analysis,
        &Prices::default_table(),
        Pricing::Reserved,
    )
    .unwrap();
    assert!((reserved.total - (75.04 + 0.6 * (175.2 + 182.5 + 700.8))).abs() < 1e-6);
    let spot = cost(&design, &analysis, &Prices::default_table(), Pricing::Spot).unwrap();
    assert!((spot.total - (75.04 + 0.3 * 175.2 + 182.5 + 700.8)).abs() < 1e-6);
}

#[test]
fn an_instance_type_the_price_table_lacks_is_a_located_error() {
    let text =
        "db: database { instance \"db.r6g.xlarg\" }\napp: service { instance \"z9.huge\" }\n";
    let checked = strata::check(&Source::new("t", text));
    let analysis = strata::analysis::analyze(&checked.design);
    let errors = cost(
        &checked.design,
        &analysis,
        &Prices::default_table(),
        Pricing::OnDemand,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, "E502");
    assert_eq!(
        &text[errors[0].primary.span.clone()],
        "instance \"db.r6g.xlarg\""
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `db.r6g.xlarge`?")
    );
    assert!(errors[1].help.as_deref().unwrap().contains("--prices FILE"));
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
        if component.kind == strata::model::Kind::Database {
            component.sizing.storage.record_size = Some(100.0 + n as f64);
            component.sizing.instance = Some("db.r6g.xlarge".to_string());
        }
    }
    design
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn doubling_the_traffic_never_lowers_any_components_load_or_the_cost(
        seed in 0u64..10_000,
        components in 20usize..120,
        peak in 1u64..100_000,
    ) {
        let once = sized_design(components, seed, peak);
        let twice = sized_design(components, seed, peak * 2);
        let (analysis_once, analysis_twice) =
            (strata::analysis::analyze(&once), strata::analysis::analyze(&twice));
        let entries = &analysis_once.entries;
        let load_once = Load::new(&once, entries, 1.0).unwrap();
        let load_twice = Load::new(&twice, entries, 1.0).unwrap();
        for (a, b) in load_once.components.iter().zip(&load_twice.components) {
            prop_assert!(b.average >= a.average && b.peak >= a.peak && b.design >= a.design);
        }
        let prices = Prices::default_table();
        let bill_once = cost(&once, &analysis_once, &prices, Pricing::OnDemand).unwrap();
        let bill_twice = cost(&twice, &analysis_twice, &prices, Pricing::OnDemand).unwrap();
        prop_assert!(bill_twice.total >= bill_once.total);
    }
}
