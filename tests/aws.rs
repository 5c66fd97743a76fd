//! `withAWS`, `ecrLogin` and `awsIdentity` run by the real binary. The AWS calls go to a real
//! `moto_server` on 127.0.0.1 that `scripts/moto` starts (`JENKINSFILE_MOTO_ENDPOINT`), the
//! `docker login` of `sh(ecrLogin())` to the htpasswd registry of `scripts/docker-env`, which
//! takes moto's ECR token as the password of user `AWS`. Without those servers a test says so
//! and passes, except with `CI=true`, where a missing server is a failure. The cases that need
//! no server (variables, errors) always run.

use std::path::PathBuf;

use crate::creds_support::{Ran, run};

const STORE: &str = r#"
[aws-creds]
type = "aws"
access_key_id = "AKIAWITHAWSTEST00001"
secret_access_key = "withAWS/secret+key0000000000000000000001"

[deploy-user]
type = "usernamePassword"
username = "AKIAUSERNAMEKEY00001"
password = "userpass/secret+key000000000000000000001"
"#;

const SECRETS: &[&str] = &[
    "AKIAWITHAWSTEST00001",
    "withAWS/secret+key0000000000000000000001",
    "AKIAUSERNAMEKEY00001",
    "userpass/secret+key000000000000000000001",
    "123456789012-auth-token",
];

fn server(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {var} is not set: run the tests through scripts/test"
            );
            say(&format!("aws: skipped, no {what} ({var} is unset)"));
            None
        }
    }
}

fn moto() -> Option<String> {
    server("JENKINSFILE_MOTO_ENDPOINT", "moto_server (scripts/moto)")
}

/// Runs `jenkinsfile` in a fresh directory with the store above, `--clean-env` plus `env`,
/// and `--pass-env` for each of `pass`.
fn run_case(jenkinsfile: &str, env: &[(&str, &str)], pass: &[&str]) -> (Ran, tempfile::TempDir) {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("Jenkinsfile"), jenkinsfile).unwrap();
    std::fs::write(case.join("credentials.toml"), STORE).unwrap();
    std::fs::set_permissions(
        case.join("credentials.toml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let mut extra = Vec::new();
    for name in pass {
        extra.push("--pass-env");
        extra.push(*name);
    }
    let home: PathBuf = dir.path().join("home");
    let ran = run(&case, &home, &extra, env);
    (ran, dir)
}

fn has_line(ran: &Ran, line: &str) {
    assert!(
        ran.stdout.lines().any(|l| l == line),
        "no line `{line}` in:\n{}{}",
        ran.stdout,
        ran.stderr
    );
}

fn no_secrets(ran: &Ran) {
    for secret in SECRETS {
        assert!(
            !ran.stdout.contains(secret),
            "`{secret}` shown:\n{}",
            ran.stdout
        );
        assert!(
            !ran.log.contains(secret),
            "`{secret}` in the log:\n{}",
            ran.log
        );
    }
}

#[test]
fn with_aws_sets_the_variables_of_its_block_and_masks_the_keys() {
    let (ran, _dir) = run_case(
        r#"node {
    withAWS(credentials: 'aws-creds', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:9') {
        sh 'echo "region=$AWS_REGION default=$AWS_DEFAULT_REGION endpoint=$AWS_ENDPOINT_URL key=$AWS_ACCESS_KEY_ID"'
        sh 'test -z "$AWS_SESSION_TOKEN" && echo "no session token"'
        echo "secret: ${env.AWS_SECRET_ACCESS_KEY}"
    }
    withAWS(credentials: 'deploy-user', profile: 'ci') {
        sh 'echo "user key=$AWS_ACCESS_KEY_ID profile=$AWS_PROFILE/$AWS_DEFAULT_PROFILE"'
    }
    sh 'echo "after=${AWS_REGION:-unset}"'
}
"#,
        &[],
        &[],
    );
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    for line in [
        "[Pipeline] withAWS",
        // pipeline-aws' own text: no line break after the first message, a space before it.
        "Constructing AWS CredentialsSetting AWS region eu-west-1 ",
        " Setting AWS endpointUrl http://127.0.0.1:9 ",
        "region=eu-west-1 default=eu-west-1 endpoint=http://127.0.0.1:9 key=****",
        "no session token",
        "secret: ****",
        "Setting AWS profile ci ",
        "user key=**** profile=ci/ci",
        "[Pipeline] // withAWS",
        "after=unset",
    ] {
        has_line(&ran, line);
    }
    no_secrets(&ran);
}

#[test]
fn with_aws_errors_name_the_problem_and_a_fix() {
    let (ran, _dir) = run_case(
        "node {\n    withAWS(credentials: 'aws-creds', region: 'eu-west-l') {\n        echo 'never'\n    }\n}\n",
        &[],
        &[],
    );
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("ERROR: unknown AWS region `eu-west-l`; did you mean `eu-west-1`?"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("never"), "{}", ran.stdout);

    let (ran, _dir) = run_case(
        "node {\n    withAWS(credentials: 'nope') {\n        echo 'never'\n    }\n}\n",
        &[],
        &[],
    );
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("Cannot find a Username with password credential with the ID nope"),
        "{}",
        ran.stdout
    );

    // No keys anywhere: the hint says where they come from.
    let (ran, _dir) = run_case("node {\n    awsIdentity()\n}\n", &[], &[]);
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout.contains(
            "ERROR: no AWS credentials for sts:GetCallerIdentity; wrap the step in `withAWS(credentials: 'id')"
        ),
        "{}",
        ran.stdout
    );
}

#[test]
fn an_unreachable_endpoint_is_one_clear_line() {
    // Port 9 on loopback (discard) refuses connections.
    let (ran, _dir) = run_case(
        "node {\n    withAWS(credentials: 'aws-creds', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9') {\n        ecrLogin()\n    }\n}\n",
        &[],
        &[],
    );
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    let error = ran
        .stdout
        .lines()
        .find(|l| l.starts_with("ERROR: "))
        .unwrap_or_else(|| panic!("no ERROR line:\n{}", ran.stdout));
    assert!(
        error.starts_with(
            "ERROR: cannot reach the AWS endpoint http://127.0.0.1:9 for ecr:GetAuthorizationToken: "
        ),
        "{error}"
    );
    assert!(error.contains("check AWS_ENDPOINT_URL"), "{error}");
    for raw in ["DispatchFailure", "hyper", "ConnectorError", "panicked"] {
        assert!(!ran.stdout.contains(raw), "raw `{raw}`:\n{}", ran.stdout);
        assert!(!ran.stderr.contains(raw), "raw `{raw}`:\n{}", ran.stderr);
    }
    no_secrets(&ran);
}

#[test]
fn with_aws_assumes_a_role_through_sts() {
    let Some(endpoint) = moto() else {
        return;
    };
    // No roleAccount: the account comes from GetCallerIdentity, as in pipeline-aws.
    let jenkinsfile = format!(
        r#"node {{
    withAWS(credentials: 'aws-creds', region: 'eu-west-1', endpointUrl: '{endpoint}', role: 'deployer', roleSessionName: 'jf-test') {{
        sh '''
            case "$AWS_ACCESS_KEY_ID" in ASIA*) echo "temporary key id";; *) echo "not assumed";; esac
            test -n "$AWS_SESSION_TOKEN" && echo "session token set"
        '''
        def id = awsIdentity()
        echo "assumed arn=${{id.arn}}"
    }}
}}
"#
    );
    let (ran, _dir) = run_case(&jenkinsfile, &[], &[]);
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    has_line(&ran, " Requesting assume role");
    assert!(
        ran.stdout.contains(
            "Assuming role ARN is arn:aws:iam::123456789012:role/deployerAssumed role arn:aws:sts::123456789012:assumed-role/deployer/jf-test with id "
        ),
        "{}",
        ran.stdout
    );
    has_line(&ran, "temporary key id");
    has_line(&ran, "session token set");
    has_line(
        &ran,
        "assumed arn=arn:aws:sts::123456789012:assumed-role/deployer/jf-test",
    );
    no_secrets(&ran);
}

#[test]
fn aws_identity_returns_account_user_and_arn() {
    let Some(endpoint) = moto() else {
        return;
    };
    let jenkinsfile = format!(
        r#"node {{
    withAWS(credentials: 'aws-creds', region: 'us-east-1', endpointUrl: '{endpoint}') {{
        def id = awsIdentity()
        echo "account=${{id.account}} user=${{id.user}} arn=${{id.arn}}"
    }}
}}
"#
    );
    let (ran, _dir) = run_case(&jenkinsfile, &[], &[]);
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout
            .lines()
            .any(|l| l.starts_with("account=123456789012 user=")
                && l.ends_with(" arn=arn:aws:sts::123456789012:user/moto")),
        "{}",
        ran.stdout
    );
    has_line(&ran, "[Pipeline] awsIdentity");
}

#[test]
fn ecr_login_logs_in_to_the_registry_with_a_masked_token() {
    let Some(endpoint) = moto() else {
        return;
    };
    let Some(registry) = server(
        "JENKINSFILE_TEST_AUTH_REGISTRY",
        "htpasswd registry (scripts/docker-env)",
    ) else {
        return;
    };
    let docker_host = std::env::var("DOCKER_HOST").unwrap_or_default();
    // moto serves no registry: the command's ECR host is swapped for the loopback registry,
    // which takes moto's token as the password of user AWS.
    let jenkinsfile = format!(
        r#"node {{
    withAWS(credentials: 'aws-creds', region: 'us-east-1', endpointUrl: '{endpoint}') {{
        def login = ecrLogin()
        echo "command: ${{login}}"
        sh(login.replace('https://123456789012.dkr.ecr.us-east-1.amazonaws.com', '{registry}'))
        sh 'docker logout {registry}'
    }}
}}
"#
    );
    let (ran, _dir) = run_case(
        &jenkinsfile,
        &[("DOCKER_HOST", &docker_host)],
        &["DOCKER_HOST"],
    );
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    has_line(
        &ran,
        "command: docker login -u AWS -p ****  https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
    );
    has_line(&ran, &format!("+ docker login -u AWS -p **** {registry}"));
    has_line(&ran, "Login Succeeded");
    no_secrets(&ran);
}

#[expect(clippy::print_stdout, reason = "the test says why it skipped")]
fn say(line: &str) {
    println!("{line}");
}
