//! `jenkinsfile credentials check [FILE] [--resolve]`: which credential ids a Jenkinsfile
//! uses, with the type each use expects, checked against the store `run` would use. Nothing
//! is resolved (no variable read, no command run, no STS call) unless `--resolve` is given,
//! and no secret is ever printed: only ids, types, store files and Jenkins' messages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Exit;
use super::output::Output;
use crate::creds::{BINDINGS, CredError, Kind, Store, StoreOptions};
use crate::lint::walk::{self, Frame, Visitor};
use crate::source::SourceFile;
use crate::syntax;
use crate::syntax::ast::{Expr, ExprKind, MapKey};

const LONG_ABOUT: &str = "\
Check the credentials a Jenkinsfile uses against the credential store.

Lists every credential id the Jenkinsfile names (withCredentials bindings,
credentials('id') in environment {}, and credentialsId: arguments of other
steps), with the type each use expects, and says which ids are missing from
the store or are of the wrong type. The store is the one `run` uses:
--credentials FILE (repeatable, a later file wins), JENKINSFILE_CREDENTIALS,
the repository's .jenkinsfile/credentials.toml, then
$XDG_CONFIG_HOME/jenkinsfile/credentials.toml.

Nothing is resolved unless --resolve is given: then every used credential is
read (environment variables, files, commands, STS AssumeRole) to prove that it
works. No secret is ever printed.";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0  every used credential is in the store with the right type (and resolves)
  1  a credential is missing, of the wrong type, or does not resolve
  2  usage error, an unreadable Jenkinsfile, or an invalid store file";

#[derive(clap::Args)]
#[command(about = "Credential store commands")]
pub(super) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    Check(CheckArgs),
}

#[derive(clap::Args)]
#[command(
    about = "Check the credentials a Jenkinsfile uses",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
struct CheckArgs {
    /// The Jenkinsfile
    #[arg(value_name = "FILE", default_value = "Jenkinsfile")]
    file: PathBuf,
    /// A credentials file (repeatable; a later file wins)
    #[arg(long = "credentials", value_name = "FILE")]
    credentials: Vec<PathBuf>,
    /// Let the repository's store run `{ command = … }` entries (with --resolve)
    #[arg(long)]
    trust_repo_credentials: bool,
    /// Resolve every used credential (reads variables and files, runs commands, calls STS)
    #[arg(long)]
    resolve: bool,
}

/// What a use of an id expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expects {
    Kind(Kind),
    /// `credentials('id')`: any type its handlers support (not a certificate).
    Environment,
    /// A `credentialsId:` argument of another step: the step decides.
    Any,
}

/// One place where the Jenkinsfile names a credential id.
#[derive(Clone, Debug)]
struct Use {
    id: String,
    how: String,
    expects: Expects,
    offset: usize,
}

#[derive(Default)]
struct Uses(Vec<Use>);

fn literal(expr: &Expr) -> Option<&str> {
    match &expr.node {
        ExprKind::Str(s) => Some(&s.value),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Uses {
    fn expr(&mut self, expr: &'a Expr, _frames: &[Frame<'a>]) {
        match &expr.node {
            ExprKind::MethodCall { .. } => {
                let Some(call) = walk::call(expr) else { return };
                if call.receiver.is_none()
                    && call.name == "credentials"
                    && let Some(id) = call.first_positional().and_then(literal)
                {
                    self.0.push(Use {
                        id: id.to_owned(),
                        how: "credentials()".into(),
                        expects: Expects::Environment,
                        offset: expr.span.start as usize,
                    });
                    return;
                }
                if let Some(found) = registry_use(&call, expr.span.start as usize) {
                    self.0.push(found);
                    return;
                }
                let Some(id) = call.named("credentialsId").and_then(literal) else {
                    return;
                };
                let binding = BINDINGS
                    .iter()
                    .find(|b| b.0 == call.name && call.receiver.is_none());
                self.0.push(Use {
                    id: id.to_owned(),
                    how: match binding {
                        Some(b) => format!("{} binding", b.0),
                        None => format!("{}(credentialsId:)", call.name),
                    },
                    expects: binding.map_or(Expects::Any, |b| Expects::Kind(b.2)),
                    offset: expr.span.start as usize,
                });
            }
            // `[$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'x', …]`
            ExprKind::Map(entries) => {
                let get = |key: &str| {
                    entries.iter().find_map(|e| match &e.key {
                        MapKey::Name(n) if n.node == key => literal(&e.value),
                        _ => None,
                    })
                };
                let (Some(class), Some(id)) = (get("$class"), get("credentialsId")) else {
                    return;
                };
                let short = class.rsplit('.').next().unwrap_or(class);
                let binding = BINDINGS.iter().find(|b| b.1 == short);
                self.0.push(Use {
                    id: id.to_owned(),
                    how: format!("$class: '{short}'"),
                    expects: binding.map_or(Expects::Any, |b| Expects::Kind(b.2)),
                    offset: expr.span.start as usize,
                });
            }
            _ => {}
        }
    }
}

/// The ids of registry and AWS logins: `docker.withRegistry(url, 'id')`,
/// `docker.withServer(uri, 'id')`, `withDockerRegistry(credentialsId:)`,
/// `registryCredentialsId 'id'` of the docker and dockerfile agents, and `withAWS(credentials:
/// 'id')`. The Amazon ECR plugin's `ecr:<region>:<id>` names an `aws` credential `<id>`.
fn registry_use(call: &walk::Call<'_>, offset: usize) -> Option<Use> {
    let positional = |i: usize| {
        call.args
            .items
            .iter()
            .filter_map(|a| match a {
                crate::syntax::ast::Arg::Positional(e) => Some(e),
                _ => None,
            })
            .nth(i)
            .and_then(literal)
    };
    let (id, how, expects) = match (call.name, call.receiver.is_some()) {
        ("withRegistry", true) => (
            positional(1).or_else(|| call.named("credentialsId").and_then(literal))?,
            "docker.withRegistry",
            Expects::Kind(Kind::UsernamePassword),
        ),
        ("withServer", true) => (
            positional(1)?,
            "docker.withServer",
            Expects::Kind(Kind::DockerServer),
        ),
        // Named arguments, a positional map (`withDockerRegistry([url: …, credentialsId: …])`)
        // or the map under `registry:` / `server:`.
        ("withDockerRegistry", false) => (
            step_credentials_id(call, "registry")?,
            "withDockerRegistry(credentialsId:)",
            Expects::Kind(Kind::UsernamePassword),
        ),
        ("withDockerServer", false) => (
            step_credentials_id(call, "server")?,
            "withDockerServer(credentialsId:)",
            Expects::Kind(Kind::DockerServer),
        ),
        ("registryCredentialsId", false) => (
            call.first_positional().and_then(literal)?,
            "registryCredentialsId",
            Expects::Kind(Kind::UsernamePassword),
        ),
        // An `aws` credential, or a username/password holding the key pair.
        ("withAWS", false) => (
            call.named("credentials").and_then(literal)?,
            "withAWS(credentials:)",
            Expects::Any,
        ),
        _ => return None,
    };
    if let Some(rest) = id.strip_prefix("ecr:") {
        let cred = rest.split_once(':').map_or(rest, |(_, c)| c);
        return Some(Use {
            id: cred.to_owned(),
            how: format!("{how} '{id}', ECR login"),
            expects: Expects::Kind(Kind::Aws),
            offset,
        });
    }
    Some(Use {
        id: id.to_owned(),
        how: how.to_owned(),
        expects,
        offset,
    })
}

/// `credentialsId` of a docker step given named, as a positional map or as the map under
/// `key`.
fn step_credentials_id<'a>(call: &walk::Call<'a>, key: &str) -> Option<&'a str> {
    let in_map = |expr: &'a Expr| match &expr.node {
        ExprKind::Map(entries) => entries.iter().find_map(|e| match &e.key {
            MapKey::Name(n) if n.node == "credentialsId" => literal(&e.value),
            _ => None,
        }),
        _ => None,
    };
    call.named("credentialsId")
        .and_then(literal)
        .or_else(|| call.first_positional().and_then(in_map))
        .or_else(|| call.named(key).and_then(in_map))
}

/// The verdict on one use, without resolving.
fn verdict(store: &Store, u: &Use) -> Result<String, String> {
    let Some(entry) = store.lookup(&u.id) else {
        return Err(CredError::NotFound { id: u.id.clone() }.to_string());
    };
    let found = format!("{} in {}", entry.kind.display_name(), entry.file.display());
    match u.expects {
        Expects::Kind(k) if k != entry.kind => Err(CredError::WrongType {
            id: u.id.clone(),
            actual: entry.kind.display_name(),
            expected: k.display_name(),
        }
        .to_string()),
        Expects::Environment if matches!(entry.kind, Kind::Certificate | Kind::DockerServer) => {
            Err(format!(
                "credentials('{}') cannot bind a {} credential",
                u.id,
                entry.kind.display_name()
            ))
        }
        _ => Ok(found),
    }
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let Command::Check(args) = &args.command;
    check(args, out)
}

fn check(args: &CheckArgs, out: &mut Output) -> Exit {
    let source = match SourceFile::read(&args.file) {
        Ok(source) => source,
        Err(err) => {
            out.error(&err);
            return Exit::Unusable;
        }
    };
    let file = match syntax::parse(&source) {
        Ok(file) => file,
        Err(diags) => {
            out.diagnostics(&diags, &source);
            return Exit::Unusable;
        }
    };
    let dir = args
        .file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let options = StoreOptions {
        files: args.credentials.clone(),
        jenkinsfile_dir: Some(dir.to_path_buf()),
        trust_repo: args.trust_repo_credentials,
        ..StoreOptions::from_env()
    };
    let (store, warnings) = match Store::load(&options) {
        Ok(loaded) => loaded,
        Err(err) => {
            out.warn_error(&err.to_string());
            return Exit::Unusable;
        }
    };
    for w in warnings {
        out.note(&w);
    }
    let mut uses = Uses::default();
    walk::walk(&file, &mut uses);
    let mut text = String::new();
    if store.files.is_empty() {
        text.push_str("store: no credentials file found\n");
    }
    for (origin, path) in &store.files {
        let _ = writeln!(text, "store: {} ({origin})", path.display());
    }
    if uses.0.is_empty() {
        text.push_str("no credentials used\n");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let mut exit = Exit::Success;
    for u in &uses.0 {
        let lc = source.line_col(u.offset);
        let expects = match u.expects {
            Expects::Kind(k) => k.display_name(),
            Expects::Environment => "any bindable type",
            Expects::Any => "any type",
        };
        let mut line = format!(
            "{}:{}:{}: {} ({}, expects {expects}): ",
            source.name, lc.line, lc.column, u.id, u.how
        );
        match verdict(&store, u) {
            Ok(found) if args.resolve => {
                let resolved = match &runtime {
                    Ok(rt) => rt.block_on(store.resolve(&u.id)).map_err(|e| e.to_string()),
                    Err(e) => Err(format!("cannot start a runtime: {e}")),
                };
                match resolved {
                    Ok(_) => {
                        let _ = write!(line, "ok, {found}, resolves");
                    }
                    Err(e) => {
                        let _ = write!(line, "does not resolve: {e}");
                        exit = Exit::Failure;
                    }
                }
            }
            Ok(found) => {
                let _ = write!(line, "ok, {found}");
            }
            Err(message) => {
                line.push_str(&message);
                exit = Exit::Failure;
            }
        }
        text.push_str(&line);
        text.push('\n');
    }
    out.print(&text);
    exit
}
