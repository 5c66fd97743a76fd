//! Lint throughput over the real-world corpus (issue 3 asks for the whole corpus in under
//! 0.3 s). Every file of `../shared/corpus/real-world` (or `$JENKINSFILE_CORPUS/real-world`)
//! is linted once per iteration with the default options: parse, declarative validator and
//! every rule. Throughput is in files, so criterion prints files/s. Under `cargo test
//! --all-targets` (no `--bench` argument) criterion runs once, on the first few files only.
//! Without the corpus the benchmark says so and measures nothing.

#![allow(
    clippy::print_stderr,
    reason = "a benchmark reports what it measured on stderr"
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use jenkinsfile::lint::{self, LintOptions};
use jenkinsfile::source::SourceFile;

fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn corpus_files() -> Option<Vec<SourceFile>> {
    let root = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let dir = root.join("real-world");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|entry| entry.expect("read a corpus entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Jenkinsfile"))
        .collect();
    paths.sort();
    Some(
        paths
            .iter()
            .map(|path| SourceFile::read(path).expect("corpus files are UTF-8"))
            .collect(),
    )
}

fn corpus(c: &mut Criterion) {
    let Some(mut files) = corpus_files() else {
        eprintln!("lint bench: no real-world corpus (set JENKINSFILE_CORPUS); nothing measured");
        return;
    };
    if !measuring() {
        files.truncate(5);
    }
    let options = LintOptions::default();
    let mut group = c.benchmark_group("lint");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|file| lint::check(black_box(file), &options).len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
