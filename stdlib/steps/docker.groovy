// Docker steps: docker-workflow (withDockerRegistry, withDockerContainer, withDockerServer).
// The `docker` global variable and its `Image` type live in `stdlib/globals/docker.groovy`.

/**
 * Runs the block logged in to a Docker registry (`docker login` into a temporary
 * `DOCKER_CONFIG`). Jenkins also accepts the endpoint as one map, bound to `registry`:
 * `withDockerRegistry([url: '...', credentialsId: '...'])`.
 *
 * @param url the registry URL (Docker Hub if empty)
 * @param credentialsId username/password credentials for the registry
 * @param registry the endpoint as a map of `url` and `credentialsId`
 * @param toolName the Docker installation to use
 * @positional registry
 * @plugin docker-workflow
 * @example
 *   withDockerRegistry(url: 'https://registry.example.com', credentialsId: 'registry') {
 *       sh 'docker push registry.example.com/app:latest'
 *   }
 */
def withDockerRegistry(String url = null, String credentialsId = null, Map registry = null, String toolName = null, Closure body) {}

/**
 * Runs the block's `sh` steps inside a new container of an image, with the workspace mounted
 * at the same path. This is what `docker.image(...).inside` does.
 *
 * @param image the image
 * @param args extra `docker run` arguments
 * @param toolName the Docker installation to use
 * @plugin docker-workflow
 * @example
 *   withDockerContainer(image: 'node:20', args: '-u root') {
 *       sh 'npm ci'
 *   }
 */
def withDockerContainer(String image, String args = null, String toolName = null, Closure body) {}

/**
 * Runs the block against another Docker daemon (`DOCKER_HOST` and TLS files are set).
 *
 * @param server the daemon as a map of `uri` and `credentialsId`
 * @param toolName the Docker installation to use
 * @plugin docker-workflow
 * @example
 *   withDockerServer([uri: 'tcp://docker.example.com:2376', credentialsId: 'docker-tls']) {
 *       sh 'docker ps'
 *   }
 */
def withDockerServer(Map server, String toolName = null, Closure body) {}
