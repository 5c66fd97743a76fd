use super::{Decision, Selection, StageFilter, StageTree};
use crate::source::SourceFile;

const PIPELINE: &str = r"pipeline {
    agent any
    stages {
        stage('Build') { steps { echo 'b' } }
        stage('Test') {
            parallel {
                stage('Unit') { steps { echo 'u' } }
                stage('Lint') { steps { echo 'l' } }
            }
        }
        stage('Release') {
            stages {
                stage('Package') { steps { echo 'p' } }
                stage('Lint') { steps { echo 'l' } }
            }
        }
        stage('Cells') {
            matrix {
                axes { axis { name 'OS'; values 'linux', 'mac' } }
                stages { stage('Compile') { steps { echo 'c' } } }
            }
        }
        stage('Deploy') { steps { echo 'd' } }
    }
}";

fn tree() -> StageTree {
    let source = SourceFile::new("Jenkinsfile", PIPELINE.to_owned());
    let file = crate::syntax::parse(&source).expect("parses");
    let (pipeline, diags) = crate::model::build(&file, &source);
    assert!(diags.is_empty(), "{diags:?}");
    StageTree::of(&pipeline.unwrap())
}

fn filter(stage: Option<&str>, skip: &[&str], from: Option<&str>) -> Result<StageFilter, String> {
    StageFilter::new(
        tree(),
        &Selection {
            stage: stage.map(str::to_owned),
            skip: skip.iter().map(|s| (*s).to_owned()).collect(),
            from: from.map(str::to_owned),
        },
    )
}

fn skip(reason: &str) -> Decision {
    Decision::Skip(reason.to_owned())
}

#[test]
fn tree_lists_paths_depth_first() {
    let paths: Vec<String> = tree().paths.iter().map(|p| p.join("/")).collect();
    assert_eq!(
        paths,
        [
            "Build",
            "Test",
            "Test/Unit",
            "Test/Lint",
            "Release",
            "Release/Package",
            "Release/Lint",
            "Cells",
            "Cells/Compile",
            "Deploy"
        ]
    );
}

#[test]
fn no_flags_run_everything() {
    let f = filter(None, &[], None).unwrap();
    assert_eq!(f.decide(&["Build"]), Decision::Run);
    assert_eq!(f.decide(&["Release", "Lint"]), Decision::Run);
}

#[test]
fn stage_selects_one_nested_stage_and_its_parents() {
    let f = filter(Some("Release/Package"), &[], None).unwrap();
    assert_eq!(f.decide(&["Build"]), skip("--stage \"Release/Package\""));
    assert_eq!(f.decide(&["Test"]), skip("--stage \"Release/Package\""));
    assert_eq!(f.decide(&["Release"]), Decision::RunAsAncestor);
    assert_eq!(f.decide(&["Release", "Package"]), Decision::Run);
    assert_eq!(
        f.decide(&["Release", "Lint"]),
        skip("--stage \"Release/Package\"")
    );
    assert_eq!(
        f.decide(&["Deploy"]).skip_line("Deploy").unwrap(),
        "Stage \"Deploy\" skipped due to --stage \"Release/Package\""
    );
}

#[test]
fn a_unique_name_needs_no_path_and_a_parent_runs_its_children() {
    let f = filter(Some("Unit"), &[], None).unwrap();
    assert_eq!(f.decide(&["Test"]), Decision::RunAsAncestor);
    assert_eq!(f.decide(&["Test", "Unit"]), Decision::Run);
    assert_eq!(f.decide(&["Test", "Lint"]), skip("--stage \"Test/Unit\""));
    let f = filter(Some("Test"), &[], None).unwrap();
    assert_eq!(f.decide(&["Test", "Lint"]), Decision::Run);
}

#[test]
fn matrix_cells_are_under_their_matrix_stage() {
    let f = filter(Some("Compile"), &[], None).unwrap();
    assert_eq!(f.decide(&["Cells"]), Decision::RunAsAncestor);
    assert_eq!(
        f.decide(&["Cells", "Matrix - OS = 'linux'", "Compile"]),
        Decision::Run
    );
}

#[test]
fn skip_stage_is_repeatable_and_covers_children() {
    let f = filter(None, &["Test", "Deploy"], None).unwrap();
    assert_eq!(f.decide(&["Build"]), Decision::Run);
    assert_eq!(f.decide(&["Test"]), skip("--skip-stage \"Test\""));
    assert_eq!(f.decide(&["Test", "Unit"]), skip("--skip-stage \"Test\""));
    assert_eq!(f.decide(&["Deploy"]), skip("--skip-stage \"Deploy\""));
}

#[test]
fn from_stage_skips_what_comes_before() {
    let f = filter(None, &[], Some("Release/Lint")).unwrap();
    assert_eq!(f.decide(&["Build"]), skip("--from-stage \"Release/Lint\""));
    assert_eq!(
        f.decide(&["Test", "Lint"]),
        skip("--from-stage \"Release/Lint\"")
    );
    assert_eq!(f.decide(&["Release"]), Decision::RunAsAncestor);
    assert_eq!(
        f.decide(&["Release", "Package"]),
        skip("--from-stage \"Release/Lint\"")
    );
    assert_eq!(f.decide(&["Release", "Lint"]), Decision::Run);
    assert_eq!(f.decide(&["Cells"]), Decision::Run);
    assert_eq!(f.decide(&["Deploy"]), Decision::Run);
}

#[test]
fn unknown_and_ambiguous_names_are_usage_errors() {
    assert_eq!(
        filter(Some("Deplyo"), &[], None).unwrap_err(),
        "--stage: there is no stage \"Deplyo\"; did you mean \"Deploy\"?"
    );
    assert_eq!(
        filter(None, &["Lint"], None).unwrap_err(),
        "--skip-stage \"Lint\" names several stages: Test/Lint, Release/Lint; give the full path"
    );
    let err = filter(None, &[], Some("zzz")).unwrap_err();
    assert!(
        err.starts_with("--from-stage: there is no stage \"zzz\" (stages: Build, Test"),
        "{err}"
    );
}
