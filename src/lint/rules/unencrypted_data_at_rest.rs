//! SEC307 unencrypted-data-at-rest.

use super::super::{Area, Context, Finding, Rule};
use crate::diagnostics::Severity;
use crate::model::{Compliance, Component, Kind};

pub const RULE: Rule = Rule {
    code: "SEC307",
    name: "unencrypted-data-at-rest",
    area: Area::Security,
    severity: Severity::Error,
    summary: "The system declares a compliance regime, and a store of its data does not declare that it is encrypted at rest.",
    why: "HIPAA, PCI-DSS, GDPR and SOC 2 all expect the data they cover to be encrypted where it is stored, so that a stolen disk, snapshot or backup reveals nothing. The guide's defense in depth puts encryption at rest (AES-256) in its data layer (§9, layer 4), its fintech template stores \"Encrypted at rest (AES-256)\" for PCI-DSS (§6.3) and its healthcare template keeps PHI in encrypted stores (§6.4).",
    example: "system \"Clinic\" { compliance [hipaa] }\nweb: client\napi: service { replicas 2 }\nrecords: database { replicas 2 }\nweb -> api -> records\n",
    fix: "Encrypt the store at rest (provider-managed keys or a KMS) and declare it: `records: database { encrypted true }`.",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let system = &cx.design.system;
    if system.compliance.is_empty() {
        return Vec::new();
    }
    let regimes: Vec<&str> = system.compliance.iter().map(|c| c.name()).collect();
    let regimes = regimes.join(", ");
    let declared = system
        .property_span("compliance")
        .cloned()
        .unwrap_or_else(|| cx.system_span());
    cx.design
        .components
        .iter()
        .filter(|c| keeps_data_at_rest(c) && c.encrypted != Some(true))
        .map(|c| {
            let span = c.span_at(&["encrypted"]);
            Finding::new(
                &RULE,
                &c.id,
                format!(
                    "{} `{}` keeps {} data unencrypted at rest",
                    c.kind.name(),
                    c.id,
                    regulated(&system.compliance)
                ),
                span,
            )
            .with_label("not declared `encrypted true`")
            .with_related(
                declared.clone(),
                format!("the system falls under {regimes}"),
            )
            .with_help(format!(
                "encrypt it at rest and declare it: {}",
                c.declared_with("encrypted true")
            ))
        })
        .collect()
}

/// Stores data on disk: databases, object storage, search indexes, brokers, and a cache
/// that holds the only copy (a look-aside cache holds copies of data kept elsewhere,
/// and in memory).
fn keeps_data_at_rest(c: &Component) -> bool {
    match c.kind {
        Kind::Cache => c.is_hard_dependency_target(),
        kind => kind.is_data_store() || kind.is_broker(),
    }
}

/// `PCI-DSS-regulated`, or `regulated` for several regimes.
fn regulated(regimes: &[Compliance]) -> &'static str {
    match regimes {
        [Compliance::Hipaa] => "HIPAA-regulated",
        [Compliance::PciDss] => "PCI-DSS-regulated",
        [Compliance::Gdpr] => "GDPR-regulated",
        [Compliance::Soc2] => "SOC 2-scoped",
        _ => "regulated",
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::{findings, ids};

    const STORES: &str = "web: client\napi: service\nweb -> api -> db, docs, index, sessions, cache\napi ~> events\ndb: database\ndocs: object_storage\nindex: search\nsessions: cache { role store }\ncache: cache\nevents: stream\n";

    #[test]
    fn fires_on_every_store_of_a_regulated_system_that_is_not_encrypted() {
        let text = format!("system \"Clinic\" {{ compliance [hipaa] }}\n{STORES}");
        assert_eq!(
            ids(&RULE, &text),
            [
                "SEC307@db",
                "SEC307@docs",
                "SEC307@index",
                "SEC307@sessions",
                "SEC307@events"
            ]
        );
        let found = findings(&text);
        let first = found.iter().find(|f| f.code() == "SEC307").unwrap();
        assert_eq!(
            first.diagnostic.message,
            "database `db` keeps HIPAA-regulated data unencrypted at rest"
        );
    }

    #[test]
    fn quiet_when_encrypted_or_unregulated() {
        assert!(ids(&RULE, STORES).is_empty());
        let encrypted = "system \"Shop\" { compliance [pci_dss, gdpr] }\nweb: client\napi: service\ndb: database { encrypted true }\nweb -> api -> db\n";
        assert!(ids(&RULE, encrypted).is_empty());
        let off = encrypted.replace("encrypted true", "encrypted false");
        assert_eq!(ids(&RULE, &off), ["SEC307@db"]);
    }
}
