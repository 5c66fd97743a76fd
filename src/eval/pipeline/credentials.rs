//! The `credentials('id')` binding of declarative `environment { }`. The credential store is
//! not part of this build yet, so the binding says so plainly.

use super::PipelineHost;
use crate::eval::flow::{Flow, R};
use crate::eval::scope::Cx;
use crate::source::Span;

/// The variables `var = credentials('id')` sets (`var`, and `var_USR`/`var_PSW` for a
/// username and password), after registering the secrets with the masker.
#[allow(clippy::unused_async)]
pub(crate) async fn environment_credential(
    _host: &PipelineHost,
    _cx: &Cx,
    var: &str,
    id: &str,
    span: Span,
) -> R<Vec<(String, String)>> {
    Err(Flow::fatal(
        format!(
            "unsupported: credentials() needs the credential store ({var} = credentials('{id}'))"
        ),
        span,
    ))
}
