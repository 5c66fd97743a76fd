//! The second review of `plan` (issue 9): a plan that ends in FAILURE says why; run-time
//! values stay symbolic through the environment, files and credential variables; operators,
//! `switch` and loops on a run-time value plan every side; names from a shared library are
//! run-time values, not the end of the plan. Expected plans written by hand.

use std::path::Path;

use super::plan::{plan, stub_path};

/// The text plan of `fixtures/plan/<case>`, planned in a temporary copy.
fn text_plan(case: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let source = root.join("fixtures/plan").join(case).join("Jenkinsfile");
    std::fs::copy(source, work.join("Jenkinsfile")).unwrap();
    // The fixture's credential store, where the plan finds it without an argument: a
    // credential the store lacks fails the plan, as it fails the run.
    let store = root
        .join("fixtures/plan")
        .join(case)
        .join("credentials.toml");
    if store.is_file() {
        std::fs::create_dir_all(work.join(".jenkinsfile")).unwrap();
        std::fs::copy(store, work.join(".jenkinsfile/credentials.toml")).unwrap();
    }
    let bin = stub_path(tmp.path());
    plan(&work, "Jenkinsfile", "text", &[], &bin)
}

#[test]
fn a_failing_plan_says_why_and_where() {
    let want = "\
Plan for Jenkinsfile (declarative)
Agent: any
Stages:
├── Build
│   sh#1
│       $ make
└── Deploy: skipped due to earlier failure(s)
ERROR: Jenkinsfile:10:26: java.lang.NullPointerException: Cannot invoke method trim() on null object
Result: FAILURE
--- exit 1 ---
";
    assert_eq!(text_plan("failure-reason"), want);
}

#[test]
fn run_time_values_stay_symbolic() {
    let want = "\
Plan for Jenkinsfile (scripted)
sh#1 returnStdout: true → <stdout of sh#1>
    $ git describe
echo#2 message: first release (ran: no effect) [if <stdout of sh#1.trim() == 1.0> is true]
sh#3
    $ deploy <stdout of sh#1.trim()>
writeFile#4 file: version.txt, text: <stdout of sh#1.trim()>
readFile#5 file: version.txt (ran: read only)
echo#6 message: still first (ran: no effect) [if <stdout of sh#1.trim() == 1.0> is true]
withCredentials#7 bindings: [{\"binding\":\"string\",\"credentialsId\":\"api-token\",\"variable\":\"TOKEN\"}] { … }
  sh#8 [if <****> is true]
      $ curl -H \"Authorization: $TOKEN\" https://example.invalid/hook
sh#9
    $ make report > report.txt
readFile#10 file: report.txt (ran: read only)
echo#11 message: <contents of report.txt (a planned step may write it)> (ran: no effect)
Credentials (never resolved):
  api-token (string) via withCredentials string: TOKEN
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("runtime-values"), want);
}

#[test]
fn operators_switch_and_loops_on_run_time_values_plan_every_side() {
    let want = "\
Plan for Jenkinsfile (scripted)
sh#1 returnStdout: true → <stdout of sh#1>
    $ cat targets
fileExists#2 file: deploy.sh (ran: read only) [if <stdout of sh#1.trim()> is true]
echo#3 message: both (ran: no effect) [if <stdout of sh#1.trim() && whether deploy.sh exists after the planned steps> is true]
echo#4 message: either (ran: no effect) [if <stdout of sh#1.trim() == a || stdout of sh#1.trim() == b> is true]
sh#5
    $ <stdout of sh#1.trim() == prod ? 'deploy --prod' : 'deploy --dev'>
sh#6 [if <stdout of sh#1.trim()> matches case 'prod']
    $ release
sh#7 [if <stdout of sh#1.trim()> matches case dev.*]
    $ preview
echo#8 message: nothing (ran: no effect) [if <stdout of sh#1.trim()> matches case default]
echo#9 message: mode <mode after switch <stdout of sh#1.trim()>> (ran: no effect)
sh#10 [per element of <stdout of sh#1.trim().split(',')>]
    $ push <element of <stdout of sh#1.trim().split(',')>>
sh#11 [per element of <stdout of sh#1.trim().split(',')>]
    $ notify <element of <stdout of sh#1.trim().split(',')>>
echo#12 message: <index in <stdout of sh#1.trim().tokenize(',')>>: <element of <stdout of sh#1.trim().tokenize(',')>> (ran: no effect) [per element of <stdout of sh#1.trim().tokenize(',')>]
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("unknown-operators"), want);
}

#[test]
fn library_names_are_run_time_values() {
    let want = "\
Plan for Jenkinsfile (scripted)
buildPlugin#1 platforms: [\"linux\"] (unknown step: a library's or a plugin's; not planned inside) → <result of buildPlugin#1>
withPod#2 image: maven:3 { … }
  sh#3
      $ mvn verify
infra.isTrusted#4 (a shared library's global: not evaluated) → <result of infra.isTrusted#4>
    note: infra is not defined in the Jenkinsfile: a shared library's global, presumably; not evaluated (its steps are not shown, and what it returns is a run-time value)
sh#5 [if <result of infra.isTrusted#4> is true]
    $ publish
Not defined in the Jenkinsfile (a library's, the job's or the agent's; planned as run-time values): org.acme.Butler, infra
Result: SUCCESS [could be FAILURE (`buildPlugin` is not a step a local run has: `run` fails there with No such DSL method), or FAILURE (`withPod` is not a step a local run has: `run` fails there with No such DSL method), or FAILURE (`infra.isTrusted` is a shared library's, which a local run does not load yet: `run` fails there)]
--- exit 0 ---
";
    assert_eq!(text_plan("library-names"), want);
}

#[test]
fn block_steps_show_their_arguments_and_post_steps_that_could_run_are_planned() {
    let want = "\
Plan for Jenkinsfile (declarative)
Agent: any
Stages:
├── Build
│   withEnv#1 overrides: [\"GOOS=linux\",\"PATH+GO=/usr/local/go/bin\"] { … } (ran: no effect)
│     sh#2
│         $ go build
│   catchError#3 buildResult: SUCCESS, stageResult: UNSTABLE { … } (ran: no effect)
│       note: if a step in its body fails, the error is caught: the stage's result becomes UNSTABLE, the build's stays as it is
│     sh#4
│         $ go vet
│   lock#5 resource: db { … }
│     sh#6
│         $ migrate
│   lock#7 resource: staging, inversePrecedence: true { … }
│     sh#8
│         $ deploy
│   timeout#9 time: 5, unit: MINUTES { … }
│     retry#10 count: 3 { … }
│       sh#11
│           $ flaky
└── Declarative: Post Actions
    post always:
    sh#12
        $ cleanup
    post success:
    echo#13 message: ok (ran: no effect)
    post failure:
    mail#14 to: team@example.invalid, subject: failed, body: see log [post failure runs if a planned step fails]
Post: always (runs), success (runs), failure (could run: if a planned step fails)
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("block-args"), want);
}

#[test]
fn a_run_time_value_in_the_environment_block_stays_symbolic() {
    let want = "\
Plan for Jenkinsfile (declarative)
Agent: any
Environment:
  GIT_SHORT = <stdout of sh#1.trim()>
sh#1 returnStdout: true → <stdout of sh#1>
    $ git rev-parse --short HEAD
Stages:
├── Build
│   echo#2 message: bare name (ran: no effect) [if <stdout of sh#1.trim() == abc> is true]
│   echo#3 message: through env (ran: no effect) [if <stdout of sh#1.trim() == abc> is true]
│   echo#4 message: length <stdout of sh#1.trim().length()> (ran: no effect)
│   sh#5 [if <stdout of sh#1.trim()> matches case 'abc']
│       $ make abc
│   sh#6 [if <stdout of sh#1.trim()> matches case default]
│       $ make other
└── Only abc [could run: depends on <stdout of sh#1.trim() == abc>]
    when expression { GIT_SHORT == 'abc' }: could run (depends on <stdout of sh#1.trim() == abc>)
    sh#7
        $ make only-abc
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("environment-runtime"), want);
}

#[test]
fn when_environment_and_equals_on_a_run_time_value_could_run() {
    let want = "\
Plan for Jenkinsfile (declarative)
Agent: any
Environment:
  VER = <stdout of sh#1.trim()>
sh#1 returnStdout: true → <stdout of sh#1>
    $ cat VERSION
Stages:
├── Environment [could run: depends on <stdout of sh#1.trim()>]
│   when environment name: 'VER', value: '1.0': could run (depends on <stdout of sh#1.trim()>)
│   sh#2
│       $ make env
├── Equals [could run: depends on <stdout of sh#1.trim()>]
│   when equals expected: '1.0', actual: env.VER: could run (depends on <stdout of sh#1.trim()>)
│   sh#3
│       $ make equals
└── Known: skipped due to when conditional
    when environment name: 'NOT_SET', value: '1.0': false (NOT_SET is not set)
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("when-runtime-compare"), want);
}

#[test]
fn reading_a_file_credential_is_a_run_time_value() {
    let want = "\
Plan for Jenkinsfile (scripted)
withCredentials#1 bindings: [{\"binding\":\"file\",\"credentialsId\":\"kf\",\"variable\":\"KF\"}] { … }
  readFile#2 file: <****> (ran: read only)
  echo#3 message: key has <contents of <****>.length()> characters (ran: no effect)
Credentials (never resolved):
  kf (file) via withCredentials file: KF
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text_plan("file-credential-read"), want);
}
