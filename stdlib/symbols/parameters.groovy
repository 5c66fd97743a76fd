// Build parameters: their definitions (for `parameters([...])` and the `parameters {}`
// directive; Jenkins core, credentials) and the values passed to `build` (pipeline-build-step).

/**
 * Defines a string build parameter.
 *
 * @param name the parameter's name
 * @param defaultValue the value when none is given
 * @param description help text shown with it
 * @param trim trim white space from the value
 * @plugin jenkins-core
 * @example
 *   properties([parameters([string(name: 'TARGET', defaultValue: 'staging', description: 'Where to deploy')])])
 */
def string(String name, String defaultValue = '', String description = '', boolean trim = false) {}

/**
 * Passes a string parameter value to the job triggered by `build`.
 *
 * @param name the parameter's name
 * @param value its value
 * @plugin pipeline-build-step
 * @example
 *   build job: 'deploy', parameters: [string(name: 'TARGET', value: 'production')]
 */
def string(String name, String value) {}

/**
 * Defines a boolean build parameter (a checkbox).
 *
 * @param name the parameter's name
 * @param defaultValue whether it is checked by default
 * @param description help text shown with it
 * @plugin jenkins-core
 * @example
 *   properties([parameters([booleanParam(name: 'DRY_RUN', defaultValue: true)])])
 */
def booleanParam(String name, boolean defaultValue = false, String description = '') {}

/**
 * Passes a boolean parameter value to the job triggered by `build`.
 *
 * @param name the parameter's name
 * @param value its value
 * @plugin pipeline-build-step
 * @example
 *   build job: 'deploy', parameters: [booleanParam(name: 'DRY_RUN', value: false)]
 */
def booleanParam(String name, boolean value) {}

/**
 * Defines a choice build parameter; the first choice is the default.
 *
 * @param name the parameter's name
 * @param choices the choices, as a List or as one choice per line
 * @param description help text shown with it
 * @plugin jenkins-core
 * @example
 *   properties([parameters([choice(name: 'ENV', choices: ['dev', 'staging', 'prod'])])])
 */
def choice(String name, Object choices = null, String description = '') {}

/**
 * Defines a multi-line text build parameter.
 *
 * @param name the parameter's name
 * @param defaultValue the value when none is given
 * @param description help text shown with it
 * @param trim trim white space from the value
 * @plugin jenkins-core
 * @example
 *   properties([parameters([text(name: 'NOTES', defaultValue: '')])])
 */
def text(String name, String defaultValue = '', String description = '', boolean trim = false) {}

/**
 * Defines a password build parameter, masked in the UI.
 *
 * @param name the parameter's name
 * @param defaultValue the value when none is given
 * @param description help text shown with it
 * @plugin jenkins-core
 * @example
 *   properties([parameters([password(name: 'TOKEN', defaultValue: '')])])
 */
def password(String name, String defaultValue = '', String description = '') {}

/**
 * Defines a file build parameter: the uploaded file is put in the workspace at `name`.
 *
 * @param name the path in the workspace
 * @param description help text shown with it
 * @plugin jenkins-core
 * @example
 *   properties([parameters([file(name: 'config.json', description: 'Configuration to deploy')])])
 */
def file(String name, String description = '') {}

/**
 * Defines a credentials build parameter: the user picks a credential, whose id is the value.
 *
 * @param name the parameter's name
 * @param credentialType the credential class to offer
 * @param defaultValue the id of the default credential
 * @param description help text shown with it
 * @param required a value must be chosen
 * @plugin credentials
 * @example
 *   properties([parameters([credentials(name: 'DEPLOY_KEY', credentialType: 'com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey', required: true)])])
 */
def credentials(String name, String credentialType = 'com.cloudbees.plugins.credentials.common.StandardCredentials', String defaultValue = '', String description = '', boolean required = false) {}
