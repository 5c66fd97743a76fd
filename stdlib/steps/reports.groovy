// Reports: htmlpublisher (publishHTML) and warnings-ng (recordIssues).

/**
 * Publishes an HTML report from the workspace as a link on the job and build pages.
 *
 * @param target the report: a map of `reportDir`, `reportFiles`, `reportName`, `keepAll`, `alwaysLinkToLastBuild`, `allowMissing`
 * @plugin htmlpublisher
 * @example
 *   publishHTML(target: [reportDir: 'coverage', reportFiles: 'index.html', reportName: 'Coverage',
 *                        keepAll: true, alwaysLinkToLastBuild: true, allowMissing: false])
 */
def publishHTML(Map target) {}

/**
 * Parses static-analysis and compiler warnings and records them on the build, with trends and
 * quality gates.
 *
 * @param tools the parsers: `java()`, `checkStyle(pattern: '...')`, `spotBugs()`, ...
 * @param tool a single parser
 * @param id the results' id (URL name)
 * @param name the results' display name
 * @param aggregatingResults merge all tools' issues into one result
 * @param enabledForFailure also record issues when the build failed
 * @param ignoreQualityGate ignore the quality gates' results for the build status
 * @param qualityGates thresholds: `[[threshold: 1, type: 'TOTAL', unstable: true]]`
 * @param healthy the issue count up to which the job is healthy
 * @param unhealthy the issue count from which the job is unhealthy
 * @param minimumSeverity the least severity counted for health
 * @param sourceCodeEncoding the source files' charset
 * @param filters include and exclude filters
 * @param referenceJobName the job to compare new issues against
 * @param skipBlames do not run `git blame`
 * @param skipPublishingChecks do not publish the results as SCM checks
 * @param trendChartType where the trend chart is shown
 * @plugin warnings-ng
 * @example
 *   recordIssues enabledForFailure: true, tools: [java(), checkStyle(pattern: 'build/checkstyle.xml')]
 */
def recordIssues(List tools = null, Object tool = null, String id = null, String name = null, boolean aggregatingResults = false, boolean enabledForFailure = false, boolean ignoreQualityGate = false, List qualityGates = null, int healthy = 0, int unhealthy = 0, String minimumSeverity = null, String sourceCodeEncoding = null, List filters = null, String referenceJobName = null, boolean skipBlames = false, boolean skipPublishingChecks = false, String trendChartType = null) {}
