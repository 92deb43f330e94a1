//! The templates' traffic and cost: each declares its traffic and prices what it runs, so
//! `strata cost` gives every one a breakdown, and `docs/cost/` (written by
//! `scripts/cost-docs.sh`) is what the binary prints today.

use std::path::Path;
use std::process::Command;
use strata::analysis::cost::{cost, Bill, Pricing};
use strata::analysis::prices::Prices;
use strata::model::{Design, Kind};
use strata::source::Source;
use strata::templates::{Template, ALL};

fn design(template: &Template) -> Design {
    let checked = strata::check(&Source::new(template.name, template.text));
    assert!(checked.diagnostics.is_empty(), "{}", template.name);
    checked.design
}

fn bill(design: &Design) -> Bill {
    let analysis = strata::analysis::analyze(design);
    cost(
        design,
        &analysis,
        &Prices::default_table(),
        Pricing::OnDemand,
    )
    .unwrap()
}

#[test]
fn every_template_declares_traffic_and_prices_what_it_runs() {
    for template in &ALL {
        let design = design(template);
        let name = template.name;
        assert!(
            design.system.traffic.rates().is_some(),
            "{name} declares no traffic"
        );
        // What the design runs itself is priced by its instance type; only a provider's
        // service (`managed`) may be priced otherwise (a load balancer, transfer,
        // storage) or not at all, when the price table has no figure for it.
        for component in &design.components {
            let runs_itself =
                !component.managed && !matches!(component.kind, Kind::Client | Kind::External);
            assert!(
                !runs_itself || component.sizing.instance.is_some(),
                "{name}: `{}` runs on no instance type",
                component.id
            );
        }
        let bill = bill(&design);
        for &id in &bill.not_costed {
            let component = &design.components[id];
            assert!(
                component.managed,
                "{name}: `{}` is not costed",
                component.id
            );
        }
        // Capacity is declared where the load arrives: something to check at peak.
        let analysis = strata::analysis::analyze(&design);
        assert!(
            analysis.capacity.saturates_first().is_some(),
            "{name} declares no capacity"
        );
    }
}

fn cost_text(template: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .arg("cost")
        .arg(template)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", template.display());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_cost_docs_match_what_the_binary_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = root.join("docs/cost");
    let index = std::fs::read_to_string(docs.join("README.md")).unwrap();
    for template in &ALL {
        let file = format!("{}.txt", template.name);
        let printed = cost_text(
            &root
                .join("templates")
                .join(format!("{}.strata", template.name)),
        );
        let committed = std::fs::read_to_string(docs.join(&file))
            .unwrap_or_else(|_| panic!("docs/cost/{file} is missing"));
        assert!(
            committed == printed,
            "docs/cost/{file} is out of date: run scripts/cost-docs.sh"
        );
        let row = index
            .lines()
            .find(|line| line.contains(&format!("({file})")))
            .unwrap_or_else(|| panic!("docs/cost/README.md does not link {file}"));
        let design = design(template);
        let total = strata::analysis::cost::dollars(bill(&design).total);
        assert!(row.contains(&total), "{file}'s row lacks its total {total}");
        let saturates = strata::analysis::analyze_at(&design, 10.0)
            .capacity
            .saturates_first()
            .map(|id| design.components[id].id.clone())
            .unwrap();
        assert!(
            row.contains(&format!("`{saturates}`")),
            "{file}'s row does not say `{saturates}` saturates first at 10x"
        );
    }
}
