//! A Docker image without a pinned version.
//!
//! ## What it flags
//! A Docker agent (`agent { docker 'img' }`, `agent { docker { image 'img' } }`) or
//! `docker.image('img')` that is pulled or run (`.inside`, `.run`, `.withRun`, `.pull`; not
//! `.push`, and not an image `docker.build` builds in the same file) whose image has no tag, or the tag `latest`. A digest
//! (`img@sha256:…`) counts as pinned. Images built from interpolated strings are checked only
//! when their literal end shows the tag.
//!
//! ## Why
//! `latest` (which is what no tag means) moves whenever someone pushes. The same commit then
//! builds differently from one day to the next, and an old build cannot be reproduced.
//!
//! ## Example
//! ```groovy
//! agent { docker { image 'maven' } }
//! ```
//!
//! ## Fix
//! Name a version tag (`maven:3.9.9-eclipse-temurin-21`) or a digest (`maven@sha256:…`).

use crate::diagnostic::Diagnostic;
use crate::lint::Context;
use crate::lint::walk::{self, Call, Frame, Visitor};
use crate::syntax::ast::{Expr, ExprKind, GStringPart, StmtKind};

const CODE: &str = "unpinned-image";

/// Methods of `docker.image(x)` that pull or run the image (not `push`, `tag`, `id`).
const PULLING: &[&str] = &["inside", "run", "withRun", "pull"];

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut built = Built::default();
    walk::walk(cx.file, &mut built);
    walk::walk(
        cx.file,
        &mut Rule {
            built: built.0,
            out,
        },
    );
}

/// The literal image names that `docker.build('name')` builds in the file: using them is
/// using this build's image, not pulling one.
#[derive(Default)]
struct Built(Vec<String>);

impl<'a> Visitor<'a> for Built {
    fn expr(&mut self, expr: &'a Expr, _frames: &[Frame<'a>]) {
        if let Some(call) = walk::call(expr)
            && call.name == "build"
            && call
                .receiver
                .is_some_and(|r| matches!(&r.node, ExprKind::Var(v) if v == "docker"))
            && let Some(ExprKind::Str(s)) = call.first_positional().map(|e| &e.node)
        {
            self.0.push(s.value.clone());
        }
    }
}

struct Rule<'o> {
    built: Vec<String>,
    out: &'o mut Vec<Diagnostic>,
}

impl<'a> Visitor<'a> for Rule<'_> {
    fn expr(&mut self, expr: &'a Expr, _frames: &[Frame<'a>]) {
        let Some(call) = walk::call(expr) else { return };
        for image in images(&call) {
            if matches!(&image.node, ExprKind::Str(s) if self.built.contains(&s.value)) {
                continue;
            }
            self.image(image);
        }
    }
}

/// The image arguments of a call, if it names one.
fn images<'a>(call: &Call<'a>) -> Vec<&'a Expr> {
    match (call.name, call.receiver) {
        // `docker.image('x').inside { … }`, `.run()`, `.withRun { … }`, `.pull()`
        (method, Some(recv)) if PULLING.contains(&method) => walk::call(recv)
            .filter(|image| {
                image.name == "image"
                    && image
                        .receiver
                        .is_some_and(|r| matches!(&r.node, ExprKind::Var(v) if v == "docker"))
            })
            .and_then(|image| image.first_positional())
            .into_iter()
            .collect(),
        // `docker 'x'` or `docker { image 'x' }` (an agent)
        ("docker", None) => {
            let mut found: Vec<&Expr> = call.first_positional().into_iter().collect();
            found.extend(call.named("image"));
            for body in call.bodies() {
                for stmt in &body.body {
                    let StmtKind::Expr(e) = &stmt.node else {
                        continue;
                    };
                    if let Some(inner) = walk::call(e).filter(|c| c.receiver.is_none())
                        && inner.name == "image"
                    {
                        found.extend(inner.first_positional());
                    }
                }
            }
            found
        }
        _ => Vec::new(),
    }
}

impl Rule<'_> {
    fn image(&mut self, image: &Expr) {
        let (text, whole) = match &image.node {
            ExprKind::Str(s) => (s.value.as_str(), true),
            // Only the literal tail can show a tag: `"${registry}/app:latest"`.
            ExprKind::GString(g) => match g.parts.last() {
                Some(GStringPart::Text(t)) => (t.node.as_str(), false),
                _ => return,
            },
            _ => return,
        };
        let problem = match reference_tag(text) {
            Tag::Latest => "uses the `latest` tag",
            Tag::None if whole => "has no tag, which means `latest`",
            Tag::Digest | Tag::Version | Tag::None => return,
        };
        let shown = if whole {
            text.to_owned()
        } else {
            format!("…{text}")
        };
        self.out.push(
            Diagnostic::warning(CODE, format!("image `{shown}` {problem}"), image.span)
                .with_label("not pinned")
                .with_help("name a version tag or a digest (`image@sha256:…`)"),
        );
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Tag {
    None,
    Latest,
    Version,
    Digest,
}

/// The tag of an image reference `[registry[:port]/]name[:tag][@digest]`.
fn reference_tag(reference: &str) -> Tag {
    let reference = reference.trim();
    if reference.contains('@') {
        return Tag::Digest;
    }
    let last = reference.rsplit('/').next().unwrap_or(reference);
    match last.rsplit_once(':') {
        Some((_, "latest")) => Tag::Latest,
        Some((_, tag)) if !tag.is_empty() => Tag::Version,
        _ => Tag::None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Tag, reference_tag};

    #[test]
    fn tags() {
        assert_eq!(reference_tag("maven"), Tag::None);
        assert_eq!(reference_tag("maven:latest"), Tag::Latest);
        assert_eq!(reference_tag("maven:3.9"), Tag::Version);
        assert_eq!(reference_tag("registry:5000/team/app"), Tag::None);
        assert_eq!(reference_tag("registry:5000/team/app:1.2"), Tag::Version);
        assert_eq!(reference_tag("app@sha256:0123abcd"), Tag::Digest);
        assert_eq!(reference_tag("app:1@sha256:0123abcd"), Tag::Digest);
    }
}
