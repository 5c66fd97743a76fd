//! The Declarative Pipeline model and Jenkins' validator. `build` turns the syntax tree into
//! typed structs (`pipeline`), reporting every structural problem with Jenkins' exact message
//! and position (`build` = Jenkins' `ModelParser`, `validate` = its `ModelValidatorImpl`).
//! Which agent/option/trigger/parameter/tool/`when` types exist is data (`catalogue`). A file
//! without a top-level `pipeline { … }` is a scripted pipeline: no model and no model errors.
//! Never imports tokio, bollard, kube or aws.

mod build;
pub mod catalogue;
mod groovy;
mod labels;
pub mod pipeline;
mod validate;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::{self, ast};

pub use catalogue::{Catalogue, CatalogueError};
pub use pipeline::Pipeline;

/// What the model build checks against.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    pub catalogue: &'a Catalogue,
}

impl Default for Options<'static> {
    fn default() -> Self {
        Options {
            catalogue: Catalogue::builtin(),
        }
    }
}

/// What Jenkins' validator says about one file.
#[derive(Clone, Debug)]
pub struct Validation {
    /// The file has a `pipeline { … }` block (or failed to parse, so nobody knows). `false`
    /// means a scripted pipeline, which the Jenkins linter refuses to validate.
    pub declarative: bool,
    pub pipeline: Option<Pipeline>,
    /// In Jenkins' order: syntax errors, then model parse errors in source order, then
    /// validation errors in traversal order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the model with the built-in catalogue.
#[must_use]
pub fn build(file: &ast::File, source: &SourceFile) -> (Option<Pipeline>, Vec<Diagnostic>) {
    build_with(file, source, &Options::default())
}

/// Builds the model, collecting every problem: Jenkins' parse errors, then (on the finished
/// model) its validation errors.
#[must_use]
pub fn build_with(
    file: &ast::File,
    source: &SourceFile,
    options: &Options<'_>,
) -> (Option<Pipeline>, Vec<Diagnostic>) {
    let (pipeline, mut diags) = build::build(file, source, options.catalogue);
    if let Some(p) = &pipeline {
        diags.extend(validate::validate(p, source, options.catalogue));
    }
    labels::fill(&mut diags);
    (pipeline, diags)
}

/// Parse + model build with the built-in catalogue: what Jenkins' validator says.
#[must_use]
pub fn validate(source: &SourceFile) -> Vec<Diagnostic> {
    validate_with(source, &Options::default()).diagnostics
}

/// Parse + model build.
#[must_use]
pub fn validate_with(source: &SourceFile, options: &Options<'_>) -> Validation {
    match syntax::parse(source) {
        Err(mut diagnostics) => {
            for diag in &mut diagnostics {
                groovy::add_jenkins_form(diag, source);
            }
            Validation {
                declarative: true,
                pipeline: None,
                diagnostics,
            }
        }
        Ok(file) => {
            let (pipeline, diagnostics) = build_with(&file, source, options);
            Validation {
                declarative: pipeline.is_some() || !diagnostics.is_empty(),
                pipeline,
                diagnostics,
            }
        }
    }
}
