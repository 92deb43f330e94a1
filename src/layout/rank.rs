//! Layout stage 1: components → a layered graph. Each tier owns a contiguous range of
//! ranks (tiers in declaration order); inside a tier, longest path gives sub-ranks. Cycles
//! are broken by reversing edges, long edges get one dummy node per rank they cross, and a
//! labelled edge gets a label node, so later stages see only edges between adjacent ranks.
//! Bundled, the long unlabelled flows that leave a component the same way share one lane
//! (a trunk) down to the deepest of them, each branching off above its own end: a
//! fan-out is drawn as the guide draws it, and a dense graph has lanes in proportion to
//! its flows rather than to its flows times their lengths. Long flows with the same label
//! share a trunk too, with one label node, split from a common upper end or joined into a
//! common lower end.

use crate::model::{ComponentId, Design, FlowId, GroupId, TierId};
use crate::syntax::ast::FlowMode;
use rustc_hash::FxHashMap;

/// What a node of the layered graph stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Component(ComponentId),
    /// Where a long edge crosses a rank (the first flow of a trunk, for a shared lane).
    Dummy(FlowId),
    /// Where a labelled edge crosses a rank, with room for its label beside it.
    Label(FlowId),
    /// Keeps a group's frame whole in a rank where the group has no member.
    Filler(GroupId),
}

#[derive(Debug, Clone)]
pub struct LayerNode {
    pub kind: NodeKind,
    pub rank: usize,
    /// The innermost group the node is drawn in.
    pub group: Option<GroupId>,
}

/// One flow as a chain of layered nodes, from the upper rank to the lower.
#[derive(Debug, Clone)]
pub struct LayerEdge {
    pub flow: FlowId,
    /// The flow points up (its target is ranked above its source).
    pub reversed: bool,
    pub chain: Vec<usize>,
    /// Index into `LayeredGraph::hops` of each step of the chain.
    pub hops: Vec<u32>,
    /// Its lanes are a trunk it shares with other flows, and which of its ends the trunk
    /// shares.
    pub bundled: Option<SharedEnd>,
}

/// The end a trunk's flows have in common.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedEnd {
    /// The trunk leaves it and splits, each flow branching off above its own lower end.
    Upper,
    /// Each flow joins the trunk below its own upper end, and the trunk runs into it.
    Lower,
}

/// A tier's band: the ranks `first..first + count`.
#[derive(Debug, Clone)]
pub struct Band {
    /// `None` for the band of components declared outside any tier.
    pub tier: Option<TierId>,
    pub first: usize,
    pub count: usize,
}

#[derive(Debug, Clone)]
pub struct LayeredGraph {
    /// Node `i < components.len()` is component `i`; dummies, labels and fillers follow.
    pub nodes: Vec<LayerNode>,
    /// Nodes of each rank, in declaration order (the order stage's starting point).
    pub ranks: Vec<Vec<usize>>,
    pub edges: Vec<LayerEdge>,
    /// Each step between adjacent ranks that is drawn: a step along a shared lane once,
    /// however many flows take it.
    pub hops: Vec<Hop>,
    /// The lanes of each trunk or unbundled long edge, from the top down: consecutive
    /// node indices, one per rank.
    pub lane_runs: Vec<std::ops::Range<usize>>,
    pub bands: Vec<Band>,
    /// Neighbours of each node in the rank above, once per hop (parallel edges repeat),
    /// with how many flows take the hop (all of a trunk's that pass there).
    pub up: Adjacency<(usize, u32)>,
    /// Neighbours of each node in the rank below, with the flows of the hop.
    pub down: Adjacency<(usize, u32)>,
}

/// A step from a node in one rank to a node in the next.
#[derive(Debug, Clone, Copy)]
pub struct Hop {
    pub upper: usize,
    pub lower: usize,
    /// The first flow that takes it.
    pub flow: FlowId,
}

/// A list of items for each node, all in one array: a dense graph has millions of lane
/// nodes, and a list of its own for each would cost more than the nodes themselves.
#[derive(Debug, Clone)]
pub struct Adjacency<T = usize> {
    /// Node `i`'s items are `items[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    items: Vec<T>,
}

impl<T> Adjacency<T> {
    /// No nodes, no items.
    pub fn empty() -> Self {
        Adjacency {
            start: vec![0],
            items: Vec::new(),
        }
    }
}

impl<T: Copy + Default> Adjacency<T> {
    /// From (node, item) pairs, each node's items in the order given.
    pub fn new(nodes: usize, pairs: &[(usize, T)]) -> Self {
        let mut start = vec![0; nodes + 1];
        for &(node, _) in pairs {
            start[node + 1] += 1;
        }
        for i in 0..nodes {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut items = vec![T::default(); pairs.len()];
        for &(node, item) in pairs {
            items[next[node]] = item;
            next[node] += 1;
        }
        Adjacency { start, items }
    }
}

impl<T> std::ops::Index<usize> for Adjacency<T> {
    type Output = [T];

    fn index(&self, node: usize) -> &[T] {
        &self.items[self.start[node]..self.start[node + 1]]
    }
}

impl LayeredGraph {
    pub fn is_component(&self, node: usize) -> bool {
        matches!(self.nodes[node].kind, NodeKind::Component(_))
    }

    /// A dummy or label node: where a flow's line crosses a rank.
    pub fn is_lane(&self, node: usize) -> bool {
        matches!(
            self.nodes[node].kind,
            NodeKind::Dummy(_) | NodeKind::Label(_)
        )
    }

    /// More than one hop meets `node` on a side: at a lane, a trunk splits into branches
    /// there, or flows merge into one.
    pub fn is_branching(&self, node: usize) -> bool {
        self.up[node].len() > 1 || self.down[node].len() > 1
    }

    /// Frees the neighbour lists, which only ordering and placing read: a dense graph's
    /// are as large as its lanes, and routing and drawing need the room.
    pub fn release_neighbours(&mut self) {
        self.up = Adjacency::empty();
        self.down = Adjacency::empty();
    }
}

/// How much of a rank its components may take up before the next ones move to a rank of
/// their own below, in the same tier, as a long row of words wraps onto the next line.
#[derive(Debug, Clone, Copy)]
pub struct RankWrap<'a> {
    /// Room each component takes along its rank, its gap to the next included.
    pub sizes: &'a [f64],
    /// The limit for the ranks of each band (by tier, then the untiered band); a band
    /// without one, or past the end, does not wrap.
    pub limits: &'a [Option<f64>],
}

/// Where each component goes before any lane is added: its rank, the bands, and which
/// way each flow points. `spread_for_labels` leaves a rank after each row of components
/// that a labelled flow leaves (see `label_gaps`), so that every labelled edge has a
/// middle node to carry its label; `wrap`, if given, caps how wide a rank of components
/// grows.
pub struct ComponentRanks {
    /// Rank of each component.
    pub rank: Vec<usize>,
    pub rank_count: usize,
    bands: Vec<Band>,
    downward: Vec<bool>,
}

pub fn component_ranks(
    design: &Design,
    spread_for_labels: bool,
    wrap: Option<RankWrap>,
) -> ComponentRanks {
    let bands_of = band_of_components(design);
    let band_count = design.tiers.len() + usize::from(bands_of.contains(&design.tiers.len()));
    let downward = orient_flows(design, &bands_of);
    let mut sub_rank = sub_ranks(design, &bands_of, &downward);
    if let Some(wrap) = wrap {
        sub_rank = wrapped(design, &bands_of, &downward, &sub_rank, wrap);
    }
    let mut band_size = vec![1usize; band_count];
    for (component, &band) in bands_of.iter().enumerate() {
        band_size[band] = band_size[band].max(sub_rank[component] + 1);
    }
    let band_first: Vec<usize> = band_size
        .iter()
        .scan(0, |first, &size| {
            let this = *first;
            *first += size;
            Some(this)
        })
        .collect();
    let row: Vec<usize> = (0..design.components.len())
        .map(|id| band_first[bands_of[id]] + sub_rank[id])
        .collect();
    let rows = band_size.iter().sum();
    let label_gap = label_gaps(design, &downward, &row, rows, spread_for_labels);
    // Rows of components in order, each followed by a rank for labels where one is needed.
    let mut row_rank = Vec::with_capacity(label_gap.len());
    let mut next = 0;
    for &gap in &label_gap {
        row_rank.push(next);
        next += 1 + usize::from(gap);
    }
    let bands = band_size
        .iter()
        .zip(&band_first)
        .enumerate()
        .map(|(band, (&size, &first))| {
            let last = first + size - 1;
            Band {
                tier: (band < design.tiers.len()).then_some(band),
                first: row_rank[first],
                count: row_rank[last] + 1 + usize::from(label_gap[last]) - row_rank[first],
            }
        })
        .collect();
    let rank = row.iter().map(|&r| row_rank[r]).collect();
    let rank_count = next;
    ComponentRanks {
        rank,
        rank_count,
        bands,
        downward,
    }
}

impl ComponentRanks {
    /// How many lanes cross each rank: a flow takes one in every rank between its ends,
    /// a trunk (`bundle`) one over the reach of its flows. Counted without making them,
    /// for estimates of a drawing's size.
    pub fn lanes(&self, design: &Design, bundle: bool) -> Vec<usize> {
        let mut change = vec![0isize; self.rank_count + 1];
        let keys = if bundle {
            trunk_keys(design, &self.downward, &self.rank)
        } else {
            vec![None; design.flows.len()]
        };
        let mut trunks: FxHashMap<TrunkKey, (usize, usize)> = FxHashMap::default();
        for (flow, key) in design.flows.iter().zip(keys) {
            let (a, b) = (self.rank[flow.from], self.rank[flow.to]);
            let (top, bottom) = (a.min(b), a.max(b));
            if bottom <= top + 1 {
                continue;
            }
            match key {
                Some(key) => {
                    let reach = trunks.entry(key).or_insert((top, bottom));
                    *reach = (reach.0.min(top), reach.1.max(bottom));
                }
                None => {
                    change[top + 1] += 1;
                    change[bottom] -= 1;
                }
            }
        }
        for (top, bottom) in trunks.into_values() {
            change[top + 1] += 1;
            change[bottom] -= 1;
        }
        let mut lanes = Vec::with_capacity(self.rank_count);
        let mut crossing = 0isize;
        for delta in &change[..self.rank_count] {
            crossing += delta;
            lanes.push(crossing as usize);
        }
        lanes
    }
}

/// The flows that share a trunk: long, drawn alike (mode, optional, label), the same way,
/// inside the same group, and with the same component at the trunk's shared end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TrunkKey<'d> {
    shared: ComponentId,
    /// The shared end is the flows' upper end (the trunk splits towards their lower ends),
    /// else their lower end (the flows join the trunk on the way to it).
    at_upper: bool,
    reversed: bool,
    mode: FlowMode,
    optional: bool,
    group: Option<GroupId>,
    label: Option<&'d str>,
}

/// The trunk each flow takes, if any. Long unlabelled flows leaving one component the
/// same way share one from it. Long flows with the same label share one, with the label
/// once, from their common upper end where two or more have one, else into their common
/// lower end: a fan-out or fan-in of one kind of call reads as one line with one label.
fn trunk_keys<'d>(
    design: &'d Design,
    downward: &[bool],
    rank: &[usize],
) -> Vec<Option<TrunkKey<'d>>> {
    let key = |flow: FlowId, at_upper: bool| {
        let f = &design.flows[flow];
        let reversed = !downward[flow];
        let (upper, lower) = ends(design, flow, reversed);
        TrunkKey {
            shared: if at_upper { upper } else { lower },
            at_upper,
            reversed,
            mode: f.mode,
            optional: f.optional,
            group: common_group(design, upper, lower),
            label: f.label.as_deref(),
        }
    };
    let long: Vec<bool> = (0..design.flows.len())
        .map(|flow| {
            let (upper, lower) = ends(design, flow, !downward[flow]);
            rank[lower] > rank[upper] + 1
        })
        .collect();
    let labelled = |flow: FlowId| design.flows[flow].label.is_some();
    let mut keys: Vec<Option<TrunkKey>> = (0..design.flows.len())
        .map(|flow| (long[flow] && !labelled(flow)).then(|| key(flow, true)))
        .collect();
    for at_upper in [true, false] {
        let open: Vec<FlowId> = (0..design.flows.len())
            .filter(|&flow| long[flow] && labelled(flow) && keys[flow].is_none())
            .collect();
        let mut members: FxHashMap<TrunkKey, usize> = FxHashMap::default();
        for &flow in &open {
            *members.entry(key(flow, at_upper)).or_default() += 1;
        }
        for flow in open {
            let shared = key(flow, at_upper);
            if members[&shared] > 1 {
                keys[flow] = Some(shared);
            }
        }
    }
    keys
}

/// For each row of components (a band's sub-rank, bands in order), whether a rank for
/// flow labels follows it: a label sits in the rank next to its flow's source, so only
/// the rows labelled flows leave downwards, or arrive at from below, need one.
fn label_gaps(
    design: &Design,
    downward: &[bool],
    row: &[usize],
    rows: usize,
    labels: bool,
) -> Vec<bool> {
    let mut gap = vec![false; rows];
    if !labels {
        return gap;
    }
    for (id, flow) in design.flows.iter().enumerate() {
        let (upper, lower) = ends(design, id, !downward[id]);
        let (top, bottom) = (row[upper], row[lower]);
        if flow.label.is_some() && bottom > top {
            gap[if downward[id] { top } else { bottom - 1 }] = true;
        }
    }
    gap
}

/// Builds the layered graph: components at their ranks (see [`component_ranks`]), a lane
/// node in every rank a flow (or, with `bundle`, a trunk) crosses, and fillers that keep
/// group frames whole.
pub fn layer(
    design: &Design,
    spread_for_labels: bool,
    wrap: Option<RankWrap>,
    bundle: bool,
) -> LayeredGraph {
    let ComponentRanks {
        rank: component_rank,
        rank_count,
        bands,
        downward,
    } = component_ranks(design, spread_for_labels, wrap);
    let mut nodes: Vec<LayerNode> = design
        .components
        .iter()
        .enumerate()
        .map(|(id, component)| LayerNode {
            kind: NodeKind::Component(id),
            rank: component_rank[id],
            group: component.group,
        })
        .collect();
    let trunk_of = bundle.then(|| trunks(design, &downward, &nodes));
    let (mut edges, lane_runs) = chains(design, &downward, trunk_of.as_ref(), &mut nodes);
    let hops = number_hops(&mut edges, design.components.len(), nodes.len());
    add_fillers(design, &mut nodes);
    let mut ranks = vec![Vec::new(); rank_count.max(1)];
    for (index, node) in nodes.iter().enumerate() {
        ranks[node.rank].push(index);
    }
    let mut flows = vec![0u32; hops.len()];
    for &hop in edges.iter().flat_map(|edge| &edge.hops) {
        flows[hop as usize] += 1;
    }
    let pairs: Vec<(usize, (usize, u32))> = hops
        .iter()
        .zip(&flows)
        .map(|(h, &flows)| (h.upper, (h.lower, flows)))
        .collect();
    let down = Adjacency::new(nodes.len(), &pairs);
    let flipped: Vec<(usize, (usize, u32))> = pairs
        .iter()
        .map(|&(upper, (lower, flows))| (lower, (upper, flows)))
        .collect();
    let up = Adjacency::new(nodes.len(), &flipped);
    LayeredGraph {
        nodes,
        ranks,
        edges,
        hops,
        lane_runs,
        bands,
        up,
        down,
    }
}

/// Band of each component: its tier, or one band after all tiers for components declared
/// outside any tier (they have no place in the tier order, so they go last, together).
fn band_of_components(design: &Design) -> Vec<usize> {
    design
        .components
        .iter()
        .map(|c| c.tier.unwrap_or(design.tiers.len()))
        .collect()
}

/// For each flow, whether it is drawn from its source downwards. Flows between bands go
/// down the band order; inside a band, a depth-first search in declaration order reverses
/// the edges that close a cycle.
fn orient_flows(design: &Design, band: &[usize]) -> Vec<bool> {
    let n = design.components.len();
    let mut out_edges: Vec<Vec<FlowId>> = vec![Vec::new(); n];
    for (id, flow) in design.flows.iter().enumerate() {
        if band[flow.from] == band[flow.to] {
            out_edges[flow.from].push(id);
        }
    }
    let mut downward: Vec<bool> = design
        .flows
        .iter()
        .map(|f| band[f.from] <= band[f.to])
        .collect();
    // 0 = unvisited, 1 = on the DFS stack, 2 = done.
    let mut state = vec![0u8; n];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&flow) = out_edges[node].get(*next) {
                *next += 1;
                let to = design.flows[flow].to;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => downward[flow] = false,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    downward
}

/// The flows inside a band as (upper, lower) component pairs, as oriented.
fn in_band_edges<'d>(
    design: &'d Design,
    band: &'d [usize],
    downward: &'d [bool],
) -> impl Iterator<Item = (ComponentId, ComponentId)> + 'd {
    design
        .flows
        .iter()
        .zip(downward)
        .filter(|(f, _)| band[f.from] == band[f.to])
        .map(|(f, &down)| if down { (f.from, f.to) } else { (f.to, f.from) })
}

/// Longest-path rank of each component inside its band, over the oriented in-band edges.
/// Components with no flow inside their band (observability, usually, which has no flows
/// at all) stay in the band's first rank, where they line up in a row.
fn sub_ranks(design: &Design, band: &[usize], downward: &[bool]) -> Vec<usize> {
    let n = design.components.len();
    let mut successors: Vec<Vec<ComponentId>> = vec![Vec::new(); n];
    let mut in_degree = vec![0usize; n];
    for (upper, lower) in in_band_edges(design, band, downward) {
        successors[upper].push(lower);
        in_degree[lower] += 1;
    }
    let mut rank = vec![0usize; n];
    let mut ready: Vec<ComponentId> = (0..n).rev().filter(|&c| in_degree[c] == 0).collect();
    while let Some(node) = ready.pop() {
        for &next in &successors[node] {
            rank[next] = rank[next].max(rank[node] + 1);
            in_degree[next] -= 1;
            if in_degree[next] == 0 {
                ready.push(next);
            }
        }
    }
    rank
}

/// Sub-ranks with no rank of a band wider than its limit (unless one component is): in
/// order of their sub-rank, then of declaration, each component takes the first rank below
/// all its in-band predecessors that has room for it.
fn wrapped(
    design: &Design,
    band: &[usize],
    downward: &[bool],
    sub_rank: &[usize],
    wrap: RankWrap,
) -> Vec<usize> {
    let n = design.components.len();
    let mut predecessors: Vec<Vec<ComponentId>> = vec![Vec::new(); n];
    for (upper, lower) in in_band_edges(design, band, downward) {
        predecessors[lower].push(upper);
    }
    let mut order: Vec<ComponentId> = (0..n).collect();
    order.sort_by_key(|&c| (sub_rank[c], c));
    let mut used: Vec<Vec<f64>> = vec![Vec::new(); band.iter().max().map_or(0, |b| b + 1)];
    let mut rank = vec![0usize; n];
    for c in order {
        let limit = wrap
            .limits
            .get(band[c])
            .copied()
            .flatten()
            .unwrap_or(f64::INFINITY);
        let rows = &mut used[band[c]];
        let size = wrap.sizes[c];
        let mut row = predecessors[c]
            .iter()
            .map(|&p| rank[p] + 1)
            .max()
            .unwrap_or(0);
        while rows
            .get(row)
            .is_some_and(|&taken| taken > 0.0 && taken + size > limit)
        {
            row += 1;
        }
        if rows.len() <= row {
            rows.resize(row + 1, 0.0);
        }
        rows[row] += size;
        rank[c] = row;
    }
    rank
}

/// A trunk: the ranks its lanes take (`first..end`), which end its flows share, and how
/// many flows take it.
struct Trunk {
    first: usize,
    end: usize,
    at_upper: bool,
    labelled: bool,
    flows: usize,
}

/// The upper and lower end of a flow as drawn.
fn ends(design: &Design, flow: FlowId, reversed: bool) -> (ComponentId, ComponentId) {
    let f = &design.flows[flow];
    if reversed {
        (f.to, f.from)
    } else {
        (f.from, f.to)
    }
}

/// For each flow, the index of the trunk it takes (see [`trunk_keys`]), and the trunks,
/// in the order of their first flows.
fn trunks(
    design: &Design,
    downward: &[bool],
    nodes: &[LayerNode],
) -> (Vec<Option<usize>>, Vec<Trunk>) {
    let rank: Vec<usize> = nodes[..design.components.len()]
        .iter()
        .map(|n| n.rank)
        .collect();
    let mut index: FxHashMap<TrunkKey, usize> = FxHashMap::default();
    let mut trunks: Vec<Trunk> = Vec::new();
    let trunk_of = trunk_keys(design, downward, &rank)
        .into_iter()
        .enumerate()
        .map(|(id, key)| {
            let key = key?;
            let (upper, lower) = ends(design, id, !downward[id]);
            let (first, end) = (rank[upper] + 1, rank[lower]);
            let t = *index.entry(key).or_insert_with(|| {
                trunks.push(Trunk {
                    first,
                    end,
                    at_upper: key.at_upper,
                    labelled: key.label.is_some(),
                    flows: 0,
                });
                trunks.len() - 1
            });
            let trunk = &mut trunks[t];
            (trunk.first, trunk.end) = (trunk.first.min(first), trunk.end.max(end));
            trunk.flows += 1;
            Some(t)
        })
        .collect();
    (trunk_of, trunks)
}

/// Chains of lane and label nodes for every flow, and the runs of lanes made.
fn chains(
    design: &Design,
    downward: &[bool],
    trunk_of: Option<&(Vec<Option<usize>>, Vec<Trunk>)>,
    nodes: &mut Vec<LayerNode>,
) -> (Vec<LayerEdge>, Vec<std::ops::Range<usize>>) {
    // The lanes of each trunk, made when its first flow comes.
    let mut made: Vec<Option<std::ops::Range<usize>>> =
        vec![None; trunk_of.map_or(0, |(_, all)| all.len())];
    let mut edges = Vec::with_capacity(design.flows.len());
    let mut runs = Vec::new();
    let spans = group_spans(design, nodes);
    for (id, flow) in design.flows.iter().enumerate() {
        let reversed = !downward[id];
        let (upper, lower) = ends(design, id, reversed);
        let (top, bottom) = (nodes[upper].rank, nodes[lower].rank);
        let common = common_group(design, upper, lower);
        let mut group = lane_groups(design, &spans, (upper, lower), common);
        let mut chain = Vec::with_capacity(bottom - top + 1);
        chain.push(upper);
        let trunk = trunk_of.and_then(|(of, all)| of[id].map(|t| (t, &all[t])));
        match trunk {
            Some((t, shape)) => {
                let lanes = made[t].get_or_insert_with(|| {
                    // A shared label sits next to the shared end.
                    let label_rank = shape.labelled.then(|| {
                        if shape.at_upper {
                            shape.first
                        } else {
                            shape.end - 1
                        }
                    });
                    let first = nodes.len();
                    for rank in shape.first..shape.end {
                        nodes.push(LayerNode {
                            kind: lane_kind(id, rank, label_rank),
                            rank,
                            group: group(rank),
                        });
                    }
                    runs.push(first..nodes.len());
                    first..nodes.len()
                });
                let joins = lanes.start + (top + 1 - shape.first);
                chain.extend(joins..joins + (bottom - top - 1));
            }
            None => {
                // The label sits next to the flow's source, where a reader starts following it.
                let label_rank = flow.label.as_ref().filter(|_| bottom > top + 1).map(|_| {
                    if reversed {
                        bottom - 1
                    } else {
                        top + 1
                    }
                });
                let first = nodes.len();
                for rank in top + 1..bottom {
                    nodes.push(LayerNode {
                        kind: lane_kind(id, rank, label_rank),
                        rank,
                        group: group(rank),
                    });
                }
                if nodes.len() > first {
                    runs.push(first..nodes.len());
                }
                chain.extend(first..nodes.len());
            }
        }
        chain.push(lower);
        edges.push(LayerEdge {
            flow: id,
            reversed,
            chain,
            hops: Vec::new(),
            bundled: trunk
                .filter(|(_, shape)| shape.flows > 1)
                .map(|(_, shape)| {
                    if shape.at_upper {
                        SharedEnd::Upper
                    } else {
                        SharedEnd::Lower
                    }
                }),
        });
    }
    (edges, runs)
}

/// The node a flow's lane is in `rank`: its label's, or a plain lane.
fn lane_kind(flow: FlowId, rank: usize, label_rank: Option<usize>) -> NodeKind {
    if Some(rank) == label_rank {
        NodeKind::Label(flow)
    } else {
        NodeKind::Dummy(flow)
    }
}

/// Numbers the hops of every chain: a bundled flow's steps along its trunk (and a step
/// it repeats exactly) are the hops already numbered for the trunk. A step from one lane
/// to the next is the only step into that lane, so those are found by the lane, without
/// hashing a step per rank of every flow of the trunk; nodes from `components` on are
/// lanes.
fn number_hops(edges: &mut [LayerEdge], components: usize, nodes: usize) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut into_lane = vec![None; nodes - components];
    let mut at_component: FxHashMap<(usize, usize), u32> = FxHashMap::default();
    for edge in edges {
        edge.hops = edge
            .chain
            .windows(2)
            .map(|pair| {
                let (upper, lower) = (pair[0], pair[1]);
                let mut new = || {
                    hops.push(Hop {
                        upper,
                        lower,
                        flow: edge.flow,
                    });
                    (hops.len() - 1) as u32
                };
                if edge.bundled.is_none() {
                    new()
                } else if upper >= components && lower >= components {
                    *into_lane[lower - components].get_or_insert_with(new)
                } else {
                    *at_component.entry((upper, lower)).or_insert_with(new)
                }
            })
            .collect();
    }
    hops
}

/// The ranks each group's components take, its nested groups' included.
fn group_spans(design: &Design, nodes: &[LayerNode]) -> Vec<Option<(usize, usize)>> {
    let mut spans: Vec<Option<(usize, usize)>> = vec![None; design.groups.len()];
    let widen = |span: &mut Option<(usize, usize)>, (first, last): (usize, usize)| {
        let s = span.get_or_insert((first, last));
        *s = (s.0.min(first), s.1.max(last));
    };
    for (component, node) in design.components.iter().zip(nodes) {
        if let Some(g) = component.group {
            widen(&mut spans[g], (node.rank, node.rank));
        }
    }
    // A group is declared before the groups nested in it, so children come later.
    for g in (0..design.groups.len()).rev() {
        if let (Some(parent), Some(span)) = (design.groups[g].parent, spans[g]) {
            widen(&mut spans[parent], span);
        }
    }
    spans
}

/// The group each lane of a flow from `upper` down to `lower` is drawn in, by rank: the
/// innermost group of the upper end whose components reach that rank, else the innermost
/// of the lower end's, else `common`, the group holding both. A flow leaving a group runs inside
/// its frame as far as the frame goes, next to its source, rather than beside the frame.
/// Ranks are asked in increasing order; the walk costs the depth of the two ends' groups
/// and the length of the flow.
fn lane_groups<'a>(
    design: &'a Design,
    spans: &'a [Option<(usize, usize)>],
    (upper, lower): (ComponentId, ComponentId),
    common: Option<GroupId>,
) -> impl FnMut(usize) -> Option<GroupId> + 'a {
    let below_common = |component: ComponentId| {
        let mut chain = Vec::new();
        let mut group = design.components[component].group;
        while let Some(g) = group.filter(|&g| Some(g) != common) {
            chain.push(g);
            group = design.groups[g].parent;
        }
        chain
    };
    let of_upper = below_common(upper);
    let mut of_lower = below_common(lower);
    of_lower.reverse();
    let ends_before = |g: GroupId, rank: usize| spans[g].is_none_or(|(_, last)| last < rank);
    let starts_by = |g: GroupId, rank: usize| spans[g].is_some_and(|(first, _)| first <= rank);
    let (mut leaving, mut reaching) = (0, 0);
    move |rank| {
        while of_upper.get(leaving).is_some_and(|&g| ends_before(g, rank)) {
            leaving += 1;
        }
        if let Some(&g) = of_upper.get(leaving) {
            return Some(g);
        }
        while of_lower.get(reaching).is_some_and(|&g| starts_by(g, rank)) {
            reaching += 1;
        }
        reaching.checked_sub(1).map(|i| of_lower[i]).or(common)
    }
}

/// The innermost group holding both components, if any.
fn common_group(design: &Design, a: ComponentId, b: ComponentId) -> Option<GroupId> {
    let ancestors = |mut group: Option<GroupId>| {
        let mut chain = Vec::new();
        while let Some(g) = group {
            chain.push(g);
            group = design.groups[g].parent;
        }
        chain
    };
    let of_b = ancestors(design.components[b].group);
    ancestors(design.components[a].group)
        .into_iter()
        .find(|g| of_b.contains(g))
}

/// A filler for each group in each rank between its first and last that it has no node in.
fn add_fillers(design: &Design, nodes: &mut Vec<LayerNode>) {
    let group_count = design.groups.len();
    let mut ranks_of: Vec<Vec<usize>> = vec![Vec::new(); group_count];
    for node in nodes.iter() {
        let mut group = node.group;
        while let Some(g) = group {
            ranks_of[g].push(node.rank);
            group = design.groups[g].parent;
        }
    }
    for (group, ranks) in ranks_of.iter_mut().enumerate() {
        ranks.sort_unstable();
        ranks.dedup();
        let (Some(&low), Some(&high)) = (ranks.first(), ranks.last()) else {
            continue;
        };
        for rank in low..=high {
            if ranks.binary_search(&rank).is_err() {
                nodes.push(LayerNode {
                    kind: NodeKind::Filler(group),
                    rank,
                    group: Some(group),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn design(text: &str) -> Design {
        let checked = crate::check(&Source::new("t", text));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked.design
    }

    fn ranks_of(design: &Design, graph: &LayeredGraph) -> Vec<(String, usize)> {
        design
            .components
            .iter()
            .enumerate()
            .map(|(id, c)| (c.id.clone(), graph.nodes[id].rank))
            .collect()
    }

    const WIDE_TIER: &str = "tier a \"A\" {\n top: service \"Top\"\n}\n\
        tier b \"B\" {\n p: service \"P\"\n q: service \"Q\"\n r: service \"R\"\n s: service \"S\"\n t: service \"T\"\n}\n\
        tier c \"C\" {\n z: database \"Z\"\n}\n\
        top -> p, q, r, s, t\nr -> s\nt -> z\n";

    #[test]
    fn a_wide_rank_wraps_within_its_tier_in_declaration_order_below_its_predecessors() {
        let design = design(WIDE_TIER);
        let sizes = vec![10.0; design.components.len()];
        let limits = [None, Some(25.0), None];
        let graph = layer(
            &design,
            false,
            Some(RankWrap {
                sizes: &sizes,
                limits: &limits,
            }),
            false,
        );
        let ranks = ranks_of(&design, &graph);
        let rank = |id: &str| ranks.iter().find(|(c, _)| c == id).unwrap().1;
        // Two to a rank: p and q; then r (s must go below r) and t; then s.
        assert_eq!((rank("p"), rank("q")), (1, 1));
        assert_eq!((rank("r"), rank("t")), (2, 2));
        assert_eq!(rank("s"), 3);
        assert_eq!((rank("top"), rank("z")), (0, 4));
        assert_eq!(graph.bands[1].count, 3);
    }

    #[test]
    fn a_band_without_a_limit_does_not_wrap() {
        let design = design(WIDE_TIER);
        let sizes = vec![10.0; design.components.len()];
        let wrapped = layer(
            &design,
            false,
            Some(RankWrap {
                sizes: &sizes,
                limits: &[Some(25.0), None, Some(25.0)],
            }),
            false,
        );
        let plain = layer(&design, false, None, false);
        assert_eq!(ranks_of(&design, &wrapped), ranks_of(&design, &plain));
    }

    const FAN_OUT: &str = "tier a {\n top: service\n}\ntier b {\n mid: service\n}\n\
        tier c {\n x: service\n}\ntier d {\n y: service\n z: service\n}\n\
        top -> x\ntop -> y\ntop -> mid\ntop ~> z\ntop -> z : \"label\"\n";

    fn lane_count(graph: &LayeredGraph, rank: usize) -> usize {
        graph.ranks[rank]
            .iter()
            .filter(|&&n| !matches!(graph.nodes[n].kind, NodeKind::Component(_)))
            .count()
    }

    #[test]
    fn long_unlabelled_flows_leaving_one_component_alike_share_a_trunk() {
        let design = design(FAN_OUT);
        let graph = layer(&design, false, None, true);
        let (to_x, to_y) = (&graph.edges[0], &graph.edges[1]);
        assert!(to_x.bundled.is_some() && to_y.bundled.is_some());
        assert_eq!(
            to_x.chain[1], to_y.chain[1],
            "one lane in the rank below top"
        );
        assert_eq!(to_x.hops[0], to_y.hops[0], "one hop into it");
        // Both flows take that hop, so ordering weighs a crossing of it twice.
        let top = to_x.chain[0];
        let into_trunk = graph.down[top].iter().find(|&&(n, _)| n == to_x.chain[1]);
        assert_eq!(into_trunk, Some(&(to_x.chain[1], 2)));
        assert!(graph.up[to_x.chain[1]].contains(&(top, 2)));
        // The async flow and the labelled one each have lanes of their own.
        assert!(graph.edges[3].bundled.is_none() && graph.edges[4].bundled.is_none());
        assert_eq!((lane_count(&graph, 1), lane_count(&graph, 2)), (3, 3));
        let plain = layer(&design, false, None, false);
        assert_eq!((lane_count(&plain, 1), lane_count(&plain, 2)), (4, 3));
        assert!(plain.edges.iter().all(|e| e.bundled.is_none()));
    }

    #[test]
    fn counted_lanes_are_the_lanes_made() {
        let generated = (0..20).map(|seed| crate::generate::design(40 + seed as usize, seed));
        let templates = crate::templates::ALL.iter().map(|t| t.text.to_string());
        for (seed, text) in generated.chain(templates).enumerate() {
            let design = design(&text);
            for (bundle, labels) in [(false, false), (true, false), (true, true)] {
                let counted = component_ranks(&design, labels, None).lanes(&design, bundle);
                let graph = layer(&design, labels, None, bundle);
                let made: Vec<usize> = (0..graph.ranks.len())
                    .map(|r| lane_count(&graph, r))
                    .collect();
                // Fillers are not lanes, and ranks with none at all count none.
                let made_lanes: Vec<usize> = made
                    .iter()
                    .enumerate()
                    .map(|(r, &n)| {
                        n - graph.ranks[r]
                            .iter()
                            .filter(|&&node| matches!(graph.nodes[node].kind, NodeKind::Filler(_)))
                            .count()
                    })
                    .collect();
                assert_eq!(counted, made_lanes, "seed {seed}, {bundle} {labels}");
            }
        }
    }
}
