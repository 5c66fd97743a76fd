//! Every snapshot belongs to a fixture that still exists, and none is left pending. This is the
//! check `cargo insta test --unreferenced reject` makes, without needing cargo-insta installed.

use std::path::Path;

/// Which fixture folder each snapshotting test reads.
const GLOBS: &[(&str, &str)] = &[
    (
        "integration__parse_ast__valid_fixtures_parse_to_the_expected_tree@",
        "fixtures/parse/valid",
    ),
    (
        "integration__parse_errors__invalid_fixtures_report_a_readable_error@",
        "fixtures/parse/invalid",
    ),
    (
        "integration__lint__invalid_fixtures_are_flagged@",
        "fixtures/lint",
    ),
    (
        "integration__lint__valid_fixtures_snapshot_as_clean_reports@",
        "fixtures/lint",
    ),
    (
        "integration__model_fixtures__invalid_fixtures_report_every_problem@",
        "fixtures/model/invalid",
    ),
    // insta names a globbed `case/Jenkinsfile` as `case__Jenkinsfile`.
    ("integration__run_golden__console_logs@", "fixtures/run"),
    ("integration__scm_golden__console_logs@", "fixtures/scm"),
    (
        "integration__creds_golden__binding_console_logs@",
        "fixtures/creds/bindings",
    ),
    ("integration__plan__text_plans@", "fixtures/plan"),
    ("integration__plan__json_plans@", "fixtures/plan"),
    ("integration__plan__mermaid_plans@", "fixtures/plan"),
];

/// Snapshots that are not per fixture, by full name.
const NAMED: &[&str] = &[
    "integration__lint_formats__human",
    "integration__lint_formats__json",
    "integration__lint_formats__sarif",
    "integration__lint_formats__github",
    "integration__steps_cli__steps_sh",
    "integration__creds_cli__check_lists_uses_without_resolving",
    "integration__creds_cli__check_resolve_reports_what_does_not_resolve",
    "integration__stdlib_corpus__real_world_argument_findings",
    "integration__stdlib_corpus__conformance_valid_argument_findings",
    "integration__plan__seed_ci_text",
    "integration__plan__seed_ci_json",
    "integration__plan__seed_ci_mermaid",
    "integration__plan__seed_cd_text",
    "integration__plan__seed_cd_json",
    "integration__plan__seed_cd_mermaid",
];

#[test]
fn every_snapshot_has_its_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    let entries = std::fs::read_dir(root.join("tests/snapshots")).expect("tests/snapshots exists");
    for entry in entries {
        let name = entry.expect("readable entry").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
            problems.push(format!(
                "{name}: a pending snapshot; review it and rename or delete it"
            ));
            continue;
        }
        let Some(stem) = name.strip_suffix(".snap") else {
            problems.push(format!("{name}: not a snapshot"));
            continue;
        };
        if NAMED.contains(&stem) {
            continue;
        }
        let fixture = GLOBS.iter().find_map(|(prefix, dir)| {
            // insta writes a fixture's subdirectories as `__`.
            stem.strip_prefix(prefix)
                .map(|f| root.join(dir).join(f.replace("__", "/")))
        });
        match fixture {
            Some(path) if path.is_file() => {}
            Some(path) => problems.push(format!("{name}: its fixture {} is gone", path.display())),
            None => problems.push(format!("{name}: no test writes snapshots with this name")),
        }
    }
    assert!(
        problems.is_empty(),
        "orphaned snapshots:\n{}",
        problems.join("\n")
    );
}
