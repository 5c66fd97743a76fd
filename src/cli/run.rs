//! `jenkinsfile run`: runs a Jenkinsfile locally as Jenkins would, in a build home laid out
//! like `JENKINS_HOME`. The build machinery (home, numbers, environment, masking, console,
//! record) is `home::drive`; the interpreter is `eval`.

use std::path::PathBuf;

use indexmap::IndexMap;

use super::Exit;
use super::output::Output;
use crate::config;
use crate::diagnostic::{RenderStyle, render};
use crate::eval::pipeline::{
    BuildRecord as PreviousBuild, Changes, RunConfig, StageGate, run_pipeline,
};
use crate::home::params;
use crate::home::scm_info::{ScmFlags, ScmInfo};
use crate::home::selection::{Decision, Selection, StageFilter};
use crate::home::{DriveOptions, Driven, Ending, RunOptions, Session, default_home, drive};
use crate::report::sink::Format;
use crate::report::{BuildResult, Event};
use crate::source::SourceFile;
use crate::steps::StepContext;
use crate::syntax;

const LONG_ABOUT: &str = "\
Run a Jenkinsfile locally, as Jenkins would, with no Jenkins server. Scripted
and declarative pipelines both run, with Jenkins' order of stages, `when`,
`environment`, `options`, `post` and its console lines.

Partial runs (declarative): --stage NAME runs one stage (`Parent/Child` for a
nested one), --skip-stage NAME leaves one out, --from-stage NAME starts there;
the stages left out print a skipped line with the reason.

`when` sources: BRANCH_NAME is --branch or the current git branch; TAG_NAME
and CHANGE_* come only from --tag and --change-request (a tagged HEAD alone
is not a tag build); the changelog is the commits since the previous local
build's GIT_COMMIT (or --since REF) plus uncommitted changes.

The build runs in the job's workspace inside the build home, never in your
repository (unless --in-place). Its console log is printed as it runs and kept,
masked, with a build.json record, in <home>/jobs/<job>/builds/<N>/.

Your environment reaches the build except secret-looking variables (AWS_*,
GITHUB_*, *TOKEN*, *SECRET*, *PASSWORD*, *_KEY, ...); those withheld are listed
in one line at the start. Let one through with --pass-env NAME.";

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

#[derive(clap::Args)]
#[command(
    about = "Run a Jenkinsfile locally",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
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
    /// `BRANCH_NAME` [default: the current git branch]
    #[arg(long, value_name = "NAME")]
    branch: Option<String>,
    /// Use the repository itself as the workspace (deleteDir/cleanWs will touch it)
    #[arg(long)]
    in_place: bool,
    /// Pass this environment variable even if it looks secret (repeatable)
    #[arg(long = "pass-env", value_name = "NAME")]
    pass_env: Vec<String>,
    /// Pass only PATH, HOME, USER, LANG, TERM, TMPDIR (and --pass-env names)
    #[arg(long)]
    clean_env: bool,
    /// A build parameter, checked against the pipeline's `parameters { }` (repeatable)
    #[arg(short = 'p', long = "param", value_name = "K=V", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// Build parameters from a JSON or YAML file (`-p` values win)
    #[arg(long = "params-file", value_name = "FILE")]
    params_file: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "console")]
    format: FormatArg,
    /// Prefix each console line with its time
    #[arg(long)]
    timestamps: bool,
    /// Run only this stage (`Parent/Child` for a nested one)
    #[arg(long, value_name = "NAME")]
    stage: Option<String>,
    /// Leave this stage out (repeatable)
    #[arg(long = "skip-stage", value_name = "NAME")]
    skip_stage: Vec<String>,
    /// Start at this stage, skipping the ones before it
    #[arg(long = "from-stage", value_name = "NAME")]
    from_stage: Option<String>,
    /// Build this tag: sets `TAG_NAME` (and `TAG_*`), for `when { tag … }` / `buildingTag()`
    #[arg(long, value_name = "NAME")]
    tag: Option<String>,
    /// Build change request N: sets `CHANGE_ID` (and `BRANCH_NAME=PR-N`)
    #[arg(long = "change-request", value_name = "N")]
    change_request: Option<String>,
    /// `CHANGE_TARGET` of the change request
    #[arg(long = "change-target", value_name = "BRANCH")]
    change_target: Option<String>,
    /// `CHANGE_BRANCH` of the change request [default: the current git branch]
    #[arg(long = "change-branch", value_name = "BRANCH")]
    change_branch: Option<String>,
    /// `CHANGE_AUTHOR` of the change request
    #[arg(long = "change-author", value_name = "NAME")]
    change_author: Option<String>,
    /// `CHANGE_AUTHOR_EMAIL` of the change request
    #[arg(long = "change-author-email", value_name = "EMAIL")]
    change_author_email: Option<String>,
    /// `CHANGE_TITLE` of the change request
    #[arg(long = "change-title", value_name = "TEXT")]
    change_title: Option<String>,
    /// `CHANGE_URL` of the change request
    #[arg(long = "change-url", value_name = "URL")]
    change_url: Option<String>,
    /// The changelog starts after this commit [default: the previous build's `GIT_COMMIT`]
    #[arg(long, value_name = "REF")]
    since: Option<String>,
}

/// A partial run's filter, as the declarative runtime asks it.
#[derive(Debug)]
struct Gate(StageFilter);

impl StageGate for Gate {
    fn skip(&self, path: &[&str]) -> Option<String> {
        match self.0.decide(path) {
            Decision::Skip(reason) => Some(reason),
            Decision::Run | Decision::RunAsAncestor => None,
        }
    }
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
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
    let selection = Selection {
        stage: args.stage.clone(),
        skip: args.skip_stage.clone(),
        from: args.from_stage.clone(),
    };
    let gate = match stage_gate(&source, parsed.as_ref().ok(), &selection) {
        Ok(gate) => gate,
        Err(message) => {
            out.warn(&message);
            return Exit::Unusable;
        }
    };
    let (resolved, param_notes) = match build_params(args, &source, parsed.as_ref().ok()) {
        Ok(found) => found,
        Err(message) => {
            out.warn(&message);
            return Exit::Unusable;
        }
    };
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
    let mut tool_config = vec![config::repository_file(dir).unwrap_or_else(|| {
        std::path::absolute(dir)
            .unwrap_or_default()
            .join(config::REPOSITORY_FILE)
    })];
    tool_config.extend(loader.user_file.clone());
    let options = RunOptions {
        jenkinsfile: args.file.clone(),
        home,
        job: args.job.clone(),
        branch: args.branch.clone(),
        in_place: args.in_place,
        pass_env: args.pass_env.clone(),
        clean_env: args.clean_env,
        params: params::env_strings(&resolved.values),
        tools: config.tools,
        tool_config,
    };
    let session = match Session::open(options, std::env::vars()) {
        Ok(session) => session,
        Err(message) => {
            out.warn(&message);
            return Exit::Unusable;
        }
    };
    let scm = match scm_info(args, &session) {
        Ok(scm) => scm,
        Err(message) => {
            out.warn(&message);
            return Exit::Unusable;
        }
    };
    // Said in the build's own stream, first, so that it is seen and kept in the log.
    let mut preamble = scm.notes.clone();
    preamble.extend(param_notes);
    preamble.extend(resolved.warnings.iter().cloned());
    if let Some(note) = session.host_env.withheld_note() {
        preamble.push(note);
    }
    if args.in_place {
        preamble.push(format!(
            "Warning: --in-place: the workspace is {} itself; deleteDir, cleanWs and every write touch your files",
            session.workspace.display()
        ));
    }
    let drive_options = DriveOptions {
        format: match args.format {
            FormatArg::Console => Format::Console,
            FormatArg::Json => Format::Json,
        },
        timestamps: args.timestamps,
        secrets: resolved.secrets.clone(),
        preamble,
    };
    let config = |ctx: StepContext| RunConfig {
        env: {
            let mut env = ctx.env;
            env.extend(scm.env.clone());
            env
        },
        params: resolved.values.clone(),
        build_number: u32::try_from(session.build.number).unwrap_or(u32::MAX),
        job_name: session.job.name.clone(),
        emitter: ctx.emit,
        cancel: ctx.cancel,
        host: ctx.host,
        previous: session
            .job
            .previous_builds(session.build.number)
            .into_iter()
            .map(|record| PreviousBuild {
                number: u32::try_from(record.number).unwrap_or(u32::MAX),
                result: BuildResult::parse(&record.result),
                duration_ms: record.duration_ms,
                display_name: record.display_name,
                description: record.description,
            })
            .collect(),
        changes: Changes {
            messages: scm
                .changes
                .commits
                .iter()
                .map(|c| c.message.clone())
                .collect(),
            paths: scm.changes.paths.iter().map(|(p, _)| p.clone()).collect(),
        },
        stage_gate: gate.clone().map(|g| -> std::sync::Arc<dyn StageGate> { g }),
    };
    let file = match parsed {
        Ok(file) => file,
        Err(diags) => {
            // Jenkins compiles before it runs: nothing runs, and the build is recorded as a
            // FAILURE whose log holds the compilation errors.
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
    finish(driven, &session, out)
}

fn finish(driven: std::io::Result<Driven>, session: &Session, out: &mut Output) -> Exit {
    match driven {
        Ok(driven) if driven.interrupted => Exit::Interrupted,
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

/// The partial-run filter, checked against the pipeline's stages before the build starts.
fn stage_gate(
    source: &SourceFile,
    file: Option<&syntax::ast::File>,
    selection: &Selection,
) -> Result<Option<std::sync::Arc<Gate>>, String> {
    if selection.is_empty() {
        return Ok(None);
    }
    let pipeline = file
        .and_then(|f| crate::model::build(f, source).0)
        .ok_or_else(|| {
            "--stage, --skip-stage and --from-stage need a declarative pipeline { } with stages"
                .to_string()
        })?;
    let filter = StageFilter::for_pipeline(&pipeline, selection)?;
    Ok(Some(std::sync::Arc::new(Gate(filter))))
}

/// `BRANCH_NAME`, `TAG_*`, `CHANGE_*` and the changelog, from the flags and the repository.
fn scm_info(args: &Args, session: &Session) -> Result<ScmInfo, String> {
    let flags = ScmFlags {
        branch: args.branch.clone(),
        tag: args.tag.clone(),
        change_request: args.change_request.clone(),
        change_target: args.change_target.clone(),
        change_branch: args.change_branch.clone(),
        change_author: args.change_author.clone(),
        change_author_email: args.change_author_email.clone(),
        change_title: args.change_title.clone(),
        change_url: args.change_url.clone(),
        since: args.since.clone(),
    };
    let previous_commit = session
        .job
        .previous_builds(session.build.number)
        .into_iter()
        .find_map(|record| record.git_commit);
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    ScmInfo::resolve(
        &flags,
        session.git.as_ref().map(|g| g.root.as_path()),
        session.git.as_ref().and_then(|g| g.branch.as_deref()),
        previous_commit.as_deref(),
        now_ms,
    )
}

/// The build's parameters: the `--params-file` and `-p` values checked against the
/// declarative `parameters { }` (kept as given for a scripted pipeline), and the notes about
/// definitions that cannot be honoured locally. A value that does not fit is a usage error.
fn build_params(
    args: &Args,
    source: &SourceFile,
    file: Option<&syntax::ast::File>,
) -> Result<(params::Resolved, Vec<String>), String> {
    let from_file = match &args.params_file {
        Some(path) => params::read_params_file(path).map_err(|e| e.to_string())?,
        None => IndexMap::new(),
    };
    let given = params::given(from_file, &args.params);
    let defs = file
        .and_then(|f| crate::model::build(f, source).0)
        .map(|p| params::definitions(&p));
    let job = args.job.clone().unwrap_or_else(|| "this job".to_string());
    let resolved = params::resolve(defs.as_ref().map(|d| &d.defs[..]), &given, &job)
        .map_err(|e| e.to_string())?;
    Ok((resolved, defs.map(|d| d.notes).unwrap_or_default()))
}
