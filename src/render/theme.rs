//! Colours of the light and dark themes.

use crate::model::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

pub struct Palette {
    pub background: &'static str,
    /// Tier bands alternate between these.
    pub bands: [&'static str; 2],
    pub band_line: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub subtext: &'static str,
    pub edge: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub badge: &'static str,
    pub badge_text: &'static str,
    /// Fill and outline of a box, per family of kinds.
    pub families: [(&'static str, &'static str); 7],
}

/// Families of kinds that share a colour.
pub fn family(kind: Kind) -> usize {
    match kind {
        Kind::Client => 0,
        Kind::Dns | Kind::Cdn | Kind::Waf | Kind::LoadBalancer | Kind::Gateway => 1,
        Kind::Service | Kind::Auth | Kind::Component => 2,
        Kind::Worker | Kind::Queue | Kind::Stream => 3,
        Kind::Database
        | Kind::Cache
        | Kind::Search
        | Kind::ObjectStorage
        | Kind::SecretStore
        | Kind::ConfigStore => 4,
        Kind::Metrics | Kind::Logging | Kind::Tracing | Kind::Alerting => 5,
        Kind::External => 6,
    }
}

impl Theme {
    pub fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                background: "#ffffff",
                bands: ["#f6f8fb", "#eef2f7"],
                band_line: "#d5dce6",
                title: "#1f2a37",
                text: "#111827",
                subtext: "#4b5563",
                edge: "#475569",
                label: "#334155",
                group: "#7c8aa0",
                badge: "#334155",
                badge_text: "#ffffff",
                families: [
                    ("#e0f2fe", "#0369a1"),
                    ("#ede9fe", "#6d28d9"),
                    ("#dcfce7", "#15803d"),
                    ("#ffedd5", "#c2410c"),
                    ("#fef9c3", "#a16207"),
                    ("#f1f5f9", "#64748b"),
                    ("#fce7f3", "#be185d"),
                ],
            },
            Theme::Dark => Palette {
                background: "#0f172a",
                bands: ["#162033", "#1b263b"],
                band_line: "#2c3a52",
                title: "#e2e8f0",
                text: "#f1f5f9",
                subtext: "#a5b4c8",
                edge: "#94a3b8",
                label: "#cbd5e1",
                group: "#7f8ea8",
                badge: "#e2e8f0",
                badge_text: "#0f172a",
                families: [
                    ("#0c3a5b", "#38bdf8"),
                    ("#2e1f5e", "#a78bfa"),
                    ("#14432a", "#4ade80"),
                    ("#4a2511", "#fb923c"),
                    ("#463a0c", "#facc15"),
                    ("#1e293b", "#94a3b8"),
                    ("#4c1433", "#f472b6"),
                ],
            },
        }
    }
}
