// The `docker` global (docker-workflow, Docker.groovy) and the Image and Container types.

/**
 * Docker commands for scripted Pipelines: build, pull, push and run images, and run steps
 * inside containers. Each runs `docker` through `sh` (or `bat`) on the current agent.
 *
 * @plugin docker-workflow
 */
Docker docker

/** The `docker` global. */
class Docker {
    /**
     * An image by name, without pulling it.
     *
     * @param id the image name, `repo:tag`
     * @return the image
     */
    Image image(String id) {}

    /**
     * Builds an image (`docker build -t image args`) and returns it.
     *
     * @param image the name to tag the image with
     * @param args the rest of the `docker build` command line; it must end with the build context
     * @return the built image
     */
    Image build(String image, String args = '.') {}

    /**
     * Runs the block logged in to a registry; image names inside are qualified with its host.
     *
     * @param url the registry URL (Docker Hub if empty)
     * @param credentialsId username/password credentials for the registry
     */
    def withRegistry(String url, String credentialsId = null, Closure body) {}

    /**
     * Runs the block against another Docker daemon.
     *
     * @param uri the daemon's URI, `tcp://host:2376`
     * @param credentialsId client certificate credentials
     */
    def withServer(String uri, String credentialsId = null, Closure body) {}

    /**
     * Runs the block with a Docker tool installation on the `PATH`.
     *
     * @param toolName the installation's name
     */
    def withTool(String toolName, Closure body) {}
}

/** A Docker image, from `docker.image` or `docker.build`. */
class Image {
    /** The image name as given. */
    final String id

    /**
     * The image name, qualified with the registry's host inside `withRegistry`.
     *
     * @return the name
     */
    String imageName() {}

    /**
     * Runs the block's steps inside a container of this image, with the workspace mounted;
     * pulls the image first if it is missing.
     *
     * @param args extra `docker run` arguments
     */
    def inside(String args = '', Closure body) {}

    /**
     * Pulls the image (`docker pull`).
     */
    def pull() {}

    /**
     * Tags the image (qualified with the registry inside `withRegistry`) and pushes it.
     *
     * @param tagName the tag to push (the image's own tag if unset)
     * @param force pass `--force` to `docker tag` (old Docker versions)
     */
    def push(String tagName = null, boolean force = false) {}

    /**
     * Tags the image with another tag.
     *
     * @param tagName the new tag
     * @param force pass `--force` (old Docker versions)
     */
    def tag(String tagName = null, boolean force = false) {}

    /**
     * Starts a detached container (`docker run -d args image command`).
     *
     * @param args extra `docker run` arguments
     * @param command the command to run
     * @return the container
     */
    Container run(String args = '', String command = '') {}

    /**
     * Starts a detached container, passes it to the block, and stops and removes it afterwards.
     *
     * @param args extra `docker run` arguments
     * @param command the command to run
     */
    def withRun(String args = '', String command = '', Closure body) {}
}

/** A running container, from `Image.run` or `Image.withRun`. */
class Container {
    /** The container id. */
    final String id

    /**
     * The host address a container port is published on (`docker port`).
     *
     * @param port the container port
     * @return `host:port`
     */
    String port(int port) {}

    /**
     * Stops and removes the container.
     */
    def stop() {}
}
