//! The one error type of `aws`: what went wrong, in words a pipeline author can act on, with a
//! hint. An SDK error is reduced to its service code and message, or to the endpoint that
//! could not be reached; the raw hyper/SDK error chain is never shown.

use crate::creds::CredError;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("unknown AWS region `{region}`")]
    #[diagnostic(code("aws-unknown-region"), help("{hint}"))]
    UnknownRegion { region: String, hint: String },

    #[error("no AWS credentials for {operation}")]
    #[diagnostic(
        code("aws-no-credentials"),
        help(
            "wrap the step in `withAWS(credentials: 'id') {{ … }}` or `withCredentials([aws(credentialsId: 'id')]) {{ … }}` with an `aws` credential in the store, or pass AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the run with --pass-env"
        )
    )]
    NoCredentials { operation: &'static str },

    /// pipeline-aws' own message when `credentials:` names neither a username/password nor
    /// an AWS credential (a `RuntimeException` in Jenkins).
    #[error("Cannot find a Username with password credential with the ID {id}")]
    #[diagnostic(
        code("aws-credential-not-found"),
        help(
            "add an entry of type `aws` (or `usernamePassword`: key id and secret) with this id to the credential store"
        )
    )]
    CredentialNotFound { id: String },

    #[error("cannot reach the AWS endpoint {endpoint} for {operation}: {cause}")]
    #[diagnostic(
        code("aws-endpoint-unreachable"),
        help(
            "check AWS_ENDPOINT_URL (or withAWS(endpointUrl: …)) and that the service listens there; without an endpoint the tool talks to AWS itself"
        )
    )]
    Unreachable {
        endpoint: String,
        operation: &'static str,
        cause: String,
    },

    #[error("AWS {operation} failed: {code}: {message}")]
    #[diagnostic(
        code("aws-request-failed"),
        help("the service refused the request; check the credentials, the region and the role")
    )]
    Service {
        operation: &'static str,
        code: String,
        message: String,
    },

    #[error("AWS {operation} returned no {what}")]
    #[diagnostic(code("aws-bad-response"))]
    BadResponse {
        operation: &'static str,
        what: &'static str,
    },

    #[error(
        "the registry {server} rejected the ECR token twice (401), also right after a new one was fetched"
    )]
    #[diagnostic(
        code("aws-ecr-token-rejected"),
        help(
            "the credential may lack ecr:GetAuthorizationToken or push/pull rights on this registry, or the registry is not this account's ECR"
        )
    )]
    TokenRejected { server: String },

    #[error("invalid ECR registry credentials id `{id}`: {reason}")]
    #[diagnostic(
        code("aws-ecr-credentials-id"),
        help(
            "the Amazon ECR plugin's form is `ecr:<region>:<credentialsId>`, e.g. `ecr:eu-west-1:aws-creds`"
        )
    )]
    EcrCredentialsId { id: String, reason: &'static str },

    #[error("{0}")]
    #[diagnostic(code("aws-credential"))]
    Credential(#[from] CredError),
}
