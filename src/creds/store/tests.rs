//! The store: lookup order, trust, warnings, type checks, invalid files.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use super::{Origin, Store, StoreOptions};
use crate::creds::{CredError, Credential, Kind};

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn secret(store: &Store, id: &str) -> String {
    match block_on(store.resolve(id)) {
        Ok(Credential::String { secret }) => secret,
        other => panic!("{other:?}"),
    }
}

#[test]
fn lookup_order_is_flags_last_first_then_env_repo_user() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let entry = |v: &str| format!("[a]\ntype = \"string\"\nsecret = \"{v}\"\n");
    write(
        &d.join("f1.toml"),
        &(entry("flag1") + "[f1only]\ntype = \"string\"\nsecret = \"x1\"\n"),
        0o600,
    );
    write(&d.join("f2.toml"), &entry("flag2"), 0o600);
    write(
        &d.join("env.toml"),
        &(entry("env") + "[b]\ntype = \"string\"\nsecret = \"env-b\"\n"),
        0o600,
    );
    write(
        &d.join("repo/.jenkinsfile/credentials.toml"),
        "[b]\ntype = \"string\"\nsecret = \"repo-b\"\n[c]\ntype = \"string\"\nsecret = \"repo-c\"\n",
        0o600,
    );
    write(
        &d.join("user.toml"),
        "[c]\ntype = \"string\"\nsecret = \"user-c\"\n[u]\ntype = \"string\"\nsecret = \"user-u\"\n",
        0o600,
    );
    let options = StoreOptions {
        files: vec![d.join("f1.toml"), d.join("f2.toml")],
        env_file: Some(d.join("env.toml")),
        jenkinsfile_dir: Some(d.join("repo")),
        user_file: Some(d.join("user.toml")),
        trust_repo: false,
        no_processes: false,
    };
    let (store, _) = Store::load(&options).unwrap();
    assert_eq!(secret(&store, "a"), "flag2");
    assert_eq!(secret(&store, "f1only"), "x1");
    assert_eq!(secret(&store, "b"), "env-b");
    assert_eq!(secret(&store, "c"), "repo-c");
    assert_eq!(secret(&store, "u"), "user-u");
    let origins: Vec<Origin> = store.files.iter().map(|f| f.0).collect();
    assert_eq!(
        origins,
        [
            Origin::Flag,
            Origin::Flag,
            Origin::EnvVar,
            Origin::Repository,
            Origin::User
        ]
    );
    assert_eq!(
        block_on(store.resolve("zz")).unwrap_err().to_string(),
        "Could not find credentials entry with ID 'zz'"
    );
}

#[test]
fn a_repository_command_needs_trust() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    write(
        &repo.join(".jenkinsfile/credentials.toml"),
        "[cmd]\ntype = \"string\"\nsecret = { command = \"echo ran\" }\n",
        0o600,
    );
    let options = |trust_repo| StoreOptions {
        jenkinsfile_dir: Some(repo.clone()),
        trust_repo,
        ..StoreOptions::default()
    };
    let (untrusted, _) = Store::load(&options(false)).unwrap();
    let err = block_on(untrusted.resolve("cmd")).unwrap_err();
    assert!(matches!(err, CredError::Untrusted { .. }), "{err}");
    assert!(err.to_string().contains("--trust-repo-credentials"));
    let (trusted, _) = Store::load(&options(true)).unwrap();
    assert_eq!(secret(&trusted, "cmd"), "ran");
}

#[test]
fn warns_about_readable_files_and_an_unignored_repository_store() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = std::process::Command::new("git")
        .arg("init")
        .arg("-q")
        .arg(&repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(git.success());
    let file = repo.join(".jenkinsfile/credentials.toml");
    write(
        &file,
        "[a]\ntype = \"string\"\nsecret = \"s\"\n[k]\ntype = \"file\"\nfile = \"key\"\n",
        0o644,
    );
    write(&repo.join(".jenkinsfile/key"), "k", 0o640);
    let options = StoreOptions {
        jenkinsfile_dir: Some(repo.clone()),
        ..StoreOptions::default()
    };
    let (_, warnings) = Store::load(&options).unwrap();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("permissions 0644"), "{warnings:?}");
    assert!(
        warnings[1].contains("is not ignored by git"),
        "{warnings:?}"
    );
    assert!(
        warnings[2].contains(".jenkinsfile/key is accessible by others (permissions 0640)"),
        "{warnings:?}"
    );
    std::fs::write(repo.join(".gitignore"), ".jenkinsfile/credentials.toml\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(
        repo.join(".jenkinsfile/key"),
        std::fs::Permissions::from_mode(0o400),
    )
    .unwrap();
    let (_, warnings) = Store::load(&options).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn wrong_type_is_checked_before_resolving() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    // Resolving would fail (the variable is unset), so the message proves the order.
    write(
        &file,
        "[t]\ntype = \"string\"\nsecret = { env = \"JENKINSFILE_TEST_UNSET_VARIABLE\" }\n",
        0o600,
    );
    let (store, _) = Store::load(&StoreOptions {
        files: vec![file],
        ..StoreOptions::default()
    })
    .unwrap();
    let err = block_on(store.resolve_as("t", Kind::UsernamePassword)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Credentials 't' is of type 'Secret text' where 'Username with password' was expected"
    );
    let err = block_on(store.resolve("t")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "credential 't': `secret`: the environment variable JENKINSFILE_TEST_UNSET_VARIABLE is not set"
    );
}

#[test]
fn invalid_entries_are_reported_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    for (text, message) in [
        ("[a]\nsecret = \"x\"\n", "[a] has no `type`"),
        ("[a]\ntype = \"nope\"\n", "[a] has unknown type `nope`"),
        (
            "[a]\ntype = \"usernamePassword\"\nusername = \"u\"\n",
            "[a] needs `password`",
        ),
        (
            "[a]\ntype = \"string\"\nsecret = \"x\"\nsecert = \"y\"\n",
            "[a] has unknown key `secert`",
        ),
    ] {
        write(&file, text, 0o600);
        let err = Store::load(&StoreOptions {
            files: vec![file.clone()],
            ..StoreOptions::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains(message), "{err}");
        assert!(!err.to_string().contains("\"x\""), "{err}");
    }
}

#[test]
fn an_x509_client_certificate_reads_its_pem_fields() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("cert.pem"),
        "-----BEGIN CERTIFICATE-----\nC\n",
        0o600,
    );
    write(
        &d.join("store.toml"),
        "[docker-tls]\ntype = \"x509ClientCert\"\nclient_key = \"KEY\"\nclient_certificate = { file = \"cert.pem\" }\n\n[no-key]\ntype = \"x509ClientCert\"\nclient_certificate = \"C\"\n",
        0o600,
    );
    let options = StoreOptions {
        files: vec![d.join("store.toml")],
        ..StoreOptions::default()
    };
    // `no-key` lacks the required client key: the file is refused as a whole.
    let err = Store::load(&options).unwrap_err().to_string();
    assert!(err.contains("[no-key] needs `client_key`"), "{err}");
    write(
        &d.join("store.toml"),
        "[docker-tls]\ntype = \"x509ClientCert\"\nclient_key = \"KEY\"\nclient_certificate = { file = \"cert.pem\" }\n",
        0o600,
    );
    let (store, _) = Store::load(&options).unwrap();
    assert_eq!(store.lookup("docker-tls").unwrap().kind, Kind::DockerServer);
    match block_on(store.resolve_as("docker-tls", Kind::DockerServer)) {
        Ok(Credential::DockerServer {
            client_key,
            client_certificate,
            server_ca_certificate,
        }) => {
            assert_eq!(client_key, "KEY");
            assert_eq!(client_certificate, "-----BEGIN CERTIFICATE-----\nC");
            assert_eq!(server_ca_certificate, None);
        }
        other => panic!("{other:?}"),
    }
    let wrong = block_on(store.resolve_as("docker-tls", Kind::UsernamePassword)).unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "Credentials 'docker-tls' is of type 'X.509 Client Certificate' where 'Username with password' was expected"
    );
}

#[test]
fn readable_certificates_of_an_x509_client_cert_are_not_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let file = repo.join(".jenkinsfile/credentials.toml");
    write(
        &file,
        "[d]\ntype = \"x509ClientCert\"\nclient_key = { file = \"key.pem\" }\n\
         client_certificate = { file = \"cert.pem\" }\n\
         server_ca_certificate = { file = \"ca.pem\" }\n",
        0o600,
    );
    write(&repo.join(".jenkinsfile/key.pem"), "k", 0o644);
    write(&repo.join(".jenkinsfile/cert.pem"), "c", 0o644);
    write(&repo.join(".jenkinsfile/ca.pem"), "a", 0o644);
    let options = StoreOptions {
        jenkinsfile_dir: Some(repo.clone()),
        ..StoreOptions::default()
    };
    let (_, warnings) = Store::load(&options).unwrap();
    // Only the key is secret.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(".jenkinsfile/key.pem is accessible by others (permissions 0644)"),
        "{warnings:?}"
    );
}
