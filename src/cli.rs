//! Placeholder: replaced by the clap front end.
#[must_use]
pub fn run() -> i32 {
    0
}
