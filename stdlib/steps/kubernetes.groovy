// Kubernetes: kubernetes-cli (withKubeConfig, withKubeCredentials), kubernetes-cd
// (kubernetesDeploy) and kubernetes (podTemplate, container). `containerTemplate` and the
// volume symbols live in `stdlib/symbols/kubernetes.groovy`.

/**
 * Runs the block with `kubectl` configured: a temporary kubeconfig built from the parameters
 * is pointed to by `KUBECONFIG`, and removed afterwards.
 *
 * @param credentialsId a token, kubeconfig file, username/password or certificate credential
 * @param serverUrl the API server's URL
 * @param caCertificate the CA certificate to check the server with (unchecked if unset)
 * @param clusterName the cluster name to use or switch to
 * @param contextName the context name to use or switch to
 * @param namespace the default namespace
 * @param restrictKubeConfigAccess make the kubeconfig readable by the agent's user only
 * @plugin kubernetes-cli
 * @example
 *   withKubeConfig(credentialsId: 'k8s-token', serverUrl: 'https://k8s.example.com', namespace: 'apps') {
 *       sh 'kubectl apply -f deploy/'
 *   }
 */
def withKubeConfig(String credentialsId = null, String serverUrl = null, String caCertificate = null, String clusterName = null, String contextName = null, String namespace = null, boolean restrictKubeConfigAccess = false, Closure body) {}

/**
 * Like `withKubeConfig`, with several clusters' credentials in one kubeconfig.
 *
 * @param kubectlCredentials maps with the parameters of `withKubeConfig`
 * @plugin kubernetes-cli
 * @example
 *   withKubeCredentials(kubectlCredentials: [[credentialsId: 'a', serverUrl: 'https://a.example.com']]) {
 *       sh 'kubectl get pods'
 *   }
 */
def withKubeCredentials(List kubectlCredentials, Closure body) {}

/**
 * Applies Kubernetes resource files to a cluster, substituting `$VARIABLES` in them first.
 *
 * @param configs comma-separated Ant patterns of the resource files
 * @param kubeconfigId the kubeconfig credential
 * @param enableConfigSubstitution replace `$VAR` and `${VAR}` with environment variables
 * @param secretName the name of a registry secret to create for pulling images
 * @param secretNamespace the namespace of that secret
 * @param dockerCredentials registries to create the secret for: `[[credentialsId: 'x', url: 'y']]`
 * @param deleteResource delete the resources instead of applying them
 * @plugin kubernetes-cd
 * @example
 *   kubernetesDeploy configs: 'k8s/*.yaml', kubeconfigId: 'kubeconfig'
 */
def kubernetesDeploy(String configs, String kubeconfigId = null, boolean enableConfigSubstitution = true, String secretName = null, String secretNamespace = null, List dockerCredentials = null, boolean deleteResource = false) {}

/**
 * Defines a pod of agent containers on a Kubernetes cloud for the block; a `node(POD_LABEL)`
 * inside the block runs on it.
 *
 * @param label the agent label (a unique one is generated and set in `POD_LABEL` if unset)
 * @param name the pod name prefix
 * @param namespace the namespace to create the pod in
 * @param cloud the Kubernetes cloud's name
 * @param inheritFrom the pod templates to inherit from
 * @param containers `containerTemplate(...)` entries
 * @param volumes volume symbols, such as `emptyDirVolume(...)`
 * @param yaml a pod spec in YAML, merged with the other settings
 * @param yamlMergeStrategy how `yaml` merges with inherited templates: `override()` or `merge()`
 * @param serviceAccount the pod's service account
 * @param nodeSelector a node selector, `key=value,...`
 * @param imagePullSecrets names of image pull secrets
 * @param envVars environment variables for every container
 * @param annotations pod annotations
 * @param idleMinutes how long the pod stays after the block
 * @param activeDeadlineSeconds the pod's deadline
 * @param podRetention whether the pod is kept after the build: `never()`, `onFailure()`, `always()`
 * @param workspaceVolume the volume holding the workspace
 * @param showRawYaml log the pod's YAML
 * @param runAsUser the user id containers run as
 * @param runAsGroup the group id containers run as
 * @param hostNetwork use the node's network
 * @param instanceCap the most pods of this template at once
 * @param slaveConnectTimeout seconds to wait for the agent to connect
 * @param nodeUsageMode `NORMAL` or `EXCLUSIVE`
 * @plugin kubernetes
 * @example
 *   podTemplate(containers: [containerTemplate(name: 'maven', image: 'maven:3-eclipse-temurin-17', command: 'sleep', args: 'infinity')]) {
 *       node(POD_LABEL) {
 *           container('maven') {
 *               sh 'mvn -B verify'
 *           }
 *       }
 *   }
 */
def podTemplate(String label = null, String name = null, String namespace = null, String cloud = null, String inheritFrom = null, List containers = null, List volumes = null, String yaml = null, Object yamlMergeStrategy = null, String serviceAccount = null, String nodeSelector = null, List imagePullSecrets = null, List envVars = null, List annotations = null, int idleMinutes = 0, int activeDeadlineSeconds = 0, Object podRetention = null, Object workspaceVolume = null, boolean showRawYaml = true, String runAsUser = null, String runAsGroup = null, boolean hostNetwork = false, int instanceCap = 0, int slaveConnectTimeout = 100, String nodeUsageMode = null, Closure body) {}

/**
 * Runs the block's `sh` steps in another container of the current Kubernetes pod.
 *
 * @param name the container's name in the pod template
 * @param shell the shell to run scripts with in that container
 * @plugin kubernetes
 * @example
 *   container('docker') {
 *       sh 'docker build -t app .'
 *   }
 */
def container(String name, String shell = null, Closure body) {}
