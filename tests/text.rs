//! Text rendering: the drawing is read back and checked against the design (boxes whole
//! and apart, no line through a box, every flow followed from its source to an arrowhead
//! on its target, labels and tier titles in full) on the templates, generated designs
//! and random designs; ASCII is the same drawing as Unicode; output is deterministic;
//! too narrow a width is refused with the width needed.

mod common;

use proptest::prelude::*;
use strata::layout::Direction;
use strata::model::Design;
use strata::render::text::{
    self, cells, check, draw, CellMeasure, Charset, Fit, Labels, TextOptions,
};
use strata::source::Source;

fn checked(name: &str, text: &str) -> Design {
    let checked = strata::check(&Source::new(name, text));
    assert!(!checked.has_errors(), "{name}: {:?}", checked.diagnostics);
    checked.design
}

/// Problems of the drawing laid out to `fit`, and its ASCII twin.
fn problems(design: &Design, direction: Direction, fit: Fit) -> Vec<String> {
    let layout = cells::layout(design, direction, &CellMeasure, &fit);
    let unicode = draw::draw(design, &layout, Charset::Unicode);
    let mut problems = check::check(design, &layout, &unicode);
    let ascii = draw::draw(design, &layout, Charset::Ascii);
    if ascii != as_ascii(&unicode) {
        problems.push("the ASCII drawing is not the Unicode one in ASCII".to_string());
    }
    if !ascii.is_ascii() {
        problems.push("the ASCII drawing has other characters".to_string());
    }
    problems
}

/// Unicode drawing characters replaced by their ASCII stand-ins (for designs whose own
/// text is ASCII).
fn as_ascii(drawing: &str) -> String {
    drawing
        .chars()
        .map(|c| match c {
            '│' => '|',
            '┆' => ':',
            '─' => '-',
            '┄' => '.',
            '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' => '+',
            '▲' => '^',
            '▼' => 'v',
            '◀' => '<',
            '▶' => '>',
            '×' => 'x',
            '…' => '~',
            c => c,
        })
        .collect()
}

fn assert_sound(what: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{what}: {} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
}

/// Labels shown so, and every band's ranks wrapped past `rank_limit`.
fn fit(labels: Labels, rank_limit: Option<usize>) -> Fit {
    Fit {
        labels,
        rank_limits: vec![rank_limit; 64],
    }
}

#[test]
fn templates_draw_soundly_both_ways_at_every_label_width_and_rank_wrap() {
    for template in &strata::templates::ALL {
        let design = checked(template.name, template.text);
        for direction in [Direction::Down, Direction::Right] {
            for wrap in text::LABEL_WAYS {
                for rank_limit in [None, Some(90), Some(40)] {
                    let what = format!("{} {direction:?} {wrap:?} {rank_limit:?}", template.name);
                    assert_sound(&what, problems(&design, direction, fit(wrap, rank_limit)));
                }
            }
        }
    }
}

/// Checks a template drawn down at `width`, in both charsets: sound, every label beside
/// its line or in the legend, every group's title whole, no line wider than the width.
fn assert_fits_with_every_label(name: &str, design: &Design, width: usize) {
    let layout = text::fitting_layout(design, Direction::Down, width)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let unicode = draw::draw(design, &layout, Charset::Unicode);
    let ascii = draw::draw(design, &layout, Charset::Ascii);
    assert!(
        unicode
            .lines()
            .chain(ascii.lines())
            .all(|l| l.chars().count() <= width),
        "{name}:\n{unicode}"
    );
    assert_eq!(ascii, as_ascii(&unicode), "{name}");
    assert_sound(name, check::check(design, &layout, &unicode));
    for group in &design.groups {
        assert!(
            unicode.contains(&format!(" {} ", group.title)),
            "{name}: the title of group `{}` is cut:\n{unicode}",
            group.id
        );
    }
}

#[test]
fn every_template_keeps_every_label_at_the_narrowest_width_it_fits() {
    for template in &strata::templates::ALL {
        let design = checked(template.name, template.text);
        let narrowest = match text::fitting_layout(&design, Direction::Down, 1) {
            Err(text::TextError::TooWide { needed, .. }) => needed.count,
            other => panic!("{}: {:?}", template.name, other.map(|l| l.width)),
        };
        assert_fits_with_every_label(template.name, &design, narrowest);
    }
}

#[test]
fn every_template_fits_100_columns_with_every_label_in_both_charsets() {
    for template in &strata::templates::ALL {
        let design = checked(template.name, template.text);
        assert_fits_with_every_label(template.name, &design, 100);
    }
}

#[test]
fn the_width_a_refusal_asks_for_is_the_narrowest_that_fits() {
    for (name, text) in [
        ("generated", strata::generate::design(60, 7)),
        ("social", strata::templates::ALL[1].text.to_string()),
    ] {
        let design = checked(name, &text);
        let error = text::fitting_layout(&design, Direction::Down, 20).unwrap_err();
        let text::TextError::TooWide { needed, .. } = error else {
            panic!("{name}: {error}");
        };
        assert!(!needed.at_least, "{name}: {error}");
        assert!(text::fitting_layout(&design, Direction::Down, needed.count).is_ok());
        assert!(text::fitting_layout(&design, Direction::Down, needed.count - 1).is_err());
    }
}

#[test]
fn generated_designs_draw_soundly() {
    for size in [50, 200] {
        let design = checked("generated", &strata::generate::design(size, 7));
        for wrap in [text::LABEL_WAYS[0], Labels::Markers] {
            for rank_limit in [None, Some(300)] {
                assert_sound(
                    &format!("generated {size} {wrap:?} {rank_limit:?}"),
                    problems(&design, Direction::Down, fit(wrap, rank_limit)),
                );
            }
        }
    }
}

#[test]
fn the_same_design_draws_byte_identical_text() {
    let template = &strata::templates::ALL[1];
    let once = || {
        let design = checked(template.name, template.text);
        let options = TextOptions {
            direction: Direction::Down,
            charset: Charset::Unicode,
            width: 1000,
        };
        text::to_text(&design, &options).unwrap()
    };
    assert_eq!(once(), once());
}

#[test]
fn a_drawing_too_large_to_read_is_refused_whatever_the_width() {
    // A box one long word wide beside a box thousands of lines tall: about 60M cells.
    let wide = "w".repeat(20_000);
    let tall = "t ".repeat(30_000);
    let design = checked(
        "t",
        &format!("tier t \"T\" {{\n a: service \"{wide}\"\n b: service \"{tall}\"\n}}\n"),
    );
    for direction in [Direction::Down, Direction::Right] {
        let options = TextOptions {
            direction,
            charset: Charset::Unicode,
            width: usize::MAX,
        };
        let error = text::to_text(&design, &options).unwrap_err().to_string();
        assert!(
            error.contains("columns by") && error.contains("render it as SVG or PNG"),
            "{error}"
        );
        let narrow = TextOptions {
            width: 100,
            ..options
        };
        let error = text::to_text(&design, &narrow).unwrap_err().to_string();
        assert!(error.contains("render it as SVG or PNG"), "{error}");
    }
}

#[test]
fn a_tier_too_wide_for_the_width_wraps_its_boxes_onto_more_rows() {
    let services: String = (1..=8)
        .map(|n| format!(" s{n}: service \"Order Service {n}\"\n"))
        .collect();
    let text = format!(
        "tier edge {{\n gw: gateway\n}}\ntier services {{\n{services}}}\n\
         gw -> s1, s2, s3, s4, s5, s6, s7, s8 : \"route\"\n"
    );
    let design = checked("wide", &text);
    let unwrapped = |label_wrap| {
        cells::layout(
            &design,
            Direction::Down,
            &CellMeasure,
            &fit(label_wrap, None),
        )
    };
    assert!(text::LABEL_WAYS[..2]
        .iter()
        .all(|&wrap| unwrapped(wrap).width > 100));
    let layout = text::fitting_layout(&design, Direction::Down, 100).unwrap();
    assert!(layout.width <= 100);
    // Edge labels are kept, and the eight services no longer share one row.
    assert!(layout.edges.iter().any(|e| e.label.is_some()));
    let services = design
        .tiers
        .iter()
        .position(|t| t.id == "services")
        .unwrap();
    let rows: std::collections::BTreeSet<usize> = design
        .components
        .iter()
        .zip(&layout.nodes)
        .filter(|(c, _)| c.tier == Some(services))
        .map(|(_, rect)| rect.y)
        .collect();
    assert!(rows.len() > 1, "{rows:?}");
    let drawing = draw::draw(&design, &layout, Charset::Unicode);
    assert_sound(
        "a wide tier at 100",
        check::check(&design, &layout, &drawing),
    );
}

#[test]
fn a_tier_that_fits_on_one_row_is_not_wrapped_with_a_wider_one() {
    // IoT needs its ranks wrapped to fit 100 columns; its four devices fit on one row
    // beside the lines that run down from them, and used to be wrapped onto three.
    let template = strata::templates::ALL
        .iter()
        .find(|t| t.name == "iot")
        .unwrap();
    let design = checked(template.name, template.text);
    let layout = text::fitting_layout(&design, Direction::Down, 100).unwrap();
    let rows_of = |tier: &str| {
        let tier = design.tiers.iter().position(|t| t.id == tier).unwrap();
        design
            .components
            .iter()
            .zip(&layout.nodes)
            .filter(|(c, _)| c.tier == Some(tier))
            .map(|(_, rect)| rect.y + rect.h / 2)
            .collect::<std::collections::BTreeSet<usize>>()
            .len()
    };
    assert!(design.tiers.iter().any(|t| rows_of(&t.id) > 1));
    assert_eq!(rows_of("devices"), 1);
}

#[test]
fn too_narrow_a_width_is_refused_with_the_width_needed() {
    let design = checked(
        "t",
        "tier t \"T\" {\n a: service \"A long component label\"\n b: service \"B\"\n}\na -> b\n",
    );
    let options = TextOptions {
        direction: Direction::Down,
        charset: Charset::Unicode,
        width: 10,
    };
    let error = text::to_text(&design, &options).unwrap_err().to_string();
    assert!(error.contains("does not fit in 10 columns"), "{error}");
    let needed: usize = error
        .split("--width ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the width needed");
    let fits = TextOptions {
        width: needed,
        ..options
    };
    let drawing = text::to_text(&design, &fits).unwrap();
    assert!(drawing
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= needed));
}

#[test]
fn wide_characters_take_two_cells() {
    let design = checked(
        "wide",
        "tier t \"層 Tier\" {\n a: service \"注文サービス\" { tech \"Rust 🦀\" }\n b: database \"データ\"\n}\na -> b : \"書き込み 📝\"\n",
    );
    for direction in [Direction::Down, Direction::Right] {
        let layout = cells::layout(
            &design,
            direction,
            &CellMeasure,
            &fit(Labels::Wrapped(16), None),
        );
        let drawing = draw::draw(&design, &layout, Charset::Unicode);
        assert_sound("wide", check::check(&design, &layout, &drawing));
    }
}

#[test]
fn a_small_design_draws_like_the_guide() {
    let design = checked(
        "small",
        "system \"Shop\" {}\ntier edge \"Edge\" {\n lb: load_balancer \"Load Balancer\" { tech \"nginx\" }\n}\ntier app \"Services\" {\n api: service \"API\" { replicas 2 }\n worker: worker \"Worker\"\n}\ntier data \"Data\" {\n db: database \"Orders DB\" { tech \"PostgreSQL\" }\n q: queue \"Queue\"\n}\nlb -> api : \"HTTPS\"\napi -> db : \"SQL\"\napi ~> q : \"order placed\"\nq ~> worker\nworker -> db\n",
    );
    for (direction, charset) in [
        (Direction::Down, Charset::Unicode),
        (Direction::Down, Charset::Ascii),
        (Direction::Right, Charset::Unicode),
    ] {
        let options = TextOptions {
            direction,
            charset,
            width: 100,
        };
        insta::assert_snapshot!(
            format!("small_{direction:?}_{charset:?}"),
            text::to_text(&design, &options).unwrap()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_designs_draw_soundly(
        text in common::random_design(true),
        right in any::<bool>(),
        wrap in 0usize..3,
        rank_limit in proptest::option::of(0usize..80),
    ) {
        let design = checked("random", &text);
        let direction = if right { Direction::Right } else { Direction::Down };
        let layout = cells::layout(&design, direction, &CellMeasure, &fit(text::LABEL_WAYS[wrap], rank_limit));
        let drawing = draw::draw(&design, &layout, Charset::Unicode);
        let problems = check::check(&design, &layout, &drawing);
        prop_assert!(problems.is_empty(), "{text}\n{drawing}\n{problems:#?}");
    }
}

fn strata(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_cli_draws_text_to_a_file_or_standard_output_and_refuses_too_narrow_a_width() {
    let dir = tempfile::tempdir().unwrap();
    let design =
        "tier t \"T\" {\n a: client \"Browser\"\n b: service \"API\"\n}\na -> b : \"calls\"\n";
    std::fs::write(dir.path().join("d.strata"), design).unwrap();
    let file = strata(&["render", "d.strata", "-o", "d.txt"], dir.path());
    assert!(
        file.status.success(),
        "{}",
        String::from_utf8_lossy(&file.stderr)
    );
    let drawn = std::fs::read_to_string(dir.path().join("d.txt")).unwrap();
    assert!(
        drawn.contains("│ Browser │") && drawn.contains('▼'),
        "{drawn}"
    );
    let ascii = strata(
        &[
            "render",
            "d.strata",
            "--format",
            "text",
            "--charset",
            "ascii",
            "-o",
            "-",
        ],
        dir.path(),
    );
    let ascii = String::from_utf8(ascii.stdout).unwrap();
    assert!(
        ascii.is_ascii() && ascii.contains("| Browser |") && ascii.contains('v'),
        "{ascii}"
    );
    std::fs::write(dir.path().join("old.txt"), "keep me").unwrap();
    let narrow = strata(
        &["render", "d.strata", "-o", "old.txt", "--width", "8"],
        dir.path(),
    );
    assert_eq!(narrow.status.code(), Some(2));
    let message = String::from_utf8_lossy(&narrow.stderr);
    assert!(
        message.contains("does not fit in 8 columns") && message.contains("--width"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("old.txt")).unwrap(),
        "keep me"
    );
}
