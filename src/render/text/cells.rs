//! Layout in character cells. The rank, order, position and route stages of
//! [`crate::layout`] are shared with the pixel layout (sizes and gaps in cells, starts
//! snapped down to whole cells, which keeps every whole-cell gap; ports and tracks routed
//! on whole cells, because two lines a fraction of a cell apart would print as one).
//!
//! Coordinates are worked out along the ranks and across them, then turned into columns
//! and rows for the direction. Across the ranks, each rank gets its group frames' top
//! borders, a row for arrowheads, its boxes, a row under them and the group frames' bottom
//! borders; between two ranks lie the channel's tracks, and between two tiers their
//! shared border.

use super::grid::text_width;
use super::CellMeasure;
use crate::layout::order;
use crate::layout::position::{self, AlongSpacing, FirstPlaces, Span, TitleColumn};
use crate::layout::rank::{self, LayerEdge, LayeredGraph, NodeKind};
use crate::layout::route::{self, Routes, Routing};
use crate::layout::{Direction, Measure, TextRole, UNTIERED_TITLE};
use crate::model::Design;
use rustc_hash::FxHashMap;

/// Inside a tier frame, from its side to the content.
const BAND_PAD: usize = 2;
const GAPS: AlongSpacing = AlongSpacing {
    node_gap: 3.0,
    lane_gap: 1.0,
    group_pad: 2.0,
    title_column: TitleColumn::TopRow,
    first_places: FirstPlaces::Packed,
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

/// Room before each group's content where no line runs, so that its title, on the top
/// border above it, is never cut by a lane crossing the border: ` Title ` after `┌─`
/// ends where the content starts (the group's padding and a gap after the column).
fn title_columns(design: &Design, direction: Direction) -> Vec<f64> {
    design
        .groups
        .iter()
        .map(|group| match direction {
            Direction::Down => {
                let title = text_width(&group.title) as f64 + 4.0;
                (title - GAPS.group_pad - GAPS.node_gap).max(0.0)
            }
            Direction::Right => 0.0,
        })
        .collect()
}

/// The starts each ordering tries: a text drawing is laid out once for each way of
/// fitting it tried, so each gets fewer scrambled starts than a pixel drawing's one
/// ordering.
const TEXT_STARTS: order::Starts = order::Starts {
    most_restarts: 16,
    straight_lanes: false,
};

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
    let graph = rank::layer(design, labels.iter().any(Option::is_some), wrap, false);
    let order = order::order(&graph, design, TEXT_STARTS);
    let sizes = Sizes::new(design, &graph, direction, measure, &labels);
    let headers = title_columns(design, direction);
    let placement = position::place(&graph, &order, design, &sizes.spans, &headers, GAPS);
    let start: Vec<usize> = placement.start.iter().map(|&s| snap(s)).collect();
    let group_along: Vec<Option<(usize, usize)>> = placement
        .groups
        .iter()
        .map(|g| g.map(|(s, size)| (snap(s), snap(size))))
        .collect();
    let routes = route_cells(design, &graph, &start, &sizes.spans);
    let across = Across::new(design, &graph, &sizes, &routes.tracks, direction, measure);
    Assembler {
        design,
        graph: &graph,
        sizes: &sizes,
        start: &start,
        routes: &routes,
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
                    // A cell spare at each end, for moving a port aside (`Routing::step`).
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

/// The router's spacing in whole cells: ports two cells apart (a box is sized to hold
/// them so) and never on a corner, ports moved aside by whole cells, a run of lanes
/// only where lanes trade places and at most once, by a cell towards the start of its
/// rank (into the gap before it, so a label's text after its lane stays inside the
/// label's room), runs within a cell of
/// each other on tracks of their own (half a cell beyond the next one: runs a cell apart
/// are within reach, two are not), and no merged fan-ins, whose junctions a reader could
/// not follow to one flow.
const ROUTING: Routing = Routing {
    grid: 1.0,
    separation: 1.5,
    port_gap: 2.0,
    margin_share: 1.0,
    margin_most: 1.0,
    lane_step: -1.0,
    lane_reach: 1.0,
    lane_cycles_only: true,
    step: 1.0,
    reach: f64::INFINITY,
    straighten: f64::INFINITY,
    merge: false,
};

/// Routes on whole cells. A box `size` cells long reaches from its first cell to its
/// last, `size - 1` further, which is the side the router spreads ports along.
fn route_cells(design: &Design, graph: &LayeredGraph, start: &[usize], spans: &[Span]) -> Routes {
    let start: Vec<f64> = start.iter().map(|&s| s as f64).collect();
    let sides: Vec<Span> = spans
        .iter()
        .map(|span| Span {
            size: (span.size - 1.0).max(0.0),
            anchor: span.anchor,
        })
        .collect();
    route::route(design, graph, &start, &sides, ROUTING)
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
        tracks: &[usize],
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
                at += tracks[r - 1];
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
    routes: &'a Routes,
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
                let index = layered
                    .chain
                    .iter()
                    .position(|&n| matches!(self.graph.nodes[n].kind, NodeKind::Label(_)))?;
                let node = layered.chain[index];
                let rows = match self.direction {
                    Direction::Down => a.rank_size[self.graph.nodes[node].rank],
                    Direction::Right => shown.lines.len(),
                };
                Some(EdgeLabel {
                    at: self.label_at(node, self.port(layered, index - 1).1),
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

    /// Where the text of a label node whose lane is at `along` starts.
    fn label_at(&self, node: usize, along: usize) -> (usize, usize) {
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

    /// Along: the ports of the `index`th step of an edge's chain, at its upper and its
    /// lower node, and its track's row, if it bends.
    fn port(&self, layered: &LayerEdge, index: usize) -> (usize, usize, Option<usize>) {
        let channel = self.graph.nodes[layered.chain[index]].rank;
        let segment = self.routes.segment(channel, layered.hops[index]);
        let track = segment
            .track
            .map(|t| self.across.track_start[channel] + t as usize);
        // A lane moved aside from the start of its rank is in the band's padding.
        let along = |x: f64| snap(BAND_PAD as f64 + x);
        (along(segment.from), along(segment.to), track)
    }

    fn route(&self, e: usize) -> Vec<(usize, usize)> {
        let layered = &self.graph.edges[e];
        let mut points: Vec<(usize, usize)> = Vec::new();
        for (index, pair) in layered.chain.windows(2).enumerate() {
            let (from, to, track) = self.port(layered, index);
            points.push((from, self.after(pair[0])));
            if let Some(row) = track {
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
