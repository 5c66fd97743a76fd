//! The command-line inputs `run` and `plan` share: the sources `when` looks at (`--branch`,
//! `--tag`, `--change-request` and the `--change-*` details, `--since`) and the build
//! parameters (`-p NAME=VALUE`, `--params-file`), with their one parser.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::home::params;
use crate::home::scm_info::ScmFlags;
use crate::model::Pipeline;

#[derive(clap::Args, Clone, Debug, Default)]
pub(super) struct SourceArgs {
    /// `BRANCH_NAME` [default: the tag, `PR-<N>` for a change request, else the current
    /// git branch; unset on a detached HEAD]
    #[arg(long, value_name = "NAME", help_heading = "Sources (for when)")]
    pub branch: Option<String>,
    /// Build as a tag build: sets `TAG_NAME`, `TAG_TIMESTAMP`, `TAG_UNIXTIME`, `TAG_DATE`
    /// (a tagged HEAD alone sets nothing, as in Jenkins)
    #[arg(long, value_name = "NAME", help_heading = "Sources (for when)")]
    pub tag: Option<String>,
    /// Build as change request N (pull request): sets `CHANGE_ID` and `CHANGE_BRANCH`
    #[arg(long, value_name = "N", help_heading = "Sources (for when)")]
    pub change_request: Option<String>,
    /// `CHANGE_TARGET` of the change request (needs --change-request)
    #[arg(long, value_name = "BRANCH", help_heading = "Sources (for when)")]
    pub change_target: Option<String>,
    /// `CHANGE_BRANCH` [default: the current git branch] (needs --change-request)
    #[arg(long, value_name = "BRANCH", help_heading = "Sources (for when)")]
    pub change_branch: Option<String>,
    /// `CHANGE_AUTHOR` (needs --change-request)
    #[arg(long, value_name = "NAME", help_heading = "Sources (for when)")]
    pub change_author: Option<String>,
    /// `CHANGE_AUTHOR_EMAIL` (needs --change-request)
    #[arg(long, value_name = "EMAIL", help_heading = "Sources (for when)")]
    pub change_author_email: Option<String>,
    /// `CHANGE_TITLE` (needs --change-request)
    #[arg(long, value_name = "TEXT", help_heading = "Sources (for when)")]
    pub change_title: Option<String>,
    /// `CHANGE_URL` (needs --change-request)
    #[arg(long, value_name = "URL", help_heading = "Sources (for when)")]
    pub change_url: Option<String>,
    /// The changelog (when changelog/changeset) starts after REF [default: the previous
    /// build's `GIT_COMMIT`]; uncommitted changes are always included
    #[arg(long, value_name = "REF", help_heading = "Sources (for when)")]
    pub since: Option<String>,
    /// A build parameter, checked against its `parameters {}` definition (repeatable)
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", value_parser = parse_pair, help_heading = "Parameters")]
    pub params: Vec<(String, String)>,
    /// Build parameters from a JSON or YAML mapping (-p values win)
    #[arg(long, value_name = "FILE", help_heading = "Parameters")]
    pub params_file: Option<PathBuf>,
}

/// `NAME=VALUE`.
pub(super) fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

impl SourceArgs {
    pub(super) fn scm_flags(&self) -> ScmFlags {
        ScmFlags {
            branch: self.branch.clone(),
            tag: self.tag.clone(),
            change_request: self.change_request.clone(),
            change_target: self.change_target.clone(),
            change_branch: self.change_branch.clone(),
            change_author: self.change_author.clone(),
            change_author_email: self.change_author_email.clone(),
            change_title: self.change_title.clone(),
            change_url: self.change_url.clone(),
            since: self.since.clone(),
        }
    }

    /// The typed build parameters, and the notes to print about them (non-constant
    /// definitions, skipped parameters).
    pub(super) fn resolve_params(
        &self,
        pipeline: Option<&Pipeline>,
        job_dir: Option<&Path>,
        job_name: &str,
    ) -> Result<(params::Resolved, Vec<String>), String> {
        let file_values = match &self.params_file {
            Some(path) => params::read_params_file(path).map_err(|e| e.0)?,
            None => IndexMap::new(),
        };
        let given = params::given(file_values, &self.params);
        // A scripted pipeline's definitions are those an earlier build's `properties` left.
        let definitions = match pipeline {
            Some(pipeline) => Some(params::definitions(pipeline)),
            None => job_dir.and_then(params::job_definitions),
        };
        let mut notes = Vec::new();
        if let Some(definitions) = &definitions {
            notes.extend(definitions.notes.iter().cloned());
        }
        let resolved = params::resolve(
            definitions.as_ref().map(|d| d.defs.as_slice()),
            &given,
            job_name,
        )
        .map_err(|e| e.0)?;
        notes.extend(resolved.warnings.iter().map(|w| format!("Warning: {w}")));
        Ok((resolved, notes))
    }
}
