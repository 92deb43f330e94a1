//! Layout stage 4: orthogonal edge routing. Between two ranks lies a channel; an edge
//! segment leaves its upper node at a port, runs down to its own horizontal track, along
//! it, and down to a port on its lower node. Ports on a node are spread along its side in
//! the order of the nodes at the other ends, so edges of one node never cross each other.
//! Tracks are assigned so that overlapping runs never share a track, and ordered so that
//! two runs that need not cross do not.

use super::position::Span;
use super::rank::{LayeredGraph, NodeKind};
use super::tracks;
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
pub fn route(graph: &LayeredGraph, start: &[f64], spans: &[Span], separation: f64) -> Routes {
    let rank_count = graph.ranks.len();
    let attach_at = attach_points(graph, start, spans);
    let attach = |node: usize| attach_at[node];
    let is_component = |n: usize| matches!(graph.nodes[n].kind, NodeKind::Component(_));
    let mut from = vec![0.0; graph.hops.len()];
    let mut to = from.clone();
    // Lanes attach where they stand; components spread their ports along each side, by
    // (other end's attach point, hop). Components are the first nodes.
    let components = graph
        .nodes
        .iter()
        .take_while(|n| matches!(n.kind, NodeKind::Component(_)))
        .count();
    let mut lower_side: Vec<Vec<(f64, usize)>> = vec![Vec::new(); components];
    let mut upper_side: Vec<Vec<(f64, usize)>> = vec![Vec::new(); components];
    for (hop, &(upper, lower)) in graph.hops.iter().enumerate() {
        if is_component(upper) {
            lower_side[upper].push((attach(lower), hop));
        } else {
            from[hop] = attach(upper);
        }
        if is_component(lower) {
            upper_side[lower].push((attach(upper), hop));
        } else {
            to[hop] = attach(lower);
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
    let mut channels: Vec<Vec<Segment>> = vec![Vec::new(); rank_count.saturating_sub(1)];
    let mut place = Vec::with_capacity(graph.hops.len());
    // Whether each segment's upper and lower port is a component's (which can move).
    let mut movable: Vec<Vec<(bool, bool)>> = vec![Vec::new(); channels.len()];
    for (hop, &(upper, lower)) in graph.hops.iter().enumerate() {
        let (mut a, mut b) = (on_grid(from[hop]), on_grid(to[hop]));
        // Nearly straight: move a component's port (a lane cannot move) to make it so.
        if (a - b).abs() < 0.5 {
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
        movable[channel].push((is_component(upper), is_component(lower)));
    }
    for (segments, movable) in channels.iter_mut().zip(&movable) {
        separate_ports(segments, movable);
    }
    let tracks = channels
        .iter_mut()
        .map(|segments| assign_tracks(segments, separation))
        .collect();
    Routes {
        channels,
        place,
        tracks,
    }
}

/// Where each node's edges attach. Two lanes that cross between two ranks, each exactly
/// where the other stood, could not be routed apart (each needs the column the other
/// leaves), so the lower one moves a fifth of a unit aside, with the rest of its run.
fn attach_points(graph: &LayeredGraph, start: &[f64], spans: &[Span]) -> Vec<f64> {
    let mut at: Vec<f64> = (0..graph.nodes.len())
        .map(|n| start[n] + spans[n].anchor)
        .collect();
    let is_lane = |n: usize| matches!(graph.nodes[n].kind, NodeKind::Dummy(_) | NodeKind::Label(_));
    let mut by_channel: Vec<Vec<(usize, usize)>> = vec![Vec::new(); graph.ranks.len()];
    for &(upper, lower) in &graph.hops {
        if is_lane(upper) && is_lane(lower) {
            by_channel[graph.nodes[upper].rank].push((upper, lower));
        }
    }
    let key = |x: f64| (x * 10.0).round() as i64;
    for hops in &by_channel {
        let mut crossings: FxHashSet<(i64, i64)> = FxHashSet::default();
        for &(upper, lower) in hops {
            if crossings.contains(&(key(at[lower]), key(at[upper]))) {
                let run = &graph.lane_runs[graph.lane_runs.partition_point(|r| r.end <= lower)];
                for place in &mut at[lower..run.end] {
                    *place += 0.2;
                }
            }
            crossings.insert((key(at[upper]), key(at[lower])));
        }
    }
    at
}

/// Moves a component's port off a port of another edge on the other side of the channel.
/// Where an edge leaves exactly where another arrives, the tracks must be ordered; two
/// such meetings in opposite ways could not both be kept, so components avoid them.
fn separate_ports(segments: &mut [Segment], movable: &[(bool, bool)]) {
    let key = |x: f64| (x * 10.0).round() as i64;
    let mut tops: FxHashMap<i64, usize> = FxHashMap::default();
    let mut bottoms: FxHashMap<i64, usize> = FxHashMap::default();
    for s in segments.iter() {
        *tops.entry(key(s.from)).or_default() += 1;
        *bottoms.entry(key(s.to)).or_default() += 1;
    }
    for (index, &(upper, lower)) in movable.iter().enumerate() {
        let s = &segments[index];
        if s.from == s.to {
            continue;
        }
        if upper && bottoms.get(&key(s.from)).is_some_and(|&n| n > 0) {
            let free = nudge(
                s.from,
                |k| !bottoms.contains_key(&k) && !tops.contains_key(&k),
                key,
            );
            if let Some(x) = free {
                decrement(&mut tops, key(s.from));
                *tops.entry(key(x)).or_default() += 1;
                segments[index].from = x;
            }
        }
        let s = &segments[index];
        if lower && tops.get(&key(s.to)).is_some_and(|&n| n > 0) {
            let free = nudge(
                s.to,
                |k| !bottoms.contains_key(&k) && !tops.contains_key(&k),
                key,
            );
            if let Some(x) = free {
                decrement(&mut bottoms, key(s.to));
                *bottoms.entry(key(x)).or_default() += 1;
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
fn nudge(x: f64, free: impl Fn(i64) -> bool, key: impl Fn(f64) -> i64) -> Option<f64> {
    (1..=5)
        .flat_map(|step| [step, -step])
        .map(|step| on_grid(x + 0.2 * f64::from(step)))
        .find(|&candidate| free(key(candidate)))
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

/// Gives each bent segment a track (0 nearest the upper rank); returns how many are used.
fn assign_tracks(segments: &mut [Segment], separation: f64) -> usize {
    let bent: Vec<usize> = (0..segments.len())
        .filter(|&i| segments[i].from != segments[i].to)
        .collect();
    let runs: Vec<tracks::Run> = bent
        .iter()
        .map(|&i| tracks::Run {
            from: segments[i].from,
            to: segments[i].to,
        })
        .collect();
    let assigned = tracks::assign(&runs, separation);
    for (&i, &track) in bent.iter().zip(&assigned) {
        segments[i].track = Some(track as u32);
    }
    assigned.iter().map(|&t| t + 1).max().unwrap_or(0)
}
