// Analysis tools for `recordIssues(tools: [...])` (warnings-ng). Every tool takes the same
// parameters; these are the ones real Jenkinsfiles use most.

/**
 * A `recordIssues` tool: Java compiler (javac) warnings, read from the build log unless `pattern` is given.
 *
 * @param pattern an Ant pattern of the report files
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param reportEncoding the reports' charset
 * @param skipSymbolicLinks do not follow symbolic links when scanning for reports
 * @plugin warnings-ng
 * @example
 *   recordIssues tools: [java()]
 */
def java(String pattern = '', String id = '', String name = '', String reportEncoding = '', boolean skipSymbolicLinks = false) {}

/**
 * A `recordIssues` tool: Javadoc warnings.
 *
 * @param pattern an Ant pattern of the report files
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param reportEncoding the reports' charset
 * @param skipSymbolicLinks do not follow symbolic links when scanning for reports
 * @plugin warnings-ng
 * @example
 *   recordIssues tools: [javaDoc()]
 */
def javaDoc(String pattern = '', String id = '', String name = '', String reportEncoding = '', boolean skipSymbolicLinks = false) {}

/**
 * A `recordIssues` tool: CheckStyle XML reports.
 *
 * @param pattern an Ant pattern of the report files
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param reportEncoding the reports' charset
 * @param skipSymbolicLinks do not follow symbolic links when scanning for reports
 * @plugin warnings-ng
 * @example
 *   recordIssues tools: [checkStyle()]
 */
def checkStyle(String pattern = '', String id = '', String name = '', String reportEncoding = '', boolean skipSymbolicLinks = false) {}

/**
 * A `recordIssues` tool: PMD XML reports.
 *
 * @param pattern an Ant pattern of the report files
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param reportEncoding the reports' charset
 * @param skipSymbolicLinks do not follow symbolic links when scanning for reports
 * @plugin warnings-ng
 * @example
 *   recordIssues tools: [pmdParser()]
 */
def pmdParser(String pattern = '', String id = '', String name = '', String reportEncoding = '', boolean skipSymbolicLinks = false) {}

/**
 * A `recordIssues` tool: SpotBugs XML reports.
 *
 * @param pattern an Ant pattern of the report files
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param reportEncoding the reports' charset
 * @param skipSymbolicLinks do not follow symbolic links when scanning for reports
 * @plugin warnings-ng
 * @example
 *   recordIssues tools: [spotBugs()]
 */
def spotBugs(String pattern = '', String id = '', String name = '', String reportEncoding = '', boolean skipSymbolicLinks = false) {}

/**
 * A `recordIssues` tool: Maven console warnings and errors, read from the build log.
 *
 * @param pattern an Ant pattern of the report files
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param reportEncoding the reports' charset
 * @param skipSymbolicLinks do not follow symbolic links when scanning for reports
 * @plugin warnings-ng
 * @example
 *   recordIssues tools: [mavenConsole()]
 */
def mavenConsole(String pattern = '', String id = '', String name = '', String reportEncoding = '', boolean skipSymbolicLinks = false) {}

/**
 * A `withMaven(options: [...])` publisher option: JUnit test reports of Surefire and Failsafe.
 *
 * @param disabled turn the publisher off
 * @param healthScaleFactor how much failing tests weigh on the job's health score
 * @param keepLongStdio keep the full output of passing tests
 * @param ignoreAttachments do not record test attachments
 * @plugin pipeline-maven
 * @example
 *   withMaven(options: [junitPublisher(disabled: true)]) {
 *       sh 'mvn -B verify'
 *   }
 */
def junitPublisher(boolean disabled = false, double healthScaleFactor = 1.0, boolean keepLongStdio = false, boolean ignoreAttachments = false) {}

/**
 * A `withMaven(options: [...])` publisher option: archives the artifacts Maven built.
 *
 * @param disabled turn the publisher off
 * @param archiveFilesDisabled do not archive the files, only fingerprint them
 * @plugin pipeline-maven
 * @example
 *   withMaven(options: [artifactsPublisher(disabled: true)]) {
 *       sh 'mvn -B verify'
 *   }
 */
def artifactsPublisher(boolean disabled = false, boolean archiveFilesDisabled = false) {}

/**
 * A `library(retriever: ...)` retriever: fetch the library from an SCM source, such as
 * `[$class: 'GitSCMSource', remote: '...', credentialsId: '...']`.
 *
 * @param scm the SCM source
 * @param libraryPath the library's directory inside the repository
 * @plugin workflow-cps-global-lib
 * @example
 *   library identifier: 'helpers@main', retriever: modernSCM([$class: 'GitSCMSource', remote: 'https://example.com/helpers.git'])
 */
def modernSCM(Object scm, String libraryPath = null) {}
