//! What the plan must not take for a library's or the job's name, because a run fails on it:
//! the JDK classes Groovy imports by default that the interpreter does not have (`new
//! File(…)`, `Runtime.getRuntime()`), which a run reports as an unsupported class or a
//! missing property, and the script methods it lacks (`evaluate`), which a run reports as
//! no such DSL method. The plan lets the interpreter fail on them as the run does; and the
//! catalogue's steps the run has no executor for, where the run stops as "unsupported".

use crate::eval::args::CallArgs;
use crate::eval::flow::{Flow, R};
use crate::eval::pipeline::PipelineHost;
use crate::eval::pipeline::leaf::unsupported;
use crate::eval::pipeline::plan_hook::run_lacks_step;
use crate::eval::pipeline::symbol::describable;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::report::BuildResult;
use crate::source::Span;

/// Classes of `java.lang`, `java.io`, `java.net`, `groovy.lang` and `groovy.util` (imported
/// by default, so a bare name means them) that reach the file system, processes, threads,
/// sockets or the compiler: a local run has none of them. A shared library's class of the same
/// simple name would be imported explicitly; this list keeps to names libraries do not use.
const JDK_CLASSES: &[&str] = &[
    "BufferedReader",
    "BufferedWriter",
    "ClassLoader",
    "Eval",
    "File",
    "FileInputStream",
    "FileOutputStream",
    "FileReader",
    "FileWriter",
    "GroovyClassLoader",
    "GroovyShell",
    "HttpURLConnection",
    "InetAddress",
    "InputStreamReader",
    "OutputStreamWriter",
    "PrintWriter",
    "Process",
    "ProcessBuilder",
    "RandomAccessFile",
    "Runtime",
    "ServerSocket",
    "Socket",
    "Thread",
    "URLConnection",
];

/// Packages whose classes are the JDK's or Groovy's, never a library's.
const JDK_PACKAGES: &[&str] = &["java.", "javax.", "groovy.lang.", "groovy.util."];

/// Whether `name` (simple or qualified) is a JDK or Groovy class the run does not have.
pub(super) fn jdk_class(name: &str) -> bool {
    JDK_CLASSES.contains(&name) || JDK_PACKAGES.iter().any(|p| name.starts_with(p))
}

/// Groovy script methods that are neither steps nor a library's: a run fails on them with
/// `No such DSL method`.
const SCRIPT_METHODS: &[&str] = &["evaluate"];

/// Whether a call of `name` the catalogue does not know is one the run fails on.
pub(super) fn script_method(name: &str) -> bool {
    SCRIPT_METHODS.contains(&name)
}

/// What the plan says of a step a run does not have.
const UNSUPPORTED_STEP: &str = "not available in a local run yet: the run stops here";

impl super::recorder::Recorder {
    /// A step the run does not have (`sshagent`, `httpRequest`, …): the run stops there with
    /// "unsupported: step '…' is not available yet", and so does the plan, the step recorded
    /// with its arguments. On a side that may not run the build could fail, and the step is
    /// planned as usual (`None`, as for every step the run has).
    pub(super) fn unsupported_step(
        &self,
        host: &PipelineHost,
        name: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        // A body step the run has but refuses: a lock by label.
        let refused = (name == "lock" && crate::eval::pipeline::lock::by_label(args))
            .then(|| crate::eval::pipeline::lock::LABEL_REFUSAL.to_string());
        if refused.is_none()
            && (!run_lacks_step(name)
                || self.library_note(name).is_some()
                || describable(name, args, span).is_some())
        {
            return None;
        }
        let message =
            refused.unwrap_or_else(|| format!("unsupported: step '{name}' is not available yet"));
        if let Some(c) = cx.dynamic.conditional.as_deref() {
            self.could_end(BuildResult::Failure, format!("{message} {c}"));
            return None;
        }
        Some(
            self.record_unsupported(host, name, args, span, cx)
                .and_then(|()| Err(unsupported(message, span))),
        )
    }

    /// A call the run refuses although it has the step (`build job: …`, `step([$class:
    /// 'Mailer'])`, a non-git `checkout`, `bat`), by its bound arguments: recorded, and the
    /// plan fails with the run's message; on a side that may not run the build could fail.
    pub(super) fn refused_call(
        &self,
        host: &PipelineHost,
        id: u32,
        name: &str,
        named: &serde_json::Map<String, serde_json::Value>,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        let Some(message) = crate::steps::refusal(name, named) else {
            return Ok(());
        };
        let error = unsupported(message.clone(), span);
        self.run_stops_here(host, id, name, named, &message, error, cx)
    }

    /// The run fails at step `id` with `error` (whose text is `message`): the step is
    /// recorded and the plan fails there too; on a side that may not run, the build could
    /// fail instead, and the step is planned as usual.
    #[allow(
        clippy::too_many_arguments,
        reason = "the step as recorded, and the failure"
    )]
    pub(super) fn run_stops_here(
        &self,
        host: &PipelineHost,
        id: u32,
        name: &str,
        named: &serde_json::Map<String, serde_json::Value>,
        message: &str,
        error: Flow,
        cx: &Cx,
    ) -> R<()> {
        if let Some(c) = cx.dynamic.conditional.as_deref() {
            self.could_end(BuildResult::Failure, format!("{message} {c}"));
            return Ok(());
        }
        self.record(host, cx, id, name, named.clone(), true, false, None);
        Err(error)
    }

    /// Records the step with its arguments as given and a note that the run stops there.
    fn record_unsupported(
        &self,
        host: &PipelineHost,
        name: &str,
        args: &CallArgs,
        span: Span,
        cx: &Cx,
    ) -> R<()> {
        // Shown as the step would be (a body step's arguments without its body), with the
        // credentials it names listed.
        let mut args = args.clone();
        let named = if matches!(args.positional.last(), Some(Value::Closure(_))) {
            args.positional.pop();
            super::blocks::block_args(name, &args, span).unwrap_or_default()
        } else {
            super::symbolic::shown_arguments(&args, span)?
        };
        if name == "sshagent" {
            for key in super::recorder::credential_list(&args) {
                self.use_credential(cx, &key, Some("sshUserPrivateKey"), name.into(), Vec::new());
            }
        }
        if let Some(serde_json::Value::String(cred)) = named.get("credentialsId") {
            self.use_credential(cx, cred, None, name.to_string(), Vec::new());
        }
        let id = self.next_id();
        self.record(host, cx, id, name, named, true, false, None);
        if let Some(at) = self.position(id)
            && let Some(r) = self.steps.borrow_mut().get_mut(at)
        {
            r.step.note = Some(UNSUPPORTED_STEP.to_string());
        }
        Ok(())
    }
}
