//! CAP502 no-headroom-for-a-failure.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "CAP502",
    name: "no-headroom-for-a-failure",
    area: Area::Capacity,
    severity: Severity::Warning,
    summary: "A component carries its peak only with every replica up: losing one, or a zone, overloads the rest (N+1).",
    why: "Seed 001 keeps headroom so the system handles \"partial infrastructure failures\" gracefully: at peak, the replicas left after one fails (or after its largest zone fails, when `zones` is declared) must still carry the load, or one failure becomes an outage by overload.",
    example: "system \"s\" { peak_rps 2500 }\nweb: client\napi: service { replicas 3; zones 3; capacity 1000rps }\nweb -> api\n",
    fix: "Add a replica beyond what the peak needs (`replicas N+1`), spread over more zones.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let headroom = &cx.analysis.capacity.headroom;
    (cx.design.components.iter().zip(headroom))
        .filter_map(|(c, headroom)| {
            let headroom = headroom.as_ref()?;
            // Past its capacity already: CAP501 says so, and losing a replica is moot.
            if headroom.utilization > 1.0 {
                return None;
            }
            let lost = match (headroom.survives_replica_loss, headroom.survives_zone_loss) {
                (false, _) => "a replica",
                (true, Some(false)) => "a zone",
                _ => return None,
            };
            Some(
                Finding::new(
                    &RULE,
                    &c.id,
                    format!("`{}` does not carry its peak after losing {lost}", c.id),
                    c.span_at(&["replicas", "zones", "capacity"]),
                )
                .with_label(format!("the others are short at peak without {lost}"))
                .with_help(format!(
                    "add a replica: {}",
                    c.declared_with(&format!("replicas {}", c.replicas + 1))
                )),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_a_component_that_needs_every_replica_at_peak() {
        assert_eq!(ids(&RULE, RULE.example), ["CAP502@api"]);
    }

    #[test]
    fn reports_a_zone_loss_and_is_quiet_with_a_spare() {
        let zone = "system \"s\" { peak_rps 2500 }\nweb: client\napi: service { replicas 4; zones 2; capacity 1000rps }\nweb -> api\n";
        assert_eq!(ids(&RULE, zone), ["CAP502@api"]);
        let spare = "system \"s\" { peak_rps 2500 }\nweb: client\napi: service { replicas 4; zones 4; capacity 1000rps }\nweb -> api\n";
        assert!(ids(&RULE, spare).is_empty());
    }
}
