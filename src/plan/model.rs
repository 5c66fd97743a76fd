//! The plan as data: the stable shape `--format json` prints (schema `jenkinsfile-plan/1`,
//! documented in the README) and the text and mermaid renderers read. Field names and meanings
//! only ever grow; a change that removes or renames one bumps the schema.

use serde::Serialize;
use serde_json::Map;

/// The schema name and version in every JSON plan.
pub const SCHEMA: &str = "jenkinsfile-plan/1";

/// A whole plan.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Plan {
    pub schema: &'static str,
    /// The Jenkinsfile, as given on the command line.
    pub file: String,
    /// `declarative` or `scripted`.
    pub kind: &'static str,
    /// What the plan was made for: `BRANCH_NAME`, `TAG_NAME`, `CHANGE_ID`, parameters.
    pub inputs: Inputs,
    pub agent: Option<AgentInfo>,
    pub environment: Vec<EnvEntry>,
    pub options: Vec<String>,
    pub stages: Vec<Stage>,
    /// Steps outside any stage (scripted code, `node` bodies).
    pub steps: Vec<Step>,
    pub post: Vec<PostBlock>,
    /// Every credential the plan met, by id, with how it is used. Never a value.
    pub credentials: Vec<CredentialUse>,
    /// `SUCCESS` when nothing planned fails; else the result a run would end with.
    pub result: String,
    /// Why the build would fail, if it would (an `error` step, a missing workspace, …).
    pub errors: Vec<String>,
    /// Results the build could end with instead of `result` (a `currentBuild.result` set
    /// from a run-time value or on a side that may not run), each with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub could_be: Vec<PossibleResult>,
    /// Names the Jenkinsfile uses but never defines (a shared library's variables, job
    /// parameters, an agent's variables): planned as run-time values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<String>,
    /// True when stages come from a static scan (a scripted pipeline whose evaluation failed).
    pub approximate: bool,
    /// `--check` only: what the build needs and whether it is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Vec<super::check::Item>>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Inputs {
    pub branch: Option<String>,
    pub tag: Option<String>,
    pub change_request: Option<String>,
    pub params: Map<String, serde_json::Value>,
    /// The stage selection, as given: `--stage "Build" --skip-stage "Lint"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
}

/// A stage, a parallel branch or a matrix cell.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stage {
    pub name: String,
    /// `stage`, `branch` (a scripted `parallel` branch), `matrix-cell`, or `parallel` (the
    /// branches of a scripted `parallel` outside any stage).
    pub kind: &'static str,
    /// `planned` or `skipped`.
    pub status: &'static str,
    /// Jenkins' console reason for a skip: `when conditional`, `earlier failure(s)`, …; a
    /// stage inside a skipped one has that one's reason.
    pub reason: Option<String>,
    /// Set when the stage could run or not depending on a run-time value: what it depends
    /// on (a `when expression` on `<stdout of sh#1>`), or the condition a scripted stage is
    /// entered under (`if <stdout of sh#2> is true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional: Option<String>,
    /// The stage's own result, as planned (`SUCCESS`, `FAILURE`, `NOT_BUILT` when skipped).
    #[serde(skip)]
    pub result: String,
    /// Each `when` condition that was evaluated, in order, with its outcome.
    pub when: Vec<WhenCheck>,
    pub agent: Option<AgentInfo>,
    pub environment: Vec<EnvEntry>,
    pub options: Vec<String>,
    pub post: Vec<PostBlock>,
    /// Whether `stages` run in parallel (parallel branches, matrix cells).
    pub parallel: bool,
    pub steps: Vec<Step>,
    pub stages: Vec<Stage>,
}

/// One `when` condition and what decided it.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct WhenCheck {
    /// The condition as written: `branch 'main'`.
    pub condition: String,
    /// Whether it held; `null` when it rests on a run-time value (`depends`): then the stage
    /// could run or not, and is planned as if it ran.
    pub holds: Option<bool>,
    /// The value that decided it: `BRANCH_NAME is 'feature/x'`.
    pub detail: String,
    /// The run-time values it rests on (`<stdout of sh#1>`): then it "could run" (`holds` is
    /// null, and the stage is planned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends: Option<String>,
}

/// An agent: `any`, `none`, `label`, `docker`, `dockerfile`, `kubernetes`, ….
#[derive(Clone, Debug, Default, Serialize)]
pub struct AgentInfo {
    pub kind: String,
    /// The agent block as written.
    pub text: String,
    pub image: Option<String>,
    pub dockerfile: Option<String>,
    /// A docker agent's `registryUrl`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_url: Option<String>,
    /// A docker agent's `registryCredentialsId`, when given (an id, never a value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_credentials_id: Option<String>,
    /// A kubernetes agent's pod `yaml`, as written (its lines and indentation kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yaml: Option<String>,
}

/// A variable of an `environment {}` block after evaluation.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EnvEntry {
    pub name: String,
    /// The value; `****` for a credential.
    pub value: String,
    pub credential: Option<CredentialRef>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct CredentialRef {
    pub id: String,
    /// The store's type name (`usernamePassword`), or the type the binding expects.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Where a credential is used.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CredentialUse {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `environment` or the binding (`withCredentials usernamePassword`).
    pub via: String,
    /// The variables it binds, each `****` in the plan.
    pub variables: Vec<String>,
    pub stage: Option<String>,
}

/// A result the build could end with instead of the planned one.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PossibleResult {
    /// `UNSTABLE`, `FAILURE`, …; `None` when the value is only known at run time.
    pub result: Option<String>,
    /// What would make it so: `currentBuild.result set from <…>`.
    pub because: String,
}

/// A `post` condition block and whether this plan predicts it runs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PostBlock {
    pub condition: String,
    /// `yes`, `no`, or `maybe` (`changed`, `fixed`, `regression` depend on the previous build;
    /// `failure`, `unsuccessful`, `unstable` on whether a planned step fails).
    pub runs: &'static str,
    /// Why, when it is not the build's result: `if a planned step fails`, `the stage is
    /// skipped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One planned step.
#[derive(Clone, Debug, Default, Serialize)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent facts of the JSON schema, each a plain flag there"
)]
pub struct Step {
    /// The step's number in planning order (`sh#3`).
    pub id: u32,
    pub name: String,
    /// Arguments by parameter name, after interpolation. Credentials appear as `****`.
    pub args: Map<String, serde_json::Value>,
    /// False for the steps the plan ran for real (`echo`, `readFile`, `fileExists`, …).
    pub effect: bool,
    /// True for a step with a body (its inner steps follow it).
    pub block: bool,
    /// The run-time value this step depends on: `if <stdout of sh#3> is true`.
    pub conditional: Option<String>,
    /// The symbolic value it returns: `<stdout of sh#3>`.
    pub returns: Option<String>,
    /// The directory it runs in, relative to the workspace, when not the workspace itself;
    /// absolute when outside the workspace (`dir('/opt/x')`); a run-time directory shows
    /// its placeholder (`<stdout of sh#2>`).
    pub dir: Option<String>,
    /// Whether `dir` is outside the workspace.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub outside_workspace: bool,
    /// Whether it belongs to a `post` block.
    pub post: bool,
    /// The `post` condition it runs under (`always`, `failure`, …), when it is a post step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_condition: Option<String>,
    /// What the plan could not be sure of about this step: `read from the working tree;
    /// sh#2 runs before it and may change it`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The id of the planned block step it runs inside (`withCredentials`, `sshagent`, …).
    pub parent: Option<u32>,
    /// Set for a step the plan does not know (a shared library's or a plugin's): what that
    /// means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    /// The `PATH` it runs with, when the pipeline changed it (`environment`, `withEnv`,
    /// `PATH+X`): where `--check` looks its tools up.
    #[serde(skip)]
    pub path: Option<String>,
}
