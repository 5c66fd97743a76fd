//! Builds the catalogue from the Groovy stubs: each file is parsed with our own parser, and
//! each `def` method, top-level typed declaration and class is read together with the doc
//! comment just before it. A stub that does not load is a bug in the stub, reported with the
//! file name and the offending item, never something a user's file can cause.

use indexmap::IndexMap;

use super::doc::{self, Doc};
use super::sig::{GlobalSig, ParamSig, ParamType, PropertySig, StepKind, StepSig, TypeSig};
use crate::source::{SourceFile, Span};
use crate::syntax;
use crate::syntax::ast::{self, ClassDef, DeclTargets, Member, MethodDef, StmtKind};

/// Which part of the catalogue a stub file fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Steps,
    Symbols,
    Globals,
}

/// One stub file: its path under `stdlib/` and its text.
pub(crate) struct Stub {
    pub(crate) section: Section,
    pub(crate) path: &'static str,
    pub(crate) text: &'static str,
}

/// What loading produced; `errors` names each bad stub item.
#[derive(Default)]
pub(crate) struct Loaded {
    pub(crate) steps: IndexMap<String, StepSig>,
    pub(crate) symbols: IndexMap<String, Vec<StepSig>>,
    pub(crate) globals: IndexMap<String, GlobalSig>,
    pub(crate) types: IndexMap<String, TypeSig>,
    pub(crate) errors: Vec<String>,
}

pub(crate) fn load(stubs: &[Stub]) -> Loaded {
    let mut out = Loaded::default();
    for stub in stubs {
        let source = SourceFile::new(stub.path, stub.text);
        let file = match syntax::parse(&source) {
            Ok(file) => file,
            Err(diags) => {
                for d in diags {
                    let at = source.line_col(d.span.start as usize);
                    out.errors.push(format!(
                        "{}:{}:{}: {}",
                        stub.path, at.line, at.column, d.message
                    ));
                }
                continue;
            }
        };
        let family = family_of(stub.path);
        let mut cx = FileCx {
            stub,
            source: &source,
            file: &file,
            family,
            out: &mut out,
        };
        cx.load_file();
    }
    out
}

/// `stdlib/steps/shell.groovy` → `shell`.
fn family_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".groovy").unwrap_or(name).to_string()
}

struct FileCx<'a> {
    stub: &'a Stub,
    source: &'a SourceFile,
    file: &'a ast::File,
    family: String,
    out: &'a mut Loaded,
}

impl FileCx<'_> {
    fn load_file(&mut self) {
        for stmt in &self.file.stmts {
            match &stmt.node {
                StmtKind::Method(method) => {
                    let kind = match self.stub.section {
                        Section::Symbols => StepKind::Symbol,
                        _ => StepKind::Step,
                    };
                    let Some(sig) = self.method(method, stmt.span, kind) else {
                        continue;
                    };
                    match self.stub.section {
                        Section::Steps => {
                            if self.out.steps.contains_key(&sig.name) {
                                self.error(
                                    stmt.span,
                                    &format!("step `{}` defined twice", sig.name),
                                );
                            }
                            self.out.steps.insert(sig.name.clone(), sig);
                        }
                        Section::Symbols => {
                            self.out
                                .symbols
                                .entry(sig.name.clone())
                                .or_default()
                                .push(sig);
                        }
                        Section::Globals => self.error(stmt.span, "a global file holds no steps"),
                    }
                }
                StmtKind::VarDecl(decl) if self.stub.section == Section::Globals => {
                    self.global(decl, stmt.span);
                }
                StmtKind::Class(class) if self.stub.section == Section::Globals => {
                    self.class(class, stmt.span);
                }
                _ => self.error(stmt.span, "only documented `def` methods belong in a stub"),
            }
        }
    }

    fn error(&mut self, span: Span, message: &str) {
        let at = self.source.line_col(span.start as usize);
        self.out.errors.push(format!(
            "{}:{}:{}: {message}",
            self.stub.path, at.line, at.column
        ));
    }

    /// The doc comment that ends right before `span`, with only white space between.
    fn doc_before(&mut self, span: Span) -> Option<Doc> {
        let text = &self.source.text;
        let comment = self
            .file
            .comments
            .iter()
            .rfind(|c| c.kind == ast::CommentKind::Doc && c.span.end <= span.start)?;
        let between = text.get(comment.span.end as usize..span.start as usize)?;
        if !between.trim().is_empty() {
            return None;
        }
        match doc::parse(self.source.slice(comment.span)) {
            Ok(doc) => Some(doc),
            Err(msg) => {
                self.error(comment.span, &msg);
                None
            }
        }
    }

    fn method(&mut self, method: &MethodDef, span: Span, kind: StepKind) -> Option<StepSig> {
        let name = method.name.node.clone();
        let Some(doc) = self.doc_before(span) else {
            self.error(span, &format!("`{name}` has no doc comment"));
            return None;
        };
        let mut params = Vec::new();
        let mut takes_body = false;
        let mut body_required = false;
        for p in &method.params {
            let type_name = p.ty.as_ref().map_or_else(|| "def".to_string(), type_text);
            let ty = p.ty.as_ref().map_or(ParamType::Object, |t| {
                if t.array_dims > 0 {
                    ParamType::List
                } else {
                    ParamType::from_name(&t.name)
                }
            });
            if ty == ParamType::Closure && p.name.node == "body" {
                takes_body = true;
                body_required = p.default.is_none();
                continue;
            }
            let Some((_, text)) = doc.params.iter().find(|(n, _)| *n == p.name.node) else {
                self.error(
                    p.name.span,
                    &format!("`{name}`: no `@param {}`", p.name.node),
                );
                continue;
            };
            let values = doc
                .values
                .iter()
                .find(|(n, _)| *n == p.name.node)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            params.push(ParamSig {
                name: p.name.node.clone(),
                ty,
                type_name,
                required: p.default.is_none(),
                default: p
                    .default
                    .as_ref()
                    .map(|d| self.source.slice(d.span).to_string()),
                doc: text.clone(),
                values,
            });
        }
        for documented in doc
            .params
            .iter()
            .map(|p| &p.0)
            .chain(doc.values.iter().map(|v| &v.0))
        {
            if documented != "body" && !params.iter().any(|p| p.name == *documented) {
                self.error(
                    span,
                    &format!("`{name}` documents unknown parameter `{documented}`"),
                );
            }
        }
        let default_param = match &doc.positional {
            Some(pos) => {
                let found = params.iter().position(|p| p.name == *pos);
                if found.is_none() {
                    self.error(
                        span,
                        &format!("`{name}`: `@positional {pos}` is no parameter"),
                    );
                }
                found
            }
            None if kind == StepKind::Method => None,
            None => {
                let mut required = params.iter().enumerate().filter(|(_, p)| p.required);
                match (required.next(), required.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            }
        };
        let plugin = doc.plugin.clone().unwrap_or_default();
        if plugin.is_empty() && kind != StepKind::Method {
            self.error(span, &format!("`{name}` has no `@plugin`"));
        }
        Some(StepSig {
            name,
            kind,
            params,
            takes_body,
            body_required,
            doc: doc.description,
            examples: doc.examples,
            plugin,
            returns: doc.returns,
            default_param,
            open: doc.open,
            family: self.family.clone(),
        })
    }

    /// `RunWrapper currentBuild`: a global variable of a stub type.
    fn global(&mut self, decl: &ast::VarDecl, span: Span) {
        let (Some(ty), DeclTargets::Names(names)) = (&decl.ty, &decl.targets) else {
            self.error(span, "a global is declared as `Type name`");
            return;
        };
        let Some(doc) = self.doc_before(span) else {
            self.error(span, "a global needs a doc comment");
            return;
        };
        for d in names {
            self.out.globals.insert(
                d.name.node.clone(),
                GlobalSig {
                    name: d.name.node.clone(),
                    ty: ty.name.clone(),
                    doc: doc.description.clone(),
                    plugin: doc.plugin.clone().unwrap_or_default(),
                },
            );
        }
    }

    /// `class RunWrapper { ... }`: the members a global's type exposes.
    fn class(&mut self, class: &ClassDef, span: Span) {
        let doc = self.doc_before(span).unwrap_or_default();
        let mut sig = TypeSig {
            name: class.name.node.clone(),
            doc: doc.description,
            properties: Vec::new(),
            methods: Vec::new(),
            dynamic: doc.dynamic,
        };
        for member in &class.members {
            match member {
                Member::Field(field) => {
                    let prop_doc = self.doc_before(field.span).unwrap_or_default();
                    let writable = !field.node.modifiers.iter().any(|m| m.node == "final");
                    let type_name = field
                        .node
                        .ty
                        .as_ref()
                        .map_or_else(|| "def".into(), type_text);
                    if let DeclTargets::Names(names) = &field.node.targets {
                        for d in names {
                            sig.properties.push(PropertySig {
                                name: d.name.node.clone(),
                                type_name: type_name.clone(),
                                doc: prop_doc.description.clone(),
                                writable,
                            });
                        }
                    }
                }
                Member::Method(method) => {
                    if let Some(m) = self.method(&method.node, method.span, StepKind::Method) {
                        sig.methods.push(m);
                    }
                }
                Member::Class(_) | Member::Initializer { .. } => {
                    self.error(span, "stub classes hold fields and methods only");
                }
            }
        }
        self.out.types.insert(sig.name.clone(), sig);
    }
}

/// A type as written, generics included: `List<String>`, `String[]`.
fn type_text(ty: &ast::Type) -> String {
    let mut out = ty.name.clone();
    if !ty.generics.is_empty() {
        let args: Vec<String> = ty.generics.iter().map(type_text).collect();
        out.push('<');
        out.push_str(&args.join(", "));
        out.push('>');
    }
    for _ in 0..ty.array_dims {
        out.push_str("[]");
    }
    out
}
