//! A seeded generator of synthetic designs for tests and benchmarks: N components spread
//! over the guide's tiers with realistic kinds, and about 1.5 N flows that mostly run
//! downwards through the tiers, as real request paths do. [`adversarial`] has the shapes
//! that stress a stage rather than resemble a system.

pub mod adversarial;

use crate::model::{ComponentId, Design, FlowId, Kind};
use std::collections::HashSet;
use std::fmt::Write;

/// A small, fast, seedable PRNG (splitmix64): the same seed gives the same design.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Tiers top to bottom: id, title, share of the components, kinds to draw from.
const TIERS: [(&str, &str, usize, &[&str]); 5] = [
    ("clients", "Clients", 4, &["client"]),
    (
        "edge",
        "Edge",
        6,
        &["load_balancer", "gateway", "cdn", "waf"],
    ),
    (
        "services",
        "Services",
        50,
        &["service", "service", "service", "auth"],
    ),
    (
        "async",
        "Async",
        14,
        &["queue", "stream", "worker", "worker"],
    ),
    (
        "data",
        "Data",
        26,
        &["database", "cache", "search", "object_storage"],
    ),
];

/// A design of `components` components (at least 5), the same for the same seed.
pub fn design(components: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let components = components.max(TIERS.len());
    let mut out = format!("system \"Synthetic {components}\" {{ sla 99.9%; p99 500ms }}\n");
    let mut layers: Vec<Vec<(String, &str)>> = Vec::new();
    let mut placed = 0;
    for (index, (tier, title, share, kinds)) in TIERS.iter().enumerate() {
        let count = if index + 1 == TIERS.len() {
            components - placed
        } else {
            (components * share / 100).max(1)
        };
        placed += count;
        writeln!(out, "\ntier {tier} \"{title}\" {{").unwrap();
        let mut layer = Vec::new();
        for n in 0..count {
            let kind = kinds[rng.below(kinds.len())];
            let id = format!("{tier}_{n}");
            let replicas = 1 + rng.below(3);
            writeln!(
                out,
                "  {id}: {kind} \"{kind} {n}\" {{ replicas {replicas} }}"
            )
            .unwrap();
            layer.push((id, kind));
        }
        out.push_str("}\n\n");
        layers.push(layer);
    }
    write_flows(&mut out, &layers, components * 3 / 2, &mut rng);
    out
}

fn write_flows(out: &mut String, layers: &[Vec<(String, &str)>], wanted: usize, rng: &mut Rng) {
    let mut seen = HashSet::new();
    let mut attempts = 0;
    while seen.len() < wanted && attempts < wanted * 20 {
        attempts += 1;
        // Mostly to the next tier down, sometimes within a tier or two tiers down.
        let from_layer = rng.below(layers.len() - 1);
        let to_layer = match rng.below(10) {
            0 => from_layer,
            1 => (from_layer + 2).min(layers.len() - 1),
            _ => from_layer + 1,
        };
        let (from, from_kind) = &layers[from_layer][rng.below(layers[from_layer].len())];
        let (to, to_kind) = &layers[to_layer][rng.below(layers[to_layer].len())];
        if from == to || !seen.insert((from.clone(), to.clone())) {
            continue;
        }
        let is_broker = |kind: &str| kind == "queue" || kind == "stream";
        let arrow = if is_broker(from_kind) || is_broker(to_kind) {
            "~>"
        } else {
            "->"
        };
        writeln!(out, "{from} {arrow} {to}").unwrap();
    }
}

/// `count` declared journeys for a design, to append to its text: each starts at a client
/// and walks up to `hops` of the design's own flows, never back to a component it passed,
/// each step with its flow's arrow. Journeys take turns over the clients that call
/// anything and over the flows out of each component, so they differ. None when no
/// client calls anything.
pub fn journeys(design: &Design, count: usize, hops: usize) -> String {
    let mut outgoing: Vec<Vec<FlowId>> = vec![Vec::new(); design.components.len()];
    for (id, flow) in design.flows.iter().enumerate() {
        outgoing[flow.from].push(id);
    }
    let starts: Vec<ComponentId> = (0..design.components.len())
        .filter(|&c| design.components[c].kind == Kind::Client && !outgoing[c].is_empty())
        .collect();
    let mut out = String::new();
    if starts.is_empty() {
        return out;
    }
    for journey in 0..count {
        let mut at = starts[journey % starts.len()];
        let mut passed = HashSet::from([at]);
        let mut chain = design.components[at].id.clone();
        for hop in 0..hops {
            let onward: Vec<FlowId> = outgoing[at]
                .iter()
                .copied()
                .filter(|&f| !passed.contains(&design.flows[f].to))
                .collect();
            if onward.is_empty() {
                break;
            }
            let flow = &design.flows[onward[(journey + hop) % onward.len()]];
            at = flow.to;
            passed.insert(at);
            write!(chain, " {} {}", flow.mode.arrow(), design.components[at].id).unwrap();
        }
        writeln!(out, "journey j{journey} {{ {chain} }}").unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{design, journeys};
    use crate::source::Source;

    #[test]
    fn generated_designs_check_clean_and_have_the_asked_size() {
        let text = design(200, 7);
        let checked = crate::check(&Source::new("generated", text));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
        assert_eq!(checked.design.components.len(), 200);
        assert_eq!(checked.design.flows.len(), 300);
    }

    #[test]
    fn the_same_seed_gives_the_same_design() {
        assert_eq!(design(50, 1), design(50, 1));
        assert_ne!(design(50, 1), design(50, 2));
    }

    #[test]
    fn generated_journeys_walk_declared_flows_and_check_clean() {
        let mut text = design(200, 7);
        let plain = crate::check(&Source::new("generated", text.as_str()));
        text.push_str(&journeys(&plain.design, 30, 4));
        let checked = crate::check(&Source::new("generated", text));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
        assert_eq!(checked.design.journeys.len(), 30);
        assert!(checked
            .design
            .journeys
            .iter()
            .all(|j| (1..=4).contains(&j.steps.len())));
    }
}
