//! The front end never panics: random text, random token soup, and mutations of real
//! designs all come back as a result with diagnostics.

use proptest::prelude::*;
use strata::source::Source;

const TEMPLATE: &str = include_str!("../templates/ecommerce.strata");
const FRAGMENTS: [&str; 30] = [
    "tier", "group", "system", "a", "b", ":", "->", "~>", ",", ";", "{", "}", "[", "]", "\"x\"",
    "\"", "1", "-1", "99%", "5ms", "#c\n", "\n", "service", "@", "=>", "1e5", "0x1F", "2min",
    "\u{FEFF}", "\u{1b}",
];

fn check_does_not_panic(text: &str) {
    let source = Source::new("fuzz", text);
    let checked = strata::check(&source);
    for diagnostic in &checked.diagnostics {
        let span = &diagnostic.primary.span;
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "span out of the file"
        );
        diagnostic.render(&source, false);
    }
    if !checked.parsed.has_errors() {
        strata::syntax::format::format(text, &checked.parsed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text(text in "\\PC{0,200}") {
        check_does_not_panic(&text);
    }

    #[test]
    fn random_token_soup(parts in prop::collection::vec(prop::sample::select(&FRAGMENTS[..]), 0..80)) {
        check_does_not_panic(&parts.join(" "));
    }

    #[test]
    fn mutated_template(cuts in prop::collection::vec((0usize..TEMPLATE.len(), 0usize..40, prop::sample::select(&FRAGMENTS[..])), 1..6)) {
        let mut text = TEMPLATE.to_string();
        for (at, length, insert) in cuts {
            let mut start = at.min(text.len());
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + length).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end, insert);
        }
        check_does_not_panic(&text);
    }
}

#[test]
fn a_fifty_megabyte_design_is_handled() {
    let mut text = String::with_capacity(52 << 20);
    let mut index = 0;
    while text.len() < 50 << 20 {
        text.push_str(&format!(
            "component_{index}: service \"Service {index}\" {{ replicas 2 }}\n"
        ));
        index += 1;
    }
    let checked = strata::check(&Source::new("big", text));
    assert!(checked.diagnostics.is_empty());
    assert_eq!(checked.design.components.len(), index);
}
