// Build-tool integrations: pipeline-maven (withMaven), config-file-provider
// (configFileProvider) and sonar (withSonarQubeEnv, waitForQualityGate).

/**
 * Runs the block with Maven set up: `mvn` on the `PATH`, the chosen JDK and settings files,
 * and publishers (tests, artifacts, fingerprints) run on what Maven produced.
 *
 * @param maven the Maven installation's name
 * @param jdk the JDK installation's name
 * @param mavenSettingsConfig the managed `settings.xml` file's id
 * @param mavenSettingsFilePath a `settings.xml` path in the workspace
 * @param globalMavenSettingsConfig the managed global settings file's id
 * @param globalMavenSettingsFilePath a global settings path in the workspace
 * @param mavenLocalRepo the local repository directory
 * @param mavenOpts the `MAVEN_OPTS` value
 * @param options publisher options, such as `junitPublisher(disabled: true)`
 * @param publisherStrategy `IMPLICIT` or `EXPLICIT`
 * @param traceability log the configuration in use
 * @plugin pipeline-maven
 * @example
 *   withMaven(maven: 'maven-3', jdk: 'jdk-17') {
 *       sh 'mvn -B verify'
 *   }
 */
def withMaven(String maven = null, String jdk = null, String mavenSettingsConfig = null, String mavenSettingsFilePath = null, String globalMavenSettingsConfig = null, String globalMavenSettingsFilePath = null, String mavenLocalRepo = null, String mavenOpts = null, List options = null, String publisherStrategy = 'IMPLICIT', boolean traceability = false, Closure body) {}

/**
 * Runs the block with managed configuration files (Maven settings, npmrc, ...) written into
 * the workspace or a temporary place, their paths in the given variables.
 *
 * @param managedFiles `configFile(fileId: '...', variable: '...')` entries
 * @plugin config-file-provider
 * @example
 *   configFileProvider([configFile(fileId: 'maven-settings', variable: 'MAVEN_SETTINGS')]) {
 *       sh 'mvn -s "$MAVEN_SETTINGS" deploy'
 *   }
 */
def configFileProvider(List managedFiles, Closure body) {}

/**
 * Runs the block with a SonarQube server's URL and token in the environment, for the
 * scanner to use.
 *
 * @param installationName the SonarQube server's name in Jenkins
 * @param credentialsId a token credential overriding the server's
 * @param envOnly only set the environment variables, do not pass them to the scanner
 * @positional installationName
 * @plugin sonar
 * @example
 *   withSonarQubeEnv('sonarqube') {
 *       sh 'mvn sonar:sonar'
 *   }
 */
def withSonarQubeEnv(String installationName = null, String credentialsId = null, boolean envOnly = false, Closure body) {}

/**
 * Waits for the SonarQube analysis of this build to finish and returns its quality gate.
 *
 * @param abortPipeline fail the build when the quality gate fails
 * @param credentialsId a token credential for the server
 * @param webhookSecretId the secret of the SonarQube webhook
 * @return the quality gate, with `status` (`OK`, `ERROR`, ...)
 * @plugin sonar
 * @example
 *   timeout(time: 10, unit: 'MINUTES') {
 *       waitForQualityGate abortPipeline: true
 *   }
 */
def waitForQualityGate(boolean abortPipeline = false, String credentialsId = null, String webhookSecretId = null) {}
