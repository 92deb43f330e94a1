//! Adversarial designs: the shapes that make a careless stage super-linear (fan-in,
//! fan-out, complete graphs, long chains, many cycles, deep nesting, many tiers, huge
//! labels, many findings on one line). Each family grows with one size, `n`, counted in
//! components or in flows, whichever the shape is about; every design checks clean.

use std::fmt::Write;

/// Deepest group nesting the nested family uses: near the language's limit.
pub const NESTING_DEPTH: usize = 60;

/// Characters in each label of the huge-labels family.
pub const HUGE_LABEL: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `n` clients calling one database.
    FanIn,
    /// One client calling `n` services.
    FanOut,
    /// About `n` flows: every pair of the fewest components that give that many.
    Complete,
    /// `n` services, each calling the next.
    Chain,
    /// `n / 2` pairs of services calling each other (each pair a sync cycle).
    Cycles,
    /// `n` services in groups nested [`NESTING_DEPTH`] deep.
    Nested,
    /// `n` tiers of one service each, each calling the next tier down.
    ManyTiers,
    /// `n` services with [`HUGE_LABEL`]-character labels, in a chain.
    HugeLabels,
    /// `n` unconnected services written on one line (a finding or more each).
    OneLine,
    /// The realistic generator's sparse random design of `n` components.
    Sparse,
}

impl Family {
    pub const ALL: [Family; 10] = [
        Family::FanIn,
        Family::FanOut,
        Family::Complete,
        Family::Chain,
        Family::Cycles,
        Family::Nested,
        Family::ManyTiers,
        Family::HugeLabels,
        Family::OneLine,
        Family::Sparse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::FanIn => "fan-in",
            Family::FanOut => "fan-out",
            Family::Complete => "complete",
            Family::Chain => "chain",
            Family::Cycles => "cycles",
            Family::Nested => "nested",
            Family::ManyTiers => "many-tiers",
            Family::HugeLabels => "huge-labels",
            Family::OneLine => "one-line",
            Family::Sparse => "sparse",
        }
    }

    /// The family's design of size `n` (at least 2).
    pub fn design(self, n: usize) -> String {
        let n = n.max(2);
        let mut out = format!("system \"{} {n}\" {{ sla 99.9% }}\n\n", self.name());
        match self {
            Family::FanIn => fan_in(&mut out, n),
            Family::FanOut => fan_out(&mut out, n),
            Family::Complete => complete(&mut out, n),
            Family::Chain => chain(&mut out, n, ""),
            Family::Cycles => cycles(&mut out, n),
            Family::Nested => nested(&mut out, n),
            Family::ManyTiers => many_tiers(&mut out, n),
            Family::HugeLabels => chain(&mut out, n, &"x".repeat(HUGE_LABEL)),
            Family::OneLine => one_line(&mut out, n),
            Family::Sparse => return super::design(n, 42),
        }
        out
    }
}

fn fan_in(out: &mut String, n: usize) {
    out.push_str("tier clients {\n");
    for i in 0..n {
        writeln!(out, "  c{i}: client").unwrap();
    }
    out.push_str("}\ntier data {\n  db: database { replicas 2 }\n}\n");
    for i in 0..n {
        writeln!(out, "c{i} -> db").unwrap();
    }
}

fn fan_out(out: &mut String, n: usize) {
    out.push_str("tier clients {\n  web: client\n}\ntier services {\n");
    for i in 0..n {
        writeln!(out, "  s{i}: service").unwrap();
    }
    out.push_str("}\n");
    for i in 0..n {
        writeln!(out, "web -> s{i}").unwrap();
    }
}

fn complete(out: &mut String, flows: usize) {
    let mut components = 2;
    while components * (components - 1) / 2 < flows {
        components += 1;
    }
    out.push_str("tier clients {\n  s0: client\n}\ntier services {\n");
    for i in 1..components {
        writeln!(out, "  s{i}: service").unwrap();
    }
    out.push_str("}\n");
    for i in 0..components {
        for j in i + 1..components {
            writeln!(out, "s{i} -> s{j}").unwrap();
        }
    }
}

fn chain(out: &mut String, n: usize, label: &str) {
    out.push_str("tier clients {\n  s0: client\n}\ntier services {\n");
    for i in 1..n {
        if label.is_empty() {
            writeln!(out, "  s{i}: service").unwrap();
        } else {
            writeln!(out, "  s{i}: service \"{i} {label}\"").unwrap();
        }
    }
    out.push_str("}\n");
    for i in 1..n {
        writeln!(out, "s{} -> s{i}", i - 1).unwrap();
    }
}

fn cycles(out: &mut String, n: usize) {
    let pairs = n / 2;
    out.push_str("tier clients {\n  web: client\n}\ntier services {\n");
    for i in 0..pairs {
        writeln!(out, "  a{i}: service\n  b{i}: service").unwrap();
    }
    out.push_str("}\n");
    for i in 0..pairs {
        writeln!(out, "web -> a{i} -> b{i} -> a{i}").unwrap();
    }
}

/// Groups nested [`NESTING_DEPTH`] deep, the services spread evenly over the levels and
/// chained from the outermost to the innermost.
fn nested(out: &mut String, n: usize) {
    out.push_str("tier clients {\n  s0: client\n}\ntier services {\n");
    let per_level = n.div_ceil(NESTING_DEPTH);
    let mut next = 1;
    let mut depth = 0;
    while next < n && depth < NESTING_DEPTH {
        writeln!(out, "group g{depth} {{").unwrap();
        for _ in 0..per_level.min(n - next) {
            writeln!(out, "  s{next}: service").unwrap();
            next += 1;
        }
        depth += 1;
    }
    out.push_str(&"}\n".repeat(depth));
    out.push_str("}\n");
    for i in 1..next {
        writeln!(out, "s{} -> s{i}", i - 1).unwrap();
    }
}

fn many_tiers(out: &mut String, n: usize) {
    for i in 0..n {
        let kind = if i == 0 { "client" } else { "service" };
        writeln!(out, "tier t{i} {{ s{i}: {kind} }}").unwrap();
    }
    for i in 1..n {
        writeln!(out, "s{} -> s{i}", i - 1).unwrap();
    }
}

fn one_line(out: &mut String, n: usize) {
    out.push_str("web: client;");
    for i in 0..n {
        write!(out, " s{i}: service;").unwrap();
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::Family;
    use crate::source::Source;

    #[test]
    fn every_family_checks_clean_at_its_size() {
        for family in Family::ALL {
            let checked = crate::check(&Source::new(family.name(), family.design(300)));
            assert!(
                !checked.has_errors(),
                "{}: {:?}",
                family.name(),
                checked.diagnostics.first()
            );
            let design = &checked.design;
            let near = |count: usize| (300..=330).contains(&count);
            assert!(
                near(design.components.len()) || near(design.flows.len()),
                "{}: {} components, {} flows",
                family.name(),
                design.components.len(),
                design.flows.len()
            );
        }
    }
}
