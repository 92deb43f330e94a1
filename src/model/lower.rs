//! Lowering: syntax tree → [`Design`], checking names, references and values.

use super::properties::{
    self, COMPONENT_PROPERTIES, FLOW_PROPERTIES, JOURNEY_PROPERTIES, RECOVERY_PROPERTIES,
    SYSTEM_PROPERTIES,
};
use super::sizing::{self, STORAGE_PROPERTIES};
use super::suggest::closest;
use super::*;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::quoted;
use crate::syntax::ast::{
    self, ComponentDecl, Container, FlowDecl, Ident, Item, JourneyDecl, JourneyMember, Property,
    ValueKind,
};
use rustc_hash::FxHashMap;

/// Lowers parsed items into a design: each file's, every file after those it imports
/// (one namespace for all of them). Works on a partial tree too, so semantic errors are
/// reported in the same run as syntax errors.
pub fn lower(files: &[&[Item]]) -> (Design, Vec<Diagnostic>) {
    let mut lowering = Lowering::sized_for(files);
    let mut flows = Vec::new();
    for (file, items) in files.iter().enumerate() {
        lowering.file = file;
        for item in *items {
            lowering.item(item, None, &[], &mut flows);
        }
    }
    for flow in flows {
        lowering.flow(flow);
    }
    lowering.check_shares();
    // After every flow: a journey's steps name flows declared anywhere in the file.
    for journey in std::mem::take(&mut lowering.journeys) {
        lowering.journey(journey);
    }
    lowering.finish()
}

#[derive(Clone, Copy, PartialEq)]
enum Declared {
    Tier(TierId),
    Group,
    Journey,
    Component(ComponentId),
}

impl Declared {
    fn describe(self) -> &'static str {
        match self {
            Declared::Tier(_) => "tier",
            Declared::Group => "group",
            Declared::Journey => "journey",
            Declared::Component(_) => "component",
        }
    }
}

#[derive(Default)]
struct Lowering<'a> {
    design: Design,
    diagnostics: Vec<Diagnostic>,
    /// Every declared name, borrowed from the syntax tree, with the index of its file.
    names: FxHashMap<&'a str, (Declared, Span, usize)>,
    /// The index of the file whose items are being lowered.
    file: usize,
    /// The tiers in the order they are drawn: declared, or moved last by a block of
    /// another file that adds to them (so the design's own file places imported tiers).
    tier_order: Vec<TierId>,
    flow_keys: FxHashMap<(ComponentId, ComponentId, ast::FlowMode), FlowId>,
    journeys: Vec<&'a JourneyDecl>,
}

/// The most flows reserved ahead: one statement may write a flow from each of thousands
/// of names to each of thousands more, and memory for what may be refused is not taken
/// before it is needed.
const MOST_RESERVED: usize = 1 << 20;

impl<'a> Lowering<'a> {
    /// Tables and lists sized for what `items` declare, made once: grown a doubling at a
    /// time, each growth would copy everything so far into fresh memory.
    fn sized_for(files: &[&[Item]]) -> Self {
        let (mut names, mut components, mut flows) = (0, 0, 0);
        let mut pending: Vec<&[Item]> = files.to_vec();
        while let Some(items) = pending.pop() {
            for item in items {
                match item {
                    Item::Tier(container) | Item::Group(container) => {
                        names += 1;
                        pending.push(&container.members);
                    }
                    Item::Component(_) => components += 1,
                    Item::Flow(flow) => flows = (flows + flows_written(flow)).min(MOST_RESERVED),
                    Item::Journey(_) => names += 1,
                    Item::Import(_) | Item::System(_) | Item::Lint(_) => {}
                }
            }
        }
        let mut design = Design::default();
        design.components.reserve(components);
        design.flows.reserve(flows);
        design.graph.reserve_nodes(components);
        design.graph.reserve_edges(flows);
        Lowering {
            design,
            names: FxHashMap::with_capacity_and_hasher(names + components, Default::default()),
            flow_keys: FxHashMap::with_capacity_and_hasher(flows, Default::default()),
            ..Lowering::default()
        }
    }

    fn item(
        &mut self,
        item: &'a Item,
        tier: Option<TierId>,
        groups: &[GroupId],
        flows: &mut Vec<&'a FlowDecl>,
    ) {
        match item {
            // The loader has read the file it names: its items come before this file's.
            Item::Import(_) => {}
            Item::System(system) => self.system(system),
            Item::Tier(container) => {
                let id = self.design.tiers.len();
                if let Some(imported) = self.imported_tier(container) {
                    self.tier_order.retain(|&tier| tier != imported);
                    self.tier_order.push(imported);
                    self.members(container, Some(imported), &[], flows);
                } else if self.declare(&container.id, Declared::Tier(id)) {
                    self.tier_order.push(id);
                    self.design.tiers.push(Tier {
                        id: container.id.name.clone(),
                        title: title(container),
                        span: container.span.clone(),
                        components: Vec::new(),
                    });
                    self.members(container, Some(id), &[], flows);
                } else {
                    // Its members are still declared, so flows to them do not fail too.
                    self.members(container, None, &[], flows);
                }
            }
            Item::Group(container) => {
                let id = self.design.groups.len();
                if self.declare(&container.id, Declared::Group) {
                    self.design.groups.push(Group {
                        id: container.id.name.clone(),
                        title: title(container),
                        tier,
                        parent: groups.last().copied(),
                        components: Vec::new(),
                        span: container.span.clone(),
                    });
                    let nested: Vec<GroupId> = groups.iter().copied().chain([id]).collect();
                    self.members(container, tier, &nested, flows);
                } else {
                    self.members(container, tier, groups, flows);
                }
            }
            Item::Component(component) => self.component(component, tier, groups),
            Item::Flow(flow) => flows.push(flow),
            Item::Journey(journey) => {
                if self.declare(&journey.id, Declared::Journey) {
                    self.journeys.push(journey);
                }
            }
            Item::Lint(lint) => self.lint(lint),
        }
    }

    fn members(
        &mut self,
        container: &'a Container,
        tier: Option<TierId>,
        groups: &[GroupId],
        flows: &mut Vec<&'a FlowDecl>,
    ) {
        for member in &container.members {
            self.item(member, tier, groups, flows);
        }
    }

    /// A tier declared in another file that this block, written without a title, adds
    /// components to.
    fn imported_tier(&self, container: &Container) -> Option<TierId> {
        match self.names.get(container.id.name.as_str()) {
            Some((Declared::Tier(tier), _, file))
                if *file != self.file && container.title.is_none() =>
            {
                Some(*tier)
            }
            _ => None,
        }
    }

    /// Records a name; a second declaration of it is an error pointing at both.
    fn declare(&mut self, ident: &'a Ident, what: Declared) -> bool {
        if let Some((previous, span, file)) = self.names.get(ident.name.as_str()) {
            let help = match (previous, what, *file != self.file) {
                (Declared::Tier(_), Declared::Tier(_), true) => {
                    "the tier is declared in an imported file: add components to it with a block \
                     without a title (`tier ID { … }`), or rename one of them"
                }
                _ => {
                    "tiers, groups, components and journeys share one namespace, across \
                      imported files too: rename one of them"
                }
            };
            self.diagnostics.push(
                Diagnostic::error(
                    "E102",
                    format!("`{}` is declared twice", ident.name),
                    ident.span.clone(),
                )
                .with_label(format!("second declaration, as a {}", what.describe()))
                .with_related(
                    span.clone(),
                    format!("first declared here, as a {}", previous.describe()),
                )
                .with_help(help),
            );
            return false;
        }
        self.names
            .insert(&ident.name, (what, ident.span.clone(), self.file));
        true
    }

    fn system(&mut self, system: &ast::SystemDecl) {
        if let Some(first) = &self.design.system.span {
            let first = first.clone();
            self.diagnostics.push(
                Diagnostic::error("E108", "more than one `system` block", system.span.clone())
                    .with_label("second `system` block")
                    .with_related(first, "the first one is here")
                    .with_help("a file describes one system: merge the two blocks"),
            );
            return;
        }
        self.design.system.name = Some(system.name.value.clone());
        self.design.system.span = Some(system.span.clone());
        for property in self.known(&system.properties, &SYSTEM_PROPERTIES, "system") {
            let target = &mut self.design.system;
            let name = listed_name(&SYSTEM_PROPERTIES, property);
            target.property_spans.push((name, property.span.clone()));
            let result = match name {
                "sla" => properties::fraction(property).map(|v| target.sla = Some(v)),
                "p50" => properties::duration(property).map(|v| target.p50 = Some(v)),
                "p95" => properties::duration(property).map(|v| target.p95 = Some(v)),
                "p99" => properties::duration(property).map(|v| target.p99 = Some(v)),
                "dau" => properties::whole_number(property).map(|v| target.traffic.dau = Some(v)),
                "actions_per_user" => {
                    sizing::positive_number(property, "e.g. `actions_per_user 20`")
                        .map(|v| target.traffic.actions_per_user = Some(v))
                }
                "peak_rps" => {
                    properties::whole_number(property).map(|v| target.traffic.peak_rps = Some(v))
                }
                "peak_factor" => {
                    sizing::factor(property).map(|v| target.traffic.peak_factor = Some(v))
                }
                "design_factor" => {
                    sizing::factor(property).map(|v| target.traffic.design_factor = Some(v))
                }
                "type" => properties::system_type(property).map(|v| target.system_type = Some(v)),
                "compliance" => properties::compliance(property).map(|v| target.compliance = v),
                "rpo" => properties::duration(property).map(|v| target.rpo = Some(v)),
                "rto" => properties::duration(property).map(|v| target.rto = Some(v)),
                _ => properties::text(property).map(|v| target.description = Some(v)),
            };
            self.report(result);
        }
        self.design.system.fill_targets_from_type();
    }

    fn lint(&mut self, lint: &ast::LintDecl) {
        for setting in &lint.settings {
            let value = match &setting.value.kind {
                ValueKind::Ident(word) => SettingValue::Word(word.clone()),
                ValueKind::BadNumber(_) => {
                    self.diagnostics
                        .extend(properties::unreadable_number(&setting.value));
                    continue;
                }
                ValueKind::Number(raw) => match raw.replace('_', "").parse() {
                    Ok(number) => SettingValue::Number(number),
                    Err(_) => continue,
                },
                other => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "E105",
                            format!(
                                "expected a severity or a number, found {}",
                                other.describe()
                            ),
                            setting.value.span.clone(),
                        )
                        .with_label("not a lint setting value")
                        .with_help(
                            "write `CODE error|warning|info|off`, or an option and its number",
                        ),
                    );
                    continue;
                }
            };
            self.design.lint_settings.push(LintSetting {
                key: setting.key.text().to_string(),
                key_span: setting.key.span().clone(),
                value,
                value_span: setting.value.span.clone(),
            });
        }
    }

    fn component(&mut self, decl: &'a ComponentDecl, tier: Option<TierId>, groups: &[GroupId]) {
        let id = self.design.components.len();
        if !self.declare(&decl.id, Declared::Component(id)) {
            return;
        }
        let mut component = Component {
            id: decl.id.name.clone(),
            kind: self.kind(&decl.kind),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.name.clone(), |label| label.value.clone()),
            tier,
            group: groups.last().copied(),
            tech: None,
            replicas: 1,
            region: None,
            zones: None,
            standby: None,
            availability: None,
            latency: None,
            managed: false,
            description: None,
            tags: Vec::new(),
            features: Vec::new(),
            cache_role: CacheRole::default(),
            recovery: Recovery::default(),
            encrypted: None,
            persistence: None,
            dead_letter: None,
            consistency: None,
            sizing: Sizing::default(),
            span: decl.span.clone(),
            property_spans: Vec::new(),
        };
        for property in self.known(&decl.properties, &COMPONENT_PROPERTIES, "component") {
            let name = listed_name(&COMPONENT_PROPERTIES, property);
            component.property_spans.push((name, property.span.clone()));
            let c = &mut component;
            let result = match name {
                "tech" => properties::text(property).map(|v| c.tech = Some(v)),
                "replicas" => properties::count(property).map(|v| c.replicas = v),
                "region" => properties::text(property).map(|v| c.region = Some(v)),
                "zones" => properties::zones(property).map(|v| c.zones = Some(v)),
                "standby" => properties::standby(property).map(|v| c.standby = Some(v)),
                "availability" => properties::fraction(property).map(|v| c.availability = Some(v)),
                "latency" => properties::duration(property).map(|v| c.latency = Some(v)),
                "managed" => properties::boolean(property).map(|v| c.managed = v),
                "description" => properties::text(property).map(|v| c.description = Some(v)),
                "tags" => properties::names(property).map(|v| c.tags = v),
                "role" => properties::cache_role(property).map(|v| c.cache_role = v),
                "replication" => {
                    properties::replication(property).map(|v| c.recovery.replication = Some(v))
                }
                "failover" => properties::failover(property).map(|v| c.recovery.failover = Some(v)),
                "backup" => properties::boolean(property).map(|v| c.recovery.backup = Some(v)),
                "rpo" => properties::duration(property).map(|v| c.recovery.rpo = Some(v)),
                "rto" => properties::duration(property).map(|v| c.recovery.rto = Some(v)),
                "encrypted" => properties::boolean(property).map(|v| c.encrypted = Some(v)),
                "persistence" => properties::boolean(property).map(|v| c.persistence = Some(v)),
                "dead_letter" => properties::boolean(property).map(|v| c.dead_letter = Some(v)),
                "consistency" => properties::consistency(property).map(|v| c.consistency = Some(v)),
                "capacity" => sizing::rate(property).map(|v| c.sizing.capacity = Some(v)),
                "hit_ratio" => sizing::share(property).map(|v| c.sizing.hit_ratio = Some(v)),
                "instance" => properties::text(property).map(|v| c.sizing.instance = Some(v)),
                "record_size" => {
                    sizing::size(property).map(|v| c.sizing.storage.record_size = Some(v))
                }
                "write_rate" => {
                    sizing::rate(property).map(|v| c.sizing.storage.write_rate = Some(v))
                }
                "growth_per_day" => {
                    sizing::size(property).map(|v| c.sizing.storage.growth_per_day = Some(v))
                }
                "retention" => {
                    sizing::days(property).map(|v| c.sizing.storage.retention_days = Some(v))
                }
                "storage_class" => {
                    sizing::class_name(property).map(|v| c.sizing.storage.class = Some(v))
                }
                "egress_per_month" => {
                    sizing::size(property).map(|v| c.sizing.egress_per_month = Some(v))
                }
                _ => properties::names(property).map(|v| c.features = v),
            };
            self.report(result);
        }
        if component.kind != Kind::Cache {
            if let Some(span) = component.property_span("role") {
                self.diagnostics
                    .push(role_outside_a_cache(&component, span.clone()));
                component.cache_role = CacheRole::default();
            }
        }
        if component.region.is_none() {
            if let Some(span) = component.property_span("standby") {
                self.diagnostics
                    .push(standby_outside_a_region(&component, span.clone()));
                component.standby = None;
            }
        }
        if let Some(diagnostic) = zones_without_instances(&component) {
            self.diagnostics.push(diagnostic);
            component.zones = None;
        }
        let keeps_data = component.kind.is_data_store() || component.kind.is_broker();
        if !keeps_data {
            for name in RECOVERY_PROPERTIES {
                if let Some(span) = component.property_span(name) {
                    self.diagnostics
                        .push(recovery_outside_data(&component, name, span.clone()));
                }
            }
            component.recovery = Recovery::default();
        }
        self.drop_misplaced(&mut component);
        if let Some(tier) = tier {
            self.design.tiers[tier].components.push(id);
        }
        for &group in groups {
            self.design.groups[group].components.push(id);
        }
        self.design.components.push(component);
    }

    /// Reports and drops the properties of other kinds of component: `encrypted` off a
    /// data store or broker, `persistence` off a cache, `dead_letter` off a broker,
    /// `consistency` off a workload.
    fn drop_misplaced(&mut self, component: &mut Component) {
        let kind = component.kind;
        if !(kind.is_data_store() || kind.is_broker()) {
            self.misplaced(component, "encrypted");
            component.encrypted = None;
        }
        if kind != Kind::Cache {
            self.misplaced(component, "persistence");
            component.persistence = None;
        }
        if !kind.is_broker() {
            self.misplaced(component, "dead_letter");
            component.dead_letter = None;
        }
        if !matches!(kind, Kind::Service | Kind::Worker | Kind::Auth) {
            self.misplaced(component, "consistency");
            component.consistency = None;
        }
        if kind != Kind::Cache {
            self.misplaced(component, "hit_ratio");
            component.sizing.hit_ratio = None;
        }
        if !kind.is_data_store() {
            for name in STORAGE_PROPERTIES {
                self.misplaced(component, name);
            }
            component.sizing.storage = Storage::default();
        }
    }

    fn misplaced(&mut self, component: &Component, name: &'static str) {
        if let Some(span) = component.property_span(name) {
            self.diagnostics
                .push(property_of_other_kinds(component, name, span.clone()));
        }
    }

    fn kind(&mut self, ident: &Ident) -> Kind {
        if let Some(kind) = Kind::from_name(&ident.name) {
            return kind;
        }
        let names = Kind::ALL.map(Kind::name);
        let unknown = Diagnostic::error(
            "E103",
            format!("unknown component kind `{}`", ident.name),
            ident.span.clone(),
        )
        .with_label("not a kind strata knows");
        self.diagnostics.push(
            match closest(&ident.name, names)
                .or_else(|| Kind::from_alias(&ident.name).map(Kind::name))
            {
                Some(kind) => unknown.with_suggestion(kind),
                None => unknown.with_help(format!("the kinds are: {}", names.join(", "))),
            },
        );
        Kind::Component
    }

    /// The properties whose names this declaration accepts, each once, with values whose
    /// numbers can be read; reports the rest.
    fn known<'p>(
        &mut self,
        given: impl IntoIterator<Item = &'p Property>,
        accepted: &[&'static str],
        declaration: &str,
    ) -> Vec<&'p Property> {
        let mut kept: Vec<&Property> = Vec::new();
        for property in given {
            let name = property.name.name.as_str();
            if !accepted.contains(&name) {
                self.diagnostics
                    .push(unknown_property(property, accepted, declaration));
            } else if let Some(first) = kept.iter().find(|p| p.name.name == name) {
                self.diagnostics.push(
                    Diagnostic::error(
                        "E106",
                        format!("`{name}` is set twice"),
                        property.name.span.clone(),
                    )
                    .with_label("set again here")
                    .with_related(first.span.clone(), "first set here")
                    .with_help("keep one of the two"),
                );
            } else if let Some(unreadable) = properties::unreadable_number(&property.value) {
                self.diagnostics.push(unreadable);
            } else {
                kept.push(property);
            }
        }
        kept
    }

    fn flow(&mut self, decl: &FlowDecl) {
        let mut template = self.flow_template(decl);
        let mut sources = self.endpoints(&decl.first);
        for (mode, targets) in &decl.hops {
            let targets = self.endpoints(targets);
            if template.every_request.is_some() {
                if let Some(&(caller, _)) = sources
                    .iter()
                    .find(|(from, _)| !self.design.components[*from].is_router())
                {
                    let property = (decl.properties.iter())
                        .find(|p| p.name.name == "every_request")
                        .expect("every_request was read from the declaration");
                    let caller = &self.design.components[caller];
                    self.diagnostics
                        .push(every_request_off_a_router(caller, property.span.clone()));
                    template.every_request = None;
                }
            }
            for &(from, from_ident) in &sources {
                for &(to, to_ident) in &targets {
                    let span = from_ident.span.start.min(to_ident.span.start)
                        ..from_ident.span.end.max(to_ident.span.end);
                    let access = self.access_into(&template, to);
                    self.add_flow(Flow {
                        from,
                        to,
                        mode: *mode,
                        span,
                        access,
                        ..template.clone()
                    });
                }
            }
            sources = targets;
        }
    }

    /// A flow's `access` into `to`; reported and dropped when `to` is not a data store.
    fn access_into(&mut self, template: &Flow, to: ComponentId) -> Option<Access> {
        let target = &self.design.components[to];
        if template.access.is_none() || target.kind.is_data_store() {
            return template.access;
        }
        let span = template.property_span("access").cloned();
        self.diagnostics
            .extend(span.map(|span| access_off_a_data_store(target, span)));
        None
    }

    /// The label and properties a flow declaration gives every one of its hops.
    fn flow_template(&mut self, decl: &FlowDecl) -> Flow {
        let mut flow = Flow {
            from: 0,
            to: 0,
            mode: ast::FlowMode::Sync,
            label: decl.label.as_ref().map(|label| label.value.clone()),
            protocol: None,
            latency: None,
            optional: false,
            every_request: None,
            description: None,
            tags: Vec::new(),
            timeout: None,
            retries: None,
            circuit_breaker: None,
            access: None,
            share: None,
            span: decl.span.clone(),
            property_spans: Vec::new(),
        };
        for property in self.known(&decl.properties, &FLOW_PROPERTIES, "flow") {
            let f = &mut flow;
            let name = listed_name(&FLOW_PROPERTIES, property);
            f.property_spans.push((name, property.span.clone()));
            let result = match name {
                "protocol" => properties::protocol(property).map(|v| f.protocol = Some(v)),
                "latency" => properties::duration(property).map(|v| f.latency = Some(v)),
                "optional" => properties::boolean(property).map(|v| f.optional = v),
                "every_request" => properties::boolean(property).map(|v| f.every_request = Some(v)),
                "description" => properties::text(property).map(|v| f.description = Some(v)),
                "timeout" => properties::timeout(property).map(|v| f.timeout = Some(v)),
                "retries" => properties::retries(property).map(|v| f.retries = Some(v)),
                "circuit_breaker" => {
                    properties::boolean(property).map(|v| f.circuit_breaker = Some(v))
                }
                "access" => properties::access(property).map(|v| f.access = Some(v)),
                "share" => sizing::share(property).map(|v| f.share = Some(v)),
                _ => properties::names(property).map(|v| f.tags = v),
            };
            self.report(result);
        }
        flow
    }

    /// Resolves flow endpoints; unknown names are reported and left out.
    fn endpoints<'i>(&mut self, idents: &'i [Ident]) -> Vec<(ComponentId, &'i Ident)> {
        idents
            .iter()
            .filter_map(|ident| {
                if ident.quoted {
                    return self.quoted_endpoint(ident).map(|id| (id, ident));
                }
                self.endpoint(ident)
            })
            .collect()
    }

    /// A flow end written in quotes: one error, which names the id of the component whose
    /// label (or id) it is, and keeps the flow to it.
    fn quoted_endpoint(&mut self, ident: &Ident) -> Option<ComponentId> {
        let meant = self
            .design
            .components
            .iter()
            .position(|c| c.label == ident.name || c.id == ident.name);
        let diagnostic = Diagnostic::error(
            "E002",
            "flow ends are component ids, not labels",
            ident.span.clone(),
        )
        .with_label("an id is written without quotes");
        self.diagnostics.push(match meant {
            Some(id) => {
                let component = &self.design.components[id];
                diagnostic.with_help(format!(
                    "write `{}`, the id of \"{}\"",
                    component.id,
                    quoted(&component.label)
                ))
            }
            None => diagnostic.with_help(
                "write the id of the component the flow goes to: the name before its `:`",
            ),
        });
        meant
    }

    fn endpoint<'i>(&mut self, ident: &'i Ident) -> Option<(ComponentId, &'i Ident)> {
        match self.names.get(ident.name.as_str()) {
            Some((Declared::Component(id), _, _)) => Some((*id, ident)),
            Some((other, span, _)) => {
                let span = span.clone();
                let what = other.describe();
                self.diagnostics.push(
                    Diagnostic::error(
                        "E101",
                        format!("`{}` is a {what}, not a component", ident.name),
                        ident.span.clone(),
                    )
                    .with_label("flows connect components")
                    .with_related(span, format!("the {what} is declared here"))
                    .with_help(match other {
                        Declared::Journey => {
                            "a journey is made of flows; a flow connects two components".to_string()
                        }
                        _ => format!("name a component inside the {what} instead"),
                    }),
                );
                None
            }
            None => {
                self.diagnostics.push(self.unknown_reference(ident));
                None
            }
        }
    }

    fn unknown_reference(&self, ident: &Ident) -> Diagnostic {
        let components = self.names.iter().filter_map(|(name, (what, _, _))| {
            matches!(what, Declared::Component(_)).then_some(*name)
        });
        let diagnostic = Diagnostic::error(
            "E101",
            format!("unknown component `{}`", ident.name),
            ident.span.clone(),
        )
        .with_label("no component has this id");
        match closest(&ident.name, components) {
            Some(name) => {
                let (_, span, _) = &self.names[name];
                diagnostic
                    .with_related(span.clone(), format!("`{name}` is declared here"))
                    .with_suggestion(name)
            }
            None => diagnostic.with_help(format!(
                "declare it first, e.g. `{}: service \"{}\"`",
                ident.name, ident.name
            )),
        }
    }

    fn add_flow(&mut self, flow: Flow) {
        let (from, to, mode) = (flow.from, flow.to, flow.mode);
        let name = |id: ComponentId| self.design.components[id].id.clone();
        if from == to {
            self.diagnostics.push(
                Diagnostic::error(
                    "E107",
                    format!("`{}` flows to itself", name(from)),
                    flow.span,
                )
                .with_label("a flow needs two different components")
                .with_help(
                    "remove this flow; if an arrow at the end of a line lost its target, the next \
                     line's first name was read as that target: finish the arrow",
                ),
            );
            return;
        }
        if let Some(&first) = self.flow_keys.get(&(from, to, mode)) {
            let first = self.design.flows[first].span.clone();
            let mut duplicate = Diagnostic::error(
                "E110",
                format!(
                    "the flow `{} {} {}` is declared twice",
                    name(from),
                    mode.arrow(),
                    name(to)
                ),
                flow.span,
            )
            .with_label("declared again here")
            .with_related(first, "first declared here")
            .with_help("remove one of the two");
            duplicate.severity = Severity::Warning;
            self.diagnostics.push(duplicate);
            return;
        }
        self.flow_keys
            .insert((from, to, mode), self.design.flows.len());
        self.design.flows.push(flow);
    }

    fn journey(&mut self, decl: &JourneyDecl) {
        let mut journey = Journey {
            id: decl.id.name.clone(),
            title: decl
                .title
                .as_ref()
                .map_or_else(|| decl.id.name.clone(), |title| title.value.clone()),
            steps: Vec::new(),
            sla: None,
            p50: None,
            p95: None,
            p99: None,
            description: None,
            consistency: None,
            traffic: Traffic::default(),
            span: decl.span.clone(),
            id_span: decl.id.span.clone(),
        };
        let properties = decl.members.iter().filter_map(|member| match member {
            JourneyMember::Property(property) => Some(property),
            JourneyMember::Step(_) => None,
        });
        for property in self.known(properties, &JOURNEY_PROPERTIES, "journey") {
            let j = &mut journey;
            let result = match property.name.name.as_str() {
                "sla" => properties::fraction(property).map(|v| j.sla = Some(v)),
                "p50" => properties::duration(property).map(|v| j.p50 = Some(v)),
                "p95" => properties::duration(property).map(|v| j.p95 = Some(v)),
                "p99" => properties::duration(property).map(|v| j.p99 = Some(v)),
                "consistency" => properties::consistency(property).map(|v| j.consistency = Some(v)),
                "description" => properties::text(property).map(|v| j.description = Some(v)),
                _ => traffic_property(property, &mut j.traffic),
            };
            self.report(result);
        }
        let mut wrote_a_step = false;
        for member in &decl.members {
            if let JourneyMember::Step(step) = member {
                wrote_a_step = true;
                self.journey_step(step, &mut journey.steps);
            }
        }
        if !wrote_a_step {
            self.diagnostics.push(
                Diagnostic::error(
                    "E114",
                    format!("journey `{}` has no steps", decl.id.name),
                    decl.id.span.clone(),
                )
                .with_label("a journey is the flows a request takes")
                .with_help(format!(
                    "list them as flows are written: `journey {} {{ web -> api -> db }}`",
                    decl.id.name
                )),
            );
        }
        self.design.journeys.push(journey);
    }

    /// Adds the flows a step names to `steps`, each once; reports what is not a declared
    /// flow, and a label or properties, which belong to the flow's own declaration.
    fn journey_step(&mut self, step: &FlowDecl, steps: &mut Vec<FlowId>) {
        let extra = step
            .label
            .as_ref()
            .map(|label| label.span.clone())
            .into_iter()
            .chain(step.properties.iter().map(|p| p.span.clone()));
        if let Some(first) = extra.reduce(|a, b| a.start..b.end) {
            self.diagnostics.push(
                Diagnostic::error("E113", "a journey step takes no label or properties", first)
                    .with_label("written on the flow's own declaration")
                    .with_help(
                        "a step names a flow declared elsewhere: move its label and properties there",
                    ),
            );
        }
        let mut sources = self.endpoints(&step.first);
        for (mode, targets) in &step.hops {
            let targets = self.endpoints(targets);
            for &(from, from_ident) in &sources {
                for &(to, to_ident) in &targets {
                    let span = from_ident.span.start.min(to_ident.span.start)
                        ..from_ident.span.end.max(to_ident.span.end);
                    match self.flow_keys.get(&(from, to, *mode)) {
                        Some(&flow) if !steps.contains(&flow) => steps.push(flow),
                        Some(_) => {}
                        None => {
                            let diagnostic = self.not_a_flow(from, to, *mode, span);
                            self.diagnostics.push(diagnostic);
                        }
                    }
                }
            }
            sources = targets;
        }
    }

    fn not_a_flow(
        &self,
        from: ComponentId,
        to: ComponentId,
        mode: ast::FlowMode,
        span: Span,
    ) -> Diagnostic {
        let name = |id: ComponentId| self.design.components[id].id.as_str();
        let other_mode = match mode {
            ast::FlowMode::Sync => ast::FlowMode::Async,
            ast::FlowMode::Async => ast::FlowMode::Sync,
        };
        let written = format!("{} {} {}", name(from), mode.arrow(), name(to));
        let help = if self.flow_keys.contains_key(&(from, to, other_mode)) {
            format!(
                "the flow is declared `{} {} {}`: write that arrow here",
                name(from),
                other_mode.arrow(),
                name(to)
            )
        } else if self.flow_keys.contains_key(&(to, from, mode)) {
            format!(
                "the declared flow goes the other way, `{} {} {}`",
                name(to),
                mode.arrow(),
                name(from)
            )
        } else {
            format!("declare `{written}` with the other flows, or take the journey through flows that are declared")
        };
        Diagnostic::error("E112", format!("`{written}` is not a declared flow"), span)
            .with_label("a journey step must be a declared flow")
            .with_help(help)
    }

    /// The declared shares of one caller's flows add up to at most all its requests: the
    /// flow whose share passes 100% is reported, with the caller's shares before it.
    fn check_shares(&mut self) {
        let mut shares: Vec<Vec<(f64, Span)>> = vec![Vec::new(); self.design.components.len()];
        for flow in &self.design.flows {
            if let (Some(share), Some(span)) = (flow.share, flow.property_span("share")) {
                shares[flow.from].push((share, span.clone()));
            }
        }
        for (caller, shares) in shares.iter().enumerate() {
            let mut total = 0.0;
            // A little slack, so 33.3% three times over is not over 100%.
            let Some(over) = shares.iter().position(|(share, _)| {
                total += share;
                total > 1.0 + 1e-9
            }) else {
                continue;
            };
            let caller = &self.design.components[caller];
            let mut diagnostic = Diagnostic::error(
                "E120",
                format!(
                    "the shares of `{}`'s requests add up to more than 100%",
                    caller.id
                ),
                shares[over].1.clone(),
            )
            .with_label(format!("{}% with this one", percent(total)))
            .with_help(
                "a share is the part of the caller's requests a flow carries: split them so \
                 they add up to at most 100%, or leave `share` out of a flow every request \
                 takes",
            );
            for (share, span) in &shares[..over] {
                diagnostic = diagnostic.with_related(span.clone(), format!("{}%", percent(*share)));
            }
            self.diagnostics.push(diagnostic);
        }
    }

    fn report(&mut self, result: Result<(), Box<Diagnostic>>) {
        if let Err(diagnostic) = result {
            self.diagnostics.push(*diagnostic);
        }
    }

    fn finish(mut self) -> (Design, Vec<Diagnostic>) {
        self.place_tiers();
        let design = &mut self.design;
        for component in 0..design.components.len() {
            design.graph.add_node(component);
        }
        for (id, flow) in design.flows.iter().enumerate() {
            design
                .graph
                .add_edge(NodeIndex::new(flow.from), NodeIndex::new(flow.to), id);
        }
        (self.design, self.diagnostics)
    }
}

impl Lowering<'_> {
    /// Puts the tiers in their drawing order, renumbering what refers to them.
    fn place_tiers(&mut self) {
        if self
            .tier_order
            .iter()
            .enumerate()
            .all(|(at, &tier)| at == tier)
        {
            return;
        }
        let mut renumbered = vec![0; self.tier_order.len()];
        for (at, &tier) in self.tier_order.iter().enumerate() {
            renumbered[tier] = at;
        }
        let design = &mut self.design;
        let mut tiers: Vec<Option<Tier>> = design.tiers.drain(..).map(Some).collect();
        design.tiers = (self.tier_order.iter())
            .filter_map(|&tier| tiers[tier].take())
            .collect();
        for component in &mut design.components {
            component.tier = component.tier.map(|tier| renumbered[tier]);
        }
        for group in &mut design.groups {
            group.tier = group.tier.map(|tier| renumbered[tier]);
        }
    }
}

/// A fraction as a percentage to two decimals at most: 0.3 → 30, 1.005 → 100.5.
fn percent(fraction: f64) -> String {
    let text = format!("{:.2}", fraction * 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One of the traffic properties a system or a journey declares.
fn traffic_property(property: &Property, traffic: &mut Traffic) -> Result<(), Box<Diagnostic>> {
    match property.name.name.as_str() {
        "dau" => properties::whole_number(property).map(|v| traffic.dau = Some(v)),
        "actions_per_user" => sizing::positive_number(property, "e.g. `actions_per_user 20`")
            .map(|v| traffic.actions_per_user = Some(v)),
        "peak_rps" => properties::whole_number(property).map(|v| traffic.peak_rps = Some(v)),
        "peak_factor" => sizing::factor(property).map(|v| traffic.peak_factor = Some(v)),
        _ => sizing::factor(property).map(|v| traffic.design_factor = Some(v)),
    }
}

/// How many flows a flow statement writes: each name on one side of an arrow to each on
/// the other.
fn flows_written(flow: &FlowDecl) -> usize {
    let mut ends =
        std::iter::once(flow.first.len()).chain(flow.hops.iter().map(|(_, to)| to.len()));
    let mut count = 0;
    let mut from = ends.next().unwrap_or(0);
    for to in ends {
        count += from.saturating_mul(to);
        from = to;
    }
    count
}

fn role_outside_a_cache(component: &Component, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E111",
        format!(
            "`role` is for caches, and `{}` is a {}",
            component.id,
            component.kind.name()
        ),
        span,
    )
    .with_label("only a cache holds either a copy or the only copy of its data")
    .with_help("remove `role` here; on a cache, `role store` marks the only copy (sessions, carts)")
}

/// The kinds a component property is for, and what it says about them.
fn belongs_to(name: &str) -> (&'static str, &'static str, &'static str) {
    match name {
        "encrypted" => (
            "data stores and brokers",
            "only what keeps data has data at rest to encrypt",
            "encrypt the store or broker it writes to (`encrypted true` there)",
        ),
        "persistence" => (
            "caches",
            "only a cache chooses between memory alone and snapshots to disk",
            "databases and brokers keep their data on disk already",
        ),
        "dead_letter" => (
            "queues and streams",
            "only a broker sets failed messages aside for a dead-letter queue",
            "declare it on the queue or stream the messages go through",
        ),
        "hit_ratio" => (
            "caches",
            "only a cache answers a share of reads itself",
            "declare it on the cache the reads go through",
        ),
        _ if STORAGE_PROPERTIES.contains(&name) => (
            "data stores",
            "only a data store grows with what is written to it",
            "declare it on the database or store the writes go to",
        ),
        _ => (
            "services, workers and auth",
            "only a workload writes to several stores and keeps them consistent",
            "declare it on the service that makes the writes, or on a journey",
        ),
    }
}

fn property_of_other_kinds(component: &Component, name: &'static str, span: Span) -> Diagnostic {
    let (kinds, label, elsewhere) = belongs_to(name);
    Diagnostic::error(
        "E119",
        format!(
            "`{name}` is for {kinds}, and `{}` is a {}",
            component.id,
            component.kind.name()
        ),
        span,
    )
    .with_label(label)
    .with_help(format!("remove `{name}` here; {elsewhere}"))
}

/// `access` says what a flow does to the data store it goes into.
fn access_off_a_data_store(target: &Component, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E119",
        format!(
            "`access` is for flows into data stores, and `{}` is a {}",
            target.id,
            target.kind.name()
        ),
        span,
    )
    .with_label("only a data store is read or written")
    .with_help("remove `access` here; the arrow already says how the flow talks to it")
}

fn every_request_off_a_router(caller: &Component, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E118",
        format!(
            "`every_request` is for a router's calls, and `{}` is a {} that does not route",
            caller.id,
            caller.kind.name()
        ),
        span,
    )
    .with_label("only a router both dispatches requests and makes calls for all of them")
    .with_help(format!(
        "every request `{0}` handles already needs all its calls: remove `every_request`, or give `{0}` `features [routing]` if it passes requests on",
        caller.id
    ))
}

fn standby_outside_a_region(component: &Component, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E117",
        format!("`{}` is a standby but declares no region", component.id),
        span,
    )
    .with_label("a standby is a region's copy that serves once the active region fails")
    .with_help(format!(
        "give `{0}` its region (`region \"eu-west\"`) beside the active copy in another, or remove `standby`",
        component.id
    ))
}

/// Instances spread over more zones than there are instances would leave a zone empty;
/// a provider-run service is spread by its provider, whatever its instance count.
fn zones_without_instances(component: &Component) -> Option<Diagnostic> {
    let zones = component
        .zones
        .filter(|&z| z > component.replicas && !component.managed)?;
    let span = component.property_span("zones")?.clone();
    let replicas = component.replicas;
    let instances = if replicas == 1 {
        "instance"
    } else {
        "instances"
    };
    Some(
        Diagnostic::error(
            "E116",
            format!(
                "`{}` spreads {replicas} {instances} over {zones} zones",
                component.id
            ),
            span,
        )
        .with_label(format!("{} of these zones would run nothing", zones - replicas))
        .with_help(format!(
            "run one instance per zone at least (`replicas {zones}`), or spread over fewer zones (`zones {replicas}`); a provider-run service is `managed true`"
        )),
    )
}

fn recovery_outside_data(component: &Component, name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E115",
        format!(
            "`{name}` is for data stores and brokers, and `{}` is a {}",
            component.id,
            component.kind.name()
        ),
        span,
    )
    .with_label("only what keeps data is replicated, backed up and recovered")
    .with_help(format!(
        "remove `{name}` here, or set it on the store `{}` writes to",
        component.id
    ))
}

/// The listed name of a property `known()` kept, borrowed for as long as the program runs.
fn listed_name(listed: &[&'static str], property: &Property) -> &'static str {
    listed
        .iter()
        .copied()
        .find(|name| *name == property.name.name)
        .expect("known() keeps listed names only")
}

fn title(container: &Container) -> String {
    container
        .title
        .as_ref()
        .map_or_else(|| container.id.name.clone(), |title| title.value.clone())
}

fn unknown_property(property: &Property, accepted: &[&str], declaration: &str) -> Diagnostic {
    let name = property.name.name.as_str();
    let elsewhere = [
        ("system", &SYSTEM_PROPERTIES[..]),
        ("component", &COMPONENT_PROPERTIES[..]),
        ("flow", &FLOW_PROPERTIES[..]),
        ("journey", &JOURNEY_PROPERTIES[..]),
    ]
    .into_iter()
    .find(|(_, names)| names.contains(&name))
    .map(|(owner, _)| owner);
    let unknown = Diagnostic::error(
        "E104",
        format!("unknown {declaration} property `{name}`"),
        property.name.span.clone(),
    )
    .with_label(format!("not a {declaration} property"));
    match (closest(name, accepted.iter().copied()), elsewhere) {
        (Some(suggestion), _) => unknown.with_suggestion(suggestion),
        (None, Some(owner)) => unknown.with_help(format!(
            "`{name}` is a {owner} property, not a {declaration} one"
        )),
        (None, None) => {
            unknown.with_help(format!("a {declaration} takes: {}", accepted.join(", ")))
        }
    }
}
