// Basic steps: workflow-basic-steps (EchoStep, ErrorStep, SleepStep, ...), plus Groovy's own
// `println` and `print`, which Jenkins routes to the build log.

/**
 * Prints a message to the build log, as is.
 *
 * @param message the text to print; a single unnamed argument binds here
 * @plugin workflow-basic-steps
 * @example
 *   echo "Building ${env.BRANCH_NAME}"
 */
def echo(String message) {}

/**
 * Fails the build with a message and no stack trace (it throws an `AbortException`). The log
 * shows `ERROR: message` where the error is finally caught or the build ends.
 *
 * @param message the failure message; a single unnamed argument binds here
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
 * @param time how long to sleep, in `unit`s; a single unnamed argument binds here
 * @param unit the unit of `time`
 * @values unit NANOSECONDS MICROSECONDS MILLISECONDS SECONDS MINUTES HOURS DAYS
 * @plugin workflow-basic-steps
 * @example
 *   sleep 10
 * @example
 *   sleep time: 2, unit: 'MINUTES'
 */
def sleep(long time, String unit = 'SECONDS') {}
