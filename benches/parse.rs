//! Parser throughput and linearity (issue 2 asks for ≥ 20 MB/s on one core, and for a 10 MB
//! file to take no more than about 10× a 1 MB one).
//!
//! - `corpus`: every file of `../shared/corpus/real-world` (or `$JENKINSFILE_CORPUS/real-world`)
//!   parsed once per iteration, including the few Groovy rejects, since real users feed broken
//!   files too and the error path is part of the cost. Throughput is in bytes, so criterion
//!   prints MB/s. Without the corpus a built-in synthetic file stands in, and a note says so.
//! - `linear`: one synthetic Jenkinsfile of about 1 MB and one of about 10 MB, each one file of
//!   realistic code (stages, steps, `def`s, closures, interpolated strings, maps), parsed whole.
//!
//! Sample counts are criterion's minimum (10), so `cargo bench --bench parse` takes about
//! 12 × (corpus + 1 MB + 10 MB) parse times. Under `cargo test --all-targets` (no `--bench`
//! argument) criterion runs each benchmark once, and this file shrinks the inputs to a smoke
//! test: the first few corpus files, and synthetic files of 10 KB and 100 KB.

#![allow(
    clippy::print_stderr,
    reason = "a benchmark reports what it measured on stderr"
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax;

/// Whether this is a real measurement (`cargo bench`) rather than `cargo test`'s single run.
fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// The real-world corpus folder, if present.
fn corpus_dir() -> Option<PathBuf> {
    let root = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let dir = root.join("real-world");
    dir.is_dir().then_some(dir)
}

/// Every `*.Jenkinsfile` of the corpus, sorted by name.
fn corpus_files(dir: &Path) -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the corpus folder")
        .map(|entry| entry.expect("read a corpus entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Jenkinsfile"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| SourceFile::read(path).expect("corpus files are UTF-8"))
        .collect()
}

/// One stage of a scripted-and-declarative mix, numbered `n` so that no two are identical.
fn stage(out: &mut String, n: usize) {
    write!(
        out,
        r#"
def helper{n}(Map cfg = [:], String name = "svc-{n}") {{
    def tags = ["latest", "build-${{env.BUILD_NUMBER}}", 'v{n}.0.1']
    def opts = [image: "registry.example.com/${{name}}", retries: {n} % 5, verbose: true]
    if (cfg.containsKey('skip') && cfg.skip == true) {{
        echo "skipping ${{name}} (${{cfg.reason ?: 'no reason'}})"
        return null
    }} else if (opts.retries > 3) {{
        opts.retries = 3
    }}
    for (t in tags) {{
        sh "docker tag ${{opts.image}}:${{env.GIT_COMMIT}} ${{opts.image}}:${{t}}"
    }}
    return opts.collectEntries {{ k, v -> [(k): v.toString()] }}
}}

stage('Build {n}') {{
    steps {{
        script {{
            def result = helper{n}(skip: false)
            withCredentials([usernamePassword(credentialsId: 'creds-{n}', usernameVariable: 'USER', passwordVariable: 'PASS')]) {{
                sh """
                    docker login -u $USER -p $PASS registry.example.com
                    make -j4 build TARGET=svc-{n} VERSION=${{params.VERSION}}
                """
                retry(3) {{
                    sh script: 'make test', returnStatus: true
                }}
            }}
            def files = findFiles(glob: '**/target/*.jar').collect {{ it.name }}
            archiveArtifacts artifacts: files.join(','), fingerprint: true
            currentBuild.description = "built ${{files.size()}} jars for #{n}"
        }}
    }}
    post {{
        failure {{
            mail to: 'team@example.com', subject: "Build {n} failed: ${{env.JOB_NAME}}", body: "See ${{env.BUILD_URL}}"
        }}
    }}
}}
"#
    )
    .expect("writing to a String cannot fail");
}

/// A Jenkinsfile of at least `bytes` bytes: stages and helpers one after another. Declarative
/// wants them inside `pipeline { stages { … } }`, but that is the model's rule; to the parser a
/// long file of top-level stages is the same work without one ever-growing closure.
fn synthetic(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        "#!/usr/bin/env groovy\n@Library('shared-lib@v2') _\nimport groovy.json.JsonSlurper\n",
    );
    let mut n = 0;
    while out.len() < bytes {
        stage(&mut out, n);
        n += 1;
    }
    out
}

fn parse_all(files: &[SourceFile]) -> usize {
    files
        .iter()
        .map(|file| usize::from(syntax::parse(black_box(file)).is_ok()))
        .sum()
}

fn corpus(c: &mut Criterion) {
    let files = if let Some(dir) = corpus_dir() {
        let mut files = corpus_files(&dir);
        if !measuring() {
            files.truncate(5);
        }
        files
    } else {
        eprintln!(
            "note: no real-world corpus at ../shared/corpus/real-world (set JENKINSFILE_CORPUS); \
             benchmarking a built-in 256 KB synthetic file instead"
        );
        vec![SourceFile::new(
            "synthetic.Jenkinsfile",
            synthetic(256 * 1024),
        )]
    };
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    if measuring() {
        let parsed = parse_all(&files);
        eprintln!(
            "corpus: {} files, {bytes} bytes, {parsed} parse, {} rejected",
            files.len(),
            files.len() - parsed
        );
    }
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("real-world", |b| b.iter(|| parse_all(&files)));
    group.finish();
}

fn linear(c: &mut Criterion) {
    let mut group = c.benchmark_group("linear");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.sampling_mode(SamplingMode::Flat);
    let sizes: [(&str, usize); 2] = if measuring() {
        [("1MB", 1_000_000), ("10MB", 10_000_000)]
    } else {
        [("10KB", 10_000), ("100KB", 100_000)]
    };
    for (name, bytes) in sizes {
        let file = SourceFile::new(format!("synthetic-{name}.Jenkinsfile"), synthetic(bytes));
        if let Err(diags) = syntax::parse(&file) {
            panic!("the synthetic file must parse: {diags:?}");
        }
        group.throughput(Throughput::Bytes(file.text.len() as u64));
        group.measurement_time(Duration::from_secs((bytes / 250_000).max(1) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &file, |b, file| {
            b.iter(|| syntax::parse(black_box(file)).is_ok());
        });
    }
    group.finish();
}

criterion_group!(benches, corpus, linear);
criterion_main!(benches);
