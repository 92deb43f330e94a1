//! Views (`render --focus`, `--collapse`, `--journey`) of the templates: snapshots of each
//! in SVG and text, and every view of every template drawn as text that reads back true.

use strata::layout::Direction;
use strata::model::Design;
use strata::render::text::{self, cells, check, draw, CellMeasure, Charset, Fit, TextOptions};
use strata::render::{self, RenderOptions};
use strata::source::Source;
use strata::view::{self, Collapse, Rest, View, Viewed};

fn template(name: &str) -> Design {
    let template = strata::templates::find(name).unwrap();
    let checked = strata::check(&Source::new(name, template.text));
    assert!(!checked.has_errors());
    checked.design
}

fn svg(viewed: &Viewed) -> String {
    let layout = render::pixel_layout(&viewed.design, Direction::Down);
    let options = RenderOptions {
        view: Some(&viewed.marks),
        ..RenderOptions::default()
    };
    render::svg::to_svg(&viewed.design, &layout, &options)
}

fn text_of(viewed: &Viewed, width: usize) -> String {
    let options = TextOptions {
        direction: Direction::Down,
        charset: Charset::Unicode,
        width,
    };
    text::to_text(&viewed.with_stubs_in_labels(), &options).unwrap()
}

fn focus(design: &Design, id: &str, depth: usize) -> View {
    View::Focus {
        component: view::component(design, id).unwrap(),
        depth,
    }
}

#[test]
fn a_focus_is_drawn_with_stubs_for_the_flows_it_cuts() {
    let design = template("ecommerce");
    let view = focus(&design, "order", 1);
    let drawn = svg(&view::apply(&design, view, Rest::Dimmed));
    assert_eq!(drawn.matches(r#"<g class="stub">"#).count(), 4);
    assert!(drawn.contains("<title>not shown: lb → api_gateway"));
    insta::assert_snapshot!("focus_ecommerce_order_svg", drawn);
    let text = text_of(&view::apply(&design, view, Rest::Omitted), 100);
    assert!(text.contains("API Gateway +4"));
    insta::assert_snapshot!("focus_ecommerce_order_text", text);
}

#[test]
fn collapsed_groups_are_drawn_as_boxes() {
    let design = template("social");
    let viewed = view::apply(&design, View::Collapse(Collapse::Groups), Rest::Dimmed);
    let drawn = svg(&viewed);
    assert!(drawn.contains(r#"id="c-mesh""#));
    insta::assert_snapshot!("collapse_groups_social_svg", drawn);
    insta::assert_snapshot!("collapse_groups_social_text", text_of(&viewed, 160));
    let tiers = view::apply(&design, View::Collapse(Collapse::Tiers), Rest::Omitted);
    insta::assert_snapshot!("collapse_tiers_social_text", text_of(&tiers, 100));
}

#[test]
fn a_journey_is_numbered_and_the_rest_dimmed_or_left_out() {
    let design = template("ecommerce");
    let checkout = View::Journey(view::journey(&design, "checkout").unwrap());
    let drawn = svg(&view::apply(&design, checkout, Rest::Dimmed));
    assert!(drawn.contains("1. API calls"));
    assert!(drawn.contains(r#"opacity="0.25""#));
    insta::assert_snapshot!("journey_ecommerce_checkout_svg", drawn);
    let text = text_of(&view::apply(&design, checkout, Rest::Omitted), 100);
    for step in 1..=13 {
        assert!(text.contains(&format!(" {step}. ")), "step {step}");
    }
    assert!(!text.contains("Metrics"));
    insta::assert_snapshot!("journey_ecommerce_checkout_text", text);
}

/// Every view of every template reads back as what its reduced design says, and every
/// flow with an end drawn is drawn or counted on a stub.
#[test]
fn every_view_of_every_template_draws_truly_and_loses_no_flow() {
    for each in &strata::templates::ALL {
        let design = template(each.name);
        let mut views = vec![
            View::Collapse(Collapse::Groups),
            View::Collapse(Collapse::Tiers),
        ];
        views.extend((0..design.journeys.len()).map(View::Journey));
        views.extend((0..design.components.len()).map(|component| View::Focus {
            component,
            depth: 1,
        }));
        for view in views {
            let viewed = view::apply(&design, view, Rest::Omitted);
            let reduced = viewed.with_stubs_in_labels();
            let fit = Fit {
                labels: cells::Labels::Wrapped(16),
                rank_limits: Vec::new(),
            };
            let layout = cells::layout(&reduced, Direction::Down, &CellMeasure, &fit);
            let drawing = draw::draw(&reduced, &layout, Charset::Unicode);
            let problems = check::check(&reduced, &layout, &drawing);
            assert!(problems.is_empty(), "{} {view:?}: {problems:?}", each.name);
            if let View::Focus { .. } = view {
                assert_focus_loses_nothing(&design, &viewed, each.name);
            }
        }
    }
}

fn assert_focus_loses_nothing(design: &Design, viewed: &Viewed, name: &str) {
    let drawn: Vec<bool> = {
        let mut drawn = vec![false; design.components.len()];
        for original in viewed.original.iter().flatten() {
            drawn[*original] = true;
        }
        drawn
    };
    let ends_drawn = |both: bool| {
        design
            .flows
            .iter()
            .filter(|f| (drawn[f.from] && drawn[f.to]) == both && (drawn[f.from] || drawn[f.to]))
            .count()
    };
    let stubbed: usize = viewed
        .marks
        .stubs
        .iter()
        .flatten()
        .map(|s| s.incoming + s.outgoing)
        .sum();
    assert_eq!(viewed.design.flows.len(), ends_drawn(true), "{name}");
    assert_eq!(stubbed, ends_drawn(false), "{name}");
}
