//! The `load` step in `jenkinsfile run` (workflow-cps `LoadStep`): the file runs at once in
//! a script of its own that shares the binding, its methods are called through the value it
//! returns, and a missing or broken file fails as Jenkins' does. Expected consoles are
//! written by hand from the reference (block-step lines, `{ (path)` as the body's name).

use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Runs `jenkinsfile` (the Jenkinsfile's text) with `files` already in the workspace;
/// the console (the workspace path shown as `[WS]`) and the exit status.
fn run(jenkinsfile: &str, files: &[(&str, &str)], extra: &[&str]) -> (String, i32) {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let workspace = home.join("jobs/demo/workspace");
    for (name, text) in files {
        let path = workspace.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let file = tmp.path().join("Jenkinsfile");
    std::fs::write(&file, jenkinsfile).unwrap();
    let out = tmp.path().join("out");
    let mut child = Command::new(BIN)
        .arg("run")
        .arg(&file)
        .args(["--job", "demo", "--branch", "main", "--clean-env", "--home"])
        .arg(&home)
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", tmp.path())
        .env("LANG", "C.UTF-8")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A run that does not end (a loaded script once kept the build's log open) fails the
    // test instead of hanging it.
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!(
                "the run did not end:\n{}",
                std::fs::read_to_string(&out).unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut text = std::fs::read_to_string(&out).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    text.push_str(&stderr);
    let text = text.replace(&workspace.display().to_string(), "[WS]");
    (text, status.code().unwrap_or(-1))
}

fn echoes(console: &str) -> Vec<&str> {
    console
        .lines()
        .filter(|l| !l.starts_with("[Pipeline]") && !l.starts_with("Running"))
        .collect()
}

const HELPER: &str = "\
echo \"loading for ${params.WHO} on ${env.BRANCH_NAME}, main set ${fromMain}\"
fromHelper = 'set by the helper'
def greet(who) {
    def local = 'helper local'
    echo \"hello ${who} (${local}, ${fromMain})\"
    fromMain = 'changed by greet'
    return \"greeted ${who}\"
}
return this
";

#[test]
fn return_this_then_a_method_call_with_the_binding_shared_both_ways() {
    let jenkinsfile = "\
node {
    fromMain = 'set by main'
    def h = load 'ci/helper.groovy'
    echo h.greet('x')
    echo \"${fromHelper} / ${fromMain}\"
    echo \"${h.fromHelper}\"
}
";
    let (console, code) = run(
        jenkinsfile,
        &[("ci/helper.groovy", HELPER)],
        &["-p", "WHO=me"],
    );
    let expected = "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [WS]
[Pipeline] {
[Pipeline] load
[Pipeline] { (ci/helper.groovy)
[Pipeline] echo
loading for me on main, main set set by main
[Pipeline] }
[Pipeline] // load
[Pipeline] echo
hello x (helper local, set by main)
[Pipeline] echo
greeted x
[Pipeline] echo
set by the helper / changed by greet
[Pipeline] echo
set by the helper
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: SUCCESS
";
    assert_eq!(console, expected);
    assert_eq!(code, 0);
}

#[test]
fn the_loaded_scripts_methods_and_locals_are_its_own() {
    // `greet` of the main script is not the helper's, and the helper's `def` local does not
    // leak into the main script.
    let jenkinsfile = "\
def greet(who) { echo \"main greets ${who}\" }
node {
    fromMain = 'm'
    def h = load 'ci/helper.groovy'
    greet('y')
    h.greet('z')
    try { echo local } catch (e) { echo \"no local: ${e.class.name}\" }
}
";
    let (console, code) = run(
        jenkinsfile,
        &[("ci/helper.groovy", HELPER)],
        &["-p", "WHO=me"],
    );
    assert_eq!(
        echoes(&console),
        [
            "loading for me on main, main set m",
            "main greets y",
            "hello z (helper local, m)",
            "no local: groovy.lang.MissingPropertyException",
            "Finished: SUCCESS",
        ],
        "{console}"
    );
    assert_eq!(code, 0);
}

#[test]
fn load_inside_dir_is_relative_to_it_and_a_loaded_script_loads_another() {
    // `inner` is stored in the shared binding: the shape that once kept the process running
    // after `Finished:` (the script object held its interpreter, which held the binding).
    let jenkinsfile = "\
node {
    dir('ci') {
        def outer = load 'outer.groovy'
        echo outer.inner.twice(21).toString()
    }
}
";
    let outer = "\
echo 'outer runs'
inner = load 'lib/inner.groovy'
return this
";
    let inner = "\
def twice(n) { n * 2 }
return this
";
    let (console, code) = run(
        jenkinsfile,
        &[("ci/outer.groovy", outer), ("ci/lib/inner.groovy", inner)],
        &[],
    );
    let expected = "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [WS]
[Pipeline] {
[Pipeline] dir
Running in [WS]/ci
[Pipeline] {
[Pipeline] load
[Pipeline] { (outer.groovy)
[Pipeline] echo
outer runs
[Pipeline] load
[Pipeline] { (lib/inner.groovy)
[Pipeline] }
[Pipeline] // load
[Pipeline] }
[Pipeline] // load
[Pipeline] echo
42
[Pipeline] }
[Pipeline] // dir
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: SUCCESS
";
    assert_eq!(console, expected);
    assert_eq!(code, 0);
}

#[test]
fn a_loaded_file_may_return_a_closure_or_a_map() {
    let jenkinsfile = "\
node {
    def c = load 'closure.groovy'
    c('one')
    def m = load 'map.groovy'
    echo m.name
    m.shout('two')
}
";
    let closure = "return { x -> echo \"closure got ${x}\" }\n";
    let map = "[name: 'a map', shout: { x -> echo x.toUpperCase() }]\n";
    let (console, code) = run(
        jenkinsfile,
        &[("closure.groovy", closure), ("map.groovy", map)],
        &[],
    );
    assert_eq!(
        echoes(&console),
        ["closure got one", "a map", "TWO", "Finished: SUCCESS"],
        "{console}"
    );
    assert_eq!(code, 0);
}

#[test]
fn a_missing_file_fails_with_no_such_file_and_no_body() {
    let jenkinsfile = "\
node {
    try {
        load 'nope.groovy'
    } catch (e) {
        echo \"caught ${e}\"
    }
    load 'nope.groovy'
}
";
    let (console, code) = run(jenkinsfile, &[], &[]);
    let expected = "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [WS]
[Pipeline] {
[Pipeline] load
[Pipeline] // load
[Pipeline] echo
caught java.nio.file.NoSuchFileException: [WS]/nope.groovy
[Pipeline] load
[Pipeline] // load
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
java.nio.file.NoSuchFileException: [WS]/nope.groovy
\tat WorkflowScript.run(WorkflowScript:7)
Finished: FAILURE
";
    assert_eq!(console, expected);
    assert_eq!(code, 1);
}

#[test]
fn a_parse_error_names_the_loaded_files_path_and_line() {
    let broken = "echo 'fine'\ndef f() {\n    echo (\n}\n";
    let (console, code) = run(
        "node {\n    load 'ci/broken.groovy'\n}\n",
        &[("ci/broken.groovy", broken)],
        &[],
    );
    assert!(
        console.contains(
            "org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:\nci/broken.groovy:3:"
        ),
        "{console}"
    );
    // Nothing of the file ran.
    assert!(!console.contains("fine"), "{console}");
    assert!(!console.contains("{ (ci/broken.groovy)"), "{console}");
    assert!(console.ends_with("Finished: FAILURE\n"), "{console}");
    assert_eq!(code, 1);
}

#[test]
fn outside_a_node_load_needs_a_workspace() {
    let (console, code) = run("load 'x.groovy'\n", &[], &[]);
    assert!(
        console.contains(
            "MissingContextVariableException: Required context class hudson.FilePath is missing\n\
             Perhaps you forgot to surround the load step with a step that provides this, such as: node"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
}

#[test]
fn steps_of_a_method_fail_with_the_loaded_files_error() {
    let helper = "def boom() { error 'from the helper' }\nreturn this\n";
    let (console, code) = run(
        "node {\n    def h = load 'h.groovy'\n    h.boom()\n}\n",
        &[("h.groovy", helper)],
        &[],
    );
    assert!(console.contains("ERROR: from the helper"), "{console}");
    assert_eq!(code, 1);
}

const UTILS: &str = "\
echo 'loading utils'
env.FROM_UTILS = 'set by utils'
helpers = load 'ci/helpers.groovy'
def build(name) {
    sh \"echo building ${name}\"
    helpers.tag(name)
}
def checker() {
    return { what -> report(what) }
}
def report(what) { echo \"checked ${what} (${prefix})\" }
prefix = 'utils'
return this
";

const HELPERS: &str = "\
def tag(name) { echo \"tag ${name}\" }
return this
";

/// The common real-world shape, written by hand from Jenkins' console: a helper stored in
/// the binding (`utils = load …`) that loads another (relative to the workspace, not to
/// itself), sets `env`, runs `sh` in its methods, and returns a closure calling its own
/// method.
#[test]
fn nested_load_two_deep_with_steps_env_and_a_closure_hand_written_console() {
    let jenkinsfile = "\
node {
    utils = load 'ci/utils.groovy'
    utils.build('app')
    def check = utils.checker()
    check('ok')
    echo \"env: ${env.FROM_UTILS}\"
}
";
    let (console, code) = run(
        jenkinsfile,
        &[("ci/utils.groovy", UTILS), ("ci/helpers.groovy", HELPERS)],
        &[],
    );
    let expected = "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in [WS]
[Pipeline] {
[Pipeline] load
[Pipeline] { (ci/utils.groovy)
[Pipeline] echo
loading utils
[Pipeline] load
[Pipeline] { (ci/helpers.groovy)
[Pipeline] }
[Pipeline] // load
[Pipeline] }
[Pipeline] // load
[Pipeline] sh
+ echo building app
building app
[Pipeline] echo
tag app
[Pipeline] echo
checked ok (utils)
[Pipeline] echo
env: set by utils
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: SUCCESS
";
    assert_eq!(console, expected);
    assert_eq!(code, 0);
}

#[test]
fn a_syntax_error_in_a_nested_load_names_the_file_and_line_and_fails() {
    let outer = "echo 'outer'\ninner = load 'bad.groovy'\nreturn this\n";
    let bad = "echo 'x'\ndef f() {\n    echo (\n}\n";
    let (console, code) = run(
        "node {\n    u = load 'outer.groovy'\n}\n",
        &[("outer.groovy", outer), ("bad.groovy", bad)],
        &[],
    );
    assert!(
        console.ends_with(
            "[Pipeline] End of Pipeline\n\
             org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:\n\
             bad.groovy:3:10: expected `)` to close the `(` opened at line 3\n\
             \tat Script1.run(outer.groovy:2)\n\
             \tat WorkflowScript.run(WorkflowScript:2)\n\
             Finished: FAILURE\n"
        ),
        "{console}"
    );
    assert!(!console.contains("{ (bad.groovy)"), "{console}");
    assert_eq!(code, 1);
}

#[test]
fn a_missing_file_in_a_nested_load_fails_with_its_path() {
    let outer = "echo 'outer'\ndef helper() { load 'missing.groovy' }\nhelper()\n";
    let (console, code) = run(
        "node {\n    load 'outer.groovy'\n}\n",
        &[("outer.groovy", outer)],
        &[],
    );
    assert!(
        console.ends_with(
            "java.nio.file.NoSuchFileException: [WS]/missing.groovy\n\
             \tat Script1.run(outer.groovy:2)\n\
             \tat WorkflowScript.run(WorkflowScript:2)\n\
             Finished: FAILURE\n"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
}

const OWNED: &str = "\
@groovy.transform.Field
def base = 100
def around(body) { echo 'before'; body(); echo 'after' }
def adder(n) { return { x -> plus(n, x) + base } }
def plus(a, b) { a + b }
def call(who) { echo \"call ${who}\" }
def failing() {
    def m = [:]
    m.nope.boom()
}
def failer() {
    return { -> [:].missing.boom() }
}
return this
";

#[test]
fn closures_run_in_the_script_they_were_written_in() {
    // The loaded file's closure calls its own method and sees its field; the Jenkinsfile's
    // closure, run by the loaded file's method, calls the Jenkinsfile's method.
    let jenkinsfile = "\
def mainHelper(x) { echo \"main helper ${x}\" }
node {
    def u = load 'u.groovy'
    u.around { mainHelper('inside') }
    def add = u.adder(10)
    echo \"${add(5)}\"
    u('me')
}
";
    let (console, code) = run(jenkinsfile, &[("u.groovy", OWNED)], &[]);
    assert_eq!(
        echoes(&console),
        [
            "before",
            "main helper inside",
            "after",
            "115",
            "call me",
            "Finished: SUCCESS"
        ],
        "{console}"
    );
    assert_eq!(code, 0);
}

#[test]
fn an_error_inside_a_loaded_file_is_located_in_it() {
    let method = "\
node {
    def u = load 'u.groovy'
    u.failing()
}
";
    let (console, code) = run(method, &[("u.groovy", OWNED)], &[]);
    assert!(
        console.ends_with(
            "java.lang.NullPointerException: Cannot invoke method boom() on null object\n\
             \tat Script1.failing(u.groovy:9)\n\
             \tat WorkflowScript.run(WorkflowScript:3)\n\
             Finished: FAILURE\n"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
    let closure = "\
node {
    def u = load 'u.groovy'
    def f = u.failer()
    f()
}
";
    let (console, code) = run(closure, &[("u.groovy", OWNED)], &[]);
    assert!(
        console.ends_with(
            "java.lang.NullPointerException: Cannot invoke method boom() on null object\n\
             \tat Script1.doCall(u.groovy:12)\n\
             \tat WorkflowScript.run(WorkflowScript:4)\n\
             Finished: FAILURE\n"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
    let top = "echo 'top'\n[:].missing.boom()\n";
    let (console, code) = run(
        "node {\n    load 'top.groovy'\n}\n",
        &[("top.groovy", top)],
        &[],
    );
    assert!(
        console.ends_with(
            "\tat Script1.run(top.groovy:2)\n\
             \tat WorkflowScript.run(WorkflowScript:2)\n\
             Finished: FAILURE\n"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
}

#[test]
fn what_a_file_without_return_this_gives() {
    // Groovy's script returns its last statement's value: a file of `def`s only gives null,
    // so calling a method on it fails as in Jenkins; a file ending in an expression gives it.
    let jenkinsfile = "\
node {
    def v = load \"${env.WORKSPACE}/value.groovy\"
    echo \"value: ${v}\"
    def d = load 'defs.groovy'
    echo \"defs: ${d}\"
    d.f()
}
";
    let (console, code) = run(
        jenkinsfile,
        &[
            (
                "value.groovy",
                "def f() { 1 }\necho 'side'\n'last value'\ndef g() { 2 }\n",
            ),
            ("defs.groovy", "def f() { 1 }\n"),
        ],
        &[],
    );
    assert!(
        console.contains("[Pipeline] { ([WS]/value.groovy)\n"),
        "{console}"
    );
    assert!(
        console.contains("value: last value\n") && console.contains("defs: null\n"),
        "{console}"
    );
    assert!(
        console.ends_with(
            "java.lang.NullPointerException: Cannot invoke method f() on null object\n\
             \tat WorkflowScript.run(WorkflowScript:6)\n\
             Finished: FAILURE\n"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
}

#[test]
fn sigterm_aborts_a_loaded_files_sh() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let workspace = home.join("jobs/demo/workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    let marker = tmp.path().join("started");
    std::fs::write(
        workspace.join("slow.groovy"),
        format!("sh 'touch {} && sleep 60'\nreturn this\n", marker.display()),
    )
    .unwrap();
    let jenkinsfile = tmp.path().join("Jenkinsfile");
    std::fs::write(&jenkinsfile, "node {\n    slow = load 'slow.groovy'\n}\n").unwrap();
    let child = Command::new(BIN)
        .arg("run")
        .arg(&jenkinsfile)
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !marker.exists() {
        assert!(
            Instant::now() < deadline,
            "the loaded file's sh never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The signal handler is installed as the build starts; give a loaded machine a moment.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(130), "{stdout}");
    assert!(
        stdout.ends_with("[Pipeline] }\n[Pipeline] // load\n[Pipeline] }\n[Pipeline] // node\n[Pipeline] End of Pipeline\nAborted by user\nFinished: ABORTED\n"),
        "{stdout}"
    );
}

#[test]
fn in_a_declarative_script_block_and_a_pipeline_block_in_a_loaded_file() {
    let jenkinsfile = "\
pipeline {
    agent any
    stages {
        stage('Load') {
            steps {
                script {
                    utils = load 'ut.groovy'
                    utils.build()
                }
            }
        }
    }
}
";
    let (console, code) = run(
        jenkinsfile,
        &[(
            "ut.groovy",
            "def build() { sh 'echo built' }\nreturn this\n",
        )],
        &[],
    );
    assert!(
        console.contains("[Pipeline] { (ut.groovy)\n[Pipeline] }\n[Pipeline] // load\n[Pipeline] sh\n+ echo built\nbuilt\n"),
        "{console}"
    );
    assert_eq!(code, 0, "{console}");
    // A declarative pipeline in a loaded file is not supported: said plainly, in the file.
    let (console, code) = run(
        "node {\n    load 'pl.groovy'\n}\n",
        &[(
            "pl.groovy",
            "pipeline {\n    agent any\n    stages { stage('x') { steps { echo 'x' } } }\n}\n",
        )],
        &[],
    );
    assert!(
        console.contains(":2:5: pl.groovy:1:1: unsupported: "),
        "{console}"
    );
    assert!(!console.contains("[Pipeline] echo"), "{console}");
    assert_eq!(code, 1);
}

#[test]
fn parallel_branches_call_a_loaded_scripts_methods() {
    // The branches interleave inside the loaded script's methods, and the call depth is one
    // counter for all the scripts: it must come back balanced (it once was saved and
    // restored per call, which underflowed when branches interleaved).
    let jenkinsfile = "\
node {
    utils = load 'p.groovy'
    parallel a: { utils.work('a') }, b: { utils.bounce { utils.work('b') } }
    echo \"after: ${utils.count(20)}\"
}
";
    let p = "\
def work(name) {
    sleep(time: 200, unit: 'MILLISECONDS')
    echo \"worked ${name}\"
}
def count(n) { n == 0 ? 0 : 1 + count(n - 1) }
def bounce(body) { body() }
return this
";
    let (console, code) = run(jenkinsfile, &[("p.groovy", p)], &[]);
    let lines = echoes(&console);
    assert!(
        lines.contains(&"worked a") && lines.contains(&"worked b"),
        "{console}"
    );
    assert!(console.contains("after: 20\n"), "{console}");
    assert_eq!(code, 0, "{console}");
}

const SELFISH: &str = "\
stored = this
def name() { 'A' }
def lst() { [this] }
def mp() { [me: this] }
def self() { this }
def viaScript(s) { s.name() }
def ping(n, s) { if (n > 6) return \"done ${n}\"; s.pong(this, n) }
class Helper { def script; Helper(s) { script = s }; def go() { script.echo \"tag=${script.tag()}\" } }
def tag() { 'A-tag' }
def helper() { new Helper(this) }
return this
";

#[test]
fn this_is_its_scripts_object_wherever_it_is_kept() {
    // `this` kept in the binding, a list, a map, an object's field or passed as an argument
    // still means the script it was written in.
    let jenkinsfile = "\
def name() { 'MAIN' }
def pong(u, n) { u.ping(n + 1, this) }
node {
    def u = load 'a.groovy'
    echo \"stored=${stored.name()} lst=${u.lst()[0].name()} mp=${u.mp().me.name()}\"
    echo \"via=${u.viaScript(this)} same=${u.self() == u} ${u.self().is(u)} ${u.is(this)}\"
    echo \"ping=${u.ping(0, this)}\"
    u.helper().go()
    echo \"${this}|${u}\"
    this.echo 'this.echo'
    def f = this.&name
    echo \"ptr=${f()}\"
}
";
    let (console, code) = run(jenkinsfile, &[("a.groovy", SELFISH)], &[]);
    let lines = echoes(&console);
    assert_eq!(
        lines[..5],
        [
            "stored=A lst=A mp=A",
            "via=MAIN same=true true false",
            "ping=done 7",
            "tag=A-tag",
            lines[4],
        ],
        "{console}"
    );
    let (main, loaded) = lines[4].split_once('|').unwrap();
    assert!(main.starts_with("WorkflowScript@"), "{console}");
    assert!(loaded.starts_with("Script1@"), "{console}");
    assert_ne!(main[15..], loaded[8..], "{console}");
    assert_eq!(lines[5..], ["this.echo", "ptr=MAIN", "Finished: SUCCESS"]);
    assert_eq!(code, 0);
}

#[test]
fn a_file_that_loads_itself_overflows_the_call_depth() {
    let (console, code) = run(
        "node { load 'self.groovy' }\n",
        &[("self.groovy", "load 'self.groovy'\n")],
        &[],
    );
    assert!(
        console.contains("java.lang.StackOverflowError"),
        "{console}"
    );
    assert!(console.ends_with("Finished: FAILURE\n"), "{console}");
    assert_eq!(code, 1);
}

#[test]
fn load_without_a_path_is_a_missing_parameter_and_a_number_is_a_path() {
    let (console, code) = run("node { load() }\n", &[], &[]);
    assert!(
        console.contains(
            "java.lang.IllegalArgumentException: load is missing required parameter 'path'"
        ),
        "{console}"
    );
    assert_eq!(code, 1);
    let (console, code) = run("node { echo load(42) }\n", &[("42", "'forty-two'\n")], &[]);
    assert_eq!(
        echoes(&console),
        ["forty-two", "Finished: SUCCESS"],
        "{console}"
    );
    assert_eq!(code, 0);
}

#[test]
fn a_file_ending_in_a_declaration_returns_the_declared_value() {
    // Groovy 2.4.21's `GroovyShell.evaluate` of these files prints 5, 3 and null.
    let (console, code) = run(
        "node {\n    echo \"${load 'd1.groovy'} ${load 'd2.groovy'} ${load 'd3.groovy'}\"\n}\n",
        &[
            ("d1.groovy", "def x = 5\n"),
            ("d2.groovy", "def a = 3\ndef m() { 1 }\n"),
            ("d3.groovy", "String s\n"),
        ],
        &[],
    );
    assert_eq!(
        echoes(&console),
        ["5 3 null", "Finished: SUCCESS"],
        "{console}"
    );
    assert_eq!(code, 0);
}
