//! `strata import`: fixtures written for these tests (a Structurizr model of the C4 model's
//! Big Bank plc example, two D2 diagrams) read into designs, with what each should come to
//! written down before its snapshot; every template and example exported to D2 and
//! Structurizr and read back to the same graph; bad input located; and the command line.

use std::path::Path;
use std::process::Command;
use strata::export::d2::to_d2;
use strata::export::structurizr::to_structurizr;
use strata::import::{import, Imported, Language};
use strata::model::{Design, Kind};
use strata::source::Source;
use strata::syntax::ast::FlowMode;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> Source {
    let relative = format!("tests/fixtures/import/{name}");
    let text = std::fs::read_to_string(Path::new(ROOT).join(&relative)).unwrap();
    Source::new(relative, text)
}

/// Imports and checks that the design written is formatted and checks without errors.
fn imported(source: &Source, language: Language) -> (Imported, Design) {
    let imported = import(source, language).unwrap_or_else(|errors| {
        panic!("{}: {errors:?}", source.name);
    });
    let design = Source::new("imported.strata", imported.text.clone());
    let checked = strata::check(&design);
    assert!(
        !checked.has_errors(),
        "{:?}\n{}",
        checked.diagnostics,
        imported.text
    );
    let formatted = strata::syntax::format::format(&design.text, &checked.parsed);
    assert_eq!(formatted, imported.text, "not fmt-clean");
    (imported, checked.design)
}

fn warnings(source: &Source, imported: &Imported) -> String {
    let lines: Vec<String> = imported
        .warnings
        .iter()
        .map(|w| w.concise(source))
        .collect();
    lines.join("\n")
}

fn kinds(design: &Design) -> Vec<(&str, Kind)> {
    design
        .components
        .iter()
        .map(|c| (c.id.as_str(), c.kind))
        .collect()
}

fn flow<'a>(design: &'a Design, from: &str, to: &str) -> &'a strata::model::Flow {
    design
        .flows
        .iter()
        .find(|f| design.components[f.from].id == from && design.components[f.to].id == to)
        .unwrap_or_else(|| panic!("no flow {from} -> {to}"))
}

fn tier_members(design: &Design, title: &str) -> Vec<String> {
    let tier = design.tiers.iter().find(|t| t.title == title).unwrap();
    tier.components
        .iter()
        .map(|&c| design.components[c].id.clone())
        .collect()
}

fn codes(imported: &Imported, code: &str) -> usize {
    imported.warnings.iter().filter(|w| w.code == code).count()
}

fn group_titles(design: &Design) -> Vec<&str> {
    design.groups.iter().map(|g| g.title.as_str()).collect()
}

/// Expected before the first run: the three people become clients, the three existing
/// software systems external (no tag, technology or name of theirs names a kind), the
/// Internet Banking System is the boundary its containers sit in; the "Big Bank plc"
/// group becomes the one tier, holding every element but the customer, with the nested
/// groups and the container groups split at the `/` separator as groups inside it. The
/// single-page and mobile apps are clients by their tags' style shapes (WebBrowser,
/// MobileDevicePortrait), the database a database by its tag, the web and API
/// applications `component` with a comment (Java and Spring MVC names no kind). The five
/// components fold into the API application and their relationships are lifted to it
/// (the ones inside it, and the second call from each front end, not repeated), keeping
/// the `!const` protocols and the line continued with `\`; the notifier's `Asynchronous`
/// tag makes its flow asynchronous. Warned: the five components, the URL and properties
/// of the mainframe, the deployment environment and the views (E410), and the one
/// relationship with the decomposed system (E411).
#[test]
fn internet_banking_imports_as_its_containers() {
    let source = fixture("internet-banking.dsl");
    let (imported, design) = imported(&source, Language::Structurizr);
    assert_eq!(
        design.system.name.as_deref(),
        Some("Internet Banking at Big Bank plc")
    );
    assert_eq!(
        kinds(&design),
        [
            ("support", Kind::Client),
            ("backoffice", Kind::Client),
            ("mainframe", Kind::External),
            ("mail", Kind::External),
            ("atm", Kind::External),
            ("web", Kind::Component),
            ("spa", Kind::Client),
            ("mobile", Kind::Client),
            ("api", Kind::Component),
            ("db", Kind::Database),
            ("customer", Kind::Client),
        ]
    );
    assert!(imported.text.contains(
        "# kind unknown: no kind strata knows in its technology \"Java and Spring MVC\", name \"Web Application\""
    ));
    let tiers: Vec<&str> = design.tiers.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(tiers, ["Big Bank plc"]);
    assert_eq!(tier_members(&design, "Big Bank plc").len(), 10);
    assert_eq!(
        group_titles(&design),
        [
            "Staff",
            "Existing systems",
            "Channels",
            "In the browser",
            "On the phone",
            "Server side"
        ]
    );
    assert_eq!(design.flows.len(), 15);
    let stores = flow(&design, "api", "db");
    assert_eq!(stores.label.as_deref(), Some("Reads from and writes to"));
    assert_eq!(stores.protocol.as_deref(), Some("JDBC"));
    let mainframe = flow(&design, "api", "mainframe");
    assert_eq!(mainframe.protocol.as_deref(), Some("XML/HTTPS"));
    let calls = flow(&design, "spa", "api");
    assert_eq!(calls.protocol.as_deref(), Some("JSON/HTTPS"));
    flow(&design, "mobile", "api");
    flow(&design, "mail", "customer");
    flow(&design, "atm", "mainframe");
    let terminal = flow(&design, "support", "mainframe");
    assert_eq!(terminal.protocol.as_deref(), Some("Terminal session"));
    let asynchronous: Vec<(&str, &str)> = design
        .flows
        .iter()
        .filter(|f| f.mode == FlowMode::Async)
        .map(|f| {
            (
                design.components[f.from].id.as_str(),
                design.components[f.to].id.as_str(),
            )
        })
        .collect();
    assert_eq!(asynchronous, [("api", "mail")]);
    assert_eq!(codes(&imported, "E410"), 9);
    assert_eq!(codes(&imported, "E411"), 1);
    insta::assert_snapshot!("internet_banking", imported.text);
    insta::assert_snapshot!("internet_banking_warnings", warnings(&source, &imported));
}

/// Expected before the first run: "Ride platform" becomes the one tier, its three
/// containers groups (Edge, Core services, Data), the receipt mailer a member of the tier
/// itself. Kinds: the people clients, the payment provider external by its cloud, the
/// load balancer and gateway by their names (the hexagon names nothing), the services in
/// class `backend` services (dispatch two replicas by `style.multiple`), the driver
/// locations a queue, both cylinders databases, the matching engine `component` with a
/// comment. Flows: a chain is two, `<->` two, `<-` turned round, `--` read as `->` with a
/// warning; the edges in class `async_edge` or with `style.stroke-dash` asynchronous
/// (three), the edge between two containers left out: sixteen in all. Warned (E410):
/// `direction: right`, the class's border radius, the icon, the markdown note, the red
/// stroke; (E411) the undirected edge, the markdown label cut to its first line (where
/// the markdown is written), the edge between containers.
#[test]
fn d2_ride_hailing_imports_its_containers_as_a_tier_and_groups() {
    let source = fixture("ride-hailing.d2");
    let (imported, design) = imported(&source, Language::D2);
    let tiers: Vec<&str> = design.tiers.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(tiers, ["Ride platform"]);
    assert_eq!(group_titles(&design), ["Edge", "Core services", "Data"]);
    assert_eq!(tier_members(&design, "Ride platform").len(), 10);
    assert_eq!(
        kinds(&design),
        [
            ("lb", Kind::LoadBalancer),
            ("gw", Kind::Gateway),
            ("dispatch", Kind::Service),
            ("trips", Kind::Service),
            ("pricing", Kind::Service),
            ("matching", Kind::Component),
            ("locations", Kind::Queue),
            ("tripdb", Kind::Database),
            ("geo", Kind::Database),
            ("receipts", Kind::Service),
            ("rider", Kind::Client),
            ("driver", Kind::Client),
            ("payment_provider", Kind::External),
        ]
    );
    let component = |id: &str| design.components.iter().find(|c| c.id == id).unwrap();
    assert_eq!(component("dispatch").replicas, 2);
    assert_eq!(component("receipts").label, "Receipt mailer");
    assert_eq!(design.flows.len(), 16);
    let asynchronous: Vec<(&str, &str)> = design
        .flows
        .iter()
        .filter(|f| f.mode == FlowMode::Async)
        .map(|f| {
            (
                design.components[f.from].id.as_str(),
                design.components[f.to].id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        asynchronous,
        [
            ("locations", "dispatch"),
            ("driver", "locations"),
            ("locations", "geo")
        ]
    );
    assert_eq!(
        flow(&design, "matching", "pricing").label.as_deref(),
        Some("rank drivers")
    );
    flow(&design, "trips", "pricing");
    flow(&design, "pricing", "trips");
    flow(&design, "trips", "receipts");
    assert_eq!(codes(&imported, "E410"), 5);
    assert_eq!(codes(&imported, "E411"), 3);
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.message == "an edge with `core` left out"));
    let cut = imported
        .warnings
        .iter()
        .find(|w| w.message == "a markdown label cut to its first line")
        .unwrap();
    let written_at = source.position(cut.primary.span.start);
    assert_eq!(
        (written_at.line, written_at.column),
        (62, 13),
        "where the markdown is, not the edge that names the shape first"
    );
    insta::assert_snapshot!("d2_ride_hailing", imported.text);
    insta::assert_snapshot!("d2_ride_hailing_warnings", warnings(&source, &imported));
}

/// Expected before the first run: the four tables become databases (their columns part
/// of them, one warning each), the checkout service a service by its name; the foreign
/// keys, written between columns, join the tables, and the service's edge to a column
/// goes to its table: five flows, no tier. Warned (E410): `vars`, the markdown title and
/// its `near`, the six column constraints, the ten columns, the table's `near`, the
/// service's `top` and `left`, and the glob: 23.
#[test]
fn d2_orders_schema_joins_tables_through_their_columns() {
    let source = fixture("orders-schema.d2");
    let (imported, design) = imported(&source, Language::D2);
    assert!(design.tiers.is_empty());
    assert_eq!(
        kinds(&design),
        [
            ("customers", Kind::Database),
            ("orders", Kind::Database),
            ("order_lines", Kind::Database),
            ("products", Kind::Database),
            ("shop", Kind::Service),
        ]
    );
    assert_eq!(design.flows.len(), 5);
    flow(&design, "orders", "customers");
    flow(&design, "order_lines", "orders");
    flow(&design, "order_lines", "products");
    assert_eq!(
        flow(&design, "shop", "customers").label.as_deref(),
        Some("looks up")
    );
    let columns = imported
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("the column"))
        .count();
    assert_eq!(columns, 10);
    assert_eq!(codes(&imported, "E410"), 23);
    assert_eq!(codes(&imported, "E411"), 0);
    insta::assert_snapshot!("d2_orders_schema", imported.text);
    insta::assert_snapshot!("d2_orders_schema_warnings", warnings(&source, &imported));
}

/// The parts of a design an export to D2 or Structurizr and an import back keep: each
/// component's id, kind and technology (through Structurizr only a container's: people
/// and software systems have none) and, through D2, its label; each tier's and group's
/// title and members; each flow's ends, mode and label.
#[derive(Debug, PartialEq)]
struct Graph {
    components: Vec<(String, Kind, Option<String>, Option<String>)>,
    tiers: Vec<(String, Vec<String>)>,
    groups: Vec<(String, Vec<String>)>,
    flows: Vec<(String, String, FlowMode, Option<String>)>,
}

fn graph(design: &Design, language: Language) -> Graph {
    let with_labels = language == Language::D2;
    let id = |c: usize| design.components[c].id.clone();
    let mut components: Vec<_> = design
        .components
        .iter()
        .map(|c| {
            let label = with_labels.then(|| c.label.clone());
            let person_or_system = matches!(c.kind, Kind::Client | Kind::External);
            let tech = c.tech.clone().filter(|_| with_labels || !person_or_system);
            (c.id.clone(), c.kind, label, tech)
        })
        .collect();
    components.sort_by(|a, b| a.0.cmp(&b.0));
    let members = |title: &str, components: &[usize]| {
        let mut members: Vec<String> = components.iter().map(|&c| id(c)).collect();
        members.sort();
        (title.to_string(), members)
    };
    let tiers = design
        .tiers
        .iter()
        .map(|t| members(&t.title, &t.components))
        .collect();
    let mut groups: Vec<_> = design
        .groups
        .iter()
        .map(|g| members(&g.title, &g.components))
        .collect();
    groups.sort();
    let mut flows: Vec<_> = design
        .flows
        .iter()
        .map(|f| (id(f.from), id(f.to), f.mode, f.label.clone()))
        .collect();
    flows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Graph {
        components,
        tiers,
        groups,
        flows,
    }
}

fn shipped_designs() -> Vec<String> {
    let mut designs = Vec::new();
    for folder in ["templates", "examples", "examples/real-world"] {
        for entry in std::fs::read_dir(Path::new(ROOT).join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "strata") {
                designs.push(format!(
                    "{folder}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    designs.sort();
    assert!(designs.len() >= 11, "{designs:?}");
    designs
}

/// Export to D2 and to Structurizr, import back: the same graph. Ids come back as they
/// were because the exports keep every id that is legal in the target and no keyword of
/// it, which all of these are. Structurizr element names are made unique, so labels are
/// compared through D2 only.
#[test]
fn every_template_and_example_comes_back_from_d2_and_structurizr() {
    for relative in shipped_designs() {
        let text = std::fs::read_to_string(Path::new(ROOT).join(&relative)).unwrap();
        let original = strata::check(&Source::new(relative.clone(), text));
        assert!(!original.has_errors(), "{relative}");
        for (language, exported) in [
            (Language::D2, to_d2(&original.design)),
            (Language::Structurizr, to_structurizr(&original.design)),
        ] {
            let source = Source::new(format!("{relative} as {}", language.name()), exported);
            let (imported, design) = imported(&source, language);
            let unexpected: Vec<String> = imported
                .warnings
                .iter()
                .filter(|w| w.message != "views not imported")
                .map(|w| w.concise(&source))
                .collect();
            assert!(unexpected.is_empty(), "{}: {unexpected:#?}", source.name);
            assert_eq!(
                graph(&design, language),
                graph(&original.design, language),
                "{}",
                source.name
            );
        }
    }
}

/// The designs made of awkward ids and labels for the exports (keywords of the targets,
/// ids differing only in case, quotes, braces, `$`, line breaks, every kind) come back
/// with every component, kind and flow, their ids made anew where the export renamed them.
#[test]
fn awkward_designs_come_back_whole() {
    for name in ["awkward", "keywords"] {
        let relative = format!("tests/fixtures/export/{name}.strata");
        let text = std::fs::read_to_string(Path::new(ROOT).join(&relative)).unwrap();
        let original = strata::check(&Source::new(relative.clone(), text)).design;
        for (language, exported) in [
            (Language::D2, to_d2(&original)),
            (Language::Structurizr, to_structurizr(&original)),
        ] {
            let source = Source::new(format!("{relative} as {}", language.name()), exported);
            let (_, design) = imported(&source, language);
            let mut kinds_back: Vec<Kind> = design.components.iter().map(|c| c.kind).collect();
            let mut kinds_before: Vec<Kind> = original.components.iter().map(|c| c.kind).collect();
            kinds_back.sort();
            kinds_before.sort();
            assert_eq!(kinds_back, kinds_before, "{}", source.name);
            assert_eq!(design.flows.len(), original.flows.len(), "{}", source.name);
        }
    }
}

#[test]
fn bad_input_gives_located_errors_and_never_panics() {
    let nested = format!("{}x{}", "a: {".repeat(100), "}".repeat(100));
    let keys: Vec<String> = (1..=100).map(|i| format!("k{i}")).collect();
    let dotted = format!("{}: x", keys.join("."));
    let cases = [
        (
            Language::Structurizr,
            "workspace {\n  model {\n    a = person \"A\n  }\n}\n",
            "E401",
            3,
            16,
        ),
        (
            Language::Structurizr,
            "workspace {\n  model {\n",
            "E401",
            1,
            1,
        ),
        (
            Language::Structurizr,
            "workspace {\n  model {\n    a = person \"A\"\n    a -> b\n  }\n}\n",
            "E402",
            4,
            10,
        ),
        (
            Language::Structurizr,
            "workspace {\n  views {\n  }\n}\n",
            "E403",
            1,
            1,
        ),
        (Language::D2, "a -> b: \"open\n", "E401", 1, 9),
        (Language::D2, "a: {\n  b -> c\n", "E401", 1, 4),
        (Language::D2, "}\n", "E401", 1, 1),
        (Language::D2, &nested, "E404", 1, 4 * 64),
        (
            Language::D2,
            &dotted,
            "E404",
            1,
            dotted.find("k64.").unwrap() + 1,
        ),
    ];
    for (language, text, code, line, column) in cases {
        let source = Source::new("input", text.to_string());
        let errors = import(&source, language).expect_err(text);
        let position = source.position(errors[0].primary.span.start);
        assert_eq!(
            (errors[0].code, position.line, position.column),
            (code, line, column),
            "{text:?}: {errors:?}"
        );
    }
}

fn strata(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn the_command_writes_the_design_prints_warnings_and_refuses_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("diagram.d2");
    std::fs::write(
        &input,
        "web: {shape: person}\nweb -> api: calls {style.fill: red}\n",
    )
    .unwrap();
    let output = strata(&["import", "diagram.d2"], dir.path());
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("web: client\n"), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("diagram.d2:2:"), "{stderr}");
    let output = strata(
        &["import", "diagram.d2", "--from", "d2", "-o", "out.strata"],
        dir.path(),
    );
    assert!(output.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.strata")).unwrap(),
        stdout
    );
    let check = strata(&["check", "out.strata", "--fail-on", "error"], dir.path());
    assert!(
        check.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let refused = strata(&["import", "diagram.d2", "-o", "diagram.d2"], dir.path());
    assert_eq!(refused.status.code(), Some(2));
    std::fs::write(dir.path().join("x.txt"), "a -> b").unwrap();
    let unknown = strata(&["import", "x.txt"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--from"));
    std::fs::write(dir.path().join("bad.dsl"), "workspace {\n").unwrap();
    let bad = strata(&["import", "bad.dsl"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad.dsl:1:1"));
}

/// Every prefix of the fixtures and of an export (cut mid-string, mid-block, mid-arrow)
/// either imports or gives located errors; none panics.
#[test]
fn truncated_input_never_panics() {
    let template =
        std::fs::read_to_string(Path::new(ROOT).join("templates/ecommerce.strata")).unwrap();
    let design = strata::check(&Source::new("t", template)).design;
    let inputs = [
        (Language::Structurizr, fixture("internet-banking.dsl").text),
        (Language::D2, fixture("ride-hailing.d2").text),
        (Language::D2, fixture("orders-schema.d2").text),
        (Language::D2, to_d2(&design)),
        (Language::Structurizr, to_structurizr(&design)),
    ];
    for (language, text) in inputs {
        let cuts = (0..text.len())
            .step_by(3)
            .filter(|&cut| text.is_char_boundary(cut));
        for cut in cuts {
            let source = Source::new("cut", text[..cut].to_string());
            if let Err(errors) = import(&source, language) {
                assert!(errors
                    .iter()
                    .all(|e| e.is_error() && e.primary.span.end <= cut));
            }
        }
    }
}

/// Pieces of both languages, joined at random: the importers never panic, and every
/// error points inside the text.
const FRAGMENTS: [&str; 30] = [
    "a",
    "b.c",
    " ",
    "\n",
    ":",
    ";",
    "{",
    "}",
    "[",
    "]",
    "->",
    "<-",
    "<->",
    "--",
    "\"x\"",
    "\"",
    "'",
    "|md # t |",
    "|",
    "#c\n",
    "\"\"\"",
    "shape: cylinder",
    "style.stroke-dash: 3",
    "_",
    "= container \"C\"",
    "person",
    "softwareSystem",
    "this",
    "!identifiers hierarchical",
    "${X}",
];

proptest::proptest! {
    #[test]
    fn random_pieces_of_either_language_never_panic(
        pieces in proptest::collection::vec(0..FRAGMENTS.len(), 0..60),
        structurizr in proptest::bool::ANY,
    ) {
        let text: String = pieces.iter().map(|&i| FRAGMENTS[i]).collect();
        let text = match structurizr {
            true => format!("workspace {{\nmodel {{\n{text}\n}}\n}}\n"),
            false => text,
        };
        let language = if structurizr { Language::Structurizr } else { Language::D2 };
        let source = Source::new("random", text.clone());
        match import(&source, language) {
            Ok(imported) => {
                let checked = strata::check(&Source::new("imported", imported.text));
                proptest::prop_assert!(!checked.has_errors(), "{text:?}: {:?}", checked.diagnostics);
            }
            Err(errors) => proptest::prop_assert!(errors.iter().all(|e| e.primary.span.end <= text.len())),
        }
    }
}
