// Kubernetes pod template parts (kubernetes plugin): containers, volumes, variables.

/**
 * A container of a `podTemplate`.
 *
 * @param name the container's name, used by `container(name)`
 * @param image the image
 * @param command the command to run instead of the image's entry point (often `sleep`)
 * @param args the command's arguments (often `infinity` or `99d`)
 * @param ttyEnabled allocate a TTY (keeps `cat` running)
 * @param alwaysPullImage pull the image each time
 * @param workingDir the working directory
 * @param privileged run privileged
 * @param envVars `envVar(key: ..., value: ...)` entries
 * @param resourceRequestCpu the CPU request
 * @param resourceRequestMemory the memory request
 * @param resourceLimitCpu the CPU limit
 * @param resourceLimitMemory the memory limit
 * @param runAsUser the user id
 * @param runAsGroup the group id
 * @plugin kubernetes
 * @example
 *   podTemplate(containers: [containerTemplate(name: 'golang', image: 'golang:1.22', command: 'sleep', args: '99d')]) {
 *       node(POD_LABEL) {
 *           container('golang') {
 *               sh 'go test ./...'
 *           }
 *       }
 *   }
 */
def containerTemplate(String name, String image, String command = null, String args = null, boolean ttyEnabled = false, boolean alwaysPullImage = false, String workingDir = '/home/jenkins/agent', boolean privileged = false, List envVars = null, String resourceRequestCpu = null, String resourceRequestMemory = null, String resourceLimitCpu = null, String resourceLimitMemory = null, String runAsUser = null, String runAsGroup = null) {}

/**
 * An environment variable of a pod template or container.
 *
 * @param key the name
 * @param value the value
 * @plugin kubernetes
 * @example
 *   podTemplate(envVars: [envVar(key: 'GRADLE_OPTS', value: '-Xmx1g')]) {
 *       echo 'ok'
 *   }
 */
def envVar(String key, String value) {}

/**
 * An empty-dir volume of a pod template.
 *
 * @param mountPath where containers see it
 * @param memory back it with memory (tmpfs)
 * @plugin kubernetes
 * @example
 *   podTemplate(volumes: [emptyDirVolume(mountPath: '/cache', memory: false)]) {
 *       echo 'ok'
 *   }
 */
def emptyDirVolume(String mountPath, boolean memory = false) {}

/**
 * A host-path volume of a pod template.
 *
 * @param hostPath the path on the node
 * @param mountPath where containers see it
 * @plugin kubernetes
 * @example
 *   podTemplate(volumes: [hostPathVolume(hostPath: '/var/run/docker.sock', mountPath: '/var/run/docker.sock')]) {
 *       echo 'ok'
 *   }
 */
def hostPathVolume(String hostPath, String mountPath) {}

/**
 * A volume holding a Kubernetes secret's keys as files.
 *
 * @param secretName the secret
 * @param mountPath where containers see it
 * @plugin kubernetes
 * @example
 *   podTemplate(volumes: [secretVolume(secretName: 'registry', mountPath: '/kaniko/.docker')]) {
 *       echo 'ok'
 *   }
 */
def secretVolume(String secretName, String mountPath) {}
