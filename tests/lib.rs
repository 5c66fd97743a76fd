//! One integration-test binary; one module per feature.
mod cli;
mod corpus;
mod fuzz_regressions;
mod groovy_diff;
mod nesting;
mod parse_ast;
mod parse_errors;
mod run_steps;
mod snapshot_files;
