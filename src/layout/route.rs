//! Layout stage 4: orthogonal edge routing. Between two ranks lies a channel; an edge
//! segment leaves its upper node at a port, runs down to its own horizontal track, along
//! it, and down to a port on its lower node. Ports on a node are spread along its side in
//! the order of the nodes at the other ends, so edges of one node never cross each other.
//! Tracks are assigned so that overlapping runs never share a track, and ordered so that
//! two runs that need not cross do not. Unlabelled flows drawn alike that reach one side
//! of a component from the same side merge there, on one port and one track.
//!
//! One router serves pixels and text: [`Routing`] says how fine its grid is and how far
//! apart things stay, so text gets whole-cell ports and tracks from the same mechanism.

use super::position::Span;
use super::rank::{Hop, LayeredGraph, NodeKind};
use super::tracks;
use crate::model::Design;
use crate::syntax::ast::FlowMode;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// A hop from a node in rank `r` to a node in rank `r + 1`, as drawn.
#[derive(Debug, Clone)]
/// Indices are 32-bit: a dense graph has millions of segments.
pub struct Segment {
    /// Index into `LayeredGraph::hops`.
    pub hop: u32,
    /// Port along the upper node's lower side, and along the lower node's upper side.
    pub from: f64,
    pub to: f64,
    /// `None` for a straight hop (`from == to`), which needs no track.
    pub track: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Routes {
    /// Segments of each channel (channel `r` lies between rank `r` and rank `r + 1`), in
    /// the order of their hops.
    pub channels: Vec<Vec<Segment>>,
    /// Where each hop's segment is in its channel.
    place: Vec<u32>,
    /// Tracks used in each channel.
    pub tracks: Vec<usize>,
}

impl Routes {
    /// The segment of `hop`, which runs in `channel`.
    pub fn segment(&self, channel: usize, hop: u32) -> &Segment {
        &self.channels[channel][self.place[hop as usize] as usize]
    }
}

/// How the router spaces ports and runs: finely for pixels, on whole cells for text.
#[derive(Debug, Clone, Copy)]
pub struct Routing {
    /// Grid places per unit: ports and lanes stand on the grid, so two either coincide
    /// or stay apart once written (ten per pixel, the precision outputs are written with;
    /// one per character cell, as lines a fraction of a cell apart would print as one).
    pub grid: f64,
    /// The least distance between two parallel runs, and between two ports of a side
    /// before they are spread evenly along it.
    pub separation: f64,
    /// The distance wanted between two ports of a side.
    pub port_gap: f64,
    /// Kept free of ports at each end of a side: this share of its length, at most
    /// `margin_most`.
    pub margin_share: f64,
    pub margin_most: f64,
    /// One step aside for a lane standing where another lane stood in the rank above
    /// (negative: towards the start of the rank), and how far a run of lanes may move in
    /// all.
    pub lane_step: f64,
    pub lane_reach: f64,
    /// Whether only lanes trading places in a cycle move aside (a whole cell's move
    /// shows), or every lane standing where another stood (a fraction of a unit does not).
    pub lane_cycles_only: bool,
    /// One step aside for a port where another edge's port is across the channel.
    pub step: f64,
    /// How far such a port may go aside.
    pub reach: f64,
    /// How far a port moves to run its hop straight.
    pub straighten: f64,
    /// Whether fan-ins and fan-outs merge onto one port and track (where the output can
    /// draw a junction a reader can follow).
    pub merge: bool,
}

impl Routing {
    /// Pixels, with `separation` between parallel runs.
    pub fn pixels(separation: f64) -> Self {
        Routing {
            grid: 10.0,
            separation,
            port_gap: 12.0,
            margin_share: 0.12,
            margin_most: 16.0,
            lane_step: 0.2,
            lane_reach: f64::INFINITY,
            lane_cycles_only: false,
            step: 0.2,
            reach: 1.0,
            straighten: 0.5,
            merge: true,
        }
    }

    /// A place on the grid.
    fn on_grid(&self, x: f64) -> f64 {
        (x * self.grid).round() / self.grid
    }
}

/// Routes every hop between the nodes placed at `start`, each side of a node reaching
/// `spans[node].size` from its start.
pub fn route(
    design: &Design,
    graph: &LayeredGraph,
    start: &[f64],
    spans: &[Span],
    routing: Routing,
) -> Routes {
    let rank_count = graph.ranks.len();
    let attach = attach_points(graph, start, spans, routing);
    let merges = Merges::find(design, graph, &attach, start, spans, routing.merge);
    let (mut from, mut to) = ports(graph, &attach, &merges, start, spans, routing);
    for hop in 0..graph.hops.len() {
        from[hop] = routing.on_grid(from[hop]);
        to[hop] = routing.on_grid(to[hop]);
    }
    let mut sides = Sides::new(graph, start, spans, routing, &from, &to, &merges);
    sides.straighten(graph, &mut from, &mut to);
    let mut channels: Vec<Vec<Segment>> = vec![Vec::new(); rank_count.saturating_sub(1)];
    let mut place = Vec::with_capacity(graph.hops.len());
    for (hop, &Hop { upper, .. }) in graph.hops.iter().enumerate() {
        let channel = graph.nodes[upper].rank;
        place.push(channels[channel].len() as u32);
        channels[channel].push(Segment {
            hop: hop as u32,
            from: from[hop],
            to: to[hop],
            track: None,
        });
    }
    for segments in &mut channels {
        sides.separate(graph, segments);
    }
    let tracks = channels
        .iter_mut()
        .map(|segments| assign_tracks(segments, &merges, routing.separation))
        .collect();
    Routes {
        channels,
        place,
        tracks,
    }
}

/// Bent hops at one side of a component that come from (or go to) the same side of it,
/// of unlabelled flows drawn alike and pointing the same way, merge there: one port and
/// one track, so a fan-in reads as lines joining one line into the box, and a fan-out
/// as one line splitting. A hop merges at its lower end if it can, else at its upper.
struct Merges {
    /// Group of each hop, if it merges.
    group: Vec<Option<u32>>,
    /// Of each group: its component, and the place of the nearest member's other end.
    nearest: Vec<(usize, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct MergeKey {
    component: usize,
    /// At the component's upper side (else its lower side).
    upper_side: bool,
    /// The other ends are left of the box (else right of it).
    left: bool,
    mode: FlowMode,
    optional: bool,
    reversed: bool,
}

impl Merges {
    fn find(
        design: &Design,
        graph: &LayeredGraph,
        attach: &[f64],
        start: &[f64],
        spans: &[Span],
        merge: bool,
    ) -> Self {
        let mut merges = Merges {
            group: vec![None; graph.hops.len()],
            nearest: Vec::new(),
        };
        for upper_side in [true, false].into_iter().filter(|_| merge) {
            merges.add_side(design, graph, attach, start, spans, upper_side);
        }
        merges
    }

    /// Groups, at each component's upper (or lower) side, the hops not merged yet.
    fn add_side(
        &mut self,
        design: &Design,
        graph: &LayeredGraph,
        attach: &[f64],
        start: &[f64],
        spans: &[Span],
        upper_side: bool,
    ) {
        let mut index: FxHashMap<MergeKey, usize> = FxHashMap::default();
        // Of each candidate group: its component, its members, the nearest other end.
        let mut groups: Vec<(usize, Vec<usize>, f64)> = Vec::new();
        for (hop, h) in graph.hops.iter().enumerate() {
            let (component, other) = if upper_side {
                (h.lower, h.upper)
            } else {
                (h.upper, h.lower)
            };
            let flow = &design.flows[h.flow];
            if self.group[hop].is_some() || flow.label.is_some() || !graph.is_component(component) {
                continue;
            }
            let x = attach[other];
            let (low, high) = (start[component], start[component] + spans[component].size);
            if (low..=high).contains(&x) {
                continue;
            }
            let key = MergeKey {
                component,
                upper_side,
                left: x < low,
                mode: flow.mode,
                optional: flow.optional,
                reversed: graph.edges[h.flow].reversed,
            };
            let g = *index.entry(key).or_insert_with(|| {
                groups.push((component, Vec::new(), x));
                groups.len() - 1
            });
            let (_, members, near) = &mut groups[g];
            members.push(hop);
            let centre = (low + high) / 2.0;
            if (x - centre).abs() < (*near - centre).abs() {
                *near = x;
            }
        }
        for (component, members, near) in groups {
            if members.len() < 2 {
                continue;
            }
            let group = self.nearest.len() as u32;
            self.nearest.push((component, near));
            for hop in members {
                self.group[hop] = Some(group);
            }
        }
    }
}

/// The port of every hop on its upper node's lower side and its lower node's upper side.
/// Lanes attach where they stand; components spread their ports along each side in the
/// order of the other ends (one port for each merged group).
fn ports(
    graph: &LayeredGraph,
    attach: &[f64],
    merges: &Merges,
    start: &[f64],
    spans: &[Span],
    routing: Routing,
) -> (Vec<f64>, Vec<f64>) {
    let is_component = |n: usize| graph.is_component(n);
    let mut from = vec![0.0; graph.hops.len()];
    let mut to = from.clone();
    // Components are the first nodes. Each side's ports: (other end, hop), a merged
    // group's once, at its nearest member.
    let components = graph
        .nodes
        .iter()
        .take_while(|n| matches!(n.kind, NodeKind::Component(_)))
        .count();
    let mut lower_side: Vec<Vec<(f64, usize)>> = vec![Vec::new(); components];
    let mut upper_side: Vec<Vec<(f64, usize)>> = vec![Vec::new(); components];
    let mut group_port: Vec<Option<usize>> = vec![None; merges.nearest.len()];
    let mut members: Vec<(usize, u32, bool)> = Vec::new();
    for (hop, &Hop { upper, lower, .. }) in graph.hops.iter().enumerate() {
        for (node, other, sides, upper_side) in [
            (upper, lower, &mut lower_side, false),
            (lower, upper, &mut upper_side, true),
        ] {
            if !is_component(node) {
                continue;
            }
            match merges.group[hop].filter(|&g| merges.nearest[g as usize].0 == node) {
                Some(g) => {
                    members.push((hop, g, upper_side));
                    if group_port[g as usize].is_none() {
                        group_port[g as usize] = Some(hop);
                        sides[node].push((merges.nearest[g as usize].1, hop));
                    }
                }
                None => sides[node].push((attach[other], hop)),
            }
        }
    }
    for (hop, &Hop { upper, lower, .. }) in graph.hops.iter().enumerate() {
        if !is_component(upper) {
            from[hop] = attach[upper];
        }
        if !is_component(lower) {
            to[hop] = attach[lower];
        }
    }
    for node in 0..components {
        for (ports, side) in [
            (&mut from, &mut lower_side[node]),
            (&mut to, &mut upper_side[node]),
        ] {
            side.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let others: Vec<f64> = side.iter().map(|s| s.0).collect();
            let places = component_ports(start[node], spans[node].size, &others, routing);
            for (&(_, hop), place) in side.iter().zip(places) {
                ports[hop] = place;
            }
        }
    }
    // Every member of a group takes the port its group was given.
    for (hop, group, upper_side) in members {
        let first = group_port[group as usize].unwrap_or(hop);
        if upper_side {
            to[hop] = to[first];
        } else {
            from[hop] = from[first];
        }
    }
    (from, to)
}

/// Where each node's edges attach. A lane that stands exactly where another lane stood in
/// the rank above moves a step aside ([`Routing::lane_step`]), with the rest of its run:
/// lanes trading places in a cycle (two swapping, three rotating…) could not be routed
/// apart, as each would have to turn before the next, and a lane cannot move a port as a
/// box can. In whole cells a box a line or two across cannot move its port either, so a
/// lane trading places with such a port moves instead.
fn attach_points(
    graph: &LayeredGraph,
    start: &[f64],
    spans: &[Span],
    routing: Routing,
) -> Vec<f64> {
    let step = routing.lane_step;
    let mut at: Vec<f64> = (0..graph.nodes.len())
        .map(|n| start[n] + spans[n].anchor)
        .collect();
    let is_lane = |n: usize| graph.is_lane(n);
    let mut by_channel: Vec<Vec<(usize, usize)>> = vec![Vec::new(); graph.ranks.len()];
    for &Hop { upper, lower, .. } in &graph.hops {
        // Whole cells also look at hops between a lane and a box: a box a line or two
        // across has one place for a port, so a lane trading places with it must move.
        let kept = match (is_lane(upper), is_lane(lower)) {
            (true, true) => true,
            (true, false) | (false, true) => routing.lane_cycles_only,
            (false, false) => false,
        };
        if kept {
            by_channel[graph.nodes[upper].rank].push((upper, lower));
        }
    }
    let run_of = |lane: usize| graph.lane_runs.partition_point(|r| r.end <= lane);
    // How far each run has moved so far; a lane takes its run's move when its channel
    // comes, so a move costs one step, not the rest of the run.
    let mut moved = vec![0.0; graph.lane_runs.len()];
    for hops in &by_channel {
        // A lane's only lane above it is the one before it in its run.
        for &(_, lower) in hops.iter().filter(|&&(_, lower)| is_lane(lower)) {
            at[lower] += moved[run_of(lower)];
        }
        let meeting: Vec<usize> = if routing.lane_cycles_only {
            trading_places(hops, &at)
                .into_iter()
                .map(|hop| {
                    // A box's port stays; the lane at the other end of the hop moves.
                    let (upper, lower) = hops[hop];
                    if is_lane(lower) {
                        lower
                    } else {
                        upper
                    }
                })
                .collect()
        } else {
            meeting_lanes(hops, &at)
        };
        for lane in meeting {
            if (moved[run_of(lane)] + step).abs() <= routing.lane_reach {
                moved[run_of(lane)] += step;
                at[lane] += step;
            }
        }
    }
    at
}

/// The lower lane of each of a channel's lane-to-lane hops (upper, lower) that arrives
/// where another hop leaves.
fn meeting_lanes(hops: &[(usize, usize)], at: &[f64]) -> Vec<usize> {
    let leaving: FxHashMap<i64, usize> = hops
        .iter()
        .map(|&(upper, _)| (grid_key(at[upper]), upper))
        .collect();
    hops.iter()
        .filter(|&&(upper, lower)| {
            leaving
                .get(&grid_key(at[lower]))
                .is_some_and(|&other| other != upper)
        })
        .map(|&(_, lower)| lower)
        .collect()
}

/// One hop of each cycle of hops trading places among a channel's hops `(upper, lower)`: a
/// hop must turn before the hop arriving where it leaves, and each place is left and
/// reached by one hop at most (a box's hops, merged or not, count as one), so following
/// those hops finds every cycle in one pass.
fn trading_places(hops: &[(usize, usize)], at: &[f64]) -> Vec<usize> {
    let arriving: FxHashMap<i64, usize> = hops
        .iter()
        .enumerate()
        .map(|(index, &(_, lower))| (grid_key(at[lower]), index))
        .collect();
    let next = |index: usize| {
        arriving
            .get(&grid_key(at[hops[index].0]))
            .copied()
            .filter(|&other| other != index)
    };
    // 0: not seen, 1: on the path followed now, 2: done.
    let mut seen = vec![0u8; hops.len()];
    let mut cycles = Vec::new();
    for first in 0..hops.len() {
        let mut path = Vec::new();
        let mut index = Some(first);
        while let Some(i) = index.filter(|&i| seen[i] == 0) {
            seen[i] = 1;
            path.push(i);
            index = next(i);
        }
        if let Some(i) = index.filter(|&i| seen[i] == 1) {
            cycles.push(i);
        }
        for i in path {
            seen[i] = 2;
        }
    }
    cycles
}

/// The ports on each side of each component, for moving one without passing or landing
/// on another.
struct Sides {
    /// Of each component: where its ports may go (off its corners), and how many ports
    /// are at each place on its lower (`[0]`) and upper (`[1]`) side.
    window: Vec<(f64, f64)>,
    taken: Vec<[BTreeMap<i64, usize>; 2]>,
    /// Whether each hop's port at its upper and at its lower end can move alone: a
    /// component's, not shared by a merged group.
    movable: Vec<(bool, bool)>,
    routing: Routing,
}

impl Sides {
    fn new(
        graph: &LayeredGraph,
        start: &[f64],
        spans: &[Span],
        routing: Routing,
        from: &[f64],
        to: &[f64],
        merges: &Merges,
    ) -> Self {
        let components = graph
            .nodes
            .iter()
            .take_while(|n| matches!(n.kind, NodeKind::Component(_)))
            .count();
        let corner = 1.0 / routing.grid;
        let window = (0..components)
            .map(|n| (start[n] + corner, start[n] + spans[n].size - corner))
            .collect();
        let mut taken = vec![[BTreeMap::new(), BTreeMap::new()]; components];
        let mut movable = Vec::with_capacity(graph.hops.len());
        for (hop, &Hop { upper, lower, .. }) in graph.hops.iter().enumerate() {
            if upper < components {
                *taken[upper][0].entry(grid_key(from[hop])).or_default() += 1;
            }
            if lower < components {
                *taken[lower][1].entry(grid_key(to[hop])).or_default() += 1;
            }
            let merged = merges.group[hop].is_some();
            movable.push((upper < components && !merged, lower < components && !merged));
        }
        Sides {
            window,
            taken,
            movable,
            routing,
        }
    }

    /// Whether a port of a side (`counts` by place) other than the one at `own` lies in
    /// `places`; it stops at the first, so it costs a lookup, not a count of the range.
    fn other_in(
        counts: &BTreeMap<i64, usize>,
        own: i64,
        places: impl std::ops::RangeBounds<i64>,
    ) -> bool {
        counts
            .range(places)
            .any(|(&place, &count)| count > usize::from(place == own))
    }

    fn shift(counts: &mut BTreeMap<i64, usize>, before: i64, after: i64) {
        if let Some(count) = counts.get_mut(&before) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&before);
            }
        }
        *counts.entry(after).or_default() += 1;
    }

    /// Moves a component's port in line with the other end of its hop, where that is
    /// within `routing.straighten`, the box reaches and no other port of the side is
    /// within a grid step of it or passed on the way; the lower end first, so arrows
    /// line up under their source.
    fn straighten(&mut self, graph: &LayeredGraph, from: &mut [f64], to: &mut [f64]) {
        let step = (10.0 / self.routing.grid).round() as i64;
        for (hop, &Hop { upper, lower, .. }) in graph.hops.iter().enumerate() {
            let (a, b) = (from[hop], to[hop]);
            if a == b || (a - b).abs() >= self.routing.straighten {
                continue;
            }
            let (upper_moves, lower_moves) = self.movable[hop];
            let ends = [(lower, 1, a, lower_moves), (upper, 0, b, upper_moves)];
            for (node, side, target, _) in ends.into_iter().filter(|end| end.3) {
                let (low, high) = self.window[node];
                if target < low || target > high {
                    continue;
                }
                let current = grid_key(if side == 1 { b } else { a });
                let wanted = grid_key(target);
                let counts = &self.taken[node][side];
                if Self::other_in(counts, current, wanted - step..=wanted + step)
                    || Self::other_in(counts, current, current.min(wanted)..current.max(wanted))
                {
                    continue;
                }
                Self::shift(&mut self.taken[node][side], current, wanted);
                if side == 1 {
                    to[hop] = target;
                } else {
                    from[hop] = target;
                }
                break;
            }
        }
    }

    /// Moves a component's port off a port of another edge on the other side of the
    /// channel. Where an edge leaves exactly where another arrives, the tracks must be
    /// ordered; two such meetings in opposite ways could not both be kept, so components
    /// avoid them.
    fn separate(&self, graph: &LayeredGraph, segments: &mut [Segment]) {
        let mut tops: BTreeMap<i64, usize> = BTreeMap::new();
        let mut bottoms: BTreeMap<i64, usize> = BTreeMap::new();
        for s in segments.iter() {
            *tops.entry(grid_key(s.from)).or_default() += 1;
            *bottoms.entry(grid_key(s.to)).or_default() += 1;
        }
        for segment in segments.iter_mut() {
            if segment.from == segment.to {
                continue;
            }
            let hop = graph.hops[segment.hop as usize];
            let (upper, lower) = self.movable[segment.hop as usize];
            if upper && bottoms.contains_key(&grid_key(segment.from)) {
                if let Some(x) = self.nudge(hop.upper, segment.from, &tops, &bottoms) {
                    Self::shift(&mut tops, grid_key(segment.from), grid_key(x));
                    segment.from = x;
                }
            }
            if lower && tops.contains_key(&grid_key(segment.to)) {
                if let Some(x) = self.nudge(hop.lower, segment.to, &bottoms, &tops) {
                    Self::shift(&mut bottoms, grid_key(segment.to), grid_key(x));
                    segment.to = x;
                }
            }
        }
    }

    /// The nearest place within `routing.reach` of `x` and on `node`'s side, free of the
    /// channel's ports on this side (`own`) and the other, passing none of this side's
    /// if it can (two lines of the box would cross).
    fn nudge(
        &self,
        node: usize,
        x: f64,
        own: &BTreeMap<i64, usize>,
        other: &BTreeMap<i64, usize>,
    ) -> Option<f64> {
        let (low, high) = self.window[node];
        let routing = self.routing;
        let current = grid_key(x);
        let candidates = || {
            (1..)
                .map(|k| f64::from(k) * routing.step)
                .take_while(move |&d| d <= routing.reach && (x + d <= high || x - d >= low))
                .flat_map(move |d| [x + d, x - d])
                .map(move |c| routing.on_grid(c))
                .filter(move |&c| (low..=high).contains(&c))
        };
        let free = |c: f64| !own.contains_key(&grid_key(c)) && !other.contains_key(&grid_key(c));
        let in_order = |c: f64| {
            let key = grid_key(c);
            !Self::other_in(own, current, current.min(key)..current.max(key))
        };
        candidates()
            .find(|&c| free(c) && in_order(c))
            .or_else(|| candidates().find(|&c| free(c)))
    }
}

/// Ports on one side of a component, in the order of the other ends: each right in line
/// with its other end when the box reaches that far (so the edge runs straight), else as
/// near as it can, keeping ports apart; evenly spread when they would be too crowded.
fn component_ports(start: f64, size: f64, others: &[f64], routing: Routing) -> Vec<f64> {
    let count = others.len();
    let margin = (size * routing.margin_share).min(routing.margin_most);
    let (low, high) = (start + margin, start + size - margin);
    let gap = if count > 1 {
        routing.port_gap.min((high - low) / (count - 1) as f64)
    } else {
        0.0
    };
    if count > 1 && gap < routing.separation {
        return (0..count)
            .map(|i| start + size * (i as f64 + 1.0) / (count as f64 + 1.0))
            .collect();
    }
    let targets: Vec<f64> = others.iter().map(|&x| x.max(low).min(high)).collect();
    let offsets: Vec<f64> = (0..count).map(|i| i as f64 * gap).collect();
    let mut places =
        super::position::pool_adjacent_violators(&targets, &vec![1.0; count], &offsets);
    // Each port inside the window that leaves room for the others, then apart: a port
    // pushed after its left neighbour never leaves its own window.
    for i in 0..count {
        let window = (low + offsets[i], high - offsets[count - 1 - i]);
        // (max then min: rounding can put the window's ends a hair the wrong way round.)
        places[i] = places[i].max(window.0).min(window.1);
        if i > 0 {
            places[i] = places[i].max(places[i - 1] + gap);
        }
    }
    places
}

/// A place on the finest grid (a tenth of a unit) as a whole number, for finding ports
/// that coincide.
fn grid_key(x: f64) -> i64 {
    (x * 10.0).round() as i64
}

/// Gives each bent segment a track (0 nearest the upper rank); returns how many are used.
/// A merged group takes one track, over the reach of all its members, unless a member
/// leaves where another segment arrives (or arrives where one leaves): the order of
/// their tracks is then required, and a run standing for the whole group cannot say it;
/// or unless its members run both ways from the shared port.
fn assign_tracks(segments: &mut [Segment], merges: &Merges, separation: f64) -> usize {
    let mut leaving: FxHashMap<i64, Vec<usize>> = FxHashMap::default();
    let mut arriving: FxHashMap<i64, Vec<usize>> = FxHashMap::default();
    for (i, s) in segments.iter().enumerate().filter(|(_, s)| s.from != s.to) {
        leaving.entry(grid_key(s.from)).or_default().push(i);
        arriving.entry(grid_key(s.to)).or_default().push(i);
    }
    let group = |i: usize| merges.group[segments[i].hop as usize];
    let mut tangled: FxHashSet<u32> = FxHashSet::default();
    // Which way the members of each group run, by the first of them met.
    let mut heading: FxHashMap<u32, bool> = FxHashMap::default();
    for (i, s) in segments.iter().enumerate().filter(|(_, s)| s.from != s.to) {
        let Some(g) = group(i) else { continue };
        // Members on both sides of the shared port (a port moved past it) cannot be one run.
        if *heading.entry(g).or_insert(s.from < s.to) != (s.from < s.to) {
            tangled.insert(g);
        }
        let meets = |at: Option<&Vec<usize>>| {
            at.into_iter()
                .flatten()
                .any(|&other| other != i && group(other) != Some(g))
        };
        if meets(arriving.get(&grid_key(s.from))) || meets(leaving.get(&grid_key(s.to))) {
            tangled.insert(g);
        }
    }
    let mut runs: Vec<tracks::Run> = Vec::new();
    let mut run_of: Vec<Option<usize>> = vec![None; segments.len()];
    let mut run_of_group: FxHashMap<u32, usize> = FxHashMap::default();
    for (i, segment) in segments.iter().enumerate() {
        if segment.from == segment.to {
            continue;
        }
        let run = tracks::Run {
            from: segment.from,
            to: segment.to,
        };
        let merged = merges.group[segment.hop as usize].filter(|g| !tangled.contains(g));
        let index = match merged {
            Some(group) => *run_of_group.entry(group).or_insert_with(|| {
                runs.push(run);
                runs.len() - 1
            }),
            None => {
                runs.push(run);
                runs.len() - 1
            }
        };
        // A group's run reaches from its shared port to its farthest member's other end.
        let reach = &mut runs[index];
        if (run.from - run.to).abs() > (reach.from - reach.to).abs() {
            *reach = run;
        }
        run_of[i] = Some(index);
    }
    let assigned = tracks::assign(&runs, separation);
    for (segment, run) in segments.iter_mut().zip(&run_of) {
        segment.track = run.map(|r| assigned[r] as u32);
    }
    assigned.iter().map(|&t| t + 1).max().unwrap_or(0)
}
