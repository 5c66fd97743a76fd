//! `jenkinsfile run`: runs a Jenkinsfile locally as Jenkins would, in a build home laid out
//! like `JENKINS_HOME`. The build machinery (home, numbers, environment, masking, console,
//! record) is `home::drive`; the interpreter is `eval`.

mod prompt;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Exit;
use super::inputs::{SourceArgs, parse_pair};
use super::output::Output;
use crate::config;
use crate::creds;
use crate::diagnostic::{Diagnostic, RenderStyle, Severity, render};
use crate::eval::pipeline::{BuildRecord as PreviousBuild, RunConfig, run_pipeline};
use crate::home::params;
use crate::home::scm_info::ScmInfo;
use crate::home::selection::{Selection, StageFilter};
use crate::home::{
    DriveOptions, Driven, Ending, GitInfo, Job, QueueTurn, RunOptions, ScmMode, Session,
    default_home, drive, job_name_for,
};
use crate::model::{self, Pipeline};
use crate::report::sink::Format;
use crate::report::{BuildResult, Event, now_ms};
use crate::source::SourceFile;
use crate::steps::{Answerer, FixedAnswer, InputPolicy, StepContext};
use crate::syntax;

const LONG_ABOUT: &str = "\
Run a Jenkinsfile locally, as Jenkins would, with no Jenkins server. Scripted
and declarative pipelines both run, with Jenkins' order of stages, `when`,
`environment`, `options`, `post` and its console lines.

The build runs in the job's workspace inside the build home, never in your
repository (unless --in-place). Its console log is printed as it runs and kept,
masked, with a build.json record, in <home>/jobs/<job>/builds/<N>/.

Your environment reaches the build except secret-looking variables (AWS_*,
GITHUB_*, *TOKEN*, *SECRET*, *PASSWORD*, *_KEY, ...); those withheld are listed
in one line at the start. Let one through with --pass-env NAME.

Credentials for withCredentials and credentials() come from --credentials FILE,
then JENKINSFILE_CREDENTIALS, the repository's .jenkinsfile/credentials.toml and
$XDG_CONFIG_HOME/jenkinsfile/credentials.toml (README, section Credentials).
Every bound secret is masked as **** in all output.";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0    SUCCESS
  1    FAILURE (including a Jenkinsfile that does not parse)
  2    usage error, or a Jenkinsfile that is missing or unreadable
  3    UNSTABLE
  4    ABORTED
  5    NOT_BUILT
  130  interrupted with Ctrl-C (running steps are stopped first)";

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    /// Jenkins-like console log
    Console,
    /// One JSON event per line
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum InputArg {
    /// Approve, with --input-param values (others take their defaults)
    Approve,
    /// Reject: the build ends `ABORTED`
    Abort,
}

#[derive(clap::Args)]
#[command(
    about = "Run a Jenkinsfile locally",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is a command-line flag"
)]
pub(super) struct Args {
    /// The Jenkinsfile to run
    #[arg(value_name = "FILE", default_value = "Jenkinsfile")]
    file: PathBuf,
    /// Build home [default: `$XDG_DATA_HOME/jenkinsfile` or `~/.local/share/jenkinsfile`]
    #[arg(long, value_name = "DIR")]
    home: Option<PathBuf>,
    /// Job name [default: the git repository's directory name, else the Jenkinsfile's]
    #[arg(long, value_name = "NAME")]
    job: Option<String>,
    #[command(flatten)]
    sources: SourceArgs,
    /// Use the repository itself as the workspace (deleteDir/cleanWs will touch it)
    #[arg(long)]
    in_place: bool,
    /// Pass this environment variable even if it looks secret (repeatable)
    #[arg(long = "pass-env", value_name = "NAME")]
    pass_env: Vec<String>,
    /// Pass only PATH, HOME, USER, LANG, TERM, TMPDIR (and --pass-env names)
    #[arg(long)]
    clean_env: bool,
    /// Run only this stage (and the stages inside it); `Parent/Child` for a nested one
    #[arg(long, value_name = "NAME", help_heading = "Partial runs")]
    stage: Option<String>,
    /// Skip this stage (repeatable)
    #[arg(
        long = "skip-stage",
        value_name = "NAME",
        help_heading = "Partial runs"
    )]
    skip_stage: Vec<String>,
    /// Start at this stage, skipping those before it
    #[arg(long, value_name = "NAME", help_heading = "Partial runs")]
    from_stage: Option<String>,
    /// Answer every `input` step: approve or abort [default: ask on the terminal; with no
    /// terminal, `input` fails]
    #[arg(long, value_enum, value_name = "ANSWER", help_heading = "Input")]
    input: Option<InputArg>,
    /// A value for an `input` parameter when approving (repeatable)
    #[arg(long = "input-param", value_name = "NAME=VALUE", value_parser = parse_pair, requires = "input", help_heading = "Input")]
    input_params: Vec<(String, String)>,
    /// What `checkout scm` puts in the workspace: your working copy (HEAD plus uncommitted
    /// and untracked, not-ignored files) or the committed HEAD only, as Jenkins would
    #[arg(long, value_enum, default_value = "working")]
    scm: ScmArg,
    /// Output format
    #[arg(long, value_enum, default_value = "console")]
    format: FormatArg,
    /// Prefix each console line with its time
    #[arg(long)]
    timestamps: bool,
    /// A credentials file, looked up before `JENKINSFILE_CREDENTIALS`, the repository's
    /// `.jenkinsfile/credentials.toml` and the user's (repeatable; a later file wins)
    #[arg(long = "credentials", value_name = "FILE")]
    credentials: Vec<PathBuf>,
    /// Let the repository's `.jenkinsfile/credentials.toml` run `{ command = … }` entries
    #[arg(long)]
    trust_repo_credentials: bool,
}

/// `--scm`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ScmArg {
    Working,
    Head,
}

/// The exit status for a build result.
pub(super) fn exit_for(result: BuildResult) -> Exit {
    match result {
        BuildResult::Success => Exit::Success,
        BuildResult::Unstable => Exit::Unstable,
        BuildResult::Failure => Exit::Failure,
        BuildResult::NotBuilt => Exit::NotBuilt,
        BuildResult::Aborted => Exit::Aborted,
    }
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let source = match SourceFile::read(&args.file) {
        Ok(source) => source,
        Err(err) => {
            out.error(&err);
            return Exit::Unusable;
        }
    };
    let parsed = syntax::parse(&source);
    let Some(home) = args.home.clone().or_else(default_home) else {
        out.warn("no build home: set --home DIR (neither XDG_DATA_HOME nor HOME is set)");
        return Exit::Unusable;
    };
    // The one config loader lint uses: `.jenkinsfile/config.toml` up from the Jenkinsfile,
    // then the user file; `run` needs its `[tools]`.
    let dir = args
        .file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let loader = config::Loader::from_env();
    let config = match loader.load(dir, &config::Overrides::default()) {
        Ok(config) => config,
        Err(err) => {
            out.error(&err);
            return Exit::Unusable;
        }
    };
    let (credentials, credential_warnings) = match load_credentials(args, dir) {
        Ok(store_and_warnings) => store_and_warnings,
        Err(err) => {
            out.warn_error(&err.to_string());
            return Exit::Unusable;
        }
    };
    let credentials = Arc::new(credentials);
    let tool_config = loader.searched_files(dir);
    // Parameters, sources and stage names are checked before a build number is taken: a
    // mistake on the command line is a usage error, not a failed build.
    let (pipeline, model_errors) = match parsed.as_ref() {
        Ok(file) => {
            let (pipeline, diags) = model::build(file, &source);
            let errors: Vec<Diagnostic> = diags
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            (pipeline, errors)
        }
        Err(_) => (None, Vec::new()),
    };
    let inputs = match prepare(args, &home, dir, pipeline.as_ref()) {
        Ok(inputs) => inputs,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    let fixed = args.input.map(|answer| {
        Arc::new(FixedAnswer {
            approve: answer == InputArg::Approve,
            params: args.input_params.iter().cloned().collect(),
            ..FixedAnswer::default()
        })
    });
    let options = RunOptions {
        jenkinsfile: args.file.clone(),
        home,
        job: args.job.clone(),
        branch: inputs.scm.branch.clone(),
        in_place: args.in_place,
        pass_env: args.pass_env.clone(),
        clean_env: args.clean_env,
        params: params::env_strings(&inputs.params.values),
        secret_params: inputs.params.secret_names.clone(),
        tools: config.tools,
        tool_config,
        input: input_policy(fixed.as_ref()),
        scm_mode: match args.scm {
            ScmArg::Working => ScmMode::WorkingCopy,
            ScmArg::Head => ScmMode::Head,
        },
        credentials: credentials.clone(),
        from_stage: args.from_stage.clone(),
    };
    // `disableConcurrentBuilds()` queues this run, with no build number yet, behind the
    // job's running build. Held until the end of the build.
    let mut turn = match pipeline.as_ref().and_then(disable_concurrent) {
        Some(abort_previous) => {
            let queued = Session::job_for(&options).and_then(|job| {
                QueueTurn::wait(&job, abort_previous, |line| out.note(line)).map_err(|e| {
                    format!("cannot queue behind the running build of {}: {e}", job.name)
                })
            });
            match queued {
                Ok(turn) => Some(turn),
                Err(message) => {
                    out.warn_error(&message);
                    return Exit::Unusable;
                }
            }
        }
        None => None,
    };
    let mut session = match Session::open(options, std::env::vars()) {
        Ok(session) => session,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    if let Some(turn) = turn.as_mut()
        && let Err(e) = turn.started(session.build.number)
    {
        out.warn(&format!(
            "cannot record the build in the job's queue lock: {e}"
        ));
    }
    for (name, value) in &inputs.scm.env {
        session.vars.build.insert(name.clone(), value.clone());
    }
    session.partial = inputs.filter.is_some();
    let session = session;
    // Said in the build's own stream, first, so that it is seen and kept in the log.
    // Jenkins prints a build's cause (a restart's) first.
    let mut preamble = session.notes.clone();
    preamble.extend(credential_warnings);
    if let Some(note) = session.host_env.withheld_note() {
        preamble.push(note);
    }
    if args.in_place {
        preamble.push(format!(
            "Warning: --in-place: the workspace is {} itself; deleteDir, cleanWs and every write touch your files",
            session.workspace.display()
        ));
    }
    preamble.extend(inputs.notes.iter().cloned());
    let drive_options = DriveOptions {
        format: match args.format {
            FormatArg::Console => Format::Console,
            FormatArg::Json => Format::Json,
        },
        timestamps: args.timestamps,
        secrets: inputs.params.secrets.clone(),
        preamble,
    };
    let stage_filter = inputs.filter.map(Arc::new);
    let changes = Arc::new(inputs.scm.changes);
    let config = |ctx: StepContext| RunConfig {
        env: ctx.env,
        params: inputs.params.values.clone(),
        build_number: u32::try_from(session.build.number).unwrap_or(u32::MAX),
        job_name: session.job.name.clone(),
        emitter: ctx.emit,
        cancel: ctx.cancel,
        host: ctx.host,
        previous: session
            .job
            .previous_builds(session.build.number)
            .into_iter()
            // A partial run is no reference for `changed`, `fixed` or `regression`.
            .filter(|record| !record.partial)
            .map(|record| PreviousBuild {
                number: u32::try_from(record.number).unwrap_or(u32::MAX),
                result: BuildResult::parse(&record.result),
                duration_ms: record.duration_ms,
                display_name: record.display_name,
                description: record.description,
            })
            .collect(),
        stage_filter: stage_filter.clone(),
        changes: Arc::clone(&changes),
        credentials: credentials.clone(),
    };
    let file = match parsed {
        Ok(file) if model_errors.is_empty() => file,
        failed => {
            // Jenkins compiles (and validates a declarative pipeline) before it runs: nothing
            // runs, and the build is recorded as a FAILURE whose log holds the errors.
            let diags = failed.err().unwrap_or(model_errors);
            let text = render(&diags, &source, RenderStyle::PLAIN);
            let driven = drive(
                &session,
                &drive_options,
                Box::new(std::io::stdout()),
                |ctx| async move {
                    for line in text.lines() {
                        ctx.emit.log(line);
                    }
                    ctx.emit.emit(Event::Finished {
                        result: BuildResult::Failure,
                        duration_ms: 0,
                    });
                    Ending {
                        result: BuildResult::Failure,
                        display_name: None,
                        description: None,
                    }
                },
            );
            return finish(driven, &session, out);
        }
    };
    let driven = drive(
        &session,
        &drive_options,
        Box::new(std::io::stdout()),
        |ctx| {
            let config = config(ctx);
            let (source, file) = (&source, &file);
            async move {
                let outcome = run_pipeline(source, file, config).await;
                Ending {
                    result: outcome.result,
                    display_name: outcome.display_name,
                    description: outcome.description,
                }
            }
        },
    );
    // An answer nobody asked for is most likely a misspelt name: say so.
    for name in fixed.map(|f| f.unused()).unwrap_or_default() {
        out.warn(&format!(
            "--input-param {name}: no input step asked for a parameter of that name"
        ));
    }
    finish(driven, &session, out)
}

/// What the command line decides beyond the build home: typed parameters, the sources
/// `when` looks at, and the stage filter.
struct Inputs {
    params: params::Resolved,
    scm: ScmInfo,
    filter: Option<StageFilter>,
    /// Lines for the start of the log.
    notes: Vec<String>,
}

fn prepare(
    args: &Args,
    home: &Path,
    dir: &Path,
    pipeline: Option<&Pipeline>,
) -> Result<Inputs, String> {
    let git = GitInfo::discover(dir);
    let jenkinsfile = std::path::absolute(&args.file).unwrap_or_else(|_| args.file.clone());
    let job_name = args
        .job
        .clone()
        .unwrap_or_else(|| job_name_for(&jenkinsfile, git.as_ref()));
    let job = Job::new(home, &job_name)?;
    let flags = args.sources.scm_flags();
    // The git plugin keeps the last built revision per branch: the changelog of a build of
    // one branch starts at that branch's previous build.
    let branch = ScmInfo::branch_name(&flags, git.as_ref().and_then(|g| g.branch.as_deref()));
    let previous = job
        .previous_builds(u64::MAX)
        .into_iter()
        .find(|r| r.branch == branch);
    let scm = ScmInfo::resolve(
        &flags,
        git.as_ref().map(|g| g.root.as_path()),
        git.as_ref().and_then(|g| g.branch.as_deref()),
        previous.as_ref().and_then(|p| p.git_commit.as_deref()),
        now_ms(),
    )?;
    let mut notes = scm.notes.clone();
    let (resolved, param_notes) =
        args.sources
            .resolve_params(pipeline, Some(&job.dir), &job_name)?;
    notes.extend(param_notes);
    let selection = Selection {
        stage: args.stage.clone(),
        skip: args.skip_stage.clone(),
        from: args.from_stage.clone(),
    };
    let filter = if selection.is_empty() {
        None
    } else {
        let Some(pipeline) = pipeline else {
            return Err(format!(
                "unsupported: --stage, --skip-stage and --from-stage select the stages of a declarative pipeline; {} is not one",
                args.file.display()
            ));
        };
        Some(StageFilter::for_pipeline(pipeline, &selection)?)
    };
    Ok(Inputs {
        params: resolved,
        scm,
        filter,
        notes,
    })
}

/// Who answers `input`: `--input`, else the terminal on stdin, else nobody (the step fails).
fn input_policy(fixed: Option<&Arc<FixedAnswer>>) -> InputPolicy {
    let answerer: Option<Arc<dyn Answerer>> = match fixed {
        Some(fixed) => Some(fixed.clone()),
        None if std::io::stdin().is_terminal() => Some(Arc::new(prompt::Terminal::default())),
        None => None,
    };
    let user = ["USER", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "anonymous".to_owned());
    InputPolicy { answerer, user }
}

/// The credential store for this run (`--credentials`, `JENKINSFILE_CREDENTIALS`, the
/// repository's and the user's files) and the warnings to print about it.
fn load_credentials(
    args: &Args,
    dir: &std::path::Path,
) -> Result<(creds::Store, Vec<String>), creds::CredError> {
    let options = creds::StoreOptions {
        files: args.credentials.clone(),
        jenkinsfile_dir: Some(dir.to_path_buf()),
        trust_repo: args.trust_repo_credentials,
        ..creds::StoreOptions::from_env()
    };
    creds::Store::load(&options)
}

fn finish(driven: std::io::Result<Driven>, session: &Session, out: &mut Output) -> Exit {
    match driven {
        // A build superseded at a milestone was interrupted by a newer build, not by the user.
        Ok(driven) if driven.interrupted && driven.result != BuildResult::NotBuilt => {
            Exit::Interrupted
        }
        Ok(driven) => exit_for(driven.result),
        Err(err) => {
            out.warn(&format!(
                "cannot write the build record in {}: {err}",
                session.build.dir.display()
            ));
            Exit::Failure
        }
    }
}

/// `options { disableConcurrentBuilds() }` at the pipeline's root: `Some(abortPrevious)`.
fn disable_concurrent(pipeline: &Pipeline) -> Option<bool> {
    let option = pipeline
        .options
        .iter()
        .flat_map(|s| &s.items)
        .find(|o| o.name.node == "disableConcurrentBuilds")?;
    let abort = match &option.args {
        model::pipeline::Arguments::Named(named) => named.iter().any(|(name, value)| {
            name.node == "abortPrevious"
                && matches!(value.node, crate::syntax::ast::ExprKind::Bool(true))
        }),
        _ => false,
    };
    Some(abort)
}
