// The `env` global (workflow-cps EnvActionImpl) and `params` (workflow-cps ParamsVariable).

/**
 * The build's environment variables. Reading `env.NAME` gives a String or `null`; assigning
 * `env.NAME = value` sets it for the rest of the build (values become Strings). Inside
 * `withEnv`, `withCredentials` and `environment {}` the overrides show here too.
 *
 * @plugin workflow-cps
 */
EnvActionImpl env

/**
 * The build's parameters, by name, with their declared types (a `booleanParam` is a boolean).
 * Read-only.
 *
 * @plugin workflow-cps
 */
ParamsVariable params

/**
 * Environment variables. Any name may be read or assigned; these are the ones Jenkins sets.
 *
 * @dynamic
 */
class EnvActionImpl {
    /** The branch being built, in a multibranch job. */
    String BRANCH_NAME
    /** `true` when the branch is the repository's primary branch. */
    String BRANCH_IS_PRIMARY
    /** The build number, as a String. */
    String BUILD_NUMBER
    /** The build id (the number, as a String). */
    String BUILD_ID
    /** `#42` by default. */
    String BUILD_DISPLAY_NAME
    /** The build's URL. */
    String BUILD_URL
    /** `jenkins-<job>-<number>`. */
    String BUILD_TAG
    /** The job's full name, `folder/job/branch`. */
    String JOB_NAME
    /** The last part of the job name. */
    String JOB_BASE_NAME
    /** The job's URL. */
    String JOB_URL
    /** The Jenkins URL. */
    String JENKINS_URL
    /** The workspace's absolute path on the agent. */
    String WORKSPACE
    /** The workspace's `@tmp` sibling. */
    String WORKSPACE_TMP
    /** The agent's name (`built-in` on the controller). */
    String NODE_NAME
    /** The agent's labels, space-separated. */
    String NODE_LABELS
    /** The executor's number on the agent. */
    String EXECUTOR_NUMBER
    /** The pull request's number, for a change request build. */
    String CHANGE_ID
    /** The pull request's URL. */
    String CHANGE_URL
    /** The pull request's title. */
    String CHANGE_TITLE
    /** The pull request's author's user name. */
    String CHANGE_AUTHOR
    /** The pull request's author's display name. */
    String CHANGE_AUTHOR_DISPLAY_NAME
    /** The pull request's author's e-mail. */
    String CHANGE_AUTHOR_EMAIL
    /** The branch the pull request targets. */
    String CHANGE_TARGET
    /** The pull request's source branch. */
    String CHANGE_BRANCH
    /** The pull request's source fork. */
    String CHANGE_FORK
    /** The tag being built, for a tag build. */
    String TAG_NAME
    /** The commit being built (set by the Git SCM). */
    String GIT_COMMIT
    /** The commit of the previous build. */
    String GIT_PREVIOUS_COMMIT
    /** The remote branch, `origin/main`. */
    String GIT_BRANCH
    /** The local branch, when checked out as one. */
    String GIT_LOCAL_BRANCH
    /** The remote's URL. */
    String GIT_URL
    /** The build's display URL in the classic UI. */
    String RUN_DISPLAY_URL
    /** The search path of the agent's processes. */
    String PATH
    /** The agent user's home directory. */
    String HOME
}

/**
 * Build parameters by name: any parameter declared for the job may be read.
 *
 * @dynamic
 */
class ParamsVariable {
}
