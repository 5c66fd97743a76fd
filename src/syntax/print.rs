//! The S-expression dump of a parsed file, printed by `jenkinsfile parse --ast` and compared by
//! the parser's snapshot tests, so it must stay stable. It shows every field that carries
//! meaning; spans only in `sexpr_with_spans`, as they make snapshots noisy.
//!
//! Layout: one top-level statement per line. A node is printed on one line when it fits in
//! 80 columns (not counting indentation) and holds fewer than two statements. Otherwise its
//! first line takes the head and as many following children as fit flat in 80 columns, up to
//! the first child that must break and never a statement; every other child goes on a line of
//! its own, indented two more spaces. With spans, every statement and expression node carries
//! `@start..end` (byte offsets) on its head word or, for an atom, at its end.
//!
//! The forms, by example (`…` elides children):
//!
//! | Groovy | Dump |
//! |---|---|
//! | `sh 'make'` | `(call sh [cmd] "make")` |
//! | `stage('Build') { … }` | `(call stage [paren] "Build" (closure …))`: a bare closure in a call is a trailing one |
//! | `f(1, { … })` | `(call f [paren] (int 1) (arg (closure …)))` |
//! | `git url: u, *m`, `f(*xs)` | `(call git [cmd] (url: (var u)) (*: (var m)))`, `(call f [paren] (* (var xs)))` |
//! | `a?.b(1)`, `f()()` | `(call ?. (var a) b [paren] (int 1))`, `(apply (call f [paren]) [paren])` |
//! | `a.b`, `a?.b`, `a*.b`, `a.@b`, `a."$n"` | `(prop . (var a) b)`, `?.`, `*.`, `.@`; a quoted name prints as its string |
//! | `a[i]`, `a?[i]`, `a.&b` | `(index [] (var a) (var i))`, `(index ?[] …)`, `(method-ptr (var a) b)` |
//! | `'s'` | `"s"`: Rust-escaped; other quotes are tagged: `(str [double] "s")`, `[triple-single]`, `[triple-double]`, `[slashy]`, `[dollar-slashy]` |
//! | `"a$b${c}${}"` | `(gstring "a" (interp $ (var b)) (interp ${} (var c)) (interp ${}))`, tagged like `str` unless `"` |
//! | `0x1FL`, `1.5d` | `(int 1F [hex L])` (the digits as the tree holds them), `(decimal 1.5 [D])` |
//! | `null`, `true`, `this`, `super` | themselves |
//! | `[1, *xs]`, `[k: v, (x): y]`, `1..<n` | `(list (int 1) (* (var xs)))`, `(map (k: (var v)) (key (paren (var x)) (var y)))`, `(range ..< (int 1) (var n))` |
//! | `-x`, `x++`, `a + b`, `a ?: b`, `c ? a : b` | `(unary - (var x))`, `(postfix ++ (var x))`, `(binary + …)`, `(elvis …)`, `(ternary …)` |
//! | `x += 1`, `(a, b) = p` | `(assign += (var x) (int 1))`, `(tuple-assign (tuple a b) (var p))` |
//! | `(int) x`, `x as T`, `x instanceof T` | `(cast :int (var x))`, `(as (var x) :T)`, `(instanceof (var x) :T)` |
//! | `new A<B>(1)`, `new int[3]` | `(new :A<B> [paren] (int 1))`, `(new :int (array (int 3)))` |
//! | `{ it }`, `{ -> 1 }`, `{ a, b -> }` | `(closure (var it))`, `(closure (->) (int 1))`, `(closure (-> (param a) (param b)))` |
//! | `@Field final Map<K, V>[] m = [:], n` | `(decl (@Field) final :Map<K,V>[] m (map) n)`: each name, then its initialiser if any |
//! | `def (a, String b) = p` | `(decl def (tuple a :String b) (var p))` |
//! | `String f(int a = 1, String... r) throws E { … }` | `(method :String f (params (param :int a (default (int 1))) (param :String... r)) (throws :E) (block …))` |
//! | `class A<T> extends B implements C { … }` | `(class A<T> (extends :B) (implements :C) …)`; `interface`, `enum` with `(constants X Y)`; members `(field …)`, `(method …)`, `(init static (block …))` |
//! | `@Grab('g:m:1') import a.B as C`, `import static a.B.*` | `(import (@Grab "g:m:1") a.B as C)`, `(import static a.B.*)` |
//! | `if`, `while`, `for (i; c; u)`, `for (T x in xs)` | `(if c s s)`, `(while c s)`, `(for (init …) (cond …) (update …) s)`, `(for-in :T x (var xs) s)` |
//! | `switch`, `try` | `(switch x (case (int 1) default (body …)))`, `(try (block …) (catch :A :B e (block …)) (finally (block …)))` |
//! | `return`, `break l`, `throw x`, `assert c : m`, `l: s` | `(return)`, `(break l)`, `(throw …)`, `(assert c m)`, `(label l s)` |
//!
//! Types start with `:` wherever they appear, so they never read as names or modifiers; names
//! that are not plain identifiers (a method named by a string) are quoted. The file ends with
//! `(comments line block doc …)` when it has comments and starts with `(shebang)` when it has
//! one. With spans, a statement whose span differs from its expression's or block's is wrapped
//! in `(stmt@start..end …)`.

use std::fmt::Write as _;

use crate::source::Span;
use crate::syntax::ast::{
    Annotation, Arg, Args, Block, CaseLabel, Catch, ClassDef, ClassKind, Closure, CommentKind,
    DeclTargets, Expr, ExprKind, File, GString, GStringPart, Ident, Import, MapEntry, MapKey,
    Member, MethodDef, Nav, NumberLit, Param, PropName, Quote, Stmt, StmtKind, StrLit, SwitchCase,
    Type, UnaryOp, VarDecl,
};

/// A node fits on one line when it is at most this wide, not counting indentation.
const WIDTH: usize = 80;

/// The whole tree, without spans.
#[must_use]
pub fn sexpr(file: &File) -> String {
    Printer { spans: false }.file(file)
}

/// The whole tree, with `@start..end` on every statement and expression.
#[must_use]
pub fn sexpr_with_spans(file: &File) -> String {
    Printer { spans: true }.file(file)
}

/// A printed node before layout: the layout needs each list's one-line width up front.
enum Doc {
    Atom(String),
    List {
        items: Vec<Doc>,
        /// The width printed on one line.
        width: usize,
        /// Must be printed over several lines.
        broken: bool,
        /// Where the statements start: when broken, each of these gets a line of its own.
        body: usize,
    },
}

impl Doc {
    fn width(&self) -> usize {
        match self {
            Doc::Atom(text) => text.chars().count(),
            Doc::List { width, .. } => *width,
        }
    }

    fn is_broken(&self) -> bool {
        match self {
            Doc::Atom(_) => false,
            Doc::List { broken, .. } => *broken,
        }
    }

    /// Whether it is printed on one line.
    fn is_flat(&self) -> bool {
        !self.is_broken() && self.width() <= WIDTH
    }

    fn write(&self, indent: usize, out: &mut String) {
        match self {
            Doc::Atom(text) => out.push_str(text),
            Doc::List { items, .. } if self.is_flat() => {
                out.push('(');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write(indent, out);
                }
                out.push(')');
            }
            Doc::List { items, body, .. } => {
                let mut head = 1;
                let mut width = 1 + items[0].width();
                while head < *body {
                    let item = &items[head];
                    width += 1 + item.width();
                    if !item.is_flat() || width > WIDTH {
                        break;
                    }
                    head += 1;
                }
                out.push('(');
                for (i, item) in items[..head].iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write(indent, out);
                }
                for item in &items[head..] {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent + 2));
                    item.write(indent + 2, out);
                }
                out.push(')');
            }
        }
    }
}

/// Builds one list node.
struct List {
    items: Vec<Doc>,
    broken: bool,
    body: Option<usize>,
}

impl List {
    fn new(head: Doc) -> Self {
        List {
            items: vec![head],
            broken: false,
            body: None,
        }
    }

    /// Marks the next item as the first statement.
    fn body(mut self) -> Self {
        self.body = Some(self.items.len());
        self
    }

    fn atom(mut self, text: impl Into<String>) -> Self {
        self.items.push(Doc::Atom(text.into()));
        self
    }

    fn push(mut self, doc: Doc) -> Self {
        self.items.push(doc);
        self
    }

    fn extend(mut self, docs: impl IntoIterator<Item = Doc>) -> Self {
        self.items.extend(docs);
        self
    }

    /// Statement lists of two or more always take one line per statement.
    fn statements(mut self, count: usize) -> Self {
        self.broken |= count >= 2;
        self
    }

    fn done(self) -> Doc {
        let width = self.items.iter().map(Doc::width).sum::<usize>() + self.items.len() + 1;
        let broken = self.broken || self.items.iter().any(Doc::is_broken);
        Doc::List {
            body: self.body.unwrap_or(self.items.len()),
            items: self.items,
            width,
            broken,
        }
    }
}

fn atom(text: impl Into<String>) -> Doc {
    Doc::Atom(text.into())
}

struct Printer {
    spans: bool,
}

impl Printer {
    /// A head word or atom, with its span when spans are on.
    fn tag(&self, text: &str, span: Span) -> Doc {
        if self.spans {
            atom(format!("{text}@{span}"))
        } else {
            atom(text)
        }
    }

    fn file(&self, file: &File) -> String {
        let mut out = String::new();
        let mut line = |doc: Doc| {
            doc.write(0, &mut out);
            out.push('\n');
        };
        if let Some(span) = file.shebang {
            line(List::new(self.tag("shebang", span)).done());
        }
        for stmt in &file.stmts {
            line(self.stmt(stmt));
        }
        if !file.comments.is_empty() {
            let kinds = file.comments.iter().map(|comment| {
                let kind = match comment.kind {
                    CommentKind::Line => "line",
                    CommentKind::Block => "block",
                    CommentKind::Doc => "doc",
                };
                self.tag(kind, comment.span)
            });
            line(List::new(atom("comments")).extend(kinds).done());
        }
        out
    }

    fn stmts<'a>(&self, list: List, stmts: impl ExactSizeIterator<Item = &'a Stmt>) -> List {
        let count = stmts.len();
        list.body()
            .extend(stmts.map(|stmt| self.stmt(stmt)))
            .statements(count)
    }

    fn stmt(&self, stmt: &Stmt) -> Doc {
        let span = stmt.span;
        let head = |name: &str| List::new(self.tag(name, span));
        match &stmt.node {
            StmtKind::Expr(expr) => self.unless_same(span, expr.span, self.expr(expr)),
            StmtKind::Block(block) => self.unless_same(span, block.span, self.block(block)),
            StmtKind::VarDecl(decl) => self.var_decl("decl", decl, span),
            StmtKind::Method(method) => self.method(method, span),
            StmtKind::Class(class) => self.class(class, span),
            StmtKind::Import(import) => self.import(import, span),
            StmtKind::Package(name) => head("package").atom(&name.node).done(),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => head("if")
                .push(self.expr(cond))
                .body()
                .push(self.stmt(then))
                .extend(otherwise.as_deref().map(|stmt| self.stmt(stmt)))
                .done(),
            StmtKind::While { cond, body } => head("while")
                .push(self.expr(cond))
                .body()
                .push(self.stmt(body))
                .done(),
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => head("for")
                .push(self.stmts(List::new(atom("init")), init.iter()).done())
                .push(
                    List::new(atom("cond"))
                        .extend(cond.as_ref().map(|expr| self.expr(expr)))
                        .done(),
                )
                .push(
                    List::new(atom("update"))
                        .extend(update.iter().map(|expr| self.expr(expr)))
                        .done(),
                )
                .body()
                .push(self.stmt(body))
                .done(),
            StmtKind::ForIn {
                ty,
                var,
                iterable,
                body,
            } => head("for-in")
                .extend(ty.as_ref().map(type_atom))
                .atom(name(&var.node))
                .push(self.expr(iterable))
                .body()
                .push(self.stmt(body))
                .done(),
            StmtKind::Switch { subject, cases } => head("switch")
                .push(self.expr(subject))
                .body()
                .extend(cases.iter().map(|case| self.case(case)))
                .statements(cases.len())
                .done(),
            StmtKind::Try {
                body,
                catches,
                finally,
            } => head("try")
                .body()
                .push(self.block(body))
                .extend(catches.iter().map(|catch| self.catch(catch)))
                .extend(
                    finally
                        .iter()
                        .map(|block| List::new(atom("finally")).push(self.block(block)).done()),
                )
                .done(),
            StmtKind::Return(value) => head("return")
                .extend(value.as_ref().map(|expr| self.expr(expr)))
                .done(),
            StmtKind::Break(label) => head("break")
                .extend(label.as_ref().map(|label| atom(name(&label.node))))
                .done(),
            StmtKind::Continue(label) => head("continue")
                .extend(label.as_ref().map(|label| atom(name(&label.node))))
                .done(),
            StmtKind::Throw(expr) => head("throw").push(self.expr(expr)).done(),
            StmtKind::Assert { cond, message } => head("assert")
                .push(self.expr(cond))
                .extend(message.as_ref().map(|expr| self.expr(expr)))
                .done(),
            StmtKind::Labeled { label, body } => head("label")
                .atom(name(&label.node))
                .body()
                .push(self.stmt(body))
                .done(),
        }
    }

    /// A statement that is just an expression or block prints as that node, wrapped only
    /// when spans are shown and the statement's differs.
    fn unless_same(&self, span: Span, inner: Span, doc: Doc) -> Doc {
        if self.spans && span != inner {
            List::new(self.tag("stmt", span)).push(doc).done()
        } else {
            doc
        }
    }

    fn block(&self, block: &Block) -> Doc {
        self.stmts(List::new(self.tag("block", block.span)), block.stmts.iter())
            .done()
    }

    fn case(&self, case: &SwitchCase) -> Doc {
        let labels = case.labels.iter().map(|label| match label {
            CaseLabel::Case(expr) => self.expr(expr),
            CaseLabel::Default(span) => self.tag("default", *span),
        });
        let body = self.stmts(List::new(atom("body")), case.body.iter()).done();
        List::new(self.tag("case", case.span))
            .extend(labels)
            .push(body)
            .done()
    }

    fn catch(&self, catch: &Catch) -> Doc {
        List::new(atom("catch"))
            .extend(catch.types.iter().map(type_atom))
            .atom(name(&catch.var.node))
            .push(self.block(&catch.body))
            .done()
    }

    /// Annotations, then modifiers, after a node's head.
    fn prefix(&self, list: List, annotations: &[Annotation], modifiers: &[Ident]) -> List {
        list.extend(annotations.iter().map(|a| self.annotation(a)))
            .extend(modifiers.iter().map(|m| atom(&m.node)))
    }

    fn annotation(&self, annotation: &Annotation) -> Doc {
        let args = annotation.args.iter().map(|arg| match &arg.name {
            None => self.expr(&arg.value),
            Some(key) => List::new(atom(name(&key.node)))
                .atom("=")
                .push(self.expr(&arg.value))
                .done(),
        });
        List::new(atom(format!("@{}", annotation.name.node)))
            .extend(args)
            .done()
    }

    fn var_decl(&self, head: &str, decl: &VarDecl, span: Span) -> Doc {
        let list = self
            .prefix(
                List::new(self.tag(head, span)),
                &decl.annotations,
                &decl.modifiers,
            )
            .extend(decl.ty.as_ref().map(type_atom));
        match &decl.targets {
            DeclTargets::Names(declarators) => declarators
                .iter()
                .fold(list, |list, declarator| {
                    list.atom(name(&declarator.name.node))
                        .extend(declarator.init.as_ref().map(|expr| self.expr(expr)))
                })
                .done(),
            DeclTargets::Tuple { names, init } => {
                let tuple = names
                    .iter()
                    .fold(List::new(atom("tuple")), |tuple, (ty, ident)| {
                        tuple
                            .extend(ty.as_ref().map(type_atom))
                            .atom(name(&ident.node))
                    });
                list.push(tuple.done()).push(self.expr(init)).done()
            }
        }
    }

    fn method(&self, method: &MethodDef, span: Span) -> Doc {
        let params = List::new(atom("params"))
            .extend(method.params.iter().map(|param| self.param(param)))
            .done();
        let throws = (!method.throws.is_empty()).then(|| {
            List::new(atom("throws"))
                .extend(method.throws.iter().map(type_atom))
                .done()
        });
        self.prefix(
            List::new(self.tag("method", span)),
            &method.annotations,
            &method.modifiers,
        )
        .extend(method.ret.as_ref().map(type_atom))
        .atom(name(&method.name.node))
        .push(params)
        .extend(throws)
        .extend(method.body.as_ref().map(|block| self.block(block)))
        .done()
    }

    fn param(&self, param: &Param) -> Doc {
        let list = self.prefix(
            List::new(atom("param")),
            &param.annotations,
            &param.modifiers,
        );
        let list = match (&param.ty, param.vararg) {
            (Some(ty), false) => list.push(type_atom(ty)),
            (Some(ty), true) => list.atom(format!(":{}...", type_text(ty))),
            (None, true) => list.atom("..."),
            (None, false) => list,
        };
        list.atom(name(&param.name.node))
            .extend(
                param
                    .default
                    .as_ref()
                    .map(|expr| List::new(atom("default")).push(self.expr(expr)).done()),
            )
            .done()
    }

    fn class(&self, class: &ClassDef, span: Span) -> Doc {
        let keyword = match class.kind {
            ClassKind::Class => "class",
            ClassKind::Interface => "interface",
            ClassKind::Enum => "enum",
        };
        let mut title = name(&class.name.node);
        push_generics(&mut title, &class.generics);
        let types = |word: &str, types: &[Type]| {
            (!types.is_empty()).then(|| {
                List::new(atom(word))
                    .extend(types.iter().map(type_atom))
                    .done()
            })
        };
        let constants = (!class.constants.is_empty()).then(|| {
            List::new(atom("constants"))
                .extend(class.constants.iter().map(|c| atom(name(&c.node))))
                .done()
        });
        self.prefix(
            List::new(self.tag(keyword, span)),
            &class.annotations,
            &class.modifiers,
        )
        .atom(title)
        .extend(types("extends", &class.extends))
        .extend(types("implements", &class.implements))
        .extend(constants)
        .body()
        .extend(class.members.iter().map(|member| self.member(member)))
        .statements(class.members.len())
        .done()
    }

    fn member(&self, member: &Member) -> Doc {
        match member {
            Member::Field(field) => self.var_decl("field", &field.node, field.span),
            Member::Method(method) => self.method(&method.node, method.span),
            Member::Class(class) => self.class(&class.node, class.span),
            Member::Initializer { is_static, body } => {
                let list = List::new(atom("init"));
                let list = if *is_static {
                    list.atom("static")
                } else {
                    list
                };
                list.push(self.block(body)).done()
            }
        }
    }

    fn import(&self, import: &Import, span: Span) -> Doc {
        let list = self.prefix(
            List::new(self.tag("import", span)),
            &import.annotations,
            &[],
        );
        let list = if import.is_static {
            list.atom("static")
        } else {
            list
        };
        let path = if import.star {
            format!("{}.*", import.path.node)
        } else {
            import.path.node.clone()
        };
        let list = list.atom(path);
        match &import.alias {
            Some(alias) => list.atom("as").atom(name(&alias.node)).done(),
            None => list.done(),
        }
    }

    fn expr(&self, expr: &Expr) -> Doc {
        let span = expr.span;
        let head = |name: &str| List::new(self.tag(name, span));
        match &expr.node {
            ExprKind::Null => self.tag("null", span),
            ExprKind::Bool(true) => self.tag("true", span),
            ExprKind::Bool(false) => self.tag("false", span),
            ExprKind::This => self.tag("this", span),
            ExprKind::Super => self.tag("super", span),
            ExprKind::Int(number) => number_doc(head("int"), number),
            ExprKind::Decimal(number) => number_doc(head("decimal"), number),
            ExprKind::Str(StrLit { value, quote }) => match quote {
                Quote::Single => self.tag(&quoted(value), span),
                _ => head("str")
                    .atom(quote_tag(*quote))
                    .atom(quoted(value))
                    .done(),
            },
            ExprKind::GString(gstring) => self.gstring(head("gstring"), gstring),
            ExprKind::List(items) => head("list")
                .extend(items.iter().map(|item| self.expr(item)))
                .done(),
            ExprKind::Map(entries) => head("map")
                .extend(entries.iter().map(|entry| self.entry(entry)))
                .done(),
            ExprKind::Range {
                from,
                to,
                exclusive,
            } => head("range")
                .atom(if *exclusive { "..<" } else { ".." })
                .push(self.expr(from))
                .push(self.expr(to))
                .done(),
            ExprKind::Var(var) => head("var").atom(name(var)).done(),
            ExprKind::Property { target, name, nav } => head("prop")
                .atom(nav_symbol(*nav))
                .push(self.expr(target))
                .push(self.prop_name(name))
                .done(),
            ExprKind::Index {
                target,
                index,
                safe,
            } => head("index")
                .atom(if *safe { "?[]" } else { "[]" })
                .push(self.expr(target))
                .extend(index.iter().map(|expr| self.expr(expr)))
                .done(),
            ExprKind::MethodCall {
                receiver,
                nav,
                name,
                args,
            } => {
                let list = match receiver {
                    Some(receiver) => head("call")
                        .atom(nav_symbol(*nav))
                        .push(self.expr(receiver)),
                    None if *nav == Nav::Dot => head("call"),
                    None => head("call").atom(nav_symbol(*nav)),
                };
                self.args(list.push(self.prop_name(name)), args).done()
            }
            ExprKind::Call { callee, args } => self
                .args(head("apply").push(self.expr(callee)), args)
                .done(),
            ExprKind::MethodPointer {
                target,
                name: method,
            } => head("method-ptr")
                .push(self.expr(target))
                .atom(name(&method.node))
                .done(),
            ExprKind::Closure(closure) => self.closure(head("closure"), closure),
            ExprKind::Unary { op, operand } => {
                let word = match op {
                    UnaryOp::PostInc | UnaryOp::PostDec => "postfix",
                    _ => "unary",
                };
                head(word).atom(op.symbol()).push(self.expr(operand)).done()
            }
            ExprKind::Binary { op, lhs, rhs } => head("binary")
                .atom(op.symbol())
                .push(self.expr(lhs))
                .push(self.expr(rhs))
                .done(),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => head("ternary")
                .push(self.expr(cond))
                .push(self.expr(then))
                .push(self.expr(otherwise))
                .done(),
            ExprKind::Elvis { value, fallback } => head("elvis")
                .push(self.expr(value))
                .push(self.expr(fallback))
                .done(),
            ExprKind::Assign { op, target, value } => head("assign")
                .atom(op.symbol())
                .push(self.expr(target))
                .push(self.expr(value))
                .done(),
            ExprKind::TupleAssign { targets, value } => head("tuple-assign")
                .push(
                    List::new(atom("tuple"))
                        .extend(targets.iter().map(|t| atom(name(&t.node))))
                        .done(),
                )
                .push(self.expr(value))
                .done(),
            ExprKind::Cast { ty, operand } => head("cast")
                .push(type_atom(ty))
                .push(self.expr(operand))
                .done(),
            ExprKind::As { operand, ty } => head("as")
                .push(self.expr(operand))
                .push(type_atom(ty))
                .done(),
            ExprKind::InstanceOf { operand, ty } => head("instanceof")
                .push(self.expr(operand))
                .push(type_atom(ty))
                .done(),
            ExprKind::New { ty, args, array } => {
                let list = head("new").push(type_atom(ty));
                let list = if args.parens || !args.items.is_empty() || !args.closures.is_empty() {
                    self.args(list, args)
                } else {
                    list
                };
                list.extend(array.as_ref().map(|dims| {
                    List::new(atom("array"))
                        .extend(dims.iter().map(|expr| self.expr(expr)))
                        .done()
                }))
                .done()
            }
            ExprKind::Paren(inner) => head("paren").push(self.expr(inner)).done(),
            ExprKind::Spread(inner) => head("*").push(self.expr(inner)).done(),
            ExprKind::Annotation(annotation) => self.annotation(annotation),
        }
    }

    fn gstring(&self, list: List, gstring: &GString) -> Doc {
        let list = if gstring.quote == Quote::Double {
            list
        } else {
            list.atom(quote_tag(gstring.quote))
        };
        let parts = gstring.parts.iter().map(|part| match part {
            GStringPart::Text(text) => self.tag(&quoted(&text.node), text.span),
            GStringPart::Interp { expr, braces } => List::new(atom("interp"))
                .atom(if *braces { "${}" } else { "$" })
                .push(self.expr(expr))
                .done(),
            GStringPart::Empty(span) => List::new(self.tag("interp", *span)).atom("${}").done(),
        });
        list.extend(parts).done()
    }

    fn prop_name(&self, prop: &PropName) -> Doc {
        match prop {
            PropName::Name(ident) => atom(name(&ident.node)),
            PropName::Quoted(expr) => self.expr(expr),
            PropName::Dynamic(expr) => List::new(atom("dynamic")).push(self.expr(expr)).done(),
        }
    }

    fn entry(&self, entry: &MapEntry) -> Doc {
        let list = match &entry.key {
            MapKey::Name(key) => List::new(atom(format!("{}:", name(&key.node)))),
            MapKey::Expr(key) => List::new(atom("key")).push(self.expr(key)),
            MapKey::Spread(span) => List::new(self.tag("*:", *span)),
        };
        list.push(self.expr(&entry.value)).done()
    }

    /// The form tag, the arguments, then the closures written after them.
    fn args(&self, list: List, args: &Args) -> List {
        let form = if args.parens { "paren" } else { "cmd" };
        let form = if self.spans {
            format!("[{form}@{}]", args.span)
        } else {
            format!("[{form}]")
        };
        let items = args.items.iter().map(|arg| match arg {
            Arg::Positional(expr) if matches!(expr.node, ExprKind::Closure(_)) => {
                List::new(atom("arg")).push(self.expr(expr)).done()
            }
            Arg::Positional(expr) => self.expr(expr),
            Arg::Named(entry) => self.entry(entry),
            Arg::Spread(expr) => List::new(atom("*")).push(self.expr(expr)).done(),
        });
        let closures = args.closures.iter().map(|expr| match expr.node {
            ExprKind::Closure(_) => self.expr(expr),
            // Not a closure: marked, so that it cannot pass for an argument.
            _ => List::new(atom("trailing")).push(self.expr(expr)).done(),
        });
        list.atom(form).extend(items).extend(closures)
    }

    fn closure(&self, list: List, closure: &Closure) -> Doc {
        let list = match &closure.params {
            Some(params) => list.push(
                List::new(atom("->"))
                    .extend(params.iter().map(|param| self.param(param)))
                    .done(),
            ),
            None => list,
        };
        self.stmts(list, closure.body.iter()).done()
    }
}

fn number_doc(list: List, number: &NumberLit) -> Doc {
    let mut flags: Vec<String> = Vec::new();
    match number.radix {
        10 => {}
        16 => flags.push("hex".into()),
        8 => flags.push("oct".into()),
        2 => flags.push("bin".into()),
        other => flags.push(format!("radix-{other}")),
    }
    flags.extend(number.suffix.map(String::from));
    let list = list.atom(&number.digits);
    if flags.is_empty() {
        list.done()
    } else {
        list.atom(format!("[{}]", flags.join(" "))).done()
    }
}

fn quote_tag(quote: Quote) -> &'static str {
    match quote {
        Quote::Single => "[single]",
        Quote::Double => "[double]",
        Quote::TripleSingle => "[triple-single]",
        Quote::TripleDouble => "[triple-double]",
        Quote::Slashy => "[slashy]",
        Quote::DollarSlashy => "[dollar-slashy]",
    }
}

fn nav_symbol(nav: Nav) -> &'static str {
    match nav {
        Nav::Dot => ".",
        Nav::Safe => "?.",
        Nav::Spread => "*.",
        Nav::Attribute => ".@",
    }
}

fn type_atom(ty: &Type) -> Doc {
    atom(format!(":{}", type_text(ty)))
}

/// `java.util.Map<String,List<String>>[]`, without spaces so that it stays one atom.
fn type_text(ty: &Type) -> String {
    let mut text = ty.name.clone();
    push_generics(&mut text, &ty.generics);
    for _ in 0..ty.array_dims {
        text.push_str("[]");
    }
    text
}

fn push_generics(text: &mut String, generics: &[Type]) {
    if !generics.is_empty() {
        text.push('<');
        for (i, generic) in generics.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&type_text(generic));
        }
        text.push('>');
    }
}

/// A name as is when it is a plain identifier, else quoted (a method named by a string).
fn name(text: &str) -> String {
    let mut chars = text.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Rust-like escaping in double quotes; control and invisible characters become `\u{…}`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control()
                || (c.is_whitespace() && c != ' ')
                || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}') =>
            {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{sexpr, sexpr_with_spans};
    use crate::source::{Span, Spanned};
    use crate::syntax::ast::{
        Annotation, AnnotationArg, Arg, Args, AssignOp, BinaryOp, Block, CaseLabel, Catch,
        ClassDef, ClassKind, Closure, Comment, CommentKind, DeclTargets, Declarator, Expr,
        ExprKind, File, GString, GStringPart, Ident, Import, MapEntry, MapKey, Member, MethodDef,
        Nav, NumberLit, Param, PropName, Quote, Stmt, StmtKind, StrLit, SwitchCase, Type, UnaryOp,
        VarDecl,
    };

    /// Strips the first line break and the indentation common to all lines, as `indoc!` does.
    fn dedent(text: &str) -> String {
        let text = text.strip_prefix('\n').unwrap_or(text);
        let text = text.trim_end_matches(' ');
        let margin = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start().len())
            .min()
            .unwrap_or(0);
        let mut out = String::new();
        for line in text.lines() {
            out.push_str(line.get(margin..).unwrap_or(""));
            out.push('\n');
        }
        out
    }

    fn no_span<T>(node: T) -> Spanned<T> {
        Spanned::new(node, Span::default())
    }

    fn id(name: &str) -> Ident {
        no_span(name.to_string())
    }

    fn e(kind: ExprKind) -> Expr {
        no_span(kind)
    }

    fn b(kind: ExprKind) -> Box<Expr> {
        Box::new(e(kind))
    }

    fn var(name: &str) -> Expr {
        e(ExprKind::Var(name.to_string()))
    }

    fn str_lit(value: &str, quote: Quote) -> Expr {
        e(ExprKind::Str(StrLit {
            value: value.to_string(),
            quote,
        }))
    }

    fn sq(value: &str) -> Expr {
        str_lit(value, Quote::Single)
    }

    fn number(digits: &str, radix: u32, suffix: Option<char>) -> NumberLit {
        NumberLit {
            digits: digits.to_string(),
            radix,
            suffix,
        }
    }

    fn int(digits: &str) -> Expr {
        e(ExprKind::Int(number(digits, 10, None)))
    }

    fn args(parens: bool, items: Vec<Arg>, closures: Vec<Expr>) -> Args {
        Args {
            items,
            closures,
            parens,
            span: Span::default(),
        }
    }

    fn call(name: &str, parens: bool, items: Vec<Arg>, closures: Vec<Expr>) -> Expr {
        e(ExprKind::MethodCall {
            receiver: None,
            nav: Nav::Dot,
            name: PropName::Name(id(name)),
            args: args(parens, items, closures),
        })
    }

    fn cmd(name: &str, arg: Expr) -> Expr {
        call(name, false, vec![Arg::Positional(arg)], vec![])
    }

    fn named(key: &str, value: Expr) -> Arg {
        Arg::Named(MapEntry {
            key: MapKey::Name(id(key)),
            value,
        })
    }

    fn closure(body: Vec<Stmt>) -> Expr {
        e(ExprKind::Closure(Closure { params: None, body }))
    }

    fn stmt(expr: Expr) -> Stmt {
        no_span(StmtKind::Expr(expr))
    }

    fn block(stmts: Vec<Stmt>) -> Block {
        Block {
            stmts,
            span: Span::default(),
        }
    }

    fn ty(name: &str) -> Type {
        Type {
            name: name.to_string(),
            generics: vec![],
            array_dims: 0,
            span: Span::default(),
        }
    }

    fn param(ty: Option<Type>, name: &str) -> Param {
        Param {
            annotations: vec![],
            modifiers: vec![],
            ty,
            vararg: false,
            name: id(name),
            default: None,
        }
    }

    fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        e(ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        })
    }

    fn prop(target: Expr, nav: Nav, name: &str) -> Expr {
        e(ExprKind::Property {
            target: Box::new(target),
            name: PropName::Name(id(name)),
            nav,
        })
    }

    fn print(stmts: Vec<Stmt>) -> String {
        sexpr(&File {
            shebang: None,
            stmts,
            comments: vec![],
        })
    }

    fn print_exprs(exprs: Vec<Expr>) -> String {
        print(exprs.into_iter().map(stmt).collect())
    }

    fn decl(modifiers: &[&str], ty: Option<Type>, targets: DeclTargets) -> VarDecl {
        VarDecl {
            annotations: vec![],
            modifiers: modifiers.iter().map(|m| id(m)).collect(),
            ty,
            targets,
        }
    }

    #[test]
    fn the_examples_from_the_design() {
        let method = MethodDef {
            annotations: vec![],
            modifiers: vec![id("def")],
            ret: None,
            name: id("foo"),
            params: vec![
                param(Some(ty("String")), "a"),
                Param {
                    default: Some(int("1")),
                    ..param(None, "b")
                },
            ],
            throws: vec![],
            body: Some(block(vec![stmt(var("a"))])),
        };
        let gstring = e(ExprKind::GString(GString {
            parts: vec![
                GStringPart::Text(no_span("x".to_string())),
                GStringPart::Interp {
                    expr: prop(var("env"), Nav::Dot, "BRANCH_NAME"),
                    braces: false,
                },
            ],
            quote: Quote::Double,
        }));
        let out = print(vec![
            stmt(cmd("sh", sq("make"))),
            no_span(StmtKind::VarDecl(decl(
                &["def"],
                None,
                DeclTargets::Names(vec![Declarator {
                    name: id("x"),
                    init: Some(int("1")),
                }]),
            ))),
            stmt(call(
                "stage",
                true,
                vec![Arg::Positional(sq("Build"))],
                vec![closure(vec![stmt(cmd("sh", sq("make")))])],
            )),
            no_span(StmtKind::Method(method)),
            stmt(binary(BinaryOp::Add, var("a"), gstring)),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (call sh [cmd] "make")
                (decl def x (int 1))
                (call stage [paren] "Build" (closure (call sh [cmd] "make")))
                (method def foo (params (param :String a) (param b (default (int 1))))
                  (block (var a)))
                (binary + (var a) (gstring "x" (interp $ (prop . (var env) BRANCH_NAME))))
                "#
            )
        );
    }

    #[test]
    fn blocks_of_two_statements_take_a_line_each() {
        let steps = call(
            "steps",
            false,
            vec![],
            vec![closure(vec![
                stmt(cmd("sh", sq("make"))),
                stmt(cmd("junit", sq("x.xml"))),
            ])],
        );
        let stage = call(
            "stage",
            true,
            vec![Arg::Positional(sq("Build"))],
            vec![closure(vec![stmt(steps)])],
        );
        let pipeline = call(
            "pipeline",
            false,
            vec![],
            vec![closure(vec![
                stmt(cmd("agent", var("any"))),
                stmt(call(
                    "stages",
                    false,
                    vec![],
                    vec![closure(vec![stmt(stage)])],
                )),
            ])],
        );
        assert_eq!(
            print_exprs(vec![pipeline]),
            dedent(
                r#"
                (call pipeline [cmd]
                  (closure
                    (call agent [cmd] (var any))
                    (call stages [cmd]
                      (closure
                        (call stage [paren] "Build"
                          (closure
                            (call steps [cmd]
                              (closure
                                (call sh [cmd] "make")
                                (call junit [cmd] "x.xml")))))))))
                "#
            )
        );
    }

    #[test]
    fn long_expressions_break_after_what_fits() {
        let long = |name: &str| cmd("echo", sq(&name.repeat(20)));
        let out = print_exprs(vec![
            binary(BinaryOp::Or, long("a"), long("b")),
            cmd("echo", sq(&"c".repeat(80))),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (binary || (call echo [cmd] "aaaaaaaaaaaaaaaaaaaa")
                  (call echo [cmd] "bbbbbbbbbbbbbbbbbbbb"))
                (call echo [cmd]
                  "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")
                "#
            )
        );
    }

    #[test]
    fn literals_show_radix_suffix_and_quotes() {
        let out = print_exprs(vec![
            int("42"),
            e(ExprKind::Int(number("1F", 16, Some('L')))),
            e(ExprKind::Int(number("101", 2, None))),
            e(ExprKind::Int(number("17", 8, Some('G')))),
            e(ExprKind::Int(number("12", 3, None))),
            e(ExprKind::Decimal(number("1.5e3", 10, Some('D')))),
            e(ExprKind::Null),
            e(ExprKind::Bool(true)),
            e(ExprKind::Bool(false)),
            e(ExprKind::This),
            e(ExprKind::Super),
            sq("it's"),
            str_lit("s", Quote::Double),
            str_lit("a\nb", Quote::TripleSingle),
            str_lit("a\nb", Quote::TripleDouble),
            str_lit("[a-z]+", Quote::Slashy),
            str_lit("$x", Quote::DollarSlashy),
            sq("tab\t\"q\" \\ nul\0 esc\u{1b} zw\u{200b} nbsp\u{a0} é ∑"),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (int 42)
                (int 1F [hex L])
                (int 101 [bin])
                (int 17 [oct G])
                (int 12 [radix-3])
                (decimal 1.5e3 [D])
                null
                true
                false
                this
                super
                "it's"
                (str [double] "s")
                (str [triple-single] "a\nb")
                (str [triple-double] "a\nb")
                (str [slashy] "[a-z]+")
                (str [dollar-slashy] "$x")
                "tab\t\"q\" \\ nul\0 esc\u{1b} zw\u{200b} nbsp\u{a0} é ∑"
                "#
            )
        );
    }

    #[test]
    fn gstrings_show_each_part() {
        let parts = vec![
            GStringPart::Text(no_span("a ".to_string())),
            GStringPart::Interp {
                expr: var("b"),
                braces: false,
            },
            GStringPart::Interp {
                expr: binary(BinaryOp::Add, var("c"), int("1")),
                braces: true,
            },
            GStringPart::Empty(Span::default()),
            GStringPart::Text(no_span("\n".to_string())),
        ];
        let out = print_exprs(vec![
            e(ExprKind::GString(GString {
                parts: parts.clone(),
                quote: Quote::Double,
            })),
            e(ExprKind::GString(GString {
                parts,
                quote: Quote::TripleDouble,
            })),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (gstring "a " (interp $ (var b)) (interp ${} (binary + (var c) (int 1)))
                  (interp ${})
                  "\n")
                (gstring [triple-double] "a " (interp $ (var b))
                  (interp ${} (binary + (var c) (int 1)))
                  (interp ${})
                  "\n")
                "#
            )
        );
    }

    #[test]
    fn calls_show_form_named_spread_and_trailing_closures() {
        let receiver_call = e(ExprKind::MethodCall {
            receiver: Some(b(ExprKind::Var("a".to_string()))),
            nav: Nav::Safe,
            name: PropName::Name(id("b")),
            args: args(true, vec![Arg::Positional(int("1"))], vec![]),
        });
        let quoted_name = e(ExprKind::MethodCall {
            receiver: Some(b(ExprKind::Var("steps".to_string()))),
            nav: Nav::Dot,
            name: PropName::Quoted(Box::new(sq("my step"))),
            args: args(true, vec![], vec![]),
        });
        let apply = e(ExprKind::Call {
            callee: Box::new(call("f", true, vec![], vec![])),
            args: args(true, vec![], vec![]),
        });
        let out = print_exprs(vec![
            call(
                "git",
                false,
                vec![named("url", sq("u")), named("branch", var("b"))],
                vec![],
            ),
            call(
                "f",
                true,
                vec![
                    Arg::Positional(int("1")),
                    Arg::Positional(closure(vec![stmt(var("it"))])),
                ],
                vec![],
            ),
            call(
                "f",
                true,
                vec![Arg::Positional(int("1"))],
                vec![closure(vec![stmt(var("it"))])],
            ),
            call(
                "f",
                true,
                vec![
                    Arg::Spread(var("xs")),
                    Arg::Named(MapEntry {
                        key: MapKey::Spread(Span::default()),
                        value: var("m"),
                    }),
                ],
                vec![],
            ),
            call("node", false, vec![], vec![closure(vec![])]),
            call("f", true, vec![], vec![var("notAClosure")]),
            receiver_call,
            quoted_name,
            apply,
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (call git [cmd] (url: "u") (branch: (var b)))
                (call f [paren] (int 1) (arg (closure (var it))))
                (call f [paren] (int 1) (closure (var it)))
                (call f [paren] (* (var xs)) (*: (var m)))
                (call node [cmd] (closure))
                (call f [paren] (trailing (var notAClosure)))
                (call ?. (var a) b [paren] (int 1))
                (call . (var steps) "my step" [paren])
                (apply (call f [paren]) [paren])
                "#
            )
        );
    }

    #[test]
    fn members_indexes_and_operators() {
        let unary = |op, operand: &str| {
            e(ExprKind::Unary {
                op,
                operand: b(ExprKind::Var(operand.to_string())),
            })
        };
        let map = e(ExprKind::Map(vec![
            MapEntry {
                key: MapKey::Name(id("k")),
                value: var("v"),
            },
            MapEntry {
                key: MapKey::Expr(e(ExprKind::Paren(b(ExprKind::Var("x".to_string()))))),
                value: var("y"),
            },
            MapEntry {
                key: MapKey::Expr(sq("if")),
                value: int("1"),
            },
        ]));
        let out = print_exprs(vec![
            prop(var("a"), Nav::Dot, "b"),
            prop(var("a"), Nav::Safe, "b"),
            prop(var("a"), Nav::Spread, "b"),
            prop(var("a"), Nav::Attribute, "b"),
            e(ExprKind::Property {
                target: b(ExprKind::Var("a".to_string())),
                name: PropName::Dynamic(b(ExprKind::Var("n".to_string()))),
                nav: Nav::Dot,
            }),
            e(ExprKind::Index {
                target: b(ExprKind::Var("a".to_string())),
                index: vec![int("1"), int("2")],
                safe: false,
            }),
            e(ExprKind::Index {
                target: b(ExprKind::Var("a".to_string())),
                index: vec![int("0")],
                safe: true,
            }),
            e(ExprKind::MethodPointer {
                target: b(ExprKind::This),
                name: id("helper"),
            }),
            unary(UnaryOp::Neg, "x"),
            unary(UnaryOp::Not, "x"),
            unary(UnaryOp::BitNot, "x"),
            unary(UnaryOp::PreInc, "x"),
            unary(UnaryOp::PostDec, "x"),
            binary(BinaryOp::Match, var("a"), str_lit("b.*", Quote::Slashy)),
            binary(BinaryOp::In, var("a"), var("b")),
            e(ExprKind::Ternary {
                cond: b(ExprKind::Var("c".to_string())),
                then: b(ExprKind::Int(number("1", 10, None))),
                otherwise: b(ExprKind::Int(number("2", 10, None))),
            }),
            e(ExprKind::Elvis {
                value: b(ExprKind::Var("a".to_string())),
                fallback: Box::new(sq("d")),
            }),
            e(ExprKind::Assign {
                op: AssignOp::Add,
                target: b(ExprKind::Var("x".to_string())),
                value: b(ExprKind::Int(number("1", 10, None))),
            }),
            e(ExprKind::Assign {
                op: AssignOp::Elvis,
                target: Box::new(prop(var("env"), Nav::Dot, "X")),
                value: Box::new(sq("y")),
            }),
            e(ExprKind::TupleAssign {
                targets: vec![id("a"), id("b")],
                value: b(ExprKind::Var("pair".to_string())),
            }),
            e(ExprKind::Range {
                from: b(ExprKind::Int(number("1", 10, None))),
                to: b(ExprKind::Var("n".to_string())),
                exclusive: true,
            }),
            e(ExprKind::Range {
                from: b(ExprKind::Int(number("1", 10, None))),
                to: b(ExprKind::Int(number("2", 10, None))),
                exclusive: false,
            }),
            e(ExprKind::List(vec![
                int("1"),
                e(ExprKind::Spread(b(ExprKind::Var("xs".to_string())))),
            ])),
            map,
            e(ExprKind::Map(vec![])),
            e(ExprKind::Paren(b(ExprKind::Var("a".to_string())))),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (prop . (var a) b)
                (prop ?. (var a) b)
                (prop *. (var a) b)
                (prop .@ (var a) b)
                (prop . (var a) (dynamic (var n)))
                (index [] (var a) (int 1) (int 2))
                (index ?[] (var a) (int 0))
                (method-ptr this helper)
                (unary - (var x))
                (unary ! (var x))
                (unary ~ (var x))
                (unary ++ (var x))
                (postfix -- (var x))
                (binary ==~ (var a) (str [slashy] "b.*"))
                (binary in (var a) (var b))
                (ternary (var c) (int 1) (int 2))
                (elvis (var a) "d")
                (assign += (var x) (int 1))
                (assign ?= (prop . (var env) X) "y")
                (tuple-assign (tuple a b) (var pair))
                (range ..< (int 1) (var n))
                (range .. (int 1) (int 2))
                (list (int 1) (* (var xs)))
                (map (k: (var v)) (key (paren (var x)) (var y)) (key "if" (int 1)))
                (map)
                (paren (var a))
                "#
            )
        );
    }

    #[test]
    fn types_casts_and_new() {
        let map_type = Type {
            generics: vec![
                ty("String"),
                Type {
                    generics: vec![ty("String")],
                    ..ty("List")
                },
            ],
            array_dims: 1,
            ..ty("java.util.Map")
        };
        let out = print_exprs(vec![
            e(ExprKind::Cast {
                ty: ty("int"),
                operand: b(ExprKind::Var("x".to_string())),
            }),
            e(ExprKind::As {
                operand: b(ExprKind::Var("x".to_string())),
                ty: map_type,
            }),
            e(ExprKind::InstanceOf {
                operand: b(ExprKind::Var("x".to_string())),
                ty: ty("Map"),
            }),
            e(ExprKind::New {
                ty: Type {
                    generics: vec![ty("String")],
                    ..ty("ArrayList")
                },
                args: args(true, vec![Arg::Positional(int("1"))], vec![]),
                array: None,
            }),
            e(ExprKind::New {
                ty: ty("int"),
                args: Args::default(),
                array: Some(vec![int("3")]),
            }),
            e(ExprKind::New {
                ty: Type {
                    array_dims: 1,
                    ..ty("int")
                },
                args: Args::default(),
                array: Some(vec![int("1"), int("2")]),
            }),
        ]);
        assert_eq!(
            out,
            dedent(
                r"
                (cast :int (var x))
                (as (var x) :java.util.Map<String,List<String>>[])
                (instanceof (var x) :Map)
                (new :ArrayList<String> [paren] (int 1))
                (new :int (array (int 3)))
                (new :int[] (array (int 1) (int 2)))
                "
            )
        );
    }

    #[test]
    fn closures_show_explicit_and_implicit_parameters() {
        let with_params = Closure {
            params: Some(vec![
                param(Some(ty("String")), "a"),
                Param {
                    default: Some(int("2")),
                    ..param(None, "b")
                },
            ]),
            body: vec![stmt(var("a")), stmt(var("b"))],
        };
        let out = print_exprs(vec![
            closure(vec![stmt(var("it"))]),
            e(ExprKind::Closure(Closure {
                params: Some(vec![]),
                body: vec![stmt(int("1"))],
            })),
            e(ExprKind::Closure(with_params)),
        ]);
        assert_eq!(
            out,
            dedent(
                r"
                (closure (var it))
                (closure (->) (int 1))
                (closure (-> (param :String a) (param b (default (int 2))))
                  (var a)
                  (var b))
                "
            )
        );
    }

    #[test]
    fn declarations_show_annotations_modifiers_and_types() {
        let field = VarDecl {
            annotations: vec![Annotation {
                name: id("Field"),
                args: vec![],
                span: Span::default(),
            }],
            ..decl(
                &["final"],
                Some(Type {
                    generics: vec![ty("K"), ty("V")],
                    array_dims: 2,
                    ..ty("Map")
                }),
                DeclTargets::Names(vec![
                    Declarator {
                        name: id("m"),
                        init: Some(e(ExprKind::Map(vec![]))),
                    },
                    Declarator {
                        name: id("n"),
                        init: None,
                    },
                ]),
            )
        };
        let tuple = decl(
            &["def"],
            None,
            DeclTargets::Tuple {
                names: vec![(None, id("a")), (Some(ty("String")), id("b"))],
                init: var("pair"),
            },
        );
        let grab = Annotation {
            name: id("groovy.lang.Grab"),
            args: vec![
                AnnotationArg {
                    name: Some(id("group")),
                    value: sq("g"),
                },
                AnnotationArg {
                    name: Some(id("module")),
                    value: sq("m"),
                },
            ],
            span: Span::default(),
        };
        let library = Annotation {
            name: id("Library"),
            args: vec![AnnotationArg {
                name: None,
                value: sq("lib@main"),
            }],
            span: Span::default(),
        };
        let import = |annotations, is_static, path: &str, star, alias: Option<&str>| {
            no_span(StmtKind::Import(Import {
                annotations,
                is_static,
                path: id(path),
                star,
                alias: alias.map(id),
            }))
        };
        let out = print(vec![
            no_span(StmtKind::Package(id("org.example"))),
            import(vec![grab], false, "a.B", false, None),
            import(vec![], true, "java.lang.Math", true, None),
            import(vec![library], false, "a.B", false, Some("C")),
            no_span(StmtKind::VarDecl(field)),
            no_span(StmtKind::VarDecl(tuple)),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (package org.example)
                (import (@groovy.lang.Grab (group = "g") (module = "m")) a.B)
                (import static java.lang.Math.*)
                (import (@Library "lib@main") a.B as C)
                (decl (@Field) final :Map<K,V>[][] m (map) n)
                (decl def (tuple a :String b) (var pair))
                "#
            )
        );
    }

    #[test]
    fn methods_and_classes() {
        let method = MethodDef {
            annotations: vec![Annotation {
                name: id("NonCPS"),
                args: vec![],
                span: Span::default(),
            }],
            modifiers: vec![id("private"), id("static")],
            ret: Some(ty("String")),
            name: id("f"),
            params: vec![
                Param {
                    default: Some(int("1")),
                    ..param(Some(ty("int")), "a")
                },
                Param {
                    vararg: true,
                    ..param(Some(ty("String")), "rest")
                },
                Param {
                    vararg: true,
                    modifiers: vec![id("final")],
                    ..param(None, "more")
                },
            ],
            throws: vec![ty("IOException"), ty("E")],
            body: Some(block(vec![no_span(StmtKind::Return(Some(var("a"))))])),
        };
        let string_named = MethodDef {
            annotations: vec![],
            modifiers: vec![id("def")],
            ret: None,
            name: id("my method"),
            params: vec![],
            throws: vec![],
            body: None,
        };
        let class = ClassDef {
            annotations: vec![],
            modifiers: vec![id("public")],
            kind: ClassKind::Class,
            name: id("Box"),
            generics: vec![ty("T")],
            extends: vec![ty("Base")],
            implements: vec![ty("Serializable"), ty("Cloneable")],
            constants: vec![],
            members: vec![
                Member::Field(no_span(decl(
                    &["private"],
                    Some(ty("T")),
                    DeclTargets::Names(vec![Declarator {
                        name: id("value"),
                        init: None,
                    }]),
                ))),
                Member::Method(no_span(string_named)),
                Member::Initializer {
                    is_static: true,
                    body: block(vec![]),
                },
            ],
        };
        let colour = ClassDef {
            annotations: vec![],
            modifiers: vec![],
            kind: ClassKind::Enum,
            name: id("Colour"),
            generics: vec![],
            extends: vec![],
            implements: vec![],
            constants: vec![id("RED"), id("GREEN")],
            members: vec![],
        };
        let out = print(vec![
            no_span(StmtKind::Method(method)),
            no_span(StmtKind::Class(class)),
            no_span(StmtKind::Class(colour)),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (method (@NonCPS) private static :String f
                  (params (param :int a (default (int 1))) (param :String... rest)
                    (param final ... more))
                  (throws :IOException :E)
                  (block (return (var a))))
                (class public Box<T> (extends :Base) (implements :Serializable :Cloneable)
                  (field private :T value)
                  (method def "my method" (params))
                  (init static (block)))
                (enum Colour (constants RED GREEN))
                "#
            )
        );
    }

    #[test]
    fn control_flow_statements() {
        let echo = |text: &str| stmt(cmd("echo", sq(text)));
        let if_else = StmtKind::If {
            cond: var("ok"),
            then: Box::new(no_span(StmtKind::Block(block(vec![echo("yes")])))),
            otherwise: Some(Box::new(no_span(StmtKind::Block(block(vec![
                echo("no"),
                echo("really"),
            ]))))),
        };
        let for_loop = StmtKind::For {
            init: vec![no_span(StmtKind::VarDecl(decl(
                &[],
                Some(ty("int")),
                DeclTargets::Names(vec![Declarator {
                    name: id("i"),
                    init: Some(int("0")),
                }]),
            )))],
            cond: Some(binary(BinaryOp::Lt, var("i"), int("3"))),
            update: vec![e(ExprKind::Unary {
                op: UnaryOp::PostInc,
                operand: b(ExprKind::Var("i".to_string())),
            })],
            body: Box::new(echo("loop")),
        };
        let forever = StmtKind::For {
            init: vec![],
            cond: None,
            update: vec![],
            body: Box::new(no_span(StmtKind::Break(None))),
        };
        let for_in = StmtKind::ForIn {
            ty: Some(ty("String")),
            var: id("x"),
            iterable: var("xs"),
            body: Box::new(no_span(StmtKind::Continue(Some(id("outer"))))),
        };
        let switch = StmtKind::Switch {
            subject: var("x"),
            cases: vec![
                SwitchCase {
                    labels: vec![CaseLabel::Case(int("1")), CaseLabel::Case(int("2"))],
                    body: vec![echo("small"), no_span(StmtKind::Break(None))],
                    span: Span::default(),
                },
                SwitchCase {
                    labels: vec![CaseLabel::Default(Span::default())],
                    body: vec![echo("other")],
                    span: Span::default(),
                },
            ],
        };
        let try_stmt = StmtKind::Try {
            body: block(vec![echo("try")]),
            catches: vec![
                Catch {
                    types: vec![ty("IOException"), ty("RuntimeException")],
                    var: id("e"),
                    body: block(vec![no_span(StmtKind::Throw(var("e")))]),
                },
                Catch {
                    types: vec![],
                    var: id("e"),
                    body: block(vec![]),
                },
            ],
            finally: Some(block(vec![echo("done")])),
        };
        let out = print(vec![
            no_span(if_else),
            no_span(StmtKind::While {
                cond: e(ExprKind::Bool(true)),
                body: Box::new(no_span(StmtKind::Block(block(vec![])))),
            }),
            no_span(for_loop),
            no_span(forever),
            no_span(for_in),
            no_span(switch),
            no_span(try_stmt),
            no_span(StmtKind::Return(None)),
            no_span(StmtKind::Assert {
                cond: var("ok"),
                message: Some(sq("not ok")),
            }),
            no_span(StmtKind::Labeled {
                label: id("outer"),
                body: Box::new(echo("x")),
            }),
        ]);
        assert_eq!(
            out,
            dedent(
                r#"
                (if (var ok)
                  (block (call echo [cmd] "yes"))
                  (block
                    (call echo [cmd] "no")
                    (call echo [cmd] "really")))
                (while true (block))
                (for (init (decl :int i (int 0))) (cond (binary < (var i) (int 3)))
                  (update (postfix ++ (var i)))
                  (call echo [cmd] "loop"))
                (for (init) (cond) (update) (break))
                (for-in :String x (var xs) (continue outer))
                (switch (var x)
                  (case (int 1) (int 2)
                    (body
                      (call echo [cmd] "small")
                      (break)))
                  (case default (body (call echo [cmd] "other"))))
                (try
                  (block (call echo [cmd] "try"))
                  (catch :IOException :RuntimeException e (block (throw (var e))))
                  (catch e (block))
                  (finally (block (call echo [cmd] "done"))))
                (return)
                (assert (var ok) "not ok")
                (label outer (call echo [cmd] "x"))
                "#
            )
        );
    }

    #[test]
    fn spans_on_statements_and_expressions() {
        // `sh 'make'; x = [1]` with a statement span that takes in the `;`.
        let sh = Spanned::new(
            ExprKind::MethodCall {
                receiver: None,
                nav: Nav::Dot,
                name: PropName::Name(Spanned::new("sh".to_string(), Span::new(0, 2))),
                args: Args {
                    items: vec![Arg::Positional(Spanned::new(
                        ExprKind::Str(StrLit {
                            value: "make".to_string(),
                            quote: Quote::Single,
                        }),
                        Span::new(3, 9),
                    ))],
                    closures: vec![],
                    parens: false,
                    span: Span::new(3, 9),
                },
            },
            Span::new(0, 9),
        );
        let assign = Spanned::new(
            ExprKind::Assign {
                op: AssignOp::Assign,
                target: Box::new(Spanned::new(
                    ExprKind::Var("x".to_string()),
                    Span::new(11, 12),
                )),
                value: Box::new(Spanned::new(
                    ExprKind::List(vec![Spanned::new(
                        ExprKind::Int(number("1", 10, None)),
                        Span::new(16, 17),
                    )]),
                    Span::new(15, 18),
                )),
            },
            Span::new(11, 18),
        );
        let file = File {
            shebang: Some(Span::new(0, 0)),
            stmts: vec![
                Spanned::new(StmtKind::Expr(sh), Span::new(0, 10)),
                Spanned::new(StmtKind::Expr(assign), Span::new(11, 18)),
            ],
            comments: vec![
                Comment {
                    kind: CommentKind::Line,
                    span: Span::new(19, 25),
                },
                Comment {
                    kind: CommentKind::Doc,
                    span: Span::new(26, 40),
                },
            ],
        };
        assert_eq!(
            sexpr_with_spans(&file),
            dedent(
                r#"
                (shebang@0..0)
                (stmt@0..10 (call@0..9 sh [cmd@3..9] "make"@3..9))
                (assign@11..18 = (var@11..12 x) (list@15..18 (int@16..17 1)))
                (comments line@19..25 doc@26..40)
                "#
            )
        );
        assert_eq!(
            sexpr(&file),
            dedent(
                r#"
                (shebang)
                (call sh [cmd] "make")
                (assign = (var x) (list (int 1)))
                (comments line doc)
                "#
            )
        );
    }

    #[test]
    fn an_empty_file_prints_nothing() {
        assert_eq!(print(vec![]), "");
    }

    #[test]
    fn trees_as_deep_as_the_parser_allows_print_on_a_test_thread() {
        let mut expr = int("1");
        for level in 0..crate::syntax::MAX_NESTING {
            expr = match level % 3 {
                0 => e(ExprKind::Paren(Box::new(expr))),
                1 => call("f", true, vec![Arg::Positional(expr)], vec![]),
                _ => closure(vec![stmt(expr)]),
            };
        }
        let mut nested = stmt(expr);
        for _ in 0..crate::syntax::MAX_NESTING {
            nested = no_span(StmtKind::Block(block(vec![nested])));
        }
        let out = print(vec![nested]);
        assert!(out.starts_with("(block\n  (block\n"));
        assert_eq!(out.matches("(paren").count(), 167);
    }
}
