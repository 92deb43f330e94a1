//! Layout stage 2: the order of the nodes in each rank, to reduce edge crossings.
//! Median sweeps down and up the ranks with a transpose pass after each, keeping the best
//! order by an exact crossing count, then on small graphs sifting, and there again from
//! the declared order with its lanes straight and from a few scrambled starts, keeping
//! the order that crosses least (a scrambled one only if it halves the crossings). The
//! order kept is then sifted a long flow at a time ([`run_sift`]) and node by node. Group
//! members stay contiguous, groups keep their declaration order among themselves (so a
//! group's frame is one rectangle), and every tie keeps the current order. The result
//! depends only on the declaration order and the names: a scrambled start comes from each
//! node's names, so adding a component leaves the other nodes' starts as they were and
//! the drawing stable.

mod run_sift;

use super::rank::{Adjacency, LayeredGraph, NodeKind};
use crate::model::{Design, GroupId};
use rustc_hash::FxHashMap;

/// Sweeps after which the order stops if the crossing count has not improved.
const PATIENCE: usize = 6;
const MAX_SWEEPS: usize = 24;
/// Sweeps times layered nodes: a graph of up to 5,000 nodes gets every sweep, a larger one
/// fewer, so the order's time grows with the graph instead of jumping where one more
/// doubling of the graph also needs more sweeps to settle. Each sweep of a large graph
/// costs tens of milliseconds, and its drawing is too big to read edge by edge anyway.
const SWEEP_BUDGET: usize = MAX_SWEEPS * 5_000;
const MIN_SWEEPS: usize = 8;
const MAX_TRANSPOSE_PASSES: usize = 8;
/// Sifting is quadratic in a rank's length, so it is left to graphs small enough to be
/// read edge by edge, where one more or one fewer crossing is seen.
const SIFT_LIMIT: usize = 2_000;
const MAX_SIFT_PASSES: usize = 4;
/// Sifting whole lane runs weighs every pair of places a run's lanes could take in two
/// adjacent ranks, so a pass grows with the square of the ranks' lengths: its passes are
/// left to graphs where they stay within this many pairs together (a pass over 200
/// generated components weighs 2 million, over 400 components 17 million).
const RUN_SIFT_BUDGET: usize = 8_000_000;
/// Further starts from scrambled orders on graphs small enough to sift: as many as
/// `RESTART_BUDGET` layered nodes allow, between `MIN_RESTARTS` and the caller's most
/// (a design the size of a template gets the most, one of hundreds of components still
/// renders in a tenth of a second). The best of them replaces the order started from
/// the declaration order (as declared, or with its lanes straight) only if it crosses at
/// most half as often: the declared start keeps a drawing close to how its design is
/// written and stable across edits, which a few crossings fewer are not worth.
const RESTART_BUDGET: usize = 32_000;
const MIN_RESTARTS: usize = 8;
/// Which starts an ordering tries beyond the declared one.
#[derive(Debug, Clone, Copy)]
pub struct Starts {
    /// The most scrambled starts.
    pub most_restarts: usize,
    /// Also the declared order with its lanes straight. Text leaves it out: a lane there
    /// is a column of its own with a gap each side, so lanes started between boxes rather
    /// than at the end of their ranks widen a drawing that has to fit a terminal.
    pub straight_lanes: bool,
}

/// The starts of a drawing ordered once (pixels).
pub const PIXEL_STARTS: Starts = Starts {
    most_restarts: 64,
    straight_lanes: true,
};

#[derive(Debug, Clone)]
pub struct Order {
    /// Nodes of each rank, left to right.
    pub ranks: Vec<Vec<usize>>,
    /// Index of each node in its rank.
    pub position: Vec<usize>,
    /// Pairs of flows crossing between adjacent ranks, counted on the layered graph.
    pub crossings: u64,
}

/// The order of every rank, from the declared start and the others `starts` asks for.
pub fn order(graph: &LayeredGraph, design: &Design, starts: Starts) -> Order {
    let mut position = vec![0; graph.nodes.len()];
    let (mut crossings, mut ranks) = best_start(graph, design, starts, &mut position);
    index_positions(&ranks, &mut position);
    if graph.nodes.len() <= SIFT_LIMIT {
        crossings -= polish(graph, &mut ranks, &mut position);
    }
    let mut declared_position = vec![0; graph.nodes.len()];
    index_positions(&graph.ranks, &mut declared_position);
    transpose_toward(graph, &mut ranks, &mut position, Some(&declared_position));
    Order {
        ranks,
        position,
        crossings,
    }
}

/// The order settled from the declared start and the others `starts` asks for that is
/// kept, with its crossings.
fn best_start(
    graph: &LayeredGraph,
    design: &Design,
    starts: Starts,
    position: &mut [usize],
) -> (u64, Vec<Vec<usize>>) {
    let most_restarts = starts.most_restarts;
    let paths = group_paths(graph, design);
    index_positions(&graph.ranks, position);
    // Declaration order with each group's members together: lanes are made after the
    // components, and one in a group's frame would otherwise start apart from them, an
    // order kept when no sweep beats it.
    let declared: Vec<f64> = position.iter().map(|&p| p as f64).collect();
    let mut best = settle(graph, &paths, &declared, position);
    let small = graph.nodes.len() <= SIFT_LIMIT;
    if small && starts.straight_lanes && best.0 > 0 {
        let straight = settle(graph, &paths, &straight_lanes_start(graph), position);
        if straight.0 < best.0 {
            best = straight;
        }
    }
    if small && best.0 > 0 {
        let names: Vec<u64> = (0..graph.nodes.len())
            .map(|node| name_of(graph, design, node))
            .collect();
        let restarts = (RESTART_BUDGET / graph.nodes.len())
            .clamp(MIN_RESTARTS.min(most_restarts), most_restarts);
        let scrambled_best = (1..=restarts)
            .map(|restart| {
                let start: Vec<f64> = names
                    .iter()
                    .map(|&name| scrambled(name, restart as u64))
                    .collect();
                settle(graph, &paths, &start, position)
            })
            .min_by_key(|(crossings, _)| *crossings);
        if let Some(scrambled_best) = scrambled_best {
            if scrambled_best.0 * 2 <= best.0 {
                best = scrambled_best;
            }
        }
    }
    best
}

/// The declared order with each lane moved onto the straight line between its flow's
/// ends: each component (or filler) where the design declares it, as a share of its
/// rank. The declared start has every lane at the end of its rank, where they are made,
/// and a long flow's lanes are seldom moved across the rank one sweep at a time.
fn straight_lanes_start(graph: &LayeredGraph) -> Vec<f64> {
    let on_lane = |node: usize| {
        matches!(
            graph.nodes[node].kind,
            NodeKind::Dummy(_) | NodeKind::Label(_)
        )
    };
    let mut start = vec![f64::NAN; graph.nodes.len()];
    for rank in &graph.ranks {
        let placed: Vec<usize> = rank.iter().copied().filter(|&n| !on_lane(n)).collect();
        for (index, &node) in placed.iter().enumerate() {
            start[node] = (index as f64 + 0.5) / placed.len() as f64;
        }
    }
    for edge in &graph.edges {
        let (upper, lower) = (edge.chain[0], edge.chain[edge.chain.len() - 1]);
        let steps = (edge.chain.len() - 1) as f64;
        for (step, &lane) in edge.chain.iter().enumerate() {
            if on_lane(lane) && start[lane].is_nan() {
                start[lane] = start[upper] + (start[lower] - start[upper]) * step as f64 / steps;
            }
        }
    }
    start
}

/// Sweeps, transposes and sifts from the order `start` gives each rank (group members
/// together); returns the fewest crossings found and that order.
fn settle(
    graph: &LayeredGraph,
    paths: &Adjacency<GroupId>,
    start: &[f64],
    position: &mut [usize],
) -> (u64, Vec<Vec<usize>>) {
    let mut ranks: Vec<Vec<usize>> = graph
        .ranks
        .iter()
        .map(|nodes| {
            let mut arranged = Vec::with_capacity(nodes.len());
            arrange(nodes, 0, start, paths, &mut arranged);
            arranged
        })
        .collect();
    index_positions(&ranks, position);
    let mut best = (count_all(graph, &ranks, position), ranks.clone());
    let mut stall = 0;
    let mut value = vec![0.0; graph.nodes.len()];
    let sweeps = (SWEEP_BUDGET / graph.nodes.len().max(1)).clamp(MIN_SWEEPS, MAX_SWEEPS);
    for sweep in 0..sweeps {
        let downwards = sweep % 2 == 0;
        sweep_ranks(graph, paths, &mut ranks, position, &mut value, downwards);
        transpose(graph, &mut ranks, position);
        let crossings = count_all(graph, &ranks, position);
        if crossings < best.0 {
            best = (crossings, ranks.clone());
            stall = 0;
        } else {
            stall += 1;
            if stall >= PATIENCE || best.0 == 0 {
                break;
            }
        }
    }
    let (mut crossings, mut ranks) = best;
    index_positions(&ranks, position);
    if graph.nodes.len() <= SIFT_LIMIT {
        crossings -= sift(graph, &mut ranks, position);
    }
    (crossings, ranks)
}

/// A hash of what a node stands for, by the names in the design rather than by index, so
/// that a restart starts the other nodes alike when one is added (FNV-1a, fixed on every
/// platform and version).
fn name_of(graph: &LayeredGraph, design: &Design, node: usize) -> u64 {
    let layered = &graph.nodes[node];
    let names: [&str; 3] = match layered.kind {
        NodeKind::Component(c) => [&design.components[c].id, "", ""],
        NodeKind::Dummy(f) | NodeKind::Label(f) => {
            let flow = &design.flows[f];
            let role = if matches!(layered.kind, NodeKind::Label(_)) {
                "label"
            } else {
                "lane"
            };
            [
                &design.components[flow.from].id,
                &design.components[flow.to].id,
                role,
            ]
        }
        NodeKind::Filler(g) => [&design.groups[g].id, "", "filler"],
    };
    names
        .iter()
        .flat_map(|name| name.bytes().chain([0]))
        .fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
        })
}

/// A fixed pseudo-random value for `node` in restart `seed` (SplitMix64), so restarts
/// explore other orders and the result still depends only on the input.
fn scrambled(node: u64, seed: u64) -> f64 {
    let mut z = node
        .wrapping_add(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as f64
}

/// For each node, its groups from the outermost to the innermost.
pub(super) fn group_paths(graph: &LayeredGraph, design: &Design) -> Adjacency<GroupId> {
    let mut pairs = Vec::new();
    let mut path = Vec::new();
    for (node, layered) in graph.nodes.iter().enumerate() {
        path.clear();
        let mut group = layered.group;
        while let Some(g) = group {
            path.push(g);
            group = design.groups[g].parent;
        }
        pairs.extend(path.iter().rev().map(|&g| (node, g)));
    }
    Adjacency::new(graph.nodes.len(), &pairs)
}

fn index_positions(ranks: &[Vec<usize>], position: &mut [usize]) {
    for rank in ranks {
        for (index, &node) in rank.iter().enumerate() {
            position[node] = index;
        }
    }
}

fn sweep_ranks(
    graph: &LayeredGraph,
    paths: &Adjacency<GroupId>,
    ranks: &mut [Vec<usize>],
    position: &mut [usize],
    value: &mut [f64],
    downwards: bool,
) {
    let count = ranks.len();
    let sequence: Vec<usize> = if downwards {
        (1..count).collect()
    } else {
        (0..count.saturating_sub(1)).rev().collect()
    };
    let mut at = Vec::new();
    for rank in sequence {
        let fixed_len = if downwards {
            ranks[rank - 1].len()
        } else {
            ranks[rank + 1].len()
        };
        let own_len = ranks[rank].len().max(1);
        for (index, &node) in ranks[rank].iter().enumerate() {
            let neighbours = if downwards {
                &graph.up[node]
            } else {
                &graph.down[node]
            };
            at.clear();
            // A trunk pulls as hard as the flows it carries, up to 8: a fan-in of
            // thousands stays one pull among others, and sorting stays cheap.
            for &(n, flows) in neighbours {
                at.extend(std::iter::repeat_n(
                    position[n] as f64,
                    flows.min(8) as usize,
                ));
            }
            // A node with no neighbours there keeps its relative place in the rank.
            value[node] =
                median(&mut at).unwrap_or(index as f64 * fixed_len.max(1) as f64 / own_len as f64);
        }
        let mut arranged = Vec::with_capacity(ranks[rank].len());
        arrange(&ranks[rank], 0, value, paths, &mut arranged);
        ranks[rank] = arranged;
        for (index, &node) in ranks[rank].iter().enumerate() {
            position[node] = index;
        }
    }
}

/// Graphviz's weighted median: the middle position, interpolated towards the side where
/// the positions are packed closer when there is an even number of them.
fn median(at: &mut [f64]) -> Option<f64> {
    at.sort_by(f64::total_cmp);
    let m = at.len();
    match m {
        0 => None,
        _ if m % 2 == 1 => Some(at[m / 2]),
        2 => Some((at[0] + at[1]) / 2.0),
        _ => {
            let left = at[m / 2 - 1] - at[0];
            let right = at[m - 1] - at[m / 2];
            if left + right == 0.0 {
                Some((at[m / 2 - 1] + at[m / 2]) / 2.0)
            } else {
                Some((at[m / 2 - 1] * right + at[m / 2] * left) / (left + right))
            }
        }
    }
}

/// Sorts `nodes` by value, keeping each group's members together: a group is sorted as
/// one block by the mean of its members' values, then its inside is arranged the same way.
fn arrange(
    nodes: &[usize],
    depth: usize,
    value: &[f64],
    paths: &Adjacency<GroupId>,
    out: &mut Vec<usize>,
) {
    if nodes.iter().all(|&n| paths[n].len() <= depth) {
        let mut sorted = nodes.to_vec();
        sorted.sort_by(|&a, &b| value[a].total_cmp(&value[b]));
        out.extend(sorted);
        return;
    }
    let mut blocks: Vec<(Option<GroupId>, Vec<usize>)> = Vec::new();
    let mut block_of_group: FxHashMap<GroupId, usize> = FxHashMap::default();
    for &node in nodes {
        match paths[node].get(depth) {
            Some(&group) => {
                let index = *block_of_group.entry(group).or_insert_with(|| {
                    blocks.push((Some(group), Vec::new()));
                    blocks.len() - 1
                });
                blocks[index].1.push(node);
            }
            None => blocks.push((None, vec![node])),
        }
    }
    let block_value = |members: &Vec<usize>| {
        members.iter().map(|&n| value[n]).sum::<f64>() / members.len() as f64
    };
    blocks.sort_by(|a, b| block_value(&a.1).total_cmp(&block_value(&b.1)));
    // Groups take the places the sort gave them, but in declaration order.
    let slots: Vec<usize> = (0..blocks.len())
        .filter(|&i| blocks[i].0.is_some())
        .collect();
    let mut groups: Vec<(Option<GroupId>, Vec<usize>)> = slots
        .iter()
        .map(|&i| std::mem::take(&mut blocks[i]))
        .collect();
    groups.sort_by_key(|block| block.0);
    for (slot, group) in slots.into_iter().zip(groups) {
        blocks[slot] = group;
    }
    for (group, members) in blocks {
        if group.is_some() {
            arrange(&members, depth + 1, value, paths, out);
        } else {
            out.extend(members);
        }
    }
}

/// Swaps neighbours in a rank while that removes crossings.
fn transpose(graph: &LayeredGraph, ranks: &mut [Vec<usize>], position: &mut [usize]) {
    transpose_toward(graph, ranks, position, None);
}

/// Transposes, and with `declared` (each node's place in its rank as declared) also swaps
/// two components that cross as often either way into their declared order: of orders
/// that cross alike, the one nearer how the design is written, so two restarts that
/// settled on equally good orders draw more alike, and so do a design before and after
/// an edit.
fn transpose_toward(
    graph: &LayeredGraph,
    ranks: &mut [Vec<usize>],
    position: &mut [usize],
    declared: Option<&[usize]>,
) {
    // A rank needs another look only if it or a neighbouring rank changed.
    let mut dirty = vec![true; ranks.len()];
    for _ in 0..MAX_TRANSPOSE_PASSES {
        let mut next = vec![false; ranks.len()];
        for (r, rank) in ranks.iter_mut().enumerate() {
            if !dirty[r] {
                continue;
            }
            let mut changed = false;
            for i in 1..rank.len() {
                let (v, w) = (rank[i - 1], rank[i]);
                // Only nodes of the same innermost group can swap without splitting one.
                if graph.nodes[v].group != graph.nodes[w].group {
                    continue;
                }
                let kept = pair_crossings(graph, position, v, w);
                let swapped = pair_crossings(graph, position, w, v);
                let declared_first = |d: &[usize]| {
                    d[w] < d[v]
                        && matches!(graph.nodes[v].kind, NodeKind::Component(_))
                        && matches!(graph.nodes[w].kind, NodeKind::Component(_))
                };
                if swapped < kept || (swapped == kept && declared.is_some_and(declared_first)) {
                    rank.swap(i - 1, i);
                    position[v] = i;
                    position[w] = i - 1;
                    changed = true;
                }
            }
            if changed {
                let end = (r + 2).min(next.len());
                next[r.saturating_sub(1)..end].fill(true);
            }
        }
        if !next.contains(&true) {
            break;
        }
        dirty = next;
    }
}

/// Moves each node to the place in its run of same-group neighbours where it crosses
/// least (sifting), passing through worse places on the way, which transpose's swaps of
/// neighbours cannot. Returns the crossings removed.
fn sift(graph: &LayeredGraph, ranks: &mut [Vec<usize>], position: &mut [usize]) -> u64 {
    let mut removed = 0;
    for _ in 0..MAX_SIFT_PASSES {
        let before = removed;
        for rank in ranks.iter_mut() {
            for node in rank.clone() {
                removed += sift_node(graph, rank, position, node);
            }
        }
        if removed == before {
            break;
        }
    }
    removed
}

/// Sifts whole lane runs and then single nodes, in turn while that removes crossings and
/// [`RUN_SIFT_BUDGET`] allows; returns the crossings removed. The sweeps and the
/// sifting before them move one node at a time, and a long flow moved by one of its lanes
/// bends into more crossings, so its lanes stay on the side of the rank where they were
/// made.
fn polish(graph: &LayeredGraph, ranks: &mut [Vec<usize>], position: &mut [usize]) -> u64 {
    let passes = RUN_SIFT_BUDGET / run_sift::pass_cost(graph, ranks).max(1);
    let mut removed = 0;
    for _ in 0..passes.min(MAX_SIFT_PASSES) {
        let now = run_sift::sift_runs(graph, ranks, position) + sift(graph, ranks, position);
        if now == 0 {
            break;
        }
        removed += now;
    }
    removed
}

/// Moves `node` within its rank to where it crosses least, the nearest such place on a
/// tie; returns the crossings removed.
fn sift_node(graph: &LayeredGraph, rank: &mut [usize], position: &mut [usize], node: usize) -> u64 {
    let from = position[node];
    let group = graph.nodes[node].group;
    let movable = |other: usize| graph.nodes[other].group == group;
    // (change in crossings, index) of the best place found, the current one first.
    let mut best = (0i64, from);
    let mut change = 0i64;
    for (to, &other) in rank[..from].iter().enumerate().rev() {
        if !movable(other) {
            break;
        }
        change += crossing_change(graph, position, other, node);
        if change < best.0 {
            best = (change, to);
        }
    }
    change = 0;
    for (to, &other) in rank.iter().enumerate().skip(from + 1) {
        if !movable(other) {
            break;
        }
        change += crossing_change(graph, position, node, other);
        if change < best.0 {
            best = (change, to);
        }
    }
    let (change, to) = best;
    move_to(rank, position, node, to);
    change.unsigned_abs()
}

/// Moves `node` to index `to` of its rank, the nodes between shifting by one.
fn move_to(rank: &mut [usize], position: &mut [usize], node: usize, to: usize) {
    let from = position[node];
    if to < from {
        rank[to..=from].rotate_right(1);
    } else {
        rank[from..=to].rotate_left(1);
    }
    for index in from.min(to)..=from.max(to) {
        position[rank[index]] = index;
    }
}

/// How the crossings change when `left`, placed just before `right`, swaps with it.
fn crossing_change(graph: &LayeredGraph, position: &[usize], left: usize, right: usize) -> i64 {
    pair_crossings(graph, position, right, left) as i64
        - pair_crossings(graph, position, left, right) as i64
}

/// Crossings between the edges of `left` and `right` when `left` is placed first.
fn pair_crossings(graph: &LayeredGraph, position: &[usize], left: usize, right: usize) -> u64 {
    let mut count = 0;
    for side in [&graph.up, &graph.down] {
        for &(a, flows_a) in &side[left] {
            for &(b, flows_b) in &side[right] {
                if position[a] > position[b] {
                    count += u64::from(flows_a) * u64::from(flows_b);
                }
            }
        }
    }
    count
}

fn count_all(graph: &LayeredGraph, ranks: &[Vec<usize>], position: &[usize]) -> u64 {
    ranks
        .windows(2)
        .map(|pair| count_between(graph, &pair[0], pair[1].len(), position))
        .sum()
}

/// Crossings between a rank and the next (Barth, Jünger and Mutzel: edges sorted by their
/// upper end, crossings are the inversions among their lower ends, counted in a Fenwick
/// tree in O(E log V)), each weighed by the flows of both: a line across a trunk crosses
/// every flow it carries, as a reader counts them.
fn count_between(
    graph: &LayeredGraph,
    upper: &[usize],
    lower_len: usize,
    position: &[usize],
) -> u64 {
    let mut tree = vec![0u64; lower_len + 1];
    let mut seen = 0u64;
    let mut crossings = 0;
    let mut lower_ends = Vec::new();
    for &node in upper {
        lower_ends.clear();
        lower_ends.extend(
            graph.down[node]
                .iter()
                .map(|&(n, flows)| (position[n], u64::from(flows))),
        );
        lower_ends.sort_unstable();
        for &(end, flows) in &lower_ends {
            // Flows seen so far whose step ends right of this one cross it.
            let mut at_most = 0;
            let mut i = end + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            crossings += flows * (seen - at_most);
            let mut i = end + 1;
            while i <= lower_len {
                tree[i] += flows;
                i += i & i.wrapping_neg();
            }
            seen += flows;
        }
    }
    crossings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::rank;
    use crate::source::Source;

    #[test]
    fn sifting_never_adds_crossings_and_counts_the_ones_it_removes() {
        // Node by node, then whole runs and nodes in turn.
        let (mut removed_somewhere, mut polished_somewhere) = (false, false);
        for seed in 1..=6 {
            let text = crate::generate::design(120, seed);
            let checked = crate::check(&Source::new("generated", &text));
            assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
            let design = checked.design;
            let graph = rank::layer(&design, true, None, true);
            let mut ranks = graph.ranks.clone();
            let mut position = vec![0; graph.nodes.len()];
            index_positions(&ranks, &mut position);
            let before = count_all(&graph, &ranks, &position);
            let removed = sift(&graph, &mut ranks, &mut position);
            let after = count_all(&graph, &ranks, &position);
            assert_eq!(before - removed, after, "seed {seed}");
            let polished = polish(&graph, &mut ranks, &mut position);
            let after_runs = count_all(&graph, &ranks, &position);
            assert_eq!(after - polished, after_runs, "seed {seed}, whole runs");
            polished_somewhere |= polished > 0;
            let mut sorted: Vec<Vec<usize>> = ranks.clone();
            sorted.iter_mut().for_each(|rank| rank.sort_unstable());
            let mut declared = graph.ranks.clone();
            declared.iter_mut().for_each(|rank| rank.sort_unstable());
            assert_eq!(sorted, declared, "sifting keeps every node in its rank");
            removed_somewhere |= removed > 0;
        }
        assert!(removed_somewhere && polished_somewhere);
    }

    #[test]
    fn a_scrambled_start_is_kept_only_where_it_halves_the_crossings() {
        // Fintech's declared order settles with six crossings, with its lanes straight
        // too, and a scrambled start finds one; generated designs are too close to their
        // best to take any.
        let mut texts = vec![include_str!("../../templates/fintech.strata").to_owned()];
        texts.extend((1..=3).map(|seed| crate::generate::design(40, seed)));
        let mut replaced = 0;
        for text in texts {
            let design = crate::check(&Source::new("t", &text)).design;
            let graph = rank::layer(&design, true, None, true);
            let paths = group_paths(&graph, &design);
            let mut position = vec![0; graph.nodes.len()];
            index_positions(&graph.ranks, &mut position);
            let declared: Vec<f64> = position.iter().map(|&p| p as f64).collect();
            let (from_declared, _) = settle(&graph, &paths, &declared, &mut position);
            let straight = straight_lanes_start(&graph);
            let (from_straight, _) = settle(&graph, &paths, &straight, &mut position);
            let from_either = from_declared.min(from_straight);
            let (kept, _) = best_start(&graph, &design, PIXEL_STARTS, &mut position);
            assert!(
                kept == from_either || kept * 2 <= from_either,
                "{kept} {from_either}"
            );
            replaced += usize::from(kept < from_either);
        }
        assert_eq!(replaced, 1);
    }

    #[test]
    fn a_straight_start_puts_each_lane_between_its_flows_ends() {
        // p -> z crosses the middle rank, where its lane is made after q; straight, it
        // starts left of q, under p and over z.
        let text = "tier a {\n p: service\n r: service\n}\ntier b {\n q: service\n}\n\
            tier c {\n z: service\n y: service\n}\np -> z\nr -> q\nq -> y\n";
        let design = crate::check(&Source::new("t", text)).design;
        let graph = rank::layer(&design, false, None, true);
        let start = straight_lanes_start(&graph);
        let id = |name: &str| design.components.iter().position(|c| c.id == name).unwrap();
        let lane = graph.ranks[1]
            .iter()
            .copied()
            .find(|&n| !graph.is_component(n))
            .expect("p -> z has a lane in the middle rank");
        assert_eq!(graph.ranks[1].last(), Some(&lane));
        assert!(start[lane] < start[id("q")]);
        assert!((start[lane] - start[id("p")]).abs() < 1e-9);
    }

    #[test]
    fn a_node_sifts_past_a_worse_place_to_the_best_one() {
        // Moving s one place right adds a crossing (its flow from q then crosses t's from
        // r); each place further removes one (the flows from p into u and v).
        let text = "tier up \"Up\" {\n p: service\n q: service\n r: service\n}\n\
            tier down \"Down\" {\n s: service\n t: service\n u: service\n v: service\n}\n\
            q -> s\nr -> t\np -> u\np -> v\n";
        let checked = crate::check(&Source::new("t", text));
        let design = checked.design;
        let graph = rank::layer(&design, false, None, true);
        let mut ranks = graph.ranks.clone();
        let mut position = vec![0; graph.nodes.len()];
        index_positions(&ranks, &mut position);
        let id = |name: &str| design.components.iter().position(|c| c.id == name).unwrap();
        let removed = sift_node(&graph, &mut ranks[1], &mut position, id("s"));
        let names: Vec<&str> = ranks[1]
            .iter()
            .map(|&n| design.components[n].id.as_str())
            .collect();
        assert_eq!(names, ["t", "u", "v", "s"]);
        assert_eq!(removed, 1);
    }

    #[test]
    fn a_long_flow_moves_across_its_ranks_at_once() {
        // p -> z's lanes are made right of m and n, so p -> z crosses q -> m. Either lane
        // moved alone trades that crossing for one with m -> n; both moved left, p -> z
        // runs clear of the others.
        let text = "tier a {\n p: service\n q: service\n}\ntier b {\n m: service\n}\n\
            tier c {\n n: service\n}\ntier d {\n z: service\n}\n\
            p -> z\nq -> m\nm -> n\nn -> z\n";
        let design = crate::check(&Source::new("t", text)).design;
        let graph = rank::layer(&design, false, None, true);
        let mut ranks = graph.ranks.clone();
        let mut position = vec![0; graph.nodes.len()];
        index_positions(&ranks, &mut position);
        assert_eq!(count_all(&graph, &ranks, &position), 1);
        for rank in &mut ranks[1..3] {
            let lane = *rank.last().expect("a lane made at the end of the rank");
            assert_eq!(sift_node(&graph, rank, &mut position, lane), 0);
        }
        assert_eq!(run_sift::sift_runs(&graph, &mut ranks, &mut position), 1);
        assert_eq!(count_all(&graph, &ranks, &position), 0);
        for rank in &ranks[1..3] {
            assert!(graph.is_lane(rank[0]), "the lane moved before the box");
        }
    }

    #[test]
    fn ties_go_to_the_declared_order_and_crossings_still_win() {
        // s and t both hang from p, so either order crosses alike; u hangs from q and v
        // from p, so u before v would cross.
        let text = "tier up \"Up\" {\n p: service\n q: service\n}\n\
            tier down \"Down\" {\n s: service\n t: service\n u: service\n v: service\n}\n\
            p -> s\np -> t\nq -> u\np -> v\n";
        let design = crate::check(&Source::new("t", text)).design;
        let graph = rank::layer(&design, false, None, true);
        let id = |name: &str| design.components.iter().position(|c| c.id == name).unwrap();
        let mut declared = vec![0; graph.nodes.len()];
        index_positions(&graph.ranks, &mut declared);
        let names = |declared: Option<&[usize]>| {
            let mut ranks = graph.ranks.clone();
            ranks[1] = ["t", "s", "u", "v"].map(id).to_vec();
            let mut position = vec![0; graph.nodes.len()];
            index_positions(&ranks, &mut position);
            transpose_toward(&graph, &mut ranks, &mut position, declared);
            ranks[1]
                .iter()
                .map(|&n| design.components[n].id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(None), ["t", "s", "v", "u"]);
        assert_eq!(names(Some(&declared)), ["s", "t", "v", "u"]);
    }
}
