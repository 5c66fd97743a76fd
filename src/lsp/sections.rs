//! What the Declarative sections, directives, `post` conditions and `when` conditions are for,
//! and where each may appear: the text of hover and the lists of completion. Written from
//! Jenkins' "Pipeline Syntax" reference; which option, trigger, parameter, tool and `when`
//! types exist comes from the model's catalogue, not from here.

/// A section or directive: its name, the blocks it may appear in, and its documentation.
pub struct Section {
    pub name: &'static str,
    pub parents: &'static [&'static str],
    pub doc: &'static str,
}

/// Every section and directive of a Declarative Pipeline.
pub static SECTIONS: &[Section] = &[
    Section {
        name: "pipeline",
        parents: &[""],
        doc: "The Declarative Pipeline: every section below lives inside this block.",
    },
    Section {
        name: "agent",
        parents: &["pipeline", "stage"],
        doc: "Where the Pipeline or stage runs: `any`, `none`, `label 'x'`, `docker { … }`, `dockerfile { … }`, `kubernetes { … }`. Required at the top level (`agent none` lets each stage choose).",
    },
    Section {
        name: "stages",
        parents: &["pipeline", "stage"],
        doc: "A sequence of one or more `stage` directives: the work of the Pipeline.",
    },
    Section {
        name: "stage",
        parents: &["stages", "parallel"],
        doc: "A named stage. It holds exactly one of `steps`, `stages`, `parallel` or `matrix`, and optionally `agent`, `environment`, `tools`, `options`, `when`, `input` and `post`.",
    },
    Section {
        name: "steps",
        parents: &["stage"],
        doc: "The steps a stage runs, in order.",
    },
    Section {
        name: "post",
        parents: &["pipeline", "stage", "matrix"],
        doc: "Steps run after the Pipeline or stage, by condition: `always`, `success`, `failure`, `unstable`, `changed`, `fixed`, `regression`, `aborted`, `unsuccessful`, `notBuilt`, `cleanup`.",
    },
    Section {
        name: "environment",
        parents: &["pipeline", "stage", "matrix"],
        doc: "Environment variables for all steps of the Pipeline or stage: `NAME = 'value'`, or `NAME = credentials('id')` to bind a credential.",
    },
    Section {
        name: "options",
        parents: &["pipeline", "stage", "matrix"],
        doc: "Job and stage options: `timeout(…)`, `retry(n)`, `timestamps()`, `buildDiscarder(…)`, `disableConcurrentBuilds()`, `skipDefaultCheckout()`.",
    },
    Section {
        name: "parameters",
        parents: &["pipeline", "input"],
        doc: "Build parameters the user gives when starting the build: `string`, `booleanParam`, `choice`, `text`, `password`. Read them as `params.NAME`.",
    },
    Section {
        name: "triggers",
        parents: &["pipeline"],
        doc: "What starts the Pipeline automatically: `cron`, `pollSCM`, `upstream`.",
    },
    Section {
        name: "tools",
        parents: &["pipeline", "stage", "matrix"],
        doc: "Tools to install and put on the `PATH`: `maven 'name'`, `jdk 'name'`, `gradle 'name'`.",
    },
    Section {
        name: "libraries",
        parents: &["pipeline"],
        doc: "Shared libraries to load: `lib('name@version')`.",
    },
    Section {
        name: "when",
        parents: &["stage"],
        doc: "Whether the stage runs: all conditions must hold. `beforeAgent true` evaluates them before entering the agent.",
    },
    Section {
        name: "input",
        parents: &["stage"],
        doc: "Pauses before the stage for a person to approve: `message`, `ok`, `submitter`, `parameters`.",
    },
    Section {
        name: "parallel",
        parents: &["stage"],
        doc: "Stages that run at the same time. `failFast true` aborts the others when one fails.",
    },
    Section {
        name: "matrix",
        parents: &["stage"],
        doc: "Runs its `stages` once per combination of `axes` values, minus `excludes`.",
    },
    Section {
        name: "axes",
        parents: &["matrix"],
        doc: "The matrix's dimensions: `axis { name 'OS'; values 'linux', 'mac' }`.",
    },
    Section {
        name: "axis",
        parents: &["axes"],
        doc: "One matrix dimension: a `name` and its `values`.",
    },
    Section {
        name: "excludes",
        parents: &["matrix"],
        doc: "Combinations of axis values the matrix skips: `exclude { axis { … } }`.",
    },
    Section {
        name: "failFast",
        parents: &["stage"],
        doc: "`failFast true`: when one parallel stage fails, abort the others.",
    },
    Section {
        name: "script",
        parents: &["steps"],
        doc: "A block of Scripted Pipeline (Groovy) inside a declarative stage.",
    },
];

/// The `post` conditions, with when each runs; the order is Jenkins' execution order.
pub static POST_DOCS: &[(&str, &str)] = &[
    ("always", "Runs whatever the build or stage result."),
    (
        "changed",
        "Runs when the result differs from the previous build's.",
    ),
    (
        "fixed",
        "Runs when this build succeeds and the previous one failed or was unstable.",
    ),
    (
        "regression",
        "Runs when this build fails, is unstable or aborted and the previous one succeeded.",
    ),
    (
        "aborted",
        "Runs when the build was aborted (usually by hand).",
    ),
    ("success", "Runs when the build or stage succeeded."),
    (
        "unsuccessful",
        "Runs when the result is anything but success.",
    ),
    (
        "unstable",
        "Runs when the result is unstable (test failures, quality gates).",
    ),
    ("failure", "Runs when the build or stage failed."),
    (
        "notBuilt",
        "Runs when the result is not built (a stage skipped by `when`).",
    ),
    (
        "cleanup",
        "Runs after every other `post` condition, whatever the result.",
    ),
];

/// What each built-in `when` condition tests.
pub static WHEN_DOCS: &[(&str, &str)] = &[
    ("allOf", "All nested conditions hold."),
    ("anyOf", "At least one nested condition holds."),
    ("not", "The nested condition does not hold."),
    (
        "branch",
        "The branch being built matches the pattern (multibranch jobs; `BRANCH_NAME`).",
    ),
    (
        "buildingTag",
        "The build is building a tag (`TAG_NAME` is set).",
    ),
    ("tag", "The tag being built matches the pattern."),
    (
        "changelog",
        "A commit message of the build's changelog matches the regular expression.",
    ),
    (
        "changeset",
        "A file changed by the build's commits matches the pattern.",
    ),
    (
        "changeRequest",
        "The build is for a change request (pull request), optionally matching its attributes.",
    ),
    (
        "environment",
        "An environment variable has the given value: `environment name: 'X', value: 'y'`.",
    ),
    (
        "equals",
        "Two values are equal: `equals expected: 2, actual: currentBuild.number`.",
    ),
    (
        "expression",
        "A Groovy expression is truthy: `expression { return params.DEPLOY }`.",
    ),
    (
        "triggeredBy",
        "The build was started by the given cause (`'TimerTrigger'`, `'UserIdCause'`).",
    ),
    (
        "beforeAgent",
        "`beforeAgent true`: evaluate `when` before entering the stage's agent.",
    ),
    (
        "beforeInput",
        "`beforeInput true`: evaluate `when` before the stage's `input`.",
    ),
    (
        "beforeOptions",
        "`beforeOptions true`: evaluate `when` before the stage's `options`.",
    ),
];

/// The section called `name`.
#[must_use]
pub fn section(name: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.name == name)
}

/// The documentation of a post condition.
#[must_use]
pub fn post_doc(name: &str) -> Option<&'static str> {
    POST_DOCS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

/// The documentation of a `when` condition.
#[must_use]
pub fn when_doc(name: &str) -> Option<&'static str> {
    WHEN_DOCS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::{POST_DOCS, post_doc, section};
    use crate::model::pipeline::POST_CONDITIONS;

    #[test]
    fn every_post_condition_is_documented_in_jenkins_order() {
        let names: Vec<&str> = POST_DOCS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, POST_CONDITIONS);
        assert!(post_doc("cleanup").is_some());
        assert_eq!(section("steps").map(|s| s.parents), Some(&["stage"][..]));
    }
}
