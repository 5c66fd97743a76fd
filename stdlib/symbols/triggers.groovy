// Build triggers, for `pipelineTriggers([...])` and the `triggers {}` directive: Jenkins core
// (cron, pollSCM, upstream), github (githubPush) and github-pr-comment-build
// (issueCommentTrigger).

/**
 * Builds periodically, on a cron schedule (`H` spreads load: `H 2 * * *`).
 *
 * @param spec the schedule, one cron line per line
 * @plugin jenkins-core
 * @example
 *   properties([pipelineTriggers([cron('H H(0-6) * * 1-5')])])
 */
def cron(String spec) {}

/**
 * Polls the SCM on a cron schedule and builds when it changed.
 *
 * @param scmpoll_spec the schedule
 * @param ignorePostCommitHooks ignore notifications from post-commit hooks
 * @plugin jenkins-core
 * @example
 *   properties([pipelineTriggers([pollSCM('H/15 * * * *')])])
 */
def pollSCM(String scmpoll_spec, boolean ignorePostCommitHooks = false) {}

/**
 * Builds when another job's build finishes.
 *
 * @param upstreamProjects comma-separated upstream jobs
 * @param threshold the worst upstream result that triggers
 * @values threshold SUCCESS UNSTABLE FAILURE
 * @plugin jenkins-core
 * @example
 *   properties([pipelineTriggers([upstream(upstreamProjects: 'lib-build', threshold: 'SUCCESS')])])
 */
def upstream(String upstreamProjects, String threshold = 'SUCCESS') {}

/**
 * Builds when GitHub sends a push webhook.
 *
 * @plugin github
 * @example
 *   properties([pipelineTriggers([githubPush()])])
 */
def githubPush() {}

/**
 * In a multibranch job, builds a pull request when a comment matching a pattern is added.
 *
 * @param commentPattern a regular expression the comment must match
 * @plugin github-pr-comment-build
 * @example
 *   properties([pipelineTriggers([issueCommentTrigger('.*test this please.*')])])
 */
def issueCommentTrigger(String commentPattern) {}
