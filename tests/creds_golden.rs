//! Golden console logs for each binding type (`fixtures/creds/bindings/<case>/`): the case's
//! Jenkinsfile runs with its `credentials.toml`, and stdout and the exit status are
//! snapshotted. The store reads `GOLDEN_TOKEN` and `GOLDEN_AWS_SECRET` from the environment.

use std::path::Path;

use crate::creds_support::{copy_case, run};

#[test]
fn binding_console_logs() {
    insta::glob!("../fixtures/creds/bindings", "*/Jenkinsfile", |path| {
        let name = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let case = copy_case(&format!("bindings/{name}"), dir.path());
        let home = dir.path().join("home");
        let ran = run(
            &case,
            &home,
            &[],
            &[
                ("GOLDEN_TOKEN", "golden-token-value"),
                ("GOLDEN_AWS_SECRET", "golden/aws+secret"),
            ],
        );
        for secret in [
            "golden-token-value",
            "golden/aws+secret",
            "golden-password",
            "golden-passphrase",
            "golden-store-pass",
            "AKIAGOLDEN0000000001",
            "current-context: golden-context",
            "R29sZGVuS2V5TGluZU9uZQ==",
        ] {
            assert!(!ran.stdout.contains(secret), "{name} leaks {secret}");
            assert!(!ran.log.contains(secret), "{name}'s log leaks {secret}");
        }
        // Every secret directory is gone once the build ends.
        let secret_files = home.join("jobs/demo/workspace@tmp/secretFiles");
        if let Ok(entries) = std::fs::read_dir(&secret_files) {
            assert_eq!(entries.count(), 0, "{name} left secret files behind");
        }
        let mut text = ran.stdout.replace(&home.display().to_string(), "[HOME]");
        if !ran.stderr.is_empty() {
            text.push_str("--- stderr ---\n");
            text.push_str(&ran.stderr);
        }
        insta::with_settings!({
            filters => vec![
                (r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "[UUID]"),
                (r"durable-[0-9a-f]{8}", "durable-XXXXXXXX"),
            ],
        }, {
            insta::assert_snapshot!(format!("{text}--- exit: {}\n", ran.code));
        });
    });
}

#[test]
fn every_binding_type_has_a_golden_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/creds/bindings");
    for case in [
        "string",
        "usernamePassword",
        "usernameColonPassword",
        "file",
        "sshUserPrivateKey",
        "certificate",
        "aws",
    ] {
        assert!(root.join(case).join("Jenkinsfile").is_file(), "{case}");
    }
}
