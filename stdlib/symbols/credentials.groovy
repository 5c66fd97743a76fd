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

/**
 * Binds a username/password credential to two environment variables.
 *
 * @param credentialsId the credential's id
 * @param usernameVariable the variable that receives the username (masked only if the credential says the username is secret)
 * @param passwordVariable the variable that receives the password
 * @plugin credentials-binding
 * @example
 *   withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'USER', passwordVariable: 'PASS')]) {
 *       sh 'mvn -Dnexus.user="$USER" -Dnexus.pass="$PASS" deploy'
 *   }
 */
def usernamePassword(String credentialsId, String usernameVariable, String passwordVariable) {}

/**
 * Binds a username/password credential to one variable as `username:password`.
 *
 * @param credentialsId the credential's id
 * @param variable the variable that receives `username:password`
 * @plugin credentials-binding
 * @example
 *   withCredentials([usernameColonPassword(credentialsId: 'artifactory', variable: 'AUTH')]) {
 *       sh 'curl -u "$AUTH" https://artifactory.example.com/api/system/ping'
 *   }
 */
def usernameColonPassword(String credentialsId, String variable) {}

/**
 * Binds a secret file credential: the variable holds the path of a temporary copy (mode 0400),
 * deleted after the block.
 *
 * @param credentialsId the credential's id
 * @param variable the variable that receives the file's path
 * @plugin credentials-binding
 * @example
 *   withCredentials([file(credentialsId: 'gcp-key', variable: 'GOOGLE_APPLICATION_CREDENTIALS')]) {
 *       sh 'gcloud auth activate-service-account --key-file="$GOOGLE_APPLICATION_CREDENTIALS"'
 *   }
 */
def file(String credentialsId, String variable) {}

/**
 * Binds a secret zip file credential: the variable holds the path of a temporary directory
 * with the zip's contents, deleted after the block.
 *
 * @param credentialsId the credential's id
 * @param variable the variable that receives the directory's path
 * @plugin credentials-binding
 * @example
 *   withCredentials([zip(credentialsId: 'certs', variable: 'CERT_DIR')]) {
 *       sh 'ls "$CERT_DIR"'
 *   }
 */
def zip(String credentialsId, String variable) {}

/**
 * Binds an SSH private key credential: a temporary key file (mode 0400), and optionally the
 * username and passphrase.
 *
 * @param credentialsId the credential's id
 * @param keyFileVariable the variable that receives the key file's path
 * @param usernameVariable the variable that receives the username
 * @param passphraseVariable the variable that receives the passphrase (unset when there is none)
 * @plugin credentials-binding
 * @example
 *   withCredentials([sshUserPrivateKey(credentialsId: 'deploy', keyFileVariable: 'KEY', usernameVariable: 'SSH_USER')]) {
 *       sh 'ssh -i "$KEY" "$SSH_USER@host.example.com" uptime'
 *   }
 */
def sshUserPrivateKey(String credentialsId, String keyFileVariable, String usernameVariable = null, String passphraseVariable = null) {}

/**
 * Binds a certificate credential: a temporary PKCS#12 keystore, and optionally its password
 * and alias.
 *
 * @param credentialsId the credential's id
 * @param keystoreVariable the variable that receives the keystore's path
 * @param passwordVariable the variable that receives the keystore's password
 * @param aliasVariable the variable that receives the alias (the credential's description)
 * @plugin credentials-binding
 * @example
 *   withCredentials([certificate(credentialsId: 'signing', keystoreVariable: 'KEYSTORE', passwordVariable: 'STOREPASS')]) {
 *       sh 'jarsigner -keystore "$KEYSTORE" -storepass "$STOREPASS" app.jar signer'
 *   }
 */
def certificate(String credentialsId, String keystoreVariable, String passwordVariable = null, String aliasVariable = null) {}

/**
 * Binds a Docker client certificate credential: the variable holds a directory with
 * `key.pem`, `cert.pem` and `ca.pem`, for `DOCKER_CERT_PATH`.
 *
 * @param credentialsId the credential's id
 * @param variable the variable that receives the directory's path
 * @plugin docker-commons
 * @example
 *   withCredentials([dockerCert(credentialsId: 'docker-tls', variable: 'DOCKER_CERT_PATH')]) {
 *       sh 'docker --tlsverify -H tcp://docker.example.com:2376 ps'
 *   }
 */
def dockerCert(String credentialsId, String variable) {}

/**
 * Binds an AWS credential to the access key variables, assuming a role first if `roleArn` is
 * given (then `AWS_SESSION_TOKEN` is set too). Also written `[$class: 'AmazonWebServicesCredentialsBinding', ...]`.
 *
 * @param credentialsId the credential's id
 * @param accessKeyVariable the variable that receives the access key id
 * @param secretKeyVariable the variable that receives the secret key
 * @param roleArn a role to assume with the credential
 * @param roleSessionName the session name when assuming `roleArn`
 * @param roleSessionDurationSeconds the assumed role's session length
 * @plugin aws-credentials
 * @example
 *   withCredentials([aws(credentialsId: 'aws-ci')]) {
 *       sh 'aws sts get-caller-identity'
 *   }
 */
def aws(String credentialsId, String accessKeyVariable = 'AWS_ACCESS_KEY_ID', String secretKeyVariable = 'AWS_SECRET_ACCESS_KEY', String roleArn = null, String roleSessionName = 'Jenkins', int roleSessionDurationSeconds = 3600) {}

/**
 * Binds a username/password credential so that `git` commands over HTTPS authenticate with it
 * (through `GIT_ASKPASS`).
 *
 * @param credentialsId the credential's id
 * @param gitToolName the Git installation to use
 * @plugin git
 * @example
 *   withCredentials([gitUsernamePassword(credentialsId: 'github-token')]) {
 *       sh 'git push origin HEAD:main'
 *   }
 */
def gitUsernamePassword(String credentialsId, String gitToolName = 'Default') {}

/**
 * In a Declarative `environment` block, binds a credential to the variable being assigned:
 * secret text as is; username/password as `user:pass`, with `NAME_USR` and `NAME_PSW` too;
 * a secret file as its path.
 *
 * @param id the credential's id
 * @plugin pipeline-model-definition
 * @example
 *   pipeline {
 *       agent any
 *       environment {
 *           NEXUS = credentials('nexus')
 *       }
 *       stages {
 *           stage('Deploy') {
 *               steps {
 *                   sh 'curl -u "$NEXUS_USR:$NEXUS_PSW" https://nexus.example.com/'
 *               }
 *           }
 *       }
 *   }
 */
def credentials(String id) {}
