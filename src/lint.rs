//! Linting Jenkinsfiles: rules over the syntax tree and the Declarative model, and the output
//! formats. Never imports tokio, bollard, kube or aws.

pub mod format;
