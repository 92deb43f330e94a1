"""strata lsp driven out of process over stdio, as an editor drives it (pytest-lsp).

Run by tests/lsp_e2e.rs, which passes the binary in STRATA_BIN."""

import json
import os
import pathlib
import re
import subprocess

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "ecommerce.strata"
URI = TEMPLATE.as_uri()
TEXT = TEMPLATE.read_text(encoding="utf-8")
STRATA = os.environ["STRATA_BIN"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[STRATA, "lsp"]))
async def client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    capabilities = result.capabilities
    assert capabilities.hover_provider
    assert capabilities.completion_provider is not None
    assert capabilities.rename_provider is not None
    yield
    await lsp_client.shutdown_session()
    assert lsp_client._server.returncode == 0


def position(text: str, offset: int) -> types.Position:
    before = text[:offset]
    line = before.count("\n")
    column = len(before.rsplit("\n", 1)[-1].encode("utf-16-le")) // 2
    return types.Position(line=line, character=column)


async def change(client: LanguageClient, version: int, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[URI])


async def test_an_editor_session(client: LanguageClient):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=URI, language_id="strata", version=1, text=TEXT
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[URI]) == [], "every template lints clean"

    broken = await change(client, 2, TEXT + "\nshoppers -> api_gatewy\n")
    assert [d.code for d in broken] == ["E101"]
    assert "did you mean `api_gateway`?" in broken[0].message
    assert await change(client, 3, TEXT) == []

    declaration = re.search(r"^  (api_gateway): (gateway)", TEXT, re.M)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position(TEXT, declaration.start(1)),
        )
    )
    assert "**api_gateway**: `gateway`" in hover.contents.value
    assert "single point of failure" in hover.contents.value

    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position(TEXT, declaration.start(2)),
        )
    )
    labels = [item.label for item in completion]
    assert "gateway" in labels and "service" in labels and "load_balancer" in labels

    use = re.search(r"-> (api_gateway)\b", TEXT)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position(TEXT, use.start(1)),
        )
    )
    assert definition.range.start == position(TEXT, declaration.start(1))

    renamed = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position(TEXT, use.start(1)),
            new_name="front_door",
        )
    )
    edits = renamed.changes[URI]
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position(TEXT, use.start(1)),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert len(edits) > 2
    assert [edit.range for edit in edits] == [location.range for location in references]
    assert all(edit.new_text == "front_door" for edit in edits)

    formatted = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert list(formatted) == [], "templates are formatted"
    messy = "web:client\napi :  service{replicas 2}\nweb->api\n"
    await change(client, 4, messy)
    formatted = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    expected = subprocess.run(
        [STRATA, "fmt", "-"], input=messy, capture_output=True, text=True, check=True
    ).stdout
    assert [edit.new_text for edit in formatted] == [expected]


def frame(body: str) -> bytes:
    data = body.encode()
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def read_frames(output: bytes) -> list:
    frames = []
    while output:
        header, _, rest = output.partition(b"\r\n\r\n")
        length = int(header.split(b":")[1])
        frames.append(json.loads(rest[:length]))
        output = rest[length:]
    return frames


def test_a_malformed_message_gets_an_error_and_the_server_goes_on():
    messages = [
        frame("{this is not json"),
        frame(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})),
        frame(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "no/such/method"})),
        frame(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})),
        frame(json.dumps({"jsonrpc": "2.0", "method": "exit"})),
    ]
    done = subprocess.run(
        [STRATA, "lsp"], input=b"".join(messages), capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    replies = read_frames(done.stdout)
    assert replies[0]["id"] is None and replies[0]["error"]["code"] == -32700
    assert replies[1]["id"] == 1 and "capabilities" in replies[1]["result"]
    assert replies[2]["error"]["code"] == -32601
    assert replies[3] == {"jsonrpc": "2.0", "id": 3, "result": None}
