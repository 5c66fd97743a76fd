// Steps that take a block and shape how it runs: workflow-basic-steps, workflow-durable-task-step
// (node, ws), pipeline-stage-step (stage), workflow-cps (parallel).

/**
 * Runs the block in another directory, relative to the current one. The directory is not
 * created until something writes into it. The log says `Running in <absolute path>`.
 *
 * @param path the directory, relative to the current directory; a single unnamed argument binds here
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
 * @param label a label expression such as `linux && docker`; a single unnamed argument binds here
 * @positional label
 * @plugin workflow-durable-task-step
 * @example
 *   node('linux') {
 *       checkout scm
 *       sh 'make'
 *   }
 */
def node(String label = null, Closure body) {}
