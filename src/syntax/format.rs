//! The formatter: syntax tree + comments → canonical text. Idempotent; keeps every
//! comment (leading comments above their statement, trailing ones on its line) and
//! single blank lines between statements.

use super::ast::*;
use super::lexer::Comment;
use super::Parsed;
use crate::source::{Source, Span, BYTE_ORDER_MARK};

const INDENT: &str = "  ";
/// Property blocks longer than this are written one property per line.
const MAX_INLINE_WIDTH: usize = 100;

/// How a file ends its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    /// The ending most of the text's lines use; LF on a tie.
    pub fn dominant(text: &str) -> Self {
        let crlf = text.matches("\r\n").count();
        let lf = text.matches('\n').count() - crlf;
        match crlf > lf {
            true => LineEnding::CrLf,
            false => LineEnding::Lf,
        }
    }
}

/// Formats a file that checked without errors, in the line ending it mostly uses, so a
/// file checked out with CRLF endings stays CRLF (and every line gets that ending).
pub fn format_keeping_line_endings(text: &str, parsed: &Parsed) -> String {
    if !text.contains("\r\n") {
        return format(text, parsed);
    }
    // The printer writes LF: it works on the text with LF endings, then they are put back.
    let lf_text = text.replace("\r\n", "\n");
    let lf_parsed = super::parse(&Source::new("", lf_text.as_str()));
    let formatted = format(&lf_text, &lf_parsed);
    match LineEnding::dominant(text) {
        LineEnding::Lf => formatted,
        LineEnding::CrLf => formatted.replace('\n', "\r\n"),
    }
}

/// Formats a file that parsed without errors.
pub fn format(text: &str, parsed: &Parsed) -> String {
    let mut printer = Printer {
        text,
        comments: &parsed.comments,
        next_comment: 0,
        out: String::new(),
        last_end: 0,
    };
    printer.items(&parsed.items, 0);
    printer.comments_before(text.len(), 0, false);
    // A byte-order mark belongs to the file, not to the design: it stays.
    if text.starts_with(BYTE_ORDER_MARK) {
        return format!("{BYTE_ORDER_MARK}{}", printer.out);
    }
    printer.out
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
    /// End of the last source text printed, to find blank lines and trailing comments.
    last_end: usize,
}

impl Printer<'_> {
    fn items(&mut self, items: &[Item], depth: usize) {
        let mut previous_was_block = false;
        for (index, item) in items.iter().enumerate() {
            let is_block = self.is_multiline(item);
            // Imports are one paragraph at the top of the file.
            let ends_imports = index > 0
                && matches!(items[index - 1], Item::Import(_))
                && !matches!(item, Item::Import(_));
            let separate =
                depth == 0 && index > 0 && (is_block || previous_was_block || ends_imports);
            self.comments_before(item.span().start, depth, separate);
            self.item(item, depth);
            previous_was_block = is_block;
        }
    }

    fn is_multiline(&self, item: &Item) -> bool {
        match item {
            Item::Tier(_) | Item::Group(_) | Item::Journey(_) => true,
            Item::System(system) => !self.inline_block_fits(
                &property_entries(&system.properties),
                &system.span,
                system.name.span.end,
            ),
            Item::Lint(lint) => !self.inline_block_fits(
                &lint_entries(&lint.settings),
                &lint.span,
                lint.span.start + 4,
            ),
            _ => false,
        }
    }

    fn item(&mut self, item: &Item, depth: usize) {
        match item {
            Item::Import(import) => {
                self.indent(depth);
                self.out.push_str("import ");
                self.out.push_str(&import.path.raw);
                self.last_end = import.span.end;
                self.end_line();
            }
            Item::System(system) => {
                let head = format!("system {}", system.name.raw);
                let entries = property_entries(&system.properties);
                self.with_entries(head, &entries, &system.span, system.name.span.end, depth);
            }
            Item::Tier(container) => self.container("tier", container, depth),
            Item::Group(container) => self.container("group", container, depth),
            Item::Component(component) => {
                let mut head = format!("{}: {}", component.id.name, component.kind.name);
                let mut head_end = component.kind.span.end;
                if let Some(label) = &component.label {
                    head.push(' ');
                    head.push_str(&label.raw);
                    head_end = label.span.end;
                }
                let entries = property_entries(&component.properties);
                self.with_entries(head, &entries, &component.span, head_end, depth);
            }
            Item::Flow(flow) => {
                let (head, head_end) = flow_head(self.text, flow);
                let entries = property_entries(&flow.properties);
                self.with_entries(head, &entries, &flow.span, head_end, depth);
            }
            Item::Journey(journey) => self.journey(journey, depth),
            // Unlike a property block, a lint block's braces are required even when empty.
            Item::Lint(lint) if lint.settings.is_empty() => {
                self.indent(depth);
                self.out.push_str("lint {}");
                self.last_end = lint.span.end;
                self.end_line();
            }
            Item::Lint(lint) => {
                let entries = lint_entries(&lint.settings);
                self.with_entries(
                    "lint".to_string(),
                    &entries,
                    &lint.span,
                    lint.span.start + 4,
                    depth,
                );
            }
        }
    }

    fn container(&mut self, keyword: &str, container: &Container, depth: usize) {
        self.open_block(keyword, &container.id, container.title.as_ref(), depth);
        self.items(&container.members, depth + 1);
        self.close_block(&container.close, depth);
    }

    /// `keyword id "Title" {` on a line of its own.
    fn open_block(&mut self, keyword: &str, id: &Ident, title: Option<&Str>, depth: usize) {
        self.indent(depth);
        self.out.push_str(keyword);
        self.out.push(' ');
        self.out.push_str(&id.name);
        self.last_end = id.span.end;
        if let Some(title) = title {
            self.out.push(' ');
            self.out.push_str(&title.raw);
            self.last_end = title.span.end;
        }
        self.out.push_str(" {");
        self.end_line();
    }

    /// The comments left inside a block, then its `}`.
    fn close_block(&mut self, close: &Span, depth: usize) {
        self.comments_before(close.start, depth + 1, false);
        self.indent(depth);
        self.out.push('}');
        self.last_end = close.end;
        self.end_line();
    }

    /// A journey block: a step or a property per line, in the order written.
    fn journey(&mut self, journey: &JourneyDecl, depth: usize) {
        self.open_block("journey", &journey.id, journey.title.as_ref(), depth);
        for member in &journey.members {
            self.comments_before(member.span().start, depth + 1, false);
            match member {
                JourneyMember::Step(step) => {
                    let (head, head_end) = flow_head(self.text, step);
                    let entries = property_entries(&step.properties);
                    self.with_entries(head, &entries, &step.span, head_end, depth + 1);
                }
                JourneyMember::Property(property) => {
                    let entry = &property_entries(std::slice::from_ref(property))[0];
                    self.indent(depth + 1);
                    self.out.push_str(&entry.text);
                    self.last_end = property.span.end;
                    self.end_line();
                }
            }
        }
        self.close_block(&journey.close, depth);
    }

    /// A statement with an optional `{ properties }` block, inline when it fits.
    fn with_entries(
        &mut self,
        head: String,
        entries: &[Entry],
        span: &Span,
        head_end: usize,
        depth: usize,
    ) {
        self.indent(depth);
        self.out.push_str(&head);
        if entries.is_empty() {
            self.last_end = span.end.max(head_end);
            // An empty `{}` carries nothing: it is dropped, but comments inside it are kept.
            if self.has_comment_within(head_end, span.end) {
                self.last_end = head_end;
            }
        } else if self.inline_block_fits(entries, span, head_end)
            && depth * INDENT.len() + head.len() + inline(entries).len() < MAX_INLINE_WIDTH
        {
            self.out.push(' ');
            self.out.push_str(&inline(entries));
            self.last_end = span.end;
        } else {
            self.out.push_str(" {");
            self.last_end = head_end;
            self.end_line();
            for entry in entries {
                self.comments_before(entry.span.start, depth + 1, false);
                self.indent(depth + 1);
                self.out.push_str(&entry.text);
                self.last_end = entry.span.end;
                self.end_line();
            }
            self.comments_before(span.end - 1, depth + 1, false);
            self.indent(depth);
            self.out.push('}');
            self.last_end = span.end;
        }
        self.end_line();
    }

    fn inline_block_fits(&self, entries: &[Entry], span: &Span, head_end: usize) -> bool {
        !self.has_comment_within(head_end, span.end) && inline(entries).len() <= MAX_INLINE_WIDTH
    }

    fn has_comment_within(&self, start: usize, end: usize) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .any(|comment| comment.span.start >= start && comment.span.start < end)
    }

    /// Prints the comments that stand before `start`, each on its own line.
    fn comments_before(&mut self, start: usize, depth: usize, separate: bool) {
        let mut separate = separate;
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= start {
                break;
            }
            self.blank_line_if(separate || self.blank_line_in_source(comment.span.start));
            separate = false;
            self.indent(depth);
            self.out.push_str(&comment.text);
            self.out.push('\n');
            self.last_end = comment.span.end;
            self.next_comment += 1;
        }
        if start < self.text.len() {
            self.blank_line_if(separate || self.blank_line_in_source(start));
        }
    }

    /// Ends the current line, keeping a comment that follows on the same source line.
    fn end_line(&mut self) {
        if let Some(comment) = self.comments.get(self.next_comment) {
            let between = &self.text[self.last_end.min(comment.span.start)..comment.span.start];
            // Only a block's own `{` may stand between: a comment after it stays on the
            // header line (where a suppression in it points), but not across a statement.
            if !between.contains('\n') && matches!(between.trim(), "" | "{") {
                self.out.push(' ');
                self.out.push_str(&comment.text);
                self.last_end = comment.span.end;
                self.next_comment += 1;
            }
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn blank_line_in_source(&self, upto: usize) -> bool {
        let start = self.last_end.min(upto);
        self.text[start..upto].matches('\n').count() >= 2
    }

    fn blank_line_if(&mut self, wanted: bool) {
        let at_block_start = self.out.is_empty() || self.out.ends_with("{\n");
        if wanted && !at_block_start && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }
}

fn flow_head(text: &str, flow: &FlowDecl) -> (String, usize) {
    // A quoted target is an error the model reports; printed bare it would name another
    // component (`"API Service"` → `API Service`), so it keeps its quotes as written.
    let names = |idents: &[Ident]| {
        idents
            .iter()
            .map(|ident| match ident.quoted {
                true => &text[ident.span.clone()],
                false => ident.name.as_str(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut head = names(&flow.first);
    let mut end = flow.first.last().map_or(flow.span.start, |i| i.span.end);
    for (mode, targets) in &flow.hops {
        head.push_str(&format!(" {} {}", mode.arrow(), names(targets)));
        end = targets.last().map_or(end, |i| i.span.end);
    }
    if let Some(label) = &flow.label {
        head.push_str(" : ");
        head.push_str(&label.raw);
        end = label.span.end;
    }
    (head, end)
}

/// One `key value` line of a property or lint block, as printed, and where it was.
struct Entry {
    text: String,
    span: Span,
}

fn property_entries(properties: &[Property]) -> Vec<Entry> {
    properties
        .iter()
        .map(|p| Entry {
            text: format!("{} {}", p.name.name, value(&p.value)),
            span: p.span.clone(),
        })
        .collect()
}

fn lint_entries(settings: &[LintSetting]) -> Vec<Entry> {
    settings
        .iter()
        .map(|setting| {
            let key = match &setting.key {
                LintKey::Name(ident) => ident.name.clone(),
                LintKey::Quoted(string) => string.raw.clone(),
            };
            Entry {
                text: format!("{key} {}", value(&setting.value)),
                span: setting.span.clone(),
            }
        })
        .collect()
}

fn inline(entries: &[Entry]) -> String {
    let body: Vec<&str> = entries.iter().map(|entry| entry.text.as_str()).collect();
    format!("{{ {} }}", body.join("; "))
}

fn value(value: &Value) -> String {
    match &value.kind {
        ValueKind::Str(s) => s.raw.clone(),
        ValueKind::Number(raw)
        | ValueKind::Percent(raw)
        | ValueKind::Duration(raw)
        | ValueKind::Quantity(raw)
        | ValueKind::BadNumber(raw) => raw.clone(),
        ValueKind::Ident(name) => name.clone(),
        ValueKind::List(values) => {
            let items: Vec<String> = values.iter().map(self::value).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    fn fmt(text: &str) -> String {
        let source = Source::new("t", text);
        let parsed = super::super::parse(&source);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        super::format(text, &parsed)
    }

    #[test]
    fn imports_are_one_paragraph_at_the_top() {
        let text = "import   \"a.strata\" ;import \"b/c.strata\" # shared\nweb: client\n";
        assert_eq!(
            fmt(text),
            "import \"a.strata\"\nimport \"b/c.strata\" # shared\n\nweb: client\n"
        );
        let formatted = fmt(text);
        assert_eq!(fmt(&formatted), formatted);
    }

    #[test]
    fn an_import_after_other_statements_is_an_error_at_the_import() {
        let text = "web: client\nimport \"a.strata\"\n";
        let parsed = super::super::parse(&Source::new("t", text));
        let codes: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.primary.span.clone()))
            .collect();
        assert_eq!(codes, [("E002", 12..29)]);
    }

    #[test]
    fn canonical_layout() {
        let text = "tier   edge \"Edge\"{lb:load_balancer \"LB\"{replicas 2;tech \"nginx\"}}\nweb:client\nweb->lb:\"HTTPS\"";
        assert_eq!(
            fmt(text),
            "tier edge \"Edge\" {\n  lb: load_balancer \"LB\" { replicas 2; tech \"nginx\" }\n}\n\nweb: client\nweb -> lb : \"HTTPS\"\n"
        );
    }

    #[test]
    fn comments_stay_where_they_were() {
        let text = "# head\n\n# about a\na: service # trailing\n\nb: service\n# tail\n";
        assert_eq!(fmt(text), text);
    }

    #[test]
    fn a_commented_property_block_goes_multiline() {
        let text = "a: service { replicas 2 # two\n tech \"x\" }\n";
        assert_eq!(
            fmt(text),
            "a: service {\n  replicas 2 # two\n  tech \"x\"\n}\n"
        );
    }

    #[test]
    fn a_comment_after_an_opening_brace_stays_on_its_line() {
        let text = "tier t \"T\" { # why this tier\n  spare: service \"Spare\" { # strata: allow STR206 because spare\n    replicas 2\n  }\n}\n";
        assert_eq!(fmt(text), text);
    }

    #[test]
    fn a_comment_inside_a_statement_settles_in_one_pass() {
        let once = fmt(
            "a: service\nb: service\na -> # mid-chain\n b : \"x\" { protocol grpc; latency 5ms }\n",
        );
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn a_journey_keeps_its_steps_and_properties_in_order_one_a_line() {
        let text = "a: client\nb: service\nc: database\na -> b -> c\njourney j \"J\" { a->b->c ; sla 99.9% # why\n p99 200ms }";
        assert_eq!(
            fmt(text),
            "a: client\nb: service\nc: database\na -> b -> c\n\njourney j \"J\" {\n  a -> b -> c\n  sla 99.9% # why\n  p99 200ms\n}\n"
        );
    }

    #[test]
    fn formatting_is_idempotent() {
        let text = "system \"S\" { sla 99.9% }\n// c\ntier t { # x\n group g \"G\" {\n a: service\n # inside\n }\n}\na -> b";
        let once = fmt(text.replace("a -> b", "b: cache\na -> b").as_str());
        assert_eq!(fmt(&once), once);
    }
}
