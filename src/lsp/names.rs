//! Where each id of a design is declared and used, from the syntax tree: what hover,
//! definition, references, rename and semantic tokens look up.

use crate::source::Span;
use crate::syntax::ast::{FlowDecl, Ident, Item, JourneyMember};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    Component,
    Tier,
    Group,
    Journey,
}

/// One id as written: its name, where, what it names, and whether it declares it.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub name: String,
    pub span: Span,
    pub namespace: Namespace,
    pub declaration: bool,
}

/// Every id in the tree, in the order written.
pub fn occurrences(items: &[Item]) -> Vec<Occurrence> {
    let mut found = Vec::new();
    collect(items, &mut found);
    found
}

fn collect(items: &[Item], found: &mut Vec<Occurrence>) {
    for item in items {
        match item {
            Item::Tier(container) => {
                found.push(declared(&container.id, Namespace::Tier));
                collect(&container.members, found);
            }
            Item::Group(container) => {
                found.push(declared(&container.id, Namespace::Group));
                collect(&container.members, found);
            }
            Item::Component(component) => {
                found.push(declared(&component.id, Namespace::Component));
            }
            Item::Flow(flow) => endpoints(flow, found),
            Item::Journey(journey) => {
                found.push(declared(&journey.id, Namespace::Journey));
                for member in &journey.members {
                    if let JourneyMember::Step(step) = member {
                        endpoints(step, found);
                    }
                }
            }
            Item::Import(_) | Item::System(_) | Item::Lint(_) => {}
        }
    }
}

fn declared(ident: &Ident, namespace: Namespace) -> Occurrence {
    Occurrence {
        name: ident.name.clone(),
        span: ident.span.clone(),
        namespace,
        declaration: true,
    }
}

/// A flow's endpoints; one written in quotes is an error the model reports, not an id.
fn endpoints(flow: &FlowDecl, found: &mut Vec<Occurrence>) {
    let stages = std::iter::once(&flow.first).chain(flow.hops.iter().map(|(_, stage)| stage));
    for ident in stages.flatten().filter(|ident| !ident.quoted) {
        found.push(Occurrence {
            name: ident.name.clone(),
            span: ident.span.clone(),
            namespace: Namespace::Component,
            declaration: false,
        });
    }
}

/// The occurrence under a cursor: one whose span holds the offset or ends at it (the
/// cursor just after a name).
pub fn at(occurrences: &[Occurrence], offset: usize) -> Option<&Occurrence> {
    occurrences
        .iter()
        .find(|occurrence| occurrence.span.start <= offset && offset <= occurrence.span.end)
}

/// The declaration of the name an occurrence refers to.
pub fn declaration<'a>(occurrences: &'a [Occurrence], name: &str) -> Option<&'a Occurrence> {
    occurrences
        .iter()
        .find(|occurrence| occurrence.declaration && occurrence.name == name)
}
