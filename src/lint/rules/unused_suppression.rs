//! LNT001 unused-suppression. Reported by the engine after suppressions are applied.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "LNT001",
    name: "unused-suppression",
    area: Area::Meta,
    severity: Severity::Warning,
    summary: "A `# strata: allow …` comment suppresses no finding.",
    why: "A suppression that no longer suppresses anything hides nothing today but will silently hide the next real finding on that line; stale ones also mislead readers about the design's known risks.",
    example: "web: client\napi: service { replicas 2 } # strata: allow AVL103 because there is no database here\nweb -> api\n",
    fix: "Remove the comment, or point it at the line and rule it was meant for.",
    check,
};

fn check(_: &Context) -> Vec<Finding> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn a_suppression_that_suppresses_is_not_reported() {
        let text = "web: client\ndb: database # strata: allow AVL103 because a scratch copy\nweb -> db # strata: allow SEC302 because a demo\n";
        assert!(ids(&RULE, text).is_empty());
    }
}
