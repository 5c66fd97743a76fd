// Credential bindings for `withCredentials([...])`: credentials-binding (StringBinding,
// UsernamePasswordMultiBinding, ...), ssh-credentials, docker-commons (dockerCert) and
// aws-credentials (AmazonWebServicesCredentialsBinding).

/**
 * Binds a secret text credential to an environment variable.
 *
 * @param credentialsId the credential's id
 * @param variable the environment variable that receives the secret
 * @plugin credentials-binding
 * @example
 *   withCredentials([string(credentialsId: 'api-token', variable: 'TOKEN')]) {
 *       sh 'curl -H "Authorization: Bearer $TOKEN" https://example.invalid'
 *   }
 */
def string(String credentialsId, String variable) {}
