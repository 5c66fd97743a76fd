//! Hover and completion of credential ids over a store file written by the test.

use std::os::unix::fs::PermissionsExt as _;

use lsp_types::{CompletionTextEdit, HoverContents};

use super::{completion, escape, hover, hover_reporting, id_string_at, read};
use crate::creds::{Store, StoreOptions};
use crate::lsp::handlers::testing::doc_at;

const STORE: &str = r#"
[deploy-key]
type = "sshUserPrivateKey"
description = "the deploy user's key"
username = "deploy"
private_key = "-----BEGIN TOP-SECRET KEY-----"

[nexus]
type = "usernamePassword"
username = "ci"
password = "hunter2-secret"
"#;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials.toml");
    std::fs::write(&file, STORE).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (store, _) = Store::load(&StoreOptions {
        files: vec![file],
        no_processes: true,
        ..StoreOptions::default()
    })
    .unwrap();
    (dir, store)
}

fn hover_text(source: &str, store: &Store) -> Option<String> {
    let (doc, position) = doc_at(source);
    let HoverContents::Markup(markup) = hover(&doc, position, store)?.contents else {
        panic!("markdown expected")
    };
    Some(markup.value)
}

#[test]
fn hover_shows_type_and_description_never_the_secret() {
    let (_dir, store) = store();
    for source in [
        "node { sshagent(credentialsId: 'deploy-k|ey') { } }",
        "pipeline { environment { K = credentials('deplo|y-key') } }",
        "withCredentials([sshUserPrivateKey(credentialsId: \"deploy|-key\", keyFileVariable: 'K')]) {}",
    ] {
        let text = hover_text(source, &store).unwrap_or_else(|| panic!("no hover: {source}"));
        assert!(text.contains("`deploy-key`"), "{text}");
        assert!(text.contains("SSH Username with private key"), "{text}");
        assert!(text.contains("the deploy user's key"), "{text}");
        assert!(!text.contains("TOP-SECRET"), "{text}");
    }
    let nexus = hover_text("git url: 'u', credentialsId: 'ne|xus'", &store).unwrap();
    assert!(nexus.contains("Username with password"), "{nexus}");
    assert!(!nexus.contains("hunter2"), "{nexus}");
    let unknown = hover_text("git credentialsId: 'nope|'", &store).unwrap();
    assert!(unknown.contains("not in the local store"), "{unknown}");
    // Other strings are not credential ids.
    assert_eq!(hover_text("sh script: 'dep|loy-key'", &store), None);
    assert_eq!(hover_text("echo 'credentials(|x)'", &store), None);
}

#[test]
fn completion_offers_the_store_ids_in_credential_strings() {
    let (_dir, store) = store();
    for source in [
        "withCredentials([usernamePassword(credentialsId: '|",
        "environment { X = credentials('|') }",
        "docker.withRegistry(url: 'x', registryCredentialsId: \"ne|\")",
    ] {
        let (doc, position) = doc_at(source);
        let items = completion(&doc, position, &store).unwrap_or_else(|| panic!("{source}"));
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["deploy-key", "nexus"], "{source}");
        let Some(CompletionTextEdit::Edit(edit)) = &items[1].text_edit else {
            panic!("a text edit expected")
        };
        assert_eq!(edit.new_text, "nexus");
        assert_eq!(edit.range.end, position);
    }
    let (doc, position) = doc_at("sh script: '|");
    assert!(completion(&doc, position, &store).is_none());
}

#[test]
fn the_id_string_ends_at_its_quote() {
    let text = "git credentialsId: 'abc', url: 'u'";
    let span = id_string_at(text, 21).unwrap();
    assert_eq!(&text[span.range()], "abc");
}

#[test]
fn hover_names_why_the_store_could_not_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials.toml");
    std::fs::write(&file, "[deploy-key\ntype = \"secretText\"\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (store, problem) = read(&StoreOptions {
        files: vec![file.clone()],
        no_processes: true,
        ..StoreOptions::default()
    });
    let problem = problem.expect("an invalid store is an error");
    assert!(problem.contains(&file.display().to_string()), "{problem}");
    let (doc, position) = doc_at("node { sshagent(credentialsId: 'deploy-k|ey') { } }");
    let HoverContents::Markup(markup) = hover_reporting(&doc, position, &store, Some(&problem))
        .unwrap()
        .contents
    else {
        panic!("markdown expected")
    };
    assert_eq!(
        markup.value,
        format!("**credential** `deploy-key`: the local store could not be read: {problem}")
    );
    assert!(!markup.value.contains("no store file was found"));
}

#[test]
fn ids_are_escaped_for_the_string_they_go_in() {
    assert_eq!(escape("a$b\"c\\d'e", b'"'), "a\\$b\\\"c\\\\d'e");
    assert_eq!(escape("a$b\"c\\d'e", b'\''), "a$b\"c\\\\d\\'e");
    assert_eq!(escape("deploy-key", b'"'), "deploy-key");
}
