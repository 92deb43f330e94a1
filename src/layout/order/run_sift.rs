//! Sifting a whole lane run at once. A long flow's lanes are one line through several
//! ranks; moving one of them alone bends that line into two more crossings, so sifting
//! node by node seldom moves a long flow across a rank. Here a run's lanes move together:
//! with the rest of the order fixed, the crossings of a run's hops depend only on the
//! places of the lanes at their ends, so the least-crossing places for all of its lanes
//! are found exactly, by dynamic programming from the top lane down.

use super::{move_to, LayeredGraph};
use std::ops::Range;

/// Moves each lane run to the places where its hops cross least (the nearest such places
/// on a tie); returns the crossings removed.
pub(super) fn sift_runs(
    graph: &LayeredGraph,
    ranks: &mut [Vec<usize>],
    position: &mut [usize],
) -> u64 {
    graph
        .lane_runs
        .iter()
        .map(|run| sift_run(graph, ranks, position, run.clone()))
        .sum()
}

/// Pairs of places weighed in one pass over every run: each gap a run's hops cross costs
/// the product of its two ranks' lengths.
pub(super) fn pass_cost(graph: &LayeredGraph, ranks: &[Vec<usize>]) -> usize {
    graph
        .lane_runs
        .iter()
        .map(|run| {
            let first = graph.nodes[run.start].rank;
            let gaps = first.saturating_sub(1)..(first + run.len()).min(ranks.len() - 1);
            gaps.map(|upper| (ranks[upper].len() + 1) * (ranks[upper + 1].len() + 1))
                .sum::<usize>()
        })
        .sum()
}

/// Where a run stands in one rank: its lane, and the slots it may take, each slot an
/// index among the rank's other nodes (slot `s` is just before the node at `s`).
struct Stand {
    lane: usize,
    slots: Range<usize>,
}

fn sift_run(
    graph: &LayeredGraph,
    ranks: &mut [Vec<usize>],
    position: &mut [usize],
    run: Range<usize>,
) -> u64 {
    let stands: Vec<Stand> = run
        .map(|lane| Stand {
            lane,
            slots: slots(graph, &ranks[graph.nodes[lane].rank], position[lane]),
        })
        .collect();
    let (first, last) = (&stands[0], &stands[stands.len() - 1]);
    let rank_of = |stand: &Stand| graph.nodes[stand.lane].rank;
    let above = rank_of(first)
        .checked_sub(1)
        .map(|upper| Gap::new(graph, ranks, position, upper, None, Some(first)));
    let between: Vec<Gap> = stands
        .windows(2)
        .map(|pair| {
            Gap::new(
                graph,
                ranks,
                position,
                rank_of(&pair[0]),
                Some(&pair[0]),
                Some(&pair[1]),
            )
        })
        .collect();
    let below = (rank_of(last) + 1 < ranks.len())
        .then(|| Gap::new(graph, ranks, position, rank_of(last), Some(last), None));
    let at = |stand: &Stand| position[stand.lane];
    let current = above.as_ref().map_or(0, |gap| gap.lower_alone(at(first)))
        + stands
            .windows(2)
            .zip(&between)
            .map(|(pair, gap)| gap.both(at(&pair[0]), at(&pair[1])))
            .sum::<u64>()
        + below.as_ref().map_or(0, |gap| gap.upper_alone(at(last)));
    // Best (crossings, distance moved) of the run's lanes down to the current one, for each
    // slot of the current one, with the slot of the previous lane it came from.
    let mut table: Vec<Vec<((u64, usize), usize)>> = Vec::with_capacity(stands.len());
    table.push(
        first
            .slots
            .clone()
            .map(|slot| {
                let crossings = above.as_ref().map_or(0, |gap| gap.lower_alone(slot));
                ((crossings, slot.abs_diff(at(first))), slot)
            })
            .collect(),
    );
    for (pair, gap) in stands.windows(2).zip(&between) {
        let (upper, lower) = (&pair[0], &pair[1]);
        let previous = table.last().expect("the first lane's row");
        let row = lower
            .slots
            .clone()
            .map(|slot| {
                let moved = slot.abs_diff(at(lower));
                upper
                    .slots
                    .clone()
                    .zip(previous)
                    .map(|(from, &((crossings, distance), _))| {
                        ((crossings + gap.both(from, slot), distance + moved), from)
                    })
                    .min()
                    .expect("every lane has a slot")
            })
            .collect();
        table.push(row);
    }
    let ((fewest, _), mut slot) = last
        .slots
        .clone()
        .zip(table.last().expect("the last lane's row"))
        .map(|(slot, &((crossings, distance), _))| {
            let crossings = crossings + below.as_ref().map_or(0, |gap| gap.upper_alone(slot));
            ((crossings, distance), slot)
        })
        .min()
        .expect("the last lane has a slot");
    if fewest >= current {
        return 0;
    }
    for (stand, row) in stands.iter().zip(&table).rev() {
        let from = row[slot - stand.slots.start].1;
        move_to(&mut ranks[rank_of(stand)], position, stand.lane, slot);
        slot = from;
    }
    current - fewest
}

/// The slots a lane at `at` may take: among the nodes of its innermost group next to it,
/// so no group is split.
fn slots(graph: &LayeredGraph, rank: &[usize], at: usize) -> Range<usize> {
    let group = graph.nodes[rank[at]].group;
    let same = |&node: &usize| graph.nodes[node].group == group;
    let left = rank[..at].iter().rev().take_while(|n| same(n)).count();
    let right = rank[at + 1..].iter().take_while(|n| same(n)).count();
    at - left..at + right + 1
}

/// The hops between one rank and the next, seen from a run with a lane in either or both:
/// the other hops as a table of weights by where they start and end, and the run's own
/// hops by their far ends.
struct Gap {
    /// `left[i][j]`: flows of the other hops starting before upper index `i` and ending
    /// before lower index `j`, indices among the nodes that are not the run's lanes.
    left: Vec<Vec<u64>>,
    upper_len: usize,
    lower_len: usize,
    /// Hops from the upper lane to the lower one.
    through: u64,
    /// Hops from the upper lane to other nodes: (their index, flows).
    down: Vec<(usize, u64)>,
    /// Hops from other nodes to the lower lane.
    up: Vec<(usize, u64)>,
}

impl Gap {
    fn new(
        graph: &LayeredGraph,
        ranks: &[Vec<usize>],
        position: &[usize],
        upper_rank: usize,
        upper: Option<&Stand>,
        lower: Option<&Stand>,
    ) -> Gap {
        let (upper_lane, lower_lane) = (upper.map(|s| s.lane), lower.map(|s| s.lane));
        // Index among the other nodes of a rank holding `lane` (if any).
        let index = |node: usize, lane: Option<usize>| {
            position[node] - usize::from(lane.is_some_and(|l| position[l] < position[node]))
        };
        let upper_len = ranks[upper_rank].len() - usize::from(upper.is_some());
        let lower_len = ranks[upper_rank + 1].len() - usize::from(lower.is_some());
        let mut left = vec![vec![0u64; lower_len + 1]; upper_len + 1];
        let (mut through, mut down, mut up) = (0, Vec::new(), Vec::new());
        for &node in &ranks[upper_rank] {
            for &(other, flows) in &graph.down[node] {
                let flows = u64::from(flows);
                match (Some(node) == upper_lane, Some(other) == lower_lane) {
                    (true, true) => through += flows,
                    (true, false) => down.push((index(other, lower_lane), flows)),
                    (false, true) => up.push((index(node, upper_lane), flows)),
                    (false, false) => {
                        let (i, j) = (index(node, upper_lane), index(other, lower_lane));
                        left[i + 1][j + 1] += flows;
                    }
                }
            }
        }
        for i in 0..=upper_len {
            for j in 0..=lower_len {
                let above = if i > 0 { left[i - 1][j] } else { 0 };
                let before = if j > 0 { left[i][j - 1] } else { 0 };
                let both = if i > 0 && j > 0 {
                    left[i - 1][j - 1]
                } else {
                    0
                };
                left[i][j] += above + before - both;
            }
        }
        Gap {
            left,
            upper_len,
            lower_len,
            through,
            down,
            up,
        }
    }

    /// Other hops starting before upper place `i` and ending before lower place `j`.
    fn before(&self, i: usize, j: usize) -> u64 {
        self.left[i][j]
    }

    /// Flows of other hops crossing a hop from upper slot `slot` to the lower node at `x`.
    fn crossing_slot_node(&self, slot: usize, x: usize) -> u64 {
        let (all_up, all_down) = (self.upper_len, self.lower_len);
        (self.before(slot, all_down) - self.before(slot, x + 1))
            + (self.before(all_up, x) - self.before(slot, x))
    }

    /// Flows of other hops crossing a hop from the upper node at `y` to lower slot `slot`.
    fn crossing_node_slot(&self, y: usize, slot: usize) -> u64 {
        let (all_up, all_down) = (self.upper_len, self.lower_len);
        (self.before(y, all_down) - self.before(y, slot))
            + (self.before(all_up, slot) - self.before(y + 1, slot))
    }

    /// Flows of other hops crossing a hop from upper slot `a` to lower slot `b`.
    fn crossing_slot_slot(&self, a: usize, b: usize) -> u64 {
        let (all_up, all_down) = (self.upper_len, self.lower_len);
        (self.before(a, all_down) - self.before(a, b))
            + (self.before(all_up, b) - self.before(a, b))
    }

    /// Crossings of the run's hops here when only the upper rank holds one of its lanes.
    fn upper_alone(&self, slot: usize) -> u64 {
        self.down
            .iter()
            .map(|&(x, flows)| flows * self.crossing_slot_node(slot, x))
            .sum()
    }

    /// Crossings of the run's hops here when only the lower rank holds one of its lanes.
    fn lower_alone(&self, slot: usize) -> u64 {
        self.up
            .iter()
            .map(|&(y, flows)| flows * self.crossing_node_slot(y, slot))
            .sum()
    }

    /// Crossings of the run's hops here, its upper lane at slot `a` and its lower at `b`.
    fn both(&self, a: usize, b: usize) -> u64 {
        // A hop leaving the upper lane for another node and one reaching the lower lane
        // from another node cross when their ends are in opposite orders.
        let between: u64 = self
            .down
            .iter()
            .flat_map(|&(x, down_flows)| {
                self.up.iter().map(move |&(y, up_flows)| {
                    let crossed = if a <= y { x >= b } else { x < b };
                    u64::from(crossed) * down_flows * up_flows
                })
            })
            .sum();
        self.through * self.crossing_slot_slot(a, b)
            + self.upper_alone(a)
            + self.lower_alone(b)
            + between
    }
}
