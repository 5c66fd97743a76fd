//! `junit` (junit-plugin `JUnitResultArchiver`): reads `JUnit` XML reports selected by an Ant
//! pattern (surefire, pytest, jest and go-junit-report all write `<testsuite>`/`<testcase>`
//! with `<failure>`, `<error>` and `<skipped>` children), counts the results, marks the build
//! UNSTABLE when a test failed, and returns the `TestResultSummary`.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event as Xml;
use serde_json::json;

use super::ant::FileSet;
use super::args::{bool_or, required_str};
use super::safety::escapes;
use super::{Args, StepContext, StepError, StepFuture};
use crate::report::BuildResult;

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
/// The XML parser's message when the document is not well-formed.
pub fn count_report(xml: &str) -> Result<Counts, String> {
    let mut reader = Reader::from_str(xml);
    let mut counts = Counts::default();
    // Inside a <testcase>: whether it failed / was skipped so far.
    let mut case: Option<(bool, bool)> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Xml::Start(tag) if tag.local_name().as_ref() == b"testcase" => {
                case = Some((false, false));
            }
            Xml::Empty(tag) if tag.local_name().as_ref() == b"testcase" => counts.total += 1,
            Xml::Start(tag) | Xml::Empty(tag) => {
                if let Some((failed, skipped)) = &mut case {
                    match tag.local_name().as_ref() {
                        b"failure" | b"error" => *failed = true,
                        b"skipped" => *skipped = true,
                        _ => {}
                    }
                }
            }
            Xml::End(tag) if tag.local_name().as_ref() == b"testcase" => {
                if let Some((failed, skipped)) = case.take() {
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

pub(crate) fn junit(ctx: &StepContext, args: Args) -> StepFuture<'_> {
    Box::pin(async move {
        let patterns = required_str("junit", &args, "testResults")?;
        let allow_empty = bool_or("junit", &args, "allowEmptyResults", false)?;
        let skip_unstable = bool_or("junit", &args, "skipMarkingBuildUnstable", false)?;
        ctx.emit.log("Recording test results");
        let files = FileSet::new(&patterns, "", false).scan(&ctx.cwd, &|p| !escapes(ctx, p));
        if files.is_empty() && !allow_empty {
            return Err(StepError::abort(
                "No test report files were found. Configuration error?",
            ));
        }
        let mut counts = Counts::default();
        for (_, path) in &files {
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
    use super::{Counts, count_report};

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
}
