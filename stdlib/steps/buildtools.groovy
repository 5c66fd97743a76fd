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

/**
 * Runs the block with a Node.js installation on the `PATH`, and optionally an `.npmrc`.
 *
 * @param nodeJSInstallationName the installation's name
 * @param configId a managed `.npmrc` file's id
 * @plugin nodejs
 * @example
 *   nodejs('node-20') {
 *       sh 'npm ci'
 *   }
 */
def nodejs(String nodeJSInstallationName, String configId = null, Closure body) {}

/**
 * Runs the block with Gradle build scans and test results captured from the `gradle` runs
 * inside it.
 *
 * @plugin gradle
 * @example
 *   withGradle {
 *       sh './gradlew build'
 *   }
 */
def withGradle(Closure body) {}

/**
 * Records code coverage reports (JaCoCo, Cobertura, ...) with trends and quality gates.
 *
 * @param tools the report parsers: `[[parser: 'JACOCO', pattern: 'target/site/jacoco/jacoco.xml']]`
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param qualityGates thresholds: `[[threshold: 80.0, metric: 'LINE', unstable: true]]`
 * @param sourceCodeRetention which source files to keep: `NEVER`, `LAST_BUILD`, `EVERY_BUILD`
 * @param sourceDirectories where the sources are: `[[path: 'src/main/java']]`
 * @param enabledForFailure also record coverage when the build failed
 * @param failOnError fail the build when a report cannot be parsed
 * @param skipPublishingChecks do not publish the results as SCM checks
 * @param ignoreParsingErrors carry on when a report cannot be parsed
 * @param checksName the name of the published check
 * @plugin coverage
 * @example
 *   recordCoverage tools: [[parser: 'JACOCO']], sourceCodeRetention: 'EVERY_BUILD'
 */
def recordCoverage(List tools = null, String id = null, String name = null, List qualityGates = null, String sourceCodeRetention = 'LAST_BUILD', List sourceDirectories = null, boolean enabledForFailure = false, boolean failOnError = false, boolean skipPublishingChecks = false, boolean ignoreParsingErrors = false, String checksName = null) {}

/**
 * Finds the reference build (of the target branch) that later steps such as `recordIssues`
 * and `recordCoverage` compare against.
 *
 * @param referenceJob the job to take the reference build from (the target branch's job if unset)
 * @param targetBranch the branch whose build is the reference
 * @param maxCommits how many commits to look back
 * @param requiredResult the least result the reference build must have
 * @param latestBuildIfNotFound use the newest build when no common commit is found
 * @param scm the key of the SCM to use, when the job has several
 * @plugin git-forensics
 * @example
 *   discoverGitReferenceBuild referenceJob: 'app/main'
 */
def discoverGitReferenceBuild(String referenceJob = null, String targetBranch = null, int maxCommits = 100, String requiredResult = null, boolean latestBuildIfNotFound = false, String scm = '') {}

/**
 * Records test reports of formats other than JUnit (and JUnit), through xUnit's tool types.
 *
 * @param tools the report types: `[JUnit(pattern: 'reports/*.xml'), GoogleTest(pattern: '...')]`
 * @param thresholds failure thresholds: `[failed(unstableThreshold: '1')]`
 * @param checksName the name of the published check
 * @param skipPublishingChecks do not publish the results as SCM checks
 * @param reduceLog log less
 * @param testTimeMargin the time margin for checking report files
 * @plugin xunit
 * @example
 *   xunit tools: [JUnit(pattern: 'reports/*.xml')], thresholds: [failed(unstableThreshold: '1')]
 */
def xunit(List tools, List thresholds = null, String checksName = null, boolean skipPublishingChecks = false, boolean reduceLog = true, String testTimeMargin = '3000') {}
