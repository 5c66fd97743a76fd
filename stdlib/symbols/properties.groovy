// Job properties and Declarative options, as used in `properties([...])` and `options {}`:
// Jenkins core (buildDiscarder, logRotator), workflow-job, workflow-multibranch,
// pipeline-model-definition and a few plugins. The `options {}` directive's own validation
// lives in the model (`stdlib/declarative/`); these stubs let scripted code resolve the calls.

/**
 * Discards old builds by a strategy, usually `logRotator(...)`.
 *
 * @param strategy the discarding strategy
 * @plugin jenkins-core
 * @example
 *   properties([buildDiscarder(logRotator(numToKeepStr: '20'))])
 */
def buildDiscarder(Object strategy) {}

/**
 * Keeps a number of builds, or builds of some age, and optionally fewer artifacts. The
 * values are strings; empty means no limit.
 *
 * @param numToKeepStr how many builds to keep
 * @param daysToKeepStr how many days to keep builds
 * @param artifactNumToKeepStr how many builds keep their artifacts
 * @param artifactDaysToKeepStr how many days builds keep their artifacts
 * @plugin jenkins-core
 * @example
 *   properties([buildDiscarder(logRotator(numToKeepStr: '10', artifactNumToKeepStr: '2'))])
 */
def logRotator(String numToKeepStr = '', String daysToKeepStr = '', String artifactNumToKeepStr = '', String artifactDaysToKeepStr = '') {}

/**
 * Allows only one build of the job at a time; a new build waits, or aborts the running one.
 *
 * @param abortPrevious abort the running build instead of waiting
 * @plugin workflow-job
 * @example
 *   properties([disableConcurrentBuilds(abortPrevious: true)])
 */
def disableConcurrentBuilds(boolean abortPrevious = false) {}

/**
 * Sets the job's triggers from a scripted Pipeline.
 *
 * @param triggers the triggers: `cron(...)`, `pollSCM(...)`, `upstream(...)`
 * @plugin workflow-job
 * @example
 *   properties([pipelineTriggers([cron('H 2 * * *')])])
 */
def pipelineTriggers(List triggers) {}

/**
 * Defines the job's build parameters from a scripted Pipeline.
 *
 * @param parameterDefinitions `string(...)`, `booleanParam(...)`, `choice(...)` entries
 * @plugin jenkins-core
 * @example
 *   properties([parameters([booleanParam(name: 'RELEASE', defaultValue: false)])])
 */
def parameters(List parameterDefinitions) {}

/**
 * Trades durability for speed: how much of the Pipeline's state is saved while it runs.
 *
 * @param hint the durability level
 * @values hint PERFORMANCE_OPTIMIZED SURVIVABLE_NONATOMIC MAX_SURVIVABILITY
 * @plugin workflow-job
 * @example
 *   properties([durabilityHint('PERFORMANCE_OPTIMIZED')])
 */
def durabilityHint(String hint) {}

/**
 * Do not resume the build after a controller restart.
 *
 * @plugin workflow-job
 * @example
 *   properties([disableResume()])
 */
def disableResume() {}

/**
 * Declarative option: skip the automatic `checkout scm` at the start of each agent.
 *
 * @param value skip it
 * @positional value
 * @plugin pipeline-model-definition
 * @example
 *   pipeline {
 *       agent any
 *       options {
 *           skipDefaultCheckout()
 *       }
 *       stages {
 *           stage('Build') {
 *               steps {
 *                   echo 'no checkout'
 *               }
 *           }
 *       }
 *   }
 */
def skipDefaultCheckout(boolean value = true) {}

/**
 * Declarative option: skip the remaining stages once the build is UNSTABLE.
 *
 * @plugin pipeline-model-definition
 * @example
 *   pipeline {
 *       agent any
 *       options {
 *           skipStagesAfterUnstable()
 *       }
 *       stages {
 *           stage('Test') {
 *               steps {
 *                   sh 'make test'
 *               }
 *           }
 *       }
 *   }
 */
def skipStagesAfterUnstable() {}

/**
 * Declarative option: every `parallel` stage group fails fast.
 *
 * @plugin pipeline-model-definition
 * @example
 *   properties([])
 */
def parallelsAlwaysFailFast() {}

/**
 * Declarative option: keep stashes of this many recent builds, for restarting stages.
 *
 * @param buildCount how many builds keep their stashes
 * @plugin pipeline-model-definition
 * @example
 *   properties([])
 */
def preserveStashes(int buildCount = 1) {}

/**
 * Declarative option: check out into a subdirectory of the workspace.
 *
 * @param path the subdirectory
 * @plugin pipeline-model-definition
 * @example
 *   properties([])
 */
def checkoutToSubdirectory(String path) {}

/**
 * Declarative option: with a `docker` or `dockerfile` agent, run each stage in a new container.
 *
 * @plugin pipeline-model-definition
 * @example
 *   properties([])
 */
def newContainerPerStage() {}

/**
 * Waits this many seconds after a build is triggered before it starts.
 *
 * @param quietPeriod the delay in seconds
 * @plugin jenkins-core
 * @example
 *   properties([quietPeriod(30)])
 */
def quietPeriod(int quietPeriod) {}

/**
 * Limits how many builds may start in a period.
 *
 * @param throttle a map of `count`, `durationName` (`second` to `year`) and `userBoost`
 * @plugin build-token-root
 * @example
 *   properties([rateLimitBuilds(throttle: [count: 2, durationName: 'hour', userBoost: true])])
 */
def rateLimitBuilds(Map throttle) {}

/**
 * In a multibranch job, stop branch indexing and webhooks from triggering builds (or allow them).
 *
 * @param value allow indexing to trigger builds
 * @plugin workflow-multibranch
 * @example
 *   properties([overrideIndexTriggers(false)])
 */
def overrideIndexTriggers(boolean value) {}

/**
 * Links the job to its GitHub project page.
 *
 * @param projectUrlStr the project's URL
 * @param displayName the link's text
 * @plugin github
 * @example
 *   properties([githubProjectProperty(projectUrlStr: 'https://github.com/acme/app/')])
 */
def githubProjectProperty(String projectUrlStr, String displayName = null) {}

/**
 * Lets other jobs copy this job's artifacts with `copyArtifacts`.
 *
 * @param projectNames comma-separated jobs allowed to copy
 * @plugin copyartifact
 * @example
 *   properties([copyArtifactPermission('deploy-*')])
 */
def copyArtifactPermission(String projectNames) {}

/**
 * A `retry` condition: retry when the agent went away (disconnected or was removed).
 *
 * @plugin workflow-durable-task-step
 * @example
 *   retry(count: 2, conditions: [agent()]) {
 *       node('linux') {
 *           sh 'make'
 *       }
 *   }
 */
def agent() {}

/**
 * A `retry` condition: retry when a step could not resume after a controller restart.
 *
 * @plugin workflow-basic-steps
 * @example
 *   retry(count: 2, conditions: [nonresumable()]) {
 *       sh 'make'
 *   }
 */
def nonresumable() {}

/**
 * A `retry` condition: retry when the Kubernetes agent pod was lost (evicted, out of memory).
 *
 * @param handleNonKubernetes also retry when a non-Kubernetes agent went away
 * @plugin kubernetes
 * @example
 *   retry(count: 2, conditions: [kubernetesAgent(handleNonKubernetes: true)]) {
 *       sh 'make'
 *   }
 */
def kubernetesAgent(boolean handleNonKubernetes = false) {}

/**
 * A `copyArtifacts` selector: the last successful build.
 *
 * @param stable only a stable (not unstable) build
 * @plugin copyartifact
 * @example
 *   copyArtifacts projectName: 'app', selector: lastSuccessful()
 */
def lastSuccessful(boolean stable = false) {}

/**
 * Declares a managed configuration file for `configFileProvider`.
 *
 * @param fileId the managed file's id
 * @param targetLocation where to write it in the workspace (a temporary file if unset)
 * @param variable an environment variable that receives its path
 * @param replaceTokens expand `${VAR}` tokens in the file
 * @plugin config-file-provider
 * @example
 *   configFileProvider([configFile(fileId: 'npmrc', targetLocation: '.npmrc')]) {
 *       sh 'npm publish'
 *   }
 */
def configFile(String fileId, String targetLocation = null, String variable = null, boolean replaceTokens = false) {}
