//! The short text under a diagnostic's span, for the codes whose check did not write a more
//! specific one. Jenkins' message says what is wrong; the label says what the span is.

use crate::diagnostic::Diagnostic;

/// Gives every diagnostic without a label the default one for its code.
pub(crate) fn fill(diags: &mut [Diagnostic]) {
    for diag in diags.iter_mut().filter(|d| d.label.is_none()) {
        diag.label = default(diag.code).map(str::to_owned);
    }
}

fn default(code: &str) -> Option<&'static str> {
    Some(match code {
        "agent-needs-block" => "this agent type needs several options",
        "agent-with-parallel" | "tools-with-parallel" => "not allowed on a stage that fans out",
        "agent-without-argument" => "`agent` needs `any`, `none` or a block",
        "big-integer" => "does not fit in 64 bits",
        "blocked-step" => "not allowed here",
        "changelog-without-pattern" => "needs a pattern",
        "credentials-argument" => "the credentials id must be a string",
        "definition-with-block" => "no block allowed here",
        "duplicate-axis-name" | "duplicate-trigger" | "duplicate-option" => "given twice",
        "duplicate-axis-value" => "repeated value",
        "duplicate-post-condition" => "this condition is already given",
        "duplicate-section" => "repeated section",
        "duplicate-stage-name" => "another stage here has this name",
        "duplicate-environment-variable" => "set twice",
        "empty-axes" | "empty-excludes" | "empty-environment" | "empty-section"
        | "empty-stages" | "empty-steps" | "empty-tools" | "empty-when" => "empty",
        "expected-agent" => "not an agent type",
        "expected-block" => "needs a block `{ … }`",
        "expected-closure-or-fail-fast" => "not a closure",
        "expected-definition" => "not a call",
        "expected-map-method" => "write `key value`",
        "expected-name-value-pairs" => "contains entries that are not `NAME = value`",
        "expected-stage" => "not a stage",
        "expected-step" => "not a step call",
        "expected-string-literal" => "not a plain string",
        "expression-without-block" => "needs a `{ … }` block",
        "input-without-message" => "no `message`",
        "invalid-input-field" => "not an input field",
        "invalid-regex" => "not a valid Java regular expression",
        "job-property-in-options" => "not an option",
        "map-definition" => "a map literal",
        "missing-agent" => "this pipeline has no `agent`",
        "missing-agent-parameter" => "a required option is missing",
        "missing-agent-type" => "no agent type inside",
        "missing-argument" => "needs a value",
        "missing-axes" => "no `axes`",
        "missing-axis-name" => "no `name`",
        "missing-axis-values" => "no `values`",
        "missing-stages" => "this pipeline has no `stages`",
        "mixed-arguments" => "named and unnamed arguments together",
        "multiple-agent-types" => "second agent type",
        "nested-parallel" => "a parallel or matrix inside another",
        "nested-pipeline" => "inside another block",
        "nested-when-arguments" => "takes child conditions, not arguments",
        "nested-when-child-count" | "nested-when-without-children" => "wrong number of children",
        "not-single-parameter" => "name this argument",
        "object-method-call" => "a method call on an object",
        "pipeline-without-block" => "`pipeline` needs a block",
        "preserve-stashes-range" => "must be 1 to 50",
        "renamed-section" => "an old section name",
        "script-without-block" => "`script` needs a block",
        "stage-with-several-bodies" => "several bodies",
        "stage-without-block" => "no block for this stage",
        "stage-without-body" => "nothing to run",
        "too-many-arguments" => "one value expected",
        "undefined-section" | "unknown-stage-section" => "not a section here",
        "unknown-agent-option" => "not an option of this agent type",
        "unknown-agent-type" => "unknown agent type",
        "unknown-option-type" => "unknown option",
        "unknown-parameter" => "unknown parameter",
        "unknown-post-condition" => "unknown build condition",
        "unknown-tool-installation" => "no such installation",
        "unknown-tool-type" => "unknown tool type",
        "unknown-type" => "unknown type",
        "unknown-when-condition" => "unknown condition",
        "unnamed-arguments" => "name these arguments",
        "values-and-not-values" => "`values` and `notValues` together",
        "when-children-not-allowed" => "takes arguments, not child conditions",
        "wrong-argument-count" => "wrong number of arguments",
        "wrong-parameter-type" => "wrong type",
        _ => return None,
    })
}
