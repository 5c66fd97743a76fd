//! The ninth review of `plan` (issue 9): where the plan's predicted result disagreed with
//! what `run` does. Each test runs both on the same pipeline, in a committed repository with a
//! temporary `HOME`, and checks that they agree: where the run fails, the plan says the build
//! would fail (or could, on a side that may not run) with the run's message.

use std::path::Path;

use super::plan_review8::{has, plan_json, repository, run};

/// Plans `file` with the host's PATH (the work folder and `HOME` stay byte-identical).
fn plan(dir: &Path, home: &Path, file: &str, extra: &[&str]) -> String {
    super::plan_review8::plan(dir, home, file, extra, true)
}

fn lacks(out: &str, line: &str) {
    assert!(!out.contains(line), "unexpected {line:?} in:\n{out}");
}

/// The run's `ERROR: …` line (the message it fails with) and its result.
fn run_error(ran: &str) -> &str {
    ran.lines()
        .find_map(|l| l.strip_prefix("ERROR: "))
        .unwrap_or_else(|| panic!("no ERROR line in:\n{ran}"))
}

#[test]
fn a_credential_the_store_lacks_fails_the_plan_where_the_run_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Environment",
                "pipeline {\n  agent any\n  environment { X = credentials('nope') }\n  stages { stage('A') { steps { echo 'INSIDE' } } }\n}\n",
            ),
            (
                "Binding",
                "node {\n  stage('A') {\n    withCredentials([string(credentialsId: 'nope2', variable: 'T')]) { echo 'INSIDE' }\n  }\n}\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    for (file, message) in [
        ("Environment", "nope"),
        (
            "Binding",
            "Could not find credentials entry with ID 'nope2'",
        ),
    ] {
        let ran = run(&repo, &home, file, &[]);
        assert_eq!(run_error(&ran), message, "{ran}");
        has(&ran, "Finished: FAILURE");
        lacks(&ran, "INSIDE");
        let planned = plan(&repo, &home, file, &[]);
        has(&planned, &format!(": {message}\n"));
        has(&planned, "Result: FAILURE");
        lacks(&planned, "message: INSIDE");
        let json = plan_json(&repo, &home, file, &[]);
        assert_eq!(json["result"], "FAILURE", "{json:#}");
        let checked = plan(&repo, &home, file, &["--check"]);
        let id = if file == "Binding" { "nope2" } else { "nope" };
        has(&checked, &format!("missing     credential {id}: "));
    }
}

#[test]
fn a_missing_credential_on_a_side_that_may_not_run_could_fail_and_a_present_one_is_enough() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Conditional",
                "node {\n  def v = sh(script: 'echo hi', returnStdout: true).trim()\n  if (v == 'x') {\n    withCredentials([string(credentialsId: 'nope3', variable: 'T')]) { echo 'INSIDE' }\n  }\n  echo 'END'\n}\n",
            ),
            (
                "RunTimeId",
                "node {\n  def v = sh(script: 'echo cmd', returnStdout: true).trim()\n  withCredentials([string(credentialsId: \"${v}\", variable: 'T')]) { echo 'BY VALUE' }\n}\n",
            ),
            (
                "Present",
                "pipeline {\n  agent any\n  environment { X = credentials('cmd') }\n  stages { stage('A') { steps { withCredentials([string(credentialsId: 'cmd', variable: 'T')]) { echo 'INSIDE' } } } }\n}\n",
            ),
            (
                "creds.toml",
                "[cmd]\ntype = \"string\"\nsecret = { command = \"touch RAN && echo review9-NEVER-SHOWN\" }\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    let args = ["--credentials", "creds.toml"];

    let ran = run(&repo, &home, "Conditional", &args);
    has(&ran, "Finished: SUCCESS");
    let planned = plan(&repo, &home, "Conditional", &args);
    has(
        &planned,
        "Result: SUCCESS [could be FAILURE (withCredentials: Could not find credentials entry with ID 'nope3' if <stdout of sh#1.trim() == x> is true)]",
    );
    has(&planned, "message: END");
    // The missing id's type is the binding's.
    has(&planned, "nope3 (string) via withCredentials string: T");

    // The id is only known to a run: nothing is claimed about it.
    let planned = plan(&repo, &home, "RunTimeId", &args);
    has(&planned, "Result: SUCCESS\n");
    has(&planned, "message: BY VALUE");

    // An entry that runs a command is present: the plan never runs it (`plan` checks the
    // folder is unchanged, and RAN would appear in it).
    let planned = plan(&repo, &home, "Present", &args);
    has(&planned, "Result: SUCCESS\n");
    has(&planned, "message: INSIDE");
    assert!(!repo.join("RAN").exists());
    let ran = run(&repo, &home, "Present", &args);
    has(&ran, "INSIDE");
    has(&ran, "Finished: SUCCESS");
    lacks(&ran, "review9-NEVER-SHOWN");
    lacks(&planned, "review9-NEVER-SHOWN");
}

#[test]
fn registry_credentials_are_listed_with_their_type_and_where_they_are_used() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Jenkinsfile",
                "pipeline {\n  agent { docker { image 'alpine:3'; registryUrl 'https://reg.example.invalid'; registryCredentialsId 'regcred' } }\n  stages {\n    stage('A') {\n      agent { docker { image 'alpine:3'; registryCredentialsId 'ecr:us-east-1:awsc' } }\n      steps { script { docker.withRegistry('https://other.example.invalid', 'pushcred') { echo 'IN' } } }\n    }\n  }\n}\n",
            ),
            (
                "creds.toml",
                "[regcred]\ntype = \"string\"\nsecret = \"review9-NEVER-SHOWN\"\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    let args = ["--credentials", "creds.toml"];
    let planned = plan(&repo, &home, "Jenkinsfile", &args);
    has(
        &planned,
        "Credentials (never resolved):\n  regcred (string) via docker agent registryCredentialsId\n  ecr:us-east-1:awsc (aws) via docker agent registryCredentialsId in stage \"A\"\n  pushcred (usernamePassword) via withDockerRegistry in stage \"A\"\n",
    );
    let json = plan_json(&repo, &home, "Jenkinsfile", &args);
    let listed: Vec<(String, String, String, serde_json::Value)> = json["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["type"].as_str().unwrap().to_string(),
                c["via"].as_str().unwrap().to_string(),
                c["stage"].clone(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (
                "regcred".into(),
                "string".into(),
                "docker agent registryCredentialsId".into(),
                serde_json::Value::Null
            ),
            (
                "ecr:us-east-1:awsc".into(),
                "aws".into(),
                "docker agent registryCredentialsId".into(),
                serde_json::json!("A")
            ),
            (
                "pushcred".into(),
                "usernamePassword".into(),
                "withDockerRegistry".into(),
                serde_json::json!("A")
            ),
        ]
    );
    // `--check` still checks a registry credential as a registry login: a string is not one.
    let mut checked = args.to_vec();
    checked.push("--check");
    let checked = plan(&repo, &home, "Jenkinsfile", &checked);
    has(
        &checked,
        "missing     credential regcred: is string but the registry login needs usernamePassword",
    );
    has(
        &checked,
        "missing     credential pushcred: not in the credential store",
    );
    lacks(&checked, "review9-NEVER-SHOWN");
}

/// The run's and the plan's `ERROR: …` line, which must be the same.
fn same_error(repo: &Path, home: &Path, file: &str) -> String {
    let ran = run(repo, home, file, &[]);
    has(&ran, "Finished: FAILURE");
    lacks(&ran, "AFTER");
    let planned = plan(repo, home, file, &[]);
    has(&planned, "Result: FAILURE");
    lacks(&planned, "message: AFTER");
    let error = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("ERROR: ") || l.contains("Exception") || l.contains("Error:"))
            .unwrap_or_else(|| panic!("no error in:\n{out}"))
            .trim_start_matches("ERROR: ")
            .to_string()
    };
    let (ran_error, planned_error) = (error(&ran), error(&planned));
    // The plan says where (`file:line:col: `), as the run does for its own limits.
    assert!(
        planned_error.ends_with(&ran_error),
        "run: {ran_error}\nplan: {planned_error}"
    );
    planned
}

#[test]
fn what_a_run_does_not_support_fails_the_plan_with_the_runs_message() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "NewFile",
            "node {\n  def f = new File('x.txt')\n  echo \"${f.exists()}\"\n  echo 'AFTER'\n}\n",
            "unsupported class: `new File(…)` is not available in this interpreter",
        ),
        (
            "NewJavaFile",
            "node {\n  def f = new java.io.File('x.txt')\n  echo 'AFTER'\n}\n",
            "unsupported class: `new java.io.File(…)` is not available in this interpreter",
        ),
        (
            "Evaluate",
            "node {\n  def v = evaluate('1 + 2')\n  echo 'AFTER'\n}\n",
            "No such DSL method 'evaluate' found among steps",
        ),
        (
            "Runtime",
            "node {\n  def p = Runtime.getRuntime().exec('ls')\n  echo 'AFTER'\n}\n",
            "No such property: Runtime for class: groovy.lang.Binding",
        ),
        (
            "Execute",
            "node {\n  def p = 'ls'.execute()\n  echo 'AFTER'\n}\n",
            "No signature of method: java.lang.String.execute()",
        ),
        (
            "Kubernetes",
            "pipeline {\n  agent { kubernetes { yaml 'kind: Pod' } }\n  stages { stage('A') { steps { echo 'AFTER' } } }\n}\n",
            "unsupported: `agent { kubernetes … }` (the pipeline) is not yet supported: it needs a Kubernetes cluster",
        ),
        (
            "Sshagent",
            "node {\n  sshagent(['k']) { echo 'AFTER' }\n}\n",
            "unsupported: step 'sshagent' is not available yet",
        ),
        (
            "HttpRequest",
            "node {\n  def r = httpRequest 'http://127.0.0.1:9'\n  echo 'AFTER'\n}\n",
            "unsupported: step 'httpRequest' is not available yet",
        ),
        (
            "Bat",
            "node {\n  bat 'dir'\n  echo 'AFTER'\n}\n",
            "unsupported: the `bat` step is not available on this platform",
        ),
        (
            "BuildJob",
            "node {\n  build job: 'deploy-prod', parameters: [string(name: 'X', value: 'y')]\n  echo 'AFTER'\n}\n",
            "unsupported: `build job: 'deploy-prod'` needs a Jenkins server to trigger another job",
        ),
        (
            "StepClass",
            "node {\n  step([$class: 'Mailer', recipients: 'a@b'])\n  echo 'AFTER'\n}\n",
            "unsupported: step([$class: 'Mailer']) needs the plugin that provides Mailer",
        ),
        (
            "CheckoutSvn",
            "node {\n  checkout([$class: 'SubversionSCM', locations: []])\n  echo 'AFTER'\n}\n",
            "unsupported: checkout with $class `SubversionSCM`: only GitSCM (`scmGit`) is supported",
        ),
        (
            "LockLabel",
            "node {\n  lock(label: 'pool') { echo 'AFTER' }\n}\n",
            "unsupported: lock(label: …) picks among resources configured in Jenkins",
        ),
    ];
    let files: Vec<(&str, &str)> = cases.iter().map(|(f, text, _)| (*f, *text)).collect();
    let repo = repository(tmp.path(), &files);
    let home = tmp.path().join("home");
    for (file, _, message) in cases {
        let planned = same_error(&repo, &home, file);
        has(&planned, message);
        // Not taken for a name from outside the Jenkinsfile.
        lacks(&planned, "Not defined in the Jenkinsfile");
    }
    let planned = plan(&repo, &home, "Sshagent", &[]);
    has(
        &planned,
        "sshagent#1 credentials: [\"k\"]\n    note: not available in a local run yet: the run stops here\n",
    );
}

#[test]
fn an_unsupported_step_on_a_side_that_may_not_run_could_fail_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "node {\n  def v = sh(script: 'echo', returnStdout: true).trim()\n  if (v) {\n    httpRequest 'http://127.0.0.1:9'\n  }\n  echo 'AFTER'\n}\n",
        )],
    );
    let home = tmp.path().join("home");
    // `v` is empty: the run never reaches the step.
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    has(&ran, "AFTER");
    has(&ran, "Finished: SUCCESS");
    let planned = plan(&repo, &home, "Jenkinsfile", &[]);
    has(
        &planned,
        "Result: SUCCESS [could be FAILURE (unsupported: step 'httpRequest' is not available yet if <stdout of sh#1.trim()> is true)]",
    );
    has(&planned, "message: AFTER");
}

/// The `Post:` summary line of a plan.
fn post_line(planned: &str) -> &str {
    planned
        .lines()
        .find(|l| l.starts_with("Post: "))
        .unwrap_or_else(|| panic!("no Post line in:\n{planned}"))
}

#[test]
fn changed_fixed_and_regression_are_decided_from_the_previous_build_as_the_run_decides() {
    let tmp = tempfile::tempdir().unwrap();
    let post = "  post {\n    changed { echo 'RAN-CHANGED' }\n    fixed { echo 'RAN-FIXED' }\n    regression { echo 'RAN-REGRESSION' }\n  }\n";
    let repo = repository(
        tmp.path(),
        &[
            (
                "Jenkinsfile",
                &format!(
                    "pipeline {{\n  agent any\n  parameters {{ booleanParam(name: 'FAIL', defaultValue: false) }}\n  stages {{ stage('A') {{ steps {{ script {{ if (params.FAIL) {{ error 'boom' }} }} }} }} }}\n{post}}}\n"
                ),
            ),
            (
                "Uncertain",
                &format!(
                    "pipeline {{\n  agent any\n  stages {{ stage('A') {{ steps {{ script {{\n    def v = sh(script: 'echo', returnStdout: true).trim()\n    if (v) {{ error 'boom' }}\n  }} }} }} }}\n{post}}}\n"
                ),
            ),
        ],
    );
    let home = tmp.path().join("home");
    // (arguments, the plan's post line, the post blocks the run runs): the first build, a
    // failure after a success, a success after a failure.
    let builds: [(&[&str], &str, &[&str]); 3] = [
        (
            &[],
            "Post: changed (runs), fixed (does not run), regression (does not run)",
            &["RAN-CHANGED"],
        ),
        (
            &["--param", "FAIL=true"],
            "Post: changed (runs), fixed (does not run), regression (runs)",
            &["RAN-CHANGED", "RAN-REGRESSION"],
        ),
        (
            &[],
            "Post: changed (runs), fixed (runs), regression (could run: if the build is aborted)",
            &["RAN-CHANGED", "RAN-FIXED"],
        ),
    ];
    for (args, planned_post, ran_posts) in builds {
        let planned = plan(&repo, &home, "Jenkinsfile", args);
        assert_eq!(post_line(&planned), planned_post, "{planned}");
        lacks(&planned, "depending on the previous build");
        let ran = run(&repo, &home, "Jenkinsfile", args);
        for name in ["RAN-CHANGED", "RAN-FIXED", "RAN-REGRESSION"] {
            let planned_runs = planned_post.contains(&format!(
                "{} (runs)",
                name.trim_start_matches("RAN-").to_lowercase()
            ));
            assert_eq!(
                ran.contains(name),
                ran_posts.contains(&name),
                "{name}: {ran}"
            );
            assert_eq!(planned_runs, ran_posts.contains(&name), "{name}: {planned}");
        }
    }
    // The previous build succeeded; this one could fail: `changed` and `regression` could
    // run, `fixed` does not.
    let planned = plan(&repo, &home, "Uncertain", &[]);
    let line = post_line(&planned);
    assert!(
        line.starts_with("Post: changed (could run: if the result becomes FAILURE"),
        "{planned}"
    );
    assert!(line.contains("fixed (does not run)"), "{planned}");
    assert!(
        line.contains("regression (could run: if the result becomes FAILURE"),
        "{planned}"
    );
}

#[test]
fn skip_stages_after_unstable_follows_a_certain_unstable_and_a_conditional_one_could_skip() {
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = |body: &str| {
        format!(
            "pipeline {{\n  agent any\n  options {{ skipStagesAfterUnstable() }}\n  stages {{\n    stage('A') {{ steps {{ script {{\n{body}\n    }} }} }}\n    stage('B') {{ steps {{ echo 'B-RAN' }} }}\n  }}\n}}\n"
        )
    };
    let certain = pipeline("      unstable 'flaky'");
    let conditional = pipeline(
        "      def v = sh(script: 'echo', returnStdout: true).trim()\n      if (v) { unstable 'flaky' }",
    );
    let repo = repository(
        tmp.path(),
        &[("Certain", &certain), ("Conditional", &conditional)],
    );
    let home = tmp.path().join("home");

    let ran = run(&repo, &home, "Certain", &[]);
    has(
        &ran,
        "Stage \"B\" skipped due to earlier stage(s) marking the build as unstable",
    );
    lacks(&ran, "B-RAN");
    has(&ran, "Finished: UNSTABLE");
    let planned = plan(&repo, &home, "Certain", &[]);
    has(
        &planned,
        "└── B: skipped due to earlier stage(s) marking the build as unstable",
    );
    lacks(&planned, "B-RAN");
    has(&planned, "Result: UNSTABLE");

    // `v` is empty: the run runs B; the plan cannot know, so B could be skipped.
    let ran = run(&repo, &home, "Conditional", &[]);
    has(&ran, "B-RAN");
    has(&ran, "Finished: SUCCESS");
    let planned = plan(&repo, &home, "Conditional", &[]);
    has(
        &planned,
        "└── B [could run: depends on the build not being UNSTABLE (unstable 'flaky' if <stdout of sh#2.trim()> is true)]",
    );
    has(
        &planned,
        "when skipStagesAfterUnstable(): could run (could be skipped: the stage is skipped if the build is UNSTABLE by then (unstable 'flaky' if <stdout of sh#2.trim()> is true))",
    );
    has(&planned, "message: B-RAN");
    let json = plan_json(&repo, &home, "Conditional", &[]);
    let b = &json["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "B")
        .unwrap();
    assert_eq!(b["status"], "planned", "{b:#}");
    assert!(
        b["conditional"].as_str().unwrap().contains("UNSTABLE"),
        "{b:#}"
    );
    assert_eq!(b["when"][0]["holds"], serde_json::Value::Null, "{b:#}");
}

/// A step no catalogue knows (a plugin's or a library's) is planned with a run-time result,
/// and the build could fail there: a local run has no such step.
#[test]
fn an_unknown_step_could_fail_the_build_as_the_local_run_does() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[("Jenkinsfile", "node {\n  jacoco()\n  echo 'AFTER'\n}\n")],
    );
    let home = tmp.path().join("home");
    let planned = plan(&repo, &home, "Jenkinsfile", &[]);
    has(
        &planned,
        "Result: SUCCESS [could be FAILURE (`jacoco` is not a step a local run has: `run` fails there with No such DSL method)]",
    );
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    has(&ran, "No such DSL method 'jacoco' found among steps");
    has(&ran, "Finished: FAILURE");
}
