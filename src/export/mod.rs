//! Exports of the design graph: JSON (a stable, documented schema), Graphviz DOT, D2,
//! Structurizr DSL and LikeC4.

pub mod d2;
pub mod dot;
pub mod json;
pub mod likec4;
mod outline;
pub mod structurizr;

/// A fraction as a percentage with no floating-point noise: 0.9995 → 99.95.
pub(crate) fn percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e6).round() / 1e6
}
