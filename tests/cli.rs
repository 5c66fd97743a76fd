//! The `jenkinsfile` binary as a user runs it: given these files and these arguments, expect
//! this stdout, stderr and exit status (just's `tests/test.rs` builder, in miniature).

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

const VALID: &str = "\
pipeline {
    agent any
    stages {
        stage('Build') {
            steps {
                sh 'make'
            }
        }
    }
}
";

/// One run of the binary in a fresh temporary directory. Unless told otherwise it expects exit
/// status 0 and nothing at all on stdout or stderr.
struct Test {
    dir: TempDir,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    stdout: Option<String>,
    headers: Option<Vec<String>>,
    stderr: Option<String>,
    stderr_contains: Vec<String>,
    status: i32,
}

impl Test {
    fn new() -> Self {
        Test {
            dir: tempfile::tempdir().unwrap(),
            args: Vec::new(),
            stdin: Vec::new(),
            stdout: Some(String::new()),
            headers: None,
            stderr: Some(String::new()),
            stderr_contains: Vec::new(),
            status: 0,
        }
    }

    /// Writes `Jenkinsfile` in the test directory.
    fn jenkinsfile(self, text: &str) -> Self {
        self.file("Jenkinsfile", text)
    }

    /// Writes a file (and its parent directories) relative to the test directory.
    fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    fn dir(self, path: &str) -> Self {
        fs::create_dir_all(self.dir.path().join(path)).unwrap();
        self
    }

    fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.stdin = bytes.as_ref().to_vec();
        self
    }

    fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.to_owned());
        self
    }

    /// Expects exactly these `;; PATH` lines from `parse --ast`, ignoring the trees in between.
    fn headers(mut self, paths: &[&str]) -> Self {
        self.stdout = None;
        self.headers = Some(paths.iter().map(|p| format!(";; {p}")).collect());
        self
    }

    fn stderr_contains(mut self, text: &str) -> Self {
        self.stderr = None;
        self.stderr_contains.push(text.to_owned());
        self
    }

    fn status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jenkinsfile"));
        command
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR");
        command
    }

    fn run(self) -> Output {
        let mut child = self
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // The binary may exit without reading stdin; a failed write then does not matter.
        let _ = stdin.write_all(&self.stdin);
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        self.check(&output);
        output
    }

    fn check(&self, output: &Output) {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let context = format!(
            "args: {:?}\n--- status: {:?}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
            self.args,
            output.status.code()
        );
        assert_eq!(output.status.code(), Some(self.status), "{context}");
        if let Some(expected) = &self.stdout {
            assert_eq!(&stdout, expected, "stdout differs\n{context}");
        }
        if let Some(expected) = &self.headers {
            let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with(";; ")).collect();
            assert_eq!(&headers, expected, "`;;` headers differ\n{context}");
        }
        if let Some(expected) = &self.stderr {
            assert_eq!(&stderr, expected, "stderr differs\n{context}");
        }
        for needle in &self.stderr_contains {
            assert!(
                stderr.contains(needle.as_str()),
                "stderr lacks {needle:?}\n{context}"
            );
        }
    }
}

#[test]
fn valid_file_prints_nothing() {
    Test::new()
        .jenkinsfile(VALID)
        .args(["parse", "Jenkinsfile"])
        .run();
}

#[test]
fn directory_walk_finds_jenkinsfiles_but_not_groovy() {
    Test::new()
        .file("repo/Jenkinsfile", VALID)
        .file("repo/Jenkinsfile.prod", VALID)
        .file("repo/ci.jenkinsfile", VALID)
        .file("repo/x.Jenkinsfile", VALID)
        .file("repo/lib.groovy", "this is not { Groovy")
        .file("repo/vars/deploy.groovy", "this is not { Groovy")
        .file("repo/README.md", "# not a pipeline {")
        .file("repo/nested/deeper/Jenkinsfile", VALID)
        .file("repo/.git/Jenkinsfile", "pipeline {")
        .file("repo/.hidden/Jenkinsfile", "pipeline {")
        .file("repo/target/Jenkinsfile", "pipeline {")
        .file("repo/node_modules/x/Jenkinsfile", "pipeline {")
        .args(["parse", "--ast", "repo"])
        .headers(&[
            "repo/Jenkinsfile",
            "repo/Jenkinsfile.prod",
            "repo/ci.jenkinsfile",
            "repo/nested/deeper/Jenkinsfile",
            "repo/x.Jenkinsfile",
        ])
        .run();
}

#[test]
fn directory_walk_without_ast_prints_nothing() {
    Test::new()
        .file("repo/Jenkinsfile", VALID)
        .file("repo/ci.jenkinsfile", VALID)
        .file("repo/lib.groovy", "this is not { Groovy")
        .args(["parse", "repo"])
        .run();
}

#[test]
fn explicitly_named_groovy_file_counts() {
    Test::new()
        .file("vars/build.groovy", "def call() {\n    echo 'hi'\n}\n")
        .jenkinsfile(VALID)
        .args(["parse", "--ast", "vars/build.groovy", "Jenkinsfile"])
        .headers(&["vars/build.groovy", "Jenkinsfile"])
        .run();
}

#[test]
fn explicitly_named_groovy_file_alone_prints_nothing() {
    Test::new()
        .file("vars/build.groovy", "def call() {\n    echo 'hi'\n}\n")
        .args(["parse", "vars/build.groovy"])
        .run();
}

#[test]
fn single_file_ast_has_no_header() {
    Test::new()
        .jenkinsfile(VALID)
        .args(["parse", "--ast", "Jenkinsfile"])
        .headers(&[])
        .run();
}

#[test]
fn stdin_is_dash() {
    Test::new().args(["parse", "-"]).stdin(VALID).run();
}

#[test]
fn stdin_among_files_is_named_stdin() {
    Test::new()
        .jenkinsfile(VALID)
        .args(["parse", "--ast", "-", "Jenkinsfile"])
        .stdin(VALID)
        .headers(&["<stdin>", "Jenkinsfile"])
        .run();
}

#[test]
fn missing_file_exits_2() {
    Test::new()
        .args(["parse", "nope.Jenkinsfile"])
        .status(2)
        .stderr_contains("`nope.Jenkinsfile` does not exist")
        .run();
}

#[test]
fn missing_file_does_not_stop_the_others() {
    Test::new()
        .jenkinsfile(VALID)
        .file("x.Jenkinsfile", VALID)
        .args(["parse", "--ast", "Jenkinsfile", "nope", "x.Jenkinsfile"])
        .status(2)
        .headers(&["Jenkinsfile", "x.Jenkinsfile"])
        .stderr_contains("`nope` does not exist")
        .run();
}

#[test]
fn non_utf8_file_exits_2_with_position() {
    Test::new()
        .file("Jenkinsfile", b"pipeline {\n  \xff\n}\n")
        .args(["parse", "Jenkinsfile"])
        .status(2)
        .stderr_contains("`Jenkinsfile` is not UTF-8 text: invalid byte 0xff at line 2, column 3")
        .stderr_contains("iconv -t UTF-8")
        .run();
}

#[test]
fn non_utf8_stdin_exits_2() {
    Test::new()
        .args(["parse", "-"])
        .stdin(b"echo '\xc3\x28'\n")
        .status(2)
        .stderr_contains("`<stdin>` is not UTF-8 text: invalid byte 0xc3 at line 1, column 7")
        .run();
}

#[test]
fn directory_without_jenkinsfiles_warns() {
    Test::new()
        .dir("empty")
        .file("lib/util.groovy", "def x = 1\n")
        .args(["parse", "empty", "lib"])
        .stderr_contains("warning: no Jenkinsfiles found")
        .run();
}

#[test]
fn no_subcommand_is_a_usage_error() {
    Test::new()
        .status(2)
        .stdout("")
        .stderr_contains("Usage: jenkinsfile <COMMAND>")
        .run();
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    Test::new()
        .args(["frobnicate"])
        .status(2)
        .stderr_contains("unrecognized subcommand 'frobnicate'")
        .run();
}

#[test]
fn parse_without_paths_is_a_usage_error() {
    Test::new()
        .args(["parse"])
        .status(2)
        .stderr_contains("<PATH>...")
        .run();
}

#[test]
fn unknown_flag_is_a_usage_error() {
    Test::new()
        .jenkinsfile(VALID)
        .args(["parse", "--bogus", "Jenkinsfile"])
        .status(2)
        .stderr_contains("unexpected argument '--bogus'")
        .run();
}

#[test]
fn version() {
    Test::new()
        .args(["--version"])
        .stdout(&format!("jenkinsfile {}\n", env!("CARGO_PKG_VERSION")))
        .run();
}

#[test]
fn parse_help_defines_jenkinsfile_and_exit_codes() {
    let output = Test::new().args(["parse", "--help"]).run_unchecked();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "Jenkinsfile   Jenkinsfile.*   *.jenkinsfile   *.Jenkinsfile",
        "`*.groovy`",
        "`-` for standard input",
        "--ast",
        "0  every input parsed",
        "1  a syntax error",
        "2  usage error, or an input that is missing, unreadable or not UTF-8",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}:\n{help}");
    }
    for line in help.lines() {
        assert!(
            line.chars().count() <= 80,
            "help line over 80 columns: {line:?}"
        );
    }
}

#[test]
fn top_level_help_lists_exit_codes() {
    let output = Test::new().args(["--help"]).run_unchecked();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("parse"), "{help}");
    assert!(help.contains("2  usage error"), "{help}");
}

/// `jenkinsfile parse --ast … | head`: the reader goes away; the binary must not panic.
#[test]
fn closed_stdout_is_not_a_panic() {
    let mut test = Test::new();
    for i in 0..500 {
        test = test.file(&format!("repo/{i:03}.Jenkinsfile"), VALID);
    }
    let mut child = test
        .command()
        .args(["parse", "--ast", "repo"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closing the read end at once makes the first write fail with a broken pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{stderr}");
    assert_eq!(stderr, "");
}

/// A full disk is a failure (exit 1) with a message, not a panic and not silence.
#[cfg(target_os = "linux")]
#[test]
fn failing_stdout_exits_1() {
    let test = Test::new().jenkinsfile(VALID).file("x.Jenkinsfile", VALID);
    let output = test
        .command()
        .args(["parse", "--ast", "Jenkinsfile", "x.Jenkinsfile"])
        .stdin(Stdio::null())
        .stdout(fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
}

impl Test {
    /// Runs without checking, for tests that inspect the output themselves.
    fn run_unchecked(self) -> Output {
        self.command().stdin(Stdio::null()).output().unwrap()
    }
}

/// These need the real parser (issue 2). While `syntax::parse` is the stub that accepts
/// everything they fail; they pass once the grammar lands.
mod needs_real_parser {
    use super::{Test, VALID};

    #[test]
    fn syntax_error_exits_1_and_names_the_line() {
        Test::new()
            .jenkinsfile("pipeline {")
            .args(["parse", "Jenkinsfile"])
            .status(1)
            .stderr_contains("[Jenkinsfile:1:")
            .stderr_contains("pipeline {")
            .run();
    }

    #[test]
    fn syntax_error_on_stdin_is_named_stdin() {
        Test::new()
            .args(["parse", "-"])
            .stdin("pipeline {")
            .status(1)
            .stderr_contains("[<stdin>:1:")
            .run();
    }

    #[test]
    fn syntax_error_does_not_stop_the_others() {
        Test::new()
            .file("a.Jenkinsfile", VALID)
            .file("b.Jenkinsfile", "pipeline {")
            .file("c.Jenkinsfile", VALID)
            .args(["parse", "--ast", "."])
            .status(1)
            .headers(&["./a.Jenkinsfile", "./c.Jenkinsfile"])
            .stderr_contains("[./b.Jenkinsfile:1:")
            .run();
    }

    #[test]
    fn worst_exit_code_wins() {
        Test::new()
            .jenkinsfile("pipeline {")
            .args(["parse", "Jenkinsfile", "missing.Jenkinsfile"])
            .status(2)
            .stderr_contains("[Jenkinsfile:1:")
            .stderr_contains("`missing.Jenkinsfile` does not exist")
            .run();
    }
}
