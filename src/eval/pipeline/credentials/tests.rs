//! `environment_credential` (the declarative `credentials()` contract), called the way the
//! declarative runtime calls it, and the variables it returns then used by a script run by
//! the interpreter: values, masking, the missing-id error, temp files.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use indexmap::IndexMap;

use super::super::{PipelineHost, RunConfig, State, env_insert};
use super::{environment_credential, masking_line_for};
use crate::creds::{Store, StoreOptions};
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::Flow;
use crate::eval::interp::Interp;
use crate::report::console::Console;
use crate::report::mask::Masker;
use crate::report::{BuildResult, Emitter};
use crate::source::{SourceFile, Span};
use crate::steps::{self, Cancel};
use crate::syntax;

const STORE: &str = r#"
[token]
type = "string"
secret = "env-token-secret"

[login]
type = "usernamePassword"
username = "builder"
password = "env-login-password"

[kubeconfig]
type = "file"
file = { command = "printf 'line-one-secret\nline-two-secret\n'" }

[key]
type = "sshUserPrivateKey"
username = "git"
private_key = "-----BEGIN-----\nkey-body-secret\n-----END-----"

[aws]
type = "aws"
access_key_id = "AKIAENVCRED000000001"
secret_access_key = "env/cred+secret"

[cert]
type = "certificate"
keystore = { command = "printf p12" }
password = "cert-pass"
"#;

struct Fixture {
    _dir: tempfile::TempDir,
    workspace: std::path::PathBuf,
    host: Rc<PipelineHost>,
    rx: tokio::sync::mpsc::UnboundedReceiver<crate::report::Record>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store_file = dir.path().join("credentials.toml");
    std::fs::write(&store_file, STORE).unwrap();
    let (store, _) = Store::load(&StoreOptions {
        files: vec![store_file],
        ..StoreOptions::default()
    })
    .unwrap();
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    let (emitter, rx) = Emitter::channel();
    let mut env = IndexMap::new();
    env.insert(
        "PATH".to_string(),
        std::env::var("PATH").unwrap_or_default(),
    );
    let config = RunConfig {
        env,
        params: IndexMap::new(),
        build_number: 1,
        job_name: "demo".into(),
        emitter,
        cancel: Cancel::new(),
        host: Arc::new(steps::Host {
            workspace: workspace.clone(),
            ..steps::Host::default()
        }),
        previous: Vec::new(),
        stage_filter: None,
        changes: Arc::default(),
        credentials: Arc::new(store),
    };
    let state = Rc::new(State {
        config,
        env_writes: RefCell::default(),
        result: Cell::new(BuildResult::Success),
        result_set: Cell::new(false),
        display_name: RefCell::new(None),
        description: RefCell::new(None),
        started: Instant::now(),
        declarative: None,
        stage_marks: RefCell::default(),
        params_defined: RefCell::new(None),
        plan: None,
    });
    Fixture {
        _dir: dir,
        workspace,
        host: Rc::new(PipelineHost { state }),
        rx,
    }
}

/// The variables `environment_credential` returned, or the exception it threw.
type Bound = Result<Vec<(String, String)>, String>;

/// Binds `X = credentials(id)`, then runs `script` with those variables, and returns the
/// variables and the masked console.
fn bind_and_run(id: &str, script: &str) -> (Bound, String) {
    let (vars, console, _) = bind_run_and_end(id, script);
    (vars, console)
}

/// [`bind_and_run`], plus, for each variable's value that is a path: whether it existed
/// after the script and whether it still exists once the build (the store) is gone.
fn bind_run_and_end(id: &str, script: &str) -> (Bound, String, Vec<(bool, bool)>) {
    let mut f = fixture();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let interp = Interp::new(f.host.clone());
    let source = SourceFile::new("Jenkinsfile", script);
    let file = syntax::parse(&source).expect("parses");
    interp.set_source(&source.text);
    let workspace = f.workspace.clone();
    let host = f.host.clone();
    let vars = tokio::task::LocalSet::new().block_on(&rt, async {
        let cx = interp.root_cx(Dynamic {
            cwd: Some(workspace.clone()),
            on_node: true,
            emitter: Some(host.state.config.emitter.clone()),
            ..Dynamic::default()
        });
        let vars = environment_credential(&host, &cx, "X", id, Span::default()).await;
        let vars = match vars {
            Ok(v) => v,
            Err(Flow::Throw(e)) => {
                return Err(format!(
                    "{}: {}",
                    e.class,
                    e.message.clone().unwrap_or_default()
                ));
            }
            Err(other) => return Err(format!("{other:?}")),
        };
        let mut dynamic = (*cx.dynamic).clone();
        for (k, v) in &vars {
            env_insert(&mut dynamic.env, k, Some(v.clone()));
        }
        let ran = interp.run_file(&file, &cx.with_dynamic(dynamic)).await;
        assert!(ran.is_ok(), "the script failed");
        Ok(vars)
    });
    drop(interp);
    let mut masker = Masker::new();
    let mut console = String::new();
    while let Ok(r) = f.rx.try_recv() {
        for r in masker.push(r) {
            console.push_str(&Console::default().render(&r));
        }
    }
    for r in masker.finish() {
        console.push_str(&Console::default().render(&r));
    }
    let paths: Vec<std::path::PathBuf> = vars
        .iter()
        .flatten()
        .map(|(_, v)| std::path::PathBuf::from(v))
        .filter(|p| p.is_absolute())
        .collect();
    let during: Vec<bool> = paths.iter().map(|p| p.exists()).collect();
    drop(host);
    drop(f.host);
    let lifetimes = paths
        .iter()
        .zip(during)
        .map(|(p, d)| (d, p.exists()))
        .collect();
    (
        vars,
        console.replace(&f.workspace.display().to_string(), "/ws"),
        lifetimes,
    )
}

#[test]
fn secret_text_sets_x_and_is_masked() {
    let (vars, console) = bind_and_run("token", "sh 'echo \"x=$X\"'");
    assert_eq!(
        vars.unwrap(),
        [("X".to_string(), "env-token-secret".to_string())]
    );
    assert!(console.contains("x=****\n"), "{console}");
    assert!(!console.contains("env-token-secret"), "{console}");
}

#[test]
fn username_password_sets_usr_and_psw() {
    let (vars, console) = bind_and_run("login", "sh 'echo \"$X / $X_USR / $X_PSW\"'");
    let vars = vars.unwrap();
    assert_eq!(
        vars,
        [
            ("X".to_string(), "builder:env-login-password".to_string()),
            ("X_USR".to_string(), "builder".to_string()),
            ("X_PSW".to_string(), "env-login-password".to_string()),
        ]
    );
    assert!(console.contains("**** / builder / ****\n"), "{console}");
    assert_eq!(
        masking_line_for(&vars).as_deref(),
        Some("Masking supported pattern matches of $X or $X_PSW")
    );
}

#[test]
fn a_file_is_a_path_under_secret_files_and_its_lines_are_masked() {
    let (vars, console, lifetimes) =
        bind_run_and_end("kubeconfig", "sh 'ls -l \"$X\" | cut -c1-10; cat \"$X\"'");
    let vars = vars.unwrap();
    assert_eq!(vars.len(), 1);
    assert!(
        vars[0].1.contains("workspace@tmp/secretFiles/"),
        "{}",
        vars[0].1
    );
    assert!(console.contains("-r--------\n"), "{console}");
    assert!(console.contains("+ cat ****\n****\n****\n"), "{console}");
    // The file stays until the end of the build: the store removes it when dropped.
    assert_eq!(lifetimes, [(true, false)]);
}

#[test]
fn an_ssh_key_sets_the_key_path_and_the_username() {
    let (vars, console) = bind_and_run("key", "sh 'echo \"$X_USR\"; cat \"$X\"'");
    let vars = vars.unwrap();
    let names: Vec<&str> = vars.iter().map(|v| v.0.as_str()).collect();
    // No passphrase: X_PSW stays unset.
    assert_eq!(names, ["X", "X_USR"]);
    // Every line of 8 or more characters of the key is masked; `git` is not a secret.
    assert!(
        console.contains("git\n+ cat ****\n****\n****\n****\n"),
        "{console}"
    );
}

#[test]
fn aws_sets_the_standard_variables_with_jenkins_warning() {
    let (vars, console) = bind_and_run(
        "aws",
        "sh 'echo \"$AWS_ACCESS_KEY_ID $AWS_SECRET_ACCESS_KEY\"'",
    );
    let names: Vec<String> = vars.unwrap().into_iter().map(|v| v.0).collect();
    assert_eq!(names, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    assert!(console.contains("WARNING: Unknown parameter(s) found for class type 'com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentialsBinding': keyIdVariable,secretVariable\n"), "{console}");
    assert!(console.contains("**** ****\n"), "{console}");
}

#[test]
fn a_missing_id_is_an_abort_with_just_the_id() {
    let (vars, _) = bind_and_run("nope", "echo 'unused'");
    assert_eq!(vars.unwrap_err(), "hudson.AbortException: nope");
}

#[test]
fn a_certificate_has_no_declarative_handler() {
    let (vars, _) = bind_and_run("cert", "echo 'unused'");
    let err = vars.unwrap_err();
    assert!(
        err.starts_with("java.lang.RuntimeException: No suitable binding handler could be found for type com.cloudbees.plugins.credentials.impl.CertificateCredentialsImpl."),
        "{err}"
    );
}
