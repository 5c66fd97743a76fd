//! `textDocument/codeAction`: a quick fix for every diagnostic in the requested range that
//! carries a fix (`Diagnostic::fix`, made where the diagnostic is made: the did-you-means, a
//! missing `agent any`, stray steps wrapped in `steps { }`).

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};

use super::diagnostics::{RuleDocs, to_lsp};
use crate::diagnostic::{Diagnostic, Fix};
use crate::lsp::document::Document;

/// The quick fixes for the diagnostics (of the document's current text) touching `range`.
#[must_use]
pub fn code_actions(
    doc: &Document,
    diags: &[Diagnostic],
    range: Range,
    docs: &RuleDocs,
) -> Vec<CodeActionOrCommand> {
    // Diagnostics that share one fix (a run of stray steps) give one action naming them all.
    let mut grouped: Vec<(&Fix, Vec<lsp_types::Diagnostic>)> = Vec::new();
    for diag in diags {
        let Some(fix) = diag.fix.as_ref() else {
            continue;
        };
        let lsp = to_lsp(doc, diag, docs);
        if !touches(lsp.range, range) {
            continue;
        }
        match grouped.iter_mut().find(|(f, _)| *f == fix) {
            Some((_, named)) => named.push(lsp),
            None => grouped.push((fix, vec![lsp])),
        }
    }
    let crlf = doc.text.contains("\r\n");
    grouped
        .into_iter()
        .map(|(fix, named)| {
            let edits = fix
                .edits
                .iter()
                .map(|e| {
                    let text = if crlf {
                        crlf_lines(&e.replacement)
                    } else {
                        e.replacement.clone()
                    };
                    TextEdit::new(doc.index.range(&doc.text, e.span), text)
                })
                .collect();
            CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(named),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// `text` with its bare `\n` line ends made `\r\n`: a fix inserted in a CRLF file must not
/// leave it with mixed line ends. Ends already `\r\n` (text moved from the file) are kept.
fn crlf_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous = '\0';
    for c in text.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// Whether two ranges overlap or touch (a cursor at either end of a diagnostic counts).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use lsp_types::{CodeActionOrCommand, Position, Range};

    use super::code_actions;
    use crate::diagnostic::Diagnostic;
    use crate::lint::LintOptions;
    use crate::lsp::analysis::analyse;
    use crate::lsp::document::Document;
    use crate::lsp::handlers::diagnostics::RuleDocs;
    use crate::lsp::handlers::testing::doc;

    fn lint(d: &Document, options: &LintOptions) -> Vec<Diagnostic> {
        analyse(d, options).findings
    }

    /// Applies the first action's edits (sorted from the end) to the text.
    fn apply_first(text: &str, range: Range) -> Option<(String, String)> {
        let d = doc(text);
        let diags = lint(&d, &LintOptions::default());
        let actions = code_actions(&d, &diags, range, &RuleDocs::default());
        let CodeActionOrCommand::CodeAction(action) = actions.into_iter().next()? else {
            return None;
        };
        let mut edits: Vec<_> = action.edit?.changes?.into_values().flatten().collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut out = text.to_owned();
        for e in edits {
            let span = d.index.span(&d.text, e.range);
            out.replace_range(span.range(), &e.new_text);
        }
        Some((action.title, out))
    }

    #[test]
    fn unknown_step_did_you_mean_is_a_quick_fix() {
        let text = "node {\n  shh 'make'\n}\n";
        let cursor = Range::new(Position::new(1, 3), Position::new(1, 3));
        let (title, fixed) = apply_first(text, cursor).expect("a fix");
        assert_eq!(title, "Replace with `sh`");
        assert_eq!(fixed, "node {\n  sh 'make'\n}\n");
        // Nothing to fix away from the diagnostic.
        let elsewhere = Range::new(Position::new(2, 0), Position::new(2, 1));
        assert_eq!(apply_first(text, elsewhere), None);
    }

    fn everywhere() -> Range {
        Range::new(Position::new(0, 0), Position::new(99, 0))
    }

    #[test]
    fn a_missing_agent_is_added() {
        let text = "pipeline {\n    stages { stage('a') { steps { echo 'x' } } }\n}\n";
        let (title, fixed) = apply_first(text, everywhere()).expect("a fix");
        assert_eq!(title, "Add `agent any`");
        assert_eq!(
            fixed,
            "pipeline {\n    agent any\n    stages { stage('a') { steps { echo 'x' } } }\n}\n"
        );
        let d = doc(&fixed);
        assert!(lint(&d, &LintOptions::default()).is_empty());
        // The file's own indentation: two spaces, a tab.
        let two = "pipeline {\n  stages { stage('a') { steps { echo 'x' } } }\n}\n";
        let (_, fixed) = apply_first(two, everywhere()).expect("a fix");
        assert!(
            fixed.starts_with("pipeline {\n  agent any\n  stages"),
            "{fixed}"
        );
        let tab = "pipeline {\n\tstages { stage('a') { steps { echo 'x' } } }\n}\n";
        let (_, fixed) = apply_first(tab, everywhere()).expect("a fix");
        assert!(
            fixed.starts_with("pipeline {\n\tagent any\n\tstages"),
            "{fixed}"
        );
    }

    #[test]
    fn a_missing_agent_on_a_one_line_pipeline_gets_a_line_of_its_own() {
        let text = "pipeline { stages { stage('a') { steps { echo 'x' } } } }\n";
        let (title, fixed) = apply_first(text, everywhere()).expect("a fix");
        assert_eq!(title, "Add `agent any`");
        assert_eq!(
            fixed,
            "pipeline {\n    agent any\n    stages { stage('a') { steps { echo 'x' } } } }\n"
        );
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
        // A comment after the `{` stays on the first line.
        let commented = "pipeline { // ci\n  stages { stage('a') { steps { echo 'x' } } }\n}\n";
        let (_, fixed) = apply_first(commented, everywhere()).expect("a fix");
        assert_eq!(
            fixed,
            "pipeline {\n  agent any // ci\n  stages { stage('a') { steps { echo 'x' } } }\n}\n"
        );
    }

    /// Every distinct fix offered for the whole text, applied together (they must not overlap).
    fn apply_all(text: &str) -> (Vec<String>, String) {
        let d = doc(text);
        let diags = lint(&d, &LintOptions::default());
        let mut titles = Vec::new();
        let mut edits = Vec::new();
        for action in code_actions(&d, &diags, everywhere(), &RuleDocs::default()) {
            let CodeActionOrCommand::CodeAction(action) = action else {
                panic!("a code action");
            };
            titles.push(action.title);
            edits.extend(
                action
                    .edit
                    .unwrap()
                    .changes
                    .unwrap()
                    .into_values()
                    .flatten(),
            );
        }
        let mut spans: Vec<_> = edits
            .into_iter()
            .map(|e| (d.index.span(&d.text, e.range), e.new_text))
            .collect();
        spans.sort_by_key(|(s, _)| std::cmp::Reverse((s.start, s.end)));
        for pair in spans.windows(2) {
            assert!(
                pair[1].0.end <= pair[0].0.start,
                "overlapping edits {spans:?}"
            );
        }
        let mut out = text.to_owned();
        for (span, new) in spans {
            out.replace_range(span.range(), &new);
        }
        (titles, out)
    }

    #[test]
    fn stray_steps_move_into_the_existing_steps_block() {
        // Steps before and after the stage's `steps` block, and a did-you-mean inside it.
        let text = "pipeline {\n    agent any\n    stages {\n        stage('Build') {\n            sh 'make'\n            steps {\n                ech 'building'\n            }\n            echo 'done'\n            archiveArtifacts 'out/*'\n        }\n    }\n}\n";
        let before = lint(&doc(text), &LintOptions::default());
        let mut codes: Vec<_> = before.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        assert_eq!(
            codes,
            [
                "unknown-stage-section",
                "unknown-stage-section",
                "unknown-stage-section",
                "unknown-step"
            ]
        );
        let (titles, fixed) = apply_all(text);
        assert_eq!(
            titles,
            ["Move into the stage's `steps { }`", "Replace with `echo`"]
        );
        assert_eq!(
            fixed,
            "pipeline {\n    agent any\n    stages {\n        stage('Build') {\n            steps {\n                sh 'make'\n                echo 'building'\n                echo 'done'\n                archiveArtifacts 'out/*'\n            }\n        }\n    }\n}\n"
        );
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
        // A one-line `steps` block, and steps sharing its line.
        let text = "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps { echo 'x' }\n      sh 'y'\n    }\n  }\n}\n";
        let (titles, fixed) = apply_all(text);
        assert_eq!(titles, ["Move into the stage's `steps { }`"]);
        assert_eq!(
            fixed,
            "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps {\n        echo 'x'\n        sh 'y'\n      }\n    }\n  }\n}\n"
        );
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
        // An empty `steps` block.
        let text = "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      sh 'y'\n      steps { }\n    }\n  }\n}\n";
        let (_, fixed) = apply_all(text);
        assert_eq!(
            fixed,
            "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps {\n        sh 'y'\n      }\n    }\n  }\n}\n"
        );
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
    }

    #[test]
    fn moved_steps_keep_their_multi_line_strings() {
        // A heredoc's lines are the string's value: its `EOF` must stay at column 0.
        let text = "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      sh \'\'\'\ncat <<EOF\n  hi\n\nEOF\n\'\'\'\n      steps { echo 'y' }\n    }\n  }\n}\n";
        let (_, fixed) = apply_all(text);
        assert_eq!(
            fixed,
            "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps {\n        sh \'\'\'\ncat <<EOF\n  hi\n\nEOF\n\'\'\'\n        echo 'y'\n      }\n    }\n  }\n}\n"
        );
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
    }

    #[test]
    fn fixes_in_a_crlf_file_keep_its_line_ends() {
        let text = "pipeline {\r\n  agent any\r\n  stages {\r\n    stage('a') {\r\n      sh 'make'\r\n      echo 'done'\r\n      steps { echo 'x' }\r\n    }\r\n  }\r\n}\r\n";
        let (_, fixed) = apply_all(text);
        assert_eq!(
            fixed,
            "pipeline {\r\n  agent any\r\n  stages {\r\n    stage('a') {\r\n      steps {\r\n        sh 'make'\r\n        echo 'done'\r\n        echo 'x'\r\n      }\r\n    }\r\n  }\r\n}\r\n"
        );
        let text = "pipeline {\r\n  stages { stage('a') { steps { echo 'x' } } }\r\n}\r\n";
        let (_, fixed) = apply_first(text, everywhere()).expect("a fix");
        assert_eq!(
            fixed,
            "pipeline {\r\n  agent any\r\n  stages { stage('a') { steps { echo 'x' } } }\r\n}\r\n"
        );
    }

    #[test]
    fn stray_steps_are_wrapped_in_steps() {
        let text = "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      sh 'make'\n    }\n  }\n}\n";
        let (title, fixed) = apply_first(text, everywhere()).expect("a fix");
        assert_eq!(title, "Wrap in `steps { }`");
        assert!(fixed.contains("      steps { sh 'make' }\n"), "{fixed}");
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
    }

    #[test]
    fn a_run_of_stray_steps_gets_one_fix() {
        let text = "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      sh 'make'\n      echo 'done'\n    }\n  }\n}\n";
        let d = doc(text);
        let diags = lint(&d, &LintOptions::default());
        let actions = code_actions(&d, &diags, everywhere(), &RuleDocs::default());
        assert_eq!(actions.len(), 1, "{actions:#?}");
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("a code action");
        };
        assert_eq!(action.diagnostics.as_ref().map(Vec::len), Some(2));
        let (title, fixed) = apply_first(text, everywhere()).expect("a fix");
        assert_eq!(title, "Wrap in `steps { }`");
        assert_eq!(
            fixed,
            "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps {\n        sh 'make'\n        echo 'done'\n      }\n    }\n  }\n}\n"
        );
        assert!(lint(&doc(&fixed), &LintOptions::default()).is_empty());
    }

    #[test]
    fn misspelt_sections_conditions_and_parameters() {
        let cases = [
            (
                "pipeline {\n  agent any\n  stagess { stage('a') { steps { echo 'x' } } }\n}\n",
                "stagess",
                "stages",
            ),
            (
                "pipeline {\n  agent any\n  stages { stage('a') { stepss { echo 'x' } } }\n}\n",
                "stepss",
                "steps",
            ),
            (
                "pipeline {\n  agent any\n  stages { stage('a') { when { branc 'main' }\n steps { echo 'x' } } }\n}\n",
                "branc",
                "branch",
            ),
            (
                "pipeline {\n  agent any\n  options { timeout(tim: 1, unit: 'HOURS') }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
                "tim:",
                "time:",
            ),
            ("node {\n  sh scrip: 'make'\n}\n", "scrip:", "script:"),
        ];
        for (text, wrong, right) in cases {
            let (_, fixed) =
                apply_first(text, everywhere()).unwrap_or_else(|| panic!("no fix: {text}"));
            assert_eq!(fixed, text.replacen(wrong, right, 1), "{text}");
            assert!(
                lint(&doc(&fixed), &LintOptions::default()).is_empty(),
                "{fixed}"
            );
        }
    }
}
