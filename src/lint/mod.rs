//! Stage 4, lint: review a design against the production checklist, the way a staff
//! engineer would. One file per rule under `rules/`; `config` applies severities and
//! selections; `suppress` handles `# strata: allow CODE because …` comments.

pub mod config;
pub mod docs;
pub mod project;
pub mod rules;
mod suppress;
#[cfg(test)]
pub(crate) mod testing;

pub use config::{Config, Options};
pub use rules::ALL as RULES;
pub use suppress::directive;

use crate::analysis::{self, Analysis};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::model::{ComponentId, Design, Flow};
use crate::source::{Files, Span};
use crate::syntax::lexer::Comment;

/// What a rule is about; the first letters of its code say the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// REQ: the components every production system needs.
    Checklist,
    /// AVL: redundancy, single points of failure, availability against the SLA.
    Availability,
    /// STR: how components are wired together.
    Structure,
    /// SEC: exposure and transport security.
    Security,
    /// LAT: latency against the declared targets.
    Latency,
    /// CAP: load against capacity, headroom and storage growth.
    Capacity,
    /// LNT: the lint configuration itself.
    Meta,
}

impl Area {
    pub fn name(self) -> &'static str {
        match self {
            Area::Checklist => "checklist",
            Area::Availability => "availability",
            Area::Structure => "structure",
            Area::Security => "security",
            Area::Latency => "latency",
            Area::Capacity => "capacity",
            Area::Meta => "meta",
        }
    }
}

/// A lint rule: its identity, its documentation, and its check.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub area: Area,
    pub severity: Severity,
    /// What it finds, in one line.
    pub summary: &'static str,
    /// Why it matters, with the guide's reason.
    pub why: &'static str,
    /// A design that makes it fire.
    pub example: &'static str,
    /// How to fix what it finds.
    pub fix: &'static str,
    pub check: fn(&Context) -> Vec<Finding>,
}

/// One thing a rule found: a diagnostic with the rule's code, and a stable id.
#[derive(Debug, Clone)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// Stable across edits elsewhere in the file: `CODE@element` or `CODE@from->to`.
    pub id: String,
    /// The kind of component the design lacks, for a checklist finding that says so: what
    /// an editor's quick fix adds.
    pub missing: Option<crate::model::Kind>,
}

impl Finding {
    pub fn new(rule: &Rule, subject: &str, message: impl Into<String>, span: Span) -> Self {
        let mut diagnostic = Diagnostic::error(rule.code, message, span).with_help(rule.fix);
        diagnostic.severity = rule.severity;
        Finding {
            diagnostic,
            id: format!("{}@{subject}", rule.code),
            missing: None,
        }
    }

    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_label(message);
        self
    }

    /// Says the design has no component of a kind, in the label and for quick fixes.
    pub fn lacking(mut self, kind: crate::model::Kind) -> Self {
        self.missing = Some(kind);
        self.with_label(format!("no `{}` component in this system", kind.name()))
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_related(span, message);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_help(help);
        self
    }

    pub fn code(&self) -> &'static str {
        self.diagnostic.code
    }
}

/// What a rule's check can read.
pub struct Context<'a> {
    pub design: &'a Design,
    pub analysis: &'a Analysis,
    pub options: &'a Options,
    /// Reachable from an entry point through hard dependencies.
    pub on_request_path: Vec<bool>,
    /// Whether any flow, sync or async, leaves / reaches each component.
    pub has_outgoing: Vec<bool>,
    pub has_incoming: Vec<bool>,
}

impl Context<'_> {
    /// Each declared journey with its analysis.
    pub fn declared_journeys(
        &self,
    ) -> impl Iterator<Item = (&crate::model::Journey, &crate::analysis::PathAvailability)> {
        self.analysis
            .paths
            .iter()
            .filter_map(|path| Some((&self.design.journeys[path.journey?], path)))
    }

    pub fn id(&self, component: ComponentId) -> &str {
        &self.design.components[component].id
    }

    pub fn span(&self, component: ComponentId) -> Span {
        self.design.components[component].span.clone()
    }

    /// Where whole-design findings point: the `system` block, or else the start of the
    /// first declaration (not a comment above it, which is where suppressions go).
    pub fn system_span(&self) -> Span {
        if let Some(system) = &self.design.system.span {
            return system.clone();
        }
        let design = self.design;
        let first = (design.tiers.iter().map(|tier| tier.span.start))
            .chain(design.groups.iter().map(|group| group.span.start))
            .chain(
                design
                    .components
                    .iter()
                    .map(|component| component.span.start),
            )
            .chain(design.flows.iter().map(|flow| flow.span.start))
            .min()
            .unwrap_or(0);
        first..first
    }

    /// `from->to`, the subject of a finding about a flow.
    pub fn flow_subject(&self, flow: &Flow) -> String {
        format!("{}->{}", self.id(flow.from), self.id(flow.to))
    }

    pub fn flow_name(&self, flow: &Flow) -> String {
        format!(
            "`{} {} {}`",
            self.id(flow.from),
            flow.mode.arrow(),
            self.id(flow.to)
        )
    }

    pub fn has_kind(&self, kind: crate::model::Kind) -> bool {
        self.design.components.iter().any(|c| c.kind == kind)
    }
}

/// For each component, whether it is the given end of some flow.
fn flow_ends(design: &Design, end: impl Fn(&Flow) -> ComponentId) -> Vec<bool> {
    let mut marked = vec![false; design.components.len()];
    for flow in &design.flows {
        marked[end(flow)] = true;
    }
    marked
}

/// Findings and configuration errors of one design.
pub struct Linted {
    pub findings: Vec<Finding>,
    /// Errors in `lint { … }` settings and suppression comments.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints a design that checked without errors.
/// `files` are the design's (see `Source::at`); `comments` are every file's, where
/// suppressions are read.
pub fn lint<F: Files + ?Sized>(
    design: &Design,
    comments: &[Comment],
    files: &F,
    config: &Config,
) -> Linted {
    let analysis = analysis::analyze(design);
    let context = Context {
        design,
        on_request_path: analysis.request.reachable_from(&analysis.entries),
        has_outgoing: flow_ends(design, |f| f.from),
        has_incoming: flow_ends(design, |f| f.to),
        analysis: &analysis,
        options: &config.options,
    };
    let mut findings = Vec::new();
    for rule in RULES {
        let Some(severity) = config.severity(rule) else {
            continue;
        };
        for mut finding in (rule.check)(&context) {
            finding.diagnostic.severity = severity;
            findings.push(finding);
        }
    }
    let mut diagnostics = Vec::new();
    let suppressions = suppress::parse(comments, files, &mut diagnostics);
    let mut findings = suppress::apply(findings, suppressions, files, config);
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.diagnostic.primary.span.start, f.code(), f.id.clone());
        key(a).cmp(&key(b))
    });
    diagnostics::sort(&mut diagnostics);
    Linted {
        findings,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::testing::findings;

    fn system_finding_start(text: &str) -> usize {
        let findings = findings(text);
        let finding = findings
            .iter()
            .find(|f| f.id == "REQ004@system")
            .expect("no database: REQ004 fires");
        finding.diagnostic.primary.span.start
    }

    #[test]
    fn whole_design_findings_point_at_the_system_or_the_first_declaration() {
        let with_system = "# notes\nweb: client\nsystem \"S\"\napi: service\nweb -> api\n";
        assert_eq!(system_finding_start(with_system), 20);
        let commented =
            "# notes\n\n// more notes\ntier t {\n  web: client\n}\napi: service\nweb -> api\n";
        assert_eq!(system_finding_start(commented), 23);
        let flow_first = "# notes\nweb -> api\nweb: client\napi: service\n";
        assert_eq!(system_finding_start(flow_first), 8);
    }
}
