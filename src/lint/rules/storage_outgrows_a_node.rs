//! CAP503 storage-outgrows-a-node.

use super::super::{Area, Context, Finding, Rule};
use crate::analysis::explain_capacity::bytes;
use crate::diagnostics::Severity;
use crate::model::{Component, Kind};

pub const RULE: Rule = Rule {
    code: "CAP503",
    name: "storage-outgrows-a-node",
    area: Area::Capacity,
    severity: Severity::Warning,
    summary: "A data store holds more after a year than one node of its kind scales to.",
    why: "Seed 003's database comparison gives each store the scale one node reaches (PostgreSQL and MySQL 10TB, MongoDB and Elasticsearch 100TB, Redis 100GB, Neo4j 1TB, InfluxDB 10TB); past it the data must be sharded or partitioned (seed 000: database scaling), a migration best planned before the year is out.",
    example: "system \"s\" { dau 10_000_000; actions_per_user 20 }\nweb: client\napi: service { replicas 2 }\ndb: database { tech \"PostgreSQL\"; replicas 2; record_size 1KB }\nweb -> api -> db\n",
    fix: "Shard or partition the store (several nodes, each with its part), keep less (`retention 90d`), or choose a store that scales further.",
    check,
};

const GB: f64 = 1e9;
const TB: f64 = 1e12;

/// The scale one node reaches (seed 003's comparison table), by technology, else by kind:
/// none for stores built to spread over many nodes (Cassandra, object storage, and
/// warehouses that keep their data in object storage apart from compute: Snowflake,
/// BigQuery).
fn node_scale(component: &Component) -> Option<(f64, &'static str)> {
    let tech = component.tech.as_deref().unwrap_or("").to_lowercase();
    let by_tech = [
        ("postgres", 10.0 * TB, "PostgreSQL"),
        ("mysql", 10.0 * TB, "MySQL"),
        ("mongo", 100.0 * TB, "MongoDB"),
        ("elasticsearch", 100.0 * TB, "Elasticsearch"),
        ("redis", 100.0 * GB, "Redis"),
        ("neo4j", TB, "Neo4j"),
        ("influx", 10.0 * TB, "InfluxDB"),
    ];
    if ["cassandra", "snowflake", "bigquery"]
        .iter()
        .any(|spread| tech.contains(spread))
    {
        return None;
    }
    if let Some(&(_, scale, name)) = by_tech.iter().find(|(key, _, _)| tech.contains(key)) {
        return Some((scale, name));
    }
    match component.kind {
        Kind::Database => Some((10.0 * TB, "a relational database")),
        Kind::Cache => Some((100.0 * GB, "a cache")),
        Kind::Search => Some((100.0 * TB, "a search index")),
        _ => None,
    }
}

fn check(cx: &Context) -> Vec<Finding> {
    let stored = &cx.analysis.capacity.stored;
    (cx.design.components.iter().zip(stored))
        .filter_map(|(c, stored)| {
            let stored = stored.as_ref()?;
            let (scale, what) = node_scale(c)?;
            (stored.after_a_year > scale).then(|| {
                Finding::new(
                    &RULE,
                    &c.id,
                    format!(
                        "`{}` holds {} after a year, more than one node of {what} scales to ({})",
                        c.id,
                        bytes(stored.after_a_year),
                        bytes(scale)
                    ),
                    c.span_at(&["record_size", "growth_per_day", "retention"]),
                )
                .with_label("outgrows a single node within a year")
                .with_help("shard or partition it, keep less (`retention 90d`), or choose a store that scales further")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn reports_a_store_past_one_nodes_scale_within_a_year() {
        // 200M writes a day × 1KB = 200GB a day, 73TB after a year, past PostgreSQL's 10TB.
        assert_eq!(ids(&RULE, RULE.example), ["CAP503@db"]);
    }

    #[test]
    fn quiet_within_a_node_and_for_stores_that_spread() {
        let small = "db: database { growth_per_day 1GB }\n";
        assert!(ids(&RULE, small).is_empty());
        let cassandra = "db: database { tech \"Cassandra\"; growth_per_day 1TB }\n";
        assert!(ids(&RULE, cassandra).is_empty());
        let warehouse = "dw: database { tech \"Snowflake\"; growth_per_day 1TB }\n";
        assert!(ids(&RULE, warehouse).is_empty());
        let redis = "c: cache { tech \"Redis\"; growth_per_day 1GB }\n";
        assert_eq!(ids(&RULE, redis), ["CAP503@c"]);
    }
}
