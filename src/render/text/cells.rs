//! Layout in character cells. The rank, order and position stages of [`crate::layout`] are
//! shared with the pixel layout (sizes and gaps in cells, starts snapped down to whole
//! cells, which keeps every whole-cell gap); ports and tracks are placed here on whole
//! cells, because two lines a fraction of a cell apart would print as one.
//!
//! Coordinates are worked out along the ranks and across them, then turned into columns
//! and rows for the direction. Across the ranks, each rank gets its group frames' top
//! borders, a row for arrowheads, its boxes, a row under them and the group frames' bottom
//! borders; between two ranks lie the channel's tracks, and between two tiers their
//! shared border.

use super::grid::text_width;
use super::CellMeasure;
use crate::layout::order::{self, Order};
use crate::layout::position::{self, AlongSpacing, Span};
use crate::layout::rank::{self, LayeredGraph, NodeKind};
use crate::layout::tracks;
use crate::layout::{Direction, Measure, TextRole, UNTIERED_TITLE};
use crate::model::Design;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Inside a tier frame, from its side to the content.
const BAND_PAD: usize = 2;
const GAPS: AlongSpacing = AlongSpacing {
    node_gap: 3.0,
    lane_gap: 1.0,
    group_pad: 2.0,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CellRect {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

impl CellRect {
    pub fn right(&self) -> usize {
        self.x + self.w - 1
    }

    pub fn bottom(&self) -> usize {
        self.y + self.h - 1
    }

    pub fn contains(&self, (x, y): (usize, usize)) -> bool {
        x >= self.x && x <= self.right() && y >= self.y && y <= self.bottom()
    }
}

/// A titled frame: a tier or a group.
#[derive(Debug, Clone)]
pub struct Frame {
    pub rect: CellRect,
    pub title: String,
    /// Column of the blank before the title on the top border, when the layout has
    /// made room for it; otherwise the drawing finds a place.
    pub title_at: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct CellEdge {
    /// From the source box's border cell to the arrowhead's cell, which touches the
    /// target box; corners only.
    pub points: Vec<(usize, usize)>,
    pub dashed: bool,
    /// The label's lines and where the first starts, if it is shown.
    pub label: Option<EdgeLabel>,
}

/// A flow's label on its line: its text, or a numbered marker the legend explains.
#[derive(Debug, Clone)]
pub struct EdgeLabel {
    /// Where the first line starts, two cells from the flow's lane (one under it, going
    /// right): the lane is at [`EdgeLabel::lane`].
    pub at: (usize, usize),
    pub lines: Vec<String>,
    /// The legend entry the label stands for, when it shows `[n]` rather than its text.
    pub marker: Option<usize>,
    /// Rows the label may take, all free of anything else from `at` on.
    pub(super) rows: usize,
}

impl EdgeLabel {
    /// The cell of the flow's own line the label is read against.
    pub fn lane(&self, direction: Direction) -> (usize, usize) {
        match direction {
            Direction::Down => (self.at.0 - 2, self.at.1),
            Direction::Right => (self.at.0, self.at.1 - 1),
        }
    }
}

/// How edge labels are shown: their text wrapped to so many cells, or markers `[n]`
/// (where a label's text then fits beside its line, it is shown after all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    Wrapped(usize),
    Markers,
}

#[derive(Debug, Clone)]
pub struct CellLayout {
    pub width: usize,
    pub height: usize,
    pub direction: Direction,
    pub bands: Vec<Frame>,
    /// Outer groups before the groups they hold.
    pub groups: Vec<Frame>,
    /// Box of each component, by component index.
    pub nodes: Vec<CellRect>,
    /// Route of each flow, by flow index.
    pub edges: Vec<CellEdge>,
    /// The text of each marker, by its number less one: written under the drawing.
    pub legend: Vec<String>,
}

/// How the cell layout fits a width: how edge labels are shown, and the ranks of each
/// band (by tier, then the untiered band) wrapped where their boxes and the gaps between
/// them take more than its limit in cells; a band without one, or past the end, does not
/// wrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    pub labels: Labels,
    pub rank_limits: Vec<Option<usize>>,
}

/// How a fit wraps ranks, in the terms of [`rank::RankWrap`]: the room each component
/// takes along its rank with its gap, and the limit of each band's ranks.
pub struct FitWrap {
    sizes: Vec<f64>,
    limits: Vec<Option<f64>>,
}

impl FitWrap {
    /// `None` for a fit that wraps no band.
    pub fn new(
        design: &Design,
        direction: Direction,
        measure: &CellMeasure,
        fit: &Fit,
    ) -> Option<Self> {
        if fit.rank_limits.iter().all(Option::is_none) {
            return None;
        }
        let sizes = design
            .components
            .iter()
            .map(|c| crate::layout::split(direction, measure.node(c)).0 + GAPS.node_gap)
            .collect();
        let limits = fit
            .rank_limits
            .iter()
            .map(|limit| limit.map(|l| l as f64 + GAPS.node_gap))
            .collect();
        Some(FitWrap { sizes, limits })
    }

    pub fn wrap(&self) -> rank::RankWrap<'_> {
        rank::RankWrap {
            sizes: &self.sizes,
            limits: &self.limits,
        }
    }
}

/// Lays a design out in cells.
pub fn layout(
    design: &Design,
    direction: Direction,
    measure: &CellMeasure,
    fit: &Fit,
) -> CellLayout {
    let labels = shown_labels(design, fit.labels);
    let wrapping = FitWrap::new(design, direction, measure, fit);
    let wrap = wrapping.as_ref().map(FitWrap::wrap);
    // Lanes stay outside group frames in text: its own whole-cell ports and tracks can put
    // a lane leaving a frame on another line's column (issue 12's note).
    let graph = rank::layer(
        design,
        labels.iter().any(Option::is_some),
        wrap,
        false,
        false,
    );
    let order = order::order(&graph, design);
    let sizes = Sizes::new(design, &graph, direction, measure, &labels);
    let headers = vec![0.0; design.groups.len()];
    let placement = position::place(&graph, &order, design, &sizes.spans, &headers, GAPS);
    let start: Vec<usize> = placement.start.iter().map(|&s| snap(s)).collect();
    let group_along: Vec<Option<(usize, usize)>> = placement
        .groups
        .iter()
        .map(|g| g.map(|(s, size)| (snap(s), snap(size))))
        .collect();
    let ports = Ports::assign(&graph, &order, &start, &sizes.spans);
    let channels = Channels::assign(&graph, &ports);
    let across = Across::new(design, &graph, &sizes, &channels, direction, measure);
    Assembler {
        design,
        graph: &graph,
        sizes: &sizes,
        start: &start,
        ports: &ports,
        channels: &channels,
        across: &across,
        direction,
        extent: snap(placement.extent),
        labels: &labels,
    }
    .finish(&group_along)
}

/// How many cells the boxes of each band's widest rank and the gaps between them take,
/// unwrapped, and how wide its widest box is: the room rank limits are counted in.
pub fn band_rows(
    design: &Design,
    direction: Direction,
    measure: &CellMeasure,
) -> Vec<(usize, usize)> {
    let ranks = rank::component_ranks(design, false, None);
    let band_of = |c: usize| design.components[c].tier.unwrap_or(design.tiers.len());
    let mut rows: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    let mut bands = vec![(0usize, 0usize); design.tiers.len() + 1];
    for (c, component) in design.components.iter().enumerate() {
        let along = crate::layout::split(direction, measure.node(component)).0 as usize;
        let row = rows.entry(ranks.rank[c]).or_insert((band_of(c), 0));
        row.1 += along + if row.1 > 0 { GAPS.node_gap as usize } else { 0 };
        let band = &mut bands[band_of(c)];
        band.1 = band.1.max(along);
    }
    for (band, taken) in rows.into_values() {
        bands[band].0 = bands[band].0.max(taken);
    }
    bands
}

/// Each flow's label as laid out: its lines, and its marker. A label repeated on flows
/// that share their source or their target (a fan-out such as `a -> b, c : "REST"`) is
/// shown once; as markers, flows with the same text share a number.
fn shown_labels(design: &Design, labels: Labels) -> Vec<Option<ShownLabel>> {
    let mut seen: rustc_hash::FxHashSet<(bool, usize, &str)> = Default::default();
    let mut numbers: FxHashMap<&str, usize> = FxHashMap::default();
    design
        .flows
        .iter()
        .map(|flow| {
            let text = flow.label.as_deref()?;
            // Only a label shown stands for others: a chain of flows each sharing an end
            // with the next shows every other label.
            if seen.contains(&(true, flow.from, text)) || seen.contains(&(false, flow.to, text)) {
                return None;
            }
            seen.insert((true, flow.from, text));
            seen.insert((false, flow.to, text));
            Some(match labels {
                Labels::Wrapped(width) => ShownLabel {
                    lines: super::wrap(text, width),
                    marker: None,
                },
                Labels::Markers => {
                    let next = numbers.len() + 1;
                    let number = *numbers.entry(text).or_insert(next);
                    ShownLabel {
                        lines: vec![marker_text(number)],
                        marker: Some(number),
                    }
                }
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
struct ShownLabel {
    lines: Vec<String>,
    marker: Option<usize>,
}

/// How a marker reads on its line and in the legend.
pub fn marker_text(number: usize) -> String {
    format!("[{number}]")
}

/// A place from the position stage, on whole cells. Snapping down keeps every gap of
/// whole cells between two places (the tiny allowance absorbs rounding error).
fn snap(x: f64) -> usize {
    (x + 1e-6).floor().max(0.0) as usize
}

/// Sizes of the layered nodes along their rank (with where edges attach) and across it.
struct Sizes {
    spans: Vec<Span>,
    across: Vec<usize>,
}

impl Sizes {
    fn new(
        design: &Design,
        graph: &LayeredGraph,
        direction: Direction,
        measure: &CellMeasure,
        labels: &[Option<ShownLabel>],
    ) -> Self {
        // Each port takes a cell, and a cell apart from the next, inside the border.
        let mut lower = vec![0usize; graph.nodes.len()];
        let mut upper = vec![0usize; graph.nodes.len()];
        for edge in &graph.edges {
            for pair in edge.chain.windows(2) {
                lower[pair[0]] += 1;
                upper[pair[1]] += 1;
            }
        }
        let mut spans = Vec::with_capacity(graph.nodes.len());
        let mut across = Vec::with_capacity(graph.nodes.len());
        for (index, node) in graph.nodes.iter().enumerate() {
            let (along, size) = match node.kind {
                NodeKind::Component(id) => {
                    let size = measure.node(&design.components[id]);
                    let (w, h) = (size.w as usize, size.h as usize);
                    // A cell spare at each end, for moving a port aside (see `untangle`).
                    let ports = match lower[index].max(upper[index]) {
                        0 | 1 => 3,
                        many => 2 * many + 3,
                    };
                    match direction {
                        Direction::Down => (w.max(ports), h),
                        Direction::Right => (h.max(ports), w),
                    }
                }
                NodeKind::Dummy(_) => (1, 0),
                NodeKind::Label(flow) => match labels[flow].as_ref().map(|l| &l.lines) {
                    None => (1, 0),
                    Some(lines) => {
                        let width = lines
                            .iter()
                            .map(|l| measure.text(l, TextRole::EdgeLabel).w as usize)
                            .max()
                            .unwrap_or(0);
                        match direction {
                            // The lane, a blank, the text.
                            Direction::Down => (2 + width, lines.len()),
                            // The lane, the text under it.
                            Direction::Right => (1 + lines.len(), width),
                        }
                    }
                },
                NodeKind::Filler(_) => (0, 0),
            };
            let anchor = match node.kind {
                NodeKind::Component(_) => along / 2,
                _ => 0,
            };
            spans.push(Span {
                size: along as f64,
                anchor: anchor as f64,
            });
            across.push(size);
        }
        Sizes { spans, across }
    }

    fn along(&self, node: usize) -> usize {
        self.spans[node].size as usize
    }
}

/// Port of each edge hop on its upper node's lower side and its lower node's upper side.
struct Ports {
    from: Vec<Vec<usize>>,
    to: Vec<Vec<usize>>,
    /// How many ports are at each place on each node's lower (`[0]`) and upper (`[1]`)
    /// side, so a move is checked against a node's other ports without listing them.
    taken: Vec<[BTreeMap<usize, usize>; 2]>,
}

impl Ports {
    fn assign(graph: &LayeredGraph, order: &Order, start: &[usize], spans: &[Span]) -> Self {
        let attach = |node: usize| start[node] + spans[node].anchor as usize;
        // (other end's attach place, its place in its rank, edge, hop) on each side.
        type End = (usize, usize, usize, usize);
        let mut lower_side: Vec<Vec<End>> = vec![Vec::new(); graph.nodes.len()];
        let mut upper_side: Vec<Vec<End>> = vec![Vec::new(); graph.nodes.len()];
        for (edge, layered) in graph.edges.iter().enumerate() {
            for (hop, pair) in layered.chain.windows(2).enumerate() {
                let (upper, lower) = (pair[0], pair[1]);
                lower_side[upper].push((attach(lower), order.position[lower], edge, hop));
                upper_side[lower].push((attach(upper), order.position[upper], edge, hop));
            }
        }
        let mut ports = Ports {
            from: graph
                .edges
                .iter()
                .map(|e| vec![0; e.chain.len() - 1])
                .collect(),
            to: graph
                .edges
                .iter()
                .map(|e| vec![0; e.chain.len() - 1])
                .collect(),
            taken: vec![[BTreeMap::new(), BTreeMap::new()]; graph.nodes.len()],
        };
        for node in 0..graph.nodes.len() {
            let size = spans[node].size as usize;
            for (lower, side) in [
                (true, &mut lower_side[node]),
                (false, &mut upper_side[node]),
            ] {
                // Other ends in their order along the rank, so these edges do not cross.
                side.sort_unstable();
                let places = if graph.is_component(node) {
                    let wanted: Vec<usize> = side.iter().map(|s| s.0).collect();
                    component_ports(start[node], size, &wanted)
                } else {
                    vec![attach(node); side.len()]
                };
                for (&(_, _, edge, hop), place) in side.iter().zip(places) {
                    if lower {
                        ports.from[edge][hop] = place;
                    } else {
                        ports.to[edge][hop] = place;
                    }
                    *ports.taken[node][usize::from(!lower)]
                        .entry(place)
                        .or_default() += 1;
                }
            }
        }
        let hops = Hops::new(graph);
        ports.straighten(graph, start, spans);
        ports.untangle(graph, &hops, start, spans);
        ports
    }

    /// The port of a hop on its upper node's lower side, or its lower node's upper side.
    fn end(&self, (edge, hop): (usize, usize), lower: bool) -> usize {
        if lower {
            self.to[edge][hop]
        } else {
            self.from[edge][hop]
        }
    }

    /// Moves the port of a hop at `node` (its lower node when `lower`) to `place`.
    fn set_end(&mut self, node: usize, hop: (usize, usize), lower: bool, place: usize) {
        let (edge, index) = hop;
        let end = if lower {
            &mut self.to[edge][index]
        } else {
            &mut self.from[edge][index]
        };
        let before = std::mem::replace(end, place);
        let taken = &mut self.taken[node][usize::from(lower)];
        if let Some(count) = taken.get_mut(&before) {
            *count -= 1;
            if *count == 0 {
                taken.remove(&before);
            }
        }
        *taken.entry(place).or_default() += 1;
    }

    /// Whether a port of `node`'s side other than the one at `own` lies in `places`. It
    /// stops at the first such port, so it costs a lookup, not a count of the range.
    fn other_in(
        &self,
        node: usize,
        lower: bool,
        own: usize,
        places: impl std::ops::RangeBounds<usize>,
    ) -> bool {
        self.taken[node][usize::from(lower)]
            .range(places)
            .any(|(&place, &count)| count > usize::from(place == own))
    }

    /// A hop leaving from the column where another arrives must turn before it, and two
    /// hops that swap columns cannot both: where a box allows, one of the ports moves
    /// aside, so such constraints are rare and never contradict each other.
    fn untangle(&mut self, graph: &LayeredGraph, hops: &Hops, start: &[usize], spans: &[Span]) {
        for channel in &hops.by_channel {
            let mut arriving: FxHashMap<usize, (usize, usize)> = Default::default();
            // How many hops of the channel leave from (`[0]`) and arrive at (`[1]`) each column.
            let mut ends: [FxHashMap<usize, usize>; 2] = Default::default();
            for &hop in channel {
                arriving.insert(self.end(hop, true), hop);
                for lower in [false, true] {
                    *ends[usize::from(lower)]
                        .entry(self.end(hop, lower))
                        .or_default() += 1;
                }
            }
            for &hop in channel {
                let (from, to) = (self.end(hop, false), self.end(hop, true));
                let Some(&other) = arriving.get(&from) else {
                    continue;
                };
                if from == to {
                    continue;
                }
                // The arriving end or the leaving one, where it is a box with room.
                for (moving, lower) in [(other, true), (hop, false)] {
                    let before = self.end(moving, lower);
                    let other_side = &ends[usize::from(!lower)];
                    let Some(moved) = self.aside(graph, start, spans, moving, lower, other_side)
                    else {
                        continue;
                    };
                    let side = &mut ends[usize::from(lower)];
                    if let Some(count) = side.get_mut(&before) {
                        *count -= 1;
                        if *count == 0 {
                            side.remove(&before);
                        }
                    }
                    *side.entry(moved).or_default() += 1;
                    if lower {
                        arriving.remove(&before);
                        arriving.insert(moved, moving);
                    }
                    break;
                }
            }
        }
    }

    /// Moves the port of `hop` on its lower node's upper side (or its upper node's lower
    /// side) to the nearest free place, where the node is a box with room and no other hop
    /// of the channel ends in that column, keeping the order of the ports there if it
    /// can; returns the new place.
    fn aside(
        &mut self,
        graph: &LayeredGraph,
        start: &[usize],
        spans: &[Span],
        hop: (usize, usize),
        lower: bool,
        other_side: &FxHashMap<usize, usize>,
    ) -> Option<usize> {
        let chain = &graph.edges[hop.0].chain;
        let node = if lower {
            chain[hop.1 + 1]
        } else {
            chain[hop.1]
        };
        if !graph.is_component(node) {
            return None;
        }
        let size = spans[node].size as usize;
        let (low, high) = (start[node] + 1, start[node] + size - 2);
        let current = self.end(hop, lower);
        // Not where a hop of this channel ends on the other side: no new coincidence.
        let free = |place: usize, keep_order: bool| {
            (low..=high).contains(&place)
                && !other_side.contains_key(&place)
                && !self.other_in(node, lower, current, place..=place)
                && (!keep_order
                    || !self.other_in(node, lower, current, current.min(place)..current.max(place)))
        };
        // Out of order (two lines of the box cross) only when nothing else is free.
        let place = [true, false].into_iter().find_map(|keep_order| {
            (1..size)
                .flat_map(|d| [current + d, current.wrapping_sub(d)])
                .find(|&place| free(place, keep_order))
        })?;
        self.set_end(node, hop, lower, place);
        Some(place)
    }

    /// Moves a component's port in line with the other end of its hop where the box
    /// reaches and its neighbouring ports stay two cells away, so the hop runs straight.
    fn straighten(&mut self, graph: &LayeredGraph, start: &[usize], spans: &[Span]) {
        for (edge, layered) in graph.edges.iter().enumerate() {
            for (index, pair) in layered.chain.windows(2).enumerate() {
                let hop = (edge, index);
                let (a, b) = (self.end(hop, false), self.end(hop, true));
                if a == b {
                    continue;
                }
                // The lower end moves first: arrows then line up under their source.
                for (node, lower, target) in [(pair[1], true, a), (pair[0], false, b)] {
                    if !graph.is_component(node) {
                        continue;
                    }
                    let size = spans[node].size as usize;
                    let (low, high) = (start[node] + 1, start[node] + size - 2);
                    let current = if lower { b } else { a };
                    // No other port within a cell of the target, nor between it and here.
                    let near = target.saturating_sub(1)..=target + 1;
                    let between = current.min(target)..current.max(target);
                    let clear = !self.other_in(node, lower, current, near)
                        && !self.other_in(node, lower, current, between);
                    if (low..=high).contains(&target) && clear {
                        self.set_end(node, hop, lower, target);
                        break;
                    }
                }
            }
        }
    }
}

/// The hops of the layered edges, as (edge, hop), by the channel they run in.
struct Hops {
    /// Hops of each channel, by the rank above it.
    by_channel: Vec<Vec<(usize, usize)>>,
}

impl Hops {
    fn new(graph: &LayeredGraph) -> Self {
        let mut by_channel = vec![Vec::new(); graph.ranks.len()];
        for (edge, layered) in graph.edges.iter().enumerate() {
            for (hop, pair) in layered.chain.windows(2).enumerate() {
                by_channel[graph.nodes[pair[0]].rank].push((edge, hop));
            }
        }
        Hops { by_channel }
    }
}

/// Ports on one side of a box `size` cells long from `start`, for other ends wanted in
/// this order: as near in line with them as the box allows, two cells apart, never on a
/// corner.
fn component_ports(start: usize, size: usize, wanted: &[usize]) -> Vec<usize> {
    let count = wanted.len();
    if count == 0 {
        return Vec::new();
    }
    let (low, high) = (start + 1, start + size - 2);
    let gap = if high - low >= 2 * (count - 1) { 2 } else { 1 };
    let targets: Vec<f64> = wanted.iter().map(|&w| w.clamp(low, high) as f64).collect();
    let offsets: Vec<f64> = (0..count).map(|i| (i * gap) as f64).collect();
    let placed = position::pool_adjacent_violators(&targets, &vec![1.0; count], &offsets);
    let mut ports: Vec<usize> = Vec::with_capacity(count);
    for (i, &p) in placed.iter().enumerate() {
        let window = (low + i * gap, high.saturating_sub((count - 1 - i) * gap));
        let mut port = snap(p).max(window.0).min(window.1);
        if let Some(&previous) = ports.last() {
            port = port.max(previous + gap);
        }
        ports.push(port);
    }
    ports
}

/// The bent hops of each channel and the track each runs along.
struct Channels {
    /// Track of each edge hop (`None` when straight).
    track: Vec<Vec<Option<usize>>>,
    /// Tracks used in each channel.
    count: Vec<usize>,
}

impl Channels {
    fn assign(graph: &LayeredGraph, ports: &Ports) -> Self {
        let mut per_channel: Vec<Vec<Run>> = vec![Vec::new(); graph.ranks.len().saturating_sub(1)];
        let mut track: Vec<Vec<Option<usize>>> = graph
            .edges
            .iter()
            .map(|e| vec![None; e.chain.len() - 1])
            .collect();
        for (edge, layered) in graph.edges.iter().enumerate() {
            for hop in 0..layered.chain.len() - 1 {
                let (from, to) = (ports.from[edge][hop], ports.to[edge][hop]);
                if from != to {
                    let rank = graph.nodes[layered.chain[hop]].rank;
                    per_channel[rank].push(Run {
                        edge,
                        hop,
                        from,
                        to,
                    });
                }
            }
        }
        let count = per_channel
            .iter()
            .map(|runs| {
                let tracks = assign_tracks(runs);
                for (run, &t) in runs.iter().zip(&tracks) {
                    track[run.edge][run.hop] = Some(t);
                }
                tracks.iter().map(|&t| t + 1).max().unwrap_or(0)
            })
            .collect();
        Channels { track, count }
    }
}

#[derive(Debug, Clone, Copy)]
struct Run {
    edge: usize,
    hop: usize,
    from: usize,
    to: usize,
}

/// Tracks (0 nearest the upper rank) such that runs within a cell of each other never
/// share one: the shared assignment, with whole cells.
fn assign_tracks(runs: &[Run]) -> Vec<usize> {
    // Half a cell beyond the next one: runs a cell apart are within reach, two are not.
    const CELL_REACH: f64 = 1.5;
    let runs: Vec<tracks::Run> = runs
        .iter()
        .map(|run| tracks::Run {
            from: run.from as f64,
            to: run.to as f64,
        })
        .collect();
    tracks::assign(&runs, CELL_REACH)
}

/// Where everything goes across the ranks.
struct Across {
    /// First row (column, going right) of each rank's content, and its size.
    rank_start: Vec<usize>,
    rank_size: Vec<usize>,
    /// First track row of each channel.
    track_start: Vec<usize>,
    /// Border line before each band, and after the last.
    borders: Vec<usize>,
    /// Top and bottom border line of each group.
    group_lines: Vec<Option<(usize, usize)>>,
    end: usize,
}

impl Across {
    fn new(
        design: &Design,
        graph: &LayeredGraph,
        sizes: &Sizes,
        channels: &Channels,
        direction: Direction,
        measure: &CellMeasure,
    ) -> Self {
        let rank_count = graph.ranks.len();
        let has_box: Vec<bool> = graph
            .ranks
            .iter()
            .map(|nodes| nodes.iter().any(|&n| graph.is_component(n)))
            .collect();
        let rank_size: Vec<usize> = graph
            .ranks
            .iter()
            .map(|nodes| {
                // A lane needs a cell to pass through; a rank of nothing needs none.
                let lanes = nodes
                    .iter()
                    .any(|&n| !matches!(graph.nodes[n].kind, NodeKind::Filler(_)));
                let size = nodes.iter().map(|&n| sizes.across[n]).max().unwrap_or(0);
                size.max(usize::from(lanes))
            })
            .collect();
        let (group_ranks, top_depth, bottom_depth) = group_nesting(design, graph);
        let tops = |r: usize| {
            top_depth
                .iter()
                .zip(&group_ranks)
                .filter_map(|(d, g)| g.filter(|g| g.0 == r).map(|_| *d))
                .max()
                .unwrap_or(0)
        };
        let bottoms = |r: usize| {
            bottom_depth
                .iter()
                .zip(&group_ranks)
                .filter_map(|(d, g)| g.filter(|g| g.1 == r).map(|_| *d))
                .max()
                .unwrap_or(0)
        };
        let band_of_rank: Vec<usize> = {
            let mut of = vec![0; rank_count];
            for (b, band) in graph.bands.iter().enumerate() {
                of[band.first..band.first + band.count].fill(b);
            }
            of
        };
        // Going right, a tier's title sits on its top border: the tier is at least as
        // wide as its title.
        let title_room: Vec<usize> = graph
            .bands
            .iter()
            .map(|band| match direction {
                Direction::Down => 0,
                Direction::Right => {
                    let title = band_title(design, band.tier);
                    measure.text(title, TextRole::TierTitle).w as usize + 4
                }
            })
            .collect();
        let mut rank_start = vec![0; rank_count];
        let mut top_start = vec![0; rank_count];
        let mut bottom_start = vec![0; rank_count];
        let mut track_start = vec![0; rank_count.saturating_sub(1)];
        let mut borders = vec![0];
        let mut at = 1;
        let mut band_begin = 0;
        for r in 0..rank_count {
            if r > 0 {
                track_start[r - 1] = at;
                at += channels.count[r - 1];
            }
            top_start[r] = at;
            at += tops(r);
            let padded = usize::from(has_box[r]);
            at += padded;
            rank_start[r] = at;
            at += rank_size[r] + padded;
            bottom_start[r] = at;
            at += bottoms(r);
            let band = band_of_rank[r];
            if r + 1 == rank_count || band_of_rank[r + 1] != band {
                let inside = at - band_begin - 1;
                at += title_room[band].saturating_sub(inside);
                borders.push(at);
                at += 1;
                band_begin = at - 1;
            }
        }
        let group_lines = group_ranks
            .iter()
            .enumerate()
            .map(|(g, ranks)| {
                ranks.map(|(first, last)| {
                    (
                        top_start[first] + tops(first) - top_depth[g],
                        bottom_start[last] + bottom_depth[g] - 1,
                    )
                })
            })
            .collect();
        Across {
            rank_start,
            rank_size,
            track_start,
            borders,
            group_lines,
            end: at,
        }
    }
}

/// For each group: its first and last rank, how many top borders (itself and the groups
/// inside it that start in the same rank) and how many bottom borders stack there.
type Nesting = (Vec<Option<(usize, usize)>>, Vec<usize>, Vec<usize>);

fn group_nesting(design: &Design, graph: &LayeredGraph) -> Nesting {
    let count = design.groups.len();
    let mut ranks: Vec<Option<(usize, usize)>> = vec![None; count];
    for node in &graph.nodes {
        let mut group = node.group;
        while let Some(g) = group {
            let entry = ranks[g].get_or_insert((node.rank, node.rank));
            entry.0 = entry.0.min(node.rank);
            entry.1 = entry.1.max(node.rank);
            group = design.groups[g].parent;
        }
    }
    let mut top = vec![0; count];
    let mut bottom = vec![0; count];
    // Inner groups are declared after their parents: walking backwards sees them first.
    for g in (0..count).rev() {
        let Some((first, last)) = ranks[g] else {
            continue;
        };
        top[g] = top[g].max(1);
        bottom[g] = bottom[g].max(1);
        if let Some(parent) = design.groups[g].parent {
            if let Some((pf, pl)) = ranks[parent] {
                if pf == first {
                    top[parent] = top[parent].max(top[g] + 1);
                }
                if pl == last {
                    bottom[parent] = bottom[parent].max(bottom[g] + 1);
                }
            }
        }
    }
    (ranks, top, bottom)
}

fn band_title(design: &Design, tier: Option<usize>) -> &str {
    tier.map_or(UNTIERED_TITLE, |t| design.tiers[t].title.as_str())
}

struct Assembler<'a> {
    design: &'a Design,
    graph: &'a LayeredGraph,
    sizes: &'a Sizes,
    start: &'a [usize],
    ports: &'a Ports,
    channels: &'a Channels,
    across: &'a Across,
    direction: Direction,
    extent: usize,
    labels: &'a [Option<ShownLabel>],
}

impl Assembler<'_> {
    /// Along and across → column and row.
    fn cell(&self, along: usize, across: usize) -> (usize, usize) {
        match self.direction {
            Direction::Down => (along, across),
            Direction::Right => (across, along),
        }
    }

    fn rect(&self, along: usize, across: usize, along_size: usize, across_size: usize) -> CellRect {
        let (x, y) = self.cell(along, across);
        let (w, h) = self.cell(along_size, across_size);
        CellRect { x, y, w, h }
    }

    fn finish(self, group_along: &[Option<(usize, usize)>]) -> CellLayout {
        let design = self.design;
        let a = self.across;
        let routes: Vec<(usize, Vec<(usize, usize)>)> = (0..self.graph.edges.len())
            .map(|e| (self.graph.edges[e].flow, self.route(e)))
            .collect();
        let mut along_end = BAND_PAD + self.extent + BAND_PAD;
        let mut title_at = Vec::with_capacity(self.graph.bands.len());
        for (b, band) in self.graph.bands.iter().enumerate() {
            let width = text_width(band_title(design, band.tier));
            let at = match self.direction {
                Direction::Down => title_place(&routes, a.borders[b], width),
                Direction::Right => 2,
            };
            // `┌─`, a blank, the title, a blank, `─┐`.
            along_end = along_end.max(at + width + 4);
            title_at.push(at);
        }
        let bands = self
            .graph
            .bands
            .iter()
            .enumerate()
            .map(|(b, band)| {
                let rect = self.rect(
                    0,
                    a.borders[b],
                    along_end,
                    a.borders[b + 1] - a.borders[b] + 1,
                );
                Frame {
                    title_at: Some(rect.x + title_at[b]),
                    rect,
                    title: band_title(design, band.tier).to_string(),
                }
            })
            .collect();
        let groups = group_along
            .iter()
            .zip(&a.group_lines)
            .enumerate()
            .filter_map(|(g, (along, lines))| {
                let ((start, size), (top, bottom)) = ((*along)?, (*lines)?);
                Some(Frame {
                    rect: self.rect(BAND_PAD + start, top, size, bottom - top + 1),
                    title: design.groups[g].title.clone(),
                    title_at: None,
                })
            })
            .collect();
        let mut nodes = vec![CellRect::default(); design.components.len()];
        for (index, node) in self.graph.nodes.iter().enumerate() {
            if let NodeKind::Component(id) = node.kind {
                let size = self.sizes.across[index];
                let top = a.rank_start[node.rank] + (a.rank_size[node.rank] - size) / 2;
                nodes[id] = self.rect(
                    BAND_PAD + self.start[index],
                    top,
                    self.sizes.along(index),
                    size,
                );
            }
        }
        let edges = (0..design.flows.len())
            .map(|_| CellEdge {
                points: Vec::new(),
                dashed: false,
                label: None,
            })
            .collect();
        let mut layout = CellLayout {
            width: 0,
            height: 0,
            direction: self.direction,
            bands,
            groups,
            nodes,
            edges,
            legend: Vec::new(),
        };
        for ((_, points), layered) in routes.into_iter().zip(&self.graph.edges) {
            let flow = &design.flows[layered.flow];
            let route = &mut layout.edges[layered.flow];
            route.dashed = flow.mode == crate::syntax::ast::FlowMode::Async;
            route.points = points;
            route.label = self.labels[layered.flow].as_ref().and_then(|shown| {
                let node = *layered
                    .chain
                    .iter()
                    .find(|&&n| matches!(self.graph.nodes[n].kind, NodeKind::Label(_)))?;
                let rows = match self.direction {
                    Direction::Down => a.rank_size[self.graph.nodes[node].rank],
                    Direction::Right => shown.lines.len(),
                };
                Some(EdgeLabel {
                    at: self.label_at(node),
                    lines: shown.lines.clone(),
                    marker: shown.marker,
                    rows,
                })
            });
        }
        let (width, height) = self.cell(along_end, a.end);
        layout.width = width;
        layout.height = height;
        super::labels::widen(design, &mut layout);
        layout
    }

    /// Where a label node's text starts.
    fn label_at(&self, node: usize) -> (usize, usize) {
        let along = BAND_PAD + self.start[node];
        let rank = self.graph.nodes[node].rank;
        match self.direction {
            Direction::Down => self.cell(along + 2, self.across.rank_start[rank]),
            Direction::Right => self.cell(along + 1, self.across.rank_start[rank]),
        }
    }

    /// Across: the first cell before and after a node (outside a box, on a lane's ends).
    fn before(&self, node: usize) -> usize {
        let rank = self.graph.nodes[node].rank;
        let a = self.across;
        if self.graph.is_component(node) {
            let size = self.sizes.across[node];
            a.rank_start[rank] + (a.rank_size[rank] - size) / 2 - 1
        } else {
            a.rank_start[rank]
        }
    }

    fn after(&self, node: usize) -> usize {
        let rank = self.graph.nodes[node].rank;
        let a = self.across;
        if self.graph.is_component(node) {
            let size = self.sizes.across[node];
            a.rank_start[rank] + (a.rank_size[rank] - size) / 2 + size
        } else {
            a.rank_start[rank] + a.rank_size[rank] - 1
        }
    }

    fn route(&self, e: usize) -> Vec<(usize, usize)> {
        let layered = &self.graph.edges[e];
        let mut points: Vec<(usize, usize)> = Vec::new();
        for (hop, pair) in layered.chain.windows(2).enumerate() {
            let (from, to) = (
                BAND_PAD + self.ports.from[e][hop],
                BAND_PAD + self.ports.to[e][hop],
            );
            points.push((from, self.after(pair[0])));
            if let Some(track) = self.channels.track[e][hop] {
                let row = self.across.track_start[self.graph.nodes[pair[0]].rank] + track;
                points.push((from, row));
                points.push((to, row));
            }
            points.push((to, self.before(pair[1])));
        }
        if layered.reversed {
            points.reverse();
        }
        // The source's border cell, one step back towards the box.
        let first = points[0];
        let border = if layered.reversed {
            (first.0, first.1 + 1)
        } else {
            (first.0, first.1 - 1)
        };
        points.insert(0, border);
        simplify(
            points
                .into_iter()
                .map(|(along, across)| self.cell(along, across))
                .collect(),
        )
    }
}

/// Where a tier's title can go on the border line at `row` (drawn down): the first
/// column from the left where the title and a blank either side cross no flow.
fn title_place(routes: &[(usize, Vec<(usize, usize)>)], row: usize, width: usize) -> usize {
    let mut crossings: Vec<usize> = routes
        .iter()
        .flat_map(|(_, points)| points.windows(2))
        .filter(|pair| {
            pair[0].0 == pair[1].0
                && pair[0].1.min(pair[1].1) < row
                && pair[0].1.max(pair[1].1) > row
        })
        .map(|pair| pair[0].0)
        .collect();
    crossings.sort_unstable();
    let mut at = 2;
    for x in crossings {
        if x > at + width + 1 {
            break;
        }
        at = at.max(x + 1);
    }
    at
}

/// Drops repeated points and points on a straight line between their neighbours.
fn simplify(points: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
