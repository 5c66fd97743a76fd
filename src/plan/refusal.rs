//! Where a run would refuse a credential before using it, so that the plan fails where the
//! run fails, with the run's words: an id the loaded store lacks, or one it holds with a type
//! the binding cannot take. Only the store's index is read (id and type); no entry is
//! resolved, so an entry that runs a command is "present" and nothing more. Without a store
//! (it could not be loaded) or for an id only a run knows, nothing is claimed.

use super::recorder::Recorder;
use super::symbolic::holds_runtime_value;
use crate::creds::{CredError, Kind};
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::report::BuildResult;
use crate::source::Span;

impl Recorder {
    /// Why a run's `withCredentials` would refuse `id` for a binding of `kind`: the store
    /// lacks it (the run's `Could not find credentials entry …`) or holds it with another
    /// type.
    pub(super) fn refusal(&self, id: &str, kind: Option<Kind>) -> Option<String> {
        let store = self.store.as_ref()?;
        if holds_runtime_value(id) {
            return None;
        }
        let Some(entry) = store.lookup(id) else {
            return Some(CredError::NotFound { id: id.to_string() }.to_string());
        };
        let kind = kind?;
        (entry.kind != kind).then(|| {
            CredError::WrongType {
                id: id.to_string(),
                actual: entry.kind.display_name(),
                expected: kind.display_name(),
            }
            .to_string()
        })
    }

    /// Why a run's `environment { X = credentials(id) }` would refuse `id`, as the exception
    /// it throws: a missing id is an `AbortException` whose message is the id (`ERROR: id`); a
    /// certificate or Docker server credential has no binding handler there.
    pub(super) fn environment_refusal(&self, id: &str) -> Option<(&'static str, String)> {
        let store = self.store.as_ref()?;
        if holds_runtime_value(id) {
            return None;
        }
        let Some(entry) = store.lookup(id) else {
            return Some(("hudson.AbortException", id.to_string()));
        };
        matches!(entry.kind, Kind::Certificate | Kind::DockerServer).then(|| {
            (
                "java.lang.RuntimeException",
                format!(
                    "No suitable binding handler could be found for type {}. Supported types are StandardUsernamePasswordCredentials,FileCredentials,StringCredentials,SSHUserPrivateKey,AmazonWebServicesCredentials.",
                    entry.kind.java_class()
                ),
            )
        })
    }

    /// A refusal where `cx` is: the run fails here (an exception of `class`), or, on a side
    /// that may not run, could fail (`what` names the step in the plan's why).
    pub(super) fn refuse(
        &self,
        cx: &Cx,
        what: &str,
        (class, message): (&str, String),
        span: Span,
    ) -> R<()> {
        match cx.dynamic.conditional.as_deref() {
            Some(c) => {
                self.could_end(BuildResult::Failure, format!("{what}: {message} {c}"));
                Ok(())
            }
            None => Err(Flow::exception(class, message).at(span)),
        }
    }
}
