//! `load 'file.groovy'` in a plan: the step is recorded, and a file of the working tree (or
//! one a planned step writes with known text) is evaluated as a run would, so the steps it
//! runs as it loads are planned under the `load` (its body, as in Jenkins' console), and
//! those of its methods where they are called. A file the plan cannot know (not
//! in the tree, named or written at run time) makes the step's result a run-time value,
//! with a note saying why; one that does not parse fails the plan there, as the run would.

use serde_json::Value as Json;

use super::overlay::Seen;
use super::recorder::{Recorder, cwd, path_in};
use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::leaf::{bind, missing_workspace};
use crate::eval::pipeline::load::{COMPILE_ERROR, evaluate};
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::source::Span;

/// Why a loaded file's text is unknown to the plan, or its text.
enum Known {
    Text(String),
    Unknown(String),
}

impl Recorder {
    pub(super) async fn load(
        &self,
        host: &PipelineHost,
        interp: &Interp,
        args: CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<Value> {
        let named = bind("load", &args, span)?;
        if !cx.dynamic.on_node {
            return Err(missing_workspace(host, "load", &named, span, cx));
        }
        let symbolic = self.leaf(host, "load", args, span, cx).await?;
        let id = self.next.get();
        let file = named
            .get("path")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        let known = self.loaded_text(host, cx, &file);
        let text = match known {
            Known::Text(text) => text,
            Known::Unknown(note) => {
                self.note_on(id, note);
                return Ok(symbolic);
            }
        };
        // What the file runs as it is loaded is the step's body: nested under it.
        let mut inside = (*cx.dynamic).clone();
        inside.plan_parent = Some(id);
        match evaluate(interp, text, &file, span, &cx.with_dynamic(inside)).await {
            Err(Flow::Throw(e)) if e.class == COMPILE_ERROR => {
                let why = e.message.clone().unwrap_or_default();
                self.note_on(
                    id,
                    format!("{file} does not parse, the run fails here: {why}"),
                );
                // As in a run, the build fails here: nothing after the `load` runs.
                Err(Flow::Throw(e))
            }
            r => {
                self.note_on(
                    id,
                    format!("{file} is evaluated: the steps it runs as it loads are under it"),
                );
                r
            }
        }
    }

    fn loaded_text(&self, host: &PipelineHost, cx: &Cx, file: &str) -> Known {
        if file.contains('<') {
            return Known::Unknown(
                "the file is named at run time: not planned inside; its result is a run-time value"
                    .into(),
            );
        }
        let path = path_in(&cwd(host, cx), file);
        let overlay = self.overlay.borrow();
        if overlay.symbolic(&path).is_some() {
            return Known::Unknown(format!(
                "{file} is written at run time: not planned inside; its result is a run-time value"
            ));
        }
        match overlay.get(&path) {
            Seen::Written(text) => Known::Text(text.to_string()),
            Seen::Deleted { .. } => Known::Unknown(format!(
                "{file} is deleted by a planned step: the run fails here unless it is made again"
            )),
            Seen::Real if self.left_behind(&path) => Known::Unknown(format!(
                "{file} is ignored by git, so checkout scm does not bring it: not planned inside; its result is a run-time value"
            )),
            // Read where a run would find it: from the working tree in a directory `checkout
            // scm` brought it to, else the job's workspace.
            Seen::Real => match std::fs::read_to_string(self.source_of(&path)) {
                Ok(text) => Known::Text(text),
                Err(_) => Known::Unknown(format!(
                    "{file} is not in the working tree (a planned step may write it): not planned inside; its result is a run-time value"
                )),
            },
        }
    }
}
