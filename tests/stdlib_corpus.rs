//! The catalogue's argument checks over the real-world corpus (read in place from
//! `../shared/corpus` or `$JENKINSFILE_CORPUS`): every call of a known step or symbol in
//! scripted code (scripted files, and `steps`, `script` and `post` bodies of Declarative ones) is
//! checked, and the findings are snapshotted. Each one was reviewed: they are mistakes in those
//! files, or calls of shared-library functions that shadow a plugin's step. Declarative
//! directives (`agent`, `options`, `when`, `input`, ...) are the model's to check and skipped.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jenkinsfile::source::{SourceFile, Span};
use jenkinsfile::stdlib::{Catalogue, check_call, check_overloads};
use jenkinsfile::syntax::ast::{Arg, Args, DeclTargets, Expr, ExprKind, PropName, Stmt, StmtKind};
use jenkinsfile::syntax::parse;

fn corpus(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let dir = dir.join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the corpus is missing at {}; CI must run the corpus tests",
        dir.display()
    );
    say(&format!(
        "stdlib corpus test skipped: no corpus at {} (set JENKINSFILE_CORPUS)",
        dir.display()
    ));
    None
}

#[expect(clippy::print_stdout, reason = "the test says why it skipped")]
fn say(line: &str) {
    println!("{line}");
}

#[test]
fn argument_findings_on_the_real_world_corpus() {
    let Some(dir) = corpus("real-world") else {
        return;
    };
    let cat = Catalogue::builtin();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Jenkinsfile"))
        .collect();
    paths.sort();
    let mut report = String::new();
    let mut checked = 0;
    for path in &paths {
        let Ok(source) = SourceFile::read(path) else {
            continue;
        };
        let Ok(file) = parse(&source) else {
            continue;
        };
        // A function declared in the file shadows the step of the same name (`def build()`).
        let own: Vec<&str> = file
            .stmts
            .iter()
            .filter_map(|s| match &s.node {
                StmtKind::Method(m) => Some(m.name.node.as_str()),
                _ => None,
            })
            .collect();
        let mut out = Out {
            calls: Vec::new(),
            sections: false,
        };
        for stmt in &file.stmts {
            scripted_stmt(stmt, &mut out);
        }
        for (name, span, args, _) in out.calls {
            if own.contains(&name) {
                continue;
            }
            let diags = match cat.step(name) {
                Some(step) => check_call(step, span, args, &source),
                None if cat.is_known(name) => {
                    check_overloads(cat.symbol(name), span, args, &source)
                }
                None => continue,
            };
            checked += 1;
            let file_name = path.file_name().unwrap().to_string_lossy();
            for d in diags {
                let at = source.line_col(d.span.start as usize);
                let _ = writeln!(
                    report,
                    "{file_name}:{}:{}: {} {}",
                    at.line, at.column, d.code, d.message
                );
            }
        }
    }
    assert!(checked > 10_000, "only {checked} calls checked");
    insta::assert_snapshot!("real_world_argument_findings", report);
}

/// A call: name, span, arguments, and whether it is an entry of `options`, `parameters` or
/// `triggers` (where block steps are used without their block).
type Call<'a> = (&'a str, Span, &'a Args, bool);

/// What a walk collects, and whether it looks into `options`, `parameters` and `triggers`.
struct Out<'a> {
    calls: Vec<Call<'a>>,
    sections: bool,
}

fn call_parts(expr: &Expr) -> Option<(&str, &Args)> {
    match &expr.node {
        ExprKind::MethodCall {
            receiver: None,
            name: PropName::Name(name),
            args,
            ..
        } => Some((name.node.as_str(), args)),
        _ => None,
    }
}

fn closure_bodies(args: &Args) -> impl Iterator<Item = &Vec<Stmt>> {
    args.closures
        .iter()
        .chain(args.items.iter().filter_map(|a| match a {
            Arg::Positional(e) => Some(e),
            _ => None,
        }))
        .filter_map(|e| match &e.node {
            ExprKind::Closure(c) => Some(&c.body),
            _ => None,
        })
}

/// The body of `pipeline { }` and of the sections that nest stages.
fn declarative<'a>(stmts: &'a [Stmt], out: &mut Out<'a>) {
    for stmt in stmts {
        let StmtKind::Expr(expr) = &stmt.node else {
            continue;
        };
        let Some((name, args)) = call_parts(expr) else {
            continue;
        };
        match name {
            "stages" | "stage" | "parallel" | "matrix" => {
                closure_bodies(args).for_each(|b| declarative(b, out));
            }
            "steps" => closure_bodies(args)
                .flatten()
                .for_each(|s| scripted_stmt(s, out)),
            // Their entries are describables; `options` also holds block steps used as wrappers
            // (`timeout(time: 1, unit: 'HOURS')`), which take no block there.
            "options" | "parameters" | "triggers" if out.sections => {
                for entry in closure_bodies(args).flatten() {
                    if let StmtKind::Expr(e) = &entry.node
                        && let Some((name, entry_args)) = call_parts(e)
                    {
                        out.calls.push((name, e.span, entry_args, true));
                    }
                }
            }
            "post" => {
                for cond in closure_bodies(args).flatten() {
                    if let StmtKind::Expr(e) = &cond.node
                        && let Some((_, cond_args)) = call_parts(e)
                    {
                        closure_bodies(cond_args)
                            .flatten()
                            .for_each(|s| scripted_stmt(s, out));
                    }
                }
            }
            _ => {}
        }
    }
}

fn scripted_stmt<'a>(stmt: &'a Stmt, out: &mut Out<'a>) {
    match &stmt.node {
        StmtKind::Expr(e) | StmtKind::Throw(e) | StmtKind::Return(Some(e)) => scripted_expr(e, out),
        StmtKind::VarDecl(decl) => match &decl.targets {
            DeclTargets::Names(names) => {
                names
                    .iter()
                    .filter_map(|d| d.init.as_ref())
                    .for_each(|e| scripted_expr(e, out));
            }
            DeclTargets::Tuple { init, .. } => scripted_expr(init, out),
        },
        StmtKind::Method(m) => {
            m.body
                .iter()
                .flat_map(|b| &b.stmts)
                .for_each(|s| scripted_stmt(s, out));
        }
        StmtKind::Block(b) => b.stmts.iter().for_each(|s| scripted_stmt(s, out)),
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            scripted_expr(cond, out);
            scripted_stmt(then, out);
            if let Some(o) = otherwise {
                scripted_stmt(o, out);
            }
        }
        StmtKind::For { body, .. }
        | StmtKind::While { body, .. }
        | StmtKind::Labeled { body, .. } => {
            scripted_stmt(body, out);
        }
        StmtKind::ForIn { iterable, body, .. } => {
            scripted_expr(iterable, out);
            scripted_stmt(body, out);
        }
        StmtKind::Switch { cases, .. } => {
            cases
                .iter()
                .flat_map(|c| &c.body)
                .for_each(|s| scripted_stmt(s, out));
        }
        StmtKind::Try {
            body,
            catches,
            finally,
        } => {
            let blocks = std::iter::once(body)
                .chain(catches.iter().map(|c| &c.body))
                .chain(finally);
            blocks
                .flat_map(|b| &b.stmts)
                .for_each(|s| scripted_stmt(s, out));
        }
        _ => {}
    }
}

fn scripted_expr<'a>(expr: &'a Expr, out: &mut Out<'a>) {
    match &expr.node {
        ExprKind::MethodCall {
            receiver,
            name,
            args,
            ..
        } => {
            if let Some(r) = receiver {
                scripted_expr(r, out);
            } else if let PropName::Name(ident) = name {
                if ident.node == "pipeline" {
                    closure_bodies(args).for_each(|b| declarative(b, out));
                    return;
                }
                out.calls
                    .push((ident.node.as_str(), expr.span, args, false));
            }
            for arg in &args.items {
                match arg {
                    Arg::Positional(e) | Arg::Spread(e) => scripted_expr(e, out),
                    Arg::Named(entry) => scripted_expr(&entry.value, out),
                }
            }
            args.closures.iter().for_each(|c| scripted_expr(c, out));
        }
        ExprKind::Call { callee, args } => {
            scripted_expr(callee, out);
            args.closures.iter().for_each(|c| scripted_expr(c, out));
        }
        ExprKind::Closure(c) => c.body.iter().for_each(|s| scripted_stmt(s, out)),
        ExprKind::List(items) => items.iter().for_each(|e| scripted_expr(e, out)),
        ExprKind::Map(entries) => entries.iter().for_each(|e| scripted_expr(&e.value, out)),
        ExprKind::Property { target, .. } => scripted_expr(target, out),
        ExprKind::Paren(e) | ExprKind::Unary { operand: e, .. } => scripted_expr(e, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            scripted_expr(lhs, out);
            scripted_expr(rhs, out);
        }
        ExprKind::Assign { value, .. } => scripted_expr(value, out),
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            scripted_expr(cond, out);
            scripted_expr(then, out);
            scripted_expr(otherwise, out);
        }
        ExprKind::Elvis { value, fallback } => {
            scripted_expr(value, out);
            scripted_expr(fallback, out);
        }
        _ => {}
    }
}

/// Files whose expected message is a step-argument message (declarative-model.md §11.3), with
/// the message; the steps they call are in the catalogue. The rest of `invalid/` is about
/// structure (the model's) or needs test-only extensions.
const ARGUMENT_ERRORS: &[(&str, &str)] = &[
    (
        "invalidMetaStepSyntax",
        r#"Invalid parameter "someRandomField", did you mean "caseSensitive"?"#,
    ),
    (
        "invalidParameterTypeMethodCall",
        r#"Expecting "class java.lang.String" for parameter "name" but got "1234" of type class java.lang.Integer instead"#,
    ),
    (
        "invalidStepParameterType",
        r#"Expecting "int" for parameter "time" but got "someTime" of type class java.lang.String instead"#,
    ),
    (
        "missingRequiredStepParameters",
        r#"Missing required parameter: "time""#,
    ),
    (
        "specificDescribableMatch",
        r#"Invalid parameter "upstreamWhat", did you mean "upstreamProjects"?"#,
    ),
    (
        "unknownStepParameter",
        r#"Invalid parameter "banana", did you mean "unit"?"#,
    ),
    (
        "wrongParameterNameMethodCall",
        r#"Invalid parameter "namd", did you mean "name"?"#,
    ),
];

/// Argument diagnostics of one conformance file, as `line:column: message` in Jenkins' form,
/// and how many calls were checked.
fn conformance_findings(path: &Path) -> (Vec<String>, usize) {
    let cat = Catalogue::builtin();
    let source = SourceFile::read(path).unwrap();
    let Ok(file) = parse(&source) else {
        return (Vec::new(), 0);
    };
    let mut out = Out {
        calls: Vec::new(),
        sections: true,
    };
    let mut checked = 0;
    for stmt in &file.stmts {
        scripted_stmt(stmt, &mut out);
    }
    let mut findings = Vec::new();
    for (name, span, args, entry) in out.calls {
        let diags = match cat.step(name) {
            Some(step) => check_call(step, span, args, &source),
            None if cat.is_known(name) => check_overloads(cat.symbol(name), span, args, &source),
            None => continue,
        };
        checked += 1;
        for d in diags {
            if entry && d.code == "missing-step-body" {
                continue;
            }
            let at = d.jenkins.as_ref().map_or((0, 0), |j| (j.line, j.column));
            findings.push(format!("{}:{}: {}", at.0, at.1, d.message));
        }
    }
    (findings, checked)
}

#[test]
fn conformance_argument_errors_have_jenkins_messages() {
    let Some(dir) = corpus("jenkins-conformance") else {
        return;
    };
    let mut problems = Vec::new();
    for (name, expected) in ARGUMENT_ERRORS {
        let (findings, _) =
            conformance_findings(&dir.join("invalid").join(format!("{name}.groovy")));
        if !findings.iter().any(|f| f.ends_with(expected)) {
            problems.push(format!("{name}: expected {expected}, got {findings:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn conformance_valid_files_have_no_argument_findings() {
    let Some(dir) = corpus("jenkins-conformance") else {
        return;
    };
    let mut report = String::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("valid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut checked = 0;
    for path in &paths {
        let (findings, n) = conformance_findings(path);
        checked += n;
        for finding in findings {
            let name = path.file_name().unwrap().to_string_lossy();
            let _ = writeln!(report, "{name}:{finding}");
        }
    }
    assert!(checked > 500, "only {checked} calls checked");
    insta::assert_snapshot!("conformance_valid_argument_findings", report);
}
