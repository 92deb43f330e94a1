//! The request graph: the flows a request depends on to succeed (hard dependencies).

use crate::model::{ComponentId, Design};
use crate::syntax::ast::FlowMode;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::VecDeque;

/// Adjacency of hard dependencies, indexed by component.
///
/// A flow is hard when the caller waits on it: every sync flow, and the async publish
/// into a broker (a request fails when it cannot enqueue). Flows out of a broker (its
/// consumers), async flows that bypass a broker (fire and forget), and flows into
/// look-aside caches (a miss falls back to the store) are soft and left out, as are flows
/// into the observability layer. So are flows declared `optional true`: the caller copes
/// without them. A cache with `role store` holds the only copy: flows into it are hard.
pub struct RequestGraph {
    successors: Vec<Vec<ComponentId>>,
    predecessors: Vec<Vec<ComponentId>>,
}

impl RequestGraph {
    pub fn new(design: &Design) -> Self {
        let n = design.components.len();
        let mut successors = vec![Vec::new(); n];
        let mut predecessors = vec![Vec::new(); n];
        for flow in &design.flows {
            let from = design.components[flow.from].kind;
            let target = &design.components[flow.to];
            let to = target.kind;
            let hard = match flow.mode {
                FlowMode::Sync => !from.is_broker(),
                FlowMode::Async => to.is_broker(),
            };
            let needed = target.is_hard_dependency_target() && !to.is_observability();
            if hard && !flow.optional && needed {
                successors[flow.from].push(flow.to);
                predecessors[flow.to].push(flow.from);
            }
        }
        RequestGraph {
            successors,
            predecessors,
        }
    }

    pub fn successors(&self, component: ComponentId) -> &[ComponentId] {
        &self.successors[component]
    }

    pub fn predecessors(&self, component: ComponentId) -> &[ComponentId] {
        &self.predecessors[component]
    }

    pub fn edge_count(&self) -> usize {
        self.successors.iter().map(Vec::len).sum()
    }

    /// The graph as petgraph, with one more node (index = component count) joined to every
    /// entry: dominators from it are the components on every request path.
    pub fn with_virtual_root(&self, entries: &[ComponentId]) -> DiGraph<(), ()> {
        let nodes = self.successors.len();
        let mut graph = DiGraph::with_capacity(nodes + 1, self.edge_count() + entries.len());
        for _ in 0..=nodes {
            graph.add_node(());
        }
        for (from, successors) in self.successors.iter().enumerate() {
            for &to in successors {
                graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), ());
            }
        }
        for &entry in entries {
            graph.add_edge(NodeIndex::new(nodes), NodeIndex::new(entry), ());
        }
        graph
    }

    /// Every component a request from `entries` can reach, entries included.
    pub fn reachable_from(&self, entries: &[ComponentId]) -> Vec<bool> {
        let mut seen = vec![false; self.successors.len()];
        let mut queue: VecDeque<ComponentId> = entries.iter().copied().collect();
        for &entry in entries {
            seen[entry] = true;
        }
        while let Some(at) = queue.pop_front() {
            for &next in &self.successors[at] {
                if !seen[next] {
                    seen[next] = true;
                    queue.push_back(next);
                }
            }
        }
        seen
    }

    /// The shortest request paths from `entries` to everything they reach, from one
    /// breadth-first search: a search per path would cost the whole graph each time.
    pub fn shortest_paths(&self, entries: &[ComponentId]) -> ShortestPaths {
        self.shortest_paths_through(entries, |_| true)
    }

    /// As [`Self::shortest_paths`], but requests go on only from the components `passes`
    /// lets through: one it stops is reached, and nothing is reached by way of it.
    pub fn shortest_paths_through(
        &self,
        entries: &[ComponentId],
        passes: impl Fn(ComponentId) -> bool,
    ) -> ShortestPaths {
        let mut previous: Vec<Option<ComponentId>> = vec![None; self.successors.len()];
        let mut seen = vec![false; self.successors.len()];
        let mut queue: VecDeque<ComponentId> = VecDeque::new();
        for &start in entries {
            seen[start] = true;
            queue.push_back(start);
        }
        while let Some(at) = queue.pop_front() {
            if !passes(at) {
                continue;
            }
            for &next in &self.successors[at] {
                if !seen[next] {
                    seen[next] = true;
                    previous[next] = Some(at);
                    queue.push_back(next);
                }
            }
        }
        ShortestPaths { previous, seen }
    }
}

/// A breadth-first tree of request paths from the entries.
pub struct ShortestPaths {
    previous: Vec<Option<ComponentId>>,
    seen: Vec<bool>,
}

impl ShortestPaths {
    /// A shortest path from an entry to `to` (both included), if one reaches it.
    pub fn to(&self, to: ComponentId) -> Option<Vec<ComponentId>> {
        if !self.seen[to] {
            return None;
        }
        let mut path = vec![to];
        while let Some(before) = self.previous[*path.last().unwrap()] {
            path.push(before);
        }
        path.reverse();
        Some(path)
    }
}
