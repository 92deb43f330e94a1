//! Layout: a design → boxes, bands, frames and orthogonal edge routes.
//!
//! A layered (Sugiyama) layout adapted to tiers, in stages with typed outputs, each
//! reusable by any renderer: [`rank`] (layered graph), [`order`] (order in each rank),
//! [`position`] (places along the ranks), [`route`] (ports and tracks), [`labels`]. Sizes
//! come from a [`Measure`], so a text renderer can lay out in character cells. Every tie
//! breaks by declaration order: the same design always gives the same layout.

pub mod labels;
pub mod order;
pub mod position;
pub mod rank;
pub mod route;
pub mod tracks;

use crate::model::{Component, Design, FlowId, GroupId, TierId};
use position::{AlongSpacing, FirstPlaces, Span, TitleColumn};
use rank::{LayerEdge, NodeKind, SharedEnd};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Tiers are rows, flows run down.
    #[default]
    Down,
    /// Tiers are columns, flows run right.
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

pub type Point = (f64, f64);

/// Which text is being measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    EdgeLabel,
    TierTitle,
    GroupTitle,
}

/// How big things are, in the renderer's unit (pixels, character cells…).
pub trait Measure {
    fn node(&self, component: &Component) -> Size;
    fn text(&self, text: &str, role: TextRole) -> Size;
}

/// Distances in the renderer's unit.
#[derive(Debug, Clone, Copy)]
pub struct Spacing {
    /// Around the whole drawing.
    pub margin: f64,
    /// Between boxes in a rank.
    pub node_gap: f64,
    /// Width of the lane a long edge takes through a rank.
    pub lane: f64,
    /// Next to a lane.
    pub lane_gap: f64,
    /// Between a rank and the nearest track, and the least height of a channel.
    pub channel_margin: f64,
    pub min_channel: f64,
    /// Between two tracks, and the least distance between two ports.
    pub track_gap: f64,
    /// Inside a tier band around its ranks, and between its title and its content.
    pub band_pad: f64,
    /// Inside a group frame around its content.
    pub group_pad: f64,
    /// How long a rank may be and still be read at full size on a page: a longer one
    /// may wrap (see [`Wrapping`]), never shorter than this.
    pub readable_rank: f64,
}

impl Spacing {
    /// Spacing for drawings in pixels.
    pub fn pixels() -> Self {
        Spacing {
            margin: 16.0,
            node_gap: 28.0,
            lane: 2.0,
            lane_gap: 10.0,
            channel_margin: 12.0,
            min_channel: 24.0,
            track_gap: 7.0,
            band_pad: 18.0,
            group_pad: 12.0,
            readable_rank: 1600.0,
        }
    }
}

pub struct LayoutOptions<'a> {
    pub direction: Direction,
    pub measure: &'a dyn Measure,
    pub spacing: Spacing,
    /// Room at the top for a title, if any.
    pub title: Option<Size>,
}

/// A laid-out design, in the renderer's unit; `x, y` of a rectangle is its top-left.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub direction: Direction,
    pub title: Option<Rect>,
    pub bands: Vec<BandBox>,
    pub groups: Vec<GroupBox>,
    /// Box of each component, by component index.
    pub nodes: Vec<Rect>,
    /// Route of each flow, by flow index.
    pub edges: Vec<EdgeRoute>,
    /// Crossings between edges, counted on the ordered layered graph.
    pub crossings: u64,
}

#[derive(Debug, Clone)]
pub struct BandBox {
    pub tier: Option<TierId>,
    pub rect: Rect,
    pub title: Rect,
}

#[derive(Debug, Clone)]
pub struct GroupBox {
    pub group: GroupId,
    pub depth: usize,
    pub rect: Rect,
    pub title: Rect,
}

#[derive(Debug, Clone)]
pub struct EdgeRoute {
    pub flow: FlowId,
    /// From the source's border to the target's border, horizontal and vertical pieces.
    pub points: Vec<Point>,
    /// For a flow bundled into a trunk that an earlier flow's route already draws, the
    /// rest: from the junction to the target or, merging into the trunk, from the source
    /// to the junction. A renderer draws it instead of `points`, so a trunk is drawn once.
    pub branch: Option<Vec<Point>>,
    pub label: Option<Rect>,
}

impl EdgeRoute {
    /// The points to draw, and whether they end at the target (with an arrowhead).
    pub fn drawn(&self) -> (&[Point], bool) {
        match &self.branch {
            None => (&self.points, true),
            Some(branch) => (branch, branch.last() == self.points.last()),
        }
    }
}

/// The title of the band of components declared outside any tier.
pub const UNTIERED_TITLE: &str = "Other";

pub fn layout(design: &Design, options: &LayoutOptions) -> Layout {
    let s = options.spacing;
    let spread = design.flows.iter().any(|f| f.label.is_some());
    let wrapping = Wrapping::plan(design, options);
    let mut graph = rank::layer(design, spread, wrapping.as_ref().map(Wrapping::wrap), true);
    let order = order::order(&graph, design, order::PIXEL_STARTS);
    let sizes = NodeSizes::measure(design, &graph, options);
    let texts = Titles::measure(design, &graph, options);
    let headers: Vec<f64> = texts.groups.iter().map(|&t| texts.along(t)).collect();
    let along = AlongSpacing {
        node_gap: s.node_gap,
        lane_gap: s.lane_gap,
        group_pad: s.group_pad,
        title_column: TitleColumn::WholeHeight,
        first_places: if wrapping.is_some() {
            FirstPlaces::Centred
        } else {
            FirstPlaces::Packed
        },
    };
    let placement = position::place(&graph, &order, design, &sizes.spans, &headers, along);
    // A dense graph's order and neighbour lists are as large as its lanes: from here on
    // only the count of crossings is needed of them.
    let crossings = order.crossings;
    drop(order);
    graph.release_neighbours();
    let routes = route::route(
        design,
        &graph,
        &placement.start,
        &sizes.spans,
        route::Routing::pixels(s.track_gap / 2.0),
    );
    let group_ranks = group_ranks(design, &graph);
    let room = TitleRoom::place(&graph, &placement, &sizes.spans, &group_ranks, &texts, s);
    let across = Across::place(&graph, &routes, &sizes, &group_ranks, &texts, &room, s);
    let content_along = room.content_along;
    let drawing = Drawing {
        design,
        graph: &graph,
        options,
        sizes: &sizes,
        texts: &texts,
        placement: &placement,
        routes: &routes,
        across: &across,
        content_along,
        title_along: &room.title_along,
        along_end: content_along + placement.extent.max(room.end) + s.band_pad + s.margin,
        title_strip: options.title.map_or(0.0, |t| t.h + s.margin),
    };
    drawing.finish(&group_ranks, crossings)
}

/// Width over height a drawing is wrapped towards: a drawing much wider than this shrinks
/// in a page or docs column until its text cannot be read.
const TARGET_ASPECT: f64 = 2.0;

/// The most rows a rank wraps onto. A flow from a box in one row to below crosses every
/// row under it, so the lanes a wrapped rank makes grow with its rows: capped, they stay
/// a constant share of the flows however large the design (a fan-in of 16,000 flows
/// wrapped to the aspect alone took 1,800 rows and time growing ×3.7 per doubling).
const MOST_ROWS: f64 = 8.0;

/// How long a rank of boxes may grow before the next boxes wrap onto a row below, chosen
/// so that a drawing with ranks longer than can be read at full size comes near
/// [`TARGET_ASPECT`]: the row lengths and depths of the unwrapped ranks estimate the
/// drawing's extent for each limit, lanes left out.
pub struct Wrapping {
    /// Room each component takes along its rank, its gap to the next included.
    sizes: Vec<f64>,
    /// The same limit for every band (tiers, then the untiered band).
    limits: Vec<Option<f64>>,
}

impl Wrapping {
    /// `None` when the unwrapped drawing's ranks are readable or it is no wider than the
    /// target.
    pub fn plan(design: &Design, options: &LayoutOptions) -> Option<Self> {
        let labels = design.flows.iter().any(|f| f.label.is_some());
        let s = options.spacing;
        let boxes: Vec<(f64, f64)> = design
            .components
            .iter()
            .map(|c| split(options.direction, options.measure.node(c)))
            .collect();
        let sizes: Vec<f64> = boxes.iter().map(|&(along, _)| along + s.node_gap).collect();
        let ranks = rank::component_ranks(design, false, None);
        let mut rows = vec![(0.0f64, 0.0f64); ranks.rank_count];
        for (id, &(_, across)) in boxes.iter().enumerate() {
            let row = &mut rows[ranks.rank[id]];
            *row = (row.0 + sizes[id], row.1.max(across));
        }
        // Between two rows: a channel, and a rank of labels with a second channel.
        let channel = s.min_channel.max(2.0 * s.channel_margin);
        let between = channel * if labels { 2.5 } else { 1.0 };
        let extent = |limit: f64| {
            let along = rows.iter().map(|r| r.0.min(limit)).fold(0.0, f64::max);
            let across: f64 = rows
                .iter()
                .map(|&(length, depth)| (length / limit).ceil().max(1.0) * (depth + between))
                .sum();
            (along, across)
        };
        let ratio = |limit: f64| {
            let (along, across) = extent(limit);
            match options.direction {
                Direction::Down => along / across.max(1.0),
                Direction::Right => across / along.max(1.0),
            }
        };
        let widest = sizes.iter().copied().fold(s.readable_rank, f64::max);
        let longest = rows.iter().map(|r| r.0).fold(0.0, f64::max);
        let too_wide = |limit: f64| match options.direction {
            Direction::Down => ratio(limit) > TARGET_ASPECT,
            Direction::Right => ratio(limit) < 1.0 / TARGET_ASPECT,
        };
        if longest <= widest || !too_wide(longest) {
            return None;
        }
        let (mut low, mut high) = (widest, longest);
        for _ in 0..40 {
            let middle = (low + high) / 2.0;
            if too_wide(middle) {
                high = middle;
            } else {
                low = middle;
            }
        }
        Some(Wrapping {
            sizes,
            limits: vec![Some(low.max(longest / MOST_ROWS)); design.tiers.len() + 1],
        })
    }

    pub fn wrap(&self) -> rank::RankWrap<'_> {
        rank::RankWrap {
            sizes: &self.sizes,
            limits: &self.limits,
        }
    }
}

/// What [`least_size`] counts each rank's items and ranks apart by.
#[derive(Debug, Clone, Copy)]
pub struct LeastGaps {
    /// Between two items of a rank.
    pub gap: f64,
    /// Room a lane takes.
    pub lane: f64,
    /// Between two ranks.
    pub channel: f64,
    /// The layout shares trunks (see [`rank`]).
    pub bundle: bool,
}

/// The least width and height any layout of the design can have, from its ranks alone
/// (wrapped by `wrap`, as the layout wraps them): each rank at least as long as its boxes
/// and lanes side by side, and the ranks at least as deep as their deepest boxes. Lanes
/// are counted, not made, so a drawing too large is refused in the time of ranking its
/// components, before it is laid out.
pub fn least_size(
    design: &Design,
    direction: Direction,
    measure: &dyn Measure,
    gaps: LeastGaps,
    wrap: Option<rank::RankWrap>,
) -> Size {
    let LeastGaps {
        gap,
        lane,
        channel,
        bundle,
    } = gaps;
    let ranks = rank::component_ranks(design, false, wrap);
    let lanes = ranks.lanes(design, bundle);
    let mut length: Vec<f64> = lanes.iter().map(|&n| n as f64 * lane).collect();
    let mut items = lanes.clone();
    let mut depth = vec![0.0f64; ranks.rank_count];
    for (id, component) in design.components.iter().enumerate() {
        let (along, across) = split(direction, measure.node(component));
        let rank = ranks.rank[id];
        length[rank] += along;
        items[rank] += 1;
        depth[rank] = depth[rank].max(across);
    }
    let along = length
        .iter()
        .zip(&items)
        .map(|(&length, &count)| length + gap * count.saturating_sub(1) as f64)
        .fold(0.0, f64::max);
    let across = depth.iter().sum::<f64>() + channel * ranks.rank_count.saturating_sub(1) as f64;
    let (w, h) = split(
        direction,
        Size {
            w: along,
            h: across,
        },
    );
    Size { w, h }
}

/// Converts along/across coordinates (along a rank / across ranks) into x/y.
fn oriented(
    direction: Direction,
    along: f64,
    across: f64,
    along_size: f64,
    across_size: f64,
) -> Rect {
    match direction {
        Direction::Down => Rect {
            x: along,
            y: across,
            w: along_size,
            h: across_size,
        },
        Direction::Right => Rect {
            x: across,
            y: along,
            w: across_size,
            h: along_size,
        },
    }
}

/// A size as (along the ranks, across them).
pub(crate) fn split(direction: Direction, size: Size) -> (f64, f64) {
    match direction {
        Direction::Down => (size.w, size.h),
        Direction::Right => (size.h, size.w),
    }
}

/// Sizes of the layered nodes: along their rank (span) and across it.
struct NodeSizes {
    spans: Vec<Span>,
    across: Vec<f64>,
    labels: Vec<Option<Size>>,
}

impl NodeSizes {
    fn measure(design: &Design, graph: &rank::LayeredGraph, options: &LayoutOptions) -> Self {
        let (direction, lane) = (options.direction, options.spacing.lane);
        let mut sizes = NodeSizes {
            spans: Vec::with_capacity(graph.nodes.len()),
            across: Vec::with_capacity(graph.nodes.len()),
            labels: vec![None; design.flows.len()],
        };
        for node in &graph.nodes {
            let (span, across) = match node.kind {
                NodeKind::Component(id) => {
                    let (a, c) = split(direction, options.measure.node(&design.components[id]));
                    (
                        Span {
                            size: a,
                            anchor: a / 2.0,
                        },
                        c,
                    )
                }
                NodeKind::Dummy(_) => (
                    Span {
                        size: lane,
                        anchor: lane / 2.0,
                    },
                    0.0,
                ),
                NodeKind::Label(flow) => {
                    let text = design.flows[flow].label.as_deref().unwrap_or_default();
                    let size = options.measure.text(text, TextRole::EdgeLabel);
                    sizes.labels[flow] = Some(size);
                    labels::node_span(size, lane, direction)
                }
                NodeKind::Filler(_) => (
                    Span {
                        size: 0.0,
                        anchor: 0.0,
                    },
                    0.0,
                ),
            };
            sizes.spans.push(span);
            sizes.across.push(across);
        }
        sizes
    }
}

/// Sizes of the tier and group titles.
struct Titles {
    direction: Direction,
    bands: Vec<Size>,
    groups: Vec<Size>,
}

impl Titles {
    fn measure(design: &Design, graph: &rank::LayeredGraph, options: &LayoutOptions) -> Self {
        let text = |t: &str, role| options.measure.text(t, role);
        Titles {
            direction: options.direction,
            bands: graph
                .bands
                .iter()
                .map(|band| {
                    let title = band
                        .tier
                        .map_or(UNTIERED_TITLE, |t| design.tiers[t].title.as_str());
                    text(title, TextRole::TierTitle)
                })
                .collect(),
            groups: design
                .groups
                .iter()
                .map(|g| text(&g.title, TextRole::GroupTitle))
                .collect(),
        }
    }

    fn along(&self, size: Size) -> f64 {
        split(self.direction, size).0
    }

    fn across(&self, size: Size) -> f64 {
        split(self.direction, size).1
    }
}

/// Room for the bands' titles. Titles longer along a rank than across it (tiers as rows)
/// sit in the top strip of their band, over its first rank: at the start, or past the
/// lines that run down through the strip there (lanes, and flows into the rank's boxes
/// from above). A box under a title moves across, out of the title's way, with its rank.
/// Titles deeper than long (tiers as columns) take a strip of their own before the content.
struct TitleRoom {
    /// Where content starts along the ranks.
    content_along: f64,
    /// Where each band's title starts along, from where content starts.
    title_along: Vec<f64>,
    /// Room each band leaves across before its first rank.
    clearance: Vec<f64>,
    /// How deep each band's first rank must be at least, for the title over it: horizontal
    /// lines in the channel below it pass under the title.
    first_rank_depth: Vec<f64>,
    /// The furthest a title reaches along, from where content starts.
    end: f64,
}

impl TitleRoom {
    fn place(
        graph: &rank::LayeredGraph,
        placement: &position::Placement,
        spans: &[Span],
        group_ranks: &[Option<(usize, usize)>],
        texts: &Titles,
        s: Spacing,
    ) -> Self {
        let longest = texts
            .bands
            .iter()
            .map(|&t| texts.along(t))
            .fold(0.0, f64::max);
        let deepest = texts
            .bands
            .iter()
            .map(|&t| texts.across(t))
            .fold(0.0, f64::max);
        let start = s.margin + s.band_pad;
        if longest <= deepest {
            return TitleRoom {
                content_along: start + longest + s.band_pad,
                title_along: vec![-(longest + s.band_pad); graph.bands.len()],
                clearance: vec![0.0; graph.bands.len()],
                first_rank_depth: vec![0.0; graph.bands.len()],
                end: 0.0,
            };
        }
        let first_ranks = FirstRanks::new(graph, placement, spans, group_ranks);
        let (mut title_along, mut clearance, mut first_rank_depth) =
            (Vec::new(), Vec::new(), Vec::new());
        for (band, &title) in graph.bands.iter().zip(&texts.bands) {
            let length = texts.along(title) + s.node_gap;
            let at = first_free(&first_ranks.lines(band.first), length, s.lane_gap);
            title_along.push(at);
            let (cleared, over) = if first_ranks.taken(band.first, at, length) {
                (texts.across(title) + s.band_pad / 2.0, 0.0)
            } else {
                (0.0, texts.across(title))
            };
            clearance.push(cleared);
            first_rank_depth.push(over);
        }
        let end = title_along
            .iter()
            .zip(&texts.bands)
            .map(|(&at, &title)| at + texts.along(title))
            .fold(0.0, f64::max);
        TitleRoom {
            content_along: start,
            title_along,
            clearance,
            first_rank_depth,
            end,
        }
    }
}

/// What lies along the first rank of each band, for the band's title to find room among.
struct FirstRanks<'a> {
    graph: &'a rank::LayeredGraph,
    placement: &'a position::Placement,
    spans: &'a [Span],
    group_ranks: &'a [Option<(usize, usize)>],
    entered_from_above: Vec<bool>,
}

impl<'a> FirstRanks<'a> {
    fn new(
        graph: &'a rank::LayeredGraph,
        placement: &'a position::Placement,
        spans: &'a [Span],
        group_ranks: &'a [Option<(usize, usize)>],
    ) -> Self {
        let mut entered_from_above = vec![false; graph.nodes.len()];
        for hop in &graph.hops {
            entered_from_above[hop.lower] = true;
        }
        FirstRanks {
            graph,
            placement,
            spans,
            group_ranks,
            entered_from_above,
        }
    }

    fn extent(&self, node: usize) -> (f64, f64) {
        let from = self.placement.start[node];
        (from, from + self.spans[node].size)
    }

    /// Where lines run down through the top of `rank`: its lanes, and its boxes that
    /// flows enter from above.
    fn lines(&self, rank: usize) -> Vec<(f64, f64)> {
        self.graph.ranks[rank]
            .iter()
            .filter(|&&node| {
                !matches!(self.graph.nodes[node].kind, NodeKind::Component(_))
                    || self.entered_from_above[node]
            })
            .map(|&node| self.extent(node))
            .collect()
    }

    /// Whether a box or a group frame of `rank` lies along `length` from `at`.
    fn taken(&self, rank: usize, at: f64, length: f64) -> bool {
        let covers = |(from, to): (f64, f64)| from < at + length && to > at;
        let boxes = self.graph.ranks[rank]
            .iter()
            .any(|&n| covers(self.extent(n)));
        let groups = self
            .group_ranks
            .iter()
            .zip(&self.placement.groups)
            .any(|(ranks, block)| {
                ranks.is_some_and(|(first, _)| first == rank)
                    && block.is_some_and(|(from, size)| covers((from, from + size)))
            });
        boxes || groups
    }
}

/// The first place from 0 along where `length` fits between the given extents, `gap`
/// clear of them.
fn first_free(extents: &[(f64, f64)], length: f64, gap: f64) -> f64 {
    let mut sorted = extents.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut at = 0.0f64;
    for (from, to) in sorted {
        if from >= at + length + gap {
            break;
        }
        at = at.max(to + gap);
    }
    at
}

/// First and last rank of each group (its title goes in the first).
fn group_ranks(design: &Design, graph: &rank::LayeredGraph) -> Vec<Option<(usize, usize)>> {
    let mut ranks: Vec<Option<(usize, usize)>> = vec![None; design.groups.len()];
    for node in &graph.nodes {
        let mut group = node.group;
        while let Some(g) = group {
            let entry = ranks[g].get_or_insert((node.rank, node.rank));
            entry.0 = entry.0.min(node.rank);
            entry.1 = entry.1.max(node.rank);
            group = design.groups[g].parent;
        }
    }
    ranks
}

/// Positions across the ranks: bands, ranks and the channels between them, in order.
struct Across {
    rank_start: Vec<f64>,
    rank_size: Vec<f64>,
    channel_start: Vec<f64>,
    channel_size: Vec<f64>,
    /// Start and size of each band.
    bands: Vec<(f64, f64)>,
    end: f64,
}

impl Across {
    fn place(
        graph: &rank::LayeredGraph,
        routes: &route::Routes,
        sizes: &NodeSizes,
        group_ranks: &[Option<(usize, usize)>],
        texts: &Titles,
        room: &TitleRoom,
        s: Spacing,
    ) -> Self {
        // A rank is as deep as its deepest node, or a group title starting there.
        let mut rank_size = vec![0.0f64; graph.ranks.len()];
        for (index, node) in graph.nodes.iter().enumerate() {
            rank_size[node.rank] = rank_size[node.rank].max(sizes.across[index]);
        }
        for (g, ranks) in group_ranks.iter().enumerate() {
            if let Some((first, _)) = ranks {
                rank_size[*first] = rank_size[*first].max(texts.across(texts.groups[g]));
            }
        }
        for (band, &depth) in graph.bands.iter().zip(&room.first_rank_depth) {
            rank_size[band.first] = rank_size[band.first].max(depth);
        }
        // A rank with no node at all (a label rank nothing crosses) takes no room.
        let channel_size: Vec<f64> = routes
            .tracks
            .iter()
            .enumerate()
            .map(|(r, &t)| {
                if graph.ranks[r].is_empty() || graph.ranks[r + 1].is_empty() {
                    return 0.0;
                }
                let tracks = t.saturating_sub(1) as f64 * track_gap(t, s.track_gap);
                (2.0 * s.channel_margin + tracks).max(s.min_channel)
            })
            .collect();
        let mut across = Across {
            rank_start: vec![0.0; graph.ranks.len()],
            rank_size,
            channel_start: vec![0.0; channel_size.len()],
            channel_size,
            bands: Vec::with_capacity(graph.bands.len()),
            end: 0.0,
        };
        let mut at = s.margin;
        for (b, band) in graph.bands.iter().enumerate() {
            let band_start = at;
            let last = band.first + band.count - 1;
            let natural: f64 = (band.first..=last)
                .map(|r| across.rank_size[r])
                .sum::<f64>()
                + (band.first..last)
                    .map(|r| across.channel_size[r])
                    .sum::<f64>();
            // A band is at least as deep as its title (tall titles when ranks run right).
            let extra = (texts.across(texts.bands[b]) - natural).max(0.0);
            at += s.band_pad + room.clearance[b] + extra / 2.0;
            for rank in band.first..=last {
                across.rank_start[rank] = at;
                at += across.rank_size[rank];
                if rank < last {
                    across.channel_start[rank] = at;
                    at += across.channel_size[rank];
                }
            }
            at += extra / 2.0;
            // The channel to the next band lies inside this band, before its edge; its
            // margins keep the tracks off the edge, as the band's padding would.
            let to_next = across.channel_size.get(last).copied().unwrap_or(0.0);
            if last < across.channel_size.len() {
                across.channel_start[last] = at;
            }
            at += if to_next > 0.0 { to_next } else { s.band_pad };
            across.bands.push((band_start, at - band_start));
        }
        across.end = at + s.margin;
        across
    }

    /// Where track `track` of `channel` runs.
    fn track(&self, routes: &route::Routes, channel: usize, track: usize, gap: f64) -> f64 {
        let used = routes.tracks[channel];
        let gap = track_gap(used, gap);
        let runs = used.saturating_sub(1) as f64 * gap;
        self.channel_start[channel] + (self.channel_size[channel] - runs) / 2.0 + track as f64 * gap
    }
}

/// Everything placed, ready to be turned into the output's boxes and routes.
struct Drawing<'a> {
    design: &'a Design,
    graph: &'a rank::LayeredGraph,
    options: &'a LayoutOptions<'a>,
    sizes: &'a NodeSizes,
    texts: &'a Titles,
    placement: &'a position::Placement,
    routes: &'a route::Routes,
    across: &'a Across,
    /// Where the content starts along the ranks, after the tier titles.
    content_along: f64,
    /// Where each band's title starts along, from where content starts.
    title_along: &'a [f64],
    along_end: f64,
    /// Room above everything for the drawing's title.
    title_strip: f64,
}

impl Drawing<'_> {
    fn rect(&self, along: f64, across: f64, along_size: f64, across_size: f64) -> Rect {
        let mut rect = oriented(
            self.options.direction,
            along,
            across,
            along_size,
            across_size,
        );
        rect.y += self.title_strip;
        rect
    }

    fn point(&self, along: f64, across: f64) -> Point {
        let r = self.rect(along, across, 0.0, 0.0);
        (r.x, r.y)
    }

    fn finish(&self, group_ranks: &[Option<(usize, usize)>], crossings: u64) -> Layout {
        let s = self.options.spacing;
        let (width, height) = match self.options.direction {
            Direction::Down => (self.along_end, self.across.end + self.title_strip),
            Direction::Right => (self.across.end, self.along_end + self.title_strip),
        };
        let title = self.options.title.map(|t| Rect {
            x: s.margin,
            y: s.margin,
            w: t.w,
            h: t.h,
        });
        Layout {
            width: width.max(title.map_or(0.0, |t| t.w + 2.0 * s.margin)),
            height,
            direction: self.options.direction,
            title,
            bands: self.bands(),
            groups: self.groups(group_ranks),
            nodes: self.nodes(),
            edges: self.edges(),
            crossings,
        }
    }

    fn bands(&self) -> Vec<BandBox> {
        let s = self.options.spacing;
        self.graph
            .bands
            .iter()
            .zip(&self.across.bands)
            .zip(&self.texts.bands)
            .zip(self.title_along)
            .map(|(((band, &(start, size)), &title), &title_along)| {
                let (ta, tc) = split(self.options.direction, title);
                let title_start = self.content_along + title_along;
                BandBox {
                    tier: band.tier,
                    rect: self.rect(s.margin, start, self.along_end - 2.0 * s.margin, size),
                    title: self.rect(title_start, start + s.band_pad, ta, tc),
                }
            })
            .collect()
    }

    /// Each component's box, centred across its rank.
    fn nodes(&self) -> Vec<Rect> {
        let mut nodes = vec![Rect::default(); self.design.components.len()];
        for (index, node) in self.graph.nodes.iter().enumerate() {
            if let NodeKind::Component(id) = node.kind {
                let (rank, across) = (node.rank, self.sizes.across[index]);
                let top =
                    self.across.rank_start[rank] + (self.across.rank_size[rank] - across) / 2.0;
                let start = self.content_along + self.placement.start[index];
                nodes[id] = self.rect(start, top, self.sizes.spans[index].size, across);
            }
        }
        nodes
    }

    fn groups(&self, group_ranks: &[Option<(usize, usize)>]) -> Vec<GroupBox> {
        let s = self.options.spacing;
        let mut groups = Vec::new();
        for (g, ranks) in group_ranks.iter().enumerate() {
            let (Some((first, last)), Some((start, size))) = (ranks, self.placement.groups[g])
            else {
                continue;
            };
            let mut depth = 0;
            let mut parent = self.design.groups[g].parent;
            while let Some(p) = parent {
                depth += 1;
                parent = self.design.groups[p].parent;
            }
            // Nested frames sit inside their parents' frames, all inside the channels.
            let pad = (s.channel_margin * 0.6 - 3.0 * depth as f64).max(1.0);
            let top = self.across.rank_start[*first] - pad;
            let bottom = self.across.rank_start[*last] + self.across.rank_size[*last] + pad;
            let (ta, tc) = split(self.options.direction, self.texts.groups[g]);
            let start = self.content_along + start;
            groups.push(GroupBox {
                group: g,
                depth,
                rect: self.rect(start, top, size, bottom - top),
                title: self.rect(start + s.group_pad, self.across.rank_start[*first], ta, tc),
            });
        }
        groups
    }

    fn edges(&self) -> Vec<EdgeRoute> {
        let mut edges: Vec<EdgeRoute> = (0..self.design.flows.len())
            .map(|flow| EdgeRoute {
                flow,
                points: Vec::new(),
                branch: None,
                label: None,
            })
            .collect();
        // Each trunk split from a shared upper end (by its first hop): the points of its
        // hops as far as the routes so far reach, where each hop's points start, and how
        // many hops the routes draw. Each trunk joined into a shared lower end (by its
        // last hop): the rank of the highest lane the routes so far draw.
        let mut splits: FxHashMap<u32, TrunkPoints> = FxHashMap::default();
        let mut joins: FxHashMap<u32, usize> = FxHashMap::default();
        for layered in &self.graph.edges {
            let route = &mut edges[layered.flow];
            let oriented = |mut points: Vec<Point>| {
                if layered.reversed {
                    points.reverse();
                }
                points.into_iter().map(|(a, c)| self.point(a, c)).collect()
            };
            let (points, branch) = match layered.bundled {
                Some(SharedEnd::Upper) => {
                    let trunk = splits.entry(layered.hops[0]).or_default();
                    self.split_points(layered, trunk)
                }
                Some(SharedEnd::Lower) => {
                    let last = layered.hops[layered.hops.len() - 1];
                    self.joined_points(layered, joins.entry(last).or_insert(usize::MAX))
                }
                None => (self.polyline(&layered.chain, &layered.hops), None),
            };
            route.points = oriented(points);
            route.branch = branch.map(oriented);
            // A label a trunk shares is drawn once, with the flow it was made for.
            route.label = layered
                .chain
                .iter()
                .find_map(|&node| self.label(node, layered.flow));
        }
        edges
    }

    /// The points of a flow bundled into a trunk that splits, and the part of them an
    /// earlier route of its trunk does not already draw (none when no earlier route shares
    /// a hop with it). Its chain is the trunk's lanes and then one hop off it; every flow
    /// of a trunk walks the same hops along it, so their points are made once, in `trunk`.
    fn split_points(
        &self,
        layered: &LayerEdge,
        trunk: &mut TrunkPoints,
    ) -> (Vec<Point>, Option<Vec<Point>>) {
        let along_trunk = layered.hops.len() - 1;
        for step in trunk.starts.len()..along_trunk {
            trunk.starts.push(trunk.points.len());
            let hop = &layered.chain[step..step + 2];
            self.hop_points(hop, layered.hops[step], &mut trunk.points);
        }
        let to_branch = trunk.starts.get(along_trunk).copied();
        let mut points = trunk.points[..to_branch.unwrap_or(trunk.points.len())].to_vec();
        let own_hop = points.len();
        let last = &layered.chain[along_trunk..];
        self.hop_points(last, layered.hops[along_trunk], &mut points);
        let shared = trunk.drawn.min(along_trunk);
        trunk.drawn = trunk.drawn.max(along_trunk);
        let branch = (shared > 0).then(|| {
            let start = if shared < along_trunk {
                trunk.starts[shared]
            } else {
                own_hop
            };
            simplify(points[start..].to_vec())
        });
        (simplify(points), branch)
    }

    /// The points of a flow that joins a trunk into a shared lower end, and the part of them
    /// an earlier route of its trunk does not already draw: from its source to the
    /// highest lane drawn (none when no earlier route has drawn any). Its chain is one
    /// hop onto the trunk, then the trunk's lanes down to the end. `highest` is the rank
    /// of the highest lane the routes so far draw.
    fn joined_points(
        &self,
        layered: &LayerEdge,
        highest: &mut usize,
    ) -> (Vec<Point>, Option<Vec<Point>>) {
        let points = self.polyline(&layered.chain, &layered.hops);
        let joins = self.graph.nodes[layered.chain[1]].rank;
        let branch = (*highest != usize::MAX).then(|| {
            // The lanes from where this flow joins down to the highest one drawn, and a
            // hop onto the first of them.
            let hops = 1 + highest.saturating_sub(joins);
            self.polyline(&layered.chain[..=hops], &layered.hops[..hops])
        });
        *highest = (*highest).min(joins);
        (points, branch)
    }

    /// The points (along, across) of a chain of hops, from its upper end to its lower end.
    fn polyline(&self, chain: &[usize], hops: &[u32]) -> Vec<Point> {
        let mut points: Vec<Point> = Vec::new();
        for (pair, &hop) in chain.windows(2).zip(hops) {
            self.hop_points(pair, hop, &mut points);
        }
        simplify(points)
    }

    /// Adds the points of one hop, from the node `pair[0]` down to `pair[1]`.
    fn hop_points(&self, pair: &[usize], hop: u32, points: &mut Vec<Point>) {
        let gap = self.options.spacing.track_gap;
        let channel = self.graph.nodes[pair[0]].rank;
        let segment = self.routes.segment(channel, hop);
        let (from, to) = (
            self.content_along + segment.from,
            self.content_along + segment.to,
        );
        points.push((from, self.lower_side(pair[0])));
        if let Some(track) = segment.track {
            let y = self.across.track(self.routes, channel, track as usize, gap);
            points.push((from, y));
            points.push((to, y));
        }
        points.push((to, self.upper_side(pair[1])));
    }

    /// Where edges leave a node downwards: a component's side, or the end of a lane's rank.
    fn lower_side(&self, node: usize) -> f64 {
        let rank = self.graph.nodes[node].rank;
        let (start, size) = (self.across.rank_start[rank], self.across.rank_size[rank]);
        match self.graph.nodes[node].kind {
            NodeKind::Component(_) => start + (size + self.sizes.across[node]) / 2.0,
            _ => start + size,
        }
    }

    fn upper_side(&self, node: usize) -> f64 {
        let rank = self.graph.nodes[node].rank;
        let (start, size) = (self.across.rank_start[rank], self.across.rank_size[rank]);
        match self.graph.nodes[node].kind {
            NodeKind::Component(_) => start + (size - self.sizes.across[node]) / 2.0,
            _ => start,
        }
    }

    /// The label of `flow`, if `node` is where it is drawn.
    fn label(&self, node: usize, flow: FlowId) -> Option<Rect> {
        if self.graph.nodes[node].kind != NodeKind::Label(flow) {
            return None;
        }
        let (ta, tc) = split(
            self.options.direction,
            self.sizes.labels[flow].unwrap_or_default(),
        );
        let rank = self.graph.nodes[node].rank;
        let lane = self.options.spacing.lane;
        let along = self.content_along + labels::text_start(self.placement.start[node], lane);
        let across = self.across.rank_start[rank] + (self.across.rank_size[rank] - tc) / 2.0;
        Some(self.rect(along, across, ta, tc))
    }
}

/// The points of a trunk's hops as far as the routes so far reach.
#[derive(Default)]
struct TrunkPoints {
    points: Vec<Point>,
    /// Where each hop's points start in `points`.
    starts: Vec<usize>,
    /// How many of its hops the routes so far draw.
    drawn: usize,
}

/// Tracks in a crowded channel move closer together (down to a third of the gap), so a
/// large design does not become mostly empty channels.
fn track_gap(tracks: usize, gap: f64) -> f64 {
    const ROOMY: usize = 24;
    if tracks <= ROOMY {
        gap
    } else {
        (gap * ROOMY as f64 / tracks as f64).max(gap / 3.0)
    }
}

/// Drops points that lie on a straight line between their neighbours, and repeats.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|&q| q == p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
