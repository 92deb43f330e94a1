//! `strata lsp`: a language server over stdio, built on rust-analyzer's `lsp-server`
//! (messages and the connection) and `lsp-types` (the protocol's types). Every request
//! is answered from the open design's [`Document`], the pipeline's output for its latest
//! text; one file per feature.

mod actions;
mod completion;
mod diagnostics;
mod document;
mod folding;
mod formatting;
mod hover;
mod names;
mod navigation;
pub mod position;
mod semantic_tokens;
mod symbols;
mod transport;

pub use diagnostics::RuleDocs;
pub use document::Document;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, PrepareRenameRequest, References, Rename, Request as _,
    SemanticTokensFullRequest,
};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CompletionOptions, CompletionParams,
    DocumentFormattingParams, DocumentSymbolParams, DocumentSymbolResponse, FoldingRangeParams,
    FoldingRangeProviderCapability, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensParams, SemanticTokensResult, SemanticTokensServerCapabilities,
};
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    InitializeParams, InitializeResult, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, HoverParams, HoverProviderCapability, OneOf,
    ReferenceParams, RenameOptions, RenameParams, TextDocumentPositionParams,
    WorkDoneProgressOptions,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Serves LSP on standard input and output until the client says `exit` or goes away;
/// whether the client asked for `shutdown` first (the exit status LSP asks for: 0 if so,
/// else 1).
pub fn run_stdio() -> bool {
    let (connection, threads) = transport::stdio();
    let shut_down = serve(&connection);
    drop(connection);
    threads.join();
    shut_down
}

/// Answers messages from a connection until `exit` or the end of its messages; whether
/// `shutdown` came before the end.
pub fn serve(connection: &Connection) -> bool {
    let mut server = Server::default();
    for message in &connection.receiver {
        for reply in server.handle(message) {
            if connection.sender.send(reply).is_err() {
                return server.shut_down;
            }
        }
        if server.state == State::Exited {
            break;
        }
    }
    server.shut_down
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Uninitialized,
    Running,
    ShutDown,
    Exited,
}

/// The server's state: the open designs, by URI.
#[derive(Default)]
pub struct Server {
    documents: HashMap<String, Document>,
    rule_docs: RuleDocs,
    state: State,
    /// `shutdown` was asked for.
    shut_down: bool,
}

/// Why a request gets no result: a JSON-RPC error code and a message for the user.
pub struct Refusal {
    code: ErrorCode,
    message: String,
}

impl Refusal {
    fn failed(message: impl Into<String>) -> Self {
        Refusal {
            code: ErrorCode::RequestFailed,
            message: message.into(),
        }
    }
}

type Answer<R> = Result<R, Refusal>;

impl Server {
    /// Handles one message: the messages to send back (a response to a request, the
    /// diagnostics a change publishes). Never panics: a failure in a feature is an error
    /// response, and the server goes on.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let response = catch_unwind(AssertUnwindSafe(|| self.respond(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            format!("strata failed while answering {method}; the server goes on"),
                        )
                    });
                vec![Message::Response(response)]
            }
            Message::Notification(notification) => {
                catch_unwind(AssertUnwindSafe(|| self.notify(notification))).unwrap_or_default()
            }
            // The server sends no requests, so it expects no responses.
            Message::Response(_) => Vec::new(),
        }
    }

    fn respond(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match (self.state, request.method.as_str()) {
            (State::Uninitialized, "initialize") => {
                let response = self.answer(request, Server::initialize);
                if response.response_result.is_ok() {
                    self.state = State::Running;
                }
                response
            }
            (State::Uninitialized, _) => error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".into(),
            ),
            (_, "initialize") => error(
                id,
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            ),
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                self.shut_down = true;
                Response::new_ok(id, ())
            }
            (State::Running, _) => self.dispatch(request),
            (_, method) => error(
                id,
                ErrorCode::InvalidRequest,
                format!("the server is shut down; {method} is not answered"),
            ),
        }
    }

    fn dispatch(&mut self, request: Request) -> Response {
        match request.method.as_str() {
            HoverRequest::METHOD => self.answer(request, |server, params: HoverParams| {
                let (document, offset) = server.at(&params.text_document_position_params)?;
                Ok(hover::hover(document, offset))
            }),
            GotoDefinition::METHOD => {
                self.answer(request, |server, params: GotoDefinitionParams| {
                    let at = &params.text_document_position_params;
                    let (document, offset) = server.at(at)?;
                    let uri = &at.text_document.uri;
                    Ok(navigation::definition(uri, document, offset)
                        .map(GotoDefinitionResponse::Scalar))
                })
            }
            References::METHOD => self.answer(request, |server, params: ReferenceParams| {
                let at = &params.text_document_position;
                let (document, offset) = server.at(at)?;
                let include = params.context.include_declaration;
                Ok(navigation::references(
                    &at.text_document.uri,
                    document,
                    offset,
                    include,
                ))
            }),
            PrepareRenameRequest::METHOD => {
                self.answer(request, |server, params: TextDocumentPositionParams| {
                    let (document, offset) = server.at(&params)?;
                    Ok(navigation::prepare_rename(document, offset))
                })
            }
            Rename::METHOD => self.answer(request, |server, params: RenameParams| {
                let at = &params.text_document_position;
                let (document, offset) = server.at(at)?;
                navigation::rename(&at.text_document.uri, document, offset, &params.new_name)
            }),
            Completion::METHOD => self.answer(request, |server, params: CompletionParams| {
                let (document, offset) = server.at(&params.text_document_position)?;
                Ok(completion::complete(document, offset))
            }),
            DocumentSymbolRequest::METHOD => {
                self.answer(request, |server, params: DocumentSymbolParams| {
                    let document = server.document(&params.text_document.uri)?;
                    Ok(DocumentSymbolResponse::Nested(symbols::symbols(document)))
                })
            }
            Formatting::METHOD => {
                self.answer(request, |server, params: DocumentFormattingParams| {
                    formatting::format(server.document(&params.text_document.uri)?)
                })
            }
            FoldingRangeRequest::METHOD => {
                self.answer(request, |server, params: FoldingRangeParams| {
                    Ok(folding::folding(
                        server.document(&params.text_document.uri)?,
                    ))
                })
            }
            SemanticTokensFullRequest::METHOD => {
                self.answer(request, |server, params: SemanticTokensParams| {
                    let document = server.document(&params.text_document.uri)?;
                    Ok(SemanticTokensResult::Tokens(semantic_tokens::tokens(
                        document,
                    )))
                })
            }
            CodeActionRequest::METHOD => {
                self.answer(request, |server, params: CodeActionParams| {
                    let uri = &params.text_document.uri;
                    let document = server.document(uri)?;
                    let span = position::span(&document.source, params.range);
                    Ok(actions::actions(uri, document, &span))
                })
            }
            method => error(
                request.id,
                ErrorCode::MethodNotFound,
                format!("strata does not answer {method}"),
            ),
        }
    }

    /// Answers a request with a handler of its parameters, or says why the parameters
    /// are not what the method takes.
    fn answer<P: DeserializeOwned, R: Serialize>(
        &mut self,
        request: Request,
        handler: impl FnOnce(&mut Self, P) -> Answer<R>,
    ) -> Response {
        let params = match serde_json::from_value::<P>(request.params) {
            Ok(params) => params,
            Err(problem) => {
                return error(
                    request.id,
                    ErrorCode::InvalidParams,
                    format!("invalid parameters for {}: {problem}", request.method),
                )
            }
        };
        match handler(self, params) {
            Ok(result) => Response::new_ok(request.id, result),
            Err(refusal) => error(request.id, refusal.code, refusal.message),
        }
    }

    fn initialize(&mut self, params: InitializeParams) -> Answer<InitializeResult> {
        let base = params
            .initialization_options
            .as_ref()
            .and_then(|options| options.get("ruleDocs"))
            .and_then(|base| base.as_str());
        if let Some(base) = base {
            self.rule_docs.base = base.to_string();
        }
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "strata".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    fn notify(&mut self, notification: Notification) -> Vec<Message> {
        if notification.method == "exit" {
            self.state = State::Exited;
            return Vec::new();
        }
        if self.state != State::Running {
            return Vec::new();
        }
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                self.on(notification, |server, params: DidOpenTextDocumentParams| {
                    let document = params.text_document;
                    server.open(&document.uri, document.text, document.version)
                })
            }
            DidChangeTextDocument::METHOD => self.on(
                notification,
                |server, params: DidChangeTextDocumentParams| server.change(params),
            ),
            DidCloseTextDocument::METHOD => self.on(
                notification,
                |server, params: DidCloseTextDocumentParams| {
                    let uri = params.text_document.uri;
                    server.documents.remove(uri.as_str());
                    let cleared = PublishDiagnosticsParams::new(uri, Vec::new(), None);
                    vec![publish_notification(cleared)]
                },
            ),
            // Saves, configuration changes, cancellations and traces change nothing here.
            _ => Vec::new(),
        }
    }

    /// Handles a notification with well-formed parameters; notifications get no
    /// response, so malformed ones are dropped, as the protocol asks.
    fn on<P: DeserializeOwned>(
        &mut self,
        notification: Notification,
        handler: impl FnOnce(&mut Self, P) -> Vec<Message>,
    ) -> Vec<Message> {
        match serde_json::from_value::<P>(notification.params) {
            Ok(params) => handler(self, params),
            Err(_) => Vec::new(),
        }
    }

    /// Takes a document's text, runs the pipeline on it, and publishes its diagnostics.
    pub fn open(&mut self, uri: &Uri, text: String, version: i32) -> Vec<Message> {
        let open = |path: &Path| {
            (self.documents.iter())
                .find(|(uri, _)| document::file_path(uri).is_some_and(|open| open == path))
                .map(|(_, document)| document.source.text.clone())
        };
        let document = Document::new(uri.as_str(), text, version, &open);
        let published = diagnostics::publish(uri, &document, &self.rule_docs);
        self.documents.insert(uri.as_str().to_string(), document);
        vec![publish_notification(published)]
    }

    fn change(&mut self, params: DidChangeTextDocumentParams) -> Vec<Message> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let mut text = document.source.text.clone();
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    // Ranges are positions in the text as changed so far.
                    let source = crate::source::Source::new("", text);
                    let span = position::span(&source, range);
                    text = source.text;
                    text.replace_range(span, &change.text);
                }
                None => text = change.text,
            }
        }
        self.open(&uri, text, params.text_document.version)
    }

    /// The open document at a URI.
    fn document(&self, uri: &Uri) -> Answer<&Document> {
        self.documents.get(uri.as_str()).ok_or_else(|| Refusal {
            code: ErrorCode::InvalidParams,
            message: format!("{} is not open", uri.as_str()),
        })
    }

    /// The open document a position is in, and the position as a byte offset.
    fn at(&self, at: &TextDocumentPositionParams) -> Answer<(&Document, usize)> {
        let document = self.document(&at.text_document.uri)?;
        Ok((document, position::offset(&document.source, at.position)))
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", ">", ",", "{", " "].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Response {
    Response::new_err(id, code as i32, message)
}

fn publish_notification(params: PublishDiagnosticsParams) -> Message {
    Message::Notification(Notification::new(PublishDiagnostics::METHOD.into(), params))
}
