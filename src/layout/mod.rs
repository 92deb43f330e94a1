//! Stage 4, layout: a design → boxes, bands, frames and orthogonal edge routes.
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

use crate::model::{Component, Design, FlowId, GroupId, TierId};
use position::{AlongSpacing, Span};
use rank::NodeKind;

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
}

impl Spacing {
    /// Spacing for drawings in pixels.
    pub fn pixels() -> Self {
        Spacing {
            margin: 16.0,
            node_gap: 28.0,
            lane: 2.0,
            lane_gap: 10.0,
            channel_margin: 16.0,
            min_channel: 40.0,
            track_gap: 7.0,
            band_pad: 18.0,
            group_pad: 12.0,
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
    pub label: Option<Rect>,
}

/// The title of the band of components declared outside any tier.
pub const UNTIERED_TITLE: &str = "Other";

pub fn layout(design: &Design, options: &LayoutOptions) -> Layout {
    Builder::new(design, options).build()
}

struct Builder<'a> {
    design: &'a Design,
    options: &'a LayoutOptions<'a>,
    spacing: Spacing,
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

fn split(direction: Direction, size: Size) -> (f64, f64) {
    match direction {
        Direction::Down => (size.w, size.h),
        Direction::Right => (size.h, size.w),
    }
}

impl<'a> Builder<'a> {
    fn new(design: &'a Design, options: &'a LayoutOptions<'a>) -> Self {
        Builder {
            design,
            options,
            spacing: options.spacing,
        }
    }

    fn build(self) -> Layout {
        let design = self.design;
        let direction = self.options.direction;
        let measure = self.options.measure;
        let s = self.spacing;
        let spread = design.flows.iter().any(|f| f.label.is_some());
        let graph = rank::layer(design, spread);
        let order = order::order(&graph, design);

        // Sizes of the layered nodes: along their rank (span) and across it.
        let mut spans = Vec::with_capacity(graph.nodes.len());
        let mut across = Vec::with_capacity(graph.nodes.len());
        let mut label_sizes: Vec<Option<Size>> = vec![None; design.flows.len()];
        for node in &graph.nodes {
            let (span, size) = match node.kind {
                NodeKind::Component(id) => {
                    let (a, c) = split(direction, measure.node(&design.components[id]));
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
                        size: s.lane,
                        anchor: s.lane / 2.0,
                    },
                    0.0,
                ),
                NodeKind::Label(flow) => {
                    let text = design.flows[flow].label.as_deref().unwrap_or_default();
                    let size = measure.text(text, TextRole::EdgeLabel);
                    label_sizes[flow] = Some(size);
                    labels::node_span(size, s.lane, direction)
                }
                NodeKind::Filler(_) => (
                    Span {
                        size: 0.0,
                        anchor: 0.0,
                    },
                    0.0,
                ),
            };
            spans.push(span);
            across.push(size);
        }
        let group_titles: Vec<Size> = design
            .groups
            .iter()
            .map(|g| measure.text(&g.title, TextRole::GroupTitle))
            .collect();
        let headers: Vec<f64> = group_titles
            .iter()
            .map(|&t| split(direction, t).0)
            .collect();
        let placement = position::place(
            &graph,
            &order,
            design,
            &spans,
            &headers,
            AlongSpacing {
                node_gap: s.node_gap,
                lane_gap: s.lane_gap,
                group_pad: s.group_pad,
            },
        );
        let routes = route::route(&graph, &placement.start, &spans, s.track_gap / 2.0);

        // Ranks of each group, and the rank where its title goes.
        let mut group_ranks: Vec<Option<(usize, usize)>> = vec![None; design.groups.len()];
        for node in &graph.nodes {
            let mut group = node.group;
            while let Some(g) = group {
                let entry = group_ranks[g].get_or_insert((node.rank, node.rank));
                entry.0 = entry.0.min(node.rank);
                entry.1 = entry.1.max(node.rank);
                group = design.groups[g].parent;
            }
        }
        let depth_of = |mut g: GroupId| {
            let mut depth = 0;
            while let Some(parent) = design.groups[g].parent {
                depth += 1;
                g = parent;
            }
            depth
        };

        // Size of each rank across: its tallest node, or a group title starting there.
        let mut rank_size = vec![0.0f64; graph.ranks.len()];
        for (index, node) in graph.nodes.iter().enumerate() {
            rank_size[node.rank] = rank_size[node.rank].max(across[index]);
        }
        for (g, ranks) in group_ranks.iter().enumerate() {
            if let Some((first, _)) = ranks {
                rank_size[*first] = rank_size[*first].max(split(direction, group_titles[g]).1);
            }
        }

        // Tier titles in a header strip before the content, along the ranks.
        let band_titles: Vec<Size> = graph
            .bands
            .iter()
            .map(|band| {
                let title = band
                    .tier
                    .map_or(UNTIERED_TITLE, |t| design.tiers[t].title.as_str());
                measure.text(title, TextRole::TierTitle)
            })
            .collect();
        let header_along = band_titles
            .iter()
            .map(|&t| split(direction, t).0)
            .fold(0.0, f64::max);
        let title_strip = self.options.title.map_or(0.0, |t| t.h + s.margin);
        let content_along = s.margin + s.band_pad + header_along + s.band_pad;
        let along_end = content_along + placement.extent + s.band_pad + s.margin;

        // Across: bands, ranks and channels in order.
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
        let mut rank_start = vec![0.0; graph.ranks.len()];
        let mut channel_start = vec![0.0; channel_size.len()];
        let mut band_rects = Vec::with_capacity(graph.bands.len());
        let mut at = s.margin;
        for (b, band) in graph.bands.iter().enumerate() {
            let band_start = at;
            let last = band.first + band.count - 1;
            let natural: f64 = (band.first..=last).map(|r| rank_size[r]).sum::<f64>()
                + (band.first..last).map(|r| channel_size[r]).sum::<f64>();
            let needed = split(direction, band_titles[b]).1;
            let extra = (needed - natural).max(0.0);
            at += s.band_pad + extra / 2.0;
            for rank in band.first..=last {
                rank_start[rank] = at;
                at += rank_size[rank];
                if rank < last {
                    channel_start[rank] = at;
                    at += channel_size[rank];
                }
            }
            at += extra / 2.0;
            if last < channel_size.len() {
                // The channel to the next band lies inside this band, before its edge.
                channel_start[last] = at;
                at += channel_size[last];
            }
            at += s.band_pad;
            band_rects.push((band_start, at - band_start));
        }
        let across_end = at + s.margin;

        let shift = |mut rect: Rect| {
            rect.y += title_strip;
            rect
        };
        let place = |along: f64, across: f64, a: f64, c: f64| {
            shift(oriented(direction, along, across, a, c))
        };
        let point = |along: f64, across: f64| {
            let r = place(along, across, 0.0, 0.0);
            (r.x, r.y)
        };

        let bands = graph
            .bands
            .iter()
            .zip(&band_rects)
            .enumerate()
            .map(|(b, (band, &(start, size)))| {
                let (ta, tc) = split(direction, band_titles[b]);
                BandBox {
                    tier: band.tier,
                    rect: place(s.margin, start, along_end - 2.0 * s.margin, size),
                    title: place(s.margin + s.band_pad, start + s.band_pad, ta, tc),
                }
            })
            .collect();

        let mut nodes = vec![Rect::default(); design.components.len()];
        for (index, node) in graph.nodes.iter().enumerate() {
            if let NodeKind::Component(id) = node.kind {
                let rank_top = rank_start[node.rank] + (rank_size[node.rank] - across[index]) / 2.0;
                nodes[id] = place(
                    content_along + placement.start[index],
                    rank_top,
                    spans[index].size,
                    across[index],
                );
            }
        }

        let mut groups = Vec::new();
        for (g, ranks) in group_ranks.iter().enumerate() {
            let (Some((first, last)), Some((start, size))) = (ranks, placement.groups[g]) else {
                continue;
            };
            let depth = depth_of(g);
            let pad = (s.channel_margin * 0.6 - 3.0 * depth as f64).max(1.0);
            let top = rank_start[*first] - pad;
            let bottom = rank_start[*last] + rank_size[*last] + pad;
            let (ta, tc) = split(direction, group_titles[g]);
            groups.push(GroupBox {
                group: g,
                depth,
                rect: place(content_along + start, top, size, bottom - top),
                title: place(
                    content_along + start + s.group_pad,
                    rank_start[*first],
                    ta,
                    tc,
                ),
            });
        }

        let index = routes.index(&graph);
        let mut edges: Vec<EdgeRoute> = design
            .flows
            .iter()
            .enumerate()
            .map(|(flow, _)| EdgeRoute {
                flow,
                points: Vec::new(),
                label: None,
            })
            .collect();
        for (e, layered) in graph.edges.iter().enumerate() {
            let lower_side = |node: usize| match graph.nodes[node].kind {
                NodeKind::Component(_) => {
                    let rank = graph.nodes[node].rank;
                    rank_start[rank] + (rank_size[rank] + across[node]) / 2.0
                }
                _ => rank_start[graph.nodes[node].rank] + rank_size[graph.nodes[node].rank],
            };
            let upper_side = |node: usize| match graph.nodes[node].kind {
                NodeKind::Component(_) => {
                    let rank = graph.nodes[node].rank;
                    rank_start[rank] + (rank_size[rank] - across[node]) / 2.0
                }
                _ => rank_start[graph.nodes[node].rank],
            };
            let mut points: Vec<(f64, f64)> = Vec::new();
            for (hop, pair) in layered.chain.windows(2).enumerate() {
                let (channel, at) = index[e][hop];
                let segment = &routes.channels[channel][at];
                points.push((content_along + segment.from, lower_side(pair[0])));
                if let Some(track) = segment.track {
                    let used = routes.tracks[channel];
                    let gap = track_gap(used, s.track_gap);
                    let runs = used.saturating_sub(1) as f64 * gap;
                    let first_track = channel_start[channel] + (channel_size[channel] - runs) / 2.0;
                    let y = first_track + track as f64 * gap;
                    points.push((content_along + segment.from, y));
                    points.push((content_along + segment.to, y));
                }
                points.push((content_along + segment.to, upper_side(pair[1])));
            }
            let mut points = simplify(points);
            if layered.reversed {
                points.reverse();
            }
            let route = &mut edges[layered.flow];
            route.points = points.into_iter().map(|(a, c)| point(a, c)).collect();
            for &node in &layered.chain {
                if let NodeKind::Label(flow) = graph.nodes[node].kind {
                    let size = label_sizes[flow].unwrap_or_default();
                    let (ta, tc) = split(direction, size);
                    let rank = graph.nodes[node].rank;
                    let along = content_along + labels::text_start(placement.start[node], s.lane);
                    let across = rank_start[rank] + (rank_size[rank] - tc) / 2.0;
                    route.label = Some(place(along, across, ta, tc));
                }
            }
        }

        let (width, height) = match direction {
            Direction::Down => (along_end, across_end + title_strip),
            Direction::Right => (across_end, along_end + title_strip),
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
            direction,
            title,
            bands,
            groups,
            nodes,
            edges,
            crossings: order.crossings,
        }
    }
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
