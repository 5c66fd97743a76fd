//! Placeholder: replaced by the nesting pre-scan.
use crate::diagnostic::Diagnostic;

pub(crate) fn check(_text: &str) -> Option<Diagnostic> {
    None
}
