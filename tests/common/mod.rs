//! Shared by the render and text tests: random designs for property tests, with tiers,
//! nested groups, sync and async flows, labels, and optionally wide (CJK) labels.

use proptest::prelude::*;

/// A random design: tiers, untiered components, groups (some nested), flows either way,
/// sync or async, labelled or not, with some wide characters.
pub fn random_design(wide_labels: bool) -> impl Strategy<Value = String> {
    let component = (
        0usize..6,
        0usize..21,
        any::<bool>(),
        1u32..4,
        0usize..4,
        any::<bool>(),
    );
    let flow = (
        0usize..40,
        0usize..40,
        any::<bool>(),
        prop::option::of(0usize..6),
    );
    (
        1usize..5,
        prop::collection::vec(component, 1..22),
        prop::collection::vec(flow, 0..40),
    )
        .prop_map(move |(tiers, components, flows)| {
            const LABELS: [&str; 6] = [
                "reads",
                "writes events",
                "x",
                "a much longer flow label than most",
                "REST",
                "書き込み",
            ];
            let mut slots =
                vec![[String::new(), String::new(), String::new(), String::new()]; tiers + 1];
            let count = components.len();
            for (i, (tier, kind, tech, replicas, group, wide)) in components.into_iter().enumerate()
            {
                let kind = strata::model::Kind::ALL[kind].name();
                let tech = if tech {
                    format!("tech \"Tech {i}\"; ")
                } else {
                    String::new()
                };
                let label = if wide && wide_labels {
                    format!("サービス {i}")
                } else {
                    format!("Component {i}")
                };
                let slot = tier.min(tiers);
                let group = if slot < tiers { group } else { 0 };
                slots[slot][group].push_str(&format!(
                    "c{i}: {kind} \"{label}\" {{ {tech}replicas {replicas} }}\n"
                ));
            }
            let mut text = String::from("system \"Random\" {}\n");
            for (t, [loose, a, b, inner]) in slots.iter().enumerate() {
                let mut body = loose.clone();
                if !a.is_empty() {
                    body.push_str(&format!("group g{t}a \"Group {t} A\" {{\n{a}}}\n"));
                }
                if !b.is_empty() {
                    body.push_str(&format!("group g{t}b \"Group {t} B\" {{\n{b}}}\n"));
                }
                if !inner.is_empty() {
                    body.push_str(&format!(
                        "group g{t}o \"Outer {t}\" {{ group g{t}i \"Inner\" {{\n{inner}}} }}\n"
                    ));
                }
                if t < tiers {
                    text.push_str(&format!("tier t{t} \"Tier {t}\" {{\n{body}}}\n"));
                } else {
                    text.push_str(&body);
                }
            }
            let mut seen = std::collections::HashSet::new();
            for (from, to, asynchronous, label) in flows {
                let (from, to) = (from % count, to % count);
                if from == to || !seen.insert((from, to, asynchronous)) {
                    continue;
                }
                let arrow = if asynchronous { "~>" } else { "->" };
                // The last label is the wide one.
                let label = label
                    .filter(|&l| wide_labels || l + 1 < LABELS.len())
                    .map(|l| format!(" : \"{}\"", LABELS[l]))
                    .unwrap_or_default();
                text.push_str(&format!("c{from} {arrow} c{to}{label}\n"));
            }
            text
        })
}
