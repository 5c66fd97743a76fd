//! `plan` on a realistic file: the seed's CI pipeline (`fixtures/seed/ci/Jenkinsfile`: five
//! stages, credentials, ECR login and a docker build and push), parsed once and planned per
//! iteration in process (model, interpreter with the recording planner, stage tree), then
//! rendered as text. The workspace is a temporary directory, so there is no default checkout.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use indexmap::IndexMap;
use jenkinsfile::plan::{self, Inputs, Request, text};
use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed/ci/Jenkinsfile");
    let source = SourceFile::read(&path).expect("the seed fixture");
    let file = syntax::parse(&source).expect("the seed parses");
    let workspace = tempfile::tempdir().expect("a temporary workspace");
    let mut env = IndexMap::new();
    env.insert("BRANCH_NAME".to_string(), "main".to_string());
    env.insert("BUILD_NUMBER".to_string(), "1".to_string());
    let request = Request {
        file: "Jenkinsfile".into(),
        workspace: workspace.path().to_path_buf(),
        tree: workspace.path().to_path_buf(),
        libraries: plan::Libraries::default(),
        build_number: 1,
        previous: Vec::new(),
        env,
        params: IndexMap::new(),
        secret_params: Vec::new(),
        job_name: "bench".into(),
        scm: None,
        changes: Arc::default(),
        credentials: None,
        inputs: Inputs::default(),
        stage_filter: None,
        tools: IndexMap::new(),
        tool_config: Vec::new(),
        jenkins_home: workspace.path().to_path_buf(),
    };
    c.bench_function("plan seed ci (text)", |b| {
        b.iter(|| {
            let planned = plan::plan(black_box(&source), black_box(&file), &request);
            black_box(text::render(&planned, text::Style::default()))
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
