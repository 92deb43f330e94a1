//! What the exports to nesting languages (D2, Mermaid, PlantUML, Structurizr, LikeC4)
//! share: which groups and components sit directly inside each tier, each group and the
//! design itself, and a key for every tier, group and component that the target language
//! can take.
//!
//! Strata ids are identifiers in each target but LikeC4, which wants a letter before any
//! digit, so each export says how an id becomes a name it takes, and which names it reads
//! as keywords. Keys are unique without regard to case (D2, Mermaid and Structurizr fold
//! case; elsewhere it costs nothing): a tier's, group's or component's own id where that
//! works, else the id with the first free `_2`, `_3`… suffix.

use crate::model::{ComponentId, Design, GroupId};
use rustc_hash::FxHashSet;

/// The groups and components directly inside each tier, each group, and the design itself.
pub(crate) struct Nesting {
    pub in_tier: Vec<Members>,
    pub in_group: Vec<Members>,
    pub loose: Members,
}

#[derive(Default, Clone)]
pub(crate) struct Members {
    pub groups: Vec<GroupId>,
    pub components: Vec<ComponentId>,
}

impl Nesting {
    pub fn new(design: &Design) -> Nesting {
        let mut nesting = Nesting {
            in_tier: vec![Members::default(); design.tiers.len()],
            in_group: vec![Members::default(); design.groups.len()],
            loose: Members::default(),
        };
        for (id, group) in design.groups.iter().enumerate() {
            nesting.parent(group.parent, group.tier).groups.push(id);
        }
        for (id, component) in design.components.iter().enumerate() {
            nesting
                .parent(component.group, component.tier)
                .components
                .push(id);
        }
        nesting
    }

    fn parent(&mut self, group: Option<GroupId>, tier: Option<usize>) -> &mut Members {
        match (group, tier) {
            (Some(group), _) => &mut self.in_group[group],
            (None, Some(tier)) => &mut self.in_tier[tier],
            (None, None) => &mut self.loose,
        }
    }
}

/// Each tier's, group's and component's key in the target language.
pub(crate) struct Keys {
    pub tiers: Vec<String>,
    pub groups: Vec<String>,
    pub components: Vec<String>,
}

impl Keys {
    /// Keys made from ids by `legal` and avoiding `reserved`, names the target reads as
    /// keywords, given in lower case.
    pub fn new(design: &Design, reserved: &[&str], legal: fn(&str) -> String) -> Keys {
        let mut taken = FxHashSet::default();
        let mut unique = |id: &str| unique_key(&legal(id), reserved, &mut taken);
        Keys {
            tiers: design.tiers.iter().map(|t| unique(&t.id)).collect(),
            groups: design.groups.iter().map(|g| unique(&g.id)).collect(),
            components: design.components.iter().map(|c| unique(&c.id)).collect(),
        }
    }

    /// The component's full path from the top, joined by dots: tier, groups outermost
    /// first, its own key.
    pub fn path(&self, design: &Design, id: ComponentId) -> String {
        let component = &design.components[id];
        let mut segments = vec![self.components[id].as_str()];
        let mut group = component.group;
        while let Some(g) = group {
            segments.push(&self.groups[g]);
            group = design.groups[g].parent;
        }
        if let Some(tier) = component.tier {
            segments.push(&self.tiers[tier]);
        }
        segments.reverse();
        segments.join(".")
    }
}

fn unique_key(id: &str, reserved: &[&str], taken: &mut FxHashSet<String>) -> String {
    let mut key = id.to_string();
    let mut suffix = 1;
    loop {
        let folded = key.to_ascii_lowercase();
        if !reserved.contains(&folded.as_str()) && taken.insert(folded) {
            return key;
        }
        suffix += 1;
        key = format!("{id}_{suffix}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_avoid_keywords_and_collisions_without_regard_to_case() {
        let mut taken = FxHashSet::default();
        let keys: Vec<String> = ["api", "API", "shape", "shape_2", "Label", "_", "x"]
            .iter()
            .map(|id| unique_key(id, &["shape", "label", "_"], &mut taken))
            .collect();
        assert_eq!(
            keys,
            [
                "api",
                "API_2",
                "shape_2",
                "shape_2_2",
                "Label_2",
                "__2",
                "x"
            ]
        );
    }
}
