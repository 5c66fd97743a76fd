//! `jenkinsfile run`: runs a Jenkinsfile locally as Jenkins would, in a build home laid out
//! like `JENKINS_HOME`. The build machinery (home, numbers, environment, masking, console,
//! record) is `home::drive`; the interpreter is `eval`.

use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;

use super::Exit;
use super::output::Output;
use crate::config;
use crate::creds;
use crate::diagnostic::{RenderStyle, render};
use crate::eval::pipeline::{BuildRecord as PreviousBuild, RunConfig, run_pipeline};
use crate::home::{DriveOptions, Driven, Ending, RunOptions, Session, default_home, drive};
use crate::report::sink::Format;
use crate::report::{BuildResult, Event};
use crate::source::SourceFile;
use crate::steps::StepContext;
use crate::syntax;

const LONG_ABOUT: &str = "\
Run a Jenkinsfile locally, as Jenkins would, with no Jenkins server. Scripted
pipelines run; declarative `pipeline {}` blocks are not interpreted yet.

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
    /// A build parameter (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = parse_param)]
    params: Vec<(String, String)>,
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
        params: args.params.iter().cloned().collect::<IndexMap<_, _>>(),
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
    // Said in the build's own stream, first, so that it is seen and kept in the log.
    let mut preamble = credential_warnings;
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
        secrets: Vec::new(),
        preamble,
    };
    let config = |ctx: StepContext| RunConfig {
        env: ctx.env,
        params: session
            .params
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
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
        credentials: credentials.clone(),
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
