//! Folding ranges: every block that spans lines, and runs of comment lines.

use super::document::Document;
use crate::source::{Source, Span};
use crate::syntax::ast::{Item, Property};
use lsp_types::{FoldingRange, FoldingRangeKind};

pub fn folding(document: &Document) -> Vec<FoldingRange> {
    let source = &document.source;
    let mut ranges = Vec::new();
    blocks(source, &document.checked.parsed.items, &mut ranges);
    let comment_lines = document
        .checked
        .parsed
        .comments
        .iter()
        .map(|comment| source.line_index(comment.span.start));
    let mut run: Option<(usize, usize)> = None;
    for line in comment_lines.chain([usize::MAX]) {
        run = match run {
            Some((first, last)) if line == last + 1 => Some((first, line)),
            Some((first, last)) => {
                if last > first {
                    ranges.push(fold(first, last, Some(FoldingRangeKind::Comment)));
                }
                Some((line, line))
            }
            None => Some((line, line)),
        };
    }
    ranges.sort_by_key(|range| (range.start_line, range.end_line));
    ranges
}

fn blocks(source: &Source, items: &[Item], ranges: &mut Vec<FoldingRange>) {
    for item in items {
        let properties: &[Property] = match item {
            Item::System(system) => &system.properties,
            Item::Component(component) => &component.properties,
            Item::Flow(flow) => &flow.properties,
            _ => &[],
        };
        if let Item::Tier(container) | Item::Group(container) = item {
            blocks(source, &container.members, ranges);
        }
        if matches!(item, Item::System(_) | Item::Component(_) | Item::Flow(_))
            && properties.is_empty()
        {
            continue;
        }
        push_span(source, item.span(), ranges);
    }
}

fn push_span(source: &Source, span: &Span, ranges: &mut Vec<FoldingRange>) {
    let first = source.line_index(span.start);
    let last = source.line_index(span.end.saturating_sub(1).max(span.start));
    if last > first {
        ranges.push(fold(first, last, Some(FoldingRangeKind::Region)));
    }
}

fn fold(first: usize, last: usize, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line: u32::try_from(first).unwrap_or(u32::MAX),
        end_line: u32::try_from(last).unwrap_or(u32::MAX),
        kind,
        ..FoldingRange::default()
    }
}
