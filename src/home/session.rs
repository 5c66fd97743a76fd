//! One build from start to record: picks the job and build number, leases the workspace,
//! filters the host environment, computes the standard variables, builds the first
//! [`StepContext`], and at the end writes `build.json`. The interpreter runs in between.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use super::checkout::ScmMode;
use super::drive::Ending;
use super::record::StageRecord;
use super::{Build, BuildRecord, GitInfo, HostEnv, Job, StandardVars, WorkspaceList, job_name_for};
use crate::report::mask::mask_text;
use crate::report::sink::Summary;
use crate::report::{BuildResult, Emitter, now_ms};
use crate::steps::{
    Cancel, Host, InputPolicy, ResultCell, ScmSource, StashOrigin, StashRetention, StepContext,
    clear_stashes, kill_leftovers,
};

/// What the command line decides about a run.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub jenkinsfile: PathBuf,
    pub home: PathBuf,
    pub job: Option<String>,
    pub branch: Option<String>,
    /// Use the repository itself as the workspace.
    pub in_place: bool,
    pub pass_env: Vec<String>,
    pub clean_env: bool,
    pub params: IndexMap<String, String>,
    /// Names of password parameters: their values are not written to `build.json`.
    pub secret_params: Vec<String>,
    /// The config's `[tools]` table.
    pub tools: IndexMap<String, PathBuf>,
    /// The config files searched for `[tools]`.
    pub tool_config: Vec<PathBuf>,
    /// Who answers `input`.
    pub input: InputPolicy,
    /// What `checkout scm` puts in the workspace.
    pub scm_mode: ScmMode,
    /// The credential store, for steps that take a `credentialsId`.
    pub credentials: Arc<crate::creds::Store>,
    /// `--from-stage`: the build restarts an earlier one and starts with its stashes.
    pub from_stage: Option<String>,
}

/// A build in progress.
#[derive(Debug)]
pub struct Session {
    pub job: Job,
    pub build: Build,
    pub workspace: PathBuf,
    pub vars: StandardVars,
    pub host_env: HostEnv,
    pub git: Option<GitInfo>,
    pub branch: Option<String>,
    pub params: IndexMap<String, String>,
    /// Names of password parameters (kept out of the record).
    pub secret_params: Vec<String>,
    pub jenkinsfile: PathBuf,
    pub started_ms: u64,
    pub host: Arc<Host>,
    /// A partial run (stage selection flags): recorded as such.
    pub partial: bool,
    /// Lines to print before the pipeline starts (the restart's cause).
    pub notes: Vec<String>,
}

impl Session {
    /// The job a run of `options` builds, before it takes a build number (the queue waits on
    /// it), with the absolute Jenkinsfile and its repository.
    ///
    /// # Errors
    /// When the Jenkinsfile's path or the job name is unusable.
    pub fn job_for(options: &RunOptions) -> Result<Job, String> {
        Self::resolve_job(options).map(|(_, _, job)| job)
    }

    fn resolve_job(options: &RunOptions) -> Result<(PathBuf, Option<GitInfo>, Job), String> {
        let jenkinsfile = std::path::absolute(&options.jenkinsfile)
            .map_err(|e| format!("{}: {e}", options.jenkinsfile.display()))?;
        let dir = jenkinsfile.parent().unwrap_or(Path::new("/"));
        let git = GitInfo::discover(dir);
        let name = options
            .job
            .clone()
            .unwrap_or_else(|| job_name_for(&jenkinsfile, git.as_ref()));
        let job = Job::new(&options.home, &name)?;
        Ok((jenkinsfile, git, job))
    }

    /// Starts a build. `env` is the user's environment (`std::env::vars()`).
    pub fn open(
        options: RunOptions,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, String> {
        let (jenkinsfile, git, job) = Self::resolve_job(&options)?;
        let dir = jenkinsfile.parent().unwrap_or(Path::new("/")).to_path_buf();
        let io =
            |what: &str, err: io::Error| format!("{what} in {}: {err}", options.home.display());
        let build = job
            .next_build()
            .map_err(|e| io("cannot take a build number", e))?;
        super::supersede::start(&job, build.number);
        // The build's lease is held by its workspace list, so its nodes can use it.
        let (workspace, workspaces) = if options.in_place {
            (
                git.as_ref().map_or(dir, |g| g.root.clone()),
                WorkspaceList::default(),
            )
        } else {
            let lease = job
                .lease_workspace()
                .map_err(|e| io("cannot create the workspace", e))?;
            (lease.path.clone(), WorkspaceList::new(lease))
        };
        let branch = options
            .branch
            .clone()
            .or_else(|| git.as_ref().and_then(|g| g.branch.clone()));
        let vars = StandardVars::new(&job, &build, &workspace, branch.as_deref(), &options.params);
        let host_env = HostEnv::filter(env, &options.pass_env, options.clean_env);
        let (stash_origin, notes) = match &options.from_stage {
            Some(stage) => super::restart::restore_stashes(&job, &build, stage),
            None => (StashOrigin::Fresh, Vec::new()),
        };
        let started_ms = now_ms();
        let host = Arc::new(Host {
            workspace: workspace.clone(),
            jenkins_home: options.home.clone(),
            build_dir: build.dir.clone(),
            tools: options.tools,
            tool_config: options.tool_config,
            input: options.input,
            scm: git.as_ref().map(|g| {
                let previous = previous_on_branch(&job, build.number, branch.as_deref());
                scm_source(g, previous, options.scm_mode, options.in_place)
            }),
            result: ResultCell::default(),
            stash_retention: StashRetention::default(),
            credentials: options.credentials.clone(),
            changelog: crate::steps::ChangeLog::default(),
            build_started_ms: started_ms,
            milestones: crate::steps::Milestones::default(),
            workspaces,
            stash_origin,
            unconfined: None,
        });
        Ok(Self {
            job,
            build,
            workspace,
            vars,
            host_env,
            git,
            branch,
            params: options.params,
            secret_params: options.secret_params,
            jenkinsfile,
            started_ms,
            host,
            partial: false,
            notes,
        })
    }

    /// The environment inside `node` (§3.2): host environment, then the node's variables,
    /// then the build's (which win).
    #[must_use]
    pub fn node_env(&self) -> IndexMap<String, String> {
        let mut env = self.host_env.passed.clone();
        env.extend(self.vars.node.clone());
        env.extend(self.vars.build.clone());
        env
    }

    /// The context of a step run directly in the workspace, inside `node`.
    #[must_use]
    pub fn step_context(&self, emit: Emitter, cancel: Cancel) -> StepContext {
        StepContext {
            cwd: self.workspace.clone(),
            env: self.node_env(),
            emit,
            cancel,
            host: Arc::clone(&self.host),
            agent: None,
        }
    }

    /// `currentBuild.previousBuild`.
    #[must_use]
    pub fn previous_build(&self) -> Option<BuildRecord> {
        self.job.previous_build(self.build.number)
    }

    /// Ends the build: kills what `sh` steps left running, and writes `build.json`.
    pub fn finish(
        &self,
        summary: &Summary,
        ending: &Ending,
        result: BuildResult,
    ) -> io::Result<BuildRecord> {
        kill_leftovers();
        let passed = self.host.milestones.last().is_some();
        super::supersede::complete(&self.job, self.build.number, passed);
        clear_stashes(
            &self.build.dir,
            self.build.number,
            self.host.stash_retention.builds(),
        );
        let record = BuildRecord {
            job: self.job.name.clone(),
            number: self.build.number,
            result: result.as_str().to_owned(),
            // A secret set as the description must not be kept in build.json either.
            display_name: ending
                .display_name
                .as_deref()
                .map(|t| mask_text(&summary.secret_forms, t)),
            description: ending
                .description
                .as_deref()
                .map(|t| mask_text(&summary.secret_forms, t)),
            start_time_ms: self.started_ms,
            duration_ms: now_ms().saturating_sub(self.started_ms),
            jenkinsfile: self.jenkinsfile.display().to_string(),
            branch: self.branch.clone(),
            git_commit: self.git.as_ref().and_then(|g| g.commit.clone()),
            parameters: self
                .params
                .iter()
                .map(|(name, value)| {
                    let value = if self.secret_params.contains(name) {
                        "********".to_owned()
                    } else {
                        value.clone()
                    };
                    (name.clone(), value)
                })
                .collect(),
            stages: summary
                .stages
                .iter()
                .map(|stage| StageRecord {
                    name: stage.name.clone(),
                    result: stage.result.as_str().to_owned(),
                    skipped: stage.skipped,
                    duration_ms: stage.duration_ms,
                })
                .collect(),
            artifacts: super::record::list_artifacts(&self.build.archive_dir()),
            partial: self.partial,
        };
        record.write(&self.build.record_path())?;
        Ok(record)
    }
}

/// The earlier builds of `branch`, newest first: the git plugin's `BuildData` keeps the last
/// built revision per branch, so a build of one branch never sees another's commits as its
/// `GIT_PREVIOUS_COMMIT`.
fn previous_on_branch(job: &Job, number: u64, branch: Option<&str>) -> Vec<BuildRecord> {
    job.previous_builds(number)
        .into_iter()
        .filter(|r| r.branch.as_deref() == branch)
        .collect()
}

/// The job's SCM for `checkout scm`: the repository, its identity, and the commits of the
/// earlier builds of the branch (`GIT_PREVIOUS_COMMIT`, `GIT_PREVIOUS_SUCCESSFUL_COMMIT`).
fn scm_source(
    git: &GitInfo,
    previous: Vec<BuildRecord>,
    mode: ScmMode,
    in_place: bool,
) -> ScmSource {
    let config = |key: &str| git_config(&git.root, key);
    ScmSource {
        repo: git.root.clone(),
        mode,
        branch: git.branch.clone(),
        url: config("remote.origin.url").unwrap_or_else(|| git.root.display().to_string()),
        in_place,
        previous_commit: previous.first().and_then(|r| r.git_commit.clone()),
        previous_successful_commit: previous
            .iter()
            .find(|r| r.result == "SUCCESS")
            .and_then(|r| r.git_commit.clone()),
        user_name: config("user.name"),
        user_email: config("user.email"),
    }
}

fn git_config(repo: &Path, key: &str) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["config", "--get", key])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_owned())
}
