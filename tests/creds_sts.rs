//! `role_arn`: an AWS credential assumes its role through STS, tested against a real
//! `moto_server` on 127.0.0.1 that `scripts/moto` starts (it exports
//! `JENKINSFILE_MOTO_ENDPOINT`; `scripts/test` runs the suite through it). Without moto the
//! test says so and passes, except with `CI=true`, where a missing moto is a failure.

use crate::creds_support::run;

const STORE: &str = r#"
[deployer]
type = "aws"
access_key_id = "AKIASTATICKEY0000001"
secret_access_key = "static/secret+key0000000000000000000001"
role_arn = "arn:aws:iam::123456789012:role/deployer"
role_session_name = "jenkinsfile-test"
"#;

const JENKINSFILE: &str = r#"node {
    withCredentials([aws(credentialsId: 'deployer')]) {
        sh '''
            case "$AWS_ACCESS_KEY_ID" in ASIA*) echo "temporary key id";; *) echo "not assumed";; esac
            test "$AWS_ACCESS_KEY_ID" != AKIASTATICKEY0000001 && echo "not the static key"
            test -n "$AWS_SESSION_TOKEN" && echo "session token of ${#AWS_SESSION_TOKEN} characters"
            echo "key: $AWS_ACCESS_KEY_ID"
        '''
    }
}
"#;

fn moto_endpoint() -> Option<String> {
    match std::env::var("JENKINSFILE_MOTO_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but JENKINSFILE_MOTO_ENDPOINT is not set: run the tests through scripts/moto (scripts/test does)"
            );
            say(
                "creds_sts: skipped, no moto_server (JENKINSFILE_MOTO_ENDPOINT is unset; run `scripts/moto -- cargo test creds_sts`)",
            );
            None
        }
    }
}

#[test]
fn role_arn_assumes_the_role_through_sts() {
    use std::os::unix::fs::PermissionsExt as _;
    let Some(endpoint) = moto_endpoint() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("Jenkinsfile"), JENKINSFILE).unwrap();
    std::fs::write(case.join("credentials.toml"), STORE).unwrap();
    std::fs::set_permissions(
        case.join("credentials.toml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let ran = run(
        &case,
        &dir.path().join("home"),
        &[],
        &[("AWS_ENDPOINT_URL", &endpoint), ("AWS_REGION", "eu-west-1")],
    );
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
    for line in [
        "Masking supported pattern matches of $AWS_ACCESS_KEY_ID or $AWS_SECRET_ACCESS_KEY or $AWS_SESSION_TOKEN",
        "temporary key id",
        "not the static key",
        "key: ****",
    ] {
        assert!(
            ran.stdout.lines().any(|l| l == line),
            "no `{line}` in:\n{}",
            ran.stdout
        );
    }
    assert!(ran.stdout.contains("session token of "), "{}", ran.stdout);
}

#[test]
fn a_failing_assume_role_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("Jenkinsfile"), JENKINSFILE).unwrap();
    std::fs::write(case.join("credentials.toml"), STORE).unwrap();
    std::fs::set_permissions(
        case.join("credentials.toml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    // Port 9 on loopback (discard) refuses connections: STS is unreachable.
    let ran = run(
        &case,
        &dir.path().join("home"),
        &[],
        &[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_MAX_ATTEMPTS", "1"),
        ],
    );
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout.contains(
            "ERROR: credential 'deployer': STS AssumeRole of arn:aws:iam::123456789012:role/deployer failed:"
        ),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("static/secret"), "{}", ran.stdout);
}

#[expect(clippy::print_stdout, reason = "the test says why it skipped")]
fn say(line: &str) {
    println!("{line}");
}
