// Notifications: email-ext (emailext), slack (slackSend), pipeline-githubnotify-step
// (githubNotify), github-pullrequest (setGitHubPullRequestStatus).

/**
 * Sends an e-mail with the Email Extension plugin: tokens such as `$DEFAULT_SUBJECT`,
 * `${BUILD_LOG}` and recipient providers are available.
 *
 * @param subject the subject line (tokens allowed)
 * @param body the message text (tokens allowed)
 * @param to comma-separated recipients
 * @param recipientProviders who else gets it: `developers()`, `culprits()`, `requestor()`
 * @param from the sender address
 * @param replyTo the reply-to address
 * @param mimeType the body's MIME type, such as `text/html`
 * @param attachLog attach the build log
 * @param compressLog compress the attached log
 * @param attachmentsPattern an Ant pattern of workspace files to attach
 * @param presendScript a Groovy script run before sending
 * @param postsendScript a Groovy script run after sending
 * @param saveOutput save the generated e-mail in the workspace
 * @plugin email-ext
 * @example
 *   emailext subject: "${env.JOB_NAME} #${env.BUILD_NUMBER}: ${currentBuild.currentResult}",
 *            body: "See ${env.BUILD_URL}",
 *            recipientProviders: [developers(), requestor()]
 */
def emailext(String subject, String body, String to = null, List recipientProviders = null, String from = null, String replyTo = null, String mimeType = 'text/html', boolean attachLog = false, boolean compressLog = false, String attachmentsPattern = null, String presendScript = null, String postsendScript = null, boolean saveOutput = false) {}

/**
 * Posts a message to Slack.
 *
 * @param message the message text
 * @param channel channels or users (`#builds`, `@alice`), comma-separated
 * @param color the attachment colour: `good`, `warning`, `danger` or a hex code
 * @param tokenCredentialId a secret text credential holding the token
 * @param teamDomain the Slack workspace
 * @param botUser send as a bot user
 * @param notifyCommitters also message the build's committers
 * @param attachments message attachments
 * @param blocks Block Kit blocks
 * @param iconEmoji the sender's emoji icon
 * @param username the sender's name
 * @param timestamp reply in the thread of this message
 * @param replyBroadcast also post a thread reply to the channel
 * @param failOnError fail the step when sending fails
 * @param baseUrl a custom Slack URL
 * @param sendAsText send `message` as plain text, not as an attachment
 * @return a response with `threadId`, `ts` and `channelId`
 * @plugin slack
 * @example
 *   slackSend channel: '#builds', color: 'danger', message: "Build failed: ${env.BUILD_URL}"
 */
def slackSend(String message = null, String channel = null, String color = null, String tokenCredentialId = null, String teamDomain = null, boolean botUser = false, boolean notifyCommitters = false, Object attachments = null, Object blocks = null, String iconEmoji = null, String username = null, String timestamp = null, boolean replyBroadcast = false, boolean failOnError = false, String baseUrl = null, boolean sendAsText = false) {}

/**
 * Sets a commit status on GitHub.
 *
 * @param status the state
 * @param description a short description
 * @param context the status's name
 * @param credentialsId GitHub credentials (those of the job's SCM if unset)
 * @param account the repository's owner
 * @param repo the repository
 * @param sha the commit
 * @param targetUrl the link shown with the status
 * @param gitApiUrl the GitHub API URL, for GitHub Enterprise
 * @values status PENDING SUCCESS FAILURE ERROR
 * @plugin pipeline-githubnotify-step
 * @example
 *   githubNotify context: 'ci/tests', status: 'SUCCESS', description: 'All tests passed'
 */
def githubNotify(String status = null, String description = null, String context = null, String credentialsId = null, String account = null, String repo = null, String sha = null, String targetUrl = null, String gitApiUrl = null) {}

/**
 * Sets the status of the pull request this build is for, on GitHub.
 *
 * @param context the status's name
 * @param message the status's description
 * @param state the state
 * @values state PENDING SUCCESS FAILURE ERROR
 * @plugin github-pullrequest
 * @example
 *   setGitHubPullRequestStatus context: 'ci', message: 'Building', state: 'PENDING'
 */
def setGitHubPullRequestStatus(String context = null, String message = null, String state = null) {}
