//! What if components fail: which journeys still work (and at what availability), which
//! break and on what, and each component's blast radius. `strata analyze --fail`.

use super::availability::{component_availability, PathAvailability, Segment};
use super::Analysis;
use crate::model::suggest::closest;
use crate::model::{ComponentId, Design};

/// What `--fail` names: one component, or every component declared in a region.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Component(ComponentId),
    Region(String),
}

impl Failure {
    /// Reads `api`, or `region=eu-west`; says what is wrong with anything else.
    pub fn parse(design: &Design, written: &str) -> Result<Failure, String> {
        if let Some(region) = written.strip_prefix("region=") {
            let regions = regions(design);
            if regions.contains(&region) {
                return Ok(Failure::Region(region.to_string()));
            }
            let help = match closest(region, regions.iter().copied()) {
                Some(near) => format!("did you mean `region={near}`?"),
                None if regions.is_empty() => {
                    "no component declares a region (`region \"eu-west\"`)".to_string()
                }
                None => format!("the regions are: {}", regions.join(", ")),
            };
            return Err(format!(
                "no component is in region `{region}`\n  help: {help}"
            ));
        }
        if let Some(component) = design.component_by_id(written) {
            return Ok(Failure::Component(component));
        }
        let ids = design.components.iter().map(|c| c.id.as_str());
        let help = match closest(written, ids) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "name a component id, or `region=NAME`".to_string(),
        };
        Err(format!("unknown component `{written}`\n  help: {help}"))
    }

    fn components(&self, design: &Design) -> Vec<ComponentId> {
        match self {
            Failure::Component(id) => vec![*id],
            Failure::Region(region) => (0..design.components.len())
                .filter(|&c| design.components[c].region.as_deref() == Some(region.as_str()))
                .collect(),
        }
    }
}

/// The regions declared, each once, in declaration order.
fn regions(design: &Design) -> Vec<&str> {
    let mut seen = Vec::new();
    for region in design.components.iter().filter_map(|c| c.region.as_deref()) {
        if !seen.contains(&region) {
            seen.push(region);
        }
    }
    seen
}

/// How one journey fares with the failed components down.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It needs these failed components, with nothing to stand in for them.
    Breaks { on: Vec<ComponentId> },
    /// It works, at this availability (lower when a backup it had is down).
    Works { availability: f64 },
}

pub struct WhatIf {
    /// Every component that is down.
    pub failed: Vec<ComponentId>,
    /// Per journey of `Analysis::paths`, in its order.
    pub outcomes: Vec<Outcome>,
    /// Per component, how many journeys it alone takes down, largest first (ties in
    /// declaration order); components that take none down are left out.
    pub blast_radius: Vec<(ComponentId, usize)>,
}

pub fn what_if(design: &Design, analysis: &Analysis, failures: &[Failure]) -> WhatIf {
    let mut down = vec![false; design.components.len()];
    let mut failed = Vec::new();
    for component in failures.iter().flat_map(|f| f.components(design)) {
        if !std::mem::replace(&mut down[component], true) {
            failed.push(component);
        }
    }
    let outcomes = analysis
        .paths
        .iter()
        .map(|path| outcome(design, path, &down))
        .collect();
    WhatIf {
        failed,
        outcomes,
        blast_radius: blast_radius(design, &analysis.paths),
    }
}

fn outcome(design: &Design, path: &PathAvailability, down: &[bool]) -> Outcome {
    let (availability, on) = with_down(design, &path.segments, down);
    if on.is_empty() {
        Outcome::Works { availability }
    } else {
        Outcome::Breaks { on }
    }
}

/// The factors' product with the down components at zero, and the down components that
/// break it (none when it still works).
fn with_down(design: &Design, segments: &[Segment], down: &[bool]) -> (f64, Vec<ComponentId>) {
    let mut on = Vec::new();
    let mut availability = 1.0;
    for segment in segments {
        match segment {
            Segment::Component {
                id,
                availability: a,
            } => {
                if down[*id] {
                    on.push(*id);
                }
                availability *= a;
            }
            Segment::Parallel { routes, .. } => {
                let members: Vec<ComponentId> = routes.iter().flatten().copied().collect();
                let up: Vec<ComponentId> = members.iter().copied().filter(|&m| !down[m]).collect();
                if up.is_empty() {
                    on.extend(members);
                }
                let all_fail: f64 = up
                    .iter()
                    .map(|&m| 1.0 - component_availability(&design.components[m]))
                    .product();
                availability *= 1.0 - all_fail;
            }
            Segment::Regions { regions, .. } => {
                let outcomes: Vec<(f64, Vec<ComponentId>)> = regions
                    .iter()
                    .map(|(_, factors)| with_down(design, factors, down))
                    .collect();
                let up = outcomes.iter().filter(|(_, broken)| broken.is_empty());
                let all_fail: f64 = up.map(|(a, _)| 1.0 - a).product();
                if outcomes.iter().all(|(_, broken)| !broken.is_empty()) {
                    on.extend(outcomes.into_iter().flat_map(|(_, broken)| broken));
                }
                availability *= 1.0 - all_fail;
            }
        }
    }
    (availability, on)
}

/// A component takes a journey down alone when the journey needs it with no backup.
fn blast_radius(design: &Design, paths: &[PathAvailability]) -> Vec<(ComponentId, usize)> {
    let mut count = vec![0usize; design.components.len()];
    for path in paths {
        for segment in &path.segments {
            if let Segment::Component { id, .. } = segment {
                count[*id] += 1;
            }
        }
    }
    let mut radius: Vec<(ComponentId, usize)> = count
        .into_iter()
        .enumerate()
        .filter(|&(_, n)| n > 0)
        .collect();
    radius.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    radius
}

#[cfg(test)]
mod tests {
    use super::{what_if, Failure, Outcome};
    use crate::source::Source;

    const DESIGN: &str = "web: client\nlb1: load_balancer { availability 99%; managed true; region \"eu\" }\nlb2: load_balancer { availability 99%; managed true; region \"us\" }\napi: service { availability 99.9%; managed true; region \"eu\" }\nsearch: service { availability 99.5%; managed true; region \"us\" }\ndb: database { availability 99.95%; managed true; region \"eu\" }\ngw: gateway { availability 100%; managed true }\nweb -> lb1, lb2\nlb1, lb2 -> gw\ngw -> api, search\napi -> db\n";

    fn outcomes(failures: &[&str]) -> Vec<Outcome> {
        let checked = crate::check(&Source::new("t", DESIGN));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let analysis = super::super::analyze(&checked.design);
        let failures: Vec<Failure> = failures
            .iter()
            .map(|f| Failure::parse(&checked.design, f).unwrap())
            .collect();
        what_if(&checked.design, &analysis, &failures).outcomes
    }

    #[test]
    fn a_journey_that_needs_the_failed_component_breaks_and_the_others_work() {
        let results = outcomes(&["db"]);
        // The least available first: search (99.5%), then api (99.9% × 99.95%).
        assert_eq!(results.len(), 2);
        assert!(results.contains(&Outcome::Breaks { on: vec![5] }));
        assert!(results
            .iter()
            .any(|o| matches!(o, Outcome::Works { availability } if (availability - (1.0 - 0.0001) * 0.995).abs() < 1e-12)));
    }

    #[test]
    fn a_failed_backup_leaves_its_partner_to_carry_the_journey() {
        let results = outcomes(&["lb1"]);
        for outcome in results {
            let Outcome::Works { availability } = outcome else {
                panic!("one load balancer is enough");
            };
            assert!(availability <= 0.99 + 1e-12);
        }
    }

    #[test]
    fn a_region_takes_down_everything_declared_in_it() {
        let results = outcomes(&["region=eu"]);
        assert!(results.contains(&Outcome::Breaks { on: vec![3, 5] }));
        let both = outcomes(&["region=eu", "region=us"]);
        assert!(both
            .iter()
            .all(|o| matches!(o, Outcome::Breaks { on } if on.contains(&1) && on.contains(&2))));
    }

    #[test]
    fn a_region_down_leaves_the_other_regions_stamp_to_serve() {
        let text = "users: client\ncdn: cdn { availability 100%; managed true }\nusers -> cdn\n\
            web1: service \"Web\" { availability 99%; managed true; region \"r1\" }\n\
            web2: service \"Web\" { availability 98%; managed true; region \"r2\" }\n\
            cdn -> web1, web2\n";
        let checked = crate::check(&Source::new("t", text));
        let analysis = super::super::analyze(&checked.design);
        let fail = |f: &[&str]| {
            let failures: Vec<Failure> = f
                .iter()
                .map(|f| Failure::parse(&checked.design, f).unwrap())
                .collect();
            what_if(&checked.design, &analysis, &failures).outcomes
        };
        assert_eq!(
            fail(&["region=r1"]),
            [Outcome::Works { availability: 0.98 }]
        );
        assert_eq!(
            fail(&["web1", "web2"]),
            [Outcome::Breaks { on: vec![2, 3] }]
        );
    }

    #[test]
    fn unknown_names_are_refused_with_a_suggestion() {
        let checked = crate::check(&Source::new("t", DESIGN));
        let error = Failure::parse(&checked.design, "dbb").unwrap_err();
        assert!(
            error.contains("unknown component `dbb`") && error.contains("`db`"),
            "{error}"
        );
        let error = Failure::parse(&checked.design, "region=euu").unwrap_err();
        assert!(error.contains("region=eu"), "{error}");
    }
}
