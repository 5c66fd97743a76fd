//! One integration-test binary; one module per feature.
mod cli;
mod corpus;
mod fuzz_regressions;
mod groovy_diff;
mod nesting;
mod parse_ast;
mod parse_errors;
mod run_cli;
mod run_console;
mod run_golden;
mod run_home;
mod run_session;
mod run_steps;
mod snapshot_files;
