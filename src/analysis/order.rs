//! A stack-safe topological order of a possibly cyclic graph, for dynamic programming
//! over request paths. Cycles are cut at their back edges (rules report cycles apart).

use rustc_hash::FxHashSet;

/// Components reachable from `roots`, each after every component with an edge into it
/// (back edges of a depth-first search from the roots, in order, are ignored). The cost
/// is that of the reachable part only, so a search from one entry of many stays cheap.
pub fn forward_order<'g>(
    roots: impl IntoIterator<Item = usize>,
    successors: impl Fn(usize) -> &'g [usize],
) -> Vec<usize> {
    let mut seen: FxHashSet<usize> = FxHashSet::default();
    let mut postorder = Vec::new();
    // (node, index of the next successor to visit)
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in roots {
        if !seen.insert(root) {
            continue;
        }
        stack.push((root, 0));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match successors(node).get(*next) {
                Some(&child) => {
                    *next += 1;
                    if seen.insert(child) {
                        stack.push((child, 0));
                    }
                }
                None => {
                    postorder.push(node);
                    stack.pop();
                }
            }
        }
    }
    postorder.reverse();
    postorder
}

#[cfg(test)]
mod tests {
    use super::forward_order;

    #[test]
    fn orders_a_dag_and_survives_cycles_and_depth() {
        let edges = [vec![1, 2], vec![3], vec![3], vec![]];
        let order = forward_order([0], |n| &edges[n]);
        let at = |n: usize| order.iter().position(|&x| x == n).unwrap();
        assert!(at(0) < at(1) && at(1) < at(3) && at(2) < at(3));
        let cycle = [vec![1], vec![0]];
        assert_eq!(forward_order([0], |n| &cycle[n]).len(), 2);
        let chain: Vec<Vec<usize>> = (0..200_000)
            .map(|i| if i + 1 < 200_000 { vec![i + 1] } else { vec![] })
            .collect();
        assert_eq!(forward_order([0], |n| &chain[n]).len(), 200_000);
    }
}
