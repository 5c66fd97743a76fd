//! One credential as a store file writes it: its kind, its secret fields as [`Source`]s and
//! its plain settings, checked when the file is loaded; [`Entry::resolve`] reads the secrets
//! (and assumes an AWS role) when a step first needs them.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::error::CredError;
use super::source::{Source, expand_path};
use super::store::Origin;
use super::types::{Credential, Kind};

/// One credential as written in a store file; no secret is read until [`Store::resolve`].
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub kind: Kind,
    pub origin: Origin,
    /// The store file that holds it.
    pub file: PathBuf,
    pub description: String,
    pub(super) sources: IndexMap<&'static str, Source>,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    role_session_duration: Option<i32>,
    region: Option<String>,
    username_secret: bool,
    file_name: Option<String>,
}

/// The fields each kind takes: (name, required, path-valued: a plain string is a path).
fn fields(kind: Kind) -> &'static [(&'static str, bool, bool)] {
    match kind {
        Kind::String => &[("secret", true, false)],
        Kind::UsernamePassword => &[("username", true, false), ("password", true, false)],
        Kind::SshUserPrivateKey => &[
            ("username", true, false),
            ("private_key", true, false),
            ("passphrase", false, false),
        ],
        Kind::File => &[("file", true, true)],
        Kind::Certificate => &[("keystore", true, true), ("password", true, false)],
        Kind::Aws => &[
            ("access_key_id", true, false),
            ("secret_access_key", true, false),
        ],
        Kind::DockerServer => &[
            ("client_key", true, false),
            ("client_certificate", true, false),
            ("server_ca_certificate", false, false),
        ],
    }
}

/// Plain (non-secret) settings each kind accepts besides `type` and `description`.
fn settings(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::UsernamePassword | Kind::SshUserPrivateKey => &["username_secret"],
        Kind::File => &["file_name"],
        Kind::Aws => &[
            "role_arn",
            "role_session_name",
            "role_session_duration",
            "region",
        ],
        Kind::String | Kind::Certificate | Kind::DockerServer => &[],
    }
}

impl Entry {
    pub(super) fn parse(
        id: &str,
        value: &toml::Value,
        origin: Origin,
        file: &Path,
    ) -> Result<Entry, String> {
        let base = file.parent().unwrap_or(Path::new("."));
        let toml::Value::Table(table) = value else {
            return Err(format!("`{id}` must be a table ([{id}])"));
        };
        let Some(type_name) = table.get("type").and_then(toml::Value::as_str) else {
            return Err(format!("[{id}] has no `type`"));
        };
        let kind = Kind::parse(type_name).ok_or_else(|| {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.type_name()).collect();
            format!(
                "[{id}] has unknown type `{type_name}`; expected one of {}",
                known.join(", ")
            )
        })?;
        let mut sources = IndexMap::new();
        for &(name, required, path_valued) in fields(kind) {
            match table.get(name) {
                Some(toml::Value::String(path)) if path_valued => {
                    sources.insert(name, Source::File(expand_path(path, base)));
                }
                Some(v) => {
                    let source =
                        Source::parse(v, base).map_err(|e| format!("[{id}] `{name}`: {e}"))?;
                    sources.insert(name, source);
                }
                None if required => return Err(format!("[{id}] needs `{name}`")),
                None => {}
            }
        }
        for key in table.keys() {
            let known = key == "type"
                || key == "description"
                || fields(kind).iter().any(|f| f.0 == key)
                || settings(kind).contains(&key.as_str());
            if !known {
                return Err(format!(
                    "[{id}] has unknown key `{key}` for type `{type_name}`"
                ));
            }
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match table.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("[{id}] `{key}` must be a string")),
            }
        };
        let role_session_duration = match table.get("role_session_duration") {
            None => None,
            Some(toml::Value::Integer(n)) => Some(
                i32::try_from(*n)
                    .map_err(|_| format!("[{id}] `role_session_duration` is out of range"))?,
            ),
            Some(_) => return Err(format!("[{id}] `role_session_duration` must be an integer")),
        };
        let username_secret = match table.get("username_secret") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(format!("[{id}] `username_secret` must be true or false")),
        };
        Ok(Entry {
            id: id.to_owned(),
            kind,
            origin,
            file: file.to_path_buf(),
            description: text("description")?.unwrap_or_default(),
            sources,
            role_arn: text("role_arn")?,
            role_session_name: text("role_session_name")?,
            role_session_duration,
            region: text("region")?,
            username_secret,
            file_name: text("file_name")?,
        })
    }

    /// Whether resolving this entry runs a command.
    #[must_use]
    pub fn runs_command(&self) -> bool {
        self.sources.values().any(Source::is_command)
    }

    fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    async fn text(&self, field: &str) -> Result<Option<String>, CredError> {
        let Some(source) = self.sources.get(field) else {
            return Ok(None);
        };
        source
            .read_text(self.dir())
            .await
            .map(Some)
            .map_err(|message| self.error(format!("`{field}`: {message}")))
    }

    async fn required_text(&self, field: &str) -> Result<String, CredError> {
        Ok(self.text(field).await?.unwrap_or_default())
    }

    async fn bytes(&self, field: &str) -> Result<Vec<u8>, CredError> {
        match self.sources.get(field) {
            None => Ok(Vec::new()),
            // A file credential is the file as it is, trailing newline included.
            Some(Source::File(path)) => tokio::fs::read(path)
                .await
                .map_err(|e| self.error(format!("`{field}`: cannot read {}: {e}", path.display()))),
            Some(source) => source
                .read(self.dir())
                .await
                .map_err(|message| self.error(format!("`{field}`: {message}"))),
        }
    }

    fn error(&self, message: String) -> CredError {
        CredError::Resolve {
            id: self.id.clone(),
            message,
        }
    }

    pub(super) async fn resolve(&self) -> Result<Credential, CredError> {
        Ok(match self.kind {
            Kind::String => Credential::String {
                secret: self.required_text("secret").await?,
            },
            Kind::UsernamePassword => Credential::UsernamePassword {
                username: self.required_text("username").await?,
                password: self.required_text("password").await?,
                username_secret: self.username_secret,
            },
            Kind::SshUserPrivateKey => Credential::SshUserPrivateKey {
                username: self.required_text("username").await?,
                private_key: self.required_text("private_key").await?,
                passphrase: self.text("passphrase").await?,
                username_secret: self.username_secret,
            },
            Kind::File => Credential::File {
                file_name: self.file_name.clone().unwrap_or_else(|| {
                    match self.sources.get("file") {
                        Some(Source::File(p)) => p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        _ => self.id.clone(),
                    }
                }),
                contents: self.bytes("file").await?,
            },
            Kind::Certificate => Credential::Certificate {
                keystore: self.bytes("keystore").await?,
                password: self.required_text("password").await?,
                description: self.description.clone(),
            },
            Kind::DockerServer => Credential::DockerServer {
                client_key: self.required_text("client_key").await?,
                client_certificate: self.required_text("client_certificate").await?,
                server_ca_certificate: self.text("server_ca_certificate").await?,
            },
            Kind::Aws => {
                let access_key_id = self.required_text("access_key_id").await?;
                let secret_access_key = self.required_text("secret_access_key").await?;
                match &self.role_arn {
                    None => Credential::Aws {
                        access_key_id,
                        secret_access_key,
                        session_token: None,
                    },
                    Some(role_arn) => {
                        let assumed = super::sts::assume_role(&super::sts::Request {
                            access_key_id: &access_key_id,
                            secret_access_key: &secret_access_key,
                            role_arn,
                            session_name: self.role_session_name.as_deref().unwrap_or("Jenkins"),
                            duration_seconds: self.role_session_duration,
                            region: self.region.as_deref(),
                        })
                        .await
                        .map_err(|message| CredError::Sts {
                            id: self.id.clone(),
                            role_arn: role_arn.clone(),
                            message,
                        })?;
                        Credential::Aws {
                            access_key_id: assumed.access_key_id,
                            secret_access_key: assumed.secret_access_key,
                            session_token: Some(assumed.session_token),
                        }
                    }
                }
            }
        })
    }
}
