//! Credentials in a pipeline: `withCredentials([...]) { }` with every binding of
//! credentials-binding, ssh-credentials and aws-credentials, declarative
//! `environment { X = credentials('id') }` ([`environment_credential`]), and Jenkins'
//! warning when Groovy interpolates a secret into a step's arguments
//! (runtime-semantics.md §2.4, §3.4, §4).
//!
//! Every secret value is sent to the masking stage (`Event::Secrets`) before the body, or
//! anything else that could print it, runs. Files go to `<cwd>@tmp/secretFiles/<uuid>/`
//! (0700, files 0400); a guard removes the directory when the block ends, however it ends,
//! even when the body's future is dropped by a timeout or an abort.

mod secret_dir;

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use indexmap::IndexMap;

use self::secret_dir::SecretDir;
use super::blocks::{arg, result_of};
use super::{PipelineHost, env_insert, env_key};
use crate::creds::{BINDINGS, CredError, Credential, Kind};
use crate::eval::args::CallArgs;
use crate::eval::closure::Closure;
use crate::eval::flow::{Flow, R};
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::{Emitter, Event};
use crate::source::Span;
use crate::steps::parameter::SYMBOL_KEY;

/// Lines of a file or key shorter than this are not masked (too likely to be common text).
const MIN_FILE_LINE_CHARS: usize = 8;

/// `string(credentialsId: 'x', variable: 'V')` and the other binding symbols: Jenkins makes
/// an uninstantiated describable of such a call; here it is a map that remembers the symbol.
/// Only calls with a `credentialsId` are bindings (`string(name: …)` is a parameter).
pub(super) fn binding_symbol(name: &str, args: &CallArgs) -> Option<Value> {
    if !BINDINGS.iter().any(|b| b.0 == name) || !args.named.contains_key(&Key::str("credentialsId"))
    {
        return None;
    }
    let mut map = IndexMap::new();
    map.insert(Key::str(SYMBOL_KEY), Value::str(name));
    for (k, v) in &args.named {
        map.insert(k.clone(), v.clone());
    }
    Some(Value::map(map))
}

/// One binding of a `withCredentials` list.
struct Binding {
    symbol: &'static str,
    kind: Kind,
    id: String,
    params: IndexMap<String, String>,
}

impl Binding {
    fn parse(value: &Value, span: Span) -> R<Binding> {
        let bad =
            |what: String| Flow::exception("java.lang.IllegalArgumentException", what).at(span);
        let Value::Map(map) = value else {
            return Err(bad(format!(
                "withCredentials: a binding must be a call such as string(credentialsId: 'id', variable: 'V'), not {}",
                to_string(value)
            )));
        };
        let mut params = IndexMap::new();
        for (k, v) in map.borrow().iter() {
            params.insert(to_string(&k.0), to_string(v));
        }
        let found = if let Some(symbol) = params.shift_remove(SYMBOL_KEY) {
            BINDINGS.iter().find(|b| b.0 == symbol)
        } else if let Some(class) = params.shift_remove("$class") {
            let short = class.rsplit('.').next().unwrap_or(&class).to_owned();
            match BINDINGS.iter().find(|b| b.1 == short) {
                Some(b) => Some(b),
                None => {
                    return Err(Flow::exception(
                        "jenkinsfile.UnsupportedFeatureException",
                        format!("unsupported: the credentials binding {class}"),
                    )
                    .at(span));
                }
            }
        } else {
            None
        };
        let Some(&(symbol, _, kind)) = found else {
            return Err(bad(format!(
                "withCredentials: not a credentials binding: {}",
                to_string(value)
            )));
        };
        let Some(id) = params.shift_remove("credentialsId") else {
            return Err(bad(format!("{symbol}: missing credentialsId")));
        };
        Ok(Binding {
            symbol,
            kind,
            id,
            params,
        })
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    fn required(&self, name: &str, span: Span) -> R<&str> {
        self.param(name).ok_or_else(|| {
            Flow::exception(
                "java.lang.IllegalArgumentException",
                format!("{}: missing {name}", self.symbol),
            )
            .at(span)
        })
    }
}

/// What a set of bindings contributes: variables (with whether each is secret), the extra
/// values to mask (lines of files), and the temp directory.
#[derive(Default)]
struct Bound {
    vars: Vec<(String, String, bool)>,
    masked: Vec<String>,
    dir: Option<SecretDir>,
}

impl Bound {
    fn var(&mut self, name: &str, value: impl Into<String>, secret: bool) {
        self.vars.push((name.to_owned(), value.into(), secret));
    }

    fn dir(&mut self, cwd: &Path, span: Span) -> R<&SecretDir> {
        if self.dir.is_none() {
            let dir = SecretDir::create(cwd).map_err(|e| io_error(&e, span))?;
            self.dir = Some(dir);
        }
        Ok(self.dir.as_ref().expect("created above"))
    }

    /// Writes a secret file and masks its lines of 8 or more characters.
    fn file(&mut self, cwd: &Path, prefix: &str, contents: &[u8], span: Span) -> R<String> {
        let path = self
            .dir(cwd, span)?
            .write(prefix, contents)
            .map_err(|e| io_error(&e, span))?;
        if let Ok(text) = std::str::from_utf8(contents) {
            for line in text.lines() {
                let line = line.trim();
                if line.chars().count() >= MIN_FILE_LINE_CHARS {
                    self.masked.push(line.to_owned());
                }
            }
        }
        Ok(path.display().to_string())
    }

    /// Every value to mask: secret variables' values, then file lines.
    fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .vars
            .iter()
            .filter(|v| v.2 && !v.1.is_empty())
            .map(|v| v.1.clone())
            .collect();
        out.extend(self.masked.iter().cloned());
        out
    }
}

fn io_error(e: &std::io::Error, span: Span) -> Flow {
    Flow::exception("java.io.IOException", e.to_string()).at(span)
}

/// A store error as the exception Jenkins throws: an `AbortException` with its message.
fn cred_error(e: &CredError, span: Span) -> Flow {
    Flow::exception("hudson.AbortException", e.to_string()).at(span)
}

/// `Masking supported pattern matches of $A or $B` for the secret variables, if any.
fn masking_line(vars: &[(String, String, bool)]) -> Option<String> {
    let names: Vec<String> = vars
        .iter()
        .filter(|v| v.2 && !v.1.is_empty())
        .map(|v| format!("${}", v.0))
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "Masking supported pattern matches of {}",
            names.join(" or ")
        )
    })
}

impl PipelineHost {
    fn cwd(&self, cx: &Cx) -> PathBuf {
        cx.dynamic
            .cwd
            .clone()
            .unwrap_or_else(|| self.state.config.host.workspace.clone())
    }

    /// Resolves one binding into `bound`.
    async fn bind(&self, binding: &Binding, cwd: &Path, bound: &mut Bound, span: Span) -> R<()> {
        let store = &self.state.config.credentials;
        let credential = store
            .resolve_as(&binding.id, binding.kind)
            .await
            .map_err(|e| cred_error(&e, span))?;
        match (binding.symbol, credential) {
            ("string", Credential::String { secret }) => {
                bound.var(binding.required("variable", span)?, secret, true);
            }
            (
                "usernamePassword",
                Credential::UsernamePassword {
                    username,
                    password,
                    username_secret,
                },
            ) => {
                if let Some(v) = binding.param("usernameVariable") {
                    bound.var(v, username, username_secret);
                }
                if let Some(v) = binding.param("passwordVariable") {
                    bound.var(v, password, true);
                }
            }
            (
                "usernameColonPassword",
                Credential::UsernamePassword {
                    username, password, ..
                },
            ) => {
                let v = binding.required("variable", span)?;
                bound.var(v, format!("{username}:{password}"), true);
            }
            ("file", Credential::File { contents, .. }) => {
                let v = binding.required("variable", span)?;
                let path = bound.file(cwd, "secret", &contents, span)?;
                bound.var(v, path, true);
            }
            (
                "sshUserPrivateKey",
                Credential::SshUserPrivateKey {
                    username,
                    private_key,
                    passphrase,
                    username_secret,
                },
            ) => {
                let v = binding.required("keyFileVariable", span)?;
                let mut key = private_key;
                if !key.ends_with('\n') {
                    key.push('\n');
                }
                let path = bound.file(cwd, "ssh", key.as_bytes(), span)?;
                bound.var(v, path, true);
                if let Some(v) = binding.param("usernameVariable") {
                    bound.var(v, username, username_secret);
                }
                if let Some(v) = binding.param("passphraseVariable") {
                    bound.var(v, passphrase.unwrap_or_default(), true);
                }
            }
            (
                "certificate",
                Credential::Certificate {
                    keystore,
                    password,
                    description,
                },
            ) => {
                let v = binding.required("keystoreVariable", span)?;
                let path = bound.file(cwd, "keystore", &keystore, span)?;
                bound.var(v, path, true);
                if let Some(v) = binding.param("passwordVariable") {
                    bound.var(v, password, true);
                }
                if let Some(v) = binding.param("aliasVariable") {
                    bound.var(v, description, false);
                }
            }
            (
                "aws",
                Credential::Aws {
                    access_key_id,
                    secret_access_key,
                    session_token,
                },
            ) => {
                let key_var = binding
                    .param("accessKeyVariable")
                    .unwrap_or("AWS_ACCESS_KEY_ID");
                let secret_var = binding
                    .param("secretKeyVariable")
                    .unwrap_or("AWS_SECRET_ACCESS_KEY");
                bound.var(key_var, access_key_id, true);
                bound.var(secret_var, secret_access_key, true);
                if let Some(token) = session_token {
                    bound.var("AWS_SESSION_TOKEN", token, true);
                }
            }
            (symbol, other) => {
                // resolve_as checked the kind; this is a binding this code does not pair.
                return Err(Flow::fatal(
                    format!("{symbol}: cannot bind a {} credential", other.kind()),
                    span,
                ));
            }
        }
        Ok(())
    }

    /// Tells the masking stage about the secrets and records the sensitive variables.
    fn register(&self, emit: &Emitter, bound: &Bound) {
        let secrets = bound.secrets();
        if !secrets.is_empty() {
            emit.emit(Event::Secrets { values: secrets });
        }
        for (name, value, secret) in &bound.vars {
            if *secret && !value.is_empty() {
                self.state.config.credentials.mark_sensitive(name, value);
            }
        }
    }
}

/// `withCredentials(bindings) { body }`.
pub(super) async fn with_credentials(
    host: &PipelineHost,
    interp: &Interp,
    args: &CallArgs,
    c: &Rc<Closure>,
    span: Span,
    cx: &Cx,
) -> R<Value> {
    let emit = host.emitter(cx);
    let list = arg(args, "bindings").unwrap_or(Value::Null);
    let items = crate::eval::gdk::iter_items(&list)?;
    let bindings: Vec<Binding> = items
        .iter()
        .map(|v| Binding::parse(v, span))
        .collect::<R<_>>()?;
    let summary = bindings
        .iter()
        .map(|b| format!("{}({})", b.symbol, b.id))
        .collect::<Vec<_>>()
        .join(", ");
    emit.emit(Event::StepStart {
        name: "withCredentials".into(),
        summary,
        block: true,
        stage: cx.dynamic.stage.as_deref().map(str::to_string),
        branch: cx.dynamic.branch.as_deref().map(str::to_string),
    });
    let started = Instant::now();
    let cwd = host.cwd(cx);
    let mut bound = Bound::default();
    for binding in &bindings {
        if let Err(e) = host.bind(binding, &cwd, &mut bound, span).await {
            // The body never starts (runtime-semantics.md §4.4).
            let r = Err(e);
            let (result, error) = result_of(&r);
            emit.emit(Event::StepEnd {
                name: "withCredentials".into(),
                block: true,
                result,
                duration_ms: started.elapsed().as_millis() as u64,
                error,
            });
            return r;
        }
    }
    host.register(&emit, &bound);
    if let Some(line) = masking_line(&bound.vars) {
        emit.log(line);
    }
    let mut dynamic = (*cx.dynamic).clone();
    for (name, value, _) in &bound.vars {
        // `EnvVars.override`: an empty value unsets the variable.
        let value = (!value.is_empty()).then(|| value.clone());
        env_insert(&mut dynamic.env, name, value);
    }
    emit.emit(Event::BodyStart { label: None });
    let r = interp
        .call_closure(c, Vec::new(), span, &cx.with_dynamic(dynamic))
        .await;
    emit.emit(Event::BodyEnd);
    drop(bound);
    let (result, error) = result_of(&r);
    emit.emit(Event::StepEnd {
        name: "withCredentials".into(),
        block: true,
        result,
        duration_ms: started.elapsed().as_millis() as u64,
        error,
    });
    r
}

/// Declarative `environment { X = credentials('id') }`: the variables to set (`X`, and
/// `X_USR`/`X_PSW` for a username and password or an SSH key; `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY` for AWS), after their secrets were handed to the masking stage.
/// A missing id throws an `AbortException` whose message is the id (`ERROR: id`). A secret
/// file stays until the end of the build (Jenkins removes it at the end of the block that
/// declared it). Names ending in `_USR` are public; every other variable returned is secret
/// ([`masking_line_for`]).
#[allow(
    dead_code,
    reason = "the declarative runtime (decl branch) calls it for environment { X = credentials('id') }"
)]
pub(crate) async fn environment_credential(
    host: &PipelineHost,
    cx: &Cx,
    var: &str,
    id: &str,
    span: Span,
) -> R<Vec<(String, String)>> {
    if let Some(plan) = &host.state.plan {
        return plan.environment_credential(host, cx, var, id, span);
    }
    let store = &host.state.config.credentials;
    let credential = store.resolve(id).await.map_err(|e| match e {
        CredError::NotFound { id } => Flow::exception("hudson.AbortException", id).at(span),
        other => cred_error(&other, span),
    })?;
    let emit = host.emitter(cx);
    let cwd = host.cwd(cx);
    let mut bound = Bound::default();
    let usr = format!("{var}_USR");
    let psw = format!("{var}_PSW");
    match credential {
        Credential::String { secret } => bound.var(var, secret, true),
        Credential::UsernamePassword {
            username,
            password,
            username_secret,
        } => {
            bound.var(var, format!("{username}:{password}"), true);
            bound.var(&usr, username, username_secret);
            bound.var(&psw, password, true);
        }
        Credential::File { contents, .. } => {
            let path = bound.file(&cwd, "secret", &contents, span)?;
            bound.var(var, path, true);
        }
        Credential::SshUserPrivateKey {
            username,
            mut private_key,
            passphrase,
            username_secret,
        } => {
            if !private_key.ends_with('\n') {
                private_key.push('\n');
            }
            let path = bound.file(&cwd, "ssh", private_key.as_bytes(), span)?;
            bound.var(var, path, true);
            bound.var(&usr, username, username_secret);
            if let Some(p) = passphrase.filter(|p| !p.is_empty()) {
                bound.var(&psw, p, true);
            }
        }
        Credential::Aws {
            access_key_id,
            secret_access_key,
            session_token,
        } => {
            emit.log(
                "WARNING: Unknown parameter(s) found for class type 'com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentialsBinding': keyIdVariable,secretVariable",
            );
            bound.var("AWS_ACCESS_KEY_ID", access_key_id, true);
            bound.var("AWS_SECRET_ACCESS_KEY", secret_access_key, true);
            if let Some(token) = session_token {
                bound.var("AWS_SESSION_TOKEN", token, true);
            }
        }
        other @ (Credential::Certificate { .. } | Credential::DockerServer { .. }) => {
            return Err(Flow::exception(
                "java.lang.RuntimeException",
                format!(
                    "No suitable binding handler could be found for type {}. Supported types are StandardUsernamePasswordCredentials,FileCredentials,StringCredentials,SSHUserPrivateKey,AmazonWebServicesCredentials.",
                    other.kind().java_class()
                ),
            )
            .at(span));
        }
    }
    host.register(&emit, &bound);
    if let Some(dir) = bound.dir.take() {
        store.remove_at_end(dir.keep());
    }
    Ok(bound.vars.into_iter().map(|(k, v, _)| (k, v)).collect())
}

/// The `Masking supported pattern matches of …` line for variables returned by
/// [`environment_credential`] (every one but `*_USR`), for the declarative runtime's
/// `withCredentials` line.
#[allow(dead_code, reason = "the declarative runtime (decl branch) prints it")]
pub(crate) fn masking_line_for(vars: &[(String, String)]) -> Option<String> {
    let marked: Vec<(String, String, bool)> = vars
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), !k.ends_with("_USR")))
        .collect();
    masking_line(&marked)
}

/// Jenkins' warning (`DSL.logInterpolationWarnings`): a step got a `GString` argument holding
/// the current value of a variable bound to a secret. Printed right after `[Pipeline] step`.
pub(super) fn warn_interpolation(
    host: &PipelineHost,
    step: &str,
    args: &CallArgs,
    cx: &Cx,
    emit: &Emitter,
) {
    let sensitive = host.state.config.credentials.sensitive();
    if sensitive.is_empty() {
        return;
    }
    let mut texts = Vec::new();
    for v in args.named.values().chain(args.positional.iter()) {
        gstrings(v, &mut texts, 0);
    }
    if texts.is_empty() {
        return;
    }
    let env = host.state.effective_env(&cx.dynamic);
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in &sensitive {
        let current = env_key(&env, name).map(|k| env[&k].as_str());
        if current == Some(value.as_str())
            && texts.iter().any(|t| t.contains(value.as_str()))
            && !names.contains(&name.as_str())
        {
            names.push(name);
        }
    }
    if names.is_empty() {
        return;
    }
    emit.log(format!(
        "Warning: A secret was passed to \"{step}\" using Groovy String interpolation, which is insecure.\n\t\t Affected argument(s) used the following variable(s): [{}]\n\t\t See https://jenkins.io/redirect/groovy-string-interpolation for details.",
        names.join(", ")
    ));
}

/// The `GString`s in an argument, including inside lists and maps.
fn gstrings(v: &Value, out: &mut Vec<Rc<str>>, depth: u32) {
    if depth > 16 {
        return;
    }
    match v {
        Value::GStr(s) => out.push(s.clone()),
        Value::List(items) => {
            for item in items.borrow().iter() {
                gstrings(item, out, depth + 1);
            }
        }
        Value::Map(m) => {
            for (k, item) in m.borrow().iter() {
                gstrings(&k.0, out, depth + 1);
                gstrings(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
