//! Golden plans: every `fixtures/plan/<case>/Jenkinsfile` is planned by the real binary in a
//! temporary copy of its folder (`--job demo` plus `<case>/args`), as text, JSON and mermaid,
//! and each is snapshotted; the seed's two pipelines are planned in place. `PATH` holds only
//! stub tools and `DOCKER_HOST`/`AWS_ENDPOINT_URL` point where nothing listens, so `--check`
//! is deterministic. No output may contain a test secret.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Values from the fixtures' credential stores: never in any plan output.
const SECRETS: &[&str] = &[
    "plan-user-NEVER-SHOWN",
    "plan-pass-NEVER-SHOWN",
    "plan-token-NEVER-SHOWN",
    "plan-key-NEVER-SHOWN",
    "plan-nexus-NEVER-SHOWN",
    "plan-ssh-NEVER-SHOWN",
    "plan-kube-NEVER-SHOWN",
    "plan-slack-NEVER-SHOWN",
    "plan-kf-NEVER-SHOWN",
    "plan-seed-NEVER-SHOWN",
];

/// A directory of stub executables, the only thing on `PATH`.
pub(crate) fn stub_path(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["make", "npm", "git"] {
        let path = bin.join(tool);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Plans `jenkinsfile` (relative to `cwd`) in `format`: stdout, stderr and exit status.
pub(crate) fn plan(
    cwd: &Path,
    jenkinsfile: &str,
    format: &str,
    extra: &[String],
    path: &Path,
) -> String {
    let output = Command::new(BIN)
        .current_dir(cwd)
        .args(["plan", jenkinsfile, "--job", "demo", "--format", format])
        .args(extra)
        .env_clear()
        .env("PATH", path)
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd.join("no-config"))
        .env("LANG", "C.UTF-8")
        // `--check` asks the engine and AWS: nothing listens at either, so the answers are
        // the same on every machine and no call leaves it.
        .env(
            "DOCKER_HOST",
            format!("unix://{}", path.with_file_name("no-docker.sock").display()),
        )
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    writeln!(text, "--- exit {} ---", output.status.code().unwrap_or(-1)).unwrap();
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "a secret leaked into the plan:\n{text}"
        );
    }
    text
}

fn fixture_plan(path: &Path, format: &str) -> String {
    let case = path.parent().unwrap();
    let extra: Vec<String> = std::fs::read_to_string(case.join("args"))
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    copy_dir(case, &work);
    if case.join("repo").exists() {
        super::support::git(&work, &["init", "-q", "-b", "main"]);
        super::support::git(&work, &["add", "-A"]);
        super::support::git(&work, &["commit", "-q", "-m", "fixture"]);
    }
    let bin = stub_path(tmp.path());
    let text = plan(&work, "Jenkinsfile", format, &extra, &bin);
    text.replace(&tmp.path().display().to_string(), "[TMP]")
}

#[test]
fn text_plans() {
    insta::glob!("../fixtures/plan", "*/Jenkinsfile", |path| {
        insta::assert_snapshot!(fixture_plan(path, "text"));
    });
}

#[test]
fn json_plans() {
    insta::glob!("../fixtures/plan", "*/Jenkinsfile", |path| {
        let text = fixture_plan(path, "json");
        let json = text.split("--- ").next().unwrap();
        let parsed: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(parsed["schema"], "jenkinsfile-plan/1");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn mermaid_plans() {
    insta::glob!("../fixtures/plan", "*/Jenkinsfile", |path| {
        let text = fixture_plan(path, "mermaid");
        assert!(text.starts_with("flowchart TD\n"), "{text}");
        insta::assert_snapshot!(text);
    });
}

/// The seed's CI and CD pipelines, read in place (so with the repository's default checkout).
#[test]
fn seed_plans() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let bin = stub_path(tmp.path());
    for seed in ["ci", "cd"] {
        let file = format!("fixtures/seed/{seed}/Jenkinsfile");
        let extra = [
            "--branch".to_string(),
            "main".to_string(),
            "--credentials".to_string(),
            "fixtures/plan/seed-credentials.toml".to_string(),
        ];
        for format in ["text", "json", "mermaid"] {
            let text = plan(root, &file, format, &extra, &bin);
            insta::assert_snapshot!(format!("seed_{seed}_{format}"), text);
        }
    }
}

/// Plans `jenkinsfile` text in `tmp/work` (with `extra` arguments): the output as `plan` gives it.
fn plan_text(tmp: &Path, jenkinsfile: &str, extra: &[&str]) -> String {
    let work = tmp.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("Jenkinsfile"), jenkinsfile).unwrap();
    let bin = stub_path(tmp);
    let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    plan(&work, "Jenkinsfile", "text", &extra, &bin)
}

#[test]
fn plan_reads_only_the_working_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "OUTSIDE-TREE-CONTENT\n").unwrap();
    std::fs::write(tmp.path().join("secret.json"), "{\"k\": \"OUTSIDE-JSON\"}").unwrap();
    let jenkinsfile = format!(
        "node {{\n\
         echo \"rel ${{readFile('../secret.txt')}}\"\n\
         echo \"abs ${{readFile('{}')}}\"\n\
         echo \"json ${{readJSON(file: '../secret.json')}}\"\n\
         echo \"exists ${{fileExists('../secret.txt')}}\"\n\
         echo \"sha ${{sha256('../secret.txt')}}\"\n\
         echo \"found ${{findFiles(glob: '../*.txt')}}\"\n\
         dir('..') {{ echo \"in dir ${{readFile('secret.txt')}}\" }}\n\
         }}\n",
        secret.display()
    );
    let text = plan_text(tmp.path(), &jenkinsfile, &[]);
    assert!(!text.contains("OUTSIDE-"), "{text}");
    assert!(!text.contains("exists true"), "{text}");
    assert!(!text.contains("secret.txt]"), "{text}");
    assert!(text.contains("contents of "), "{text}");
    assert!(text.contains("whether "), "{text}");
    assert!(text.contains("plan reads only the working tree"), "{text}");
    assert!(text.contains("files matching ../*.txt"), "{text}");
}

#[test]
fn password_parameters_are_masked_in_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "pipeline {\n  agent any\n  parameters {\n    password(name: 'PASS', defaultValue: 'default-pw-NEVER')\n  }\n  stages {\n    stage('s') {\n      steps {\n        sh \"deploy --password ${params.PASS}\"\n        echo \"pw ${params.PASS}\"\n      }\n    }\n  }\n}\n";
    let text = plan_text(tmp.path(), jenkinsfile, &["--param", "PASS=given-pw-NEVER"]);
    assert!(!text.contains("pw-NEVER"), "{text}");
    assert!(text.contains("deploy --password <****>"), "{text}");
}

#[test]
fn a_failing_plan_fails_with_check_too() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_text(tmp.path(), "node {\n  error 'boom'\n}\n", &["--check"]);
    assert!(text.ends_with("--- exit 1 ---\n"), "{text}");
}

#[test]
fn sha256_and_find_files_see_planned_writes() {
    use sha2::{Digest, Sha256};
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "node {\n  writeFile file: 'out/a.txt', text: 'planned text'\n  echo \"sha ${sha256('out/a.txt')}\"\n  echo \"found ${findFiles(glob: 'out/*.txt')}\"\n}\n";
    let text = plan_text(tmp.path(), jenkinsfile, &[]);
    let want = Sha256::digest(b"planned text")
        .iter()
        .fold(String::new(), |mut hex, b| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{b:02x}");
            hex
        });
    assert!(text.contains(&format!("sha {want}")), "{text}");
    assert!(text.contains("after the planned file changes"), "{text}");
}
