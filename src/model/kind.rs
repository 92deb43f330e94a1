//! Component kinds: the vocabulary the checklist and the renderers understand.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Client,
    Dns,
    Cdn,
    Waf,
    LoadBalancer,
    Gateway,
    Service,
    Auth,
    Worker,
    Database,
    Cache,
    Queue,
    Stream,
    Search,
    ObjectStorage,
    SecretStore,
    ConfigStore,
    Metrics,
    Logging,
    Tracing,
    Alerting,
    External,
    Component,
}

impl Kind {
    pub const ALL: [Kind; 23] = [
        Kind::Client,
        Kind::Dns,
        Kind::Cdn,
        Kind::Waf,
        Kind::LoadBalancer,
        Kind::Gateway,
        Kind::Service,
        Kind::Auth,
        Kind::Worker,
        Kind::Database,
        Kind::Cache,
        Kind::Queue,
        Kind::Stream,
        Kind::Search,
        Kind::ObjectStorage,
        Kind::SecretStore,
        Kind::ConfigStore,
        Kind::Metrics,
        Kind::Logging,
        Kind::Tracing,
        Kind::Alerting,
        Kind::External,
        Kind::Component,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::Dns => "dns",
            Kind::Cdn => "cdn",
            Kind::Waf => "waf",
            Kind::LoadBalancer => "load_balancer",
            Kind::Gateway => "gateway",
            Kind::Service => "service",
            Kind::Auth => "auth",
            Kind::Worker => "worker",
            Kind::Database => "database",
            Kind::Cache => "cache",
            Kind::Queue => "queue",
            Kind::Stream => "stream",
            Kind::Search => "search",
            Kind::ObjectStorage => "object_storage",
            Kind::SecretStore => "secret_store",
            Kind::ConfigStore => "config_store",
            Kind::Metrics => "metrics",
            Kind::Logging => "logging",
            Kind::Tracing => "tracing",
            Kind::Alerting => "alerting",
            Kind::External => "external",
            Kind::Component => "component",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind people usually mean by a common product or short name (`db`, `redis`…).
    pub fn from_alias(name: &str) -> Option<Kind> {
        let kind = match name.to_ascii_lowercase().as_str() {
            "browser" | "mobile" | "web" | "user" | "app" | "device" => Kind::Client,
            "route53" => Kind::Dns,
            "cloudfront" | "cloudflare" => Kind::Cdn,
            "firewall" => Kind::Waf,
            "lb" | "loadbalancer" | "alb" | "elb" | "nlb" | "nginx" | "haproxy" => {
                Kind::LoadBalancer
            }
            "api_gateway" | "apigateway" | "api" | "kong" | "envoy" | "ingress" | "bff" => {
                Kind::Gateway
            }
            "microservice" | "server" | "backend" | "app_server" => Kind::Service,
            "idp" | "identity" | "oauth" | "sso" | "authentication" => Kind::Auth,
            "job" | "consumer" | "processor" | "lambda" | "function" => Kind::Worker,
            "db" | "rdbms" | "sql" | "postgres" | "postgresql" | "mysql" | "mongodb"
            | "cassandra" | "dynamodb" | "datastore" => Kind::Database,
            "redis" | "memcached" => Kind::Cache,
            "mq" | "rabbitmq" | "sqs" | "broker" | "message_queue" => Kind::Queue,
            "kafka" | "kinesis" | "topic" | "pubsub" => Kind::Stream,
            "elasticsearch" | "opensearch" | "solr" => Kind::Search,
            "s3" | "gcs" | "blob" | "storage" | "bucket" => Kind::ObjectStorage,
            "vault" | "key_vault" | "keyvault" | "secrets_manager" | "kms" => Kind::SecretStore,
            "app_config" | "parameter_store" | "consul" | "etcd" => Kind::ConfigStore,
            "prometheus" | "monitoring" | "metric" => Kind::Metrics,
            "logs" | "log" | "loki" | "elk" => Kind::Logging,
            "traces" | "trace" | "jaeger" | "tempo" => Kind::Tracing,
            "alerts" | "alert" | "pagerduty" | "alertmanager" => Kind::Alerting,
            "third_party" | "saas" | "partner" => Kind::External,
            _ => return None,
        };
        Some(kind)
    }

    /// Stores state that requests read or write.
    pub fn is_data_store(self) -> bool {
        matches!(
            self,
            Kind::Database | Kind::Cache | Kind::Search | Kind::ObjectStorage
        )
    }

    /// Carries asynchronous messages between producers and consumers.
    pub fn is_broker(self) -> bool {
        matches!(self, Kind::Queue | Kind::Stream)
    }

    /// Part of the observability layer, implicitly fed by every service.
    pub fn is_observability(self) -> bool {
        matches!(
            self,
            Kind::Metrics | Kind::Logging | Kind::Tracing | Kind::Alerting
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
    }

    #[test]
    fn product_names_map_to_kinds() {
        assert_eq!(Kind::from_alias("Postgres"), Some(Kind::Database));
        assert_eq!(Kind::from_alias("kafka"), Some(Kind::Stream));
        assert_eq!(Kind::from_alias("Vault"), Some(Kind::SecretStore));
        assert_eq!(Kind::from_alias("etcd"), Some(Kind::ConfigStore));
        assert_eq!(Kind::from_alias("spaceship"), None);
    }
}
