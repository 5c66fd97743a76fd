//! Step-execution overhead (issue 4's targets):
//!
//! - `sh_true`: 200 sequential `sh 'true'` steps through the real executor, with every event
//!   going through the masking stage and the console renderer into a discarded stream, against
//!   `baseline_bash_loop`: a bash loop running `sh -xe` on 200 script files. Target: ≤ 1.2×.
//! - `parallel_sleep`: 8 concurrent `sh 'sleep 1'` steps on one thread, as parallel branches
//!   run. Target: ≤ 1.2 s wall.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) each runs once with small sizes
//! (20 steps, `sleep 0.1`), as a smoke test.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use indexmap::IndexMap;
use jenkinsfile::report::console::Console;
use jenkinsfile::report::sink::{Format, Sinks, drain};
use jenkinsfile::report::{Emitter, Event};
use jenkinsfile::steps::{Cancel, Host, StepContext, lookup};
use serde_json::{Map, Value};
use tokio::task::LocalSet;

fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn context(workspace: &Path, emit: Emitter) -> StepContext {
    let mut env = IndexMap::new();
    env.insert("PATH".to_owned(), std::env::var("PATH").unwrap_or_default());
    StepContext {
        cwd: workspace.to_path_buf(),
        env,
        emit,
        cancel: Cancel::new(),
        host: Arc::new(Host {
            workspace: workspace.to_path_buf(),
            ..Host::default()
        }),
        agent: None,
    }
}

fn script(text: &str) -> Map<String, Value> {
    let mut args = Map::new();
    args.insert("script".to_owned(), Value::String(text.to_owned()));
    args
}

/// `count` sequential `sh` steps, each framed by step events, rendered and discarded.
fn run_sequential(workspace: &Path, count: usize) {
    let local = LocalSet::new();
    local.block_on(&runtime(), async {
        let (emit, rx) = Emitter::channel();
        let sinks = Sinks::new(
            Format::Console,
            Console::default(),
            Box::new(std::io::sink()),
        );
        let sink = tokio::task::spawn_local(drain(rx, sinks));
        let ctx = context(workspace, emit);
        let sh = lookup("sh").unwrap();
        for _ in 0..count {
            ctx.emit.emit(Event::StepStart {
                name: "sh".into(),
                summary: "script: true".into(),
                block: false,
                stage: None,
                branch: None,
            });
            black_box(sh(&ctx, script("true")).await.unwrap());
        }
        drop(ctx);
        black_box(sink.await.unwrap());
    });
}

fn bash_loop(dir: &Path, count: usize) {
    let scripts = dir.join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    for i in 0..count {
        std::fs::write(scripts.join(format!("{i}.sh")), "true").unwrap();
    }
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#"for f in "$1"/*.sh; do sh -xe "$f" 2>&1; done > /dev/null"#)
        .arg("bash")
        .arg(&scripts)
        .status()
        .unwrap();
    assert!(status.success());
}

fn run_parallel(workspace: &Path, branches: usize, seconds: &str) {
    let local = LocalSet::new();
    local.block_on(&runtime(), async {
        let (emit, rx) = Emitter::channel();
        let sinks = Sinks::new(
            Format::Console,
            Console::default(),
            Box::new(std::io::sink()),
        );
        let sink = tokio::task::spawn_local(drain(rx, sinks));
        let mut tasks = Vec::new();
        for _ in 0..branches {
            let ctx = context(workspace, emit.fork());
            let text = format!("sleep {seconds}");
            tasks.push(tokio::task::spawn_local(async move {
                lookup("sh").unwrap()(&ctx, script(&text)).await.unwrap();
            }));
        }
        drop(emit);
        for task in tasks {
            task.await.unwrap();
        }
        black_box(sink.await.unwrap());
    });
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    let (count, seconds) = if measuring() { (200, "1") } else { (20, "0.1") };
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("sh_true", |b| b.iter(|| run_sequential(&workspace, count)));
    group.bench_function("baseline_bash_loop", |b| {
        b.iter(|| bash_loop(dir.path(), count));
    });
    group.bench_function("parallel_sleep", |b| {
        b.iter(|| run_parallel(&workspace, 8, seconds));
    });
    group.finish();
}

criterion_group!(run, benches);
criterion_main!(run);
