//! Tracks in a channel, for the router (pixels and text cells alike): each bent run
//! (from its port on the upper rank to its port on the lower one) gets a track, 0
//! nearest the upper rank, such that runs within `separation` of each other never share
//! one. A run leaving from where another arrives must turn first, or their verticals
//! would overlap (required); otherwise a run whose vertical stands in another's way goes
//! to the side where they miss (preferred), if that is not contradicted.
//!
//! Near-linear at any fan-in or fan-out: preferences are taken between a run and the
//! next [`NEIGHBOURS`] runs by start (all of them in any ordinary channel), required
//! orders are found by coordinate, and each track is the first below every placed run
//! it overlaps, read from a segment tree rather than from a list of overlapping pairs, as
//! deep as [`STAIRCASE`]; past it, the first free track below the runs it was weighed
//! against, so a crowded channel is as deep as its chains of ordered runs, not as its runs.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

/// How many runs after a run, by start, are weighed for a preferred order.
const NEIGHBOURS: usize = 64;

/// How deep a channel's staircase grows: up to this many tracks, each run goes below
/// every placed run it overlaps, so no two runs cross that need not, weighed or not.
/// Deeper, each goes to the first free track below the runs it was weighed against: runs
/// leaving and arriving in one direction all along a wide channel (lanes fanning out from
/// a narrow row to a wide one, random flows in a wrapped rank) would otherwise stack a
/// track each, hundreds where a few dozen overlap at any place.
const STAIRCASE: usize = 24;

/// How deep a chain of runs each preferred above the next may reach before a run starts
/// again from the top (below only the runs it must be under): runs all along a wide
/// channel, every one preferring to be above the next, would chain to hundreds of tracks
/// where a few dozen overlap. Each restart crosses the few runs it should have been
/// under; a channel of a 5,000-component drawing stays under a third of its depth for
/// about a sixth more crossings.
const LONGEST_CHAIN: usize = 128;

/// How many tracks past the runs it was weighed against a run looks for a free one,
/// before it takes the bottom of the staircase (which is always free): a fan of thousands
/// of runs that all overlap costs each run this many looks, not one per track.
const SEARCH: usize = 64;

/// Ports closer than this are at the same place (pixel ports are on a 0.1 grid, cells
/// are whole).
const COINCIDENT: f64 = 0.05;

#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub from: f64,
    pub to: f64,
}

impl Run {
    fn low(&self) -> f64 {
        self.from.min(self.to)
    }

    fn high(&self) -> f64 {
        self.from.max(self.to)
    }

    /// Is `x` within `separation` of this run?
    fn near(&self, x: f64, separation: f64) -> bool {
        x > self.low() - separation && x < self.high() + separation
    }
}

/// The track of each run.
pub fn assign(runs: &[Run], separation: f64) -> Vec<usize> {
    let n = runs.len();
    let mut by_start: Vec<usize> = (0..n).collect();
    by_start.sort_by(|&a, &b| {
        let (ra, rb) = (&runs[a], &runs[b]);
        (ra.low().total_cmp(&rb.low()))
            .then(ra.high().total_cmp(&rb.high()))
            .then(a.cmp(&b))
    });
    let mut rank_of = vec![0; n];
    for (rank, &i) in by_start.iter().enumerate() {
        rank_of[i] = rank;
    }
    let mut constraints = Constraints::new(runs, &by_start, &rank_of, separation);
    let sequence = constraints.sequence(&by_start, &rank_of);
    let mut occupied = Occupancy::new(runs, separation);
    let mut held = Held::default();
    // The first track below every placed run this one should be under, and must be.
    let mut below = vec![0; n];
    let mut required_below = vec![0; n];
    let mut track = vec![0; n];
    for i in sequence {
        let pieces = occupied.pieces[i];
        let staircase = occupied.lowest_free(i);
        track[i] = if staircase < STAIRCASE {
            staircase
        } else {
            let from = if below[i] < LONGEST_CHAIN {
                below[i]
            } else {
                required_below[i]
            };
            held.first_free(pieces, from, staircase)
        };
        occupied.take(i, track[i]);
        held.take(pieces, track[i]);
        for &(lower, required) in &constraints.above[i] {
            below[lower] = below[lower].max(track[i] + 1);
            if required {
                required_below[lower] = required_below[lower].max(track[i] + 1);
            }
        }
    }
    track
}

/// "This run above that one", each required or only preferred.
struct Constraints {
    /// (run below, required)
    above: Vec<Vec<(usize, bool)>>,
    pending: Vec<usize>,
    hard_pending: Vec<usize>,
}

impl Constraints {
    fn new(runs: &[Run], by_start: &[usize], rank_of: &[usize], separation: f64) -> Self {
        let n = runs.len();
        let mut constraints = Constraints {
            above: vec![Vec::new(); n],
            pending: vec![0; n],
            hard_pending: vec![0; n],
        };
        for (k, &a) in by_start.iter().enumerate() {
            let reach = runs[a].high() + separation;
            for &b in by_start[k + 1..].iter().take(NEIGHBOURS) {
                if runs[b].low() >= reach {
                    break;
                }
                constraints.weigh(runs, a, b, separation);
            }
        }
        // Required orders between runs too far apart by start to be weighed above.
        let mut arrivals: Vec<(f64, usize)> = (0..n).map(|i| (runs[i].to, i)).collect();
        arrivals.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        for (a, run) in runs.iter().enumerate() {
            let first = arrivals.partition_point(|&(to, _)| to <= run.from - COINCIDENT);
            for &(to, b) in &arrivals[first..] {
                if to >= run.from + COINCIDENT {
                    break;
                }
                // `a` leaves where `b` arrives: it must turn first (unless the reverse is
                // required too, and then neither can be kept).
                if b != a && rank_of[a].abs_diff(rank_of[b]) > NEIGHBOURS {
                    constraints.add(a, b, true);
                }
            }
        }
        constraints
    }

    fn weigh(&mut self, runs: &[Run], a: usize, b: usize, separation: f64) {
        let (ra, rb) = (&runs[a], &runs[b]);
        let hard_ab = (ra.from - rb.to).abs() < COINCIDENT;
        let hard_ba = (rb.from - ra.to).abs() < COINCIDENT;
        // Runs from one port share their first vertical (a trunk splitting), and runs to
        // one port their last (flows merging): only the other ends can cross there.
        let shared_from = (ra.from - rb.from).abs() < COINCIDENT;
        let shared_to = (ra.to - rb.to).abs() < COINCIDENT;
        let soft_ab = (!shared_from && rb.near(ra.from, separation))
            || (!shared_to && ra.near(rb.to, separation));
        let soft_ba = (!shared_from && ra.near(rb.from, separation))
            || (!shared_to && rb.near(ra.to, separation));
        let first = if hard_ab != hard_ba {
            Some((hard_ab, true))
        } else if soft_ab != soft_ba {
            Some((soft_ab, false))
        } else {
            None
        };
        if let Some((a_first, hard)) = first {
            let (upper, lower) = if a_first { (a, b) } else { (b, a) };
            self.add(upper, lower, hard);
        }
    }

    fn add(&mut self, upper: usize, lower: usize, hard: bool) {
        self.above[upper].push((lower, hard));
        self.pending[lower] += 1;
        self.hard_pending[lower] += usize::from(hard);
    }

    /// The runs in an order that keeps every constraint it can, free runs by start. A
    /// cycle (runs that must cross anyway) is broken where only preferences hold back.
    fn sequence(&mut self, by_start: &[usize], rank_of: &[usize]) -> Vec<usize> {
        let n = by_start.len();
        let mut ready: BinaryHeap<Reverse<(usize, usize)>> = (0..n)
            .filter(|&i| self.pending[i] == 0)
            .map(|i| Reverse((rank_of[i], i)))
            .collect();
        // Every run not yet placed, by how many required orders still hold it back.
        let mut unplaced: BTreeSet<(usize, usize)> =
            (0..n).map(|i| (self.hard_pending[i], rank_of[i])).collect();
        let mut placed = vec![false; n];
        let mut sequence = Vec::with_capacity(n);
        while sequence.len() < n {
            let chosen = match ready.pop() {
                Some(Reverse((_, i))) if !placed[i] => i,
                Some(_) => continue,
                None => match unplaced.first() {
                    Some(&(_, rank)) => by_start[rank],
                    None => break,
                },
            };
            placed[chosen] = true;
            unplaced.remove(&(self.hard_pending[chosen], rank_of[chosen]));
            sequence.push(chosen);
            for &(lower, hard) in &self.above[chosen] {
                self.pending[lower] = self.pending[lower].saturating_sub(1);
                if hard && !placed[lower] {
                    let rank = rank_of[lower];
                    unplaced.remove(&(self.hard_pending[lower], rank));
                    self.hard_pending[lower] -= 1;
                    unplaced.insert((self.hard_pending[lower], rank));
                }
                if self.pending[lower] == 0 && !placed[lower] {
                    ready.push(Reverse((rank_of[lower], lower)));
                }
            }
        }
        sequence
    }
}

/// The intervals (as [`Occupancy`]'s pieces) each track holds.
#[derive(Default)]
struct Held {
    /// Of each track: the first piece of each interval it holds, and the end.
    tracks: Vec<BTreeMap<usize, usize>>,
}

impl Held {
    /// The first track from `from` that holds nothing in `pieces`, looking at most
    /// [`SEARCH`] tracks; else `fallback`.
    fn first_free(&self, (first, end): (usize, usize), from: usize, fallback: usize) -> usize {
        let free = |track: &usize| {
            self.tracks.get(*track).is_none_or(|held| {
                (held.range(..end).next_back()).is_none_or(|(_, &held_end)| held_end <= first)
            })
        };
        (from..fallback.min(from + SEARCH))
            .find(free)
            .unwrap_or(fallback)
    }

    fn take(&mut self, (first, end): (usize, usize), track: usize) {
        if self.tracks.len() <= track {
            self.tracks.resize_with(track + 1, BTreeMap::new);
        }
        self.tracks[track].insert(first, end);
    }
}

/// The tracks placed runs hold, over the channel's coordinates: a segment tree whose
/// nodes keep the highest track + 1 held over all of them (`cover`) and anywhere in them
/// (`most`).
struct Occupancy {
    /// Interval of each run, as elementary pieces `[first, end)` between coordinates.
    pieces: Vec<(usize, usize)>,
    cover: Vec<usize>,
    most: Vec<usize>,
    size: usize,
}

impl Occupancy {
    fn new(runs: &[Run], separation: f64) -> Self {
        // A run holds `[low, high + separation)`: two runs overlap when those meet.
        let ends = |r: &Run| (r.low(), r.high() + separation);
        let mut coordinates: Vec<f64> = runs
            .iter()
            .flat_map(|r| {
                let (low, high) = ends(r);
                [low, high]
            })
            .collect();
        coordinates.sort_by(f64::total_cmp);
        coordinates.dedup();
        let index = |x: f64| coordinates.partition_point(|&c| c < x);
        let pieces = runs
            .iter()
            .map(|r| {
                let (low, high) = ends(r);
                (index(low), index(high))
            })
            .collect();
        let size = coordinates.len().max(1);
        Occupancy {
            pieces,
            cover: vec![0; 4 * size],
            most: vec![0; 4 * size],
            size,
        }
    }

    /// The lowest track clear of every placed run that overlaps run `i`.
    fn lowest_free(&self, i: usize) -> usize {
        let (first, end) = self.pieces[i];
        self.query(1, 0, self.size, first, end)
    }

    fn take(&mut self, i: usize, track: usize) {
        let (first, end) = self.pieces[i];
        self.update(1, 0, self.size, first, end, track + 1);
    }

    fn query(&self, node: usize, low: usize, high: usize, first: usize, end: usize) -> usize {
        if end <= low || high <= first {
            return 0;
        }
        if first <= low && high <= end {
            return self.most[node];
        }
        let middle = (low + high) / 2;
        self.cover[node]
            .max(self.query(2 * node, low, middle, first, end))
            .max(self.query(2 * node + 1, middle, high, first, end))
    }

    fn update(
        &mut self,
        node: usize,
        low: usize,
        high: usize,
        first: usize,
        end: usize,
        value: usize,
    ) {
        if end <= low || high <= first {
            return;
        }
        self.most[node] = self.most[node].max(value);
        if first <= low && high <= end {
            self.cover[node] = self.cover[node].max(value);
            return;
        }
        let middle = (low + high) / 2;
        self.update(2 * node, low, middle, first, end, value);
        self.update(2 * node + 1, middle, high, first, end, value);
    }
}

#[cfg(test)]
mod tests {
    use super::{assign, Run};

    fn overlap(a: &Run, b: &Run, separation: f64) -> bool {
        a.low() < b.high() + separation && b.low() < a.high() + separation
    }

    #[test]
    fn overlapping_runs_never_share_a_track() {
        let runs: Vec<Run> = (0..300)
            .map(|i| {
                let x = f64::from(i * 37 % 101);
                Run {
                    from: x,
                    to: x + f64::from(i % 13) - 6.0,
                }
            })
            .filter(|r| r.from != r.to)
            .collect();
        let track = assign(&runs, 2.0);
        for a in 0..runs.len() {
            for b in a + 1..runs.len() {
                if overlap(&runs[a], &runs[b], 2.0) {
                    assert_ne!(track[a], track[b], "{:?} {:?}", runs[a], runs[b]);
                }
            }
        }
    }

    #[test]
    fn a_run_leaving_where_another_arrives_turns_first() {
        // b arrives at 10 where a leaves: a must be above b, even when both would
        // rather go the other way and many runs lie between them by start.
        let mut runs = vec![
            Run {
                from: 10.0,
                to: 40.0,
            },
            Run {
                from: 0.0,
                to: 10.0,
            },
        ];
        runs.extend((0..200).map(|i| Run {
            from: 1.0 + f64::from(i) * 0.01,
            to: 9.5,
        }));
        let track = assign(&runs, 0.001);
        assert!(track[0] < track[1], "{:?}", &track[..2]);
    }

    #[test]
    fn runs_that_need_no_order_share_tracks_past_the_staircase() {
        // Runs turning alternately right and left, each overlapping only its two
        // neighbours, where either order crosses once: one long chain of overlaps,
        // which a staircase of one track per run would follow to the bottom.
        let runs: Vec<Run> = (0..200)
            .map(|k| {
                let at = f64::from(k) * 100.0;
                if k % 2 == 0 {
                    Run {
                        from: at,
                        to: at + 150.0,
                    }
                } else {
                    Run {
                        from: at + 150.0,
                        to: at,
                    }
                }
            })
            .collect();
        let track = assign(&runs, 2.0);
        let used = track.iter().max().map_or(0, |t| t + 1);
        assert!(used <= super::STAIRCASE + 2, "{used} tracks");
        for pair in track.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
    }

    #[test]
    fn a_chain_of_preferred_orders_starts_again_from_the_top() {
        // Runs all turning right, each overlapping the next few, each preferring to be
        // above the one before: one chain across the channel.
        let runs: Vec<Run> = (0..1_000)
            .map(|k| {
                let at = f64::from(k) * 10.0;
                Run {
                    from: at,
                    to: at + 65.0,
                }
            })
            .collect();
        let track = assign(&runs, 1.0);
        let used = track.iter().max().map_or(0, |t| t + 1);
        assert!(
            used <= super::LONGEST_CHAIN + super::SEARCH,
            "{used} tracks"
        );
        for (a, b) in
            (0..runs.len()).flat_map(|a| (a + 1..(a + 7).min(runs.len())).map(move |b| (a, b)))
        {
            assert_ne!(track[a], track[b], "{a} {b}");
        }
    }

    #[test]
    fn a_wide_fan_out_is_a_staircase() {
        let runs: Vec<Run> = (1..=2_000)
            .map(|i| Run {
                from: 0.0,
                to: f64::from(i),
            })
            .collect();
        let track = assign(&runs, 0.5);
        let mut sorted = track.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), runs.len());
    }

    #[test]
    fn a_trunk_splits_and_flows_merge_without_crossing_themselves() {
        // From one port at 0: the branch to 30 turns off above the branch to 10 (else
        // its horizontal would cross the nearer branch's way down), and likewise on the
        // left. Into one port at 0: the flow from 10 joins above the flow from 30.
        let run = |from: f64, to: f64| Run { from, to };
        let split = assign(
            &[
                run(0.0, 10.0),
                run(0.0, 30.0),
                run(0.0, -20.0),
                run(0.0, -40.0),
            ],
            2.0,
        );
        assert!(split[1] < split[0], "{split:?}");
        assert!(split[3] < split[2], "{split:?}");
        let merge = assign(&[run(30.0, 0.0), run(10.0, 0.0)], 2.0);
        assert!(merge[1] < merge[0], "{merge:?}");
    }
}
