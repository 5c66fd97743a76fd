//! Lowering: pest pairs to the tree in `ast`. The last place pest is visible. One function per
//! grammar rule family; a child the grammar makes impossible becomes an internal error with its
//! span, never a panic. Errors the grammar deliberately lets through (bad escapes, a `$` that
//! starts nothing) are reported here with their own words.

mod decl;
mod expr;
mod literal;
mod stmt;

use std::cell::Cell;

use pest::iterators::{Pair, Pairs};

use super::MAX_NESTING;
use super::ast::{
    Block, Closure, Comment, CommentKind, Expr, ExprKind, File, Ident, Nav, PropName,
};
use super::parser::Rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};

type P<'i> = Pair<'i, Rule>;
type R<T> = Result<T, Box<Diagnostic>>;

/// Lowers a successful parse of `Rule::file`.
pub(crate) fn file(pairs: Pairs<'_, Rule>) -> R<File> {
    let comments = comments(&pairs);
    let lower = Lower {
        depth: Cell::new(0),
        in_command_args: Cell::new(false),
    };
    let mut shebang = None;
    let mut stmts = Vec::new();
    // `file` holds exactly one `file_body`: the shebang, then the statements.
    for body in pairs.flat_map(kids) {
        for inner in kids(body) {
            if inner.as_rule() == Rule::shebang {
                shebang = Some(span(&inner));
            } else {
                stmts.push(lower.stmt(inner)?);
            }
        }
    }
    Ok(File {
        shebang,
        stmts,
        comments,
    })
}

/// Every comment token under `pairs`, in source order.
fn comments(pairs: &Pairs<'_, Rule>) -> Vec<Comment> {
    pairs
        .clone()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Comment {
            kind: if p.as_str().starts_with("//") {
                CommentKind::Line
            } else if p.as_str().starts_with("/**") && p.as_str() != "/**/" {
                CommentKind::Doc
            } else {
                CommentKind::Block
            },
            span: span(&p),
        })
        .collect()
}

/// A closure or block parsed on its own, for the editor's incremental reparse.
#[derive(Debug, PartialEq)]
pub(crate) enum Fragment {
    Closure(Closure),
    Block(Block),
}

/// Lowers a successful parse of a fragment rule (`closure_in_braces`, …) as if it sat `depth` levels
/// deep (so the nesting limit and the "no method inside a block" check still apply), with the
/// comments inside it. Spans are relative to the fragment's text.
pub(crate) fn fragment(mut pairs: Pairs<'_, Rule>, depth: usize) -> R<(Fragment, Vec<Comment>)> {
    let comments = comments(&pairs);
    let lower = Lower {
        depth: Cell::new(depth),
        in_command_args: Cell::new(false),
    };
    // `*_in_braces` or `*_in_parens`, holding `*_alone`, holding the closure or block.
    let Some(p) = pairs
        .next()
        .and_then(|outer| outer.into_inner().next())
        .and_then(|alone| alone.into_inner().next())
    else {
        return Err(Box::new(Diagnostic::error(
            "internal-error",
            "internal parser error: an empty fragment",
            Span::new(0, 0),
        )));
    };
    let fragment = match p.as_rule() {
        Rule::closure => Fragment::Closure(lower.closure(p)?),
        Rule::block => Fragment::Block(lower.block(p)?),
        _ => return Err(internal(&p, "a fragment is a closure or a block")),
    };
    Ok((fragment, comments))
}

fn span(p: &P<'_>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

fn ident(p: &P<'_>) -> Ident {
    Spanned::new(p.as_str().to_string(), span(p))
}

/// Children without comments and keyword tokens whose only job is to be matched.
fn kids(p: P<'_>) -> impl Iterator<Item = P<'_>> {
    p.into_inner().filter(|c| {
        !matches!(
            c.as_rule(),
            Rule::COMMENT
                | Rule::EOI
                | Rule::kw_if
                | Rule::kw_else
                | Rule::kw_for
                | Rule::kw_while
                | Rule::kw_return
                | Rule::kw_break
                | Rule::kw_continue
                | Rule::kw_throw
                | Rule::kw_assert
                | Rule::kw_import
                | Rule::kw_package
                | Rule::kw_try
                | Rule::kw_catch
                | Rule::kw_finally
                | Rule::kw_switch
                | Rule::kw_new
                | Rule::kw_throws
                | Rule::kw_as
                | Rule::kw_instanceof
                | Rule::kw_in
        )
    })
}

#[cold]
fn internal(p: &P<'_>, what: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "internal-error",
            format!("internal parser error: {what} (rule {:?})", p.as_rule()),
            span(p),
        )
        .with_help("this is a bug in jenkinsfile; please report it with this file"),
    )
}

#[cold]
fn too_deep(at: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "nesting-too-deep",
            format!("nesting is deeper than {MAX_NESTING} levels"),
            at,
        )
        .with_label(format!("level {} starts here", MAX_NESTING + 1))
        .with_help(
            "every phase walks the tree recursively, so nesting is bounded; split this code into smaller functions or variables",
        ),
    )
}

fn expr_of(node: ExprKind, span: Span) -> Expr {
    Spanned::new(node, span)
}

struct Lower {
    depth: Cell<usize>,
    /// Set while lowering the arguments of a command expression (`foo a, b`), where Groovy
    /// refuses a closure on the next line rather than appending it to the last argument.
    in_command_args: Cell<bool>,
}

impl Lower {
    /// Runs `f` one nesting level deeper, refusing to go past `MAX_NESTING`.
    ///
    /// A level is what a reader sees as nesting: a block, a closure, a bracket, a statement
    /// body, an operator, a member access. Each level adds at most a few tree nodes, so the
    /// tree's depth stays within a small multiple of `MAX_NESTING`.
    fn nested<T>(&self, at: Span, levels: usize, f: impl FnOnce(&Self) -> R<T>) -> R<T> {
        let depth = self.depth.get() + levels;
        if depth > MAX_NESTING {
            return Err(too_deep(at));
        }
        let saved = self.depth.replace(depth);
        let result = f(self);
        self.depth.set(saved);
        result
    }
}

fn next<'i>(it: &mut impl Iterator<Item = P<'i>>, parent: &P<'i>) -> R<P<'i>> {
    it.next()
        .ok_or_else(|| internal(parent, "a required child is missing"))
}

/// The single meaningful child of a pair.
fn one(p: P<'_>) -> R<P<'_>> {
    let parent = p.clone();
    kids(p)
        .next()
        .ok_or_else(|| internal(&parent, "a required child is missing"))
}

fn nav_of(text: &str) -> Nav {
    match text {
        "?." => Nav::Safe,
        "*." => Nav::Spread,
        ".@" => Nav::Attribute,
        _ => Nav::Dot,
    }
}

fn prop_span(name: &PropName) -> Span {
    match name {
        PropName::Name(n) => n.span,
        PropName::Quoted(e) | PropName::Dynamic(e) => e.span,
    }
}
