// Starts `strata lsp` for .strata files. Plain JavaScript, so the folder works as it is
// (after `npm install`): no build step.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('strata').get('path', 'strata');
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'strata',
    'strata',
    { run: server, debug: server },
    { documentSelector: [{ scheme: 'file', language: 'strata' }, { scheme: 'untitled', language: 'strata' }] },
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('strata.path')) {
        vscode.window.showInformationMessage('strata: reload the window to use the new strata.path');
      }
    }),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
