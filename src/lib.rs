//! `jenkinsfile`: lint, plan and run Jenkinsfiles locally, with no Jenkins server and no JVM.
//!
//! Layers, lowest first: `source` and `diagnostic`, then `syntax` (the Groovy-shaped parser),
//! then the command-line front end in `cli`. See `src/README.md` for the module map.

pub mod agents;
pub mod aws;
pub mod cli;
pub mod config;
pub mod creds;
pub mod diagnostic;
pub mod discover;
pub mod docker;
pub mod eval;
pub mod home;
pub mod lint;
pub mod lsp;
pub mod model;
mod percent;
pub mod plan;
pub mod report;
pub mod source;
pub mod stdlib;
pub mod steps;
pub mod syntax;
