//! The message loop: reads what the editor sends, keeps the open documents, calls the pure
//! handlers and sends their answers. It stays thin: no feature logic lives here.
//!
//! Edits coalesce and linting never blocks the loop. Every message already waiting is read
//! before anything is scheduled, text changes are applied as they come (they are cheap), and
//! each changed document is handed to the lint worker (`worker.rs`) once, at its latest
//! version, after the batch; the worker coalesces again. Hover and completion need no parse
//! and are answered at once; outline, definition and code actions wait for the analysis of
//! the current version. A result for an older version is dropped. A thousand rapid
//! `didChange` notifications therefore cost a few lints, not a thousand. A handler that panics (a bug) fails its one request
//! or its one document's diagnostics; the server keeps running.

use std::collections::HashMap;
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::SystemTime;

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
    DidSaveTextDocumentParams, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, HoverParams, HoverProviderCapability, InitializeParams, OneOf,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use super::analysis::Analysis;
use super::document::{Document, file_path};
use super::handlers::diagnostics::{self, RuleDocs};
use super::handlers::{code_action, completion, definition, hover, settings, symbols};
use super::worker::{self, Done, Job};
use super::{credentials, library};
use crate::config::{self, Loader, Overrides};
use crate::lint::LintOptions;

/// What wakes the loop: a client message, a finished analysis, or the client hanging up.
enum Event {
    Client(Message),
    Analysed(Box<Done>),
    /// The client's end of the connection closed (stdin at end of file).
    Hangup,
}

/// What the server knows between messages.
struct State {
    connection: Connection,
    incoming: std::sync::mpsc::Receiver<Event>,
    jobs: Sender<Job>,
    /// The generation last sent to the worker, per document.
    queued: HashMap<String, u64>,
    /// Requests that need the analysis of a version still being linted.
    waiting: Vec<Request>,
    docs: HashMap<String, Document>,
    overrides: Overrides,
    loader: Loader,
    /// Lint options by directory, with the modification times of the configuration files
    /// they were read from; reloaded when a time changes, cleared when settings or a saved
    /// library file may change them.
    options: HashMap<PathBuf, (Stamp, Result<Arc<LintOptions>, String>)>,
    rule_docs: RuleDocs,
    /// The workspace root (`rootUri` or the first workspace folder), against which relative
    /// paths in the settings are read.
    root: PathBuf,
    /// Whether the client answers `workspace/configuration` (the pull model).
    pull: bool,
    /// Whether the client takes the nested outline (else it gets the flat form).
    hierarchical: bool,
    /// The id of our last `workspace/configuration` request; older answers are ignored.
    pulling: Option<lsp_server::RequestId>,
    pulls: u32,
    shutdown: bool,
}

/// The requests answered from the analysis of the current version.
const NEEDS_ANALYSIS: [&str; 3] = [
    DocumentSymbolRequest::METHOD,
    GotoDefinition::METHOD,
    CodeActionRequest::METHOD,
];

/// The configuration files that apply to a directory, with their modification times.
type Stamp = Vec<(PathBuf, Option<SystemTime>)>;

fn stamp(loader: &Loader, dir: &Path, overrides: &Overrides) -> Stamp {
    let files = [
        loader.user_file.clone(),
        overrides.config_file.clone(),
        config::repository_file(dir),
    ];
    files
        .into_iter()
        .flatten()
        .map(|f| {
            let modified = std::fs::metadata(&f).and_then(|m| m.modified()).ok();
            (f, modified)
        })
        .collect()
}

/// Whether saving this file may change lint options: a configuration file or a shared
/// library's global (`vars/*.groovy`), anything in a `.jenkinsfile` directory, or a plugin
/// catalogue (`*.json`).
fn affects_options(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .unwrap_or("");
    name == "config.toml"
        || parent == ".jenkinsfile"
        || (parent == "vars" && name.ends_with(".groovy"))
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The directory of a document on disk, where its repository's credential store is looked for.
fn dir(doc: &Document) -> Option<PathBuf> {
    doc.path()?.parent().map(Path::to_path_buf)
}

/// The document a request is about.
fn request_uri(req: &Request) -> Option<String> {
    Some(
        req.params
            .get("textDocument")?
            .get("uri")?
            .as_str()?
            .to_owned(),
    )
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
            // Not " ": a popup after every space is noise, and editors complete words anyway.
            // Quotes open the credential ids of `credentialsId: '`.
            trigger_characters: Some(vec![".".into(), "(".into(), "'".into(), "\"".into()]),
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
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        // The client hung up before `initialize`: nothing to report, and no clean exit.
        Err(e) if e.channel_is_disconnected() => return Ok(false),
        Err(e) => return Err(e.to_string()),
    };
    // Not `initialize_finish`: it ends the session when the next message is not
    // `initialized`, and clients do send `didOpen` first. The loop below ignores
    // `initialized` like any notification it has no use for.
    connection
        .sender
        .send(Response::new_ok(id, init).into())
        .map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    // lsp-server hands messages over one at a time (a rendezvous channel); a queue of our own
    // lets the loop see every message already sent, which is what coalescing needs.
    let (queue, incoming) = std::sync::mpsc::channel();
    let receiver = connection.receiver.clone();
    let results = queue.clone();
    std::thread::spawn(move || {
        for message in receiver {
            if queue.send(Event::Client(message)).is_err() {
                return;
            }
        }
        // The worker holds a sender of this queue too, so the loop cannot learn of the
        // hang-up from the queue closing: it is told.
        let _ = queue.send(Event::Hangup);
    });
    let jobs = worker::spawn(move |done| results.send(Event::Analysed(Box::new(done))).is_ok());
    let mut state = State {
        connection,
        incoming,
        jobs,
        queued: HashMap::new(),
        waiting: Vec::new(),
        docs: HashMap::new(),
        overrides: Overrides::default(),
        loader: Loader::from_env(),
        options: HashMap::new(),
        rule_docs,
        root: workspace_root(&params).unwrap_or_else(|| PathBuf::from(".")),
        pull: params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false),
        hierarchical: params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|d| d.hierarchical_document_symbol_support)
            .unwrap_or(false),
        pulling: None,
        pulls: 0,
        shutdown: false,
    };
    let mut dirty = IndexSet::new();
    // The initialize response is out, so requests may go to the client now.
    // Without settings in `initializationOptions`, a pulling client is asked for them.
    match &params.initialization_options {
        Some(options) => state.configure(options, &mut dirty),
        None => state.pull_settings(),
    }
    state.run()
}

/// The params of a notification, or `None` with the reason on stderr (the server's log in
/// every editor): a message the server cannot read must not vanish without a word. A `uri`
/// that is not percent-encoded (`file:///a b/Jenkinsfile`) is one the URI type refuses.
fn read_params<P: serde::de::DeserializeOwned>(n: Notification, method: &str) -> Option<P> {
    match n.extract::<P>(method) {
        Ok(p) => Some(p),
        Err(e) => {
            let reason = e.to_string().replace('\n', " ");
            let _ = writeln!(
                std::io::stderr(),
                "jenkinsfile lsp: ignored {method}: {reason}"
            );
            None
        }
    }
}

/// The folder of the first workspace folder, else of `rootUri`, when it is a `file:` URI.
#[allow(deprecated)] // `root_uri` is deprecated in favour of folders, and still what many clients send.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri);
    let uri = folder.or(params.root_uri.as_ref())?;
    crate::lsp::document::file_path(uri)
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
            for event in batch {
                match event {
                    Event::Client(Message::Request(req)) => self.request(req),
                    Event::Client(Message::Notification(n)) if n.method == "exit" => {
                        return Ok(self.shutdown);
                    }
                    Event::Client(Message::Notification(n)) => self.notification(n, &mut dirty),
                    Event::Client(Message::Response(r)) => self.response(r, &mut dirty),
                    Event::Analysed(done) => self.analysed(*done),
                    // Returning drops the jobs sender, which ends the worker.
                    Event::Hangup => return Ok(self.shutdown),
                }
            }
            for key in dirty {
                self.schedule(&key);
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
                if let Some(p) =
                    read_params::<DidOpenTextDocumentParams>(n, DidOpenTextDocument::METHOD)
                {
                    let d = p.text_document;
                    let key = d.uri.as_str().to_owned();
                    let doc = Document::new(d.uri, d.version, d.language_id, d.text);
                    // A second open without a close replaces the document: its fresh
                    // generation makes whatever is queued for the old text stale.
                    if doc.is_jenkinsfile() {
                        self.docs.insert(key.clone(), doc);
                        dirty.insert(key);
                    } else {
                        self.forget(&key, dirty);
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) =
                    read_params::<DidChangeTextDocumentParams>(n, DidChangeTextDocument::METHOD)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    if let Some(doc) = self.docs.get_mut(&key) {
                        doc.apply(p.text_document.version, p.content_changes);
                        dirty.insert(key);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) =
                    read_params::<DidCloseTextDocumentParams>(n, DidCloseTextDocument::METHOD)
                {
                    let key = p.text_document.uri.as_str().to_owned();
                    self.forget(&key, dirty);
                }
            }
            DidSaveTextDocument::METHOD => {
                // Only a saved configuration or library file changes the options; saving a
                // Jenkinsfile changes nothing its diagnostics do not already show.
                if let Some(p) =
                    read_params::<DidSaveTextDocumentParams>(n, DidSaveTextDocument::METHOD)
                    && file_path(&p.text_document.uri).is_some_and(|p| affects_options(&p))
                {
                    self.options.clear();
                    self.invalidate_all(dirty);
                }
            }
            DidChangeConfiguration::METHOD => {
                if let Some(p) =
                    read_params::<DidChangeConfigurationParams>(n, DidChangeConfiguration::METHOD)
                {
                    self.configure(&p.settings, dirty);
                }
            }
            _ => {}
        }
    }

    /// Closes a document: its diagnostics are cleared and what waited for its analysis is
    /// answered as for an unknown document.
    fn forget(&mut self, key: &str, dirty: &mut IndexSet<String>) {
        dirty.shift_remove(key);
        self.queued.remove(key);
        if let Some(old) = self.docs.remove(key) {
            self.send_diagnostics(old.uri, Vec::new(), None);
        }
        let (gone, still): (Vec<Request>, Vec<Request>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|r| request_uri(r).as_deref() == Some(key));
        self.waiting = still;
        for req in gone {
            self.request(req);
        }
    }

    /// Forgets every analysis (the options may have changed) and marks every document dirty.
    fn invalidate_all(&mut self, dirty: &mut IndexSet<String>) {
        for (key, doc) in &mut self.docs {
            doc.invalidate();
            dirty.insert(key.clone());
        }
    }

    /// Applies the client's settings and relints. Settings it cannot read are shown with
    /// `window/showMessage` and the previous ones stay (a typo should not undo the rest). A
    /// value with nothing of ours (`{settings: null}`, which clients send when they sync no
    /// section) keeps the settings too, and a client that answers `workspace/configuration`
    /// is asked for them.
    fn configure(&mut self, value: &Value, dirty: &mut IndexSet<String>) {
        match settings::from_json(value, &self.root) {
            Ok(Some(overrides)) => {
                self.overrides = overrides;
                self.options.clear();
                self.invalidate_all(dirty);
            }
            Ok(None) => self.pull_settings(),
            Err(message) => {
                self.send(Notification::new(
                    "window/showMessage".into(),
                    serde_json::json!({"type": 1, "message": message}),
                ));
            }
        }
    }

    /// Asks a client that supports it for the `jenkinsfile` section.
    fn pull_settings(&mut self) {
        if !self.pull {
            return;
        }
        self.pulls += 1;
        let id = lsp_server::RequestId::from(format!("jenkinsfile-settings-{}", self.pulls));
        self.pulling = Some(id.clone());
        self.send(Request::new(
            id,
            "workspace/configuration".into(),
            serde_json::json!({"items": [{"section": "jenkinsfile"}]}),
        ));
    }

    /// The answer to our `workspace/configuration`: the section, or `null` when the client
    /// has none (the settings then stay).
    fn response(&mut self, response: Response, dirty: &mut IndexSet<String>) {
        if self.pulling.as_ref() != Some(&response.id) {
            return;
        }
        self.pulling = None;
        let section = response
            .response_result
            .as_ref()
            .ok()
            .and_then(|r| r.get(0))
            .cloned()
            .unwrap_or(Value::Null);
        // The section itself, read bare: editors add keys of their own to it (VS Code's
        // `trace`). Nothing of ours in it keeps the settings, without asking again.
        let pull = std::mem::replace(&mut self.pull, false);
        self.configure(&section, dirty);
        self.pull = pull;
    }

    /// The options for a document's directory, reloaded when a configuration file that
    /// applies to it appeared, changed or went away since they were read.
    fn lint_options(&mut self, doc: &Document) -> Result<Arc<LintOptions>, String> {
        let dir = doc
            .path()
            .and_then(|p| p.parent().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."));
        let stamp = stamp(&self.loader, &dir, &self.overrides);
        if let Some((known, options)) = self.options.get(&dir)
            && *known == stamp
        {
            return options.clone();
        }
        let options = settings::lint_options(&self.loader, &dir, &self.overrides).map(Arc::new);
        self.options.insert(dir, (stamp, options.clone()));
        options
    }

    /// Hands the document's current version to the worker unless it is analysed or queued.
    fn schedule(&mut self, key: &str) {
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        if doc.analysis.is_some() || self.queued.get(key) == Some(&doc.generation) {
            return;
        }
        let doc = doc.clone();
        self.queued.insert(key.to_owned(), doc.generation);
        let options = self.lint_options(&doc);
        // The worker only stops when the loop does.
        let _ = self.jobs.send(Job {
            key: key.to_owned(),
            doc,
            options,
        });
    }

    /// A finished analysis: kept and published when it is of the current version (dropped
    /// otherwise), then the requests that waited for it are answered.
    fn analysed(&mut self, done: Done) {
        let Some(doc) = self.docs.get_mut(&done.key) else {
            return;
        };
        if doc.generation != done.generation {
            return;
        }
        doc.set_analysis(done.analysis);
        self.publish(&done.key);
        let (ready, still): (Vec<Request>, Vec<Request>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|r| request_uri(r).as_deref() == Some(done.key.as_str()));
        self.waiting = still;
        for req in ready {
            self.request(req);
        }
    }

    /// The analysis of a document's current version, if it is done.
    fn analysis(&self, key: &str) -> Option<Arc<Analysis>> {
        self.docs.get(key)?.analysis.clone()
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
            Some(note) => vec![self.rule_docs.linked(note.clone())],
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

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        if req.method == Shutdown::METHOD {
            self.shutdown = true;
            self.send(Response::new_ok(id, ()));
            return;
        }
        if self.shutdown {
            let message = "the server is shutting down".to_owned();
            self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                message,
            ));
            return;
        }
        if NEEDS_ANALYSIS.contains(&req.method.as_str())
            && let Some(key) = request_uri(&req)
            && self.docs.get(&key).is_some_and(|d| d.analysis.is_none())
        {
            self.schedule(&key);
            self.waiting.push(req);
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| self.answer(req)));
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
    fn answer(&mut self, req: Request) -> Option<Result<Value, String>> {
        fn parse<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, String> {
            serde_json::from_value(req.params).map_err(|e| e.to_string())
        }
        let json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
        Some(match req.method.as_str() {
            HoverRequest::METHOD => parse::<HoverParams>(req).and_then(|p| {
                let at = p.text_document_position_params;
                let found = self.doc(&at.text_document.uri).and_then(|(doc, options)| {
                    let (store, problem) = credentials::load_reporting(dir(doc).as_deref());
                    credentials::hover_reporting(doc, at.position, &store, problem.as_deref())
                        .or_else(|| library::hover(doc, at.position, &options))
                        .or_else(|| hover::hover(doc, at.position, options.model_catalogue()))
                });
                json(serde_json::to_value(found))
            }),
            Completion::METHOD => parse::<CompletionParams>(req).and_then(|p| {
                let at = p.text_document_position;
                let items = self
                    .doc(&at.text_document.uri)
                    .map(|(doc, options)| {
                        let store = credentials::load(dir(doc).as_deref());
                        if let Some(ids) = credentials::completion(doc, at.position, &store) {
                            return ids;
                        }
                        let library = library::completion_items(&options);
                        completion::completion(
                            doc,
                            at.position,
                            options.model_catalogue(),
                            &library,
                        )
                    })
                    .unwrap_or_default();
                json(serde_json::to_value(CompletionResponse::Array(items)))
            }),
            DocumentSymbolRequest::METHOD => parse::<DocumentSymbolParams>(req).and_then(|p| {
                let key = p.text_document.uri.as_str();
                let found = self.analysis(key).and_then(|_| {
                    let doc = self.docs.get(key)?;
                    Some(if self.hierarchical {
                        DocumentSymbolResponse::Nested(doc.outline.to_vec())
                    } else {
                        DocumentSymbolResponse::Flat(symbols::flat(&doc.uri, &doc.outline))
                    })
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
                    .or_else(|| {
                        let (doc, options) = self.doc(&at.text_document.uri)?;
                        library::definition(doc, at.position, &options)
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

#[cfg(test)]
mod tests {
    use super::capabilities;

    #[test]
    fn completion_is_not_triggered_by_a_space() {
        let triggers = capabilities()
            .completion_provider
            .unwrap()
            .trigger_characters;
        assert_eq!(triggers.unwrap(), [".", "(", "'", "\""]);
    }
}
