// Recipient providers of `emailext` and `emailextrecipients` (email-ext).

/**
 * The authors of the changes in this build.
 *
 * @plugin email-ext
 * @example
 *   emailext subject: 'Done', body: 'See the build', recipientProviders: [developers()]
 */
def developers() {}

/**
 * The user who started the build.
 *
 * @plugin email-ext
 * @example
 *   emailext subject: 'Done', body: 'See the build', recipientProviders: [requestor()]
 */
def requestor() {}

/**
 * The authors of the changes since the last successful build.
 *
 * @plugin email-ext
 * @example
 *   emailext subject: 'Broken', body: 'See the build', recipientProviders: [culprits()]
 */
def culprits() {}

/**
 * The authors of the changes in the builds since the build broke.
 *
 * @plugin email-ext
 * @example
 *   emailext subject: 'Broken', body: 'See the build', recipientProviders: [brokenBuildSuspects()]
 */
def brokenBuildSuspects() {}

/**
 * The authors of the changes suspected of breaking tests.
 *
 * @plugin email-ext
 * @example
 *   emailext subject: 'Tests broke', body: 'See the build', recipientProviders: [brokenTestsSuspects()]
 */
def brokenTestsSuspects() {}

/**
 * The authors of the changes in the upstream builds that triggered this one.
 *
 * @plugin email-ext
 * @example
 *   emailext subject: 'Done', body: 'See the build', recipientProviders: [upstreamDevelopers()]
 */
def upstreamDevelopers() {}
