//! One fixture (`fixtures/lint/formats.Jenkinsfile`) rendered in every output format and
//! snapshotted, plus the SARIF document checked against the required properties of the SARIF
//! 2.1.0 schema and the JSON document against its documented shape.

use std::path::Path;

use jenkinsfile::diagnostic::{Diagnostic, RenderStyle};
use jenkinsfile::lint::format::{FileReport, github, human, json, sarif};
use jenkinsfile::lint::{self, LintOptions, RULES};
use jenkinsfile::source::SourceFile;
use serde_json::Value;

const FIXTURE: &str = "fixtures/lint/formats.Jenkinsfile";

fn fixture() -> (SourceFile, Vec<Diagnostic>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let source = SourceFile::new(FIXTURE, std::fs::read_to_string(path).unwrap());
    let diags = lint::check(&source, &LintOptions::default());
    (source, diags)
}

#[test]
fn every_format_renders_the_fixture() {
    let (source, diags) = fixture();
    assert_eq!(diags.len(), 3, "{diags:#?}");
    let reports = [FileReport {
        source: &source,
        diagnostics: &diags,
    }];
    insta::assert_snapshot!("human", human::render(&reports, RenderStyle::PLAIN));
    insta::assert_snapshot!("json", json::render(&reports));
    insta::assert_snapshot!("sarif", sarif::render(&reports));
    insta::assert_snapshot!("github", github::render(&reports));
}

/// Fails with the JSON path of every required property that is missing.
fn require(value: &Value, path: &str, keys: &[&str], problems: &mut Vec<String>) {
    for key in keys {
        if value.get(key).is_none() {
            problems.push(format!("{path}: missing required `{key}`"));
        }
    }
}

fn message(value: &Value, path: &str, problems: &mut Vec<String>) {
    if value.get("text").and_then(Value::as_str).is_none() && value.get("id").is_none() {
        problems.push(format!("{path}: a message needs `text` or `id`"));
    }
}

fn region(value: &Value, path: &str, problems: &mut Vec<String>) {
    let positive = |k: &str| value.get(k).and_then(Value::as_u64).is_none_or(|n| n >= 1);
    for k in ["startLine", "startColumn", "endLine", "endColumn"] {
        if !positive(k) {
            problems.push(format!("{path}.{k}: must be at least 1"));
        }
    }
    if value.get("startLine").is_none() && value.get("byteOffset").is_none() {
        problems.push(format!("{path}: a region needs `startLine` or an offset"));
    }
}

fn physical(value: &Value, path: &str, problems: &mut Vec<String>) {
    require(value, path, &["artifactLocation"], problems);
    if value["artifactLocation"]["uri"].as_str().is_none() {
        problems.push(format!("{path}.artifactLocation.uri: not a string"));
    }
    region(&value["region"], &format!("{path}.region"), problems);
}

/// The required properties of SARIF 2.1.0 (sarif-schema-2.1.0.json) for the objects we write.
#[test]
fn sarif_has_the_shape_the_schema_requires() {
    let (source, diags) = fixture();
    let reports = [FileReport {
        source: &source,
        diagnostics: &diags,
    }];
    let log: Value = serde_json::from_str(&sarif::render(&reports)).unwrap();
    let mut problems = Vec::new();
    require(&log, "$", &["version", "runs"], &mut problems);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &log["runs"][0];
    require(run, "runs[0]", &["tool"], &mut problems);
    require(&run["tool"], "tool", &["driver"], &mut problems);
    let driver = &run["tool"]["driver"];
    require(driver, "driver", &["name"], &mut problems);
    let rules = driver["rules"].as_array().unwrap();
    for (i, rule) in rules.iter().enumerate() {
        let path = format!("rules[{i}]");
        require(rule, &path, &["id"], &mut problems);
        for key in ["shortDescription", "fullDescription", "help"] {
            if let Some(text) = rule.get(key) {
                message(text, &format!("{path}.{key}"), &mut problems);
            }
        }
    }
    for rule in RULES {
        let entry = rules.iter().find(|r| r["id"] == rule.code).unwrap();
        assert!(entry["help"]["text"].as_str().unwrap().contains("## Why"));
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    for (i, result) in results.iter().enumerate() {
        let path = format!("results[{i}]");
        require(result, &path, &["message"], &mut problems);
        message(&result["message"], &path, &mut problems);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        for (j, location) in result["locations"].as_array().unwrap().iter().enumerate() {
            physical(
                &location["physicalLocation"],
                &format!("{path}.locations[{j}]"),
                &mut problems,
            );
        }
        for fix in result
            .get("fixes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            require(fix, &path, &["artifactChanges"], &mut problems);
            for change in fix["artifactChanges"].as_array().unwrap() {
                require(
                    change,
                    &path,
                    &["artifactLocation", "replacements"],
                    &mut problems,
                );
                for replacement in change["replacements"].as_array().unwrap() {
                    require(replacement, &path, &["deletedRegion"], &mut problems);
                    region(&replacement["deletedRegion"], &path, &mut problems);
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn json_positions_count_characters_and_bytes() {
    let (source, diags) = fixture();
    let reports = [FileReport {
        source: &source,
        diagnostics: &diags,
    }];
    let doc: Value = serde_json::from_str(&json::render(&reports)).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["warnings"], 3);
    for entry in doc["diagnostics"].as_array().unwrap() {
        let start = &entry["range"]["start"];
        let offset = start["offset"].as_u64().unwrap() as usize;
        let lc = source.line_col(offset);
        assert_eq!(start["line"].as_u64().unwrap() as usize, lc.line);
        assert_eq!(start["column"].as_u64().unwrap() as usize, lc.column);
    }
}
