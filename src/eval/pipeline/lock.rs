//! `lock('resource') { … }` (lockable-resources): the body runs while this build holds the
//! resource; other builds, and other branches of this one, wait for it. Locally a resource is
//! a `flock` on `<JENKINS_HOME>/locks/<resource>.lock`, so concurrent `jenkinsfile run`s of
//! any job on this machine exclude each other, and the kernel frees the lock of a run that
//! dies. Waiting is interruptible: Ctrl-C, a `timeout`, or a newer build superseding this
//! one at a milestone (`home/supersede.rs`) ends it. Resources chosen by `label` need the
//! resources a Jenkins administrator configured, and are unsupported.

use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rustix::fs::{FlockOperation, flock};

use super::blocks::{arg, named, result_of};
use super::{PipelineHost, env_insert, interrupted};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::dynamic::Dynamic;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::Value;
use crate::home::open_lock_file;
use crate::report::Event;
use crate::source::Span;

/// How often a waiting build tries the lock again.
const POLL: Duration = Duration::from_millis(100);

/// Why a run refuses `lock(label: …)` (`plan` says the same).
pub(crate) const LABEL_REFUSAL: &str = "unsupported: lock(label: …) picks among resources configured in Jenkins; locally only lock('name') is available";

/// Whether the lock names a label rather than a resource.
pub(crate) fn by_label(args: &CallArgs) -> bool {
    named(args, "label").is_some_and(|v| !v.is_null())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn lock(
    host: &PipelineHost,
    interp: &Interp,
    args: &CallArgs,
    c: &Rc<Closure>,
    mut dynamic: Dynamic,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    if by_label(args) {
        return Err(super::leaf::unsupported(LABEL_REFUSAL.into(), span));
    }
    let resource = arg(args, "resource")
        .filter(|v| !v.is_null())
        .map(|v| to_string(&v))
        .ok_or_else(|| {
            Flow::exception(
                "java.lang.IllegalArgumentException",
                "lock needs a resource name: lock('name') { … }",
            )
            .at(span)
        })?;
    let skip_if_locked = named(args, "skipIfLocked").is_some_and(|v| v.truthy());
    let shown = format!("Resource: {resource}");
    let emit = host.emitter(cx);
    emit.emit(Event::StepStart {
        name: "lock".into(),
        summary: resource.clone(),
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    let end = |r: R<Value>| {
        let (result, error) = result_of(&r);
        emit.emit(Event::StepEnd {
            name: "lock".into(),
            block: true,
            result,
            duration_ms: started.elapsed().as_millis() as u64,
            error,
        });
        r
    };
    let config = &host.state.config.host;
    let dir = config.jenkins_home.join("locks");
    let path = dir.join(format!("{}.lock", file_name(&resource)));
    let created = !path.exists();
    let opened = std::fs::create_dir_all(&dir).and_then(|()| open_lock_file(&path));
    let mut file = match opened {
        Ok(file) => file,
        Err(err) => {
            let e = Flow::exception(
                "java.io.IOException",
                format!("cannot create the lock {}: {err}", path.display()),
            );
            return end(Err(e.at(span)));
        }
    };
    if created {
        emit.log(format!("Resource [{resource}] did not exist. Created."));
    }
    emit.log(format!("Trying to acquire lock on [{shown}]"));
    let cancel = host.cancel(cx);
    let mut told = false;
    loop {
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => break,
            Err(rustix::io::Errno::WOULDBLOCK) => {
                if skip_if_locked {
                    emit.log(format!("[{shown}] is locked, skipping execution..."));
                    return end(Ok(Value::Null));
                }
                if !told {
                    told = true;
                    let holder = holder(&mut file);
                    emit.log(format!("[{shown}] is locked by {holder}, waiting..."));
                }
                tokio::select! {
                    () = tokio::time::sleep(POLL) => {}
                    reason = cancel.cancelled() => {
                        return end(Err(interrupted(&reason).at(span)));
                    }
                }
            }
            Err(err) => {
                let e = Flow::exception(
                    "java.io.IOException",
                    format!("cannot lock {}: {err}", path.display()),
                );
                return end(Err(e.at(span)));
            }
        }
    }
    let _ = record_holder(&mut file, &config.build_dir);
    emit.log(format!("Lock acquired on [{shown}]"));
    if let Some(var) = named(args, "variable").filter(|v| !v.is_null()) {
        let var = to_string(&var);
        env_insert(&mut dynamic.env, &format!("{var}0"), Some(resource.clone()));
        env_insert(&mut dynamic.env, &var, Some(resource.clone()));
    }
    emit.emit(Event::BodyStart { label: None });
    let r = interp
        .call_closure(c, Vec::new(), span, &cx.with_dynamic(dynamic))
        .await;
    emit.emit(Event::BodyEnd);
    // Closing the file releases the lock.
    drop(file);
    emit.log(format!("Lock released on resource [{shown}]"));
    end(r)
}

/// A resource name as a file name: path separators and other odd characters become `_`.
fn file_name(resource: &str) -> String {
    resource
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Who holds the lock, as its holder wrote it: `<job> #<N>`.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut text);
    let text = text.trim();
    if text.is_empty() {
        "another build".into()
    } else {
        text.to_string()
    }
}

/// Writes `<job> #<N>` of the build in `build_dir` (`<job>/builds/<N>`) into the lock file.
fn record_holder(file: &mut File, build_dir: &Path) -> std::io::Result<()> {
    let number = build_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let job = build_dir
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(file, "{job} #{number}")?;
    file.flush()
}
