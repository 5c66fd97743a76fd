//! Jenkins' credential kinds, as the store's `type` names them, and a resolved credential.

use std::fmt;

/// A credential's kind: the store's `type` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    String,
    UsernamePassword,
    SshUserPrivateKey,
    File,
    Certificate,
    Aws,
    /// docker-commons' `DockerServerCredentials`: the TLS client key and certificate (and the
    /// CA of the engine's certificate) of `docker.withServer(uri, credentialsId)`.
    DockerServer,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::String,
        Kind::UsernamePassword,
        Kind::SshUserPrivateKey,
        Kind::File,
        Kind::Certificate,
        Kind::Aws,
        Kind::DockerServer,
    ];

    /// The kind a store `type` names.
    #[must_use]
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.type_name() == name)
    }

    /// The name in the store file.
    #[must_use]
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::UsernamePassword => "usernamePassword",
            Kind::SshUserPrivateKey => "sshUserPrivateKey",
            Kind::File => "file",
            Kind::Certificate => "certificate",
            Kind::Aws => "aws",
            // The symbol configuration-as-code gives DockerServerCredentials.
            Kind::DockerServer => "x509ClientCert",
        }
    }

    /// Jenkins' display name, used in its wrong-type message.
    #[must_use]
    pub fn display_name(self) -> &'static str {
        match self {
            Kind::String => "Secret text",
            Kind::UsernamePassword => "Username with password",
            Kind::SshUserPrivateKey => "SSH Username with private key",
            Kind::File => "Secret file",
            Kind::Certificate => "Certificate",
            Kind::Aws => "AWS Credentials",
            Kind::DockerServer => "X.509 Client Certificate",
        }
    }

    /// The Java class of Jenkins' implementation, for messages that name it.
    #[must_use]
    pub fn java_class(self) -> &'static str {
        match self {
            Kind::String => "org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl",
            Kind::UsernamePassword => {
                "com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl"
            }
            Kind::SshUserPrivateKey => {
                "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey"
            }
            Kind::File => "org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl",
            Kind::Certificate => {
                "com.cloudbees.plugins.credentials.impl.CertificateCredentialsImpl"
            }
            Kind::Aws => "com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl",
            Kind::DockerServer => {
                "org.jenkinsci.plugins.docker.commons.credentials.DockerServerCredentials"
            }
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name())
    }
}

/// A credential with its secrets read. Debug output never shows a secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    String {
        secret: String,
    },
    UsernamePassword {
        username: String,
        password: String,
        /// Jenkins' "Treat username as secret" (off by default).
        username_secret: bool,
    },
    SshUserPrivateKey {
        username: String,
        private_key: String,
        passphrase: Option<String>,
        username_secret: bool,
    },
    File {
        /// The file name Jenkins shows; the temp copy gets a generated name.
        file_name: String,
        contents: Vec<u8>,
    },
    Certificate {
        /// PKCS#12 keystore bytes, as stored.
        keystore: Vec<u8>,
        password: String,
        /// Bound to `aliasVariable`, as Jenkins does.
        description: String,
    },
    Aws {
        access_key_id: String,
        secret_access_key: String,
        /// Set when a role was assumed.
        session_token: Option<String>,
    },
    /// PEM text, as docker-commons writes it to `key.pem`, `cert.pem` and `ca.pem`.
    DockerServer {
        client_key: String,
        client_certificate: String,
        server_ca_certificate: Option<String>,
    },
}

impl Credential {
    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            Credential::String { .. } => Kind::String,
            Credential::UsernamePassword { .. } => Kind::UsernamePassword,
            Credential::SshUserPrivateKey { .. } => Kind::SshUserPrivateKey,
            Credential::File { .. } => Kind::File,
            Credential::Certificate { .. } => Kind::Certificate,
            Credential::Aws { .. } => Kind::Aws,
            Credential::DockerServer { .. } => Kind::DockerServer,
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential({}, <secret>)", self.kind())
    }
}

/// The bindings of `withCredentials`: symbol, `$class` name, and the credential kind each
/// expects (one table for the runtime and `credentials check`).
pub const BINDINGS: &[(&str, &str, Kind)] = &[
    ("string", "StringBinding", Kind::String),
    (
        "usernamePassword",
        "UsernamePasswordMultiBinding",
        Kind::UsernamePassword,
    ),
    (
        "usernameColonPassword",
        "UsernamePasswordBinding",
        Kind::UsernamePassword,
    ),
    ("file", "FileBinding", Kind::File),
    (
        "sshUserPrivateKey",
        "SSHUserPrivateKeyBinding",
        Kind::SshUserPrivateKey,
    ),
    ("certificate", "CertificateMultiBinding", Kind::Certificate),
    ("aws", "AmazonWebServicesCredentialsBinding", Kind::Aws),
];
