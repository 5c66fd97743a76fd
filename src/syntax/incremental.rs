//! Reparsing after an edit, for the language server: only the innermost closure or block that
//! holds the whole edit is parsed again, and its tree is put in place of the old one, with
//! every later span moved by the length change. Anything this cannot prove equal to a full
//! parse of the new text takes the full parse instead.
//!
//! Why a fragment may stand alone: the grammar reads a `{ … }` closure or block the same way
//! wherever it is, because it pushes its own newline marker and reads nothing past its `}`;
//! so when the new text between the same braces parses as that rule up to exactly that `}`,
//! the whole file parses to the old tree with the new fragment inside. The exceptions are
//! handled by refusing them:
//! - a `{` that opens a statement is a block or a closure according to what follows inside
//!   (`{ a -> … }`), so closures there are never reparsed alone;
//! - class members are lowered with rules of their own, so nothing in a class is;
//! - the lowering's nesting limit counts from the root, so the fragment is lowered as if it
//!   sat `FRAGMENT_BASE` levels deep, and only fragments with at most `MAX_ANCESTORS` nodes
//!   above them are taken (each node adds at most a level or two when the whole file is
//!   lowered, so the full parse stays under the limit whenever the fragment does);
//! - the nesting pre-scan of the whole new text still runs first.
//!
//! `tests/lsp_incremental.rs` compares this with a full parse over thousands of random edits.

mod walk;

use pest::Parser as _;

use super::lower::{self, Fragment};
use super::parser::{GroovyParser, Rule};
use super::{MAX_NESTING, ast, depth, on_parse_stack, parse};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use walk::{Place, Visit};

/// The depth a fragment is lowered at.
const FRAGMENT_BASE: usize = MAX_NESTING / 2;
/// Fragments deeper in the tree than this are not reparsed alone.
const MAX_ANCESTORS: usize = MAX_NESTING / 8;

/// A reparse's result, and whether it reused the previous tree.
#[derive(Debug)]
pub struct Reparse {
    pub result: Result<ast::File, Vec<Diagnostic>>,
    /// `true` when only a fragment was parsed; `false` for a full parse.
    pub spliced: bool,
}

/// Parses `source`, the new text of a file whose previous text `old_text` parsed to `old`.
#[must_use]
pub fn reparse(old_text: &str, old: &ast::File, source: &SourceFile) -> Reparse {
    match splice(old_text, old, &source.text) {
        Some(file) => Reparse {
            result: Ok(file),
            spliced: true,
        },
        None => Reparse {
            result: parse(source),
            spliced: false,
        },
    }
}

/// The changed byte range: `old[start..old_end]` became `new[start..new_end]`.
#[derive(Clone, Copy, Debug)]
struct Edit {
    start: usize,
    old_end: usize,
    new_end: usize,
}

fn diff(old: &str, new: &str) -> Edit {
    let (o, n) = (old.as_bytes(), new.as_bytes());
    let mut start = o.iter().zip(n).take_while(|(a, b)| a == b).count();
    while !new.is_char_boundary(start) {
        start -= 1;
    }
    let room = o.len().min(n.len()) - start;
    let suffix = o
        .iter()
        .rev()
        .zip(n.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    Edit {
        start,
        old_end: o.len() - suffix,
        new_end: n.len() - suffix,
    }
}

/// The fragment to reparse: its kind, the span of its node in the old tree, and where its `{`
/// is (a closure appended on a later line has the line break in its span).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Target {
    rule: Rule,
    span: Span,
    brace: usize,
    depth: usize,
}

fn splice(old_text: &str, old: &ast::File, new_text: &str) -> Option<ast::File> {
    if old_text == new_text {
        return Some(old.clone());
    }
    if depth::check(new_text).is_some() {
        return None;
    }
    let edit = diff(old_text, new_text);
    let mut tree = old.clone();
    let mut find = Find {
        text: old_text,
        edit,
        best: None,
    };
    walk::file(&mut tree, &mut find);
    let target = find.best?;
    let delta = i64::try_from(edit.new_end).ok()? - i64::try_from(edit.old_end).ok()?;
    let old_end = target.span.end as usize;
    let new_end = usize::try_from(i64::try_from(old_end).ok()? + delta).ok()?;
    // The rule runs on the whole rest of the file, as it would in a full parse: an attempt
    // inside the braces (an unclosed `'''`) may read past them, and must see what is there.
    let rest = new_text.get(target.brace..)?;
    // The code around the fragment is in brace or parenthesis mode; both must agree.
    let rules = if target.rule == Rule::closure {
        [Rule::closure_in_braces, Rule::closure_in_parens]
    } else {
        [Rule::block_in_braces, Rule::block_in_parens]
    };
    let alone = |rule: Rule| {
        let pairs = GroovyParser::parse(rule, rest).ok()?;
        let end = pairs.peek()?.as_span().end();
        if target.brace + end != new_end {
            return None;
        }
        lower::fragment(pairs, FRAGMENT_BASE).ok()
    };
    let (fragment, comments) = on_parse_stack(|| {
        let in_braces = alone(rules[0])?;
        (alone(rules[1])? == in_braces).then_some(in_braces)
    })?;
    let base = u32::try_from(target.brace).ok()?;
    let mut fragment = match fragment {
        Fragment::Closure(c) => ast::Expr::new(ast::ExprKind::Closure(c), Span::new(0, 0)),
        Fragment::Block(b) => ast::Expr::new(
            ast::ExprKind::Closure(ast::Closure {
                params: None,
                body: vec![ast::Stmt::new(ast::StmtKind::Block(b), Span::new(0, 0))],
            }),
            Span::new(0, 0),
        ),
    };
    // Move the fragment's spans from its own text to the file's. `Span::default()` marks a
    // part the source does not write (the arguments of `new T[n]`): a full parse leaves it at
    // 0..0, so the splice must too. No written node of a fragment is empty at its `{`.
    walk_expr_spans(&mut fragment, |span| {
        if *span != Span::default() {
            span.start += base;
            span.end += base;
        }
    });
    let replacement = match (target.rule, fragment.node) {
        (Rule::closure, closure @ ast::ExprKind::Closure(_)) => Replacement::Closure(closure),
        (Rule::block, ast::ExprKind::Closure(mut c)) => match c.body.pop()?.node {
            ast::StmtKind::Block(b) => Replacement::Block(b),
            _ => return None,
        },
        _ => return None,
    };
    let old_comments = std::mem::take(&mut tree.comments);
    let mut put = Put {
        target,
        old_end: u32::try_from(old_end).ok()?,
        new_end: u32::try_from(new_end).ok()?,
        delta,
        replacement: Some(replacement),
    };
    walk::file(&mut tree, &mut put);
    if put.replacement.is_some() {
        return None;
    }
    // The comments before the fragment, the fragment's own, then the later ones moved.
    let (from, to) = (target.span.start, put.old_end);
    let mut comments_out = Vec::with_capacity(old_comments.len() + comments.len());
    comments_out.extend(old_comments.iter().filter(|c| c.span.start < from).copied());
    comments_out.extend(comments.into_iter().map(|mut c| {
        c.span.start += base;
        c.span.end += base;
        c
    }));
    for mut c in old_comments.into_iter().filter(|c| c.span.start >= to) {
        put.span(&mut c.span);
        comments_out.push(c);
    }
    tree.comments = comments_out;
    Some(tree)
}

/// Applies `f` to every span of one expression.
fn walk_expr_spans(expr: &mut ast::Expr, f: impl FnMut(&mut Span)) {
    struct Each<F>(F);
    impl<F: FnMut(&mut Span)> Visit for Each<F> {
        fn span(&mut self, span: &mut Span) {
            (self.0)(span);
        }
        fn closure(&mut self, _: &mut ast::Expr, _: Place) -> bool {
            false
        }
        fn block(&mut self, _: &mut ast::Block, _: Place) -> bool {
            false
        }
    }
    let mut file = ast::File {
        shebang: None,
        stmts: vec![ast::Stmt::new(
            ast::StmtKind::Expr(std::mem::replace(
                expr,
                ast::Expr::new(ast::ExprKind::Null, Span::new(0, 0)),
            )),
            Span::new(0, 0),
        )],
        comments: Vec::new(),
    };
    walk::file(&mut file, &mut Each(f));
    if let Some(ast::Stmt {
        node: ast::StmtKind::Expr(e),
        ..
    }) = file.stmts.pop()
    {
        *expr = e;
    }
}

/// Finds the innermost closure or block that holds the whole edit strictly inside its braces.
struct Find<'t> {
    text: &'t str,
    edit: Edit,
    best: Option<Target>,
}

impl Find<'_> {
    fn consider(&mut self, rule: Rule, span: Span, place: Place) {
        if place.in_class || place.opens_statement || place.depth > MAX_ANCESTORS {
            return;
        }
        let (start, end) = (span.start as usize, span.end as usize);
        // A closure appended on a later line starts at the line break: only white space may
        // come before its `{` (a comment there would be the old text's, not the new one's).
        let Some(lead) = self
            .text
            .get(start..end)
            .and_then(|t| t.find(|c: char| !matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')))
        else {
            return;
        };
        let brace = start + lead;
        if self.text.as_bytes().get(brace) != Some(&b'{') || self.text.as_bytes()[end - 1] != b'}' {
            return;
        }
        if brace < self.edit.start && self.edit.old_end < end {
            self.best = Some(Target {
                rule,
                span,
                brace,
                depth: place.depth,
            });
        }
    }
}

impl Visit for Find<'_> {
    fn span(&mut self, _: &mut Span) {}

    fn closure(&mut self, expr: &mut ast::Expr, place: Place) -> bool {
        self.consider(Rule::closure, expr.span, place);
        // Nothing inside a node that ends before the edit or starts after it can hold it.
        self.skip(expr.span)
    }

    fn block(&mut self, block: &mut ast::Block, place: Place) -> bool {
        self.consider(Rule::block, block.span, place);
        self.skip(block.span)
    }
}

impl Find<'_> {
    fn skip(&self, span: Span) -> bool {
        (span.end as usize) <= self.edit.start || (span.start as usize) >= self.edit.old_end
    }
}

enum Replacement {
    Closure(ast::ExprKind),
    Block(ast::Block),
}

/// Puts the new fragment in place of the target and moves every span after it.
struct Put {
    target: Target,
    old_end: u32,
    new_end: u32,
    delta: i64,
    replacement: Option<Replacement>,
}

impl Put {
    fn is_target(&self, rule: Rule, span: Span, place: Place) -> bool {
        self.replacement.is_some()
            && self.target.rule == rule
            && self.target.span == span
            && self.target.depth == place.depth
    }
}

impl Visit for Put {
    fn span(&mut self, span: &mut Span) {
        let shift = |at: &mut u32| {
            if *at >= self.old_end {
                // In range: the new text's length fits a `u32` like every span of it.
                *at = u32::try_from(i64::from(*at) + self.delta).unwrap_or(u32::MAX);
            }
        };
        shift(&mut span.start);
        shift(&mut span.end);
    }

    fn closure(&mut self, expr: &mut ast::Expr, place: Place) -> bool {
        if !self.is_target(Rule::closure, expr.span, place) {
            return false;
        }
        if let Some(Replacement::Closure(node)) = self.replacement.take() {
            expr.node = node;
            expr.span.end = self.new_end;
        }
        true
    }

    fn block(&mut self, block: &mut ast::Block, place: Place) -> bool {
        if !self.is_target(Rule::block, block.span, place) {
            return false;
        }
        if let Some(Replacement::Block(new)) = self.replacement.take() {
            *block = new;
        }
        true
    }
}
