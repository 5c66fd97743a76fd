// The git plugin's describables for `checkout`: `scmGit(...)` (the symbol of `GitSCM`) and the
// symbols of its checkout extensions, as the Snippet Generator writes them.

/**
 * A Git repository for the `checkout` step: the modern form of `[$class: 'GitSCM', ...]`.
 *
 * @param userRemoteConfigs the remotes: `[[url: '...', credentialsId: '...']]`
 * @param branches the branch specs: `[[name: 'main']]`
 * @param extensions checkout behaviours: `cleanBeforeCheckout()`, `localBranch('main')`, ...
 * @param browser the repository browser
 * @param gitTool the git installation to use
 * @plugin git
 * @example
 *   checkout scmGit(branches: [[name: 'main']],
 *                   userRemoteConfigs: [[url: 'https://example.com/app.git', credentialsId: 'git']])
 */
def scmGit(List userRemoteConfigs, List branches = null, List extensions = null, Object browser = null, String gitTool = null) {}

/**
 * Runs `git clean -fdx` (after `git reset --hard`) before the fetch of an existing checkout.
 *
 * @param deleteUntrackedNestedRepositories also delete untracked nested repositories (`-ffdx`)
 * @plugin git
 * @example
 *   checkout scmGit(userRemoteConfigs: [[url: 'https://example.com/app.git']], extensions: [cleanBeforeCheckout()])
 */
def cleanBeforeCheckout(boolean deleteUntrackedNestedRepositories = false) {}

/**
 * Runs `git clean -fdx` (after `git reset --hard`) once the checkout is done.
 *
 * @param deleteUntrackedNestedRepositories also delete untracked nested repositories (`-ffdx`)
 * @plugin git
 * @example
 *   checkout scmGit(userRemoteConfigs: [[url: 'https://example.com/app.git']], extensions: [cleanAfterCheckout()])
 */
def cleanAfterCheckout(boolean deleteUntrackedNestedRepositories = false) {}

/**
 * Checks out a local branch instead of a detached HEAD; `**` names it after the remote branch.
 *
 * @param localBranch the local branch's name, or `**`
 * @plugin git
 * @example
 *   checkout scmGit(userRemoteConfigs: [[url: 'https://example.com/app.git']], extensions: [localBranch('**')])
 */
def localBranch(String localBranch) {}

/**
 * Checks out into a subdirectory of the workspace instead of its top.
 *
 * @param relativeTargetDir the subdirectory, relative to the workspace
 * @plugin git
 * @example
 *   checkout scmGit(userRemoteConfigs: [[url: 'https://example.com/app.git']], extensions: [relativeTargetDirectory('app')])
 */
def relativeTargetDirectory(String relativeTargetDir) {}

/**
 * Clone and fetch options: a shallow history, no tags, a longer timeout.
 *
 * @param shallow fetch a shallow history
 * @param depth how many commits a shallow fetch keeps (1 when 0)
 * @param noTags fetch no tags
 * @param reference a local repository to borrow objects from
 * @param timeout the fetch's timeout, in minutes
 * @param honorRefspec use the remote's refspec on the initial clone
 * @plugin git
 * @example
 *   checkout scmGit(userRemoteConfigs: [[url: 'https://example.com/app.git']], extensions: [cloneOption(shallow: true, depth: 1, noTags: true)])
 */
def cloneOption(boolean shallow = false, int depth = 0, boolean noTags = false, String reference = null, int timeout = 10, boolean honorRefspec = false) {}

/**
 * Checks out the repository's submodules after the checkout.
 *
 * @param disableSubmodules do not check out submodules
 * @param recursiveSubmodules check out submodules of submodules too
 * @param parentCredentials fetch the submodules with the parent repository's credentials
 * @param trackingSubmodules update submodules to the tip of their tracking branch
 * @param reference a local repository to borrow objects from
 * @param shallow fetch shallow submodule histories
 * @param depth how many commits a shallow fetch keeps
 * @param timeout the submodule update's timeout, in minutes
 * @plugin git
 * @example
 *   checkout scmGit(userRemoteConfigs: [[url: 'https://example.com/app.git']], extensions: [submodule(recursiveSubmodules: true, parentCredentials: true)])
 */
def submodule(boolean disableSubmodules = false, boolean recursiveSubmodules = false, boolean parentCredentials = false, boolean trackingSubmodules = false, String reference = null, boolean shallow = false, int depth = 1, int timeout = 10) {}
