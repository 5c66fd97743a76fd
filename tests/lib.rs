//! One integration-test binary; one module per feature.
mod cli;
mod conformance;
mod corpus;
mod fuzz_regressions;
mod jenkins_format;
mod model_fixtures;
mod nesting;
mod parse_ast;
mod parse_errors;
mod snapshot_files;
mod stdlib;
mod stdlib_check;
mod stdlib_corpus;
mod steps_cli;
