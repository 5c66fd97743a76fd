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
mod tests;
