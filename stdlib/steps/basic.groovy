// Basic steps: workflow-basic-steps (EchoStep, ErrorStep, SleepStep, ...), plus Groovy's own
// `println` and `print`, which Jenkins routes to the build log.

/**
 * Prints a message to the build log, as is.
 *
 * @param message the text to print
 * @plugin workflow-basic-steps
 * @example
 *   echo "Building ${env.BRANCH_NAME}"
 */
def echo(String message) {}

/**
 * Fails the build with a message and no stack trace (it throws an `AbortException`). The log
 * shows `ERROR: message` where the error is finally caught or the build ends.
 *
 * @param message the failure message
 * @plugin workflow-basic-steps
 * @example
 *   if (!fileExists('pom.xml')) {
 *       error 'no pom.xml in the workspace'
 *   }
 */
def error(String message) {}

/**
 * Pauses the build for a while. The log says `Sleeping for 5 sec`.
 *
 * @param time how long to sleep, in `unit`s
 * @param unit the unit of `time`
 * @values unit NANOSECONDS MICROSECONDS MILLISECONDS SECONDS MINUTES HOURS DAYS
 * @plugin workflow-basic-steps
 * @example
 *   sleep 10
 * @example
 *   sleep time: 2, unit: 'MINUTES'
 */
def sleep(long time, String unit = 'SECONDS') {}

/**
 * Prints a value to the build log followed by a newline. This is Groovy's own method; in
 * Jenkins it writes to the log like `echo`, but it is not a step (no `[Pipeline]` line).
 *
 * @param value the value to print; nothing prints an empty line
 * @positional value
 * @plugin workflow-cps
 * @example
 *   println "version: ${version}"
 */
def println(Object value = null) {}

/**
 * Prints a value to the build log with no newline. Groovy's own method, like `println`.
 *
 * @param value the value to print
 * @plugin workflow-cps
 * @example
 *   print 'no newline'
 */
def print(Object value) {}

/**
 * Marks the build and the current stage UNSTABLE, prints `WARNING: message`, and carries on.
 *
 * @param message why the build is unstable
 * @plugin workflow-basic-steps
 * @example
 *   unstable 'coverage dropped below 80%'
 */
def unstable(String message) {}

/**
 * Tells whether the current agent runs a Unix-like system (anything but Windows).
 *
 * @return `true` on Linux, macOS and other Unix-like agents
 * @plugin workflow-basic-steps
 * @example
 *   if (isUnix()) {
 *       sh 'make'
 *   } else {
 *       bat 'nmake'
 *   }
 */
def isUnix() {}

/**
 * Sends a plain e-mail through the Jenkins mail server.
 *
 * @param subject the subject line
 * @param body the message text
 * @param to comma-separated recipients
 * @param cc comma-separated carbon-copy recipients
 * @param bcc comma-separated blind-copy recipients
 * @param from the sender address
 * @param replyTo the reply-to address
 * @param charset the body's charset
 * @param mimeType the body's MIME type, such as `text/html`
 * @plugin workflow-basic-steps
 * @example
 *   mail to: 'team@example.com', subject: "Build ${env.BUILD_NUMBER} failed", body: "See ${env.BUILD_URL}"
 */
def mail(String subject, String body, String to = null, String cc = null, String bcc = null, String from = null, String replyTo = null, String charset = 'UTF-8', String mimeType = 'text/plain') {}

/**
 * Gives the install directory of a tool configured in Jenkins (a JDK, Maven, Node.js), and
 * installs it on the agent first when an installer is configured. Fails with
 * `No <type> named <name> found` for an unknown tool.
 *
 * @param name the tool installation's name
 * @param type the tool type's symbol (`jdk`, `maven`) or class name
 * @return the tool's home directory on the agent
 * @plugin workflow-basic-steps
 * @example
 *   def mvnHome = tool 'maven-3'
 *   sh "${mvnHome}/bin/mvn -v"
 */
def tool(String name, String type = null) {}

/**
 * Runs a Groovy file from the workspace and returns what it returns (often `this`, so its
 * methods can be called).
 *
 * @param path the Groovy file, relative to the workspace
 * @return the value of the script's last statement
 * @plugin workflow-cps
 * @example
 *   def utils = load 'ci/utils.groovy'
 *   utils.deploy()
 */
def load(String path) {}

/**
 * Loads a shared library at run time, as `@Library` does at compile time, and returns an
 * object giving access to its classes.
 *
 * @param identifier `name@version`, or just `name` for the default version
 * @param changelog include the library's changes in the build's changelog
 * @param retriever where to fetch the library from when it is not configured globally
 * @return the library, for `lib.com.example.Helper.new(this)`
 * @plugin workflow-cps-global-lib
 * @example
 *   library 'pipeline-helpers@v2'
 */
def library(String identifier, boolean changelog = true, Object retriever = null) {}

/**
 * Reads a resource file from a shared library's `resources/` directory.
 *
 * @param resource the path under `resources/`
 * @param encoding the file's charset, or `Base64` to get it base64-encoded
 * @return the file's contents
 * @plugin workflow-cps-global-lib
 * @example
 *   def template = libraryResource 'templates/deploy.yaml'
 */
def libraryResource(String resource, String encoding = null) {}

/**
 * Sets the job's properties (build discarder, parameters, triggers, ...) from a scripted
 * Pipeline; they take effect for the next build. Declarative Pipelines use `options`,
 * `parameters` and `triggers` instead, and Jenkins rejects this step there.
 *
 * @param properties the job properties, replacing those set before
 * @plugin workflow-multibranch
 * @example
 *   properties([
 *       buildDiscarder(logRotator(numToKeepStr: '10')),
 *       parameters([string(name: 'TARGET', defaultValue: 'staging')]),
 *   ])
 */
def properties(List properties) {}

/**
 * Runs a build step or publisher that has no step of its own, by its class:
 * `step([$class: 'JUnitResultArchiver', testResults: '*.xml'])`.
 *
 * @param delegate the describable, usually a map with a `$class` key
 * @plugin workflow-basic-steps
 * @example
 *   step([$class: 'ArtifactArchiver', artifacts: 'build/*.jar'])
 */
def step(Object delegate) {}

/**
 * Runs the block inside a build wrapper that has no step of its own, by its class.
 *
 * @param delegate the wrapper, usually a map with a `$class` key
 * @plugin workflow-basic-steps
 * @example
 *   wrap([$class: 'TimestamperBuildWrapper']) {
 *       sh 'make'
 *   }
 */
def wrap(Object delegate, Closure body) {}

/**
 * Asks a person to approve before the build goes on, optionally with parameters to fill in.
 * The build waits; rejecting it aborts the build.
 *
 * @param message the question shown to the approver
 * @param id an identifier for the input, for the REST API
 * @param ok the caption of the approve button (default `Proceed`)
 * @param parameters parameter definitions to ask for
 * @param submitter comma-separated users or groups allowed to answer
 * @param submitterParameter the name under which the approver's id is returned
 * @return `null` without parameters; the value with one parameter; a Map with several
 * @plugin pipeline-input-step
 * @example
 *   input message: 'Deploy to production?', ok: 'Deploy'
 */
def input(String message, String id = null, String ok = null, List parameters = null, String submitter = null, String submitterParameter = null) {}

/**
 * Triggers another job and, by default, waits for it and fails if it fails.
 *
 * @param job the job's name or path (`folder/job`, or `../sibling`)
 * @param parameters the job's parameters: `string(name: 'X', value: 'y')`, `booleanParam(...)`
 * @param propagate fail this build when the triggered build is not successful
 * @param wait wait for the triggered build to finish
 * @param waitForStart wait until the triggered build starts (when `wait` is false)
 * @param quietPeriod seconds to wait before the build starts
 * @return the triggered build (a `RunWrapper`) when waiting; `null` otherwise
 * @plugin pipeline-build-step
 * @example
 *   build job: 'deploy', parameters: [string(name: 'VERSION', value: env.BUILD_NUMBER)], wait: false
 */
def build(String job, List parameters = null, boolean propagate = true, boolean wait = true, boolean waitForStart = false, int quietPeriod = 0) {}

/**
 * Makes sure older builds cannot pass a milestone once a newer build has: when a build passes
 * milestone N, older builds that have not passed it yet are aborted.
 *
 * @param ordinal the milestone's number; it must grow through the Pipeline
 * @param label a display label
 * @param unsafe allow the milestone inside `parallel`
 * @positional ordinal
 * @plugin pipeline-milestone-step
 * @example
 *   milestone 1
 */
def milestone(Integer ordinal = null, String label = null, boolean unsafe = false) {}
