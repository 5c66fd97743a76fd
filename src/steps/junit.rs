//! `junit` (junit-plugin `JUnitResultArchiver`): reads `JUnit` XML reports selected by an Ant
//! pattern (surefire, pytest, jest and go-junit-report all write `<testsuite>`/`<testcase>`
//! with `<failure>`, `<error>` and `<skipped>` children), counts the results, marks the build
//! UNSTABLE when a test failed, and returns the `TestResultSummary`. Like the plugin, it
//! counts only the reports written since the build started (with three seconds of slack for
//! coarse file times): reports an earlier build left behind are not this build's results.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use quick_xml::Reader;
use quick_xml::events::Event as Xml;
use serde_json::json;

use super::ant::FileSet;
use super::args::{bool_or, required_str};
use super::safety::escapes;
use super::{Args, StepContext, StepError, StepFuture};
use crate::report::{BuildResult, timespan};

/// Counts from one or more reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Counts {
    fn add(&mut self, other: Self) {
        self.total += other.total;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// Counts the test cases of one `JUnit` XML document.
///
/// # Errors
/// When the document is not well-formed: dom4j's message (`Error on line N of document  :
/// Content is not allowed in prolog.`, …), or the XML parser's where dom4j's is not known.
pub fn count_report(xml: &str) -> Result<Counts, String> {
    // Xerces skips a byte-order mark; quick-xml would read it as text.
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.allow_unmatched_ends = false;
    let mut counts = Counts::default();
    // Inside a <testcase>: whether it failed / was skipped so far.
    let mut case: Option<(bool, bool)> = None;
    // quick-xml reads fragments; dom4j wants one document: one root, no text outside it,
    // every element closed.
    let mut depth = 0usize;
    let mut seen_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| dom4j_error(xml, reader.error_position(), &e.to_string()))?;
        let fail = |message: &str| Err(dom4j_error(xml, reader.buffer_position(), message));
        match &event {
            Xml::Start(_) | Xml::Empty(_) if depth == 0 && seen_root => {
                return fail(
                    "The markup in the document following the root element must be well-formed.",
                );
            }
            Xml::Text(text) if depth == 0 && !text.iter().all(u8::is_ascii_whitespace) => {
                return fail(outside_root(seen_root));
            }
            Xml::CData(_) | Xml::GeneralRef(_) if depth == 0 => {
                return fail(outside_root(seen_root));
            }
            Xml::Eof if depth > 0 => {
                return fail("XML document structures must start and end within the same entity.");
            }
            Xml::Eof if !seen_root => return fail("Premature end of file."),
            _ => {}
        }
        match event {
            Xml::Start(tag) => {
                depth += 1;
                seen_root = true;
                if tag.local_name().as_ref() == b"testcase" {
                    case = Some((false, false));
                } else {
                    mark(&mut case, tag.local_name().as_ref());
                }
            }
            Xml::Empty(tag) => {
                seen_root = true;
                if tag.local_name().as_ref() == b"testcase" {
                    counts.total += 1;
                } else {
                    mark(&mut case, tag.local_name().as_ref());
                }
            }
            Xml::End(tag) => {
                depth = depth.saturating_sub(1);
                if tag.local_name().as_ref() == b"testcase"
                    && let Some((failed, skipped)) = case.take()
                {
                    counts.total += 1;
                    if failed {
                        counts.failed += 1;
                    } else if skipped {
                        counts.skipped += 1;
                    }
                }
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    Ok(counts)
}

/// Notes a `<failure>`, `<error>` or `<skipped>` inside the current test case.
fn mark(case: &mut Option<(bool, bool)>, name: &[u8]) {
    if let Some((failed, skipped)) = case {
        match name {
            b"failure" | b"error" => *failed = true,
            b"skipped" => *skipped = true,
            _ => {}
        }
    }
}

/// Xerces' message for character data outside the root element.
fn outside_root(after: bool) -> &'static str {
    if after {
        "Content is not allowed in trailing section."
    } else {
        "Content is not allowed in prolog."
    }
}

/// dom4j's `DocumentException` text for a problem at byte `offset` of `xml`.
fn dom4j_error(xml: &str, offset: u64, message: &str) -> String {
    let end = usize::try_from(offset).unwrap_or(usize::MAX).min(xml.len());
    let line = xml.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    format!("Error on line {line} of document  : {message}")
}

/// Jenkins' message when no report matches (`plan` predicts it too).
pub(crate) const NO_REPORTS: &str = "No test report files were found. Configuration error?";

pub(crate) fn junit(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let patterns = required_str("junit", &args, "testResults")?;
        let allow_empty = bool_or("junit", &args, "allowEmptyResults", false)?;
        let skip_unstable = bool_or("junit", &args, "skipMarkingBuildUnstable", false)?;
        ctx.emit.log("Recording test results");
        let files = FileSet::new(&patterns, "", false).scan(&ctx.cwd, &|p| !escapes(ctx, p));
        if files.is_empty() && !allow_empty {
            return Err(StepError::abort(NO_REPORTS));
        }
        let fresh = fresh_reports(ctx.host.build_started_ms, &files)?;
        let mut counts = Counts::default();
        for path in &fresh {
            counts.add(read(path)?);
        }
        if counts.total == 0 {
            if allow_empty {
                ctx.emit
                    .log("None of the test reports contained any result");
            } else {
                return Err(StepError::abort(
                    "None of the test reports contained any result",
                ));
            }
        }
        let passed = counts.total - counts.failed - counts.skipped;
        if counts.total > 0 {
            ctx.emit.log(format!(
                "Test results: {} tests, {} failed, {} skipped, {passed} passed",
                counts.total, counts.failed, counts.skipped
            ));
        }
        if counts.failed > 0 && !skip_unstable {
            ctx.host.result.worsen(BuildResult::Unstable);
        }
        Ok(json!({
            "totalCount": counts.total,
            "failCount": counts.failed,
            "skipCount": counts.skipped,
            "passCount": passed,
        }))
    })
}

/// The junit plugin's error margin on a report's modification time.
const SLACK_MS: u64 = 3000;

/// The reports modified since the build started; an error naming an old one when there are
/// reports but none is new (`TestResult.parse`'s message, typo included).
fn fresh_reports(started_ms: u64, files: &[(String, PathBuf)]) -> Result<Vec<&Path>, StepError> {
    let modified = |path: &Path| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    };
    let fresh: Vec<&Path> = files
        .iter()
        .map(|(_, path)| path.as_path())
        .filter(|path| started_ms.saturating_sub(SLACK_MS) <= modified(path))
        .collect();
    match files.first() {
        Some((_, old)) if fresh.is_empty() => Err(StepError::abort(format!(
            "Test reports were found but none of them are new. Did leafNodes run? \nFor example, {} is {} old",
            old.display(),
            timespan(started_ms.saturating_sub(modified(old)))
        ))),
        _ => Ok(fresh),
    }
}

fn read(path: &Path) -> Result<Counts, StepError> {
    let text = std::fs::read_to_string(path).map_err(|e| super::archive::io_failure(path, &e))?;
    count_report(&text).map_err(|e| {
        StepError::abort(format!(
            "Failed to read test report file {}\norg.dom4j.DocumentException: {e}",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::{Counts, count_report, fresh_reports};

    #[test]
    fn only_reports_written_since_the_build_started_count() {
        let dir = tempfile::tempdir().unwrap();
        let started = SystemTime::now();
        let started_ms =
            u64::try_from(started.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap();
        let old = dir.path().join("old.xml");
        let skewed = dir.path().join("skewed.xml");
        let new = dir.path().join("new.xml");
        for (path, age) in [(&old, 125), (&skewed, 2), (&new, 0)] {
            let file = std::fs::File::create(path).unwrap();
            file.set_modified(started - Duration::from_secs(age))
                .unwrap();
        }
        let files = |names: &[&std::path::PathBuf]| {
            names
                .iter()
                .map(|p| (String::new(), (*p).clone()))
                .collect::<Vec<_>>()
        };
        let all = files(&[&new, &old, &skewed]);
        let fresh = fresh_reports(started_ms, &all).unwrap();
        assert_eq!(fresh, vec![new.as_path(), skewed.as_path()]);
        let stale = files(&[&old]);
        let err = fresh_reports(started_ms, &stale).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "Test reports were found but none of them are new. Did leafNodes run? \nFor example, {} is 2 min 5 sec old",
                old.display()
            )
        );
        // An unknown start (0) counts every report.
        assert_eq!(fresh_reports(0, &stale).unwrap().len(), 1);
    }

    #[test]
    fn flavours() {
        let surefire = r#"<?xml version="1.0"?><testsuite name="a" tests="3">
            <testcase name="ok" classname="A"/>
            <testcase name="bad" classname="A"><failure message="x">trace</failure></testcase>
            <testcase name="skip" classname="A"><skipped/></testcase></testsuite>"#;
        assert_eq!(
            count_report(surefire).unwrap(),
            Counts {
                total: 3,
                failed: 1,
                skipped: 1
            }
        );
        let nested = r#"<testsuites><testsuite><testcase name="a"><error/></testcase>
            <testcase name="b"><system-out>x</system-out></testcase></testsuite></testsuites>"#;
        assert_eq!(
            count_report(nested).unwrap(),
            Counts {
                total: 2,
                failed: 1,
                skipped: 0
            }
        );
        assert!(count_report("<testsuite><testcase></testsuite>").is_err());
    }

    #[test]
    fn a_document_that_is_not_well_formed_is_refused_with_dom4j_message() {
        let cases = [
            (
                "not xml at all",
                "Error on line 1 of document  : Content is not allowed in prolog.",
            ),
            (
                "<?xml version=\"1.0\"?>\n<testsuite><testcase name=\"a\"/>",
                "Error on line 2 of document  : XML document structures must start and end within the same entity.",
            ),
            (
                "<testsuite/>\ntrailing",
                "Error on line 2 of document  : Content is not allowed in trailing section.",
            ),
            (
                "<testsuite/><testsuite/>",
                "Error on line 1 of document  : The markup in the document following the root element must be well-formed.",
            ),
            ("", "Error on line 1 of document  : Premature end of file."),
        ];
        for (xml, message) in cases {
            assert_eq!(count_report(xml).unwrap_err(), message, "{xml:?}");
        }
        assert_eq!(
            count_report("\u{feff}<testsuite><testcase/></testsuite>\n").unwrap(),
            Counts {
                total: 1,
                failed: 0,
                skipped: 0
            }
        );
    }
}
