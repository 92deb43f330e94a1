//! STR210 dual-write-without-saga.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::Severity;
use crate::model::{ComponentId, Flow, Kind};
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "STR210",
    name: "dual-write-without-saga",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A workload writes two or more databases synchronously, and nothing says how the writes stay consistent.",
    why: "Two databases cannot commit in one local transaction: when the second write fails after the first succeeded, the data disagrees (an order with no payment, a debit with no credit). The guide's e-commerce template settles payment with the \"Saga pattern with compensation\" to \"handle partial failures\" (§6.1), its consistency pillar asks for the transaction boundaries (§2, SACRED \"C\"), and the staff roadmap lists distributed transactions, 2PC and sagas (guide 000).",
    example: "web: client\napi: service { replicas 2 }\norders: database { managed true }\npayments: database { managed true }\nweb -> api\napi -> orders, payments { access write }\n",
    fix: "Say how the writes are kept consistent, and build it: `consistency saga` (compensating steps), `outbox` (one local transaction, then an event) or `two_phase_commit`, on the workload or on the journey that makes the writes.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let design = cx.design;
    let mut writes: Vec<Vec<&Flow>> = vec![Vec::new(); design.components.len()];
    for flow in &design.flows {
        let writes_a_database = flow.mode == FlowMode::Sync
            && flow.access.is_some_and(|access| access.writes())
            && design.components[flow.to].kind == Kind::Database;
        if writes_a_database {
            writes[flow.from].push(flow);
        }
    }
    let settled = settled_by_a_journey(cx);
    (0..design.components.len())
        .filter(|&id| {
            let c = &design.components[id];
            is_workload(c.kind) && writes[id].len() >= 2 && c.consistency.is_none() && !settled[id]
        })
        .map(|id| dual_write(cx, id, &writes[id]))
        .collect()
}

/// Whether a declared journey with a `consistency` passes through each component.
fn settled_by_a_journey(cx: &Context) -> Vec<bool> {
    let mut settled = vec![false; cx.design.components.len()];
    let journeys = cx
        .design
        .journeys
        .iter()
        .filter(|j| j.consistency.is_some());
    for step in journeys.flat_map(|j| &j.steps) {
        let flow = &cx.design.flows[*step];
        settled[flow.from] = true;
        settled[flow.to] = true;
    }
    settled
}

fn dual_write(cx: &Context, id: ComponentId, writes: &[&Flow]) -> Finding {
    let c = &cx.design.components[id];
    let databases: Vec<String> = writes
        .iter()
        .map(|f| format!("`{}`", cx.id(f.to)))
        .collect();
    let (last, rest) = databases.split_last().expect("two writes at least");
    let mut finding = Finding::new(
        &RULE,
        &c.id,
        format!(
            "`{}` writes {} and {last} synchronously with no saga, outbox or two-phase commit",
            c.id,
            rest.join(", ")
        ),
        c.span.clone(),
    )
    .with_label("a failure between the writes leaves the databases disagreeing")
    .with_help(format!(
                "declare how the writes stay consistent: {} (or `outbox`, `two_phase_commit`), or on the journey that makes them",
                c.declared_with("consistency saga")
            ));
    for flow in writes {
        finding = finding.with_related(flow.span.clone(), format!("writes `{}`", cx.id(flow.to)));
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    const DESIGN: &str =
        "web: client\napi: service\norders: database\npayments: database\nweb -> api\n";

    #[test]
    fn fires_on_two_synchronous_writes() {
        let text = format!(
            "{DESIGN}api -> orders {{ access write }}\napi -> payments {{ access read_write }}\n"
        );
        assert_eq!(ids(&RULE, &text), ["STR210@api"]);
        let found = findings(&text);
        let finding = found.iter().find(|f| f.code() == "STR210").unwrap();
        assert_eq!(
            finding.diagnostic.message,
            "`api` writes `orders` and `payments` synchronously with no saga, outbox or two-phase commit"
        );
    }

    #[test]
    fn quiet_with_a_consistency_on_the_workload_or_a_journey_through_it() {
        let writes = "api -> orders, payments { access write }\n";
        let saga = format!("{DESIGN}{writes}")
            .replace("api: service", "api: service { consistency saga }");
        assert!(ids(&RULE, &saga).is_empty());
        let journey =
            format!("{DESIGN}{writes}journey pay {{ web -> api -> orders; consistency outbox }}\n");
        assert!(ids(&RULE, &journey).is_empty());
    }

    #[test]
    fn quiet_on_reads_unknown_access_or_one_database() {
        for flows in [
            "api -> orders, payments { access read }",
            "api -> orders, payments",
            "api -> orders { access write }\napi -> payments",
        ] {
            assert!(
                ids(&RULE, &format!("{DESIGN}{flows}\n")).is_empty(),
                "{flows}"
            );
        }
    }
}
