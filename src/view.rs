//! Views: the part of a design a drawing shows, for designs too big to read whole.
//!
//! [`apply`] turns a [`Design`] and a [`View`] into a [`Viewed`]: a reduced design, which
//! layout and every renderer take as they take any design, and the [`Marks`] that say what
//! the view did to it. No flow is lost without a word: each flow of the original is drawn,
//! merged into a drawn flow that says how many it stands for, counted inside a collapsed
//! box, or counted on a [`Stub`] on the box it leaves; only flows between two components
//! the view leaves out go unmentioned, with those components.

use crate::diagnostics::listed;
use crate::model::{suggest, Component, ComponentId, Design, Flow, FlowId, JourneyId, Kind};
use crate::syntax::ast::FlowMode;
use petgraph::graph::DiGraph;
use std::collections::{BTreeMap, VecDeque};

/// How far `--focus` may reach: past a few flows a neighbourhood is most of a design.
pub const DEPTHS: std::ops::RangeInclusive<usize> = 1..=10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// A component and every component at most `depth` flows away from it, either way.
    Focus {
        component: ComponentId,
        depth: usize,
    },
    /// Each group, or each tier, drawn as one box.
    Collapse(Collapse),
    /// A journey's steps numbered in order.
    Journey(JourneyId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collapse {
    /// Every outermost group; components in no group stay as they are.
    Groups,
    /// Every tier; components in no tier stay as they are.
    Tiers,
}

/// What a journey view does with the components and flows off the journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rest {
    /// Drawn faintly (SVG and PNG).
    Dimmed,
    /// Left out, their flows counted on stubs (text, which has no faint lines).
    Omitted,
}

pub struct Viewed {
    pub design: Design,
    /// For each component of `design`, the original component it is; `None` for a box
    /// standing for a collapsed group or tier.
    pub original: Vec<Option<ComponentId>>,
    pub marks: Marks,
}

/// What a view did to the design it reduced, by component and flow of the reduced design.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    /// The flows cut off each component.
    pub stubs: Vec<Option<Stub>>,
    pub dimmed_components: Vec<bool>,
    pub dimmed_flows: Vec<bool>,
}

/// Flows a view cut off one box: to or from components it leaves out, or flows it does
/// not draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Stub {
    pub incoming: usize,
    pub outgoing: usize,
    /// The flows cut, `from → to`, for a hover title.
    pub detail: String,
}

impl Stub {
    /// What the box shows: `+3`.
    pub fn text(&self) -> String {
        format!("+{}", self.incoming + self.outgoing)
    }
}

/// Under a text drawing with stubs, what they mean.
pub const STUB_LEGEND: &str =
    "+N after a name: N more flows of that component, not drawn in this view";

/// The component `id`, or an error that says what is close.
pub fn component(design: &Design, id: &str) -> Result<ComponentId, String> {
    design.component_by_id(id).ok_or_else(|| {
        unknown(
            "component",
            id,
            design.components.iter().map(|c| c.id.as_str()),
        )
    })
}

/// The declared journey `id`, or an error that says what is close or declared.
pub fn journey(design: &Design, id: &str) -> Result<JourneyId, String> {
    if design.journeys.is_empty() {
        return Err(format!(
            "no journey `{id}`: the design declares no journeys (`journey checkout \"Checkout\" {{ … }}`)"
        ));
    }
    design
        .journeys
        .iter()
        .position(|j| j.id == id)
        .ok_or_else(|| unknown("journey", id, design.journeys.iter().map(|j| j.id.as_str())))
}

fn unknown<'a>(what: &str, id: &str, names: impl Iterator<Item = &'a str> + Clone) -> String {
    match suggest::closest(id, names.clone()) {
        Some(name) => format!("no {what} `{id}` in the design; did you mean `{name}`?"),
        None => {
            let all: Vec<&str> = names.collect();
            format!(
                "no {what} `{id}` in the design; it has {}",
                listed(&all, "none")
            )
        }
    }
}

/// The design as `view` shows it; `rest` says how a journey view shows what is off it.
pub fn apply(design: &Design, view: View, rest: Rest) -> Viewed {
    match view {
        View::Focus { component, depth } => focus(design, component, depth),
        View::Collapse(collapse) => collapsed(design, collapse),
        View::Journey(journey) => journey_view(design, journey, rest),
    }
}

/// What a view keeps of a design, by original component and flow; [`build`] makes it.
struct Plan {
    /// Per original component: the component of the reduced design it is drawn as.
    drawn_as: Vec<Option<usize>>,
    /// The reduced design's components, and the original each is (`None`: a box).
    components: Vec<Component>,
    original: Vec<Option<ComponentId>>,
    /// Per original flow: drawn when both its ends are.
    drawn: Vec<bool>,
    /// Per original flow: its step number in a journey.
    step: Vec<Option<usize>>,
    dimmed_components: Vec<bool>,
    dimmed_flows: Vec<bool>,
    title: String,
}

impl Plan {
    /// Each component in `keep` drawn as itself, every flow between two of them drawn.
    fn keeping(design: &Design, keep: &[bool], title: String) -> Plan {
        let mut plan = Plan {
            drawn_as: vec![None; design.components.len()],
            components: Vec::new(),
            original: Vec::new(),
            drawn: vec![true; design.flows.len()],
            step: vec![None; design.flows.len()],
            dimmed_components: vec![false; design.components.len()],
            dimmed_flows: vec![false; design.flows.len()],
            title,
        };
        for (id, component) in design.components.iter().enumerate() {
            if keep[id] {
                plan.drawn_as[id] = Some(plan.components.len());
                plan.components.push(component.clone());
                plan.original.push(Some(id));
            }
        }
        plan
    }
}

fn focus(design: &Design, centre: ComponentId, depth: usize) -> Viewed {
    let mut distance = vec![None; design.components.len()];
    distance[centre] = Some(0);
    let mut queue = VecDeque::from([centre]);
    while let Some(component) = queue.pop_front() {
        let next = distance[component].map_or(0, |d: usize| d + 1);
        if next > depth {
            continue;
        }
        for neighbour in design.graph.neighbors_undirected(design.node(component)) {
            if distance[neighbour.index()].is_none() {
                distance[neighbour.index()] = Some(next);
                queue.push_back(neighbour.index());
            }
        }
    }
    let keep: Vec<bool> = distance.iter().map(Option::is_some).collect();
    let kept = keep.iter().filter(|&&k| k).count();
    let title = format!(
        "around {}, {} away ({kept} of {} components)",
        design.components[centre].label,
        counted(depth, "flow"),
        design.components.len()
    );
    build(design, Plan::keeping(design, &keep, title))
}

fn journey_view(design: &Design, journey: JourneyId, rest: Rest) -> Viewed {
    let journey = &design.journeys[journey];
    let mut on_journey = vec![false; design.components.len()];
    let mut step = vec![None; design.flows.len()];
    for (index, &flow) in journey.steps.iter().enumerate() {
        step[flow] = Some(index + 1);
        on_journey[design.flows[flow].from] = true;
        on_journey[design.flows[flow].to] = true;
    }
    let title = format!(
        "journey {}, {}",
        journey.title,
        counted(journey.steps.len(), "step")
    );
    let mut plan = match rest {
        Rest::Dimmed => {
            let mut plan = Plan::keeping(design, &vec![true; design.components.len()], title);
            plan.dimmed_components = on_journey.iter().map(|&on| !on).collect();
            plan.dimmed_flows = step.iter().map(Option::is_none).collect();
            plan
        }
        Rest::Omitted => {
            let mut plan = Plan::keeping(design, &on_journey, title);
            plan.drawn = step.iter().map(Option::is_some).collect();
            plan
        }
    };
    plan.step = step;
    build(design, plan)
}

fn collapsed(design: &Design, collapse: Collapse) -> Viewed {
    // Each component's box: its outermost group's, or its tier's.
    let box_key = |component: &Component| match collapse {
        Collapse::Groups => component.group.map(|mut group| {
            while let Some(parent) = design.groups[group].parent {
                group = parent;
            }
            group
        }),
        Collapse::Tiers => component.tier,
    };
    let title = match collapse {
        Collapse::Groups => "groups collapsed",
        Collapse::Tiers => "tiers collapsed",
    };
    let mut plan = Plan::keeping(design, &vec![false; design.components.len()], title.into());
    // A group or tier of one component is drawn as that component, which says more.
    let mut members: BTreeMap<usize, usize> = BTreeMap::new();
    for key in design.components.iter().filter_map(box_key) {
        *members.entry(key).or_default() += 1;
    }
    let mut boxes: BTreeMap<usize, usize> = BTreeMap::new();
    for (id, component) in design.components.iter().enumerate() {
        let collapsed = box_key(component).filter(|key| members[key] > 1);
        let drawn_as = match collapsed {
            None => {
                plan.original.push(Some(id));
                plan.components.push(component.clone());
                plan.components.len() - 1
            }
            Some(key) => *boxes.entry(key).or_insert_with(|| {
                let (key_id, label, tier) = match collapse {
                    Collapse::Groups => {
                        let group = &design.groups[key];
                        (&group.id, &group.title, group.tier.or(component.tier))
                    }
                    Collapse::Tiers => (&design.tiers[key].id, &design.tiers[key].title, Some(key)),
                };
                plan.original.push(None);
                plan.components
                    .push(collapsed_box(component, key_id, label, tier));
                plan.components.len() - 1
            }),
        };
        plan.drawn_as[id] = Some(drawn_as);
    }
    build(design, plan)
}

/// A box standing for a group or tier, made from its first member so that it has every
/// field a component has; [`build`] writes what it holds as its `tech` line.
fn collapsed_box(first: &Component, id: &str, label: &str, tier: Option<usize>) -> Component {
    Component {
        id: id.to_string(),
        kind: Kind::Component,
        label: label.to_string(),
        tier,
        group: None,
        tech: None,
        replicas: 1,
        tags: Vec::new(),
        features: Vec::new(),
        ..first.clone()
    }
}

/// The reduced design a plan describes, with its tiers and groups renumbered (those left
/// empty dropped), flows between the same two boxes merged, and the flows cut counted.
fn build(design: &Design, plan: Plan) -> Viewed {
    let count = plan.components.len();
    let mut between: BTreeMap<(usize, usize), Vec<FlowId>> = BTreeMap::new();
    let mut first_of_pair: Vec<(usize, usize)> = Vec::new();
    let mut inside = vec![0usize; count];
    let mut cut: Vec<Vec<FlowId>> = vec![Vec::new(); count];
    let mut cut_in = vec![0usize; count];
    for (id, flow) in design.flows.iter().enumerate() {
        match (plan.drawn_as[flow.from], plan.drawn_as[flow.to]) {
            (Some(from), Some(to)) if plan.drawn[id] && from == to => inside[from] += 1,
            (Some(from), Some(to)) if plan.drawn[id] => {
                let flows = between.entry((from, to)).or_default();
                if flows.is_empty() {
                    first_of_pair.push((from, to));
                }
                flows.push(id);
            }
            (from, to) => {
                for end in [from, to].into_iter().flatten() {
                    cut[end].push(id);
                }
                if let Some(to) = to {
                    cut_in[to] += 1;
                }
            }
        }
    }
    let mut components = plan.components;
    for (index, component) in components.iter_mut().enumerate() {
        if plan.original[index].is_none() {
            let members = plan.drawn_as.iter().filter(|&&d| d == Some(index)).count();
            component.tech = Some(format!(
                "{}, {} inside",
                counted(members, "component"),
                counted(inside[index], "flow")
            ));
        }
    }
    let flows: Vec<Flow> = first_of_pair
        .iter()
        .map(|pair| drawn_flow(design, &plan.step, *pair, &between[pair]))
        .collect();
    let dimmed_flows = first_of_pair
        .iter()
        .map(|pair| between[pair].iter().all(|&f| plan.dimmed_flows[f]))
        .collect();
    let stubs = cut
        .iter()
        .zip(&cut_in)
        .map(|(flows, &incoming)| stub(design, flows, incoming))
        .collect();
    let dimmed_components = plan
        .original
        .iter()
        .map(|o| o.is_some_and(|c| plan.dimmed_components[c]))
        .collect();
    let reduced = reduced_design(design, components, flows, &plan.title);
    Viewed {
        design: reduced,
        original: plan.original,
        marks: Marks {
            stubs,
            dimmed_components,
            dimmed_flows,
        },
    }
}

/// One drawn flow for the original flows between two boxes: the flow itself, numbered
/// when it is a journey's step, or one standing for several and saying how many.
fn drawn_flow(
    design: &Design,
    step: &[Option<usize>],
    pair: (usize, usize),
    flows: &[FlowId],
) -> Flow {
    let first = &design.flows[flows[0]];
    let label = match (flows.len(), step[flows[0]], &first.label) {
        (1, Some(number), Some(label)) => Some(format!("{number}. {label}")),
        (1, Some(number), None) => Some(number.to_string()),
        (1, None, label) => label.clone(),
        (several, _, _) => Some(format!("{several} flows")),
    };
    let all_async = flows
        .iter()
        .all(|&f| design.flows[f].mode == FlowMode::Async);
    Flow {
        from: pair.0,
        to: pair.1,
        label,
        mode: if all_async {
            FlowMode::Async
        } else {
            FlowMode::Sync
        },
        ..first.clone()
    }
}

fn stub(design: &Design, flows: &[FlowId], incoming: usize) -> Option<Stub> {
    if flows.is_empty() {
        return None;
    }
    let names: Vec<String> = flows
        .iter()
        .map(|&f| {
            let flow = &design.flows[f];
            let from = &design.components[flow.from].id;
            let to = &design.components[flow.to].id;
            format!("{from} → {to}")
        })
        .collect();
    Some(Stub {
        incoming,
        outgoing: flows.len() - incoming,
        detail: format!("not shown: {}", listed(&names, "")),
    })
}

fn reduced_design(
    design: &Design,
    mut components: Vec<Component>,
    flows: Vec<Flow>,
    title: &str,
) -> Design {
    let tier_map = renumber(design.tiers.len(), components.iter().filter_map(|c| c.tier));
    let group_map = renumber(
        design.groups.len(),
        components
            .iter()
            .filter_map(|c| c.group)
            .flat_map(|g| ancestors(design, g)),
    );
    let mut tiers: Vec<_> = design
        .tiers
        .iter()
        .enumerate()
        .filter(|(t, _)| tier_map[*t].is_some())
        .map(|(_, tier)| crate::model::Tier {
            components: Vec::new(),
            ..tier.clone()
        })
        .collect();
    let mut groups: Vec<_> = design
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| group_map[*g].is_some())
        .map(|(_, group)| crate::model::Group {
            components: Vec::new(),
            tier: group.tier.and_then(|t| tier_map[t]),
            parent: group.parent.and_then(|p| group_map[p]),
            ..group.clone()
        })
        .collect();
    for (id, component) in components.iter_mut().enumerate() {
        component.tier = component.tier.and_then(|t| tier_map[t]);
        if let Some(tier) = component.tier {
            tiers[tier].components.push(id);
        }
        let original_group = component.group;
        component.group = original_group.and_then(|g| group_map[g]);
        for group in original_group
            .into_iter()
            .flat_map(|g| ancestors(design, g))
        {
            if let Some(group) = group_map[group] {
                groups[group].components.push(id);
            }
        }
    }
    let mut graph = DiGraph::with_capacity(components.len(), flows.len());
    for id in 0..components.len() {
        graph.add_node(id);
    }
    for (id, flow) in flows.iter().enumerate() {
        graph.add_edge(
            petgraph::graph::NodeIndex::new(flow.from),
            petgraph::graph::NodeIndex::new(flow.to),
            id,
        );
    }
    let mut system = design.system.clone();
    system.name = Some(match &design.system.name {
        Some(name) => format!("{name}: {title}"),
        None => title.to_string(),
    });
    Design {
        system,
        tiers,
        groups,
        components,
        flows,
        graph,
        journeys: Vec::new(),
        lint_settings: Vec::new(),
    }
}

/// `1 flow`, `3 flows`.
fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// A group and every group around it, innermost first.
fn ancestors(design: &Design, group: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(Some(group), |&g| design.groups[g].parent)
}

/// New indices, in the old order, for the `used` ones of `count`.
fn renumber(count: usize, used: impl Iterator<Item = usize>) -> Vec<Option<usize>> {
    let mut is_used = vec![false; count];
    for index in used {
        is_used[index] = true;
    }
    let mut next = 0;
    is_used
        .iter()
        .map(|&used| {
            used.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

impl Viewed {
    /// The reduced design for a text drawing, which has no stubs to draw on a box edge:
    /// each box's count is written after its name (`Orders API +3`), as [`STUB_LEGEND`]
    /// explains.
    pub fn with_stubs_in_labels(&self) -> Design {
        let mut design = self.design.clone();
        for (component, stub) in design.components.iter_mut().zip(&self.marks.stubs) {
            if let Some(stub) = stub {
                component.label = format!("{} {}", component.label, stub.text());
            }
        }
        design
    }

    pub fn has_stubs(&self) -> bool {
        self.marks.stubs.iter().any(Option::is_some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    const SHOP: &str = r#"
system "Shop"
tier edge "Edge" {
  web: client
  api: gateway
}
tier services "Services" {
  group core "Core" {
    orders: service
    group inner "Inner" { billing: service }
  }
  search: service
}
tier data "Data" {
  db: database
  index: search
  cache: cache
}
web -> api : "calls"
api -> orders : "orders"
api -> search : "queries"
orders -> billing : "charge"
orders -> db : "writes"
billing -> db : "ledger"
search -> index : "reads"
search -> cache : "hot"
journey buy "Buy" {
  web -> api -> orders -> billing
}
"#;

    fn shop() -> Design {
        let checked = crate::check(&Source::new("shop", SHOP));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        checked.design
    }

    fn ids(design: &Design) -> Vec<&str> {
        design.components.iter().map(|c| c.id.as_str()).collect()
    }

    fn flows(design: &Design) -> Vec<String> {
        design
            .flows
            .iter()
            .map(|f| {
                let (from, to) = (&design.components[f.from].id, &design.components[f.to].id);
                format!("{from}->{to} {}", f.label.as_deref().unwrap_or(""))
            })
            .collect()
    }

    fn stub_of(viewed: &Viewed, id: &str) -> Option<(usize, usize)> {
        let index = viewed.design.component_by_id(id).unwrap();
        viewed.marks.stubs[index]
            .as_ref()
            .map(|s| (s.incoming, s.outgoing))
    }

    fn focus(design: &Design, id: &str, depth: usize) -> Viewed {
        let component = component(design, id).unwrap();
        apply(design, View::Focus { component, depth }, Rest::Dimmed)
    }

    #[test]
    fn a_focus_keeps_the_neighbourhood_and_counts_the_flows_it_cuts() {
        let design = shop();
        let viewed = focus(&design, "orders", 1);
        assert_eq!(ids(&viewed.design), ["api", "orders", "billing", "db"]);
        assert_eq!(
            flows(&viewed.design),
            [
                "api->orders orders",
                "orders->billing charge",
                "orders->db writes",
                "billing->db ledger"
            ]
        );
        // api's call from web and its queries to search, each on api's stub.
        assert_eq!(stub_of(&viewed, "api"), Some((1, 1)));
        assert_eq!(stub_of(&viewed, "orders"), None);
        let api = viewed.design.component_by_id("api").unwrap();
        let detail = &viewed.marks.stubs[api].as_ref().unwrap().detail;
        assert_eq!(detail, "not shown: web → api, api → search");
        // The tiers and groups left, renumbered, hold only what is drawn.
        let tiers: Vec<(&str, usize)> = viewed
            .design
            .tiers
            .iter()
            .map(|t| (t.id.as_str(), t.components.len()))
            .collect();
        assert_eq!(tiers, [("edge", 1), ("services", 2), ("data", 1)]);
        let inner = &viewed.design.groups[1];
        assert_eq!((inner.id.as_str(), inner.parent), ("inner", Some(0)));
        assert_eq!(viewed.design.groups[0].components, [1, 2]);
        assert_eq!(
            viewed.design.system.name.as_deref(),
            Some("Shop: around orders, 1 flow away (4 of 8 components)")
        );
    }

    #[test]
    fn a_deeper_focus_reaches_further_and_drops_empty_tiers() {
        let design = shop();
        let near = focus(&design, "index", 1);
        assert_eq!(ids(&near.design), ["search", "index"]);
        assert_eq!(near.design.tiers.len(), 2);
        assert_eq!(stub_of(&near, "search"), Some((1, 1)));
        let far = focus(&design, "index", 3);
        assert_eq!(
            ids(&far.design),
            ["web", "api", "orders", "search", "index", "cache"]
        );
        assert_eq!(stub_of(&far, "orders"), Some((0, 2)));
    }

    #[test]
    fn collapsing_groups_merges_their_flows_and_counts_those_inside() {
        let design = shop();
        let viewed = apply(&design, View::Collapse(Collapse::Groups), Rest::Dimmed);
        assert_eq!(
            ids(&viewed.design),
            ["web", "api", "core", "search", "db", "index", "cache"]
        );
        let core = &viewed.design.components[2];
        assert_eq!(core.tech.as_deref(), Some("2 components, 1 flow inside"));
        assert_eq!(core.tier, Some(1));
        assert!(viewed.design.groups.is_empty());
        assert!(flows(&viewed.design).contains(&"core->db 2 flows".to_string()));
        assert!(flows(&viewed.design).contains(&"api->core orders".to_string()));
        assert_eq!(viewed.original[2], None);
        assert_eq!(viewed.original[1], design.component_by_id("api"));
        assert!(viewed.marks.stubs.iter().all(Option::is_none));
    }

    #[test]
    fn collapsing_tiers_draws_one_box_a_tier() {
        let design = shop();
        let viewed = apply(&design, View::Collapse(Collapse::Tiers), Rest::Dimmed);
        assert_eq!(ids(&viewed.design), ["edge", "services", "data"]);
        assert_eq!(
            flows(&viewed.design),
            ["edge->services 2 flows", "services->data 4 flows"]
        );
        let inside: Vec<_> = viewed
            .design
            .components
            .iter()
            .map(|c| c.tech.clone().unwrap())
            .collect();
        assert_eq!(
            inside,
            [
                "2 components, 1 flow inside",
                "3 components, 1 flow inside",
                "3 components, 0 flows inside"
            ]
        );
    }

    #[test]
    fn a_group_of_one_is_drawn_as_its_component() {
        let text =
            "tier t \"T\" {\n group g \"G\" { a: service }\n b: service\n c: service\n}\na -> b\n";
        let design = crate::check(&Source::new("t", text)).design;
        let groups = apply(&design, View::Collapse(Collapse::Groups), Rest::Dimmed);
        assert_eq!(ids(&groups.design), ["a", "b", "c"]);
        assert_eq!(groups.design.groups.len(), 1);
        let tiers = apply(&design, View::Collapse(Collapse::Tiers), Rest::Dimmed);
        assert_eq!(ids(&tiers.design), ["t"]);
        assert_eq!(
            tiers.design.components[0].tech.as_deref(),
            Some("3 components, 1 flow inside")
        );
    }

    #[test]
    fn a_journey_numbers_its_steps_and_dims_or_omits_the_rest() {
        let design = shop();
        let buy = journey(&design, "buy").unwrap();
        let dimmed = apply(&design, View::Journey(buy), Rest::Dimmed);
        assert_eq!(dimmed.design.components.len(), design.components.len());
        let labels: Vec<_> = dimmed
            .design
            .flows
            .iter()
            .map(|f| f.label.clone().unwrap())
            .collect();
        assert_eq!(
            &labels[..4],
            ["1. calls", "2. orders", "queries", "3. charge"]
        );
        assert_eq!(
            dimmed.marks.dimmed_flows,
            [false, false, true, false, true, true, true, true]
        );
        let search = design.component_by_id("search").unwrap();
        assert!(dimmed.marks.dimmed_components[search]);
        assert!(!dimmed.marks.dimmed_components[design.component_by_id("billing").unwrap()]);

        let omitted = apply(&design, View::Journey(buy), Rest::Omitted);
        assert_eq!(ids(&omitted.design), ["web", "api", "orders", "billing"]);
        assert_eq!(omitted.design.flows.len(), 3);
        assert_eq!(stub_of(&omitted, "orders"), Some((0, 1)));
        assert_eq!(stub_of(&omitted, "billing"), Some((0, 1)));
        let text = omitted.with_stubs_in_labels();
        assert_eq!(text.components[2].label, "orders +1");
    }

    #[test]
    fn unknown_names_are_refused_with_what_is_close() {
        let design = shop();
        assert_eq!(
            component(&design, "order").unwrap_err(),
            "no component `order` in the design; did you mean `orders`?"
        );
        assert_eq!(
            component(&design, "zzz").unwrap_err(),
            "no component `zzz` in the design; it has web, api, orders, billing, search, db, index, cache"
        );
        assert_eq!(
            journey(&design, "buys").unwrap_err(),
            "no journey `buys` in the design; did you mean `buy`?"
        );
        let bare = crate::check(&Source::new("t", "web: client\n")).design;
        assert!(journey(&bare, "buy")
            .unwrap_err()
            .contains("declares no journeys"));
    }

    #[test]
    fn the_reduced_graph_matches_its_flows() {
        let design = shop();
        let viewed = apply(&design, View::Collapse(Collapse::Tiers), Rest::Dimmed);
        let graph = &viewed.design.graph;
        assert_eq!(graph.node_count(), 3);
        for edge in graph.edge_indices() {
            let (from, to) = graph.edge_endpoints(edge).unwrap();
            let flow = &viewed.design.flows[graph[edge]];
            assert_eq!((flow.from, flow.to), (from.index(), to.index()));
        }
    }
}
