//! `validateDeclarativePipeline(path)` (pipeline-model-definition's
//! `ValidateDeclarativePipelineStep`): validates a Declarative file of the workspace as
//! Jenkins' converter would, prints one line saying why it is valid or not, and returns
//! whether it is. It never fails the build.

use serde_json::Value;

use super::args::required_str;
use super::{Args, StepContext, StepFuture};
use crate::diagnostic::Severity;
use crate::lint::format::jenkins::error_block;
use crate::model;
use crate::source::SourceFile;

pub(crate) fn validate(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let path = required_str("validateDeclarativePipeline", &args, "path")?;
        let file = ctx.cwd.join(&path);
        let Ok(bytes) = tokio::fs::read(&file).await else {
            ctx.emit.log(format!(
                "Declarative Pipeline file '{path}' does not exist."
            ));
            return Ok(Value::Bool(false));
        };
        let source = match SourceFile::from_bytes(path.clone(), bytes) {
            Ok(source) => source,
            Err(e) => {
                ctx.emit.log(format!(
                    "Error(s) validating Declarative Pipeline file '{path}' - {e}"
                ));
                return Ok(Value::Bool(false));
            }
        };
        let validation = model::validate_with(&source, &model::Options::default());
        let errors: Vec<_> = validation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if errors.is_empty() && validation.pipeline.is_none() {
            ctx.emit.log(format!(
                "Declarative Pipeline file '{path}' does not contain the 'pipeline' step."
            ));
            return Ok(Value::Bool(false));
        }
        if errors.is_empty() {
            ctx.emit
                .log(format!("Declarative Pipeline file '{path}' is valid."));
            return Ok(Value::Bool(true));
        }
        // Groovy's `MultipleCompilationErrorsException.toString()`, as the step prints it.
        let mut text = format!(
            "Error(s) validating Declarative Pipeline file '{path}' - org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:\n"
        );
        for d in &errors {
            text.push_str(&error_block(d, &source));
            text.push('\n');
        }
        let count = errors.len();
        text.push_str(&count.to_string());
        text.push_str(if count == 1 { " error" } else { " errors" });
        ctx.emit.log(text);
        Ok(Value::Bool(false))
    })
}
