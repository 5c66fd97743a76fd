//! `load` in `jenkinsfile plan`: a file of the working tree is evaluated, so what it runs at
//! load time is planned under the `load` (text: indented; JSON: `parent` is the load's id)
//! and what its methods run when called is planned where they are called; a file that is
//! not there is a run-time value with a note.

use serde_json::Value as Json;

use crate::plan::{plan, stub_path};

/// These folders are not repositories: the plan works in the folder itself, as `run
/// --in-place` does (the job's workspace would hold none of its files).
fn in_place() -> Vec<String> {
    vec!["--in-place".to_owned()]
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = tmp.path().join("work").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

#[test]
fn a_loaded_file_of_the_tree_is_planned_and_an_absent_one_is_noted() {
    let tmp = tree(&[
        (
            "ci/helper.groovy",
            "echo 'helper loaded'\ndef deploy(where) {\n    sh \"./deploy.sh ${where}\"\n}\nreturn this\n",
        ),
        (
            "Jenkinsfile",
            "node {\n    def h = load 'ci/helper.groovy'\n    h.deploy('prod')\n    def g = load 'ci/generated.groovy'\n    g.run()\n}\n",
        ),
    ]);
    let work = tmp.path().join("work");
    let text = plan(
        &work,
        "Jenkinsfile",
        "text",
        &in_place(),
        &stub_path(tmp.path()),
    );
    let expected = "\
Plan for Jenkinsfile (scripted)
load#1 path: ci/helper.groovy → <result of load#1>
    note: ci/helper.groovy is evaluated: the steps it runs as it loads are under it
  echo#2 message: helper loaded (ran: no effect)
sh#3
    $ ./deploy.sh prod
load#4 path: ci/generated.groovy → <result of load#4>
    note: ci/generated.groovy is not in the working tree (a planned step may write it): not planned inside; its result is a run-time value
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text, expected);
}

const NESTED: &[(&str, &str)] = &[
    (
        "ci/utils.groovy",
        "echo 'utils loading'\nhelpers = load 'ci/helpers.groovy'\ndef build() {\n    sh 'make'\n}\nreturn this\n",
    ),
    (
        "ci/helpers.groovy",
        "sh 'make prepare'\ndef tag() { echo 'tag' }\nreturn this\n",
    ),
    (
        "Jenkinsfile",
        "node {\n    utils = load 'ci/utils.groovy'\n    utils.build()\n    utils.helpers.tag()\n}\n",
    ),
];

#[test]
fn a_nested_load_is_planned_under_the_load_that_runs_it() {
    let tmp = tree(NESTED);
    let work = tmp.path().join("work");
    let text = plan(
        &work,
        "Jenkinsfile",
        "text",
        &in_place(),
        &stub_path(tmp.path()),
    );
    let expected = "\
Plan for Jenkinsfile (scripted)
load#1 path: ci/utils.groovy → <result of load#1>
    note: ci/utils.groovy is evaluated: the steps it runs as it loads are under it
  echo#2 message: utils loading (ran: no effect)
  load#3 path: ci/helpers.groovy → <result of load#3>
      note: ci/helpers.groovy is evaluated: the steps it runs as it loads are under it
    sh#4
        $ make prepare
sh#5
    $ make
echo#6 message: tag (ran: no effect)
Result: SUCCESS
--- exit 0 ---
";
    assert_eq!(text, expected);
}

#[test]
fn in_json_the_loaded_files_steps_have_the_load_as_parent() {
    let tmp = tree(NESTED);
    let work = tmp.path().join("work");
    let text = plan(
        &work,
        "Jenkinsfile",
        "json",
        &in_place(),
        &stub_path(tmp.path()),
    );
    let json = text.split("--- exit").next().unwrap();
    let plan: Json = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {text}"));
    let steps = steps_of(&plan);
    let parents: Vec<(String, Json)> = steps
        .iter()
        .map(|s| {
            (
                format!("{}#{}", s["name"].as_str().unwrap(), s["id"]),
                s["parent"].clone(),
            )
        })
        .collect();
    assert_eq!(
        parents,
        [
            ("load#1".to_string(), Json::Null),
            ("echo#2".to_string(), Json::from(1)),
            ("load#3".to_string(), Json::from(1)),
            ("sh#4".to_string(), Json::from(3)),
            ("sh#5".to_string(), Json::Null),
            ("echo#6".to_string(), Json::Null),
        ],
        "{text}"
    );
}

/// Every step of the plan, in order, wherever the JSON keeps them.
fn steps_of(plan: &Json) -> Vec<Json> {
    let mut out = Vec::new();
    collect(plan, &mut out);
    out
}

fn collect(v: &Json, out: &mut Vec<Json>) {
    match v {
        Json::Object(m) => {
            if m.contains_key("id") && m.contains_key("name") && m.contains_key("effect") {
                out.push(v.clone());
                return;
            }
            m.values().for_each(|x| collect(x, out));
        }
        Json::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

#[test]
fn a_loaded_file_that_does_not_parse_fails_the_plan_there() {
    let tmp = tree(&[
        ("ci/broken.groovy", "def x( {\n"),
        (
            "Jenkinsfile",
            "node {\n    load 'ci/broken.groovy'\n    echo 'after'\n}\n",
        ),
    ]);
    let work = tmp.path().join("work");
    let text = plan(
        &work,
        "Jenkinsfile",
        "text",
        &in_place(),
        &stub_path(tmp.path()),
    );
    assert!(
        text.contains("ci/broken.groovy does not parse, the run fails here"),
        "{text}"
    );
    assert!(
        text.contains("MultipleCompilationErrorsException"),
        "{text}"
    );
    assert!(text.contains("Result: FAILURE"), "{text}");
    assert!(!text.contains("after"), "{text}");
}
