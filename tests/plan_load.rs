//! `load` in `jenkinsfile plan`: a file of the working tree is evaluated, so what it runs at
//! load time and what its methods run when called are planned; a file that is not there is a
//! run-time value with a note.

use crate::plan::{plan, stub_path};

#[test]
fn a_loaded_file_of_the_tree_is_planned_and_an_absent_one_is_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(work.join("ci")).unwrap();
    std::fs::write(
        work.join("ci/helper.groovy"),
        "echo 'helper loaded'\ndef deploy(where) {\n    sh \"./deploy.sh ${where}\"\n}\nreturn this\n",
    )
    .unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n    def h = load 'ci/helper.groovy'\n    h.deploy('prod')\n    def g = load 'ci/generated.groovy'\n    g.run()\n}\n",
    )
    .unwrap();
    let text = plan(&work, "Jenkinsfile", "text", &[], &stub_path(tmp.path()));
    let expected = "\
Plan for Jenkinsfile (scripted)
load#1 path: ci/helper.groovy → <result of load#1>
    note: ci/helper.groovy is evaluated: the steps it runs follow
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
