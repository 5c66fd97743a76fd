// The `currentBuild` global and its type, RunWrapper (workflow-support).

/**
 * The running build. `result`, `displayName`, `description` and `keepLog` may be set; the
 * result can only get worse.
 *
 * @plugin workflow-support
 */
RunWrapper currentBuild

/** A build: the current one, or another reached from it (`previousBuild`, the value `build` returns). */
class RunWrapper {
    /** The build number. */
    final int number
    /** The build id (the number, as a String). */
    final String id
    /** `SUCCESS`, `UNSTABLE`, `FAILURE`, `NOT_BUILT` or `ABORTED`; `null` while running and not set. */
    String result
    /** Like `result`, but `SUCCESS` instead of `null`. */
    final String currentResult
    /** The build's name in the UI, `#42` by default. */
    String displayName
    /** `folder » job #42`. */
    final String fullDisplayName
    /** The job's short name. */
    final String projectName
    /** The job's full name, `folder/job`. */
    final String fullProjectName
    /** The build's description, `null` by default. */
    String description
    /** Keep the build forever. */
    boolean keepLog
    /** When the build was scheduled, in milliseconds since the epoch. */
    final long timeInMillis
    /** When the build started, in milliseconds since the epoch. */
    final long startTimeInMillis
    /** How long the build took, in milliseconds (0 while running). */
    final long duration
    /** The duration as text, `1 min 3 sec`, with ` and counting` while running. */
    final String durationString
    /** The build's URL. */
    final String absoluteUrl
    /** The build's causes, as JSON. */
    final String buildCauses
    /** The build's SCM change sets. */
    final List changeSets
    /** The global variables set by `env.X = ...`, for a finished Pipeline build. */
    final Map buildVariables
    /** The builds that triggered this one. */
    final List upstreamBuilds
    /** The build before this one, or `null`. */
    final RunWrapper previousBuild
    /** The last completed build before this one. */
    final RunWrapper previousCompletedBuild
    /** The last successful build before this one. */
    final RunWrapper previousSuccessfulBuild
    /** The last failed build before this one. */
    final RunWrapper previousFailedBuild
    /** The last build before this one that did not fail. */
    final RunWrapper previousNotFailedBuild
    /** The last build before this one that is still running. */
    final RunWrapper previousBuildInProgress
    /** The last build before this one that was built. */
    final RunWrapper previousBuiltBuild
    /** The build after this one, or `null`. */
    final RunWrapper nextBuild
    /** The underlying `hudson.model.Run`; the sandbox rejects it. */
    final Object rawBuild

    /**
     * Whether the result is at least as good as the given one (`null` counts as SUCCESS).
     *
     * @param other a result name
     * @return `true` when as good or better
     */
    boolean resultIsBetterOrEqualTo(String other) {}

    /**
     * Whether the result is at least as bad as the given one (`null` counts as SUCCESS).
     *
     * @param other a result name
     * @return `true` when as bad or worse
     */
    boolean resultIsWorseOrEqualTo(String other) {}

    /**
     * The build's causes of a class, as JSON.
     *
     * @param className a cause class, such as `hudson.model.Cause$UserIdCause`; all if unset
     * @return a JSON array of the causes
     */
    List getBuildCauses(String className = null) {}
}
