//! `stdlib::check_call`: one test per message, with Jenkins' text and position where Jenkins
//! reports the problem (declarative-model.md §11.3, declarative-messages.tsv).

use jenkinsfile::diagnostic::Diagnostic;
use jenkinsfile::source::SourceFile;
use jenkinsfile::stdlib::{Catalogue, check_call, check_overloads};
use jenkinsfile::syntax::ast::{ExprKind, PropName, StmtKind};
use jenkinsfile::syntax::parse;

/// Checks the first statement of `code`, a call of a step or symbol, against its first
/// signature.
fn check(code: &str) -> Vec<Diagnostic> {
    let source = SourceFile::new("Jenkinsfile", code);
    let file = parse(&source).unwrap();
    let StmtKind::Expr(expr) = &file.stmts[0].node else {
        panic!("not a call: {code}");
    };
    let ExprKind::MethodCall {
        name: PropName::Name(name),
        args,
        ..
    } = &expr.node
    else {
        panic!("not a call: {code}");
    };
    let cat = Catalogue::builtin();
    let sig = cat
        .step(&name.node)
        .or_else(|| cat.symbol(&name.node).first())
        .unwrap_or_else(|| panic!("unknown `{}`", name.node));
    check_call(sig, expr.span, args, &source)
}

/// `(code, message, Jenkins line and column)` of the only diagnostic.
fn only(code: &str) -> (&'static str, String, Option<(u32, u32)>) {
    let diags = check(code);
    assert_eq!(diags.len(), 1, "{code}: {diags:#?}");
    let d = &diags[0];
    (
        d.code,
        d.message.clone(),
        d.jenkins.as_ref().map(|j| (j.line, j.column)),
    )
}

#[test]
fn valid_calls_are_clean() {
    for code in [
        "sh 'make'",
        "sh script: 'make', returnStdout: true",
        "sh([script: 'make'])",
        "sh \"make ${target}\"",
        "timeout(time: t, unit: 'MINUTES') { sh 'x' }",
        "timeout(5) { sh 'x' }",
        "node { sh 'x' }",
        "node('linux') { sh 'x' }",
        "checkout([$class: 'GitSCM', branches: [[name: 'main']]])",
        "publishHTML([reportDir: 'cov', reportFiles: 'index.html', reportName: 'Coverage'])",
        "withDockerRegistry([url: 'https://r.example.com', credentialsId: 'r']) { sh 'x' }",
        "parallel a: { sh 'a' }, b: { sh 'b' }, failFast: true",
        "parallel branches",
        "withCredentials([string(credentialsId: 'x', variable: 'T')]) { sh 'x' }",
        "sleep 5",
        "sleep time: 2, unit: 'MINUTES'",
        "junit testResults: 'x.xml', healthScaleFactor: 2.0",
        "deleteDir()",
        "sh(*args)",
        "stage 'Build', { sh 'make' }",
        "stage 'Build'",
        "timeout([time: 1, unit: 'HOURS'], body)",
        "timeout(time: 1, body)",
    ] {
        assert_eq!(check(code), Vec::new(), "{code}");
    }
}

#[test]
fn unknown_parameter_names_the_nearest_one() {
    let (code, message, at) = only("sh scrip: 'make'");
    assert_eq!(code, "unknown-parameter");
    assert_eq!(
        message,
        r#"Invalid parameter "scrip", did you mean "script"?"#
    );
    assert_eq!(at, Some((1, 4)), "Jenkins points at the key");
    let diags = check("sh scrip: 'make'");
    let fix = diags[0].fix.as_ref().expect("a fix for a near miss");
    assert_eq!(fix.title, "rename to `script`");
    assert_eq!(fix.edits[0].replacement, "script");
    assert_eq!(fix.edits[0].span.range(), 3..8);
    let diags = check("sh banana: 'make'");
    assert!(
        diags[0].fix.is_none(),
        "no fix for a name far from every parameter"
    );
}

#[test]
fn an_unknown_parameter_hides_missing_ones() {
    let (_, message, _) = only("writeFile fil: 'a', text: 'b'");
    assert_eq!(message, r#"Invalid parameter "fil", did you mean "file"?"#);
}

#[test]
fn missing_required_parameter_points_at_the_step() {
    let (code, message, at) = only("  writeFile file: 'out.txt'");
    assert_eq!(code, "missing-parameter");
    assert_eq!(message, r#"Missing required parameter: "text""#);
    assert_eq!(at, Some((1, 3)));
}

#[test]
fn a_named_literal_of_the_wrong_type() {
    let (code, message, at) = only("timeout(time: 'someTime') { sh 'x' }");
    assert_eq!(code, "wrong-parameter-type");
    assert_eq!(
        message,
        r#"Expecting "int" for parameter "time" but got "someTime" of type class java.lang.String instead"#
    );
    assert_eq!(at, Some((1, 15)), "Jenkins points at the value");
    let (_, message, _) = only("sh script: 'x', returnStdout: 'yes'");
    assert_eq!(
        message,
        r#"Expecting "boolean" for parameter "returnStdout" but got "yes" of type class java.lang.String instead"#
    );
}

#[test]
fn an_unnamed_literal_of_the_wrong_type() {
    let (code, message, _) = only("echo 4");
    assert_eq!(code, "wrong-parameter-type");
    assert_eq!(
        message,
        r#"Expecting "class java.lang.String" but got "4" of type class java.lang.Integer instead"#
    );
    let (_, message, _) = only("retry(true) { sh 'x' }");
    assert_eq!(
        message,
        r#"Expecting "int" but got "true" of type class java.lang.Boolean instead"#
    );
}

#[test]
fn several_unnamed_arguments() {
    let (code, message, at) = only("sh 'a', 'b'");
    assert_eq!(code, "unnamed-arguments");
    assert_eq!(message, r#"Arguments to "sh" must be explicitly named."#);
    assert_eq!(at, Some((1, 1)));
}

#[test]
fn one_unnamed_argument_without_a_default_parameter() {
    let (code, message, _) = only("writeFile 'out.txt'");
    assert_eq!(code, "no-default-parameter");
    assert_eq!(
        message,
        "Step does not take a single required parameter - use named parameters instead"
    );
}

#[test]
fn named_and_unnamed_arguments_mixed() {
    let (code, message, _) = only("sh 'make', returnStdout: true");
    assert_eq!(code, "mixed-arguments");
    assert_eq!(message, "Cannot mix named and unnamed arguments");
}

#[test]
fn a_value_outside_the_allowed_ones() {
    let diags = check("sleep time: 1, unit: 'SECOND'");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "invalid-parameter-value");
    assert_eq!(
        diags[0].message,
        "invalid value `SECOND` for parameter `unit` of `sleep`"
    );
    assert_eq!(diags[0].label.as_deref(), Some("did you mean `SECONDS`?"));
    assert!(
        diags[0].jenkins.is_none(),
        "Jenkins' validator does not check this"
    );
}

#[test]
fn blocks_where_none_or_one_is_expected() {
    let (code, message, at) = only("dir('sub')");
    assert_eq!(code, "missing-step-body");
    assert_eq!(message, "`dir` needs a block: `dir(...) { ... }`");
    assert_eq!(at, None);
    let (code, _, _) = only("sh('make') { echo 'x' }");
    assert_eq!(code, "unexpected-step-body");
}

#[test]
fn symbols_are_checked_like_steps() {
    let (code, message, _) = only("usernamePassword(credentialsId: 'x', usernameVariable: 'U')");
    assert_eq!(code, "missing-parameter");
    assert_eq!(message, r#"Missing required parameter: "passwordVariable""#);
}

#[test]
fn overloads_pass_when_any_accepts() {
    let source = SourceFile::new(
        "Jenkinsfile",
        "string(name: 'X', value: 'y')\nstring(nam: 'X')\n",
    );
    let file = parse(&source).unwrap();
    let sigs = Catalogue::builtin().symbol("string");
    assert_eq!(
        sigs.len(),
        3,
        "binding, parameter definition, parameter value"
    );
    let calls: Vec<_> = file
        .stmts
        .iter()
        .map(|stmt| match &stmt.node {
            StmtKind::Expr(expr) => match &expr.node {
                ExprKind::MethodCall { args, .. } => (expr.span, args),
                _ => panic!("not a call"),
            },
            _ => panic!("not a call"),
        })
        .collect();
    assert!(check_overloads(sigs, calls[0].0, calls[0].1, &source).is_empty());
    let diags = check_overloads(sigs, calls[1].0, calls[1].1, &source);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0].message.starts_with("Invalid parameter \"nam\""),
        "{diags:#?}"
    );
}

#[test]
fn methods_of_globals_bind_positionally() {
    let source = SourceFile::new(
        "Jenkinsfile",
        "docker.build('app', '-f ci/Dockerfile .')\ndocker.build('app', '.', 'extra')\ndocker.build(42)\n",
    );
    let file = parse(&source).unwrap();
    let build = Catalogue::builtin()
        .type_sig("Docker")
        .unwrap()
        .method("build")
        .unwrap();
    let diags: Vec<Vec<Diagnostic>> = file
        .stmts
        .iter()
        .map(|stmt| match &stmt.node {
            StmtKind::Expr(expr) => match &expr.node {
                ExprKind::MethodCall { args, .. } => check_call(build, expr.span, args, &source),
                _ => panic!("not a call"),
            },
            _ => panic!("not a call"),
        })
        .collect();
    assert!(diags[0].is_empty(), "{:#?}", diags[0]);
    assert_eq!(diags[1].len(), 1);
    assert_eq!(diags[1][0].code, "too-many-arguments");
    assert_eq!(diags[1][0].message, "`build` takes at most 2 argument(s)");
    assert_eq!(diags[2].len(), 1);
    assert!(
        diags[2][0].jenkins.is_none(),
        "Jenkins does not check method calls"
    );
    assert_eq!(
        diags[2][0].message,
        r#"Expecting "class java.lang.String" for parameter "image" but got "42" of type class java.lang.Integer instead"#
    );
}
