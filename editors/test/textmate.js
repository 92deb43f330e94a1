#!/usr/bin/env node
// Tokenizes design files with the VS Code TextMate grammar, as VS Code does, and reports
// every non-whitespace character the grammar leaves unmatched (no scope beyond the root
// `source.strata`) or marks invalid (`invalid.illegal.*`). Exit 1 when there is one.
//
// With --scopes, prints each token instead, `LINE:COLUMN TEXT SCOPE` (the innermost scope),
// for a snapshot of what each construct is highlighted as.
//
// Usage: node textmate.js [--scopes] GRAMMAR FILE...   (NODE_PATH must reach
// vscode-textmate and vscode-oniguruma)
'use strict';
const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main() {
  const args = process.argv.slice(2);
  const printScopes = args[0] === '--scopes';
  const [grammarPath, ...files] = printScopes ? args.slice(1) : args;
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.strata');
  let problems = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    let state = textmate.INITIAL;
    text.split(/\r?\n/).forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      for (const token of result.tokens) {
        const piece = line.slice(token.startIndex, token.endIndex);
        const offset = piece.search(/\S/);
        if (offset < 0) continue;
        const scopes = token.scopes.slice(1);
        if (printScopes) {
          console.log(`${index + 1}:${token.startIndex + 1} ${JSON.stringify(piece)} ${scopes[scopes.length - 1] || '-'}`);
        }
        const invalid = scopes.find((scope) => scope.startsWith('invalid.'));
        if (scopes.length === 0 || invalid) {
          problems += 1;
          const why = invalid ? `marked ${invalid}` : 'unmatched';
          console.log(`${file}:${index + 1}:${token.startIndex + offset + 1}: ${why}: ${JSON.stringify(piece.trim())}`);
        }
      }
    });
  }
  if (!printScopes) console.log(`${files.length} files tokenized, ${problems} problems`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
