/**
 * @file The strata design language, as grammar/strata.ebnf and src/syntax/lexer.rs define it.
 * @license MIT
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const NUMBER = /-?[0-9][0-9_]*(\.[0-9]+)?/;

/** `rule` one or more times, separated by `,`. */
function commaSeparated(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

/** A block's statements: each may end with `;`. */
function statements(rule) {
  return repeat(seq(rule, optional(';')));
}

module.exports = grammar({
  name: 'strata',

  // A byte-order mark at the start of a file is ignored, as the lexer does.
  extras: ($) => [/\s/, /\uFEFF/, $.comment],

  // "import", "system", "lint", "journey", "tier" and "group" are keywords only where an item
  // starts: elsewhere the lexer reads them as identifiers.
  word: ($) => $.identifier,

  rules: {
    design: ($) => seq(statements($.import), statements($._item)),

    import: ($) => seq('import', field('path', $.string)),

    _item: ($) => choice($.system, $.lint, $.journey, $.tier, $.group, $.component, $.flow),

    system: ($) => seq('system', field('title', $.string), optional($.properties)),

    tier: ($) => seq('tier', $._block),

    group: ($) => seq('group', $._block),

    _block: ($) => seq(
      field('name', $.identifier),
      optional(field('title', $.string)),
      field('body', $.body),
    ),

    body: ($) => seq('{', statements(choice($.group, $.component, $.flow)), '}'),

    component: ($) => seq(
      field('name', $.identifier),
      ':',
      field('kind', alias($.identifier, $.kind)),
      optional(field('title', $.string)),
      optional($.properties),
    ),

    flow: ($) => seq(
      $._path,
      optional(seq(':', field('label', $.string))),
      optional($.properties),
    ),

    _path: ($) => seq($.endpoints, repeat1(seq($._arrow, alias($._targets, $.endpoints)))),

    endpoints: ($) => commaSeparated($.identifier),

    // A quoted target is no id, but the parser reads it so that the checker can say so.
    _targets: ($) => commaSeparated(choice($.identifier, $.string)),

    _arrow: ($) => choice($.sync_arrow, $.async_arrow),
    sync_arrow: (_) => '->',
    async_arrow: (_) => '~>',

    properties: ($) => seq('{', statements($.property), '}'),

    property: ($) => seq(field('name', alias($.identifier, $.property_name)), field('value', $._value)),

    _value: ($) => choice($.string, $.number, $.percent, $.duration, $.quantity, alias($.identifier, $.name), $.list),

    list: ($) => seq('[', optional(seq(commaSeparated($._value), optional(','))), ']'),

    journey: ($) => seq(
      'journey',
      field('name', $.identifier),
      optional(field('title', $.string)),
      '{',
      statements(choice($.step, $.property)),
      '}',
    ),

    // Each arrow between two ids must be a declared flow of that arrow, and a step has no
    // label or properties: the checker's job, as the parser reads them.
    step: ($) => seq(
      $._path,
      optional(seq(':', field('label', $.string))),
      optional($.properties),
    ),

    lint: ($) => seq('lint', '{', statements($.lint_setting), '}'),

    lint_setting: ($) => seq(
      field('rule', choice(alias($.identifier, $.rule), $.string)),
      field('value', $._value),
    ),

    identifier: (_) => /[A-Za-z_][A-Za-z0-9_]*/,

    string: ($) => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      token.immediate('"'),
    ),
    string_content: (_) => token.immediate(prec(1, /[^"\\\n]+/)),
    escape_sequence: (_) => token.immediate(/\\["\\nt]/),

    number: (_) => NUMBER,
    percent: (_) => token(seq(NUMBER, '%')),
    duration: (_) => token(seq(NUMBER, choice('ms', 's', 'm', 'h', 'd'))),
    quantity: (_) => token(seq(NUMBER, choice('rps', 'B', 'KB', 'MB', 'GB', 'TB', 'PB'))),

    comment: (_) => token(seq(choice('#', '//'), /[^\n]*/)),
  },
});
