//! The eight industry templates of the system-design guide (003 §6), embedded in the
//! binary so `strata new` works from any directory.

pub struct Template {
    pub name: &'static str,
    pub summary: &'static str,
    pub text: &'static str,
}

macro_rules! template {
    ($name:literal, $summary:literal) => {
        Template {
            name: $name,
            summary: $summary,
            text: include_str!(concat!("../templates/", $name, ".strata")),
        }
    };
}

pub const ALL: [Template; 8] = [
    template!(
        "ecommerce",
        "E-commerce platform: catalog, orders, event-driven checkout"
    ),
    template!(
        "social",
        "Social media: gateways, service mesh, feed fan-out over Kafka"
    ),
    template!(
        "fintech",
        "Banking: security perimeter, ACID core ledger, fraud and AML"
    ),
    template!(
        "healthcare",
        "Healthcare: HIPAA layer, FHIR gateway, encrypted records, PACS"
    ),
    template!(
        "streaming",
        "Video streaming: ingestion, transcoding, CDN delivery, analytics"
    ),
    template!(
        "ai-ml",
        "AI/ML platform: feature store, training pipeline, model serving"
    ),
    template!(
        "saas",
        "Multi-tenant SaaS: tenant routing, isolation, billing and metering"
    ),
    template!(
        "iot",
        "IoT platform: devices, MQTT brokers, stream processing, time series"
    ),
];

pub fn find(name: &str) -> Option<&'static Template> {
    ALL.iter().find(|template| template.name == name)
}
