//! Which steps a plan runs for real and what the others stand for. Pure steps (echo, the
//! readers, `fileExists`, …) run through the real executors, reading the working tree through
//! the overlay; a step with an effect is not run: its file changes go to the overlay and its
//! result is symbolic (`<stdout of sh#3>`).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value as Json};

use super::overlay::{Seen, normal};
use super::recorder::{Recorder, cwd, emitter, path_in};
use crate::eval::classes::json::from_json;
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::leaf::step_exception;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::source::Span;
use crate::steps::{self, Cancel, StepContext, outside_workspace};

/// Steps with no effect outside the plan: run for real.
const PURE: &[&str] = &[
    "echo",
    "error",
    "fileExists",
    "findFiles",
    "isUnix",
    "pwd",
    "readFile",
    "readJSON",
    "readProperties",
    "readYaml",
    "sha256",
    "tool",
];

/// Steps that return nothing (`null`), so their result is not symbolic.
const VOID: &[&str] = &[
    "archive",
    "archiveArtifacts",
    "cleanWs",
    "deleteDir",
    "echo",
    "emailext",
    "mail",
    "sleep",
    "stash",
    "touch",
    "unstash",
    "writeFile",
    "writeJSON",
    "writeYaml",
];

pub(super) fn is_pure(name: &str) -> bool {
    PURE.contains(&name)
}

/// A pure step that returns what it read (a file, the working directory, a tool's home):
/// the plan ran it for its value, so it says "read only" rather than "no effect".
pub(super) fn reads(name: &str) -> bool {
    is_pure(name) && !matches!(name, "echo" | "error")
}

/// The symbolic value a recorded step stands for (`stdout of sh#3`), if it returns one.
pub(super) fn symbolic(name: &str, named: &Map<String, Json>, id: u32) -> Option<String> {
    let flag = |key: &str| named.get(key).is_some_and(|v| v == &Json::Bool(true));
    match name {
        "sh" | "bat" | "powershell" | "pwsh" => {
            if flag("returnStdout") {
                Some(format!("stdout of {name}#{id}"))
            } else if flag("returnStatus") {
                Some(format!("status of {name}#{id}"))
            } else {
                None
            }
        }
        _ if VOID.contains(&name) => None,
        _ => Some(format!("result of {name}#{id}")),
    }
}

/// The overlay's share of a recorded step: the files it would write or delete.
pub(super) fn plan_effect(
    plan: &Recorder,
    name: &str,
    named: &Map<String, Json>,
    cwd: &Path,
    symbolic_text: Option<String>,
    id: u32,
) {
    let text = |key: &str| named.get(key).and_then(Json::as_str).map(str::to_string);
    let mut overlay = plan.overlay.borrow_mut();
    match name {
        "writeFile" => {
            if let (Some(file), Some(content)) = (text("file"), text("text")) {
                match symbolic_text {
                    Some(origin) => overlay.write_symbolic(&path_in(cwd, &file), content, origin),
                    None => overlay.write(&path_in(cwd, &file), content),
                }
            }
        }
        "writeJSON" => {
            if let (Some(file), Some(json)) = (text("file"), named.get("json")) {
                let content = serde_json::to_string(json).unwrap_or_default();
                overlay.write(&path_in(cwd, &file), content);
            }
        }
        "touch" => {
            if let Some(file) = text("file") {
                let path = path_in(cwd, &file);
                if overlay.get(&path) != Seen::Real || !path.exists() {
                    overlay.write(&path, String::new());
                }
            }
        }
        "deleteDir" => overlay.delete_dir(cwd, id),
        _ => {}
    }
}

/// Runs a pure step: through the overlay where it wrote, else the real executor.
pub(super) async fn run(
    plan: &Recorder,
    host: &PipelineHost,
    id: u32,
    name: &str,
    mut named: Map<String, Json>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    if name == "error"
        && let Some(c) = cx.dynamic.conditional.as_deref()
    {
        // An error on a branch that may not run is planned, not thrown: the build could
        // end in FAILURE.
        let message = named
            .get("message")
            .and_then(Json::as_str)
            .unwrap_or_default();
        plan.could_end(
            crate::report::BuildResult::Failure,
            format!("error '{message}' {c}"),
        );
        return Ok(Value::Null);
    }
    let dir = cwd(host, cx);
    let file = named
        .get("file")
        .and_then(Json::as_str)
        .map(|f| path_in(&dir, f));
    if let Some(shown) = named
        .get("file")
        .and_then(Json::as_str)
        .filter(|f| super::symbolic::holds_runtime_value(f))
    {
        // A path that is a run-time value (a `file` credential's variable, a step's output):
        // the plan cannot know which file it names.
        return Ok(Value::unknown(match name {
            "readFile" => format!("contents of {shown}"),
            "fileExists" => format!("whether {shown} exists"),
            _ => format!("{name} of {shown}"),
        }));
    }
    if let Some(symbol) = outside(plan, host, name, &named, &dir, file.as_deref()) {
        return Ok(Value::unknown(symbol));
    }
    if let Some(path) = &file {
        let mut seen = match plan.overlay.borrow().get(path) {
            Seen::Written(text) => Some(Some(text.to_string())),
            // A planned script or unpacking step after the `deleteDir` may make it again.
            Seen::Deleted { at } if plan.writer_before(id, path).is_some_and(|w| w.1 > at) => {
                return Ok(may_be_written(name, &named));
            }
            Seen::Deleted { .. } => Some(None),
            Seen::Real => None,
        };
        // An ignored file the checkout does not copy: the workspace has only what earlier
        // builds left there (nothing on a first build), whatever the working tree holds.
        let behind = seen.is_none() && plan.left_behind(path);
        if let Some(origin) = plan.overlay.borrow().symbolic(path)
            && name == "readFile"
        {
            return Ok(Value::unknown(origin.to_string()));
        }
        // Where the file is read from: the working tree, in a directory `checkout scm`
        // brought it to; else the workspace itself, as a run would find it.
        let real = if behind {
            normal(path)
        } else {
            plan.source_of(path)
        };
        if behind && !real.exists() {
            if plan.writer_before(id, path).is_some() {
                return Ok(may_be_written(name, &named));
            }
            seen = Some(None);
        }
        if seen.is_none() && !real.exists() && plan.effect_count() > 0 {
            // Not there now, but a planned step (an `sh`, a checkout) may make it.
            return Ok(may_be_written(name, &named));
        }
        if seen.is_none() && is_reader(name) && real.exists() && !real.is_file() && !real.is_dir() {
            // A FIFO, a socket, a device: opening one can block or never end. A plan reads
            // only regular files; what the run would read is a run-time value.
            let shown = named.get("file").and_then(Json::as_str).unwrap_or_default();
            plan.note_on(
                id,
                format!("{shown} is not a regular file: a plan does not read it"),
            );
            return Ok(Value::unknown(format!("{name} of {shown}")));
        }
        if seen.is_none()
            && let Some((writer, _)) = plan.writer_before(id, path)
        {
            // The file is in the working tree, but a planned `sh` in the same workspace runs
            // first and could rewrite it. The plan still reads it (so `sh 'npm ci'` then
            // `readJSON file: 'package.json'` keeps its version, branches and names: almost
            // always the script leaves the file alone), and says so on the step rather than
            // making every value built from it a run-time one.
            let shown = named.get("file").and_then(Json::as_str).unwrap_or_default();
            plan.note_on(
                id,
                format!(
                    "read from the working tree; {writer} runs before it and may change {shown}"
                ),
            );
        }
        if seen.is_none() && (behind || real != *path) {
            named.insert("file".into(), Json::String(real.display().to_string()));
        }
        match (name, seen) {
            ("fileExists", Some(text)) => return Ok(Value::Bool(text.is_some())),
            ("readFile", Some(Some(text))) => return Ok(Value::string(text)),
            ("sha256", Some(Some(text))) => return Ok(Value::string(sha256_hex(&text))),
            ("readJSON" | "readYaml" | "readProperties", Some(Some(text))) => {
                named.remove("file");
                named.insert("text".into(), Json::String(text));
            }
            (_, Some(None)) => {
                return Err(Flow::exception(
                    "java.nio.file.NoSuchFileException",
                    path.display().to_string(),
                )
                .at(span));
            }
            _ => {}
        }
    }
    if name == "findFiles" && plan.overlay.borrow().changes_under(&dir) {
        // Planned writes and deletions are not on disk: what a walk of the real tree finds is
        // not what the build would find.
        let glob = named.get("glob").and_then(Json::as_str).unwrap_or("**");
        return Ok(Value::unknown(format!(
            "files matching {glob} in {} after the planned file changes",
            dir.display()
        )));
    }
    let Some(exec) = steps::lookup(name) else {
        return Ok(Value::Null);
    };
    // The step reads the working tree, but what it shows is the workspace a run would be in:
    // `pwd` returns the workspace path and a message names the workspace's file.
    let real_dir = plan.source_of(&dir);
    let ctx = StepContext {
        cwd: if name == "pwd" {
            dir.clone()
        } else {
            real_dir.clone()
        },
        env: host.state.effective_env(&cx.dynamic),
        emit: emitter(host, cx),
        cancel: Cancel::new(),
        host: host.state.config.host.clone(),
        agent: None,
    };
    match exec(&ctx, named).await {
        Ok(Json::Array(found)) if name == "findFiles" => {
            // A walk of the working tree: keep what a checkout brings.
            let found = found
                .into_iter()
                .filter(|f| {
                    let relative = f.get("path").and_then(Json::as_str).unwrap_or_default();
                    !plan.left_behind(&dir.join(relative))
                })
                .collect();
            Ok(from_json(&Json::Array(found)))
        }
        Ok(v) => Ok(from_json(&v)),
        Err(mut e) => {
            // A file step's message names the workspace's file; `tool`'s names config files.
            if real_dir != dir && name != "tool" {
                e.message = e
                    .message
                    .replace(&real_dir.display().to_string(), &dir.display().to_string());
            }
            let ex = step_exception(&e);
            ex.span.set(Some(span));
            Err(Flow::Throw(ex))
        }
    }
}

/// What a read of a file that is not there now stands for, when a planned step may make it.
fn may_be_written(name: &str, named: &Map<String, Json>) -> Value {
    let shown = named.get("file").and_then(Json::as_str).unwrap_or_default();
    Value::unknown(match name {
        "fileExists" => format!("whether {shown} exists after the planned steps"),
        "readFile" => format!("contents of {shown} (a planned step may write it)"),
        _ => format!("{name} of {shown} (a planned step may write it)"),
    })
}

/// The steps that open the file they name and read it through.
fn is_reader(name: &str) -> bool {
    matches!(
        name,
        "readFile" | "readJSON" | "readYaml" | "readProperties" | "sha256"
    )
}

/// Steps that can write any file of their workspace when they run: scripts, and the steps
/// that unpack files into it. (A checkout brings the working tree the plan reads.)
const WRITERS: &[&str] = &[
    "sh",
    "bat",
    "powershell",
    "pwsh",
    "unstash",
    "unzip",
    "untar",
    "copyArtifacts",
];

impl Recorder {
    /// The last planned step before `id` that could have rewritten `path` (`sh#2`): one that
    /// writes files, run in the workspace `path` is in.
    pub(super) fn writer_before(&self, id: u32, path: &Path) -> Option<(String, u32)> {
        let path = super::overlay::normal(path);
        self.steps
            .borrow()
            .iter()
            .rev()
            .filter(|r| r.step.id < id && WRITERS.contains(&r.step.name.as_str()))
            .find(|r| path.starts_with(super::overlay::normal(&r.root)))
            .map(|r| (format!("{}#{}", r.step.name, r.step.id), r.step.id))
    }

    /// Sets the note of the recorded step `id`.
    pub(super) fn note_on(&self, id: u32, note: String) {
        if let Some(at) = self.position(id)
            && let Some(r) = self.steps.borrow_mut().get_mut(at)
        {
            r.step.note = Some(note);
        }
    }
}

/// What a read outside the working tree stands for: a plan reads only the working tree (the
/// workspace and its `@tmp`), so `readFile('/etc/passwd')` or `../secret` is never read.
fn outside(
    plan: &Recorder,
    host: &PipelineHost,
    name: &str,
    named: &Map<String, Json>,
    dir: &Path,
    file: Option<&Path>,
) -> Option<String> {
    let workspace = &host.state.config.host.workspace;
    if name == "findFiles" {
        let glob = named.get("glob").and_then(Json::as_str).unwrap_or("**");
        let escapes = glob.starts_with('/') || glob.split('/').any(|part| part == "..");
        return (escapes || outside_workspace(dir, workspace))
            .then(|| format!("files matching {glob} in {}", dir.display()));
    }
    let path = file?;
    // A planned checkout elsewhere (`ws('other') { checkout scm }`) brings the tree there.
    if !outside_workspace(path, workspace) || plan.checked_out_as(path).is_some() {
        return None;
    }
    let shown = path.display();
    Some(match name {
        "readFile" => format!("contents of {shown}"),
        "fileExists" => format!("whether {shown} exists"),
        _ => format!("{name} of {shown} (plan reads only the working tree)"),
    })
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}
