use indexmap::IndexMap;
use serde_json::{Value, json};

use super::{ParamDef, ParamKind, definitions, env_strings, given, read_params_file, resolve};
use crate::source::SourceFile;

fn defs_of(text: &str) -> super::Definitions {
    let source = SourceFile::new("Jenkinsfile", text.to_owned());
    let file = crate::syntax::parse(&source).expect("parses");
    let (pipeline, diags) = crate::model::build(&file, &source);
    assert!(diags.is_empty(), "{diags:?}");
    definitions(&pipeline.expect("declarative"))
}

const ALL: &str = r"pipeline {
    agent any
    parameters {
        string(name: 'TARGET', defaultValue: 'staging', description: 'where')
        string(name: 'PADDED', defaultValue: '  x  ', trim: true)
        text(name: 'NOTES')
        booleanParam(name: 'DRY_RUN', defaultValue: true)
        booleanParam(name: 'FAST')
        choice(name: 'ENV', choices: ['dev', 'qa', 'prod'])
        choice(name: 'OLD', choices: 'one\ntwo')
        password(name: 'PASS', defaultValue: 's3cret')
        file(name: 'UPLOAD')
    }
    stages { stage('a') { steps { echo 'x' } } }
}";

fn cli(pairs: &[(&str, &str)]) -> IndexMap<String, Value> {
    given(
        IndexMap::new(),
        &pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>(),
    )
}

#[test]
fn every_builtin_type_has_jenkins_default() {
    let defs = defs_of(ALL);
    let resolved = resolve(Some(&defs.defs), &IndexMap::new(), "job").unwrap();
    assert_eq!(
        Value::Object(resolved.values.into_iter().collect()),
        json!({
            "TARGET": "staging",
            "PADDED": "x",
            "NOTES": "",
            "DRY_RUN": true,
            "FAST": false,
            "ENV": "dev",
            "OLD": "one",
            "PASS": "s3cret",
        })
    );
    assert_eq!(resolved.secrets, vec!["s3cret".to_owned()]);
    assert_eq!(resolved.secret_names, vec!["PASS".to_owned()]);
    assert_eq!(
        defs.notes,
        vec!["unsupported: file parameter `UPLOAD` has no value locally".to_owned()]
    );
}

#[test]
fn given_values_are_checked_against_types() {
    let defs = defs_of(ALL).defs;
    let ok = resolve(
        Some(&defs),
        &cli(&[("DRY_RUN", "FALSE"), ("ENV", "prod"), ("PADDED", " y ")]),
        "job",
    )
    .unwrap();
    assert_eq!(ok.values["DRY_RUN"], json!(false));
    assert_eq!(ok.values["ENV"], json!("prod"));
    assert_eq!(ok.values["PADDED"], json!("y"));

    let err = resolve(Some(&defs), &cli(&[("ENV", "staging")]), "job").unwrap_err();
    assert_eq!(
        err.0,
        "Illegal choice for parameter ENV: staging (the choices are: dev, qa, prod)"
    );
    let err = resolve(Some(&defs), &cli(&[("DRY_RUN", "yes")]), "job").unwrap_err();
    assert_eq!(
        err.0,
        "parameter `DRY_RUN` is a booleanParam: expected `true` or `false`, got `yes`"
    );
    let err = resolve(Some(&defs), &cli(&[("UPLOAD", "f.txt")]), "job").unwrap_err();
    assert!(
        err.0.starts_with("unsupported: parameter `UPLOAD`"),
        "{err}"
    );
}

#[test]
fn unknown_names_are_skipped_with_jenkins_warning() {
    let defs = defs_of(ALL).defs;
    let resolved = resolve(Some(&defs), &cli(&[("NOPE", "1")]), "team/demo").unwrap();
    assert!(!resolved.values.contains_key("NOPE"));
    assert_eq!(
        resolved.warnings,
        vec!["Skipped parameter `NOPE` as it is undefined on `team/demo`.".to_owned()]
    );
}

#[test]
fn without_definitions_everything_given_is_kept() {
    let resolved = resolve(None, &cli(&[("A", "1"), ("B", "x")]), "job").unwrap();
    assert_eq!(resolved.values["A"], json!("1"));
    assert_eq!(resolved.values["B"], json!("x"));
    assert!(resolved.warnings.is_empty());
}

#[test]
fn non_constant_arguments_are_noted() {
    let defs = defs_of(
        r#"pipeline {
    agent any
    parameters { string(name: 'X', defaultValue: "${env.HOME}") }
    stages { stage('a') { steps { echo 'x' } } }
}"#,
    );
    assert_eq!(defs.defs[0].default, json!(""));
    assert_eq!(
        defs.notes,
        vec!["parameter string: `defaultValue` is not a constant and is not evaluated locally; pass the value with -p".to_owned()]
    );
}

#[test]
fn from_call_reads_evaluated_symbol_arguments() {
    let args = json!({"name": "N", "choices": ["a", "b"]});
    let def = ParamDef::from_call("choice", args.as_object().unwrap()).unwrap();
    assert_eq!(def.kind, ParamKind::Choice(vec!["a".into(), "b".into()]));
    assert_eq!(def.default, json!("a"));
    let err = ParamDef::from_call("string", json!({}).as_object().unwrap()).unwrap_err();
    assert_eq!(err, "`string` parameter without a `name`");
}

#[test]
fn environment_form_is_text() {
    let values: IndexMap<String, Value> = [
        ("B".to_owned(), json!(true)),
        ("N".to_owned(), json!(3)),
        ("S".to_owned(), json!("s")),
        ("Z".to_owned(), Value::Null),
    ]
    .into_iter()
    .collect();
    let env = env_strings(&values);
    assert_eq!(env.len(), 3);
    assert_eq!(env["B"], "true");
    assert_eq!(env["N"], "3");
}

#[test]
fn params_files_in_json_and_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("p.json");
    std::fs::write(&json_file, r#"{"ENV": "qa", "DRY_RUN": false}"#).unwrap();
    let values = read_params_file(&json_file).unwrap();
    assert_eq!(values["ENV"], json!("qa"));
    assert_eq!(values["DRY_RUN"], json!(false));

    let yaml_file = dir.path().join("p.yaml");
    std::fs::write(&yaml_file, "ENV: prod\nDRY_RUN: true\nCOUNT: 3\n").unwrap();
    let values = read_params_file(&yaml_file).unwrap();
    assert_eq!(
        values.keys().collect::<Vec<_>>(),
        ["ENV", "DRY_RUN", "COUNT"]
    );
    assert_eq!(values["DRY_RUN"], json!(true));

    // No telling extension: JSON first, then YAML.
    let plain = dir.path().join("params");
    std::fs::write(&plain, "ENV: dev\n").unwrap();
    assert_eq!(read_params_file(&plain).unwrap()["ENV"], json!("dev"));

    let list = dir.path().join("l.yml");
    std::fs::write(&list, "- a\n- b\n").unwrap();
    let err = read_params_file(&list).unwrap_err();
    assert!(
        err.0
            .ends_with("expected a mapping of parameter names to values, got a list")
    );

    // The file's booleans are checked like the command line's text.
    let defs = defs_of(ALL).defs;
    let given = given(
        read_params_file(&yaml_file).unwrap(),
        &[("ENV".to_owned(), "qa".to_owned())],
    );
    let resolved = resolve(Some(&defs), &given, "job").unwrap();
    assert_eq!(resolved.values["ENV"], json!("qa"));
    assert_eq!(resolved.values["DRY_RUN"], json!(true));
    assert_eq!(resolved.warnings.len(), 1);
}
