//! The Declarative model on our own fixtures. `fixtures/model/valid/` must build without a
//! diagnostic; each file in `fixtures/model/invalid/` is snapshotted twice over: our human
//! report (`diagnostic::render`) and Jenkins' CLI linter form (`--format jenkins`). The
//! model's contents are checked on the fixture that uses every section.

use std::path::Path;

use jenkinsfile::diagnostic::{RenderStyle, render};
use jenkinsfile::lint::format::jenkins::{FileReport, render_file};
use jenkinsfile::model::pipeline::{AgentConfig, AgentKind, Arguments, EnvValue, Pipeline};
use jenkinsfile::model::{self, Options};
use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax::ast::ExprKind;

fn read(path: &Path) -> SourceFile {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    SourceFile::new(name, text)
}

fn fixture(name: &str) -> SourceFile {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/model")
            .join(name),
    )
}

#[test]
fn valid_fixtures_build_without_diagnostics() {
    insta::glob!("../fixtures/model/valid", "*.Jenkinsfile", |path| {
        let source = read(path);
        let validation = model::validate_with(&source, &Options::default());
        assert!(
            validation.diagnostics.is_empty(),
            "{}:\n{}",
            source.name,
            render(&validation.diagnostics, &source, RenderStyle::PLAIN)
        );
        let scripted = source.name == "scripted.Jenkinsfile";
        assert_eq!(validation.pipeline.is_none(), scripted, "{}", source.name);
    });
}

#[test]
fn invalid_fixtures_report_every_problem() {
    insta::glob!("../fixtures/model/invalid", "*.Jenkinsfile", |path| {
        let source = read(path);
        let validation = model::validate_with(&source, &Options::default());
        assert!(!validation.diagnostics.is_empty(), "{}", source.name);
        let jenkins = render_file(&FileReport {
            source: &source,
            declarative: validation.declarative,
            diagnostics: &validation.diagnostics,
        });
        let human = render(&validation.diagnostics, &source, RenderStyle::PLAIN);
        insta::assert_snapshot!(format!(
            "--- human ---\n{human}\n--- jenkins ---\n{jenkins}"
        ));
    });
}

fn everything() -> Pipeline {
    let source = fixture("valid/everything.Jenkinsfile");
    let tree = jenkinsfile::syntax::parse(&source).unwrap();
    let (pipeline, diags) = model::build(&tree, &source);
    assert!(diags.is_empty());
    pipeline.expect("a declarative pipeline")
}

#[test]
fn the_model_keeps_stage_names_and_bodies() {
    let p = everything();
    let stages = &p.stages.as_ref().unwrap().stages;
    let names: Vec<&str> = stages.iter().map(|s| s.name.node.as_str()).collect();
    assert_eq!(names, ["Build", "Checks", "Matrix", "Deploy"]);
    assert!(stages[0].steps.as_ref().unwrap().stmts.len() == 3);
    assert_eq!(stages[1].fail_fast.as_ref().map(|b| b.node), Some(true));
    let branches = &stages[1].parallel.as_ref().unwrap().stages;
    assert_eq!(branches.len(), 2);
    // `node { … }` keeps its type and options.
    match &branches[1].agent.as_ref().unwrap().kind {
        AgentKind::Typed {
            ty,
            config: AgentConfig::Block(options),
        } => {
            assert_eq!(ty.node, "node");
            assert_eq!(options.len(), 2);
        }
        other => panic!("unexpected agent {other:?}"),
    }
    let matrix = stages[2].matrix.as_ref().unwrap();
    let axes = &matrix.axes.as_ref().unwrap().axes;
    assert_eq!(
        axes[0].name.as_ref().unwrap().literal.as_deref(),
        Some("PLATFORM")
    );
    assert_eq!(axes[1].values.as_ref().unwrap().len(), 2);
    let exclude = &matrix.excludes.as_ref().unwrap().excludes[0];
    assert!(exclude.axes[1].not_values);
    let nested = &stages[3].stages.as_ref().unwrap().stages;
    assert_eq!(
        nested[1].post.as_ref().unwrap().conditions[0].name.node,
        "failure"
    );
}

#[test]
fn the_model_keeps_directives_with_their_arguments() {
    let p = everything();
    match &p.agent.as_ref().unwrap().kind {
        AgentKind::Typed {
            ty,
            config: AgentConfig::Block(options),
        } => {
            assert_eq!(ty.node, "docker");
            let keys: Vec<&str> = options.iter().map(|o| o.key.node.as_str()).collect();
            assert_eq!(keys, ["image", "args", "reuseNode"]);
        }
        other => panic!("unexpected agent {other:?}"),
    }
    let env = &p.environment.as_ref().unwrap().vars;
    assert_eq!(env.len(), 6);
    assert!(matches!(&env[4].value, EnvValue::Credentials { id, .. }
        if matches!(&id.node, ExprKind::Str(s) if s.value == "registry-login")));
    let options: Vec<&str> = p
        .options
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|o| o.name.node.as_str())
        .collect();
    assert_eq!(options[..3], ["buildDiscarder", "timeout", "timestamps"]);
    let timeout = &p.options.as_ref().unwrap().items[1];
    assert!(matches!(&timeout.args, Arguments::Named(pairs) if pairs.len() == 2));
    let params = &p.parameters.as_ref().unwrap().items;
    let target = params[0].args.get("name", None).unwrap();
    assert!(matches!(&target.node, ExprKind::Str(s) if s.value == "TARGET"));
    assert_eq!(p.triggers.as_ref().unwrap().items.len(), 3);
    assert_eq!(p.tools.as_ref().unwrap().items[1].ty.node, "jdk");
    assert_eq!(p.libraries.as_ref().unwrap().items.len(), 1);
    assert_eq!(p.post.as_ref().unwrap().conditions.len(), 11);
}

#[test]
fn the_model_keeps_when_flags_and_conditions() {
    let p = everything();
    let deploy = &p.stages.as_ref().unwrap().stages[3];
    let when = deploy.when.as_ref().unwrap();
    assert_eq!(when.before_agent.as_ref().map(|b| b.node), Some(true));
    assert_eq!(when.before_input.as_ref().map(|b| b.node), Some(true));
    assert_eq!(when.before_options.as_ref().map(|b| b.node), Some(true));
    let names: Vec<&str> = when
        .conditions
        .iter()
        .map(|c| c.name.node.as_str())
        .collect();
    assert_eq!(names, ["branch", "anyOf", "not", "allOf", "not"]);
    assert_eq!(when.conditions[1].children.len(), 4);
    let expression = &when.conditions[3].children[1];
    assert_eq!(expression.name.node, "expression");
    assert!(expression.block.as_ref().is_some_and(|b| b.len() == 1));
    let input = deploy.input.as_ref().unwrap();
    assert!(input.message.is_some() && input.submitter_parameter.is_some());
    assert_eq!(input.parameters.as_ref().unwrap().items.len(), 1);
}

#[test]
fn stage_bodies_and_the_stage_walk() {
    use jenkinsfile::model::pipeline::StageBody;
    let p = everything();
    let names: Vec<&str> = p
        .all_stages()
        .iter()
        .map(|s| s.name.node.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Build", "Checks", "Unit", "Lint", "Matrix", "Test", "Deploy", "Push", "Roll out"
        ]
    );
    let stages = &p.stages.as_ref().unwrap().stages;
    assert!(matches!(stages[0].body(), Some(StageBody::Steps(_))));
    assert!(matches!(stages[1].body(), Some(StageBody::Parallel(_))));
    assert!(matches!(stages[2].body(), Some(StageBody::Matrix(_))));
    assert!(matches!(stages[3].body(), Some(StageBody::Stages(_))));
    let timeout = p.options.as_ref().unwrap().iter().nth(1).unwrap();
    assert!(timeout.arg("time", Some("time")).is_some());
}

#[test]
fn a_user_catalogue_adds_types() {
    let source = SourceFile::new(
        "Jenkinsfile",
        "pipeline {\n    agent { ecs { cloud 'prod' } }\n    stages { stage('a') { steps { echo 'x' } } }\n}\n",
    );
    let stock = model::validate(&source);
    assert_eq!(stock.len(), 1);
    assert!(stock[0].message.starts_with("Invalid agent type \"ecs\""));
    let mut cat = model::Catalogue::builtin().clone();
    cat.add_toml(
        "plugins.toml",
        "[agent.ecs]\nparams = [\"cloud:String!\"]\n",
    )
    .unwrap();
    let extended = model::validate_with(&source, &Options { catalogue: &cat });
    assert!(extended.diagnostics.is_empty());
}

/// Every line-boundary prefix of every fixture (parse errors, half-built sections, empty
/// blocks) validates without panicking, and every span stays inside the text.
#[test]
fn truncated_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/model");
    for dir in ["valid", "invalid"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let ends = text.match_indices('\n').map(|(i, _)| i + 1);
            for end in ends {
                let source = SourceFile::new("prefix", &text[..end]);
                for d in model::validate(&source) {
                    assert!(
                        d.span.end as usize <= end,
                        "{}: span {} past the end {end}",
                        path.display(),
                        d.span
                    );
                }
            }
        }
    }
}
