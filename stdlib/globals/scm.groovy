// The `scm` global (workflow-multibranch / workflow-cps): the job's SCM.

/**
 * The SCM this Pipeline came from (in a multibranch job, the exact revision being built).
 * Pass it to `checkout scm`.
 *
 * @plugin workflow-multibranch
 */
SCM scm

/** An SCM configuration; for Git, a `GitSCM`. */
class SCM {
    /** Git: the remotes, each with `url`, `name`, `refspec` and `credentialsId`. */
    final List userRemoteConfigs
    /** Git: the branch specs, each with `name`. */
    final List branches
    /** Git: the extensions (clone options, local branch, ...). */
    final List extensions

    /**
     * Git: the remote repository URLs.
     *
     * @return the URLs
     */
    List getRepositories() {}
}
