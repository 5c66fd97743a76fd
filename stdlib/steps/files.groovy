// Workspace files: workflow-basic-steps (readFile, writeFile, fileExists, deleteDir, pwd,
// stash, unstash), Jenkins core's ArtifactArchiver (archiveArtifacts), junit, ws-cleanup
// (cleanWs) and copyartifact (copyArtifacts).

/**
 * Reads a file in the workspace, relative to the current directory.
 *
 * @param file the file's path
 * @param encoding the charset (the agent's default if unset), or `Base64` to get base64 text
 * @return the file's contents as a String
 * @plugin workflow-basic-steps
 * @example
 *   def version = readFile('VERSION').trim()
 */
def readFile(String file, String encoding = null) {}

/**
 * Writes a file in the workspace, creating parent directories and replacing any old file.
 *
 * @param file the file's path
 * @param text the contents
 * @param encoding the charset (the agent's default if unset), or `Base64` to decode `text`
 * @plugin workflow-basic-steps
 * @example
 *   writeFile file: 'build.properties', text: "version=${env.BUILD_NUMBER}\n"
 */
def writeFile(String file, String text, String encoding = null) {}

/**
 * Tells whether a file or directory exists, relative to the current directory.
 *
 * @param file the path
 * @return `true` when it exists
 * @plugin workflow-basic-steps
 * @example
 *   if (fileExists('package.json')) {
 *       sh 'npm ci'
 *   }
 */
def fileExists(String file) {}

/**
 * Deletes the current directory and everything in it: the whole workspace unless inside `dir`.
 *
 * @plugin workflow-basic-steps
 * @example
 *   deleteDir()
 */
def deleteDir() {}

/**
 * Gives the current directory's absolute path on the agent.
 *
 * @param tmp give the workspace's temporary directory (`<workspace>@tmp`) instead
 * @return the absolute path
 * @plugin workflow-basic-steps
 * @example
 *   def here = pwd()
 */
def pwd(boolean tmp = false) {}

/**
 * Saves files from the workspace under a name, for `unstash` later in the build (on any
 * agent). Logs `Stashed N file(s)`.
 *
 * @param name the stash's name
 * @param includes comma-separated Ant patterns of the files to save (all files if empty)
 * @param excludes comma-separated Ant patterns of files to leave out
 * @param allowEmpty do not fail when no file matches
 * @param useDefaultExcludes leave out the usual SCM and editor files
 * @plugin workflow-basic-steps
 * @example
 *   stash name: 'dist', includes: 'dist/**'
 */
def stash(String name, String includes = '', String excludes = '', boolean allowEmpty = false, boolean useDefaultExcludes = true) {}

/**
 * Restores the files saved by `stash` into the current directory.
 *
 * @param name the stash's name
 * @plugin workflow-basic-steps
 * @example
 *   unstash 'dist'
 */
def unstash(String name) {}

/**
 * Archives build artifacts so they can be downloaded from the build's page. Fails when no
 * file matches, unless `allowEmptyArchive` is set.
 *
 * @param artifacts comma-separated Ant patterns of the files to archive
 * @param excludes comma-separated Ant patterns of files to leave out
 * @param allowEmptyArchive only warn when no file matches
 * @param fingerprint record fingerprints of the archived files
 * @param onlyIfSuccessful archive only when the build is successful so far
 * @param caseSensitive match the patterns case-sensitively
 * @param defaultExcludes leave out the usual SCM and editor files
 * @param followSymlinks archive the targets of symbolic links
 * @plugin jenkins-core
 * @example
 *   archiveArtifacts artifacts: 'build/libs/*.jar', fingerprint: true
 */
def archiveArtifacts(String artifacts, String excludes = null, boolean allowEmptyArchive = false, boolean fingerprint = false, boolean onlyIfSuccessful = false, boolean caseSensitive = true, boolean defaultExcludes = true, boolean followSymlinks = true) {}

/**
 * Records JUnit-format XML test reports: failures mark the build UNSTABLE, and the results
 * appear on the build's page. Fails when no report matches, unless `allowEmptyResults` is set.
 *
 * @param testResults comma-separated Ant patterns of the XML reports
 * @param allowEmptyResults do not fail when no report matches
 * @param keepLongStdio keep the full output of passing tests
 * @param healthScaleFactor how much failing tests weigh on the job's health score
 * @param skipPublishingChecks do not publish the results as SCM checks
 * @param skipMarkingBuildUnstable leave the build result alone when tests fail
 * @param checksName the name of the published check
 * @param testDataPublishers extra publishers of test data (attachments, flaky tests)
 * @plugin junit
 * @example
 *   junit testResults: 'target/surefire-reports/*.xml', allowEmptyResults: true
 */
def junit(String testResults, boolean allowEmptyResults = false, boolean keepLongStdio = false, double healthScaleFactor = 1.0, boolean skipPublishingChecks = false, boolean skipMarkingBuildUnstable = false, String checksName = null, List testDataPublishers = null) {}

/**
 * Deletes the workspace (or the files matching `patterns`) when the build ends; in a Pipeline,
 * immediately.
 *
 * @param patterns which files to delete: `[[pattern: 'build/**', type: 'INCLUDE']]`
 * @param deleteDirs apply the patterns to directories too
 * @param disableDeferredWipeout delete now rather than renaming and deleting in the background
 * @param notFailBuild do not fail the build when deletion fails
 * @param cleanWhenSuccess clean when the build succeeded
 * @param cleanWhenUnstable clean when the build is unstable
 * @param cleanWhenFailure clean when the build failed
 * @param cleanWhenNotBuilt clean when the build was not built
 * @param cleanWhenAborted clean when the build was aborted
 * @param cleanupMatrixParent clean the matrix parent's workspace too
 * @param skipWhenFailed do not clean when the build failed
 * @param externalDelete a command to delete with instead, `%s` standing for the path
 * @plugin ws-cleanup
 * @example
 *   cleanWs()
 * @example
 *   cleanWs deleteDirs: true, patterns: [[pattern: 'node_modules', type: 'EXCLUDE']]
 */
def cleanWs(List patterns = null, boolean deleteDirs = false, boolean disableDeferredWipeout = false, boolean notFailBuild = false, boolean cleanWhenSuccess = true, boolean cleanWhenUnstable = true, boolean cleanWhenFailure = true, boolean cleanWhenNotBuilt = true, boolean cleanWhenAborted = true, boolean cleanupMatrixParent = false, boolean skipWhenFailed = false, String externalDelete = null) {}

/**
 * Copies artifacts archived by another job's build into the workspace.
 *
 * @param projectName the job to copy from
 * @param selector which build: `lastSuccessful()`, `specific('42')`, `upstream()`
 * @param filter comma-separated Ant patterns of the artifacts to copy
 * @param excludes comma-separated Ant patterns to leave out
 * @param target the directory to copy into
 * @param flatten drop the artifacts' directories
 * @param optional do not fail when nothing can be copied
 * @param fingerprintArtifacts record fingerprints of the copied files
 * @param parameters select builds by parameter values, `NAME=value,...`
 * @param resultVariableSuffix the suffix of the `COPYARTIFACT_BUILD_NUMBER_` variable set
 * @param includeBuildNumberInTargetPath copy into a subdirectory named after the build number
 * @plugin copyartifact
 * @example
 *   copyArtifacts projectName: 'app-build', selector: lastSuccessful(), filter: 'dist/*.zip'
 */
def copyArtifacts(String projectName, Object selector = null, String filter = null, String excludes = null, String target = null, boolean flatten = false, boolean optional = false, boolean fingerprintArtifacts = true, String parameters = null, String resultVariableSuffix = null, boolean includeBuildNumberInTargetPath = false) {}
