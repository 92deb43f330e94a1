//! Immediate dominators of what one entry reaches, by Cooper, Harvey and Kennedy's
//! iterative algorithm ("A Simple, Fast Dominance Algorithm", 2001). It costs only the
//! reachable part of the graph, so `strata analyze`'s table, a tree per entry, stays
//! linear in a design with thousands of entries that each reach a little of it.

use super::order::forward_order;
use super::request::RequestGraph;
use crate::model::ComponentId;
use rustc_hash::FxHashMap;

pub struct EntryDominators {
    entry: ComponentId,
    /// What the entry reaches, in reverse postorder (the entry first).
    pub reached: Vec<ComponentId>,
    index: FxHashMap<ComponentId, usize>,
    /// Immediate dominator of each reached component, by index in `reached`.
    idom: Vec<usize>,
}

impl EntryDominators {
    pub fn new(request: &RequestGraph, entry: ComponentId) -> Self {
        let reached = forward_order([entry], |c| request.successors(c));
        let index: FxHashMap<ComponentId, usize> =
            reached.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        // Callers inside the reach, found from the callees' side: a component called from
        // everywhere costs only its calls from here.
        let mut callers: Vec<Vec<usize>> = vec![Vec::new(); reached.len()];
        for (at, &component) in reached.iter().enumerate() {
            for next in request.successors(component) {
                callers[index[next]].push(at);
            }
        }
        let mut idom: Vec<Option<usize>> = vec![None; reached.len()];
        idom[0] = Some(0);
        let mut changed = true;
        while changed {
            changed = false;
            for at in 1..reached.len() {
                let mut dominator = None;
                for &p in &callers[at] {
                    if idom[p].is_none() {
                        continue;
                    }
                    dominator = Some(match dominator {
                        None => p,
                        Some(d) => intersect(&idom, p, d),
                    });
                }
                if dominator != idom[at] {
                    idom[at] = dominator;
                    changed = true;
                }
            }
        }
        EntryDominators {
            entry,
            reached,
            index,
            // In reverse postorder a component's tree parent comes first, so every one
            // reached has a dominator after the first pass.
            idom: idom.into_iter().map(|d| d.unwrap_or(0)).collect(),
        }
    }

    /// The immediate dominator of a reached component; `root` for the entry itself.
    pub fn idom(&self, component: ComponentId, root: ComponentId) -> ComponentId {
        if component == self.entry {
            return root;
        }
        self.reached[self.idom[self.index[&component]]]
    }
}

/// The nearest common dominator of two indices in reverse postorder.
fn intersect(idom: &[Option<usize>], mut a: usize, mut b: usize) -> usize {
    let parent = |x: usize| idom[x].expect("only processed components are intersected");
    while a != b {
        while a > b {
            a = parent(a);
        }
        while b > a {
            b = parent(b);
        }
    }
    a
}
