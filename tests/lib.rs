//! One integration-test binary; one module per feature.
mod cli;
mod conformance;
mod corpus;
mod fuzz_regressions;
mod lint;
mod lint_cli;
mod lint_corpus;
mod lint_formats;
mod nesting;
mod parse_ast;
mod parse_errors;
mod snapshot_files;
