//! The `ws` step: it leases a named directory (relative to the node's root, the build home, as
//! on Jenkins' built-in node) from the same workspace list as the nodes, so `dir@2` while
//! another block holds `dir`, and it needs a node. Fixture in `fixtures/workspace/`.

use std::path::Path;

use crate::scm_golden::run_in;
use crate::support::tree;

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
}

#[test]
fn ws_leases_a_directory_under_the_node_root_and_needs_a_node() {
    let root = tempfile::tempdir().unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workspace/ws_step.Jenkinsfile");
    std::fs::copy(&fixture, root.path().join("Jenkinsfile")).unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    let custom = home.join("custom").display().to_string();
    let ws = home.join("jobs/demo/workspace").display().to_string();
    assert_eq!(code, 1, "{text}");
    has(&text, &format!("node: {ws}\n"));
    has(&text, &format!("Running in {custom}\n"));
    has(&text, &format!("ws: {custom} pwd: {custom}\n"));
    has(&text, &format!("+ pwd\n{custom}\n"));
    has(&text, &format!("inner: {custom}@2\n"));
    // The node holds the job's workspace, so `ws { }` gets the next one.
    has(&text, &format!("default: {ws}@2\n"));
    has(
        &text,
        &format!("abs: {}\n", root.path().join("abs").display()),
    );
    // Released when its block ended.
    has(&text, &format!("again: {custom}\n"));
    assert!(Path::new(&format!("{custom}@2")).is_dir());
    has(
        &text,
        "Required context class hudson.model.Computer is missing\nPerhaps you forgot to surround the ws step with a step that provides this, such as: node",
    );
    assert!(!text.contains("never"), "{text}");
}

/// The message every write-or-delete step gives in a `ws` outside the build home.
fn refused(step: &str, path: &str, resolved: &Path) -> String {
    format!(
        "{step}: refusing to write to {path}: the workspace {} is outside the build home, so steps that write or delete files are refused there (`sh` still runs there)",
        resolved.display()
    )
}

/// The note under `Running in` for a `ws` outside the build home.
fn outside_note(resolved: &Path) -> String {
    format!(
        "Note: {} is outside the build home's workspaces; `sh` runs there, but steps that write or delete files refuse to",
        resolved.display()
    )
}

#[test]
fn ws_outside_the_build_home_runs_sh_but_refuses_writes_and_never_takes_the_users_repository() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = crate::scm::origin_and_clone(root.path());
    let real = std::fs::canonicalize(root.path()).unwrap();
    let home = root.path().join("home");
    // A link in the home that leads out of it.
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(root.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(root.path().join("elsewhere"), home.join("link")).unwrap();
    // A victim beside the repository, that a `..` escape or an absolute path could reach.
    let victim = root.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), "keep\n").unwrap();
    std::fs::write(work.join("untracked.txt"), "mine\n").unwrap();
    let jenkinsfile = format!(
        r#"def attempt(String what, Closure body) {{
    try {{ body() }} catch (e) {{ echo "${{what}} -> ${{e.message}}" }}
}}
node {{
    writeFile file: 's.txt', text: 's'
    stash name: 's', includes: 's.txt'
    ws('../victim') {{
        sh 'echo ran > ran.txt'
        attempt('deleteDir') {{ deleteDir() }}
        attempt('writeFile') {{ writeFile file: 'keep.txt', text: 'gone' }}
    }}
    ws('{victim}') {{
        attempt('cleanWs') {{ cleanWs() }}
        attempt('touch') {{ touch 'keep.txt' }}
        attempt('writeJSON') {{ writeJSON file: 'x.json', json: [a: 1] }}
        attempt('unstash') {{ unstash 's' }}
        attempt('checkout') {{ checkout scm }}
    }}
    ws('link/inner') {{
        echo "pwd: ${{pwd()}}"
        attempt('writeYaml') {{ writeYaml file: 'x.yaml', data: [a: 1] }}
    }}
    attempt('repo') {{ ws('{work}') {{ sh 'echo x >> README.md'; cleanWs() }} }}
    attempt('inside repo') {{ ws('{work}/src') {{ deleteDir() }} }}
    attempt('holds repo') {{ ws('{root}') {{ deleteDir() }} }}
    attempt('dir repo') {{ dir('{work}') {{ sh 'echo x >> README.md' }} }}
    ws('scratch') {{
        writeFile file: 'ok.txt', text: 'ok'
        echo "scratch: ${{readFile 'ok.txt'}}"
        deleteDir()
    }}
    echo 'end'
}}
"#,
        victim = victim.display(),
        work = work.display(),
        root = root.path().display(),
    );
    std::fs::write(work.join("Jenkinsfile"), jenkinsfile).unwrap();
    let before = tree(&work);
    let victim_before = tree(&victim);

    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    has(&text, &format!("Running in {}\n", victim.display()));
    has(&text, &format!("{}\n", outside_note(&real.join("victim"))));
    // `sh` ran there, as on Jenkins.
    assert_eq!(
        std::fs::read_to_string(victim.join("ran.txt")).unwrap(),
        "ran\n"
    );
    let v = real.join("victim");
    let named = victim.display().to_string();
    has(
        &text,
        &format!("deleteDir -> {}\n", refused("deleteDir", &named, &v)),
    );
    has(
        &text,
        &format!("writeFile -> {}\n", refused("writeFile", "keep.txt", &v)),
    );
    has(
        &text,
        &format!("cleanWs -> {}\n", refused("cleanWs", &named, &v)),
    );
    has(
        &text,
        &format!("touch -> {}\n", refused("touch", "keep.txt", &v)),
    );
    has(
        &text,
        &format!("writeJSON -> {}\n", refused("writeJSON", "x.json", &v)),
    );
    has(
        &text,
        &format!("unstash -> {}\n", refused("unstash", "s.txt", &v)),
    );
    has(
        &text,
        &format!("checkout -> {}\n", refused("checkout", &named, &v)),
    );
    // Through a link in the home: judged where the link leads.
    has(
        &text,
        &format!("Running in {}\n", home.join("link/inner").display()),
    );
    has(
        &text,
        &format!("{}\n", outside_note(&real.join("elsewhere/inner"))),
    );
    has(
        &text,
        &format!(
            "writeYaml -> {}\n",
            refused("writeYaml", "x.yaml", &real.join("elsewhere/inner"))
        ),
    );
    // The user's repository, inside it or around it: refused before anything runs there.
    let real_work = real.join("work");
    for (what, dir) in [
        ("repo", work.clone()),
        ("inside repo", work.join("src")),
        ("holds repo", root.path().to_path_buf()),
    ] {
        has(
            &text,
            &format!(
                "{what} -> ws: refusing {}: it is, holds or lies inside your repository {}, which a build only changes with --in-place\n",
                dir.display(),
                real_work.display()
            ),
        );
    }
    has(
        &text,
        &format!(
            "dir repo -> dir: refusing {}: it is or lies inside your repository {}, which a build only changes with --in-place\n",
            work.display(),
            real_work.display()
        ),
    );
    assert!(!text.contains("+ echo x"), "{text}");
    // Inside the home: a workspace like any other.
    has(&text, "scratch: ok\n");
    assert!(!home.join("scratch").exists());
    has(&text, "end\n");
    assert_eq!(tree(&work), before, "the user's repository changed");
    let mut victim_after = tree(&victim);
    assert_eq!(
        victim_after.remove(Path::new("ran.txt")),
        Some(b"ran\n".to_vec())
    );
    assert_eq!(victim_after, victim_before, "the victim changed");
    assert!(
        std::fs::read_dir(root.path().join("elsewhere"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn ws_may_take_the_repository_with_in_place() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = crate::scm::origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        format!(
            "node {{\n  ws('{}') {{\n    writeFile file: 'out.txt', text: 'written'\n  }}\n}}\n",
            work.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &["--in-place".into()]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        std::fs::read_to_string(work.join("out.txt")).unwrap(),
        "written"
    );
}

#[test]
fn custom_workspace_is_a_ws_inside_the_node() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = crate::scm::origin_and_clone(root.path());
    let real = std::fs::canonicalize(root.path()).unwrap();
    let outside = root.path().join("outside");
    std::fs::write(
        work.join("Jenkinsfile"),
        format!(
            r#"pipeline {{
    agent {{ node {{ label ''; customWorkspace 'cw/./a/../b' }} }}
    stages {{
        stage('in home') {{
            steps {{
                echo "pwd: ${{pwd()}} WORKSPACE: ${{env.WORKSPACE}}"
                sh 'git rev-parse --is-inside-work-tree'
                writeFile file: 'ok.txt', text: 'ok'
            }}
        }}
        stage('outside') {{
            agent {{ node {{ label ''; customWorkspace '{outside}' }} }}
            options {{ skipDefaultCheckout() }}
            steps {{
                sh 'echo ran > ran.txt'
                writeFile file: 'no.txt', text: 'no'
            }}
        }}
    }}
}}
"#,
            outside = outside.display()
        ),
    )
    .unwrap();
    let before = tree(&work);
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 1, "{text}");
    let cw = home.join("cw/b");
    has(
        &text,
        &format!(
            "Running on Jenkins in {}\nRunning in {}\n",
            home.join("jobs/demo/workspace").display(),
            cw.display()
        ),
    );
    has(&text, &format!("pwd: {0} WORKSPACE: {0}\n", cw.display()));
    // The default checkout went into the custom workspace.
    has(&text, "+ git rev-parse --is-inside-work-tree\ntrue\n");
    assert_eq!(std::fs::read_to_string(cw.join("ok.txt")).unwrap(), "ok");
    has(
        &text,
        &format!(
            "Running in {}\n{}\n",
            outside.display(),
            outside_note(&real.join("outside"))
        ),
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("ran.txt")).unwrap(),
        "ran\n"
    );
    has(
        &text,
        &refused("writeFile", "no.txt", &real.join("outside")),
    );
    assert!(!outside.join("no.txt").exists());
    assert_eq!(tree(&work), before, "the user's repository changed");
}
