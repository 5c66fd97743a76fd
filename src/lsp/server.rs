//! The message loop: reads what the editor sends, keeps the open documents, calls the pure
//! handlers and sends their answers. It stays thin: no feature logic lives here.
//!
//! Edits coalesce. Every message already waiting is read before any diagnostics are computed,
//! text changes are applied as they come (they are cheap), and each changed document is linted
//! once, at its latest version, after the batch. A thousand rapid `didChange` notifications
//! therefore cost one lint, not a thousand. A handler that panics (a bug) fails its one request
//! or its one document's diagnostics; the server keeps running.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexSet;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeConfiguration, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    Request as _, Shutdown,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, CompletionResponse, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse,
    HoverParams, HoverProviderCapability, InitializeParams, OneOf, PublishDiagnosticsParams,
    SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use super::analysis::{Analysis, analyse};
use super::document::Document;
use super::handlers::diagnostics::{self, RuleDocs};
use super::handlers::{code_action, completion, definition, hover, settings};
use crate::config::{Loader, Overrides};
use crate::lint::LintOptions;

/// What the server knows between messages.
struct State {
    connection: Connection,
    incoming: std::sync::mpsc::Receiver<Message>,
    docs: HashMap<String, Document>,
    overrides: Overrides,
    loader: Loader,
    /// Lint options by directory; cleared when settings or a saved file may change them.
    options: HashMap<PathBuf, Result<Arc<LintOptions>, String>>,
    rule_docs: RuleDocs,
    shutdown: bool,
}

/// The capabilities this server announces.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "(".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// Serves one client over `connection` until it says `exit` or hangs up. `Ok(true)` when the
/// client asked for shutdown first (a clean exit).
pub fn serve(connection: Connection, rule_docs: RuleDocs) -> Result<bool, String> {
    let init = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "jenkinsfile".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, init)
        .map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    // lsp-server hands messages over one at a time (a rendezvous channel); a queue of our own
    // lets the loop see every message already sent, which is what coalescing needs.
    let (queue, incoming) = std::sync::mpsc::channel();
    let receiver = connection.receiver.clone();
    std::thread::spawn(move || {
        for message in receiver {
            if queue.send(message).is_err() {
                break;
            }
        }
    });
    let mut state = State {
        connection,
        incoming,
        docs: HashMap::new(),
        overrides: Overrides::default(),
        loader: Loader::from_env(),
        options: HashMap::new(),
        rule_docs,
        shutdown: false,
    };
    if let Some(options) = &params.initialization_options {
        state.configure(options);
    }
    state.run()
}

impl State {
    fn run(&mut self) -> Result<bool, String> {
        loop {
            let Ok(first) = self.incoming.recv() else {
                return Ok(self.shutdown);
            };
            let mut batch = vec![first];
            batch.extend(self.incoming.try_iter());
            let mut dirty: IndexSet<String> = IndexSet::new();
            for message in batch {
                match message {
                    Message::Request(req) => self.request(req, &mut dirty),
                    Message::Notification(n) if n.method == "exit" => return Ok(self.shutdown),
                    Message::Notification(n) => self.notification(n, &mut dirty),
                    Message::Response(_) => {}
                }
            }
            for uri in dirty {
                self.publish(&uri);
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // The client is gone when this fails; the next `recv` ends the loop.
        let _ = self.connection.sender.send(message.into());
    }

    fn notification(&mut self, n: Notification, dirty: &mut IndexSet<String>) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD) {
                    let d = p.text_document;
                    let key = d.uri.as_str().to_owned();
                    let doc = Document::new(d.uri, d.version, d.language_id, d.text);
                    if doc.is_jenkinsfile() {
                        self.docs.insert(key.clone(), doc);
                        dirty.insert(key);
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    if let Some(doc) = self.docs.get_mut(&key) {
                        doc.apply(p.text_document.version, p.content_changes);
                        dirty.insert(key);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    dirty.shift_remove(&key);
                    if self.docs.remove(&key).is_some() {
                        self.send_diagnostics(p.text_document.uri, Vec::new(), None);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                // A saved `.jenkinsfile/config.toml` or library file may change the options.
                self.options.clear();
                self.invalidate_all(dirty);
            }
            DidChangeConfiguration::METHOD => {
                if let Ok(p) =
                    n.extract::<DidChangeConfigurationParams>(DidChangeConfiguration::METHOD)
                {
                    self.configure(&p.settings);
                    self.invalidate_all(dirty);
                }
            }
            _ => {}
        }
    }

    /// Forgets every analysis (the options may have changed) and marks every document dirty.
    fn invalidate_all(&mut self, dirty: &mut IndexSet<String>) {
        for (key, doc) in &mut self.docs {
            doc.invalidate();
            dirty.insert(key.clone());
        }
    }

    /// Applies the client's settings; a bad one is shown in every document.
    fn configure(&mut self, value: &Value) {
        self.options.clear();
        match settings::from_json(value) {
            Ok(overrides) => self.overrides = overrides,
            Err(message) => {
                self.overrides = Overrides::default();
                self.send(Notification::new(
                    "window/showMessage".into(),
                    serde_json::json!({"type": 1, "message": message}),
                ));
            }
        }
    }

    fn lint_options(&mut self, doc: &Document) -> Result<Arc<LintOptions>, String> {
        let dir = doc
            .path()
            .and_then(|p| p.parent().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."));
        let (loader, overrides) = (&self.loader, &self.overrides);
        self.options
            .entry(dir)
            .or_insert_with_key(|dir| settings::lint_options(loader, dir, overrides).map(Arc::new))
            .clone()
    }

    /// The analysis of a document's current version, made now if it has not been; a document
    /// whose configuration is unusable, or whose analysis panicked, gets one note instead.
    fn analysis(&mut self, key: &str) -> Option<Arc<Analysis>> {
        let doc = self.docs.get(key)?;
        if let Some(done) = &doc.analysis {
            return Some(Arc::clone(done));
        }
        let doc = doc.clone();
        let analysis = match self.lint_options(&doc) {
            Ok(options) => catch_unwind(AssertUnwindSafe(|| analyse(&doc, &options)))
                .unwrap_or_else(|_| Analysis {
                    version: doc.version,
                    note: Some(diagnostics::config_error(
                        "internal error: lint panicked on this document",
                    )),
                    ..Analysis::default()
                }),
            Err(message) => Analysis {
                version: doc.version,
                note: Some(diagnostics::config_error(&message)),
                ..Analysis::default()
            },
        };
        let doc = self.docs.get_mut(key)?;
        doc.set_analysis(analysis);
        doc.analysis.clone()
    }

    fn publish(&mut self, key: &str) {
        let Some(analysis) = self.analysis(key) else {
            return;
        };
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let lsp = match &analysis.note {
            None => diagnostics::convert(doc, &analysis.findings, &self.rule_docs),
            Some(note) => vec![note.clone()],
        };
        self.send_diagnostics(doc.uri.clone(), lsp, Some(doc.version));
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params));
    }

    fn request(&mut self, req: Request, dirty: &mut IndexSet<String>) {
        let id = req.id.clone();
        if req.method == Shutdown::METHOD {
            self.shutdown = true;
            self.send(Response::new_ok(id, ()));
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| self.answer(req, dirty)));
        let response = match outcome {
            Ok(Some(Ok(value))) => Response::new_ok(id, value),
            Ok(Some(Err(message))) => {
                Response::new_err(id, ErrorCode::InvalidParams as i32, message)
            }
            Ok(None) => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                "unsupported request".into(),
            ),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error: the handler panicked".into(),
            ),
        };
        self.send(response);
    }

    /// The result of one request: `None` for a method this server does not handle.
    fn answer(
        &mut self,
        req: Request,
        dirty: &mut IndexSet<String>,
    ) -> Option<Result<Value, String>> {
        fn parse<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, String> {
            serde_json::from_value(req.params).map_err(|e| e.to_string())
        }
        let json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
        Some(match req.method.as_str() {
            HoverRequest::METHOD => parse::<HoverParams>(req).and_then(|p| {
                let at = p.text_document_position_params;
                let found = self.doc(&at.text_document.uri).and_then(|(doc, options)| {
                    hover::hover(doc, at.position, options.model_catalogue())
                });
                json(serde_json::to_value(found))
            }),
            Completion::METHOD => parse::<CompletionParams>(req).and_then(|p| {
                let at = p.text_document_position;
                let items = self
                    .doc(&at.text_document.uri)
                    .map(|(doc, options)| {
                        completion::completion(doc, at.position, options.model_catalogue())
                    })
                    .unwrap_or_default();
                json(serde_json::to_value(CompletionResponse::Array(items)))
            }),
            DocumentSymbolRequest::METHOD => parse::<DocumentSymbolParams>(req).and_then(|p| {
                let key = p.text_document.uri.as_str();
                let found = self.analysis(key).and_then(|_| {
                    let outline = self.docs.get(key)?.outline.to_vec();
                    Some(DocumentSymbolResponse::Nested(outline))
                });
                json(serde_json::to_value(found))
            }),
            GotoDefinition::METHOD => parse::<GotoDefinitionParams>(req).and_then(|p| {
                let at = p.text_document_position_params;
                let key = at.text_document.uri.as_str();
                let found = self
                    .analysis(key)
                    .and_then(|analysis| {
                        let doc = self.docs.get(key)?;
                        definition::definition(doc, analysis.file.as_deref(), at.position)
                    })
                    .map(GotoDefinitionResponse::Scalar);
                json(serde_json::to_value(found))
            }),
            CodeActionRequest::METHOD => parse::<CodeActionParams>(req).and_then(|p| {
                let key = p.text_document.uri.as_str().to_owned();
                // Fixes come from the findings of the text the editor shows, so lint it now if
                // a change is still pending, and publish what the fixes refer to.
                let actions = match self.analysis(&key) {
                    Some(analysis) if analysis.note.is_none() => {
                        let doc = &self.docs[&key];
                        code_action::code_actions(doc, &analysis.findings, p.range, &self.rule_docs)
                    }
                    _ => Vec::new(),
                };
                if dirty.shift_remove(&key) {
                    self.publish(&key);
                }
                json(serde_json::to_value(actions))
            }),
            _ => return None,
        })
    }

    /// An open Jenkinsfile and its options (the built-in ones if its configuration is bad).
    fn doc(&mut self, uri: &Uri) -> Option<(&Document, Arc<LintOptions>)> {
        let doc = self.docs.get(uri.as_str())?.clone();
        let options = self.lint_options(&doc).unwrap_or_default();
        Some((self.docs.get(uri.as_str())?, options))
    }
}
