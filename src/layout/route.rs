//! Layout stage 4: orthogonal edge routing. Between two ranks lies a channel; an edge
//! segment leaves its upper node at a port, runs down to its own horizontal track, along
//! it, and down to a port on its lower node. Ports on a node are spread along its side in
//! the order of the nodes at the other ends, so edges of one node never cross each other.
//! Tracks are assigned so that overlapping runs never share a track, and ordered so that
//! two runs that need not cross do not. Unlabelled flows drawn alike that reach one side
//! of a component from the same side merge there, on one port and one track.

use super::position::Span;
use super::rank::{Hop, LayeredGraph, NodeKind};
use super::tracks;
use crate::model::Design;
use crate::syntax::ast::FlowMode;
use rustc_hash::{FxHashMap, FxHashSet};

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

/// `separation` is the least distance between two ports or two parallel runs.
pub fn route(
    design: &Design,
    graph: &LayeredGraph,
    start: &[f64],
    spans: &[Span],
    separation: f64,
) -> Routes {
    let rank_count = graph.ranks.len();
    let attach = attach_points(graph, start, spans);
    let is_component = |n: usize| graph.is_component(n);
    let merges = Merges::find(design, graph, &attach, start, spans);
    let (from, to) = ports(graph, &attach, &merges, start, spans, separation);
    let mut channels: Vec<Vec<Segment>> = vec![Vec::new(); rank_count.saturating_sub(1)];
    let mut place = Vec::with_capacity(graph.hops.len());
    // Whether each segment's upper and lower port is a component's that can move alone.
    let mut movable: Vec<Vec<(bool, bool)>> = vec![Vec::new(); channels.len()];
    for (hop, &Hop { upper, lower, .. }) in graph.hops.iter().enumerate() {
        let (mut a, mut b) = (on_grid(from[hop]), on_grid(to[hop]));
        let merged = merges.group[hop].is_some();
        // Nearly straight: move a component's port (a lane cannot move) to make it so.
        if (a - b).abs() < 0.5 && !merged {
            if is_component(lower) {
                b = a;
            } else if is_component(upper) {
                a = b;
            }
        }
        let channel = graph.nodes[upper].rank;
        place.push(channels[channel].len() as u32);
        channels[channel].push(Segment {
            hop: hop as u32,
            from: a,
            to: b,
            track: None,
        });
        movable[channel].push((
            is_component(upper) && !merged,
            is_component(lower) && !merged,
        ));
    }
    for (segments, movable) in channels.iter_mut().zip(&movable) {
        separate_ports(segments, movable);
    }
    let tracks = channels
        .iter_mut()
        .map(|segments| assign_tracks(segments, &merges, separation))
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
    ) -> Self {
        let mut merges = Merges {
            group: vec![None; graph.hops.len()],
            nearest: Vec::new(),
        };
        for upper_side in [true, false] {
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
    separation: f64,
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
            let places = component_ports(start[node], spans[node].size, &others, separation);
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
/// the rank above moves a fifth of a unit aside, with the rest of its run: lanes trading
/// places in a cycle (two swapping, three rotating…) could not be routed apart, as each
/// would have to turn before the next, and a lane cannot move a port as a box can.
fn attach_points(graph: &LayeredGraph, start: &[f64], spans: &[Span]) -> Vec<f64> {
    let mut at: Vec<f64> = (0..graph.nodes.len())
        .map(|n| start[n] + spans[n].anchor)
        .collect();
    let is_lane = |n: usize| graph.is_lane(n);
    let mut by_channel: Vec<Vec<(usize, usize)>> = vec![Vec::new(); graph.ranks.len()];
    for &Hop { upper, lower, .. } in &graph.hops {
        if is_lane(upper) && is_lane(lower) {
            by_channel[graph.nodes[upper].rank].push((upper, lower));
        }
    }
    let run_of = |lane: usize| graph.lane_runs.partition_point(|r| r.end <= lane);
    // How far each run has moved so far; a lane takes its run's move when its channel
    // comes, so a move costs one step, not the rest of the run.
    let mut moved = vec![0.0; graph.lane_runs.len()];
    for hops in &by_channel {
        // A lane's only lane above it is the one before it in its run.
        for &(_, lower) in hops {
            at[lower] += moved[run_of(lower)];
        }
        let leaving: FxHashMap<i64, usize> = hops
            .iter()
            .map(|&(upper, _)| (grid_key(at[upper]), upper))
            .collect();
        for &(upper, lower) in hops {
            if leaving
                .get(&grid_key(at[lower]))
                .is_some_and(|&other| other != upper)
            {
                moved[run_of(lower)] += 0.2;
                at[lower] += 0.2;
            }
        }
    }
    at
}

/// Moves a component's port off a port of another edge on the other side of the channel.
/// Where an edge leaves exactly where another arrives, the tracks must be ordered; two
/// such meetings in opposite ways could not both be kept, so components avoid them.
fn separate_ports(segments: &mut [Segment], movable: &[(bool, bool)]) {
    let mut tops: FxHashMap<i64, usize> = FxHashMap::default();
    let mut bottoms: FxHashMap<i64, usize> = FxHashMap::default();
    for s in segments.iter() {
        *tops.entry(grid_key(s.from)).or_default() += 1;
        *bottoms.entry(grid_key(s.to)).or_default() += 1;
    }
    for (index, &(upper, lower)) in movable.iter().enumerate() {
        let s = &segments[index];
        if s.from == s.to {
            continue;
        }
        if upper && bottoms.get(&grid_key(s.from)).is_some_and(|&n| n > 0) {
            let free = nudge(s.from, |k| {
                !bottoms.contains_key(&k) && !tops.contains_key(&k)
            });
            if let Some(x) = free {
                decrement(&mut tops, grid_key(s.from));
                *tops.entry(grid_key(x)).or_default() += 1;
                segments[index].from = x;
            }
        }
        let s = &segments[index];
        if lower && tops.get(&grid_key(s.to)).is_some_and(|&n| n > 0) {
            let free = nudge(s.to, |k| {
                !bottoms.contains_key(&k) && !tops.contains_key(&k)
            });
            if let Some(x) = free {
                decrement(&mut bottoms, grid_key(s.to));
                *bottoms.entry(grid_key(x)).or_default() += 1;
                segments[index].to = x;
            }
        }
    }
}

fn decrement(counts: &mut FxHashMap<i64, usize>, key: i64) {
    if let Some(count) = counts.get_mut(&key) {
        *count -= 1;
        if *count == 0 {
            counts.remove(&key);
        }
    }
}

/// The nearest place within a unit of `x`, on the grid, that `free` accepts.
fn nudge(x: f64, free: impl Fn(i64) -> bool) -> Option<f64> {
    (1..=5)
        .flat_map(|step| [step, -step])
        .map(|step| on_grid(x + 0.2 * f64::from(step)))
        .find(|&candidate| free(grid_key(candidate)))
}

/// Ports on one side of a component, in the order of the other ends: each right in line
/// with its other end when the box reaches that far (so the edge runs straight), else as
/// near as it can, keeping ports apart; evenly spread when they would be too crowded.
fn component_ports(start: f64, size: f64, others: &[f64], separation: f64) -> Vec<f64> {
    const PREFERRED_GAP: f64 = 12.0;
    let count = others.len();
    let margin = (size * 0.12).min(16.0);
    let (low, high) = (start + margin, start + size - margin);
    let gap = if count > 1 {
        PREFERRED_GAP.min((high - low) / (count - 1) as f64)
    } else {
        0.0
    };
    if count > 1 && gap < separation {
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

/// Ports sit on a grid of a tenth of a unit, the precision outputs are written with, so
/// two ports either coincide exactly or stay apart once written.
fn on_grid(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A place on that grid as a whole number, for finding ports that coincide.
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
