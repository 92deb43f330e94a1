//! Layout stage 3: positions along the ranks (x when ranks are rows). Sizes and gaps come
//! from the caller in any unit (pixels for SVG, character cells for text), so every
//! renderer shares this stage.
//!
//! Each rank is solved exactly as a weighted least-squares problem under "no overlap,
//! keep the order" constraints (pool-adjacent-violators), with the desired place of a node
//! being the weighted mean of its neighbours' places; sweeps alternate down and up. Edges
//! between dummy nodes weigh most, so long edges come out straight. A group is one rigid
//! block spanning its ranks (members packed inside, its title in a column on the left); a
//! last compaction pass removes any overlap the per-rank solutions left between blocks.

use super::order::{self, Order};
use super::rank::{Adjacency, LayeredGraph, NodeKind};
use crate::model::{Design, GroupId};
use std::collections::VecDeque;

const SWEEPS: usize = 8;

/// A node's extent along its rank and where its edges attach, from its start.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub size: f64,
    pub anchor: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct AlongSpacing {
    /// Between two boxes (components or groups).
    pub node_gap: f64,
    /// Next to a dummy or label node.
    pub lane_gap: f64,
    /// Inside a group frame, around its content.
    pub group_pad: f64,
    pub title_column: TitleColumn,
    /// Where each rank starts before the sweeps move it.
    pub first_places: FirstPlaces,
}

/// Where the sweeps start from. They move a rank by its neighbours' pull, a few ranks
/// at a time, so a rank far from where the others want it stays on the side it started
/// on: packed from one end, a drawing whose rows differ much in length (narrow tiers over
/// wrapped full rows) comes out sheared, every line between two rows running the same
/// way, and each such channel as deep as its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPlaces {
    /// Every rank packed from the start.
    Packed,
    /// Every rank packed about one middle.
    Centred,
}

/// How far down a group's title column reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleColumn {
    /// Beside every row: the rows stay centred on one axis, so lines between them run
    /// straight (pixels, where the title sits inside the frame).
    WholeHeight,
    /// Beside the top row only: the title is on the frame's top border, which only the
    /// lines into the top row cross, and a text drawing has no width to spare (text).
    TopRow,
}

impl TitleColumn {
    /// The room the column takes before row `row` (0 the top one) of a group.
    fn room(self, row: usize, title_room: f64) -> f64 {
        match self {
            TitleColumn::TopRow if row > 0 => 0.0,
            _ => title_room,
        }
    }
}

/// Positions along the ranks.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Start of each layered node.
    pub start: Vec<f64>,
    /// Start and size of each group's block, `None` for a group with no members.
    pub groups: Vec<Option<(f64, f64)>>,
    /// The largest end of any node or group.
    pub extent: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    Node(usize),
    Group(GroupId),
}

/// `headers[g]` is the size along the rank of group `g`'s title column.
pub fn place(
    graph: &LayeredGraph,
    order: &Order,
    design: &Design,
    spans: &[Span],
    headers: &[f64],
    spacing: AlongSpacing,
) -> Placement {
    let mut solver = Solver::new(graph, order, design, spans, headers, spacing);
    for _ in 0..SWEEPS {
        for rank in 0..solver.rows.len() {
            solver.solve_rank(rank);
        }
        for rank in (0..solver.rows.len()).rev() {
            solver.solve_rank(rank);
        }
    }
    solver.compact();
    for _ in 0..2 {
        solver.straighten();
    }
    solver.align_single_links();
    solver.finish()
}

struct Solver<'a> {
    graph: &'a LayeredGraph,
    spans: &'a [Span],
    spacing: AlongSpacing,
    /// Top-level items of each rank, in order.
    rows: Vec<Vec<Item>>,
    /// For each group, its width and the start of each of its members relative to it.
    group_size: Vec<f64>,
    /// Outermost group of each node, if any.
    top_group: Vec<Option<GroupId>>,
    /// Start of a node relative to its outermost group's start.
    relative: Vec<f64>,
    /// Start of a group relative to its outermost group's start.
    group_relative: Vec<f64>,
    /// Nodes of each outermost group in each rank: (rank, nodes).
    group_nodes: Vec<Vec<(usize, Vec<usize>)>>,
    free_start: Vec<f64>,
    group_start: Vec<f64>,
    parents: Vec<Option<GroupId>>,
}

impl<'a> Solver<'a> {
    fn new(
        graph: &'a LayeredGraph,
        order: &Order,
        design: &Design,
        spans: &'a [Span],
        headers: &[f64],
        spacing: AlongSpacing,
    ) -> Self {
        let paths = order::group_paths(graph, design);
        let group_count = design.groups.len();
        let mut rows = Vec::with_capacity(order.ranks.len());
        // Rows inside each group: (rank, items).
        let mut inner_rows: Vec<Vec<(usize, Vec<Item>)>> = vec![Vec::new(); group_count];
        let mut group_nodes: Vec<Vec<(usize, Vec<usize>)>> = vec![Vec::new(); group_count];
        for (rank, nodes) in order.ranks.iter().enumerate() {
            rows.push(split_items(nodes, 0, &paths, rank, &mut inner_rows));
            for &node in nodes {
                if let Some(&top) = paths[node].first() {
                    let list = &mut group_nodes[top];
                    match list.last_mut() {
                        Some((r, members)) if *r == rank => members.push(node),
                        _ => list.push((rank, vec![node])),
                    }
                }
            }
        }
        let mut sizer = GroupSizer {
            inner_rows: &inner_rows,
            spans,
            headers,
            spacing,
            size: vec![None; group_count],
        };
        let group_size: Vec<f64> = (0..group_count).map(|g| sizer.size(g)).collect();
        let mut solver = Solver {
            graph,
            spans,
            spacing,
            rows,
            group_size,
            top_group: (0..graph.nodes.len())
                .map(|node| paths[node].first().copied())
                .collect(),
            relative: vec![0.0; graph.nodes.len()],
            group_relative: vec![0.0; group_count],
            group_nodes,
            free_start: vec![0.0; graph.nodes.len()],
            group_start: vec![0.0; group_count],
            parents: design.groups.iter().map(|g| g.parent).collect(),
        };
        for group in 0..group_count {
            if design.groups[group].parent.is_none() {
                solver.pack_group(group, 0.0, &inner_rows, headers);
            }
        }
        solver.pack_initially();
        solver
    }

    /// Places a group's content relative to its outermost group: each row centred in the
    /// group's width, the top one in what its title column leaves.
    fn pack_group(
        &mut self,
        group: GroupId,
        start: f64,
        inner_rows: &[Vec<(usize, Vec<Item>)>],
        headers: &[f64],
    ) {
        self.group_relative[group] = start;
        let content_start = start + self.spacing.group_pad;
        let content_end = start + self.group_size[group] - self.spacing.group_pad;
        let title_room = title_room(headers[group], self.spacing);
        // An inner group spans several rows but is one rigid block: it is packed once, at
        // its place in the last of them, not once per row (which is exponential in depth).
        let mut inner_starts: Vec<(GroupId, f64)> = Vec::new();
        for (index, (_, items)) in inner_rows[group].iter().enumerate() {
            let row_start = content_start + self.spacing.title_column.room(index, title_room);
            let row = self.row_size(items);
            let mut at = row_start + (content_end - row_start - row) / 2.0;
            for (index, &item) in items.iter().enumerate() {
                if index > 0 {
                    at += self.gap(items[index - 1], item);
                }
                match item {
                    Item::Node(node) => self.relative[node] = at,
                    Item::Group(inner) => {
                        match inner_starts.iter_mut().find(|(g, _)| *g == inner) {
                            Some(entry) => entry.1 = at,
                            None => inner_starts.push((inner, at)),
                        }
                    }
                }
                at += self.size(item);
            }
        }
        for (inner, at) in inner_starts {
            self.pack_group(inner, at, inner_rows, headers);
        }
    }

    fn row_size(&self, items: &[Item]) -> f64 {
        let sizes: f64 = items.iter().map(|&item| self.size(item)).sum();
        let gaps: f64 = items
            .windows(2)
            .map(|pair| self.gap(pair[0], pair[1]))
            .sum();
        sizes + gaps
    }

    fn size(&self, item: Item) -> f64 {
        match item {
            Item::Node(node) => self.spans[node].size,
            Item::Group(group) => self.group_size[group],
        }
    }

    fn gap(&self, a: Item, b: Item) -> f64 {
        let is_lane = |item| match item {
            Item::Node(node) => !matches!(self.graph.nodes[node].kind, NodeKind::Component(_)),
            Item::Group(_) => false,
        };
        if is_lane(a) || is_lane(b) {
            self.spacing.lane_gap
        } else {
            self.spacing.node_gap
        }
    }

    /// Every rank packed as `first_places` says; a group takes the first place it gets.
    fn pack_initially(&mut self) {
        let mut placed = vec![false; self.group_start.len()];
        for rank in 0..self.rows.len() {
            let mut at = match self.spacing.first_places {
                FirstPlaces::Packed => 0.0,
                FirstPlaces::Centred => -self.row_size(&self.rows[rank]) / 2.0,
            };
            for index in 0..self.rows[rank].len() {
                let item = self.rows[rank][index];
                if index > 0 {
                    at += self.gap(self.rows[rank][index - 1], item);
                }
                match item {
                    Item::Node(node) => self.free_start[node] = at,
                    Item::Group(group) if !placed[group] => {
                        placed[group] = true;
                        self.group_start[group] = at;
                    }
                    Item::Group(_) => {}
                }
                at += self.size(item);
            }
        }
    }

    fn start(&self, node: usize) -> f64 {
        match self.top_group[node] {
            Some(group) => self.group_start[group] + self.relative[node],
            None => self.free_start[node],
        }
    }

    fn attach(&self, node: usize) -> f64 {
        self.start(node) + self.spans[node].anchor
    }

    /// Where `node` would like to start, and how much it cares, from its neighbours. A
    /// lane where a trunk branches would be at the median of its neighbours, where its
    /// branches are shortest together (the mean of one branch leaving to the left and
    /// three to the right sends the left one back under the trunk); it pulls and is
    /// pulled like a box, as lanes passing straight through pull each other hardest.
    fn desire(&self, node: usize) -> Option<(f64, f64)> {
        let lane = |n: usize| self.graph.is_lane(n);
        let straight = |n: usize| lane(n) && !self.graph.is_branching(n);
        let neighbours = || self.graph.up[node].iter().chain(&self.graph.down[node]);
        let mut total = 0.0;
        let mut weighted = 0.0;
        for &(other, _) in neighbours() {
            let weight = match (lane(node), lane(other)) {
                (true, true) if straight(node) && straight(other) => 8.0,
                (false, false) => 1.0,
                _ => 2.0,
            };
            total += weight;
            weighted += weight * self.attach(other);
        }
        if total == 0.0 {
            return None;
        }
        let place = if lane(node) && !straight(node) {
            let mut places: Vec<f64> = neighbours().map(|&(other, _)| self.attach(other)).collect();
            places.sort_by(f64::total_cmp);
            let middle = places.len() / 2;
            if places.len() % 2 == 1 {
                places[middle]
            } else {
                (places[middle - 1] + places[middle]) / 2.0
            }
        } else {
            weighted / total
        };
        Some((place - self.spans[node].anchor, total))
    }

    fn solve_rank(&mut self, rank: usize) {
        let row = &self.rows[rank];
        let mut targets = Vec::with_capacity(row.len());
        let mut weights = Vec::with_capacity(row.len());
        let mut offsets = Vec::with_capacity(row.len());
        let mut offset = 0.0;
        for (index, &item) in row.iter().enumerate() {
            if index > 0 {
                offset += self.size(row[index - 1]) + self.gap(row[index - 1], item);
            }
            offsets.push(offset);
            let (current, desire) = match item {
                Item::Node(node) => (self.free_start[node], self.desire(node)),
                Item::Group(group) => (self.group_start[group], self.group_desire(group, rank)),
            };
            // Without neighbours an item stays put, but gives way to any that have some.
            let (target, weight) = desire.unwrap_or((current, 1e-3));
            targets.push(target);
            weights.push(weight);
        }
        let starts = pool_adjacent_violators(&targets, &weights, &offsets);
        for (index, &item) in self.rows[rank].iter().enumerate() {
            match item {
                Item::Node(node) => self.free_start[node] = starts[index],
                Item::Group(group) => self.group_start[group] = starts[index],
            }
        }
    }

    fn group_desire(&self, group: GroupId, rank: usize) -> Option<(f64, f64)> {
        // The group's rows are in rank order: found by halving, as a group can span
        // thousands of ranks.
        let rows = &self.group_nodes[group];
        let nodes = &rows[rows.binary_search_by_key(&rank, |(r, _)| *r).ok()?];
        let mut total = 0.0;
        let mut weighted = 0.0;
        for &node in &nodes.1 {
            if let Some((start, weight)) = self.desire(node) {
                total += weight;
                weighted += weight * (start - self.relative[node]);
            }
        }
        (total > 0.0).then(|| (weighted / total, total))
    }

    /// Pushes items apart where the per-rank solutions disagree about a group's place:
    /// each item starts where it is, or just after its left neighbour in any rank.
    fn compact(&mut self) {
        let node_count = self.graph.nodes.len();
        let var = |item: Item| match item {
            Item::Node(node) => node,
            Item::Group(group) => node_count + group,
        };
        let total = node_count + self.group_start.len();
        // Where each item stands in the rows (a group once per row it spans): the items
        // after it are read from there, so no list of pairs is built.
        let nodes = self.node_slots();
        let mut group_slots: Vec<(usize, (usize, usize))> = Vec::new();
        let mut in_degree = vec![0u32; total];
        for (rank, row) in self.rows.iter().enumerate() {
            for (index, &item) in row.iter().enumerate() {
                if let Item::Group(group) = item {
                    group_slots.push((group, (rank, index)));
                }
                if index > 0 {
                    in_degree[var(item)] += 1;
                }
            }
        }
        let group_slots = Adjacency::new(self.group_start.len(), &group_slots);
        let mut value: Vec<f64> = self
            .free_start
            .iter()
            .chain(&self.group_start)
            .copied()
            .collect();
        let mut ready: VecDeque<Item> = self
            .rows
            .iter()
            .flatten()
            .copied()
            .filter(|&item| in_degree[var(item)] == 0)
            .collect();
        let mut done = vec![false; total];
        while let Some(item) = ready.pop_front() {
            let v = var(item);
            if std::mem::replace(&mut done[v], true) {
                continue;
            }
            let own;
            let slots: &[(usize, usize)] = match item {
                Item::Node(node) => {
                    own = nodes.get(node);
                    own.as_slice()
                }
                Item::Group(group) => &group_slots[group],
            };
            for &(rank, index) in slots {
                let Some(&after) = self.rows[rank].get(index + 1) else {
                    continue;
                };
                let next = var(after);
                let distance = self.size(item) + self.gap(item, after);
                value[next] = value[next].max(value[v] + distance);
                in_degree[next] -= 1;
                if in_degree[next] == 0 {
                    ready.push_back(after);
                }
            }
        }
        self.free_start.copy_from_slice(&value[..node_count]);
        self.group_start.copy_from_slice(&value[node_count..]);
    }

    /// Where each node stands in the rows, if it is an item of its own (not in a group).
    fn node_slots(&self) -> Slots {
        let mut slots = Slots(vec![(u32::MAX, 0); self.graph.nodes.len()]);
        for (rank, row) in self.rows.iter().enumerate() {
            for (index, &item) in row.iter().enumerate() {
                if let Item::Node(node) = item {
                    slots.0[node] = (rank as u32, index as u32);
                }
            }
        }
        slots
    }

    /// Lines up the lanes of each long edge or trunk: the longest runs that can share one
    /// place without moving anything else, nor widening the drawing, go to the median of
    /// their places. Lanes inside a group's frame move with the group's block, so a run
    /// is lined up in the stretches between them.
    fn straighten(&mut self) {
        let slot = self.node_slots();
        let bounds = self.bounds();
        let lane_runs = &self.graph.lane_runs;
        for run in lane_runs {
            let nodes: Vec<usize> = run.clone().collect();
            // A lane where the trunk branches stays where its branches are shortest.
            let apart = |&node: &usize| slot.get(node).is_none() || self.graph.is_branching(node);
            for stretch in nodes.split(apart) {
                self.straighten_stretch(stretch, &slot, bounds);
            }
        }
    }

    /// The lowest start and the highest end of any node or group.
    fn bounds(&self) -> (f64, f64) {
        let nodes = (0..self.graph.nodes.len()).map(|n| (self.start(n), self.spans[n].size));
        let groups = (0..self.group_size.len())
            .filter(|&g| self.parent_of(g).is_none() && !self.group_nodes[g].is_empty())
            .map(|g| (self.group_start[g], self.group_size[g]));
        nodes.chain(groups).fold(
            (f64::INFINITY, f64::NEG_INFINITY),
            |(low, high), (start, size)| (low.min(start), high.max(start + size)),
        )
    }

    fn straighten_stretch(&mut self, stretch: &[usize], slot: &Slots, (least, most): (f64, f64)) {
        let mut i = 0;
        while i < stretch.len() {
            let (mut low, mut high) = (f64::NEG_INFINITY, f64::INFINITY);
            let mut places = Vec::new();
            let mut j = i;
            while j < stretch.len() {
                let node = stretch[j];
                let (l, h) = self.free_range(node, slot.get(node).unwrap_or_default());
                let current = self.free_start[node];
                let l = l.max(least.min(current));
                let h = h.min((most - self.spans[node].size).max(current));
                if l.max(low) > h.min(high) {
                    break;
                }
                (low, high) = (l.max(low), h.min(high));
                places.push(current);
                j += 1;
            }
            places.sort_by(f64::total_cmp);
            let target = places[places.len() / 2].max(low).min(high);
            for &node in &stretch[i..j] {
                self.free_start[node] = target;
            }
            i = j;
        }
    }

    /// Puts a component right below the component above it when each is the other's only
    /// link on that side (a chain such as load balancer → gateway), if nothing is in the way.
    fn align_single_links(&mut self) {
        let is_component = |n: usize| self.graph.is_component(n);
        let slot = self.node_slots();
        // A trunk's lanes belong to all its flows: none of them moves them alone.
        for edge in self.graph.edges.iter().filter(|e| e.bundled.is_none()) {
            let chain = &edge.chain;
            let (upper, lower) = (chain[0], chain[chain.len() - 1]);
            let single = self.graph.down[upper].len() == 1 && self.graph.up[lower].len() == 1;
            if !single || !is_component(upper) || !is_component(lower) {
                continue;
            }
            if chain.iter().any(|&n| slot.get(n).is_none()) {
                continue;
            }
            // Try the lower end under the upper one, then the other way round; the lanes
            // in between follow.
            for (fixed, moving) in [(upper, &chain[1..]), (lower, &chain[..chain.len() - 1])] {
                let line = self.attach(fixed);
                let fits = moving.iter().all(|&n| {
                    let (low, high) = self.free_range(n, slot.get(n).unwrap_or_default());
                    (low..=high).contains(&(line - self.spans[n].anchor))
                });
                if fits {
                    for &n in moving {
                        self.free_start[n] = line - self.spans[n].anchor;
                    }
                    break;
                }
            }
        }
    }

    /// Where a free node can start without overlapping its neighbours in its rank.
    fn free_range(&self, node: usize, (rank, index): (usize, usize)) -> (f64, f64) {
        let row = &self.rows[rank];
        let item_start = |item: Item| match item {
            Item::Node(n) => self.free_start[n],
            Item::Group(g) => self.group_start[g],
        };
        let me = Item::Node(node);
        let low = match index.checked_sub(1).map(|k| row[k]) {
            Some(left) => item_start(left) + self.size(left) + self.gap(left, me),
            None => f64::NEG_INFINITY,
        };
        let high = match row.get(index + 1) {
            Some(&right) => item_start(right) - self.gap(me, right) - self.size(me),
            None => f64::INFINITY,
        };
        // A node already squeezed stays where it is.
        let current = self.free_start[node];
        (low.min(current), high.max(current))
    }

    fn finish(self) -> Placement {
        let mut start: Vec<f64> = (0..self.graph.nodes.len()).map(|n| self.start(n)).collect();
        let group_of_top = |g: GroupId, solver: &Self| {
            let mut top = g;
            while let Some(parent) = solver.parent_of(top) {
                top = parent;
            }
            top
        };
        let mut groups: Vec<Option<(f64, f64)>> = (0..self.group_size.len())
            .map(|g| {
                let top = group_of_top(g, &self);
                (!self.group_nodes[top].is_empty()).then(|| {
                    (
                        self.group_start[top] + self.group_relative[g],
                        self.group_size[g],
                    )
                })
            })
            .collect();
        let lowest = start
            .iter()
            .copied()
            .chain(groups.iter().flatten().map(|g| g.0))
            .fold(f64::INFINITY, f64::min);
        let shift = if lowest.is_finite() { -lowest } else { 0.0 };
        let mut extent: f64 = 0.0;
        for (node, s) in start.iter_mut().enumerate() {
            *s += shift;
            extent = extent.max(*s + self.spans[node].size);
        }
        for (s, size) in groups.iter_mut().flatten() {
            *s += shift;
            extent = extent.max(*s + *size);
        }
        Placement {
            start,
            groups,
            extent,
        }
    }

    fn parent_of(&self, group: GroupId) -> Option<GroupId> {
        self.parents.get(group).copied().flatten()
    }
}

/// (rank, index) of each node in the rows, in 32 bits: dense graphs have millions of lanes.
struct Slots(Vec<(u32, u32)>);

impl Slots {
    fn get(&self, node: usize) -> Option<(usize, usize)> {
        let (rank, index) = self.0[node];
        (rank != u32::MAX).then_some((rank as usize, index as usize))
    }
}

/// Splits a rank's nodes into items at `depth`: a run of nodes in the same group at this
/// depth is one group item, whose own rows are recorded in `inner_rows`.
fn split_items(
    nodes: &[usize],
    depth: usize,
    paths: &Adjacency<GroupId>,
    rank: usize,
    inner_rows: &mut [Vec<(usize, Vec<Item>)>],
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut index = 0;
    while index < nodes.len() {
        let node = nodes[index];
        match paths[node].get(depth) {
            None => {
                items.push(Item::Node(node));
                index += 1;
            }
            Some(&group) => {
                let end = index
                    + nodes[index..]
                        .iter()
                        .take_while(|&&n| paths[n].get(depth) == Some(&group))
                        .count();
                let inner = split_items(&nodes[index..end], depth + 1, paths, rank, inner_rows);
                inner_rows[group].push((rank, inner));
                items.push(Item::Group(group));
                index = end;
            }
        }
    }
    items
}

struct GroupSizer<'a> {
    inner_rows: &'a [Vec<(usize, Vec<Item>)>],
    spans: &'a [Span],
    headers: &'a [f64],
    spacing: AlongSpacing,
    size: Vec<Option<f64>>,
}

impl GroupSizer<'_> {
    /// A group's width: padding and its widest row, the top one after the title column.
    fn size(&mut self, group: GroupId) -> f64 {
        if let Some(size) = self.size[group] {
            return size;
        }
        let mut widest: f64 = 0.0;
        let inner_rows = self.inner_rows;
        let title_room = title_room(self.headers[group], self.spacing);
        for (row_index, (_, items)) in inner_rows[group].iter().enumerate() {
            let mut row = self.spacing.title_column.room(row_index, title_room);
            for (index, &item) in items.iter().enumerate() {
                if index > 0 {
                    row += self.spacing.node_gap.max(self.spacing.lane_gap);
                }
                row += match item {
                    Item::Node(node) => self.spans[node].size,
                    Item::Group(inner) => self.size(inner),
                };
            }
            widest = widest.max(row);
        }
        let size = 2.0 * self.spacing.group_pad + widest;
        self.size[group] = Some(size);
        size
    }
}

/// Room a group's title column takes before the top row's content.
fn title_room(header: f64, spacing: AlongSpacing) -> f64 {
    if header > 0.0 {
        header + spacing.node_gap
    } else {
        0.0
    }
}

/// Isotonic regression: starts as close as possible (weighted least squares) to `targets`
/// such that item `i + 1` starts at least `offsets[i + 1] - offsets[i]` after item `i`.
pub fn pool_adjacent_violators(targets: &[f64], weights: &[f64], offsets: &[f64]) -> Vec<f64> {
    // Blocks of (total weight, weighted sum, length) over y = start - offset.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(targets.len());
    for i in 0..targets.len() {
        blocks.push((weights[i], weights[i] * (targets[i] - offsets[i]), 1));
        while blocks.len() >= 2 {
            let (w2, s2, n2) = blocks[blocks.len() - 1];
            let (w1, s1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 < s2 / w2 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().unwrap() = (w1 + w2, s1 + s2, n1 + n2);
        }
    }
    let mut starts = Vec::with_capacity(targets.len());
    for (weight, sum, length) in blocks {
        let y = sum / weight;
        for _ in 0..length {
            starts.push(y + offsets[starts.len()]);
        }
    }
    starts
}
