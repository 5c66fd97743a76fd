//! `jenkinsfile lsp` end to end: the binary spawned and spoken to over stdio as an editor
//! would, through the whole flow: initialize, open a file with errors, fix it, hover,
//! complete, outline, quick fix, settings, shutdown and exit.

use std::path::Path;

use serde_json::{Value, json};

use crate::lsp_client::{Client, uri};

const FIXTURE: &str = include_str!("../fixtures/lsp/Jenkinsfile");

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// A temporary repository holding the fixture as `Jenkinsfile`.
fn workspace() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let file = dir.path().join("Jenkinsfile");
    std::fs::write(&file, FIXTURE).unwrap();
    let uri = uri(&file);
    (dir, uri)
}

#[test]
fn open_fix_hover_complete_outline_and_exit() {
    let (dir, uri) = workspace();
    let mut client = Client::start(dir.path());
    client.open(&uri, "groovy", FIXTURE);
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["unknown-step", "stage-without-body"]);
    // `😀` is two UTF-16 units: `shh` starts at unit 33 of line 8 (0-based 7), not char 32.
    assert_eq!(
        diags[0]["range"],
        json!({"start": position(7, 33), "end": position(7, 36)})
    );
    assert_eq!(diags[0]["severity"], 2);
    assert_eq!(diags[0]["source"], "jenkinsfile");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `sh`?")
    );
    // The rule's documentation, in the per-user cache directory (`XDG_CACHE_HOME`).
    let href = diags[0]["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.ends_with(&format!(
            "/.cache/jenkinsfile/{}/rules/unknown-step.md",
            env!("CARGO_PKG_VERSION")
        )),
        "{href}"
    );
    assert_eq!(diags[1]["severity"], 1);
    assert_eq!(diags[1]["range"]["start"], position(10, 8));
    // Jenkins' validator codes link to their pages too, and the page is there.
    let href = diags[1]["codeDescription"]["href"].as_str().unwrap();
    assert!(href.ends_with("/rules/stage-without-body.md"), "{href}");
    let page = std::fs::read_to_string(href.strip_prefix("file://").unwrap()).unwrap();
    assert!(
        page.contains("ModelValidatorImpl.NothingForStage"),
        "{page}"
    );

    // The quick fix for the misspelt step.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": position(7, 34), "end": position(7, 34)},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(actions[0]["title"], "Replace with `sh`");
    assert_eq!(
        actions[0]["edit"]["changes"][&uri][0],
        json!({"range": {"start": position(7, 33), "end": position(7, 36)}, "newText": "sh"})
    );

    // Fix both problems: an empty list arrives.
    let fixed = FIXTURE.replace("shh 'make'", "sh 'make'").replace(
        "stage('Empty') {\n",
        "stage('Empty') {\n            steps { echo 'x' }\n",
    );
    client.change_all(&uri, 2, &fixed);
    assert_eq!(client.diagnostics(&uri, Some(2)), Vec::<Value>::new());

    // Hover on `sh`.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(7, 34)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("```groovy\nsh(String script"), "{text}");
    assert_eq!(
        hover["range"],
        json!({"start": position(7, 33), "end": position(7, 35)})
    );

    // Completion on an empty line inside `steps {}` (line 9 of the fixed text is `}`; insert one).
    let with_blank = fixed.replace("sh 'make'\n", "sh 'make'\n                \n");
    client.change_all(&uri, 3, &with_blank);
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(8, 16)}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for expected in ["sh", "echo", "withCredentials", "env", "currentBuild"] {
        assert!(labels.contains(&expected), "{expected} in {labels:?}");
    }
    assert!(!labels.contains(&"agent"), "{labels:?}");

    // The outline.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols[0]["name"], "pipeline");
    let stages: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["Build", "Empty"]);

    let status = client.shutdown();
    assert!(status.success(), "{status}");
}

#[test]
fn shared_library_globals_hover_complete_and_jump() {
    let (dir, uri) = workspace();
    let vars = dir.path().join("lib/vars");
    std::fs::create_dir_all(&vars).unwrap();
    std::fs::write(
        vars.join("deployApp.groovy"),
        "/** Deploys to the named environment. */\ndef call(String env) {\n    sh \"deploy ${env}\"\n}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join(".jenkinsfile")).unwrap();
    std::fs::write(
        dir.path().join(".jenkinsfile/config.toml"),
        format!(
            "[libraries]\nci = \"{}\"\n",
            dir.path().join("lib").display()
        ),
    )
    .unwrap();
    let text = FIXTURE
        .replace("shh 'make'", "deployApp 'prod'")
        .replace("stage('Empty') {\n", "stage('Empty') {\n            steps {\n                echo 'x'\n                \n            }\n",
        );
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", &text);
    // Lint knows the global: no unknown-step.
    assert_eq!(client.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    let line = text.lines().position(|l| l.contains("deployApp")).unwrap() as u32;
    let column = text
        .lines()
        .nth(line as usize)
        .unwrap()
        .find("deployApp")
        .unwrap();
    // The fixture's line has a `😀` before the call: count UTF-16 units.
    let character = text.lines().nth(line as usize).unwrap()[..column]
        .chars()
        .map(char::len_utf16)
        .sum::<usize>() as u32;
    let at = json!({"textDocument": {"uri": uri}, "position": position(line, character + 2)});
    let hover = client.request("textDocument/hover", at.clone());
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("shared library `ci`"), "{value}");
    assert!(
        value.contains("Deploys to the named environment."),
        "{value}"
    );
    let found = client.request("textDocument/definition", at);
    assert!(
        found["uri"]
            .as_str()
            .unwrap()
            .ends_with("/lib/vars/deployApp.groovy"),
        "{found}"
    );
    assert_eq!(found["range"]["start"], position(1, 4));
    // Completion on the empty line of the new `steps { }`.
    let empty = text.lines().position(|l| l.trim().is_empty()).unwrap() as u32;
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(empty, 16)}),
    );
    let global = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "deployApp")
        .unwrap_or_else(|| panic!("no deployApp in {items}"));
    assert_eq!(global["detail"], "shared library ci");
    assert!(client.shutdown().success());
}

#[test]
fn the_repository_config_file_and_editor_settings_apply() {
    let (dir, uri) = workspace();
    std::fs::create_dir(dir.path().join(".jenkinsfile")).unwrap();
    std::fs::write(
        dir.path().join(".jenkinsfile/config.toml"),
        "[rules]\nunknown-step = \"error\"\n",
    )
    .unwrap();
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", FIXTURE);
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["unknown-step", "stage-without-body"]);
    assert_eq!(diags[0]["severity"], 1, "config.toml made it an error");
    // Settings act like command-line flags: they win over the file.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"jenkinsfile": {"disable": ["unknown-step"]}}}),
    );
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(1))),
        ["stage-without-body"]
    );
    // A bad setting is shown, not a crash, and the previous settings stay (as for a bad level).
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"jenkinsfile": {"rules": {"no-such-rule": "off"}}}}),
    );
    let shown = client.wait("showMessage", |m| m["method"] == "window/showMessage");
    assert_eq!(
        shown["params"]["message"],
        "settings `rules`: unknown rule `no-such-rule` (the previous settings stay)"
    );
    client.change_all(&uri, 2, FIXTURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(2))),
        ["stage-without-body"]
    );
    assert!(client.shutdown().success());
}

#[test]
fn settings_without_our_section_keep_the_settings() {
    let (dir, uri) = workspace();
    let mut client = Client::start_with(
        dir.path(),
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"jenkinsfile": {"disable": ["unknown-step"]}}}),
    );
    client.open(&uri, "jenkinsfile", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(1))),
        ["stage-without-body"]
    );
    // What vscode-languageclient sends when it syncs no section, and its relatives.
    let mut version = 1;
    for settings in [
        Value::Null,
        json!({}),
        json!({"other": {}}),
        json!({"jenkinsfile": null}),
    ] {
        client.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": settings }),
        );
        version += 1;
        client.change_all(&uri, version, FIXTURE);
        assert_eq!(
            codes(&client.diagnostics(&uri, Some(version))),
            ["stage-without-body"],
            "after {settings}"
        );
    }
    assert!(client.shutdown().success());
}

#[test]
fn a_pulling_client_is_asked_for_the_settings() {
    let (dir, uri) = workspace();
    let mut client = Client::start_with(
        dir.path(),
        json!({"processId": null, "rootUri": null,
               "capabilities": {"workspace": {"configuration": true}}}),
    );
    let ask = client.wait("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    assert_eq!(
        ask["params"],
        json!({"items": [{"section": "jenkinsfile"}]})
    );
    // VS Code adds keys of its own to the section (`trace`): they are not an error.
    client.send(&json!({"jsonrpc": "2.0", "id": ask["id"],
        "result": [{"disable": ["unknown-step"], "trace": {"server": "off"}}]}));
    client.open(&uri, "jenkinsfile", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(1))),
        ["stage-without-body"]
    );
    // `{settings: null}` makes the server ask again; a `null` answer keeps the settings.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let ask = client.wait("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    client.send(&json!({"jsonrpc": "2.0", "id": ask["id"], "result": [null]}));
    client.change_all(&uri, 2, FIXTURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(2))),
        ["stage-without-body"]
    );
    // A changed section is applied.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let ask = client.wait("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    client.send(&json!({"jsonrpc": "2.0", "id": ask["id"], "result": [{"rules": {"unknown-step": "error"}}]}));
    let diags = client.diagnostics(&uri, Some(2));
    assert_eq!(codes(&diags), ["unknown-step", "stage-without-body"]);
    assert_eq!(diags[0]["severity"], 1);
    assert!(client.shutdown().success());
}

#[test]
fn only_jenkinsfiles_and_the_jenkinsfile_language_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    let helper = uri(&dir.path().join("vars/deploy.groovy"));
    let pipeline = uri(&dir.path().join("ci/build.groovy"));
    client.open(&helper, "groovy", "node { shh 'x' }\n");
    client.open(&pipeline, "jenkinsfile", "node { shh 'x' }\n");
    assert_eq!(
        codes(&client.diagnostics(&pipeline, Some(1))),
        ["unknown-step"]
    );
    // The plain Groovy file got nothing: its hover is empty too.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": helper}, "position": position(0, 8)}),
    );
    assert_eq!(hover, Value::Null);
    assert!(
        !client.published_for(&helper),
        "the plain Groovy file got diagnostics"
    );
    let closed = json!({"textDocument": {"uri": pipeline}});
    client.notify("textDocument/didClose", closed);
    assert!(client.diagnostics(&pipeline, None).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut client = Client::start(Path::new("."));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn saving_a_jenkinsfile_relints_nothing_and_config_edits_are_seen() {
    let (dir, uri) = workspace();
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(1))),
        ["unknown-step", "stage-without-body"]
    );
    let before = client.published;
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The config file is written without any notification: its new time is noticed at the
    // next lint.
    std::fs::create_dir(dir.path().join(".jenkinsfile")).unwrap();
    std::fs::write(
        dir.path().join(".jenkinsfile/config.toml"),
        "[rules]\nunknown-step = \"off\"\n",
    )
    .unwrap();
    let text = format!("{FIXTURE}\n");
    client.change_all(&uri, 2, &text);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(2))),
        ["stage-without-body"]
    );
    assert_eq!(client.published - before, 1, "didSave re-linted the file");
    assert!(client.shutdown().success());
}

#[test]
fn requests_after_shutdown_are_invalid() {
    let (dir, uri) = workspace();
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", FIXTURE);
    client.request("shutdown", Value::Null);
    let late = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(0, 0)}),
    );
    assert_eq!(late["error"]["code"], -32600, "{late}");
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success());
}

#[test]
fn hanging_up_ends_the_server_with_status_1_or_0_after_shutdown() {
    // A liveness check: `wait_exit` polls `try_wait` with a generous bound.
    let (dir, uri) = workspace();
    let mut client = Client::start(dir.path());
    client.hang_up();
    assert_eq!(client.wait_exit().code(), Some(1));
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", FIXTURE);
    client.diagnostics(&uri, Some(1));
    client.hang_up();
    assert_eq!(client.wait_exit().code(), Some(1));
    let mut client = Client::start(dir.path());
    client.request("shutdown", Value::Null);
    client.hang_up();
    assert_eq!(client.wait_exit().code(), Some(0));
}

#[test]
fn opening_an_open_document_again_replaces_it() {
    let (dir, uri) = workspace();
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", FIXTURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, Some(1))),
        ["unknown-step", "stage-without-body"]
    );
    // No `didClose`: the second open replaces the first and is linted (it used to reuse the
    // first one's generation and never be scheduled).
    let clean = "pipeline {\n  agent any\n  stages {\n    stage('b') {\n      steps {\n        echo 'x'\n      }\n    }\n  }\n}\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "jenkinsfile", "version": 7, "text": clean}}),
    );
    assert!(client.diagnostics(&uri, Some(7)).is_empty());
    let outline = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(outline[0]["children"][0]["name"], "b", "{outline}");
    // Close then reopen: the first diagnostics after the reopen are the new text's, never a
    // late result for the closed one.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.open(&uri, "jenkinsfile", FIXTURE);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "jenkinsfile", "version": 9, "text": clean}}),
    );
    // A late result for the closed text used to be published under the new version.
    assert_eq!(client.diagnostics(&uri, Some(9)), Vec::<Value>::new());
    assert!(client.shutdown().success());
}

#[test]
fn credential_ids_hover_and_complete_from_the_repository_store() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, uri) = workspace();
    let store = dir.path().join(".jenkinsfile/credentials.toml");
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    std::fs::write(
        &store,
        "[nexus]\ntype = \"usernamePassword\"\ndescription = \"Nexus upload\"\nusername = \"ci\"\npassword = \"hunter2-secret\"\n\n[gh-token]\ntype = \"string\"\nsecret = \"ghp_secret\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o600)).unwrap();
    let text = "node {\n  withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'U', passwordVariable: 'P')]) {\n    sh 'true'\n  }\n  git url: 'u', credentialsId: ''\n}\n";
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", text);
    client.diagnostics(&uri, Some(1));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(1, 54)}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("`nexus`"), "{value}");
    assert!(value.contains("Username with password"), "{value}");
    assert!(value.contains("Nexus upload"), "{value}");
    assert!(
        !value.contains("hunter2") && !value.contains("ghp_"),
        "{value}"
    );
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(4, 32)}),
    );
    let mut labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    // The store's ids, in any order (the editor sorts them).
    labels.sort_unstable();
    assert_eq!(labels, ["gh-token", "nexus"], "{items}");
    let all = items.to_string();
    assert!(!all.contains("hunter2") && !all.contains("ghp_"), "{items}");
    assert!(client.shutdown().success());
}

#[test]
fn a_client_without_hierarchical_symbols_gets_the_flat_outline() {
    let (dir, uri) = workspace();
    let mut client = Client::start_with(
        dir.path(),
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    let text = "pipeline {\n  agent any\n  stages {\n    stage('a') { steps { sh 'x' } }\n  }\n}\n";
    client.open(&uri, "jenkinsfile", text);
    assert!(client.diagnostics(&uri, Some(1)).is_empty());
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let flat: Vec<(&str, &Value, &Value)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                &s["containerName"],
                &s["location"]["uri"],
            )
        })
        .collect();
    assert_eq!(
        flat,
        [
            ("pipeline", &Value::Null, &json!(uri)),
            ("a", &json!("pipeline"), &json!(uri)),
        ]
    );
    assert!(symbols[0].get("children").is_none(), "{symbols}");
    assert!(client.shutdown().success());
}
