//! SEC306 missing-secret-store.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::Severity;
use crate::model::Kind;

pub const RULE: Rule = Rule {
    code: "SEC306",
    name: "missing-secret-store",
    area: Area::Security,
    severity: Severity::Warning,
    summary: "Workloads call databases or external systems with credentials, and no secret store keeps them.",
    why: "Every call to a database or a third-party API presents a credential: a password, an API key, a certificate. Without a secret store they end up in configuration files, environment variables and images, readable by anyone who can read those and never rotated. The guide's defense in depth (§9, layer 4: key management, KMS) and the staff roadmap's security topics (guide 000: secrets management with Vault or a secrets manager) keep them in one audited place.",
    example: "web: client\napi: service { replicas 2 }\ndb: database { managed true }\nweb -> api -> db\n",
    fix: "Add a secret store the workloads read their credentials from: `vault: secret_store \"Vault\" { managed true }` and `api -> vault`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    if cx.has_kind(Kind::SecretStore) {
        return Vec::new();
    }
    let kind = |id: usize| cx.design.components[id].kind;
    let mut with_credentials = cx.design.flows.iter().filter(|f| {
        is_workload(kind(f.from)) && matches!(kind(f.to), Kind::Database | Kind::External)
    });
    let Some(first) = with_credentials.next() else {
        return Vec::new();
    };
    let more = with_credentials.count();
    let others = match more {
        0 => String::new(),
        1 => " and 1 more call".to_string(),
        n => format!(" and {n} more calls"),
    };
    vec![Finding::new(
        &RULE,
        "system",
        format!(
            "no secret store keeps the credentials of {}{others}",
            cx.flow_name(first)
        ),
        cx.system_span(),
    )
    .lacking(Kind::SecretStore)
    .with_related(first.span.clone(), "a call that presents a credential")]
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    const DESIGN: &str = "web: client\napi: service\nworker: worker\ndb: database\npsp: external\nweb -> api -> db\napi -> psp\nworker -> db\n";

    #[test]
    fn fires_once_for_the_design_and_counts_the_calls() {
        assert_eq!(ids(&RULE, DESIGN), ["SEC306@system"]);
        let found = findings(DESIGN);
        let finding = found.iter().find(|f| f.code() == "SEC306").unwrap();
        assert_eq!(
            finding.diagnostic.message,
            "no secret store keeps the credentials of `api -> db` and 2 more calls"
        );
    }

    #[test]
    fn quiet_with_a_secret_store_or_nothing_to_keep() {
        let with_vault = format!("{DESIGN}vault: secret_store {{ managed true }}\napi -> vault\n");
        assert!(ids(&RULE, &with_vault).is_empty());
        let no_credentials = "web: client\napi: service\ncache: cache\nweb -> api -> cache\n";
        assert!(ids(&RULE, no_credentials).is_empty());
        // A client calling an external system presents its user's credentials, not ours.
        assert!(ids(&RULE, "web: client\npsp: external\nweb -> psp\n").is_empty());
    }
}
