//! What if components fail: which journeys still work (and at what availability), which
//! break and on what, and each component's blast radius. `strata analyze --fail`.
//!
//! A failure takes down a component, every component of a region, or one zone of a
//! region. A component's instances are spread over the first `zones` zones of its region
//! (named a, b, c, …), as evenly as they divide; without `zones` they all run in zone a,
//! and a provider-run (`managed`) service without `zones` is spread by its provider, out
//! of reach of one zone's outage. Clients and external systems are nobody's zone.

use super::availability::{
    availability_on, component_availability, serving, PathAvailability, Segment,
};
use super::Analysis;
use crate::model::suggest::closest;
use crate::model::{Component, ComponentId, Design, Kind};

/// What `--fail` names: one component, every component declared in a region, or one
/// zone of a region (of the components declared in none when `region` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Component(ComponentId),
    Region(String),
    Zone { region: Option<String>, zone: u32 },
}

/// The name of a zone by its index: 0 is `a` (`zones` is at most 26).
pub fn zone_name(zone: u32) -> char {
    char::from(b'a' + u8::try_from(zone).expect("at most 26 zones"))
}

impl Failure {
    /// Reads `api`, `region=eu-west`, `zone=a` or `zone=eu-west/a`; says what is wrong with
    /// anything else.
    pub fn parse(design: &Design, written: &str) -> Result<Failure, String> {
        if let Some(region) = written.strip_prefix("region=") {
            return parse_region(design, region).map(|r| Failure::Region(r.to_string()));
        }
        if let Some(zone) = written.strip_prefix("zone=") {
            return parse_zone(design, zone);
        }
        if let Some(component) = design.component_by_id(written) {
            return Ok(Failure::Component(component));
        }
        let ids = design.components.iter().map(|c| c.id.as_str());
        let help = match closest(written, ids) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "name a component id, `region=NAME` or `zone=a`".to_string(),
        };
        Err(format!("unknown component `{written}`\n  help: {help}"))
    }

    /// Every failure domain of the design: each zone in use, region by region, then each
    /// region declared.
    pub fn domains(design: &Design) -> Vec<Failure> {
        let mut region_names: Vec<Option<&str>> = vec![None];
        region_names.extend(regions(design).into_iter().map(Some));
        let zones = region_names.into_iter().flat_map(|region| {
            (0..zones_in(design, region)).map(move |zone| Failure::Zone {
                region: region.map(str::to_string),
                zone,
            })
        });
        let regions = regions(design)
            .into_iter()
            .map(|r| Failure::Region(r.to_string()));
        zones.chain(regions).collect()
    }

    /// In words: `api`, `region eu-west`, `zone eu-west/a`.
    pub fn describe(&self, design: &Design) -> String {
        match self {
            Failure::Component(id) => format!("`{}`", design.components[*id].id),
            Failure::Region(region) => format!("region {region}"),
            Failure::Zone { region: None, zone } => format!("zone {}", zone_name(*zone)),
            Failure::Zone {
                region: Some(region),
                zone,
            } => format!("zone {region}/{}", zone_name(*zone)),
        }
    }

    /// How it leaves each component: down, on fewer instances, or untouched.
    fn apply(&self, design: &Design, standing: &mut [Standing]) {
        match self {
            Failure::Component(id) => standing[*id] = Standing::Down,
            Failure::Region(region) => {
                for (c, component) in design.components.iter().enumerate() {
                    if component.region.as_deref() == Some(region.as_str()) {
                        standing[c] = Standing::Down;
                    }
                }
            }
            Failure::Zone { region, zone } => {
                for (c, component) in design.components.iter().enumerate() {
                    if component.region == *region {
                        standing[c] = standing[c].without_zone(component, *zone);
                    }
                }
            }
        }
    }
}

fn parse_region<'d>(design: &'d Design, region: &str) -> Result<&'d str, String> {
    let regions = regions(design);
    if let Some(found) = regions.iter().find(|&&r| r == region) {
        return Ok(found);
    }
    let help = match closest(region, regions.iter().copied()) {
        Some(near) => format!("did you mean `region={near}`?"),
        None if regions.is_empty() => {
            "no component declares a region (`region \"eu-west\"`)".to_string()
        }
        None => format!("the regions are: {}", regions.join(", ")),
    };
    Err(format!(
        "no component is in region `{region}`\n  help: {help}"
    ))
}

/// `a`, or `eu-west/a`: a letter within the zones the region's components use.
fn parse_zone(design: &Design, written: &str) -> Result<Failure, String> {
    let (region, letter) = match written.rsplit_once('/') {
        Some((region, letter)) => (Some(parse_region(design, region)?), letter),
        None => (None, written),
    };
    let count = zones_in(design, region);
    let in_region = region.map_or(String::new(), |r| format!(" in region `{r}`"));
    let zone = match letter.as_bytes() {
        [byte @ b'a'..=b'z'] => u32::from(byte - b'a'),
        _ => {
            return Err(format!(
                "`{letter}` is not a zone name\n  help: zones are named by letter, a to z, e.g. `zone=a`"
            ))
        }
    };
    if zone < count {
        return Ok(Failure::Zone {
            region: region.map(str::to_string),
            zone,
        });
    }
    let help = if count == 0 && region.is_none() && !regions(design).is_empty() {
        let example = regions(design)[0];
        format!("every component is in a region: name the zone with it, e.g. `zone={example}/a`")
    } else if count == 0 {
        "no component of ours runs there".to_string()
    } else if count == 1 {
        format!("the components{in_region} run in zone a only")
    } else {
        let last = zone_name(count - 1);
        format!("the components{in_region} use zones a to {last} (`zones {count}`)")
    };
    Err(format!(
        "no component{in_region} runs in zone `{letter}`\n  help: {help}"
    ))
}

/// The regions declared, each once, in declaration order.
pub fn regions(design: &Design) -> Vec<&str> {
    let mut seen = Vec::new();
    for region in design.components.iter().filter_map(|c| c.region.as_deref()) {
        if !seen.contains(&region) {
            seen.push(region);
        }
    }
    seen
}

/// How many zones the components of a region (or of none) are spread over, at most.
fn zones_in(design: &Design, region: Option<&str>) -> u32 {
    design
        .components
        .iter()
        .filter(|c| c.region.as_deref() == region)
        .filter_map(zones_of)
        .max()
        .unwrap_or(0)
}

/// The zones a component's instances run in; none when no zone outage reaches it.
pub fn zones_of(component: &Component) -> Option<u32> {
    if matches!(component.kind, Kind::Client | Kind::External) {
        return None;
    }
    match component.zones {
        Some(zones) => Some(zones),
        None if component.managed => None,
        None => Some(1),
    }
}

/// A component's state with the failures applied.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Standing {
    Up,
    /// Running on this many of its instances.
    Reduced(u32),
    Down,
}

impl Standing {
    /// After one more zone's outage.
    fn without_zone(self, component: &Component, zone: u32) -> Standing {
        let Some(zones) = zones_of(component).filter(|&zones| zone < zones) else {
            return self;
        };
        if component.managed {
            // The provider keeps a zone-redundant service up; a zonal one goes with its zone.
            return if zones == 1 { Standing::Down } else { self };
        }
        let running = match self {
            Standing::Up => component.replicas,
            Standing::Reduced(running) => running,
            Standing::Down => return Standing::Down,
        };
        let share = component.replicas / zones + u32::from(zone < component.replicas % zones);
        match running.saturating_sub(share) {
            0 => Standing::Down,
            left => Standing::Reduced(left),
        }
    }

    /// The availability it still has, none when down.
    fn availability(self, component: &Component) -> Option<f64> {
        match self {
            Standing::Up => Some(component_availability(component)),
            Standing::Reduced(running) => Some(availability_on(component, running)),
            Standing::Down => None,
        }
    }
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
    /// Components that keep running on fewer instances, and how many are left.
    pub reduced: Vec<(ComponentId, u32)>,
    /// Per journey of `Analysis::paths`, in its order.
    pub outcomes: Vec<Outcome>,
    /// Per component, how many journeys it alone takes down, largest first (ties in
    /// declaration order); components that take none down are left out.
    pub blast_radius: Vec<(ComponentId, usize)>,
}

pub fn what_if(design: &Design, analysis: &Analysis, failures: &[Failure]) -> WhatIf {
    let standing = standing_after(design, failures);
    let availability = availability_of(design, &standing);
    let failed = (0..standing.len())
        .filter(|&c| standing[c] == Standing::Down)
        .collect();
    let reduced = standing
        .iter()
        .enumerate()
        .filter_map(|(c, s)| match s {
            Standing::Reduced(left) => Some((c, *left)),
            _ => None,
        })
        .collect();
    let outcomes = analysis
        .paths
        .iter()
        .map(|path| outcome(path, &availability))
        .collect();
    WhatIf {
        failed,
        reduced,
        outcomes,
        blast_radius: blast_radius(design, &analysis.paths),
    }
}

fn standing_after(design: &Design, failures: &[Failure]) -> Vec<Standing> {
    let mut standing = vec![Standing::Up; design.components.len()];
    for failure in failures {
        failure.apply(design, &mut standing);
    }
    standing
}

/// Each component's availability with the failures applied; none for those down.
pub fn availability_after(design: &Design, failures: &[Failure]) -> Vec<Option<f64>> {
    availability_of(design, &standing_after(design, failures))
}

fn availability_of(design: &Design, standing: &[Standing]) -> Vec<Option<f64>> {
    standing
        .iter()
        .zip(&design.components)
        .map(|(standing, component)| standing.availability(component))
        .collect()
}

/// How a journey fares given each component's availability after the failures.
pub fn outcome(path: &PathAvailability, availability: &[Option<f64>]) -> Outcome {
    let (availability, on) = with_failures(&path.segments, availability);
    if on.is_empty() {
        Outcome::Works { availability }
    } else {
        Outcome::Breaks { on }
    }
}

/// The factors' product with each component at its availability after the failures, and
/// the failed components that break it (none when it still works).
fn with_failures(segments: &[Segment], after: &[Option<f64>]) -> (f64, Vec<ComponentId>) {
    let mut on = Vec::new();
    let mut availability = 1.0;
    for segment in segments {
        match segment {
            Segment::Component { id, .. } => match after[*id] {
                Some(a) => availability *= a,
                None => on.push(*id),
            },
            Segment::Parallel { routes, .. } => {
                let members: Vec<ComponentId> = routes.iter().flatten().copied().collect();
                let up: Vec<f64> = members.iter().filter_map(|&m| after[m]).collect();
                if up.is_empty() {
                    on.extend(members);
                }
                availability *= 1.0 - up.iter().map(|a| 1.0 - a).product::<f64>();
            }
            Segment::Regions { regions, .. } => {
                let outcomes: Vec<(f64, Vec<ComponentId>)> = regions
                    .iter()
                    .map(|copy| with_failures(&copy.factors, after))
                    .collect();
                // The copies still serving; a standby switched by hand takes over once
                // nothing else is left.
                let up: Vec<(f64, bool)> = (outcomes.iter().zip(regions))
                    .filter(|((_, broken), _)| broken.is_empty())
                    .map(|((a, _), copy)| (*a, copy.counts()))
                    .collect();
                if up.is_empty() {
                    on.extend(outcomes.into_iter().flat_map(|(_, broken)| broken));
                }
                availability *= serving(&up);
            }
        }
    }
    (availability, on)
}

/// A component takes a journey down alone when the journey needs it with no backup.
pub fn blast_radius(design: &Design, paths: &[PathAvailability]) -> Vec<(ComponentId, usize)> {
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
        outcomes_of(DESIGN, failures)
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
        let fail = |failures: &[&str]| outcomes_of(text, failures);
        assert_eq!(
            fail(&["region=r1"]),
            [Outcome::Works { availability: 0.98 }]
        );
        assert_eq!(
            fail(&["web1", "web2"]),
            [Outcome::Breaks { on: vec![2, 3] }]
        );
    }

    /// The design of `text`, which must check clean, and the failures as read there.
    fn failing(text: &str, failures: &[&str]) -> (crate::model::Design, Vec<Failure>) {
        let checked = crate::check(&Source::new("t", text));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let failures = failures
            .iter()
            .map(|f| Failure::parse(&checked.design, f).unwrap())
            .collect();
        (checked.design, failures)
    }

    /// Each component's state after `failures` on `text`.
    fn standing(text: &str, failures: &[&str]) -> Vec<super::Standing> {
        let (design, failures) = failing(text, failures);
        super::standing_after(&design, &failures)
    }

    const ZONED: &str = "even: service { replicas 3; zones 3 }
uneven: service { replicas 3; zones 2 }
        unspread: service { replicas 3 }
provider: database { managed true }
        zonal: database { managed true; zones 1 }
redundant: queue { managed true; zones 3 }
        users: client
";

    #[test]
    fn a_zone_outage_takes_that_zones_share_of_each_component() {
        use super::Standing::{Down, Reduced, Up};
        // Three instances over two zones: two in a, one in b.
        assert_eq!(
            standing(ZONED, &["zone=a"]),
            [Reduced(2), Reduced(1), Down, Up, Down, Up, Up]
        );
        assert_eq!(
            standing(ZONED, &["zone=b"]),
            [Reduced(2), Reduced(2), Up, Up, Up, Up, Up]
        );
        assert_eq!(
            standing(ZONED, &["zone=a", "zone=b"]),
            [Reduced(1), Down, Down, Up, Down, Up, Up]
        );
    }

    #[test]
    fn a_zone_outage_leaves_the_other_zones_instances_in_the_figure() {
        let text = "web: client
api: service { replicas 3; zones 3; availability 90% }
web -> api
";
        let after = |f: &[&str]| outcomes_of(text, f);
        let two_left = 1.0 - 0.1f64.powi(2);
        assert!(matches!(
            after(&["zone=a"])[..],
            [Outcome::Works { availability }] if (availability - two_left).abs() < 1e-12
        ));
        assert_eq!(
            after(&["zone=a", "zone=b", "zone=c"]),
            [Outcome::Breaks { on: vec![1] }]
        );
    }

    fn outcomes_of(text: &str, failures: &[&str]) -> Vec<Outcome> {
        let (design, failures) = failing(text, failures);
        what_if(&design, &super::super::analyze(&design), &failures).outcomes
    }

    #[test]
    fn zones_are_named_within_their_region() {
        let text =
            "a: service { replicas 2; zones 2; region \"eu\" }\nb: service { region \"us\" }\n";
        let checked = crate::check(&Source::new("t", text));
        let parse = |w: &str| Failure::parse(&checked.design, w);
        assert_eq!(
            parse("zone=eu/b"),
            Ok(Failure::Zone {
                region: Some("eu".to_string()),
                zone: 1
            })
        );
        let error = parse("zone=us/b").unwrap_err();
        assert!(error.contains("zone a only"), "{error}");
        let error = parse("zone=a").unwrap_err();
        assert!(error.contains("`zone=eu/a`"), "{error}");
        let error = parse("zone=1").unwrap_err();
        assert!(error.contains("named by letter"), "{error}");
        let error = parse("zone=asia/a").unwrap_err();
        assert!(error.contains("region `asia`"), "{error}");
    }

    #[test]
    fn a_standby_switched_by_hand_serves_only_once_the_active_region_is_down() {
        let text = |standby: &str| {
            format!(
                "users: client\ncdn: cdn {{ availability 100%; managed true }}\nusers -> cdn\n\
                web1: service \"Web\" {{ availability 99%; managed true; region \"r1\" }}\n\
                web2: service \"Web\" {{ availability 98%; managed true; region \"r2\"; standby {standby} }}\n\
                cdn -> web1, web2\n"
            )
        };
        let figure = |standby: &str| {
            let checked = crate::check(&Source::new("t", text(standby)));
            assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
            super::super::analyze(&checked.design).paths[0].availability
        };
        assert!((figure("manual") - 0.99).abs() < 1e-12);
        assert!((figure("automatic") - (1.0 - 0.01 * 0.02)).abs() < 1e-12);
        assert_eq!(
            outcomes_of(&text("manual"), &["region=r1"]),
            [Outcome::Works { availability: 0.98 }]
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
