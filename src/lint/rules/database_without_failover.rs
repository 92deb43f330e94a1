//! AVL103 database-without-failover.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain::{duration, journey_name, milliseconds, percent};
use crate::analysis::{error_budget_minutes_per_month, is_redundant};
use crate::diagnostics::Severity;
use crate::model::{ComponentId, Failover, Kind, Replication};

pub const RULE: Rule = Rule {
    code: "AVL103",
    name: "database-without-failover",
    area: Area::Availability,
    severity: Severity::Error,
    summary: "A database has no replica to fail over to, or its declared recovery does not hold up.",
    why: "The guide's core components (§4) pair the primary database with a replica, and its \"Where is data stored and backed up?\" question: a lone database is both an outage and a data-loss risk when its host fails. With a replica, the recovery it declares (guide 001, RPO and RTO) must add up: an asynchronous replica loses its lag, so it cannot promise an rpo of 0; a failover slower than a month's error budget of the strictest journey that needs the database spends that budget at once; and a manual failover with no rto leaves that unknown.",
    example: "web: client\napi: service { replicas 2 }\ndb: database { replicas 1 }\nweb -> api -> db\n",
    fix: "Run a primary and a replica (`replicas 2`), or use a managed database with failover (`managed true`); declare a recovery that fits the target: `replication sync` for an rpo of 0, `failover automatic` and an rto under the monthly error budget.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    (0..cx.design.components.len())
        .filter(|&id| cx.design.components[id].kind == Kind::Database)
        .flat_map(|id| {
            if is_redundant(cx.design, id) {
                recovery(cx, id)
            } else {
                vec![single_instance(cx, id)]
            }
        })
        .collect()
}

fn single_instance(cx: &Context, id: ComponentId) -> Finding {
    let c = &cx.design.components[id];
    let span = c.span_at(&["replicas"]);
    Finding::new(&RULE, &c.id, format!("database `{}` has no replica to fail over to", c.id), span)
        .with_label("a single instance")
        .with_help(format!(
            "add a replica: `{}: database {{ replicas 2 }}`, or `managed true` for a managed database with failover",
            c.id
        ))
}

/// A replicated database whose declared recovery does not hold up: an asynchronous copy
/// promised to lose nothing, a failover slower than a month's error budget of the
/// strictest journey that needs it, or a manual one with no time given.
fn recovery(cx: &Context, id: ComponentId) -> Vec<Finding> {
    let c = &cx.design.components[id];
    let recovery = &c.recovery;
    let mut findings = Vec::new();
    if recovery.replication == Some(Replication::Async) && recovery.rpo == Some(0.0) {
        findings.push(
            Finding::new(
                &RULE,
                &format!("{}.rpo", c.id),
                format!("database `{}` replicates asynchronously but declares an rpo of 0", c.id),
                c.property_span("rpo").cloned().expect("rpo is declared"),
            )
            .with_label("a failover loses the writes the replicas have not received yet")
            .with_help("`replication sync` loses nothing; or declare the replication lag as the rpo, e.g. `rpo 5s`"),
        );
    }
    let weighed = recovery.rto.is_some() || recovery.failover == Some(Failover::Manual);
    let Some((target, held_by)) = weighed.then(|| strictest_target(cx, id)).flatten() else {
        return findings;
    };
    let budget = error_budget_minutes_per_month(target);
    let allows = format!(
        "the {} a month {held_by} allows ({})",
        duration(budget),
        percent(target)
    );
    match (recovery.rto, recovery.failover) {
        (Some(rto), _) if rto > budget * MINUTE => findings.push(
            Finding::new(
                &RULE,
                &format!("{}.rto", c.id),
                format!("database `{}` takes up to {} to fail over, more than {allows}", c.id, milliseconds(rto)),
                c.property_span("rto").cloned().expect("rto is declared"),
            )
            .with_label("one failover spends more than a month's error budget")
            .with_help(format!(
                "bring the rto under {}: an automatic failover to a hot standby (`failover automatic`); or hold {held_by} to a target whose budget covers a failover",
                duration(budget)
            )),
        ),
        (None, Some(Failover::Manual)) => findings.push(
            Finding::new(
                &RULE,
                &format!("{}.failover", c.id),
                format!("database `{}` fails over by hand and declares no rto", c.id),
                c.property_span("failover").cloned().expect("failover is declared"),
            )
            .with_label("a manual failover takes minutes to hours (guide 001)")
            .with_help(format!(
                "declare how long a promotion takes (`rto 30m`) to weigh it against {allows}, or automate it (`failover automatic`)"
            )),
        ),
        _ => {}
    }
    findings
}

const MINUTE: f64 = 60_000.0;

/// The highest availability target among the journeys that need the component, and who
/// holds it: a journey by name, or the SLA.
fn strictest_target(cx: &Context, component: ComponentId) -> Option<(f64, String)> {
    cx.analysis
        .paths
        .iter()
        .filter(|path| path.needs(component))
        .filter_map(|path| Some((path.target(cx.design)?, path)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(target, path)| {
            let held_by = match path.journey {
                Some(j) if cx.design.journeys[j].sla.is_some() => {
                    format!("journey {}", journey_name(&cx.design.journeys[j]))
                }
                _ => "the SLA".to_string(),
            };
            (target, held_by)
        })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    const REPLICATED: &str = "system \"Bank\" { sla 99.95% }\nweb: client\napi: service { replicas 2 }\nweb -> api -> db\n";

    #[test]
    fn a_recovery_that_does_not_hold_up_is_reported_at_its_property() {
        let with =
            |recovery: &str| format!("{REPLICATED}db: database {{ replicas 2; {recovery} }}\n");
        assert_eq!(
            ids(&RULE, &with("replication async; rpo 0s")),
            ["AVL103@db.rpo"]
        );
        assert!(ids(&RULE, &with("replication sync; rpo 0s")).is_empty());
        // 99.95% allows 21.9 minutes a month.
        assert_eq!(
            ids(&RULE, &with("failover automatic; rto 30m")),
            ["AVL103@db.rto"]
        );
        assert!(ids(&RULE, &with("failover automatic; rto 20m")).is_empty());
        assert_eq!(ids(&RULE, &with("failover manual")), ["AVL103@db.failover"]);
        assert!(ids(
            &RULE,
            &with("failover manual").replace("{ sla 99.95% }", "")
        )
        .is_empty());
    }

    #[test]
    fn the_strictest_journey_that_needs_the_database_sets_the_budget() {
        let text = format!(
            "{REPLICATED}db: database {{ replicas 2; rto 10m }}\njourney pay {{ web -> api -> db; sla 99.99% }}\n"
        );
        let found = findings(&text);
        let finding = found.iter().find(|f| f.code() == "AVL103").unwrap();
        assert_eq!(
            finding.diagnostic.message,
            "database `db` takes up to 10 min to fail over, more than the 4.4 min a month journey pay allows (99.99%)"
        );
    }

    #[test]
    fn quiet_with_a_replica_or_managed() {
        assert!(ids(
            &RULE,
            "db: database { replicas 2 }\nweb: client\nweb -> db\n"
        )
        .is_empty());
        assert!(ids(
            &RULE,
            "db: database { managed true }\nweb: client\nweb -> db\n"
        )
        .is_empty());
    }
}
