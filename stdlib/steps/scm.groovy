// Source control: workflow-scm-step (checkout) and git (git).

/**
 * Checks out source code with any SCM: `checkout scm` checks out the revision this build is
 * for (in a multibranch job, exactly the commit being built); a `$class` map or an SCM symbol
 * (`scmGit(...)`) describes another repository.
 *
 * @param scm the SCM: `scm`, `[$class: 'GitSCM', ...]` or `scmGit(...)`
 * @param changelog include the changes in the build's changelog
 * @param poll include this checkout when polling for changes
 * @return a Map of the SCM's variables, such as `GIT_COMMIT`, `GIT_BRANCH`, `GIT_URL`
 * @plugin workflow-scm-step
 * @example
 *   checkout scm
 * @example Another repository
 *   checkout([$class: 'GitSCM', branches: [[name: 'main']],
 *             userRemoteConfigs: [[url: 'https://example.com/repo.git', credentialsId: 'git']]])
 */
def checkout(Object scm, boolean changelog = true, boolean poll = true) {}

/**
 * Clones a Git repository into the current directory and checks out a local branch of the
 * same name (not a detached HEAD).
 *
 * @param url the repository URL
 * @param branch the branch to check out
 * @param credentialsId the credentials for the repository
 * @param changelog include the changes in the build's changelog
 * @param poll include this repository when polling for changes
 * @return a Map of the Git variables, as `checkout` returns
 * @plugin git
 * @example
 *   git url: 'https://example.com/app.git', branch: 'main', credentialsId: 'git-ssh'
 */
def git(String url, String branch = 'master', String credentialsId = null, boolean changelog = true, boolean poll = true) {}
