//! AVL112 recovery-misses-objective.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::milliseconds;
use crate::diagnostics::Severity;
use crate::model::{point_tier, time_tier, Component, Objective, Recovery};

pub const RULE: Rule = Rule {
    code: "AVL112",
    name: "recovery-misses-objective",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "The system declares a recovery objective (rpo, rto) that a data store's recovery does not reach, or does not say it reaches.",
    why: "The system's RPO and RTO (guide 001, disaster recovery planning) are only as good as its weakest store: if one database can lose an hour of writes, the system can. Guide 001's DR tiers say what each strategy reaches: synchronous replication loses nearly nothing, an asynchronous replica its lag (seconds), backups alone hours; an automatic failover is back in minutes, a manual one in hours, a restore in days. The guide's review card asks \"Where is data stored and backed up?\" (§4), and its reliability pillar for the backup and recovery strategy (§2, SACRED \"R\").",
    example: "system \"Shop\" { rpo 5m; rto 1h }\nweb: client\napi: service { replicas 2 }\ndb: database { replicas 2; backup true }\nweb -> api -> db\n",
    fix: "Give the store a recovery that reaches the objective, and declare it: `replication async` or `sync` for the point, `failover automatic` for the time, or the figures themselves (`rpo 1m; rto 5m`).",
    check,
};

/// One of the two objectives: how it is written, what a store reaches for it, and the
/// DR tier a figure falls in.
struct Aspect {
    property: &'static str,
    what: &'static str,
    reached: fn(&Recovery) -> Option<Objective>,
    tier: fn(f64) -> u8,
    /// Each tier's reach in words, best first.
    bands: [&'static str; 4],
    help: &'static str,
}

const POINT: Aspect = Aspect {
    property: "rpo",
    what: "recovery point",
    reached: Recovery::recovery_point,
    tier: point_tier,
    bands: ["near zero", "seconds", "minutes", "hours"],
    help: "replicate it (`replication sync` loses nothing, `async` seconds), or back it up as often as the objective asks and declare what that reaches (`rpo 5m`)",
};

const TIME: Aspect = Aspect {
    property: "rto",
    what: "recovery time",
    reached: Recovery::recovery_time,
    tier: time_tier,
    bands: ["near zero", "minutes", "hours", "days"],
    help: "fail over to a replica by itself (`replicas 2; failover automatic`), or declare the time a recovery takes (`rto 15m`) once it is fast enough",
};

fn check(cx: &Context) -> Vec<Finding> {
    let system = &cx.design.system;
    let objectives: Vec<(&Aspect, f64)> = [(&POINT, system.rpo), (&TIME, system.rto)]
        .into_iter()
        .filter_map(|(aspect, objective)| Some((aspect, objective?)))
        .collect();
    if objectives.is_empty() {
        return Vec::new();
    }
    cx.design
        .components
        .iter()
        .filter(|c| c.kind.is_data_store() && c.is_hard_dependency_target())
        .flat_map(|c| {
            objectives
                .iter()
                .filter_map(move |&(aspect, objective)| missed(cx, c, aspect, objective))
        })
        .collect()
}

/// A finding when what the store reaches is worse than the objective, or unknown.
fn missed(cx: &Context, c: &Component, aspect: &Aspect, objective: f64) -> Option<Finding> {
    let wanted = (aspect.tier)(objective);
    let against = format!(
        "the system's {} of {}",
        aspect.property,
        milliseconds(objective)
    );
    let (message, property, label) = match (aspect.reached)(&c.recovery) {
        Some(Objective::Declared(reached)) if reached > objective => (
            format!(
                "{} `{}` declares an {} of {}, worse than {against}",
                c.kind.name(),
                c.id,
                aspect.property,
                milliseconds(reached)
            ),
            aspect.property,
            format!("its {} misses the system's", aspect.what),
        ),
        Some(Objective::Implied { tier, by, property }) if tier > wanted => (
            format!(
                "{} `{}` recovers by {by}: {} (DR tier {tier}), worse than {against} (tier {wanted})",
                c.kind.name(),
                c.id,
                aspect.bands[usize::from(tier - 1)]
            ),
            property,
            format!("implies a {} of {}", aspect.what, aspect.bands[usize::from(tier - 1)]),
        ),
        Some(_) => return None,
        None => (
            format!(
                "{} `{}` declares no {} to weigh against {against}",
                c.kind.name(),
                c.id,
                aspect.what
            ),
            aspect.property,
            format!("its {} is unknown", aspect.what),
        ),
    };
    let span = c.span_at(&[property]);
    let declared = cx
        .design
        .system
        .property_span(aspect.property)
        .cloned()
        .unwrap_or_else(|| cx.system_span());
    Some(
        Finding::new(
            &RULE,
            &format!("{}.{}", c.id, aspect.property),
            message,
            span,
        )
        .with_label(label)
        .with_related(declared, "the system's objective")
        .with_help(aspect.help),
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    fn with_store(system: &str, recovery: &str) -> String {
        format!("system \"Shop\" {{ {system} }}\nweb: client\napi: service {{ replicas 2 }}\ndb: database {{ replicas 2; {recovery} }}\nweb -> api -> db\n")
    }

    #[test]
    fn a_declared_recovery_worse_than_the_objective_fires() {
        assert_eq!(
            ids(&RULE, &with_store("rpo 5m; rto 1h", "rpo 15m; rto 30m")),
            ["AVL112@db.rpo"]
        );
        assert_eq!(
            ids(&RULE, &with_store("rto 10m", "rpo 1h; rto 30m")),
            ["AVL112@db.rto"]
        );
        assert!(ids(&RULE, &with_store("rpo 5m; rto 1h", "rpo 1m; rto 1h")).is_empty());
    }

    #[test]
    fn what_replication_failover_or_backup_imply_is_weighed_by_dr_tier() {
        let text = with_store("rpo 5m; rto 1h", "backup true");
        assert_eq!(ids(&RULE, &text), ["AVL112@db.rpo", "AVL112@db.rto"]);
        let found = findings(&text);
        let point = found.iter().find(|f| f.id == "AVL112@db.rpo").unwrap();
        assert_eq!(
            point.diagnostic.message,
            "database `db` recovers by backups alone: hours (DR tier 4), worse than the system's rpo of 5 min (tier 3)"
        );
        let replicated = "replication async; failover automatic";
        assert!(ids(&RULE, &with_store("rpo 5m; rto 1h", replicated)).is_empty());
        assert_eq!(
            ids(&RULE, &with_store("rpo 0s; rto 30s", replicated)),
            ["AVL112@db.rpo", "AVL112@db.rto"]
        );
        assert!(ids(&RULE, &with_store("rpo 0s", "replication sync")).is_empty());
    }

    #[test]
    fn a_store_that_says_nothing_fires_and_no_objective_stays_quiet() {
        assert_eq!(
            ids(&RULE, &with_store("rpo 5m", "managed true")),
            ["AVL112@db.rpo"]
        );
        assert!(ids(&RULE, &with_store("sla 99.9%", "backup true")).is_empty());
        // A look-aside cache holds copies of data recovered elsewhere.
        let cache =
            "system \"S\" { rpo 5m }\nweb: client\napi: service\nc: cache\nweb -> api -> c\n";
        assert!(ids(&RULE, cache).is_empty());
    }
}
