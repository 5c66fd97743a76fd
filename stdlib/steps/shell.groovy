// Steps that run a script on the agent: workflow-durable-task-step (ShellStep, BatchScriptStep,
// PowershellScriptStep, PowerShellCoreScriptStep).

/**
 * Runs a Bourne shell script on a Unix agent, as `sh -xe script.sh`: each command is echoed
 * to the log with a `+ ` prefix, and the first failing command fails the step with
 * `script returned exit code N`.
 *
 * Groovy expands `${...}` in double-quoted strings before the shell sees the script; use
 * single quotes to let the shell expand variables (and keep secrets out of the script text).
 *
 * @param script the script text
 * @param returnStdout return the standard output (trailing newline kept) instead of logging it
 * @param returnStatus return the exit code instead of failing on a non-zero one
 * @param label a display name for the step in stage views (not shown in the log)
 * @param encoding the charset of the script's output; defaults to the agent's
 * @return `null`; the output as a String with `returnStdout`; the exit code (int) with `returnStatus`
 * @plugin workflow-durable-task-step
 * @example
 *   sh 'make test'
 * @example Capture output
 *   def sha = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()
 * @example Branch on the exit code
 *   def status = sh(script: 'grep -q ready state.txt', returnStatus: true)
 *   if (status != 0) {
 *       echo 'not ready'
 *   }
 */
def sh(String script, boolean returnStdout = false, boolean returnStatus = false, String label = null, String encoding = null) {}

/**
 * Runs a Windows batch script with `cmd /c` on a Windows agent. Echo is on, so each command
 * appears in the log (and in `returnStdout` output unless the line starts with `@`). The exit
 * code is the `%ERRORLEVEL%` left by the last command.
 *
 * @param script the batch script text
 * @param returnStdout return the standard output instead of logging it
 * @param returnStatus return the exit code instead of failing on a non-zero one
 * @param label a display name for the step in stage views
 * @param encoding the charset of the script's output
 * @return `null`; the output with `returnStdout`; the exit code with `returnStatus`
 * @plugin workflow-durable-task-step
 * @example
 *   bat 'msbuild /p:Configuration=Release'
 */
def bat(String script, boolean returnStdout = false, boolean returnStatus = false, String label = null, String encoding = null) {}

/**
 * Runs a Windows PowerShell script (`powershell.exe -NoProfile -NonInteractive`). The step's
 * result is the exit code of the last native command; a terminating error fails the step.
 *
 * @param script the PowerShell script text
 * @param returnStdout return the standard output instead of logging it
 * @param returnStatus return the exit code instead of failing on a non-zero one
 * @param label a display name for the step in stage views
 * @param encoding the charset of the script's output
 * @return `null`; the output with `returnStdout`; the exit code with `returnStatus`
 * @plugin workflow-durable-task-step
 * @example
 *   powershell 'Get-ChildItem -Recurse | Measure-Object'
 */
def powershell(String script, boolean returnStdout = false, boolean returnStatus = false, String label = null, String encoding = null) {}

/**
 * Runs a PowerShell Core script with `pwsh -NoProfile -NonInteractive`, on any platform.
 *
 * @param script the PowerShell script text
 * @param returnStdout return the standard output instead of logging it
 * @param returnStatus return the exit code instead of failing on a non-zero one
 * @param label a display name for the step in stage views
 * @param encoding the charset of the script's output
 * @return `null`; the output with `returnStdout`; the exit code with `returnStatus`
 * @plugin workflow-durable-task-step
 * @example
 *   pwsh 'Write-Output $PSVersionTable.PSVersion'
 */
def pwsh(String script, boolean returnStdout = false, boolean returnStatus = false, String label = null, String encoding = null) {}
