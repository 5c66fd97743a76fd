//! The interpreter against Groovy 2.4.21, the version Jenkins embeds (issue 4's differential
//! test). Every snippet `fixtures/groovy/<topic>/<name>.groovy` runs through
//! `jenkinsfile groovy FILE`; its stdout followed by its stderr must equal `<name>.out`, which
//! real Groovy wrote (`scripts/groovy-oracle`, see `fixtures/groovy/README.md`): what the
//! script printed, then `Caught: <exception>` when it threw. The exit status must be 1 exactly
//! when a `Caught:` line is expected, 0 otherwise.
//!
//! `KNOWN_FAILING` lists the snippets the interpreter does not get right yet, each with its
//! cause. They are expected to fail: one that starts agreeing fails the test until it is
//! taken off the list, so the list only shrinks. Everything else must agree.
//!
//! `JENKINSFILE_GROOVY_DIFF_VERBOSE=1` prints every disagreement, known ones included, with its
//! first differing line (`cargo test --test integration groovy_diff -- --nocapture`).
//!
//! With `JENKINSFILE_GROOVY_ORACLE=1` (and `groovy` installed) the committed `.out` files are
//! regenerated into a temporary directory and compared, so they cannot drift from Groovy.

use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Snippets the interpreter does not run like Groovy yet: (`topic/name`, cause). The cause
/// names the missing or wrong feature, so the interpreter author can group the work.
const KNOWN_FAILING: &[(&str, &str)] = &[];

/// A snippet that runs longer than this is a failure (an interpreter loop that never ends).
const TIMEOUT: Duration = Duration::from_secs(20);

/// The line that ends the expected output of a snippet that threw.
const CAUGHT: &str = "Caught: ";

struct Snippet {
    /// `topic/name`, the key of `KNOWN_FAILING`.
    name: String,
    script: PathBuf,
    expected: String,
}

impl Snippet {
    fn throws(&self) -> bool {
        self.expected.lines().any(|line| line.starts_with(CAUGHT))
    }
}

/// What our binary did with one snippet.
struct Run {
    /// stdout then stderr, as the `.out` format puts them.
    output: String,
    /// `None` when it was killed for running past `TIMEOUT`, or died of a signal.
    status: Option<i32>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/groovy")
}

#[expect(clippy::print_stdout, reason = "the test reports its counts")]
fn say(line: &str) {
    println!("{line}");
}

/// Every `<topic>/<name>.groovy` with its `.out`, sorted by name.
fn snippets() -> Vec<Snippet> {
    let mut found = Vec::new();
    for topic in sorted_entries(&root()) {
        if !topic.is_dir() {
            continue;
        }
        for script in sorted_entries(&topic) {
            if script.extension().is_none_or(|ext| ext != "groovy") {
                continue;
            }
            let out = script.with_extension("out");
            let expected = fs::read_to_string(&out).unwrap_or_else(|err| {
                panic!("{}: {err} (run scripts/groovy-oracle)", out.display())
            });
            found.push(Snippet {
                name: format!("{}/{}", file_name(&topic), stem(&script)),
                script,
                expected,
            });
        }
    }
    found
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Runs `jenkinsfile groovy SCRIPT`, killing it after `TIMEOUT`.
fn run_ours(script: &Path) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("groovy")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the jenkinsfile binary starts");
    // Drain both pipes while waiting, so a chatty snippet cannot block on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the binary") {
            break status.code();
        }
        if started.elapsed() > TIMEOUT {
            child.kill().expect("killing a runaway snippet");
            child.wait().expect("reaping a killed snippet");
            break None;
        }
        thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_reader.join().unwrap().expect("reading stdout");
    let stderr = err_reader.join().unwrap().expect("reading stderr");
    let mut output = String::from_utf8_lossy(&stdout).into_owned();
    output.push_str(&String::from_utf8_lossy(&stderr));
    Run { output, status }
}

/// `None` when the run agrees with Groovy, else why not: the first differing line.
fn disagreement(snippet: &Snippet, run: &Run) -> Option<String> {
    let want_status = i32::from(snippet.throws());
    if run.output == snippet.expected && run.status == Some(want_status) {
        return None;
    }
    let mut why = match run.status {
        None => format!("no exit status (killed after {}s?)", TIMEOUT.as_secs()),
        Some(status) if status != want_status => {
            format!("exit status {status}, Groovy's {want_status}")
        }
        Some(_) => String::new(),
    };
    if run.output != snippet.expected {
        if !why.is_empty() {
            why.push_str("; ");
        }
        why.push_str(&first_difference(&snippet.expected, &run.output));
    }
    Some(why)
}

fn first_difference(expected: &str, actual: &str) -> String {
    let mut want = expected.split_inclusive('\n');
    let mut got = actual.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (want.next(), got.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                let show =
                    |text: Option<&str>| text.map_or("<end>".to_owned(), |t| format!("{t:?}"));
                return format!("line {line}: Groovy {}, ours {}", show(a), show(b));
            }
        }
    }
}

/// Runs every snippet (on two threads: the machine is shared) and returns the disagreements by
/// name, in snippet order.
fn run_all(snippets: &[Snippet]) -> Vec<(String, String)> {
    let half = snippets.len().div_ceil(2).max(1);
    let mut results: Vec<(String, String)> = thread::scope(|scope| {
        let workers: Vec<_> = snippets
            .chunks(half)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|snippet| {
                            disagreement(snippet, &run_ours(&snippet.script))
                                .map(|why| (snippet.name.clone(), why))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    results.sort();
    results
}

#[test]
fn interpreter_agrees_with_groovy() {
    let snippets = snippets();
    assert!(
        snippets.len() >= 330,
        "expected at least 330 snippets under {}, found {}",
        root().display(),
        snippets.len()
    );
    let failing = run_all(&snippets);
    let total = snippets.len();
    say(&format!(
        "groovy differential test: {}/{total} agree ({} known failing)",
        total - failing.len(),
        KNOWN_FAILING.len()
    ));

    let known = |name: &str| KNOWN_FAILING.iter().any(|(known, _)| *known == name);
    if std::env::var("JENKINSFILE_GROOVY_DIFF_VERBOSE").as_deref() == Ok("1") {
        for (name, why) in &failing {
            let cause = KNOWN_FAILING
                .iter()
                .find(|(known, _)| known == name)
                .map_or("not in KNOWN_FAILING", |(_, cause)| cause);
            say(&format!("  {name}: {why}\n    cause: {cause}"));
        }
    }
    let mut report = String::new();
    for (name, why) in &failing {
        if !known(name) {
            writeln!(report, "  {name}: {why}").unwrap();
        }
    }
    if !report.is_empty() {
        report.insert_str(0, "snippets that disagree with Groovy 2.4 (fix the interpreter, or add them to KNOWN_FAILING with the cause):\n");
    }
    let fixed: Vec<&str> = KNOWN_FAILING
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !failing.iter().any(|(failed, _)| failed == name))
        .collect();
    if !fixed.is_empty() {
        writeln!(
            report,
            "snippets in KNOWN_FAILING that now agree with Groovy (take them off the list):"
        )
        .unwrap();
        for name in fixed {
            writeln!(report, "  {name}").unwrap();
        }
    }
    assert!(report.is_empty(), "{report}");
}

#[test]
fn known_failing_names_real_snippets_once() {
    let snippets = snippets();
    let mut seen = Vec::new();
    for (name, cause) in KNOWN_FAILING {
        assert!(
            snippets.iter().any(|snippet| snippet.name == *name),
            "KNOWN_FAILING names `{name}`, which is not a snippet under fixtures/groovy"
        );
        assert!(
            !cause.trim().is_empty(),
            "KNOWN_FAILING `{name}` has no cause"
        );
        assert!(!seen.contains(name), "KNOWN_FAILING lists `{name}` twice");
        seen.push(name);
    }
}

/// Each `.groovy` has its `.out` (checked while loading) and no `.out` outlives its snippet.
#[test]
fn every_output_has_its_snippet() {
    for topic in sorted_entries(&root()) {
        if !topic.is_dir() {
            continue;
        }
        for file in sorted_entries(&topic) {
            if file.extension().is_some_and(|ext| ext == "out") {
                assert!(
                    file.with_extension("groovy").is_file(),
                    "{} has no snippet",
                    file.display()
                );
            }
        }
    }
    assert!(!snippets().is_empty());
}

/// With `JENKINSFILE_GROOVY_ORACLE=1`, real Groovy regenerates every output into a temporary
/// directory and each must equal the committed one.
#[test]
fn committed_outputs_are_what_groovy_prints() {
    if std::env::var("JENKINSFILE_GROOVY_ORACLE").as_deref() != Ok("1") {
        say("groovy oracle check skipped: set JENKINSFILE_GROOVY_ORACLE=1 (needs groovy)");
        return;
    }
    let groovy_found = Command::new("groovy")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        groovy_found,
        "JENKINSFILE_GROOVY_ORACLE=1 but no groovy on PATH (run scripts/install-deps)"
    );
    let out = tempfile::tempdir().unwrap();
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/groovy-oracle");
    let status = Command::new(oracle)
        .arg(root())
        .arg(out.path())
        .status()
        .expect("scripts/groovy-oracle runs");
    assert!(status.success(), "scripts/groovy-oracle failed: {status}");
    let mut report = String::new();
    for snippet in snippets() {
        let fresh = out.path().join(format!("{}.out", snippet.name));
        let fresh =
            fs::read_to_string(&fresh).unwrap_or_else(|err| panic!("{}: {err}", fresh.display()));
        if fresh != snippet.expected {
            writeln!(
                report,
                "  {}: {}",
                snippet.name,
                first_difference(&fresh, &snippet.expected).replace("ours", "committed")
            )
            .unwrap();
        }
    }
    assert!(
        report.is_empty(),
        "committed outputs differ from Groovy's (regenerate with scripts/groovy-oracle):\n{report}"
    );
}
