//! AVL111 database-without-backup.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::{Component, Kind};

pub const RULE: Rule = Rule {
    code: "AVL111",
    name: "database-without-backup",
    area: Area::Availability,
    severity: Severity::Warning,
    summary: "A database declares no backup.",
    why: "The guide's reliability questions (§2, SACRED \"R\") ask for data durability and a backup and recovery strategy, and guide 001's DR tiers start at backup and restore. Replicas are no backup: a bad migration, a deleted table or ransomware is copied to every replica at once, and only a backup taken before it brings the data back. A provider-run (`managed true`) database is taken as backed up by its provider unless it says `backup false`.",
    example: "web: client\napi: service { replicas 2 }\ndb: database { replicas 2; replication sync; failover automatic }\nweb -> api -> db\n",
    fix: "Declare the backups taken (snapshots, point-in-time recovery): `backup true`, with the recovery point they give (`rpo 1h`).",
    check,
};

/// Backed up: declared so, or run by a provider that backs it up unless told not to.
fn is_backed_up(database: &Component) -> bool {
    database.recovery.backup.unwrap_or(database.managed)
}

fn check(cx: &Context) -> Vec<Finding> {
    cx.design
        .components
        .iter()
        .filter(|c| c.kind == Kind::Database && !is_backed_up(c))
        .map(|c| {
            let (span, label) = match c.property_span("backup") {
                Some(span) => (span.clone(), "`backup false`: nothing restores lost data"),
                None => (
                    c.span.clone(),
                    "no `backup true`: nothing restores lost data",
                ),
            };
            Finding::new(
                &RULE,
                &c.id,
                format!("database `{}` is not backed up", c.id),
                span,
            )
            .with_label(label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn replicas_are_no_backup() {
        assert_eq!(ids(&RULE, RULE.example), ["AVL111@db"]);
        let refused = "db: database { managed true; backup false }\n";
        assert_eq!(ids(&RULE, refused), ["AVL111@db"]);
    }

    #[test]
    fn quiet_when_backed_up_or_run_by_a_provider() {
        let declared = RULE
            .example
            .replace("failover automatic", "failover automatic; backup true");
        assert!(ids(&RULE, &declared).is_empty());
        assert!(ids(&RULE, "db: database { managed true }\n").is_empty());
        assert!(ids(&RULE, "files: object_storage\n").is_empty());
    }
}
