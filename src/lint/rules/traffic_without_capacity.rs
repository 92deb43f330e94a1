//! CAP504 traffic-without-capacity.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;

pub const RULE: Rule = Rule {
    code: "CAP504",
    name: "traffic-without-capacity",
    area: Area::Capacity,
    severity: Severity::Info,
    summary: "The system declares its traffic but no component declares what it handles: nothing to check the load against.",
    why: "The review card asks \"How do we scale when traffic 10x?\"; `analyze` carries the declared traffic to every component, but says what saturates first only against a `capacity` per replica (seed 001: \"Identify bottlenecks: which resource hits limits first?\").",
    example: "system \"s\" { dau 1_000_000; actions_per_user 10 }\nweb: client\napi: service { replicas 2 }\nweb -> api\n",
    fix: "Declare what one replica of the busiest components handles, from a load test: `capacity 2000rps`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let declares_capacity = cx
        .design
        .components
        .iter()
        .any(|c| c.sizing.capacity.is_some());
    if cx.analysis.load.is_none() || declares_capacity {
        return Vec::new();
    }
    vec![Finding::new(
        &RULE,
        "system",
        "traffic is declared, but no component declares its capacity",
        cx.system_span(),
    )
    .with_label("nothing to check this traffic against")
    .with_help("declare what one replica handles on the components that take the load, e.g. `capacity 2000rps`")]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_traffic_with_no_capacity_anywhere() {
        assert_eq!(ids(&RULE, RULE.example), ["CAP504@system"]);
    }

    #[test]
    fn quiet_with_a_capacity_or_without_traffic() {
        let sized = "system \"s\" { peak_rps 10 }\nweb: client\napi: service { capacity 100rps }\nweb -> api\n";
        assert!(ids(&RULE, sized).is_empty());
        assert!(ids(&RULE, "web: client\napi: service\nweb -> api\n").is_empty());
    }
}
