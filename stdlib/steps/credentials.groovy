// Steps that make credentials available to a block: credentials-binding (withCredentials)
// and ssh-agent (sshagent). The binding symbols live in `stdlib/symbols/credentials.groovy`.

/**
 * Binds credentials to environment variables for the block, and masks their values in the
 * log (`Masking supported pattern matches of $A or $B`). Each binding is a symbol:
 * `string`, `usernamePassword`, `usernameColonPassword`, `file`, `zip`, `sshUserPrivateKey`,
 * `certificate`, `dockerCert`, `aws`, `gitUsernamePassword`.
 *
 * Use single quotes in `sh` so the shell, not Groovy, expands the secret variables.
 *
 * @param bindings the credential bindings
 * @plugin credentials-binding
 * @example
 *   withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'USER', passwordVariable: 'PASS')]) {
 *       sh 'curl -u "$USER:$PASS" https://nexus.example.com/'
 *   }
 */
def withCredentials(List bindings, Closure body) {}

/**
 * Starts an `ssh-agent` holding the given SSH private keys for the block, so `ssh`, `scp` and
 * `git` over SSH can use them (`SSH_AUTH_SOCK` is set).
 *
 * @param credentials ids of SSH username-with-private-key credentials
 * @param ignoreMissing carry on when a credential cannot be found
 * @plugin ssh-agent
 * @example
 *   sshagent(['deploy-key']) {
 *       sh 'ssh deploy@host.example.com ./release.sh'
 *   }
 */
def sshagent(List credentials, boolean ignoreMissing = false, Closure body) {}
