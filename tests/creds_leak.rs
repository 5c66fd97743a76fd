//! The leak suite: `fixtures/creds/leak/Jenkinsfile` tries every way to print a secret that
//! README.md (section Credentials) promises to mask, once with the console format and once
//! with JSON events. No secret value of 3 or more characters, nor its base64 or shell-quoted
//! form, nor the path of a secret file, may appear in stdout, stderr or the stored build
//! log; the expected `****` must.

use crate::creds_support::{copy_case, run};

/// Every secret in `fixtures/creds/leak/credentials.toml` and its files (lines of 8 or more
/// characters of the file and the key), as bound by the Jenkinsfile.
const SECRETS: &[&str] = &[
    "tok-9Xq2-LeakCheck-77",
    "it's-a-$ecret-value",
    "pw-Reg1stry-S3cret",
    "deployer:pw-Reg1stry-S3cret",
    "key-passphrase-xyz",
    "multi-line-secret-one",
    "multi-line-secret-two",
    "AKIALEAKSUITE0000001",
    "leak/suite+AwsSecretKey0000000000000001",
    "apiVersion: v1",
    "server: https://127.0.0.1:6443",
    "token: kube-token-LEAKCHECK-0123456789",
    "kube-token-LEAKCHECK-0123456789",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACBleakSuiteKeyLineNumberTwoIsAlsoSecretXXXXXXXXXXXXXXXXXXXX",
];

/// The vectors of the Jenkinsfile (`// vector N`), plus the two outputs checked here: JSON
/// events and the stored build log.
const FILE_VECTORS: usize = 18;

fn b64(bytes: &[u8]) -> String {
    jenkinsfile::report::base64_encode(bytes)
}

/// Each secret, its base64 forms as the script prints them, and its shell-quoted forms.
fn forbidden() -> Vec<String> {
    let mut out: Vec<String> = SECRETS.iter().map(|s| (*s).to_owned()).collect();
    for s in SECRETS {
        out.push(b64(s.as_bytes()).trim_end_matches('=').to_owned());
    }
    out.push(b64(b"xpw-Reg1stry-S3cret").trim_end_matches('=').to_owned());
    out.push(
        b64(b"yzleak/suite+AwsSecretKey0000000000000001")
            .trim_end_matches('=')
            .to_owned(),
    );
    out.push(r"it'\''s-a-$ecret-value".to_owned());
    out.push(r#"it'"'"'s-a-$ecret-value"#.to_owned());
    // The secret files' temp paths are secrets too.
    out.push("secretFiles".to_owned());
    out
}

fn assert_clean(what: &str, text: &str) {
    for secret in forbidden() {
        assert!(!text.contains(&secret), "{what} leaks `{secret}`:\n{text}");
    }
}

#[test]
fn the_leak_suite_counts_its_vectors() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/creds/leak/Jenkinsfile"),
    )
    .unwrap();
    let vectors = text
        .lines()
        .filter(|l| {
            l.trim_start()
                .strip_prefix("// vector ")
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    assert_eq!(vectors, FILE_VECTORS, "update FILE_VECTORS and the README");
}

#[test]
fn no_secret_reaches_the_console_or_the_build_log() {
    let dir = tempfile::tempdir().unwrap();
    let case = copy_case("leak", dir.path());
    let home = dir.path().join("home");
    let ran = run(&case, &home, &[], &[]);
    assert_eq!(
        ran.code, 1,
        "the last vector fails the build:\n{}",
        ran.stdout
    );
    assert_clean("stdout", &ran.stdout);
    assert_clean("stderr", &ran.stderr);
    assert_clean("the build log", &ran.log);
    assert_clean(
        "build.json",
        &std::fs::read_to_string(home.join("jobs/demo/builds/1/build.json")).unwrap(),
    );
    let out = &ran.stdout;
    let expect = |line: &str| {
        assert!(
            out.lines().any(|l| l == line),
            "expected the line `{line}` in:\n{out}"
        );
    };
    expect(
        "Masking supported pattern matches of $TOKEN or $QUOTED or $SHORT or $MULTI or $REG_PASS or $REG_AUTH or $KUBECONFIG or $KEY or $KEY_PASS or $AK or $SK",
    );
    // vector 1, with Jenkins' warning right after the step line.
    expect("token is ****");
    expect(
        "Warning: A secret was passed to \"echo\" using Groovy String interpolation, which is insecure.",
    );
    expect("\t\t Affected argument(s) used the following variable(s): [TOKEN]");
    expect("env: **** and ****");
    // vector 2
    expect("+ echo **** **** ****");
    // vector 3: the partial line is flushed masked when the step ends.
    expect("****");
    // vector 4
    expect("10% ****\r50% ****\r100% ****");
    // vector 7: the username is not a secret.
    expect("https://****@registry.invalid/ user=deployer");
    // vector 8: each line of 8+ characters of the file is masked.
    expect("    ****");
    expect("passphrase **** for git");
    // vector 9
    expect("TOKEN=****");
    expect("KUBECONFIG=****");
    // vector 10
    expect("captured: ****");
    // vector 12: whole lines per branch.
    expect("a1 **** ****");
    expect("b3 **** ****");
    // vector 13 and 15
    expect("ERROR: deploy failed for token ****");
    expect("ERROR: fatal: ****");
    // vector 16: each line of a multi-line secret, in the trace and the output.
    expect("+ echo ****");
    // vector 18: the stage's opening, and the stage name in build.json.
    expect("[Pipeline] { (st-****)");
    expect("[Pipeline] // stage");
    // vector 17
    let record = std::fs::read_to_string(home.join("jobs/demo/builds/1/build.json")).unwrap();
    assert!(record.contains("deployed with ****"), "{record}");
    assert!(record.contains("\"st-****\""), "{record}");
    // A 2-character secret is not masked, as in Jenkins.
    expect("short=ab");
    assert_eq!(ran.log.matches("****").count(), out.matches("****").count());
    assert!(out.matches("****").count() >= 40, "{out}");
}

#[test]
fn no_secret_reaches_the_json_events() {
    let dir = tempfile::tempdir().unwrap();
    let case = copy_case("leak", dir.path());
    let home = dir.path().join("home");
    let ran = run(&case, &home, &["--format", "json"], &[]);
    assert_eq!(ran.code, 1);
    assert_clean("JSON events", &ran.stdout);
    assert_clean("the build log", &ran.log);
    for line in ran.stdout.lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_ne!(
            event["event"], "secrets",
            "the secrets event is never rendered"
        );
    }
    assert!(
        ran.stdout.contains(r#""text":"token is ****\n""#) || ran.stdout.contains("token is ****")
    );
    assert!(
        ran.stdout.contains(r#""message":"fatal: ****""#),
        "{}",
        ran.stdout
    );
}
