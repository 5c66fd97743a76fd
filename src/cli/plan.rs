//! `jenkinsfile plan`: shows what a build would do without doing it (`crate::plan`), as a
//! text tree, JSON or a mermaid flowchart; `--check` adds the preflight.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use super::Exit;
use super::inputs::{SourceArgs, parse_pair};
use super::output::Output;
use crate::creds;
use crate::diagnostic::{Diagnostic, Severity};
use crate::home::scm_info::ScmInfo;
use crate::home::selection::{Selection, StageFilter};
use crate::home::{GitInfo, HostEnv, Job, ScmMode, StandardVars, default_home, job_name_for};
use crate::model;
use crate::plan::{self, Inputs, Request, check, json, mermaid, text};
use crate::report::now_ms;
use crate::source::SourceFile;
use crate::steps::ScmSource;
use crate::syntax;

const LONG_ABOUT: &str = "\
Show what a build would do, without doing it. The pipeline runs on the same
interpreter as `run`, but no step with an effect runs: sh, writeFile, docker,
archiveArtifacts, stash, input, mail, checkout, ... are recorded with their
resolved arguments (an sh step shows its exact script after Groovy
interpolation). Pure steps run for real against a read-only view of the working
tree: echo, readFile, fileExists, readJSON, readYaml. A readFile after a planned
writeFile sees the planned text. A value only a run would know is symbolic
(`<stdout of sh#3>`), and an `if` on it plans both branches, each marked with
the condition it depends on. Credentials are never resolved: only their ids and
types are shown, values as ****.

--check adds a preflight: every credential id (in the store, of the right type,
resolving; the value is never shown) and every tool the sh steps call (looked up
on PATH; inside a container agent reported as not checked), the Docker engine and
each docker agent's image (in the engine or in its registry), and each AWS identity
(STS GetCallerIdentity) and ECR repository the pipeline names (DescribeRepositories,
at AWS_ENDPOINT_URL when set).";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0  planned (with --check: everything checked is ok)
  1  the Jenkinsfile does not parse or validate, the planned result is not SUCCESS
     (FAILURE, UNSTABLE, …), or (with --check) an item is missing or unreachable
  2  usage error, or a Jenkinsfile that is missing or unreadable";

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    /// A tree (coloured on a terminal)
    Text,
    /// One JSON document (schema `jenkinsfile-plan/1`, see the README)
    Json,
    /// A mermaid `flowchart` of the stages
    Mermaid,
}

#[derive(clap::Args)]
#[command(
    about = "Show what a build would do, without doing it",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is a command-line flag"
)]
pub(super) struct Args {
    /// The Jenkinsfile to plan
    #[arg(value_name = "FILE", default_value = "Jenkinsfile")]
    file: PathBuf,
    #[command(flatten)]
    sources: SourceArgs,
    /// An environment variable for the build, as if `run` were started with it set
    /// (`NAME=VALUE jenkinsfile run`) (repeatable)
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_pair)]
    env: Vec<(String, String)>,
    /// Build home whose job records the plan reads, as `run --home` [default:
    /// `$XDG_DATA_HOME/jenkinsfile` or `~/.local/share/jenkinsfile`]
    #[arg(long, value_name = "DIR")]
    home: Option<PathBuf>,
    /// Job name [default: the git repository's directory name, else the Jenkinsfile's]
    #[arg(long, value_name = "NAME")]
    job: Option<String>,
    /// Plan a build that uses the repository (or, outside one, the Jenkinsfile's directory)
    /// as its workspace, as `run --in-place` does; without it the workspace is the job's,
    /// which holds nothing of the working tree until `checkout scm`
    #[arg(long)]
    in_place: bool,
    /// Pass this environment variable even if it looks secret, as `run --pass-env`
    /// (repeatable)
    #[arg(long = "pass-env", value_name = "NAME")]
    pass_env: Vec<String>,
    /// Pass only PATH, HOME, USER, LANG, TERM, TMPDIR (and --pass-env names), as `run
    /// --clean-env`
    #[arg(long)]
    clean_env: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Preflight: check credentials and tools the build needs
    #[arg(long)]
    check: bool,
    /// A credentials file, looked up before `JENKINSFILE_CREDENTIALS`, the repository's
    /// `.jenkinsfile/credentials.toml` and the user's (repeatable; a later file wins)
    #[arg(long = "credentials", value_name = "FILE")]
    credentials: Vec<PathBuf>,
    /// Let --check resolve the repository's `{ command = … }` credentials
    #[arg(long)]
    trust_repo_credentials: bool,
    /// Plan only this stage (and the stages inside it); `Parent/Child` for a nested one
    #[arg(long, value_name = "NAME", help_heading = "Partial runs")]
    stage: Option<String>,
    /// Plan this stage as skipped (repeatable)
    #[arg(
        long = "skip-stage",
        value_name = "NAME",
        help_heading = "Partial runs"
    )]
    skip_stage: Vec<String>,
    /// Start at this stage, planning those before it as skipped
    #[arg(long, value_name = "NAME", help_heading = "Partial runs")]
    from_stage: Option<String>,
}

/// `--stage`, `--skip-stage`, `--from-stage` as `run` takes them: the filter, and the
/// selection in words for the plan's header.
fn selection(
    args: &Args,
    pipeline: Option<&model::pipeline::Pipeline>,
) -> Result<Option<(StageFilter, String)>, String> {
    let selection = Selection {
        stage: args.stage.clone(),
        skip: args.skip_stage.clone(),
        from: args.from_stage.clone(),
    };
    if selection.is_empty() {
        return Ok(None);
    }
    let Some(pipeline) = pipeline else {
        return Err(format!(
            "unsupported: --stage, --skip-stage and --from-stage select the stages of a declarative pipeline; {} is not one",
            args.file.display()
        ));
    };
    let filter = StageFilter::for_pipeline(pipeline, &selection)?;
    let mut words = Vec::new();
    if let Some(s) = &args.stage {
        words.push(format!("--stage \"{s}\""));
    }
    for s in &args.skip_stage {
        words.push(format!("--skip-stage \"{s}\""));
    }
    if let Some(s) = &args.from_stage {
        words.push(format!("--from-stage \"{s}\""));
    }
    Ok(Some((filter, words.join(" "))))
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let source = match SourceFile::read(&args.file) {
        Ok(source) => source,
        Err(err) => {
            out.error(&err);
            return Exit::Unusable;
        }
    };
    let file = match syntax::parse(&source) {
        Ok(file) => file,
        Err(diags) => return no_plan(args.format, out, &diags, &source, "parse"),
    };
    let (pipeline, diags) = model::build(&file, &source);
    let errors: Vec<_> = diags
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return no_plan(args.format, out, &errors, &source, "validate");
    }
    let dir = args
        .file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    // Read from `.git` itself: planning runs no `git` (nor any other process) unless a `when`
    // needs the change set.
    let git = plan::repo::discover(&dir).map(|(root, branch)| GitInfo {
        root,
        branch,
        commit: None,
    });
    let history = pipeline.as_ref().is_some_and(plan::reads_changes);
    let jenkinsfile = std::path::absolute(&args.file).unwrap_or_else(|_| args.file.clone());
    let job_name = args
        .job
        .clone()
        .unwrap_or_else(|| job_name_for(&jenkinsfile, git.as_ref()));
    // The build `run` would start now: its number is read, never taken, and the records of
    // the job's earlier builds are read (nothing is created or locked).
    let home = args
        .home
        .clone()
        .map(|h| std::path::absolute(&h).unwrap_or(h))
        .or_else(default_home)
        .unwrap_or_default();
    let job = Job::new(&home, &job_name).unwrap_or_else(|_| Job {
        home: home.clone(),
        name: job_name.clone(),
        dir: home.join("jobs").join(&job_name),
    });
    let build = job.peek_next_build();
    let records = job.previous_builds(build.number);
    let flags = args.sources.scm_flags();
    // The change set starts where `run`'s does: at the commit the branch's previous build
    // recorded (the git plugin's last built revision per branch).
    let branch = ScmInfo::branch_name(&flags, git.as_ref().and_then(|g| g.branch.as_deref()));
    let scm = match ScmInfo::resolve(
        &flags,
        git.as_ref()
            .filter(|_| history || args.sources.since.is_some())
            .map(|g| g.root.as_path()),
        git.as_ref().and_then(|g| g.branch.as_deref()),
        records
            .iter()
            .find(|r| r.branch == branch)
            .and_then(|r| r.git_commit.as_deref()),
        now_ms(),
    ) {
        Ok(scm) => scm,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    let (params, notes) = match args
        .sources
        .resolve_params(pipeline.as_ref(), None, &job_name)
    {
        Ok(resolved) => resolved,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    for note in notes.iter().chain(&scm.notes) {
        out.note(note);
    }
    let store = match creds::Store::load(&creds::StoreOptions {
        files: args.credentials.clone(),
        jenkinsfile_dir: Some(dir.clone()),
        trust_repo: args.trust_repo_credentials,
        // A plan starts no process, not even `git check-ignore`.
        no_processes: true,
        ..creds::StoreOptions::from_env()
    }) {
        Ok((store, _)) => Arc::new(store),
        // As for `run`: a credentials file that does not load stops before planning.
        Err(err) => {
            out.warn_error(&err.to_string());
            return Exit::Unusable;
        }
    };
    let (stage_filter, selected) = match selection(args, pipeline.as_ref()) {
        Ok(Some((filter, words))) => (Some(Arc::new(filter)), Some(words)),
        Ok(None) => (None, None),
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    let tree = git.as_ref().map_or_else(|| dir.clone(), |g| g.root.clone());
    // The build runs in the job's workspace, as `run`'s does: empty until a checkout brings
    // the working tree, and outside a repository nothing ever brings it, so a `readFile`
    // there fails in the run and must fail in the plan too. `--in-place` works in the tree.
    let workspace = if args.in_place {
        tree.clone()
    } else {
        job.dir.join("workspace")
    };
    // Password parameters are masked everywhere in the plan: the interpreter sees a run-time
    // value (`<****>`, as a credential is), its variable `****`.
    let mut values = params.values.clone();
    for (k, v) in &mut values {
        if params.secret_names.contains(k) {
            *v = serde_json::Value::String("****".into());
        }
    }
    let env = base_env(args, &job, &build, &workspace, &scm, &values);
    // `--check` looks tools up on the build's PATH (`--env PATH=…` included).
    let build_path = env.get("PATH").cloned();
    let shown_params: serde_json::Map<String, serde_json::Value> =
        values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    // `GIT_PREVIOUS_COMMIT` as a run finds it: the earlier builds of the same branch.
    let on_branch: Vec<&crate::home::BuildRecord> = records
        .iter()
        .filter(|r| r.branch.as_deref() == scm.branch.as_deref())
        .collect();
    let previous = records
        .iter()
        .filter(|record| !record.partial)
        .map(|record| crate::eval::pipeline::BuildRecord {
            number: u32::try_from(record.number).unwrap_or(u32::MAX),
            result: crate::report::BuildResult::parse(&record.result),
            duration_ms: record.duration_ms,
            display_name: record.display_name.clone(),
            description: record.description.clone(),
        })
        .collect();
    // The configured shared libraries, as `lint` reads them (`[libraries]`).
    // The config as `run` reads it (a broken one stops both): its shared libraries, as `lint`
    // reads them (`[libraries]`), and its `[tools]`.
    let loader = crate::config::Loader::from_env();
    let config = match loader.load(&dir, &crate::config::Overrides::default()) {
        Ok(config) => config,
        Err(err) => {
            out.error(&err);
            return Exit::Unusable;
        }
    };
    let libraries = plan::Libraries::from_config(&config, &source.text);
    let tool_config = loader.searched_files(&dir);
    let request = Request {
        file: args.file.display().to_string(),
        libraries,
        workspace: workspace.clone(),
        tree,
        build_number: u32::try_from(build.number).unwrap_or(u32::MAX),
        previous,
        env,
        params: values,
        secret_params: params.secret_names.clone(),
        job_name,
        scm: git.as_ref().map(|g| {
            let config = |section: &str, key: &str| plan::repo::config(&g.root, section, key);
            ScmSource {
                repo: g.root.clone(),
                mode: ScmMode::WorkingCopy,
                branch: g.branch.clone(),
                url: config("remote \"origin\"", "url")
                    .unwrap_or_else(|| g.root.display().to_string()),
                in_place: args.in_place,
                previous_commit: on_branch.first().and_then(|r| r.git_commit.clone()),
                previous_successful_commit: on_branch
                    .iter()
                    .find(|r| r.result == "SUCCESS")
                    .and_then(|r| r.git_commit.clone()),
                user_name: config("user", "name"),
                user_email: config("user", "email"),
            }
        }),
        changes: Arc::new(scm.changes.clone()),
        credentials: Some(Arc::clone(&store)),
        inputs: Inputs {
            branch: scm.branch.clone(),
            tag: scm.env.get("TAG_NAME").cloned(),
            change_request: scm.env.get("CHANGE_ID").cloned(),
            params: shown_params,
            selection: selected,
        },
        stage_filter,
        tools: config.tools.clone(),
        tool_config,
        jenkins_home: job.home.clone(),
    };
    let mut planned = plan::plan(&source, &file, &request);
    let mut exit = if planned.result == "SUCCESS" {
        Exit::Success
    } else {
        Exit::Failure
    };
    if args.check {
        let items = check::check(&planned, &store, build_path.as_deref());
        // The check adds failures; it never hides the plan's own.
        if items.iter().any(check::Item::fails) {
            exit = Exit::Failure;
        }
        planned.check = Some(items);
    }
    let rendered = match args.format {
        FormatArg::Text => text::render(
            &planned,
            text::Style {
                color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            },
        ),
        FormatArg::Json => json::render(&planned),
        FormatArg::Mermaid => mermaid::render(&planned),
    };
    out.print(&rendered);
    exit
}

/// A file with no plan (it does not `parse` or `validate`): the diagnostics on stderr, and
/// with `--format json` a document saying so on stdout; mermaid draws nothing.
fn no_plan(
    format: FormatArg,
    out: &mut Output,
    d: &[Diagnostic],
    s: &SourceFile,
    what: &str,
) -> Exit {
    out.diagnostics(d, s);
    let error = format!("the Jenkinsfile does not {what}");
    match format {
        FormatArg::Json => out.print(&json::render_invalid(s, d, &error)),
        FormatArg::Mermaid => out.warn_error(&format!("no diagram: {error}")),
        FormatArg::Text => {}
    }
    Exit::Failure
}

/// The environment the plan starts from: the host's (secret-looking names withheld, as in
/// `run`), the build's standard variables, the sources' and parameters', then `--env`.
fn base_env(
    args: &Args,
    job: &Job,
    build: &crate::home::Build,
    workspace: &Path,
    scm: &ScmInfo,
    params: &IndexMap<String, serde_json::Value>,
) -> IndexMap<String, String> {
    let mut env = HostEnv::filter(std::env::vars(), &args.pass_env, args.clean_env).passed;
    // The build's variables as `run` computes them (StandardVars), for the build a run would
    // start now, in the workspace it would use; the node cookie is random per build.
    let vars = StandardVars::new(job, build, workspace, None, &IndexMap::new());
    for (k, v) in vars.build.into_iter().chain(vars.node) {
        if k != "JENKINS_NODE_COOKIE" {
            env.insert(k, v);
        }
    }
    for (k, v) in &scm.env {
        env.insert(k.clone(), v.clone());
    }
    for (k, v) in crate::home::params::env_strings(params) {
        env.insert(k, v);
    }
    for (k, v) in &args.env {
        env.insert(k.clone(), v.clone());
    }
    env
}
