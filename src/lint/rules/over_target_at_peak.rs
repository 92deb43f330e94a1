//! CAP501 over-target-at-peak.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::capacity::TARGET_UTILIZATION;
use crate::analysis::explain_capacity::percent;
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "CAP501",
    name: "over-target-at-peak",
    area: Area::Capacity,
    severity: Severity::Warning,
    summary: "A component runs above 70% of its capacity at the declared peak.",
    why: "Seed 001's capacity planning loop: \"Plan headroom (target 60-70% utilization, not 90%)\": above it most systems degrade non-linearly, a spike has no room, and losing an instance overloads the rest. Utilization is the peak requests a second `analyze` carries to the component over its replicas × `capacity`.",
    example: "system \"s\" { peak_rps 5000 }\nweb: client\napi: service { replicas 3; capacity 2000rps }\nweb -> api\n",
    fix: "Run the replicas `analyze` says the target needs (`replicas N`), or raise what one replica handles.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let headroom = &cx.analysis.capacity.headroom;
    (cx.design.components.iter().zip(headroom))
        .filter_map(|(c, headroom)| {
            let headroom = headroom.as_ref()?;
            (headroom.utilization > TARGET_UTILIZATION).then(|| {
                Finding::new(
                    &RULE,
                    &c.id,
                    format!(
                        "`{}` runs at {} of its capacity at peak",
                        c.id,
                        percent(headroom.utilization)
                    ),
                    c.span_at(&["replicas", "capacity"]),
                )
                .with_label(format!("above the {} target", percent(TARGET_UTILIZATION)))
                .with_help(format!(
                    "run {} replicas to stay within {} at peak: `replicas {}`",
                    headroom.replicas_needed,
                    percent(TARGET_UTILIZATION),
                    headroom.replicas_needed
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_a_component_past_the_target_at_peak() {
        assert_eq!(ids(&RULE, RULE.example), ["CAP501@api"]);
    }

    #[test]
    fn quiet_within_the_target_and_without_traffic() {
        let within = "system \"s\" { peak_rps 4200 }\nweb: client\napi: service { replicas 3; capacity 2000rps }\nweb -> api\n";
        assert!(ids(&RULE, within).is_empty());
        let no_traffic = "web: client\napi: service { capacity 1rps }\nweb -> api\n";
        assert!(ids(&RULE, no_traffic).is_empty());
    }
}
