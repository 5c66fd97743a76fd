//! What the plan's workspace holds, against a real `run` of the same build: a `deleteDir`
//! empties a directory until a checkout brings the tree back or a planned script may make
//! files again, and `checkout scm` brings only what git would list (tracked files, and
//! untracked ones not ignored), so an ignored file of the working tree is not read (nor
//! shown) unless an earlier build left it in the job's workspace. Expected lines are written
//! from the run's behaviour, not copied.

use super::plan_review8::{commit, has, plan, repository, run};

#[test]
fn a_checkout_after_delete_dir_brings_the_tree_back() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            ("VERSION", "4.5\n"),
            (
                "Jenkinsfile",
                "node {\n  deleteDir()\n  checkout scm\n  echo \"V=${readFile('VERSION').trim()}\"\n}\n",
            ),
            (
                "Rebuilt",
                "node {\n  checkout scm\n  dir('build') { deleteDir() }\n  sh 'mkdir -p build && touch build/app.jar'\n  if (fileExists('build/app.jar')) { echo 'JAR' } else { error 'no jar built' }\n}\n",
            ),
            (
                "Gone",
                "node {\n  checkout scm\n  deleteDir()\n  echo \"V=${readFile('VERSION')}\"\n}\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    let planned = plan(&repo, &home, "Jenkinsfile", &[], true);
    has(&planned, "V=4.5");
    has(&planned, "Result: SUCCESS");
    has(&run(&repo, &home, "Jenkinsfile", &[]), "V=4.5");

    // The sh after the deleteDir may make the jar: both sides are planned, none is certain.
    let planned = plan(&repo, &home, "Rebuilt", &[], true);
    has(
        &planned,
        "[if <whether build/app.jar exists after the planned steps> is true]",
    );
    has(&planned, "Result: SUCCESS [could be FAILURE");
    let ran = run(&repo, &home, "Rebuilt", &[]);
    has(&ran, "JAR");
    has(&ran, "Finished: SUCCESS");

    // Deleted and nothing brings it back: the run fails, and so does the plan.
    let planned = plan(&repo, &home, "Gone", &[], true);
    has(&planned, "java.nio.file.NoSuchFileException");
    has(&planned, "Result: FAILURE");
    let ran = run(&repo, &home, "Gone", &[]);
    has(&ran, "java.nio.file.NoSuchFileException");
    has(&ran, "Finished: FAILURE");
}

#[test]
fn checkout_scm_brings_what_git_lists_and_not_ignored_files() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "node {\n  checkout scm\n  for (f in ['local.env', 'keep.env', 'build/out.txt', 'sub/new.txt', 'VERSION']) {\n    if (fileExists(f)) { echo \"FOUND ${f}=${readFile(f).trim()}\" } else { echo \"NO ${f}\" }\n  }\n  echo \"LISTED=${findFiles(glob: '**/*.env').collect { it.path }.join(',')}\"\n}\n";
    let repo = repository(
        tmp.path(),
        &[
            ("VERSION", "4.5\n"),
            (".gitignore", "*.env\nbuild/\n!keep.env\n"),
            ("Jenkinsfile", jenkinsfile),
        ],
    );
    // An ignored file, one the ignore file lets through, an ignored one that was added with
    // force (tracked, so copied), and an untracked file.
    std::fs::write(repo.join("local.env"), "SECRET-IN-AN-IGNORED-FILE\n").unwrap();
    std::fs::write(repo.join("keep.env"), "K\n").unwrap();
    std::fs::create_dir_all(repo.join("build")).unwrap();
    std::fs::write(repo.join("build/out.txt"), "X\n").unwrap();
    super::support::git(&repo, &["add", "-f", "build/out.txt"]);
    commit(&repo, &[], false);
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    std::fs::write(repo.join("sub/new.txt"), "N\n").unwrap();
    let home = tmp.path().join("home");
    let expected = [
        "NO local.env",
        "FOUND keep.env=K",
        "FOUND build/out.txt=X",
        "FOUND sub/new.txt=N",
        "FOUND VERSION=4.5",
        "LISTED=keep.env",
    ];
    let planned = plan(&repo, &home, "Jenkinsfile", &[], true);
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    for line in expected {
        has(&planned, line);
        has(&ran, line);
    }
    assert!(!planned.contains("SECRET-IN-AN-IGNORED-FILE"), "{planned}");
    // The run's workspace keeps what it had: now an earlier build's ignored file is there,
    // and both read it.
    let left = home.join(".local/share/jenkinsfile/jobs/demo/workspace/local.env");
    std::fs::write(&left, "LEFT\n").unwrap();
    has(
        &plan(&repo, &home, "Jenkinsfile", &[], true),
        "FOUND local.env=LEFT",
    );
    has(
        &run(&repo, &home, "Jenkinsfile", &[]),
        "FOUND local.env=LEFT",
    );
    // In place, the workspace is the tree, ignored files included.
    has(
        &plan(&repo, &home, "Jenkinsfile", &["--in-place"], true),
        "FOUND local.env=SECRET-IN-AN-IGNORED-FILE",
    );
}

/// `tools { }` and the `tool` step resolve a name from the config's `[tools]`, as the run
/// does, and fail with the run's message when it is not there; a relative `ws('dir')` is
/// under the build home and a checkout there brings the tree.
#[test]
fn tools_and_a_relative_ws_resolve_as_in_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            ("VERSION", "4.5\n"),
            (
                "Jenkinsfile",
                "pipeline {\n  agent any\n  tools { maven 'M3' }\n  stages {\n    stage('b') { steps { echo \"M3=${tool 'M3'}\" } }\n  }\n}\n",
            ),
            (
                "Ws",
                "node {\n  ws('other-ws') {\n    checkout scm\n    echo \"W=${env.WORKSPACE}\"\n    echo \"V=${readFile('VERSION').trim()}\"\n  }\n}\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    let missing = "No maven named M3 found (add `M3 = \"/path/to/home\"` to the [tools] table of";
    let planned = plan(&repo, &home, "Jenkinsfile", &[], true);
    has(&planned, missing);
    has(
        &planned,
        &format!("{}/.jenkinsfile/config.toml", repo.display()),
    );
    has(&planned, "Result: FAILURE");
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    has(&ran, missing);
    has(&ran, "Finished: FAILURE");
    // With the tool configured (uncommitted: the config is read from the working tree).
    std::fs::create_dir_all(repo.join(".jenkinsfile")).unwrap();
    std::fs::write(
        repo.join(".jenkinsfile/config.toml"),
        "[tools]\nM3 = \"/opt/m3\"\n",
    )
    .unwrap();
    let planned = plan(&repo, &home, "Jenkinsfile", &[], true);
    has(&planned, "M3=/opt/m3");
    has(&planned, "Result: SUCCESS");
    has(&run(&repo, &home, "Jenkinsfile", &[]), "M3=/opt/m3");

    let planned = plan(&repo, &home, "Ws", &[], true);
    let ran = run(&repo, &home, "Ws", &[]);
    has(&planned, "V=4.5");
    has(&ran, "V=4.5");
    let workspace = home.join(".local/share/jenkinsfile/other-ws");
    has(&planned, &format!("W={}", workspace.display()));
    has(&ran, &format!("W={}", workspace.display()));
}

/// `junit` with no report the plan can see and no planned step before it that could write
/// one fails where the run fails; after an `sh` it is left to the run.
#[test]
fn junit_without_reports_fails_as_in_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Jenkinsfile",
                "node {\n  checkout scm\n  junit 'reports/*.xml'\n  echo 'AFTER'\n}\n",
            ),
            (
                "Written",
                "node {\n  checkout scm\n  sh 'mkdir -p reports && echo \"<testsuite tests=\\\"1\\\"><testcase name=\\\"a\\\"/></testsuite>\" > reports/t.xml'\n  junit 'reports/*.xml'\n  echo 'AFTER'\n}\n",
            ),
        ],
    );
    let home = tmp.path().join("home");
    let message = "No test report files were found. Configuration error?";
    let planned = plan(&repo, &home, "Jenkinsfile", &[], true);
    has(&planned, message);
    has(&planned, "Result: FAILURE");
    assert!(!planned.contains("message: AFTER"), "{planned}");
    let ran = run(&repo, &home, "Jenkinsfile", &[]);
    has(&ran, message);
    has(&ran, "Finished: FAILURE");
    let planned = plan(&repo, &home, "Written", &[], true);
    has(&planned, "message: AFTER");
    has(&planned, "Result: SUCCESS");
    has(&run(&repo, &home, "Written", &[]), "Finished: SUCCESS");
}

/// Steps a run refuses or that find nothing fail the plan where the run fails, with its
/// message: a write outside the workspace, a checkout into an absolute `customWorkspace`
/// (outside the build home), `archiveArtifacts`/`stash` with nothing to take and no planned
/// step before them that could make it, and an `unstash` no planned `stash` saved.
#[test]
fn refused_writes_and_empty_file_sets_fail_as_in_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let cases = [
        (
            "Outside",
            format!(
                "node {{\n  dir('{}') {{ writeFile file: 'a.txt', text: 'x' }}\n  echo 'AFTER'\n}}\n",
                outside.display()
            ),
            "writeFile: refusing to write to a.txt".to_string(),
        ),
        (
            "Custom",
            format!(
                "pipeline {{\n  agent {{ node {{ label ''; customWorkspace '{}' }} }}\n  stages {{ stage('A') {{ steps {{ echo 'AFTER' }} }} }}\n}}\n",
                outside.display()
            ),
            format!(
                "checkout: refusing to write to {}: the workspace {} is outside the build home",
                outside.display(),
                outside.display()
            ),
        ),
        (
            "Archive",
            "node {\n  checkout scm\n  archiveArtifacts 'dist/*.jar'\n  echo 'AFTER'\n}\n"
                .to_string(),
            "No artifacts found that match the file pattern \"dist/*.jar\". Configuration error?"
                .to_string(),
        ),
        (
            "Stash",
            "node {\n  checkout scm\n  stash name: 's', includes: 'dist/**'\n  echo 'AFTER'\n}\n"
                .to_string(),
            "No files included in stash ‘s’".to_string(),
        ),
        (
            "Unstash",
            "node {\n  checkout scm\n  unstash 'nope'\n  echo 'AFTER'\n}\n".to_string(),
            "No such saved stash ‘nope’".to_string(),
        ),
    ];
    let mut files: Vec<(&str, &str)> = cases.iter().map(|(f, t, _)| (*f, t.as_str())).collect();
    let built = "node {\n  checkout scm\n  sh 'mkdir -p dist && touch dist/a.jar'\n  archiveArtifacts 'dist/*.jar'\n  stash name: 's', includes: 'dist/**'\n  unstash 's'\n  echo 'AFTER'\n}\n";
    files.push(("Built", built));
    let repo = repository(tmp.path(), &files);
    let home = tmp.path().join("home");
    for (file, _, message) in &cases {
        let planned = plan(&repo, &home, file, &[], true);
        has(&planned, message);
        has(&planned, "Result: FAILURE");
        assert!(!planned.contains("message: AFTER"), "{planned}");
        let ran = run(&repo, &home, file, &[]);
        has(&ran, message);
        has(&ran, "Finished: FAILURE");
    }
    assert!(!outside.exists(), "nothing was written outside");
    let planned = plan(&repo, &home, "Built", &[], true);
    has(&planned, "message: AFTER");
    has(&planned, "Result: SUCCESS");
    has(&run(&repo, &home, "Built", &[]), "Finished: SUCCESS");
}
