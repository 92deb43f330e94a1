//! A seeded generator of synthetic designs for tests and benchmarks: N components spread
//! over the guide's tiers with realistic kinds, and about 1.5 N flows that mostly run
//! downwards through the tiers, as real request paths do. [`adversarial`] has the shapes
//! that stress a stage rather than resemble a system.

pub mod adversarial;

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

#[cfg(test)]
mod tests {
    use super::design;
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
}
