//! Parser: tokens → syntax tree, with error recovery so one run reports several errors.

use super::ast::*;
use super::lexer::{unescape, Token};
use crate::diagnostics::Diagnostic;
use crate::model::Kind;
use crate::source::Span;
use chumsky::error::{RichPattern, RichReason};
use chumsky::input::ValueInput;
use chumsky::prelude::*;

type Extra<'tok, 'src> = extra::Err<Rich<'tok, Token<'src>, Span>>;

/// Parses balanced tokens (see `delimiters::check`) ending at byte offset `end`.
pub fn parse(tokens: &[(Token<'_>, Span)], end: usize) -> (Vec<Item>, Vec<Diagnostic>) {
    let input = tokens.split_token_span(end..end);
    let (items, errors) = design().parse(input).into_output_errors();
    let items = items.unwrap_or_default();
    let mut diagnostics: Vec<Diagnostic> = errors.into_iter().map(syntax_error).collect();
    diagnostics.extend(misplaced_imports(&items));
    (items, diagnostics)
}

/// Imports come before every other statement, so a reader sees at the top of a file what
/// else its design is made of.
fn misplaced_imports(items: &[Item]) -> impl Iterator<Item = Diagnostic> + '_ {
    let first_other = items
        .iter()
        .position(|item| !matches!(item, Item::Import(_)));
    let after = first_other.map_or(items.len(), |at| at + 1);
    items[after..].iter().filter_map(move |item| {
        let Item::Import(import) = item else {
            return None;
        };
        let first = items[after - 1].span();
        Some(
            Diagnostic::error(
                "E002",
                "an `import` after other statements",
                import.span.clone(),
            )
            .with_label("imports come first in a file")
            .with_related(
                first.start..first.start,
                "the first statement that is not an import",
            )
            .with_help("move the `import` to the top of the file, above every other statement"),
        )
    })
}

fn design<'tok, 'src: 'tok, I>() -> impl Parser<'tok, I, Vec<Item>, Extra<'tok, 'src>>
where
    I: ValueInput<'tok, Token = Token<'src>, Span = Span>,
{
    let ident =
        select! { Token::Ident(name) = e => Ident { name: name.to_string(), span: e.span(), quoted: false } }
            .labelled("a name");
    let string = select! {
        Token::Str(raw) = e => Str { value: unescape(raw), raw: raw.to_string(), span: e.span() }
    }
    .labelled("a string");
    let keyword = |word: &'static str| just(Token::Ident(word)).ignored();

    let properties = property_block(ident, string);
    let value = value_parser(string);
    let lint = keyword("lint")
        .ignore_then(
            choice((ident.map(LintKey::Name), string.map(LintKey::Quoted)))
                .labelled("a rule code, a rule name or an option")
                .then(value.clone())
                .map_with(|(key, value), e| LintSetting {
                    key,
                    value,
                    span: e.span(),
                })
                .then_ignore(just(Token::Semicolon).or_not())
                .repeated()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LBrace), just(Token::RBrace)),
        )
        .map_with(|settings, e| {
            Some(Item::Lint(LintDecl {
                settings,
                span: e.span(),
            }))
        });

    let component = ident
        .then_ignore(just(Token::Colon))
        .then(ident.labelled("a component kind"))
        .then(string.or_not())
        .then(properties.clone().or_not())
        .map_with(|(((id, kind), label), properties), e| {
            Item::Component(ComponentDecl {
                id,
                kind,
                label,
                properties: properties.unwrap_or_default(),
                span: e.span(),
            })
        });

    // `api gateway "API"`: the commonest slip. Keep the component, so flows that use it
    // do not each report an unknown reference, and say what is missing.
    let component_missing_colon = ident
        .then(ident.filter(|kind: &Ident| Kind::from_name(&kind.name).is_some()))
        .then(string.or_not())
        .then(properties.clone().or_not())
        .validate(|(((id, kind), label), properties), e, emitter| {
            emitter.emit(Rich::custom(
                id.span.end..kind.span.start,
                format!(
                    "missing `:` between `{0}` and `{1}`\nexpected `:` here\nwrite `{0}: {1}`",
                    id.name, kind.name
                ),
            ));
            Item::Component(ComponentDecl {
                id,
                kind,
                label,
                properties: properties.unwrap_or_default(),
                span: e.span(),
            })
        });

    // `a -> b : orders`: keep the flow, say the label needs quotes.
    let unquoted_label = ident.validate(|word: Ident, _, emitter| {
        emitter.emit(Rich::custom(
            word.span.clone(),
            format!(
                "unquoted label `{0}`\nlabels are written in double quotes\nwrite `: \"{0}\"`",
                word.name
            ),
        ));
        Str {
            value: word.name.clone(),
            raw: format!("\"{}\"", word.name),
            span: word.span,
        }
    });

    // `a -> "B"`: a target written like a label; the model says which id was meant.
    let quoted_target = string.map(|quoted: Str| Ident {
        name: quoted.value,
        span: quoted.span,
        quoted: true,
    });
    let endpoints = ident
        .separated_by(just(Token::Comma))
        .at_least(1)
        .collect::<Vec<_>>();
    let targets = ident
        .or(quoted_target)
        .labelled("a name")
        .separated_by(just(Token::Comma))
        .at_least(1)
        .collect::<Vec<_>>();
    let arrow =
        select! { Token::SyncArrow => FlowMode::Sync, Token::AsyncArrow => FlowMode::Async };
    let flow = endpoints
        .then(
            // Once an arrow is written its target is due: report it there, keep the flow.
            arrow
                .then(targets.recover_with(via_parser(empty().to(Vec::new()))))
                .repeated()
                .at_least(1)
                .collect::<Vec<_>>(),
        )
        .then(
            just(Token::Colon)
                .ignore_then(string.or(unquoted_label))
                .or_not(),
        )
        .then(properties.clone().or_not())
        .map_with(|(((first, hops), label), properties), e| {
            Item::Flow(FlowDecl {
                first,
                hops,
                label,
                properties: properties.unwrap_or_default(),
                span: e.span(),
            })
        });

    // `journey id "Title" { steps and properties }`: each member is a step if it reads
    // as a flow, else a property; a broken member is skipped up to the next name.
    let journey_member = choice((
        flow.clone().map(|item| match item {
            Item::Flow(step) => Some(JourneyMember::Step(step)),
            _ => None,
        }),
        ident
            .labelled("a property name")
            .then(value.clone())
            .map_with(|(name, value), e| {
                Some(JourneyMember::Property(Property {
                    name,
                    value,
                    span: e.span(),
                }))
            }),
    ))
    .labelled("a step or a property")
    .then_ignore(just(Token::Semicolon).or_not())
    .recover_with(via_parser(skip_to(ident.ignored())));
    let journey = keyword("journey")
        .ignore_then(ident)
        .then(string.or_not())
        .then(
            journey_member
                .repeated()
                .collect::<Vec<_>>()
                .then(just(Token::RBrace).map_with(|_, e| e.span()))
                .delimited_by(just(Token::LBrace), empty()),
        )
        .map_with(|((id, title), (members, close)), e| {
            Some(Item::Journey(JourneyDecl {
                id,
                title,
                members: members.into_iter().flatten().collect(),
                span: e.span(),
                close,
            }))
        });

    // Where an item plausibly starts: recovery skips to the next one of these.
    let item_start = choice((
        keyword("import")
            .then(select! { Token::Str(_) => () })
            .ignored(),
        choice((
            keyword("system"),
            keyword("tier"),
            keyword("group"),
            keyword("journey"),
        ))
        .then(select! { Token::Ident(_) => (), Token::Str(_) => () })
        .ignored(),
        keyword("lint").then(just(Token::LBrace)).ignored(),
        ident
            .then(one_of([
                Token::Colon,
                Token::Comma,
                Token::SyncArrow,
                Token::AsyncArrow,
            ]))
            .ignored(),
    ));

    let member = recursive(|member| {
        let group = keyword("group")
            .ignore_then(ident)
            .then(string.or_not())
            .then(block_of(member.clone()))
            .map_with(|((id, title), (members, close)), e| {
                Some(group_item(id, title, members, close, e.span()))
            });
        // A tier inside a tier or a group: say tiers do not nest, and keep it as the group
        // it can be, so its members are declared and flows to them resolve.
        let nested_tier = keyword("tier")
            .map_with(|_, e| e.span())
            .then(ident)
            .then(string.or_not())
            .then(block_of(member))
            .validate(|(((keyword, id), title), (members, close)), e, emitter| {
                emitter.emit(Rich::custom(
                    keyword,
                    format!(
                        "tiers cannot nest: `{0}` is inside a tier or a group\n\
                         a tier is a top-level layer of the design\n\
                         group components inside a tier with `group {0} {{ … }}`, or move \
                         tier `{0}` to the top level",
                        id.name
                    ),
                ));
                Some(group_item(id, title, members, close, e.span()))
            });
        choice((
            group,
            nested_tier,
            component.clone().map(Some),
            flow.clone().map(Some),
            component_missing_colon.clone().map(Some),
        ))
        .labelled(ITEM)
        .then_ignore(just(Token::Semicolon).or_not())
        .recover_with(via_parser(skip_to(item_start)))
    });

    let tier = keyword("tier")
        .ignore_then(ident)
        .then(string.or_not())
        .then(block_of(member.clone()))
        .map_with(|((id, title), (members, close)), e| {
            Some(Item::Tier(Container {
                id,
                title,
                members,
                span: e.span(),
                close,
            }))
        });

    let import = keyword("import")
        .ignore_then(string.labelled("the imported file's path in quotes"))
        .map_with(|path, e| {
            Some(Item::Import(ImportDecl {
                path,
                span: e.span(),
            }))
        });

    let system = keyword("system")
        .ignore_then(string.labelled("the system's name in quotes"))
        .then(properties.or_not())
        .map_with(|(name, properties), e| {
            Some(Item::System(SystemDecl {
                name,
                properties: properties.unwrap_or_default(),
                span: e.span(),
            }))
        });

    // Most top-level statements are flows: trying them first spares failed alternatives.
    let top_level_flow = flow.map(Some).then_ignore(just(Token::Semicolon).or_not());
    choice((
        top_level_flow,
        import.then_ignore(just(Token::Semicolon).or_not()),
        system.then_ignore(just(Token::Semicolon).or_not()),
        lint,
        journey,
        tier,
        member,
    ))
    .labelled("a component, a flow, a tier, a group, a journey or an import")
    .recover_with(via_parser(skip_to(item_start)))
    .repeated()
    .collect::<Vec<_>>()
    .then_ignore(end())
    .map(|items| items.into_iter().flatten().collect())
}

/// `{ member* }` of a tier or group: the members and the closing brace's span.
fn block_of<'tok, 'src: 'tok, I>(
    member: impl Parser<'tok, I, Option<Item>, Extra<'tok, 'src>> + Clone,
) -> impl Parser<'tok, I, (Vec<Item>, Span), Extra<'tok, 'src>> + Clone
where
    I: ValueInput<'tok, Token = Token<'src>, Span = Span>,
{
    member
        .repeated()
        .collect::<Vec<_>>()
        .then(just(Token::RBrace).map_with(|_, e| e.span()))
        .delimited_by(just(Token::LBrace), empty())
        .map(|(members, close)| (members.into_iter().flatten().collect(), close))
}

/// Recovery: skips at least one token, whole blocks at a time, and stops before `next`
/// or a closing brace. Produces `None`: the broken part is left out of the tree.
fn skip_to<'tok, 'src: 'tok, I, O>(
    next: impl Parser<'tok, I, (), Extra<'tok, 'src>> + Clone,
) -> impl Parser<'tok, I, Option<O>, Extra<'tok, 'src>> + Clone
where
    I: ValueInput<'tok, Token = Token<'src>, Span = Span>,
{
    let unit = choice((
        nested_delimiters(
            Token::LBrace,
            Token::RBrace,
            [(Token::LBracket, Token::RBracket)],
            |_| (),
        ),
        any()
            .and_is(none_of([Token::LBrace, Token::RBrace]))
            .ignored(),
    ));
    unit.clone()
        .then(unit.and_is(next.not()).repeated())
        .map(|_| None)
}

/// `{ name value; ... }`, recovering property by property.
fn property_block<'tok, 'src: 'tok, I>(
    ident: impl Parser<'tok, I, Ident, Extra<'tok, 'src>> + Clone,
    string: impl Parser<'tok, I, Str, Extra<'tok, 'src>> + Clone,
) -> impl Parser<'tok, I, Vec<Property>, Extra<'tok, 'src>> + Clone
where
    I: ValueInput<'tok, Token = Token<'src>, Span = Span>,
{
    let value = value_parser(string);
    let property = ident
        .clone()
        .labelled("a property name")
        .then(value)
        .map_with(|(name, value), e| {
            Some(Property {
                name,
                value,
                span: e.span(),
            })
        })
        .then_ignore(just(Token::Semicolon).or_not());
    property
        .recover_with(via_parser(skip_to(ident.ignored())))
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace))
        .map(|properties| properties.into_iter().flatten().collect())
}

/// What the parser expects where a statement starts, in its messages.
const ITEM: &str = "a component, a group or a flow";

fn syntax_error(error: Rich<'_, Token<'_>, Span>) -> Diagnostic {
    // Custom errors come from targeted recoveries as "message\nlabel\nhelp".
    if let RichReason::Custom(text) = error.reason() {
        let mut parts = text.splitn(3, '\n');
        let message = parts.next().unwrap_or_default();
        return Diagnostic::error("E002", message, error.span().clone())
            .with_label(parts.next().unwrap_or_default())
            .with_help(parts.next().unwrap_or_default());
    }
    let found = match error.found() {
        // "a string" reads "unexpected string", but "`}`" stays as it is.
        Some(token) => format!(
            "unexpected {}",
            token
                .to_string()
                .trim_start_matches("a ")
                .trim_start_matches("an ")
        ),
        None => "unexpected end of file".to_string(),
    };
    let mut expected: Vec<String> = error
        .expected()
        .filter_map(|pattern| match pattern {
            RichPattern::Token(token) => Some(token.to_string()),
            RichPattern::Label(label) => Some(label.to_string()),
            RichPattern::Identifier(word) => Some(format!("`{word}`")),
            RichPattern::EndOfInput => Some("end of file".to_string()),
            _ => None,
        })
        .collect();
    expected.sort();
    expected.dedup();
    // A name is how a component or a flow starts: saying both reads as two things.
    if expected.iter().any(|e| e == ITEM) {
        expected.retain(|e| e != "a name");
    }
    let found_a_name = matches!(error.found(), Some(Token::Ident(_)));
    let help = if found_a_name && expected.iter().any(|e| e == "a string") {
        "labels, titles and the system's name are written in double quotes: `\"Web App\"`"
    } else if found_a_name && expected.iter().any(|e| e == "`:`") {
        "a component is declared `id: kind \"Label\"`: is the `:` after the id missing?"
    } else if matches!(error.found(), Some(Token::BadNumber(_)))
        && expected.iter().any(|e| e == "a name" || e == ITEM)
    {
        "ids start with a letter or `_`, then letters, digits and `_`: e.g. `view_3d`"
    } else {
        "components are `id: kind \"Label\" { property value }`, flows are `a -> b : \"label\"`, \
         tiers are `tier id \"Title\" { ... }`"
    };
    let label = match expected.as_slice() {
        [] => "not expected here".to_string(),
        [only] => format!("expected {only}"),
        [init @ .., last] => format!("expected {} or {last}", init.join(", ")),
    };
    Diagnostic::error("E002", found, error.span().clone())
        .with_label(label)
        .with_help(help)
}

/// A property value: a scalar or a `[list]` of scalars.
fn value_parser<'tok, 'src: 'tok, I>(
    string: impl Parser<'tok, I, Str, Extra<'tok, 'src>> + Clone,
) -> impl Parser<'tok, I, Value, Extra<'tok, 'src>> + Clone
where
    I: ValueInput<'tok, Token = Token<'src>, Span = Span>,
{
    let scalar = choice((
        string.map(ValueKind::Str),
        select! {
            Token::Number(text) => ValueKind::Number(text.to_string()),
            Token::Percent(text) => ValueKind::Percent(text.to_string()),
            Token::Duration(text) => ValueKind::Duration(text.to_string()),
            Token::Quantity(text) => ValueKind::Quantity(text.to_string()),
            Token::BadNumber(text) => ValueKind::BadNumber(text.to_string()),
            Token::Ident(text) => ValueKind::Ident(text.to_string()),
        },
    ))
    .map_with(|kind, e| Value {
        kind,
        span: e.span(),
    })
    .labelled("a value");
    let list = scalar
        .clone()
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBracket), just(Token::RBracket))
        .map_with(|values, e| Value {
            kind: ValueKind::List(values),
            span: e.span(),
        });
    list.or(scalar)
}

/// A group of members, as written with `group` (or with a misplaced `tier`).
fn group_item(id: Ident, title: Option<Str>, members: Vec<Item>, close: Span, span: Span) -> Item {
    Item::Group(Container {
        id,
        title,
        members,
        span,
        close,
    })
}
