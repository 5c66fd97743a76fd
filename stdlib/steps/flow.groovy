// Steps that take a block and shape how it runs: workflow-basic-steps, workflow-durable-task-step
// (node, ws), pipeline-stage-step (stage), workflow-cps (parallel).

/**
 * Runs the block in another directory, relative to the current one. The directory is not
 * created until something writes into it. The log says `Running in <absolute path>`.
 *
 * @param path the directory, relative to the current directory
 * @plugin workflow-basic-steps
 * @example
 *   dir('frontend') {
 *       sh 'npm ci'
 *   }
 */
def dir(String path, Closure body) {}

/**
 * Allocates an executor on an agent matching a label expression and a workspace on it, and
 * runs the block there. Without a label any agent will do.
 *
 * @param label a label expression such as `linux && docker`
 * @positional label
 * @plugin workflow-durable-task-step
 * @example
 *   node('linux') {
 *       checkout scm
 *       sh 'make'
 *   }
 */
def node(String label = null, Closure body) {}

/**
 * Names a stage of a scripted Pipeline: its steps are grouped under that name in the log and
 * stage views. In Declarative Pipelines `stage` is a directive inside `stages`, not this step.
 *
 * @param name the stage name
 * @plugin pipeline-stage-step
 * @example
 *   stage('Build') {
 *       sh 'make'
 *   }
 */
def stage(String name, Closure body) {}

/**
 * Runs the block in a workspace directory of its own on the current agent.
 *
 * @param dir the workspace path, absolute or relative to the agent's root
 * @plugin workflow-durable-task-step
 * @example
 *   ws('/tmp/build') {
 *       sh 'make'
 *   }
 */
def ws(String dir, Closure body) {}

/**
 * Aborts the block, and fails it as ABORTED, when it runs longer than the limit (or, with
 * `activity`, when it logs nothing for that long).
 *
 * @param time the limit, in `unit`s
 * @param unit the unit of `time`
 * @param activity count the time since the block last wrote to the log, not since it started
 * @values unit NANOSECONDS MICROSECONDS MILLISECONDS SECONDS MINUTES HOURS DAYS
 * @plugin workflow-basic-steps
 * @example
 *   timeout(time: 30, unit: 'MINUTES') {
 *       sh './integration-tests.sh'
 *   }
 */
def timeout(int time, String unit = 'MINUTES', boolean activity = false) {}

/**
 * Runs the block again when it fails, up to `count` times in all. Aborts are not retried.
 *
 * @param count how many times to try in all
 * @param conditions retry only failures of these kinds: `agent()`, `nonresumable()`, `kubernetesAgent()`
 * @plugin workflow-basic-steps
 * @example
 *   retry(3) {
 *       sh './flaky-download.sh'
 *   }
 */
def retry(int count, List conditions = null, Closure body) {}

/**
 * Runs the block again and again until it returns true. The delay between tries starts at
 * 250 ms and grows by a fifth each time, up to 15 seconds.
 *
 * @param initialRecurrencePeriod the first delay, in milliseconds
 * @param quiet do not log `Will try again after ...` before each retry
 * @plugin workflow-basic-steps
 * @example
 *   waitUntil {
 *       sh(script: 'curl -sf localhost:8080/health', returnStatus: true) == 0
 *   }
 */
def waitUntil(long initialRecurrencePeriod = 250, boolean quiet = false, Closure body) {}

/**
 * Runs branches at the same time: each named argument is a branch name and its closure. The
 * step ends when every branch has ended, and fails if any failed.
 *
 * @param branches a map from branch name to closure, when not written as named arguments
 * @param failFast abort the other branches as soon as one fails
 * @open
 * @plugin workflow-cps
 * @example
 *   parallel(
 *       linux: { node('linux') { sh 'make' } },
 *       windows: { node('windows') { bat 'nmake' } },
 *       failFast: true
 *   )
 */
def parallel(Map branches, boolean failFast = false) {}

/**
 * Runs scripted Pipeline code inside a Declarative `steps` block: variables, `if`, loops and
 * method calls on objects are allowed here.
 *
 * @plugin pipeline-model-definition
 * @example
 *   script {
 *       def targets = ['a', 'b']
 *       for (t in targets) {
 *           sh "make ${t}"
 *       }
 *   }
 */
def script(Closure body) {}

/**
 * Catches a failure in the block, sets the build and stage results, and goes on after the
 * block. Interruptions (aborts, timeouts) set ABORTED whatever `buildResult` says.
 *
 * @param buildResult the build result to set when the block fails
 * @param stageResult the stage result to set when the block fails
 * @param message printed as `ERROR: message` when the block fails
 * @param catchInterruptions also catch aborts and timeouts
 * @values buildResult SUCCESS UNSTABLE FAILURE NOT_BUILT ABORTED
 * @values stageResult SUCCESS UNSTABLE FAILURE NOT_BUILT ABORTED
 * @plugin workflow-basic-steps
 * @example
 *   catchError(buildResult: 'UNSTABLE', stageResult: 'FAILURE') {
 *       sh './lint.sh'
 *   }
 */
def catchError(String buildResult = 'FAILURE', String stageResult = 'SUCCESS', String message = null, boolean catchInterruptions = true, Closure body) {}

/**
 * Like `catchError` with both results UNSTABLE: a failure in the block marks the build and
 * stage UNSTABLE, prints `ERROR: message`, and the build goes on.
 *
 * @param message printed when the block fails
 * @param catchInterruptions also catch aborts and timeouts
 * @plugin workflow-basic-steps
 * @example
 *   warnError('integration tests failed') {
 *       sh './it.sh'
 *   }
 */
def warnError(String message, boolean catchInterruptions = true, Closure body) {}

/**
 * Sets environment variables for the block. Each entry is `NAME=value`; `NAME=` removes the
 * variable and `PATH+EXTRA=/opt/bin` prepends to `PATH`. Values are taken literally.
 *
 * @param overrides the `NAME=value` entries
 * @plugin workflow-basic-steps
 * @example
 *   withEnv(['GOOS=linux', 'PATH+GO=/usr/local/go/bin']) {
 *       sh 'go build ./...'
 *   }
 */
def withEnv(List overrides, Closure body) {}

/**
 * Prefixes every line the block logs with the time it was written.
 *
 * @plugin timestamper
 * @example
 *   timestamps {
 *       sh 'make'
 *   }
 */
def timestamps(Closure body) {}

/**
 * Renders ANSI colour escape sequences in the block's log output.
 *
 * @param colorMapName the colour map: `xterm`, `vga`, `css`, `gnome-terminal`
 * @plugin ansicolor
 * @example
 *   ansiColor('xterm') {
 *       sh 'npm test'
 *   }
 */
def ansiColor(String colorMapName, Closure body) {}

/**
 * Runs the block while holding a lockable resource (or some resources with a label), waiting
 * until it is free.
 *
 * @param resource the resource's name
 * @param label lock resources with this label instead of one by name
 * @param quantity how many resources with `label` to lock (0 means all)
 * @param variable an environment variable that receives the locked resources' names
 * @param inversePrecedence give the lock to the newest waiting build first
 * @param skipIfLocked skip the block instead of waiting when the resource is taken
 * @param extra more resources to lock, as maps with `resource` or `label`
 * @param resourceSelectStrategy `sequential` or `random`, for label locks
 * @positional resource
 * @plugin lockable-resources
 * @example
 *   lock('staging-db') {
 *       sh './migrate.sh'
 *   }
 */
def lock(String resource = null, String label = null, int quantity = 0, String variable = null, boolean inversePrecedence = false, boolean skipIfLocked = false, List extra = null, String resourceSelectStrategy = 'sequential', Closure body) {}
