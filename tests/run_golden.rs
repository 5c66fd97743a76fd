//! Golden console logs: every `fixtures/run/<case>/Jenkinsfile` is run by the real binary in a
//! fresh build home (`--job demo --branch main --clean-env`, plus the arguments listed one per
//! line in `<case>/args`), and its stdout and exit status are snapshotted. Filters replace the
//! temporary home and the random control-directory names. Each run must leave a `build.json`
//! whose result agrees with the exit status.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

fn run_case(jenkinsfile: &Path, home: &Path) -> (String, i32) {
    let case = jenkinsfile.parent().unwrap();
    let extra: Vec<String> = std::fs::read_to_string(case.join("args"))
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let output = Command::new(BIN)
        .arg("run")
        .arg(jenkinsfile)
        .args(["--job", "demo", "--branch", "main", "--clean-env"])
        .arg("--home")
        .arg(home)
        .args(&extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    (text, output.status.code().unwrap_or(-1))
}

#[test]
fn console_logs() {
    insta::glob!("../fixtures/run", "*/Jenkinsfile", |path| {
        let home = tempfile::tempdir().unwrap();
        let (text, code) = run_case(path, home.path());
        let record = home.path().join("jobs/demo/builds/1/build.json");
        if let Ok(json) = std::fs::read_to_string(&record) {
            let record: serde_json::Value = serde_json::from_str(&json).unwrap();
            let expected = match record["result"].as_str().unwrap() {
                "SUCCESS" => 0,
                "FAILURE" => 1,
                "UNSTABLE" => 3,
                "ABORTED" => 4,
                _ => 5,
            };
            assert_eq!(
                code,
                expected,
                "exit status and build.json disagree for {}",
                path.display()
            );
        } else {
            // Every case, even a file that does not parse, leaves a record.
            panic!("no build record for {} (exit {code})", path.display());
        }
        let home_text = home.path().display().to_string();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/run");
        insta::with_settings!({
            filters => vec![
                (regex_escape(&home_text).as_str(), "[HOME]"),
                (regex_escape(&fixtures.display().to_string()).as_str(), "[FIXTURES]"),
                (r"durable-[0-9a-f]{8}", "durable-XXXXXXXX"),
            ],
        }, {
            insta::assert_snapshot!(format!("{text}--- exit: {code}\n"));
        });
    });
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
