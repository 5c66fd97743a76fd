// Pipeline Utility Steps (pipeline-utility-steps): structured files, archives, checksums.

/**
 * Parses JSON from a file or from text. Give one of `file` and `text`.
 *
 * JSON `null` comes back as a `JSONNull`, which is not `== null`, unless `returnPojo` is set.
 *
 * @param file a JSON file in the workspace
 * @param text JSON text
 * @param returnPojo return plain Maps and Lists with real nulls
 * @return the parsed value: a Map-like object, a List-like array or a scalar
 * @plugin pipeline-utility-steps
 * @example
 *   def pkg = readJSON file: 'package.json'
 *   echo pkg.version
 */
def readJSON(String file = null, String text = null, boolean returnPojo = false) {}

/**
 * Writes a value as JSON to a file, or returns the text.
 *
 * @param json the value to write (Map, List, or a JSON object)
 * @param file the file to write
 * @param pretty indent by this many spaces; 0 writes compact JSON
 * @param returnText return the JSON text instead of writing a file
 * @return the text with `returnText`
 * @plugin pipeline-utility-steps
 * @example
 *   writeJSON file: 'out.json', json: [name: 'app', version: '1.0'], pretty: 2
 */
def writeJSON(Object json, String file = null, int pretty = 0, boolean returnText = false) {}

/**
 * Parses YAML from a file or from text (SnakeYAML). Several documents give a List.
 *
 * @param file a YAML file in the workspace
 * @param text YAML text
 * @param maxAliasesForCollections the most aliases a document may use
 * @param codePointLimit the largest document, in code points
 * @return the parsed value
 * @plugin pipeline-utility-steps
 * @example
 *   def cfg = readYaml file: 'config.yaml'
 */
def readYaml(String file = null, String text = null, int maxAliasesForCollections = 50, int codePointLimit = 3145728) {}

/**
 * Writes a value as YAML to a file, or returns the text. Fails if the file exists, unless
 * `overwrite` is set.
 *
 * @param file the file to write
 * @param data the value to write
 * @param datas several values, written as several documents
 * @param charset the file's charset
 * @param overwrite replace an existing file
 * @param returnText return the YAML text instead of writing a file
 * @return the text with `returnText`
 * @plugin pipeline-utility-steps
 * @example
 *   writeYaml file: 'values.yaml', data: [replicas: 2], overwrite: true
 */
def writeYaml(String file = null, Object data = null, List datas = null, String charset = null, boolean overwrite = false, boolean returnText = false) {}

/**
 * Reads Java properties from a file and/or text into a Map. Later sources win:
 * `defaults`, then `file`, then `text`.
 *
 * @param file a properties file in the workspace (read as ISO-8859-1 by default)
 * @param text properties text
 * @param defaults default values
 * @param interpolate expand `${key}` references between properties
 * @param charset the file's charset
 * @return a Map from key to value
 * @plugin pipeline-utility-steps
 * @example
 *   def props = readProperties file: 'gradle.properties'
 */
def readProperties(String file = null, String text = null, Map defaults = null, boolean interpolate = false, String charset = null) {}

/**
 * Reads a CSV file or text (Apache Commons CSV).
 *
 * @param file a CSV file in the workspace
 * @param text CSV text
 * @param format a `CSVFormat`, such as `CSVFormat.DEFAULT.withHeader()`
 * @return a List of records
 * @plugin pipeline-utility-steps
 * @example
 *   def rows = readCSV file: 'targets.csv'
 */
def readCSV(String file = null, String text = null, Object format = null) {}

/**
 * Finds files in the current directory by glob.
 *
 * @param glob an Ant-style pattern; without one, only the directory's direct children
 * @param excludes comma-separated patterns to leave out
 * @return an array of files, each with `name`, `path`, `directory`, `length`, `lastModified`
 * @plugin pipeline-utility-steps
 * @example
 *   def jars = findFiles glob: 'build/libs/*.jar'
 *   echo jars[0].path
 */
def findFiles(String glob = null, String excludes = null) {}

/**
 * Creates a zip file from files in the workspace.
 *
 * @param zipFile the zip file to create
 * @param dir the directory to zip (the current one if unset)
 * @param glob an Ant pattern of the files to include
 * @param exclude an Ant pattern of the files to leave out
 * @param archive also archive the zip file as a build artifact
 * @param overwrite replace an existing zip file
 * @plugin pipeline-utility-steps
 * @example
 *   zip zipFile: 'site.zip', dir: 'public'
 */
def zip(String zipFile, String dir = null, String glob = null, String exclude = null, boolean archive = false, boolean overwrite = false) {}

/**
 * Extracts a zip file into the workspace, or reads its entries.
 *
 * @param zipFile the zip file
 * @param dir the directory to extract into (the current one if unset)
 * @param glob an Ant pattern of the entries to extract
 * @param read return the entries' contents as a Map instead of writing files
 * @param quiet do not log every extracted file
 * @param test only check the file's integrity
 * @param charset the charset of the entries' names
 * @return with `read`, a Map from entry name to contents; with `test`, whether it is intact
 * @plugin pipeline-utility-steps
 * @example
 *   unzip zipFile: 'dist.zip', dir: 'dist'
 */
def unzip(String zipFile, String dir = null, String glob = null, boolean read = false, boolean quiet = false, boolean test = false, String charset = null) {}

/**
 * Creates a file if it does not exist, and sets its modification time.
 *
 * @param file the file
 * @param timestamp the modification time in milliseconds since the epoch (now if unset)
 * @plugin pipeline-utility-steps
 * @example
 *   touch 'build/.stamp'
 */
def touch(String file, Long timestamp = null) {}

/**
 * Computes the SHA-1 checksum of a file.
 *
 * @param file the file
 * @return the checksum, in lowercase hexadecimal
 * @plugin pipeline-utility-steps
 * @example
 *   def sum = sha1 'dist/app.tar.gz'
 */
def sha1(String file) {}

/**
 * Computes the SHA-256 checksum of a file.
 *
 * @param file the file
 * @return the checksum, in lowercase hexadecimal
 * @plugin pipeline-utility-steps
 * @example
 *   writeFile file: 'app.sha256', text: sha256('dist/app.tar.gz')
 */
def sha256(String file) {}

/**
 * Copies what the block logs into a file as well.
 *
 * @param file the file to write
 * @plugin pipeline-utility-steps
 * @example
 *   tee('build.log') {
 *       sh 'make'
 *   }
 */
def tee(String file, Closure body) {}

/**
 * Sends an HTTP request and returns the response. Response codes outside
 * `validResponseCodes` fail the step.
 *
 * @param url the URL
 * @param httpMode the method
 * @param contentType the request's content type, such as `APPLICATION_JSON`
 * @param acceptType the accepted response type, such as `APPLICATION_JSON`
 * @param requestBody the request body
 * @param customHeaders headers as maps: `[[name: 'X-Token', value: t, maskValue: true]]`
 * @param authentication the id of username/password credentials for basic authentication
 * @param validResponseCodes accepted status codes, as ranges: `100:399`, `200,201`
 * @param validResponseContent text the response must contain
 * @param consoleLogResponseBody print the response body to the log
 * @param quiet log nothing about the request
 * @param ignoreSslErrors accept any TLS certificate
 * @param outputFile save the response body to this file
 * @param timeout the connection timeout in seconds (0 for none)
 * @param httpProxy a proxy URL
 * @param wrapAsMultipart send `uploadFile` as multipart form data
 * @param uploadFile a file to upload
 * @param multipartName the form field name of the uploaded file
 * @param useSystemProperties use the JVM's proxy and TLS settings
 * @return a response with `status` and `content`
 * @values httpMode GET HEAD POST PUT DELETE OPTIONS PATCH MKCOL
 * @plugin http_request
 * @example
 *   def resp = httpRequest url: 'https://example.com/api/health', validResponseCodes: '200'
 *   echo resp.content
 */
def httpRequest(String url, String httpMode = 'GET', String contentType = 'NOT_SET', String acceptType = 'NOT_SET', String requestBody = null, List customHeaders = null, String authentication = null, String validResponseCodes = '100:399', String validResponseContent = null, boolean consoleLogResponseBody = false, boolean quiet = false, boolean ignoreSslErrors = false, String outputFile = null, int timeout = 0, String httpProxy = null, boolean wrapAsMultipart = true, String uploadFile = null, String multipartName = null, boolean useSystemProperties = false) {}
