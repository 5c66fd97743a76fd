//! `plan` over the real-world corpus (read in place from `../shared/corpus/real-world` or
//! `$JENKINSFILE_CORPUS/real-world`; skipped when absent, a failure with `CI=true`). Each file
//! is planned by the binary as JSON with a time limit. An internal error is a panic, a crash,
//! a timeout, or output that is not a plan. The test prints how many files plan without one,
//! among all files and among those that lint without errors (the target: all of those), with
//! the time, and fails below the measured floor.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jenkinsfile::diagnostic::Severity;
use jenkinsfile::lint::{self, LintOptions};
use jenkinsfile::source::SourceFile;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Files that lint without errors and plan without an internal error, as measured: 466 of
/// 467 (the other, `0377-…300k-nodes`, is a 300,000-node stress pipeline that takes longer
/// than the limit to plan in a debug build).
const FLOOR: usize = 466;

const LIMIT: Duration = Duration::from_secs(60);

#[expect(clippy::print_stdout, reason = "the test reports its counts")]
fn say(line: &str) {
    println!("{line}");
}

fn corpus_dir() -> Option<PathBuf> {
    let root = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let dir = root.join("real-world");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the corpus is missing at {}; CI must run the plan corpus test",
        dir.display()
    );
    say(&format!("plan corpus test skipped: no {}", dir.display()));
    None
}

/// `None` when the plan is fine, else what went wrong.
fn internal_error(path: &Path, home: &Path) -> Option<String> {
    let mut child = Command::new(BIN)
        .args(["plan", "--format", "json", "--job", "corpus"])
        .arg(path)
        .env_clear()
        .env("PATH", "/nonexistent")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes while waiting: a plan bigger than the pipe buffer would otherwise block
    // the child on its write and look like a timeout.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let out_reader = drain(Box::new(child.stdout.take().unwrap()));
    let err_reader = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Some("timed out".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = out_reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    if stderr.contains("panicked") || status.code().is_none() || status.code() == Some(101) {
        return Some(format!(
            "crashed: {}",
            stderr.lines().take(3).collect::<Vec<_>>().join(" | ")
        ));
    }
    if status.code() == Some(0) || !stdout.is_empty() {
        let plan: Result<serde_json::Value, _> = serde_json::from_str(&stdout);
        match plan {
            Ok(p) if p["schema"] == "jenkinsfile-plan/1" => {
                let errors = p["errors"].as_array().cloned().unwrap_or_default();
                if let Some(e) = errors
                    .iter()
                    .find(|e| e.as_str().is_some_and(|t| t.contains("internal")))
                {
                    return Some(format!("internal error: {e}"));
                }
                None
            }
            _ => Some(format!(
                "not a plan: {}",
                stdout.chars().take(200).collect::<String>()
            )),
        }
    } else {
        // Exit 1 with diagnostics only: the file does not parse or validate.
        None
    }
}

#[test]
fn plan_runs_over_the_real_world_corpus() {
    let Some(dir) = corpus_dir() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Jenkinsfile"))
        .collect();
    paths.sort();
    let home = tempfile::tempdir().unwrap();
    let options = LintOptions::default();
    let started = Instant::now();
    let (mut clean, mut clean_ok, mut all_ok) = (0, 0, 0);
    let mut problems = Vec::new();
    for path in &paths {
        let Ok(source) = SourceFile::read(path) else {
            continue;
        };
        let lints_clean = !lint::check(&source, &options)
            .iter()
            .any(|d| d.severity == Severity::Error);
        let error = internal_error(path, home.path());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if lints_clean {
            clean += 1;
        }
        match error {
            None => {
                all_ok += 1;
                if lints_clean {
                    clean_ok += 1;
                }
            }
            Some(e) => problems.push(format!("  {name}: {e}")),
        }
    }
    say(&format!(
        "plan over {} real-world files in {:.1} s: {all_ok} plan without an internal error; \
         of the {clean} that lint without errors, {clean_ok}\n{}",
        paths.len(),
        started.elapsed().as_secs_f64(),
        problems.join("\n")
    ));
    assert!(clean_ok >= FLOOR, "{clean_ok} below the floor {FLOOR}");
}
