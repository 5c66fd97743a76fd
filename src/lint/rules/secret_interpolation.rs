//! A credential pasted into a command or message by Groovy string interpolation.
//!
//! ## What it flags
//! A variable bound by `withCredentials` (`string(variable: 'T')`,
//! `usernamePassword(passwordVariable: 'P')`, `file(variable: 'F')`, …) or by a Declarative
//! `environment { X = credentials('id') }` entry (`X` and `X_PSW`), interpolated as `"$P"`,
//! `"${P}"` or `"${env.P}"` into the argument of `sh`, `bat`, `powershell`, `pwsh` or `echo`
//! inside the block where it is bound. Usernames (`usernameVariable`, `X_USR`) are not
//! flagged: Jenkins does not treat them as secret unless the credential says so.
//!
//! ## Why
//! Groovy resolves the variable before the step runs, so the secret is written into the
//! script file, shows up in the process list, and any quote or `$` in it is interpreted by the
//! shell (injection). Jenkins prints `Warning: A secret was passed to "sh" using Groovy String
//! interpolation, which is insecure.` In single quotes the shell reads the variable from the
//! environment instead, and the secret never leaves it.
//!
//! ## Example
//! ```groovy
//! withCredentials([string(credentialsId: 'api', variable: 'TOKEN')]) {
//!     sh "curl -H 'Authorization: $TOKEN' https://example.invalid"
//! }
//! ```
//!
//! ## Fix
//! Use a single-quoted string and let the shell expand the variable:
//! `sh 'curl -H "Authorization: $TOKEN" https://example.invalid'` (`%TOKEN%` for `bat`,
//! `$env:TOKEN` for `powershell`). When the string interpolates nothing else, the fix is offered
//! as an edit.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, TextEdit};
use crate::lint::Context;
use crate::lint::walk::{self, Call, Frame, Visitor};
use crate::source::Span;
use crate::syntax::ast::{
    Arg, BinaryOp, Closure, Expr, ExprKind, GString, GStringPart, MapKey, PropName, Quote, StmtKind,
};

const CODE: &str = "secret-interpolation";

/// The steps whose string arguments this rule reads.
const STEPS: &[&str] = &["sh", "bat", "powershell", "pwsh", "echo"];

/// Named arguments of credential bindings that hold a secret's variable name.
const SECRET_VARIABLES: &[&str] = &[
    "variable",
    "passwordVariable",
    "keyFileVariable",
    "passphraseVariable",
    "keystoreVariable",
    "secretKeyVariable",
    "accessKeyVariable",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    walk::walk(cx.file, &mut Rule { out });
}

struct Rule<'o> {
    out: &'o mut Vec<Diagnostic>,
}

/// A credential variable and where it is bound.
struct Secret {
    name: String,
    bound_at: Span,
}

impl<'a> Visitor<'a> for Rule<'_> {
    fn expr(&mut self, expr: &'a Expr, frames: &[Frame<'a>]) {
        let Some(call) = walk::call(expr).filter(|c| c.receiver.is_none()) else {
            return;
        };
        if !STEPS.contains(&call.name) {
            return;
        }
        let args = step_strings(&call);
        if !args.iter().any(|a| {
            matches!(
                a.node,
                ExprKind::GString(_)
                    | ExprKind::Binary {
                        op: BinaryOp::Add,
                        ..
                    }
            )
        }) {
            return;
        }
        let secrets = secrets_in_scope(frames);
        if secrets.is_empty() {
            return;
        }
        for arg in args {
            self.argument(call.name, arg, &secrets);
        }
    }
}

impl Rule<'_> {
    /// A step's string argument: a `GString`, or a `+` concatenation whose operands are read
    /// the same way (Groovy pastes a concatenated secret into the command just as well).
    fn argument(&mut self, step: &str, arg: &Expr, secrets: &[Secret]) {
        match &arg.node {
            ExprKind::GString(g) => self.gstring(step, arg, g, secrets),
            ExprKind::Binary {
                op: BinaryOp::Add,
                lhs,
                rhs,
            } => {
                for operand in [lhs, rhs] {
                    if let Some(secret) = secret_in(operand, secrets) {
                        self.out.push(
                            Diagnostic::warning(
                                CODE,
                                format!(
                                    "credential `{}` is concatenated by Groovy into the `{step}` \
                                     argument",
                                    secret.name
                                ),
                                operand.span,
                            )
                            .with_label("Groovy pastes the secret here")
                            .with_secondary(secret.bound_at, "bound as a credential here")
                            .with_help(help(step, &secret.name)),
                        );
                    } else {
                        self.argument(step, operand, secrets);
                    }
                }
            }
            _ => {}
        }
    }

    fn gstring(&mut self, step: &str, arg: &Expr, g: &GString, secrets: &[Secret]) {
        let mut found = Vec::new();
        let mut other = false;
        for part in &g.parts {
            match part {
                GStringPart::Interp { expr, .. } => {
                    if let Some(s) = secret_ref(expr, secrets) {
                        found.push((expr.span, s));
                    } else {
                        // `${T.trim()}` pastes the secret too, but no single-quote fix is exact.
                        other = true;
                        if let Some(s) = secret_in(expr, secrets) {
                            found.push((expr.span, s));
                        }
                    }
                }
                GStringPart::Empty(_) => other = true,
                GStringPart::Text(_) => {}
            }
        }
        let fix = (!other && !found.is_empty())
            .then(|| single_quoted(step, g, secrets))
            .flatten();
        for (i, (span, secret)) in found.iter().enumerate() {
            let mut d = Diagnostic::warning(
                CODE,
                format!(
                    "credential `{}` is interpolated by Groovy into the `{step}` argument",
                    secret.name
                ),
                *span,
            )
            .with_label("Groovy pastes the secret here")
            .with_secondary(secret.bound_at, "bound as a credential here")
            .with_help(help(step, &secret.name));
            // One edit rewrites the whole string, so only the first finding carries it.
            if i == 0
                && let Some(replacement) = &fix
            {
                d = d.with_fix(
                    "use a single-quoted string",
                    vec![TextEdit {
                        span: arg.span,
                        replacement: replacement.clone(),
                    }],
                );
            }
            self.out.push(d);
        }
    }
}

fn help(step: &str, name: &str) -> String {
    match step {
        "bat" => format!("use single quotes and let cmd expand it: '… %{name}% …'"),
        "powershell" | "pwsh" => {
            format!("use single quotes and let PowerShell expand it: '… $env:{name} …'")
        }
        "echo" => format!(
            "do not print secrets; if you must, `echo` masks it only when Jenkins sees `{name}` \
             as a secret, and the string still carries it"
        ),
        _ => format!(
            "use single quotes so that the shell reads `${name}` from the environment: '… ${name} …'"
        ),
    }
}

/// The string arguments of a step call: the first positional one and `script:`/`message:`.
fn step_strings<'a>(call: &Call<'a>) -> Vec<&'a Expr> {
    let mut out: Vec<&Expr> = call.first_positional().into_iter().collect();
    out.extend(call.named("script"));
    out.extend(call.named("message"));
    out
}

/// Whether an interpolated expression reads a secret: `P` or `env.P`.
fn secret_ref<'s>(expr: &Expr, secrets: &'s [Secret]) -> Option<&'s Secret> {
    let name = match &expr.node {
        ExprKind::Var(v) => v.as_str(),
        ExprKind::Property {
            target,
            name: PropName::Name(n),
            ..
        } if matches!(&target.node, ExprKind::Var(v) if v == "env") => n.node.as_str(),
        _ => return None,
    };
    secrets.iter().find(|s| s.name == name)
}

/// Whether an expression is a secret or a method call, property or index on one
/// (`T.trim()`, `env.T.toUpperCase()`, `T[0..3]`).
fn secret_in<'s>(expr: &Expr, secrets: &'s [Secret]) -> Option<&'s Secret> {
    let mut at = expr;
    loop {
        if let Some(secret) = secret_ref(at, secrets) {
            return Some(secret);
        }
        at = match &at.node {
            ExprKind::MethodCall {
                receiver: Some(receiver),
                ..
            } => receiver,
            ExprKind::Property { target, .. } | ExprKind::Index { target, .. } => target,
            _ => return None,
        };
    }
}

/// The credential variables bound around a position: `withCredentials` blocks and the
/// `environment { X = credentials(…) }` sections of enclosing blocks.
fn secrets_in_scope(frames: &[Frame<'_>]) -> Vec<Secret> {
    let mut out = Vec::new();
    for frame in frames {
        let Frame::Body(expr) = frame else { continue };
        let Some(call) = walk::call(expr) else {
            continue;
        };
        if call.name == "withCredentials"
            && call.receiver.is_none()
            && let Some(bindings) = call.first_positional()
        {
            with_credentials(bindings, &mut out);
        }
        for body in call.bodies() {
            environment(body, &mut out);
        }
    }
    out
}

fn with_credentials(bindings: &Expr, out: &mut Vec<Secret>) {
    let ExprKind::List(items) = &bindings.node else {
        return;
    };
    for item in items {
        match &item.node {
            ExprKind::MethodCall { .. } => {
                let Some(binding) = walk::call(item) else {
                    continue;
                };
                for arg in &binding.args.items {
                    if let Arg::Named(entry) = arg {
                        secret_entry(&entry.key, &entry.value, out);
                    }
                }
                if binding.name == "aws" {
                    aws_defaults(&binding, item.span, out);
                }
            }
            // `[$class: 'AmazonWebServicesCredentialsBinding', …]`
            ExprKind::Map(entries) => {
                for entry in entries {
                    secret_entry(&entry.key, &entry.value, out);
                }
            }
            _ => {}
        }
    }
}

/// The aws binding's variables default to the standard AWS names.
fn aws_defaults(binding: &Call<'_>, span: Span, out: &mut Vec<Secret>) {
    for (param, default) in [
        ("accessKeyVariable", "AWS_ACCESS_KEY_ID"),
        ("secretKeyVariable", "AWS_SECRET_ACCESS_KEY"),
    ] {
        if binding.named(param).is_none() {
            out.push(Secret {
                name: default.to_owned(),
                bound_at: span,
            });
        }
    }
}

fn secret_entry(key: &MapKey, value: &Expr, out: &mut Vec<Secret>) {
    let MapKey::Name(k) = key else { return };
    if !SECRET_VARIABLES.contains(&k.node.as_str()) {
        return;
    }
    if let ExprKind::Str(s) = &value.node {
        out.push(Secret {
            name: s.value.clone(),
            bound_at: value.span,
        });
    }
}

/// `environment { X = credentials('id') }` directly in a block binds `X` and `X_PSW`.
fn environment(body: &Closure, out: &mut Vec<Secret>) {
    for stmt in &body.body {
        let StmtKind::Expr(e) = &stmt.node else {
            continue;
        };
        let Some(env) = walk::call(e).filter(|c| c.name == "environment" && c.receiver.is_none())
        else {
            continue;
        };
        for section in env.bodies() {
            for entry in &section.body {
                let StmtKind::Expr(assign) = &entry.node else {
                    continue;
                };
                let ExprKind::Assign { target, value, .. } = &assign.node else {
                    continue;
                };
                let ExprKind::Var(name) = &target.node else {
                    continue;
                };
                if walk::call(value).is_some_and(|c| c.name == "credentials") {
                    for suffix in ["", "_PSW"] {
                        out.push(Secret {
                            name: format!("{name}{suffix}"),
                            bound_at: target.span,
                        });
                    }
                }
            }
        }
    }
}

/// The string rewritten with single quotes, each secret left for the step's shell to expand.
fn single_quoted(step: &str, g: &GString, secrets: &[Secret]) -> Option<String> {
    let (open, close) = match g.quote {
        Quote::Double => ("'", "'"),
        Quote::TripleDouble => ("'''", "'''"),
        _ => return None,
    };
    let triple = g.quote == Quote::TripleDouble;
    let mut out = String::from(open);
    let mut shell = ShellQuotes::default();
    for (i, part) in g.parts.iter().enumerate() {
        match part {
            GStringPart::Text(t) => {
                shell.read(&t.node);
                escape_into(&t.node, triple, &mut out);
            }
            GStringPart::Interp { expr, .. } => {
                let name = &secret_ref(expr, secrets)?.name;
                let next_is_word = match g.parts.get(i + 1) {
                    Some(GStringPart::Text(t)) => t
                        .node
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'),
                    _ => false,
                };
                match step {
                    "bat" => {
                        let _ = write!(out, "%{name}%");
                    }
                    // PowerShell does not expand inside its own single quotes.
                    "powershell" | "pwsh" if shell.single => return None,
                    "powershell" | "pwsh" => {
                        let _ = write!(out, "$env:{name}");
                    }
                    "echo" => return None,
                    // Inside the shell's single quotes: close them, expand, reopen.
                    _ if shell.single => {
                        let _ = write!(out, "\\'\"${{{name}}}\"\\'");
                    }
                    _ if next_is_word => {
                        let _ = write!(out, "${{{name}}}");
                    }
                    _ => {
                        let _ = write!(out, "${name}");
                    }
                }
            }
            GStringPart::Empty(_) => return None,
        }
    }
    out.push_str(close);
    Some(out)
}

/// Writes decoded text as the body of a single-quoted Groovy string.
fn escape_into(text: &str, triple: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' if !triple => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if !triple => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
}

/// Whether the shell is inside single or double quotes after reading some script text.
#[derive(Default)]
struct ShellQuotes {
    single: bool,
    double: bool,
}

impl ShellQuotes {
    fn read(&mut self, text: &str) {
        let mut escaped = false;
        for c in text.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' if !self.single => escaped = true,
                '\'' if !self.double => self.single = !self.single,
                '"' if !self.single => self.double = !self.double,
                _ => {}
            }
        }
    }
}
