//! Scripted pipelines run on the host in a temporary workspace; the console log is checked
//! line by line, with real processes (`sh`) and real timing for parallel, failFast, timeout.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indexmap::IndexMap;

use super::{BuildOutcome, RunConfig, run_pipeline};
use crate::report::console::Console;
use crate::report::mask::Masker;
use crate::report::{BuildResult, Emitter};
use crate::source::SourceFile;
use crate::steps::{self, Cancel};
use crate::syntax;

struct Run {
    console: String,
    outcome: BuildOutcome,
    elapsed: Duration,
}

fn run(script: &str) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = SourceFile::new("Jenkinsfile", script);
    let file = syntax::parse(&source).expect("parses");
    let (emitter, mut rx) = Emitter::channel();
    let mut env = IndexMap::new();
    env.insert(
        "PATH".to_string(),
        std::env::var("PATH").unwrap_or_default(),
    );
    env.insert("BUILD_NUMBER".to_string(), "7".to_string());
    env.insert("WORKSPACE".to_string(), dir.path().display().to_string());
    let config = RunConfig {
        env,
        params: IndexMap::from([("GREETING".to_string(), serde_json::json!("hi"))]),
        build_number: 7,
        job_name: "demo".into(),
        emitter,
        cancel: Cancel::new(),
        host: Arc::new(steps::Host {
            workspace: dir.path().to_path_buf(),
            ..steps::Host::default()
        }),
        previous: Vec::new(),
        stage_filter: None,
        changes: Arc::default(),
        credentials: Arc::new(crate::creds::Store::empty()),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let outcome = tokio::task::LocalSet::new().block_on(&rt, run_pipeline(&source, &file, config));
    let elapsed = started.elapsed();
    let mut masker = Masker::new();
    let mut records = Vec::new();
    while let Ok(r) = rx.try_recv() {
        records.extend(masker.push(r));
    }
    records.extend(masker.finish());
    let console: String = records
        .iter()
        .map(|r| Console::default().render(r))
        .collect();
    let ws = dir.path().display().to_string();
    Run {
        console: console.replace(&ws, "/ws"),
        outcome,
        elapsed,
    }
}

#[test]
fn node_stage_sh_env_and_echo() {
    let r = run(r#"
node {
    stage('Build') {
        def out = sh(script: 'echo hello', returnStdout: true).trim()
        echo "got ${out} in build ${env.BUILD_NUMBER} (${BUILD_NUMBER}) ${params.GREETING}"
        env.STAGE_VAR = 42
        sh 'echo "var=$STAGE_VAR"'
        withEnv(['A=1', 'PATH+EXTRA=/opt/x']) {
            sh 'echo "A=$A"; case "$PATH" in /opt/x:*) echo prepended;; esac'
            echo env.getEnvironment().A + env.getProperty('A')
        }
        println env.A
    }
}
"#);
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    let want = "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in /ws
[Pipeline] {
[Pipeline] stage
[Pipeline] { (Build)
[Pipeline] sh
+ echo hello
[Pipeline] echo
got hello in build 7 (7) hi
[Pipeline] sh
+ echo var=42
var=42
[Pipeline] withEnv
[Pipeline] {
[Pipeline] sh
+ echo A=1
A=1
+ echo prepended
prepended
[Pipeline] echo
11
[Pipeline] }
[Pipeline] // withEnv
null
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: SUCCESS
";
    assert_eq!(r.console, want);
}

#[test]
fn parallel_branches_run_their_processes_at_once() {
    let r = run(r"
node {
    parallel(
        a: { sh 'sleep 0.6; echo a-done' },
        b: { sh 'sleep 0.6; echo b-done' },
    )
}
");
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    assert!(
        r.elapsed < Duration::from_millis(1100),
        "took {:?}",
        r.elapsed
    );
    assert!(
        r.console.contains("[Pipeline] { (Branch: a)\n"),
        "{}",
        r.console
    );
    assert!(r.console.contains("a-done\n") && r.console.contains("b-done\n"));
}

#[test]
fn fail_fast_stops_the_other_branches() {
    let r = run(r"
node {
    parallel(
        failFast: true,
        quick: { sleep 0.2; error 'quick failed' },
        slow: { sh 'sleep 20' },
    )
}
");
    assert_eq!(r.outcome.result, BuildResult::Failure, "{}", r.console);
    assert!(r.elapsed < Duration::from_secs(10), "took {:?}", r.elapsed);
    assert!(
        r.console.contains("Failed in branch quick\n"),
        "{}",
        r.console
    );
    assert!(
        r.console
            .ends_with("[Pipeline] End of Pipeline\nERROR: quick failed\nFinished: FAILURE\n"),
        "{}",
        r.console
    );
}

#[test]
fn timeout_aborts_the_body() {
    let r = run(r"
node {
    timeout(time: 1, unit: 'SECONDS') {
        sh 'sleep 20'
    }
}
");
    assert_eq!(r.outcome.result, BuildResult::Aborted, "{}", r.console);
    assert!(r.elapsed < Duration::from_secs(10), "took {:?}", r.elapsed);
    assert!(
        r.console
            .contains("Cancelling nested steps due to timeout\n"),
        "{}",
        r.console
    );
}

#[test]
fn retry_catch_error_and_groovy_exceptions() {
    let r = run(r#"
def attempts = 0
retry(3) {
    attempts++
    if (attempts < 3) { error 'not yet' }
}
echo 'attempts=' + attempts
try {
    error 'custom'
} catch (e) {
    echo "caught ${e.getClass().name}: ${e.message}"
}
node {
    catchError(buildResult: 'UNSTABLE') {
        sh 'exit 3'
    }
}
currentBuild.description = 'done'
echo "result=${currentBuild.result} current=${currentBuild.currentResult}"
"#);
    assert_eq!(r.outcome.result, BuildResult::Unstable, "{}", r.console);
    assert_eq!(r.outcome.description.as_deref(), Some("done"));
    for line in [
        "ERROR: not yet\nRetrying\n",
        "attempts=3\n",
        "caught hudson.AbortException: custom\n",
        "ERROR: script returned exit code 3\n",
        "result=UNSTABLE current=UNSTABLE\n",
    ] {
        assert!(
            r.console.contains(line),
            "missing {line:?} in\n{}",
            r.console
        );
    }
}

#[test]
fn unknown_step_and_uncaught_groovy_errors_fail_the_build() {
    let r = run("echo 'a'\nnoSuchStep 'x'\n");
    assert_eq!(r.outcome.result, BuildResult::Failure);
    assert!(
        r.console.contains(
            "\njava.lang.NoSuchMethodError: No such DSL method 'noSuchStep' found among steps"
        ),
        "{}",
        r.console
    );
    let r = run("echo undefinedThing\n");
    assert!(r.console.contains("groovy.lang.MissingPropertyException: No such property: undefinedThing for class: groovy.lang.Binding"), "{}", r.console);
    let r = run("def x = currentBuild.rawBuild\n");
    assert_eq!(r.outcome.result, BuildResult::Failure);
    assert!(
        r.console
            .contains("`currentBuild.rawBuild` is not available outside Jenkins"),
        "{}",
        r.console
    );
}

#[test]
fn controller_only_calls_are_catchable() {
    // The apache-tvm pattern: a guarded controller call takes its `catch`.
    let r = run(r#"def isLast() {
  try {
    return currentBuild.number == currentBuild.rawBuild.project.getLastBuild().number
  } catch (Throwable ex) {
    echo "caught ${ex.class.name}"
    return true
  }
}
echo "last=${isLast()}"
try { def j = Jenkins.instance; echo 'not here' } catch (e) { echo "also caught: ${e.message}" }
"#);
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    for line in [
        "caught java.lang.UnsupportedOperationException\n",
        "last=true\n",
        "also caught: `Jenkins.instance` is not available outside Jenkins",
    ] {
        assert!(
            r.console.contains(line),
            "missing {line:?} in\n{}",
            r.console
        );
    }
    assert!(!r.console.contains("not here"), "{}", r.console);
    let r = run("def j = Jenkins.instance\n");
    assert_eq!(r.outcome.result, BuildResult::Failure);
    assert!(
        r.console
            .contains("`Jenkins.instance` is not available outside Jenkins"),
        "{}",
        r.console
    );
}

#[test]
fn build_causes_say_a_user_started_the_build() {
    let r = run(r#"def causes = currentBuild.getBuildCauses()
echo "n=${causes.size()} user=${causes.toString().contains('UserIdCause')}"
echo "class=${causes[0]._class} short=${causes[0].shortDescription.startsWith('Started by user ')}"
echo "prop=${currentBuild.buildCauses.size()}"
echo "filtered=${currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause').size()}"
echo "other=${currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause').size()}"
"#);
    for line in [
        "n=1 user=true\n",
        "class=hudson.model.Cause$UserIdCause short=true\n",
        "prop=1\n",
        "filtered=1\n",
        "other=0\n",
    ] {
        assert!(
            r.console.contains(line),
            "missing {line:?} in\n{}",
            r.console
        );
    }
}

#[test]
fn closures_in_a_map_run_as_parallel_branches_with_their_own_stages() {
    let r = run(r#"
def branches = [:]
for (name in ['x', 'y']) {
    def n = name
    branches[n] = {
        stage("test ${n}") {
            echo "in ${n} ${env.SHARED}"
        }
    }
}
env.SHARED = 'yes'
stage 'legacy'
parallel branches
"#);
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    for line in [
        "[Pipeline] stage (legacy)\nUsing the ‘stage’ step without a block argument is deprecated\n",
        "[Pipeline] { (Branch: x)\n",
        "[Pipeline] { (test y)\n",
        "in x yes\n",
        "in y yes\n",
    ] {
        assert!(
            r.console.contains(line),
            "missing {line:?} in\n{}",
            r.console
        );
    }
}

#[test]
fn stage_name_is_in_the_environment_of_the_stage() {
    let r = run(r#"
node {
    echo "before=${env.STAGE_NAME}"
    stage('One') {
        echo "env=${env.STAGE_NAME} bare=${STAGE_NAME}"
        sh 'echo "sh=$STAGE_NAME"'
    }
    echo "after=${env.STAGE_NAME}"
}
"#);
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    for line in ["before=null", "env=One bare=One", "sh=One", "after=null"] {
        assert!(
            r.console.lines().any(|l| l == line),
            "{line}:\n{}",
            r.console
        );
    }
}

#[test]
fn env_names_are_case_insensitive() {
    let r = run(r#"
env.myVar = 'x'
echo "upper=${env.MYVAR}"
env.MYVAR = 'y'
echo "lower=${env.myvar} keys=${env.getEnvironment().keySet().findAll { it.equalsIgnoreCase('myvar') }}"
echo "path=${env.path == env.PATH}"
withEnv(['Foo=bar']) {
    echo "foo=${env.FOO}"
    withEnv(['FOO=baz']) {
        echo "inner=${env.foo} count=${env.getEnvironment().keySet().count { it.equalsIgnoreCase('foo') }}"
    }
}
node {
    withEnv(['Mixed=1']) {
        sh 'echo "sh=$Mixed"'
    }
}
"#);
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    for line in [
        "upper=x",
        "lower=y keys=[myVar]",
        "path=true",
        "foo=bar",
        "inner=baz count=1",
        "sh=1",
    ] {
        assert!(
            r.console.lines().any(|l| l == line),
            "{line}:\n{}",
            r.console
        );
    }
}

#[test]
fn class_names_of_caught_exceptions_and_values() {
    let r = run(r#"
try { error 'boom' } catch (e) { echo "error: ${e.getClass().getName()} ${e.class.name} ${e.class.simpleName}" }
node { try { sh 'exit 2' } catch (e) { echo "sh: ${e.class.name}: ${e.message}" } }
try { def x = null; x.foo() } catch (e) { echo "npe: ${e.getClass().name}" }
try { Integer.parseInt('zz') } catch (e) { echo "nfe: ${e.getClass().getSimpleName()}" }
echo "values: ${['a', 1, [1], [a: 1], "g${1}", true, 1.5].collect { it.getClass().getName() }}"
echo "props: ${'a'.class.name} ${"g${1}".class.simpleName} ${1.class.simpleName} ${[].class.name} ${'a'.getClass()}"
"#);
    assert_eq!(r.outcome.result, BuildResult::Success, "{}", r.console);
    for line in [
        "error: hudson.AbortException hudson.AbortException AbortException",
        "sh: hudson.AbortException: script returned exit code 2",
        "npe: java.lang.NullPointerException",
        "nfe: NumberFormatException",
        "values: [java.lang.String, java.lang.Integer, java.util.ArrayList, java.util.LinkedHashMap, org.codehaus.groovy.runtime.GStringImpl, java.lang.Boolean, java.math.BigDecimal]",
        "props: java.lang.String GStringImpl Integer java.util.ArrayList class java.lang.String",
    ] {
        assert!(
            r.console.lines().any(|l| l == line),
            "{line}:\n{}",
            r.console
        );
    }
}
