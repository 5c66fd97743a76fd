// AWS: pipeline-aws (withAWS, ecrLogin, s3Upload, s3Download, awsIdentity).

/**
 * Runs the block with AWS settings in the environment: `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (when a role is assumed), `AWS_DEFAULT_REGION`
 * and `AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`. These values are not masked in the log.
 *
 * @param credentials AWS or username/password credentials (the username is the key id)
 * @param region the region, such as `eu-west-1`
 * @param profile a profile of the agent's AWS configuration
 * @param role a role to assume: a name, or a full ARN
 * @param roleAccount the account of `role` when it is a name
 * @param externalId the external id for assuming `role`
 * @param roleSessionName the session name when assuming `role`
 * @param duration the assumed role's session length in seconds
 * @param policy an inline policy limiting the assumed role
 * @param endpointUrl a custom endpoint, such as a local S3 or moto server
 * @param federatedUserId get federated credentials for this user
 * @param iamMfaToken a one-time MFA code
 * @param principalArn the SAML provider's ARN, with `samlAssertion`
 * @param samlAssertion a base64 SAML assertion to exchange for credentials
 * @param useNode read credentials from the agent's environment instead of the controller's
 * @plugin pipeline-aws
 * @example
 *   withAWS(region: 'eu-west-1', credentials: 'aws-deploy') {
 *       sh 'aws s3 ls'
 *   }
 */
def withAWS(String credentials = null, String region = null, String profile = null, String role = null, String roleAccount = null, String externalId = null, String roleSessionName = null, int duration = 3600, String policy = null, String endpointUrl = null, String federatedUserId = null, String iamMfaToken = null, String principalArn = null, String samlAssertion = null, boolean useNode = false, Closure body) {}

/**
 * Gets an ECR login token and returns the `docker login` command that uses it. The command
 * is `docker login -u AWS -p <token>  https://<account>.dkr.ecr.<region>.amazonaws.com` (two
 * spaces when `email` is false); run it with `sh(ecrLogin())`.
 *
 * @param registryIds the registries' account ids (the caller's account if unset)
 * @param email add the obsolete `-e none` argument for old Docker clients
 * @param region the registry's region (this tool's addition; the plugin takes the `withAWS` region)
 * @return the `docker login` command line
 * @plugin pipeline-aws
 * @example
 *   withAWS(region: 'us-east-1') {
 *       sh ecrLogin()
 *   }
 */
def ecrLogin(List registryIds = null, boolean email = false, String region = null) {}

/**
 * Uploads a file or directory to S3.
 *
 * @param bucket the bucket
 * @param file a file or directory to upload
 * @param path the key (or key prefix) in the bucket
 * @param includePathPattern an Ant pattern of files to upload, instead of `file`
 * @param excludePathPattern an Ant pattern of files to leave out
 * @param workingDir the directory `includePathPattern` is relative to
 * @param text upload this text as the object's content
 * @param acl a canned ACL, such as `PublicRead`
 * @param cacheControl the `Cache-Control` header to store
 * @param contentType the `Content-Type` header to store
 * @param metadatas metadata entries, `key:value`
 * @param sseAlgorithm server-side encryption, such as `AES256`
 * @param kmsId the KMS key for server-side encryption
 * @param verbose log every file
 * @plugin pipeline-aws
 * @example
 *   s3Upload bucket: 'releases', path: "app/${env.BUILD_NUMBER}/", file: 'dist'
 */
def s3Upload(String bucket, String file = null, String path = '', String includePathPattern = null, String excludePathPattern = null, String workingDir = null, String text = null, String acl = null, String cacheControl = null, String contentType = null, List metadatas = null, String sseAlgorithm = null, String kmsId = null, boolean verbose = true) {}

/**
 * Downloads a file or a key prefix from S3.
 *
 * @param bucket the bucket
 * @param file the local file or directory to write
 * @param path the key (or key prefix) in the bucket
 * @param force overwrite existing local files
 * @plugin pipeline-aws
 * @example
 *   s3Download bucket: 'configs', path: 'app/settings.json', file: 'settings.json', force: true
 */
def s3Download(String bucket, String file, String path = '', boolean force = false) {}

/**
 * Gives the identity of the current AWS credentials (`sts get-caller-identity`).
 *
 * @return a Map with `account`, `user` and `arn`
 * @plugin pipeline-aws
 * @example
 *   def id = awsIdentity()
 *   echo "account ${id.account}"
 */
def awsIdentity() {}
