//! The one masking stage. Every record passes through [`Masker`] before any sink (console,
//! JSON lines, the stored build log) sees it. Output chunks are assembled into whole lines per
//! source; a partial line is held back until it ends, or until its source prints something
//! else (a step ending, a log line). Each whole line then has every secret replaced by `****`,
//! as credentials-binding's console filter does (runtime-semantics.md §4.2).

use std::collections::HashMap;

use super::{Event, Record, SourceId};

/// Secrets shorter than this are never masked (credentials-binding drops them).
const MIN_SECRET_CHARS: usize = 3;

/// Lines of a multi-line secret shorter than this are not masked on their own (too likely to
/// be common text such as `}` or `-----`).
const MIN_SECRET_LINE_CHARS: usize = 8;

/// The masking stage: line assembly plus secret replacement.
#[derive(Debug, Default)]
pub struct Masker {
    /// Every encoded form of every secret, longest first.
    patterns: Vec<String>,
    partial: HashMap<SourceId, Record>,
}

impl Masker {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Masks these values (and their shell-quoted and base64 forms) from now on. A secret
    /// shorter than 3 characters is not masked at all, not even its longer encoded forms.
    pub fn add_secrets<S: AsRef<str>>(&mut self, values: &[S]) {
        for value in values {
            if value.as_ref().chars().count() < MIN_SECRET_CHARS {
                continue;
            }
            let value = value.as_ref();
            // Output is masked line by line, so a multi-line value (a key, a token with a
            // newline) can never match whole: mask each of its lines too.
            let lines = value
                .lines()
                .map(str::trim)
                .filter(|l| l.chars().count() >= MIN_SECRET_LINE_CHARS && *l != value);
            for whole in std::iter::once(value).chain(lines) {
                for form in encoded_forms(whole) {
                    if form.chars().count() >= MIN_SECRET_CHARS && !self.patterns.contains(&form) {
                        self.patterns.push(form);
                    }
                }
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.patterns
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// Replaces every match of a secret form with `****`, scanning left to right and trying
    /// longer forms first at each position (the alternation regex Jenkins builds).
    #[must_use]
    pub fn mask(&self, text: &str) -> String {
        mask_text(&self.patterns, text)
    }

    /// Every form masked so far, longest first, for text written after the build ends
    /// (`build.json`'s description) through [`mask_text`].
    #[must_use]
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Feeds one record and returns what the sinks get, in order. Output chunks come out as
    /// whole lines, each with its `\n` (a flushed partial line has none).
    pub fn push(&mut self, record: Record) -> Vec<Record> {
        let mut out = Vec::new();
        match record.event {
            Event::Output { text } => self.assemble(record.source, record.time_ms, &text, &mut out),
            Event::Secrets { values } => {
                // Text held back so far was printed before the secrets were bound.
                self.flush_all(&mut out);
                self.add_secrets(&values);
            }
            event => {
                self.flush(record.source, &mut out);
                out.push(Record {
                    event: self.mask_event(event),
                    ..record
                });
            }
        }
        out
    }

    /// Everything still held back, at the end of the build.
    pub fn finish(&mut self) -> Vec<Record> {
        let mut out = Vec::new();
        self.flush_all(&mut out);
        out
    }

    fn assemble(&mut self, source: SourceId, time_ms: u64, text: &str, out: &mut Vec<Record>) {
        let mut pending = match self.partial.remove(&source) {
            Some(Record {
                event: Event::Output { text },
                time_ms,
                ..
            }) => (text, time_ms),
            _ => (String::new(), time_ms),
        };
        for piece in text.split_inclusive('\n') {
            pending.0.push_str(piece);
            if piece.ends_with('\n') {
                let line = std::mem::take(&mut pending.0);
                out.push(self.line(source, pending.1, &line));
                pending.1 = time_ms;
            }
        }
        if !pending.0.is_empty() {
            let held = Record {
                source,
                time_ms: pending.1,
                event: Event::Output { text: pending.0 },
            };
            self.partial.insert(source, held);
        }
    }

    fn flush(&mut self, source: SourceId, out: &mut Vec<Record>) {
        if let Some(Record {
            event: Event::Output { text },
            time_ms,
            ..
        }) = self.partial.remove(&source)
        {
            out.push(self.line(source, time_ms, &text));
        }
    }

    fn flush_all(&mut self, out: &mut Vec<Record>) {
        let mut sources: Vec<SourceId> = self.partial.keys().copied().collect();
        sources.sort_unstable();
        for source in sources {
            self.flush(source, out);
        }
    }

    fn line(&self, source: SourceId, time_ms: u64, text: &str) -> Record {
        Record {
            source,
            time_ms,
            event: Event::Output {
                text: self.mask(text),
            },
        }
    }

    /// Masks the text fields of a non-output event.
    fn mask_event(&self, event: Event) -> Event {
        match event {
            Event::Log { line } => Event::Log {
                line: self.mask(&line),
            },
            Event::Error { message } => Event::Error {
                message: self.mask(&message),
            },
            // Labels come from the user's values too (`stage("deploy-${TOKEN}")`,
            // `load "${TOKEN}.groovy"`), and they are printed.
            Event::StepStart {
                name,
                summary,
                block,
                stage,
                branch,
            } => Event::StepStart {
                name,
                summary: self.mask(&summary),
                block,
                stage: stage.map(|s| self.mask(&s)),
                branch: branch.map(|b| self.mask(&b)),
            },
            Event::BodyStart { label } => Event::BodyStart {
                label: label.map(|l| self.mask(&l)),
            },
            Event::StageStart { name, branch } => Event::StageStart {
                name: self.mask(&name),
                branch: branch.map(|b| self.mask(&b)),
            },
            Event::StageEnd {
                name,
                result,
                skipped,
                duration_ms,
            } => Event::StageEnd {
                name: self.mask(&name),
                result,
                skipped,
                duration_ms,
            },
            Event::StepEnd {
                name,
                block,
                result,
                duration_ms,
                error,
            } => Event::StepEnd {
                name,
                block,
                result,
                duration_ms,
                error: error.map(|e| self.mask(&e)),
            },
            other => other,
        }
    }
}

/// Replaces every match of `patterns` (longest first) with `****`.
#[must_use]
pub fn mask_text(patterns: &[String], text: &str) -> String {
    if patterns.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while let Some(c) = rest.chars().next() {
        for pattern in patterns {
            if let Some(after) = rest.strip_prefix(pattern.as_str()) {
                out.push_str("****");
                rest = after;
                continue 'scan;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The forms in which a secret may show up in a log: as it is, quoted by `sh -x` (bash, and
/// dash/busybox), with `$` doubled, and base64-encoded at each byte alignment.
fn encoded_forms(value: &str) -> Vec<String> {
    let mut forms = vec![value.to_owned()];
    if value.contains('\'') {
        let bash = value.replace('\'', r"'\''");
        forms.push(format!("'{bash}'"));
        forms.push(bash);
        forms.push(value.replace('\'', r#"'"'"'"#));
    }
    if value.contains('$') {
        forms.push(value.replace('$', "$$"));
    }
    forms.extend(base64_forms(value.as_bytes()));
    forms
}

/// The part of the base64 text of `bytes` that does not depend on what surrounds them, for
/// each of the three alignments a secret can have inside a longer encoded text; standard and
/// URL alphabets; with and without the padding of a secret that ends the text.
fn base64_forms(bytes: &[u8]) -> Vec<String> {
    let mut forms = Vec::new();
    for shift in 0..3usize {
        let mut input = vec![0u8; shift];
        input.extend_from_slice(bytes);
        let encoded = super::base64_encode(&input);
        let unpadded = encoded.trim_end_matches('=');
        // Characters that mix bits of the unknown neighbours are dropped at both ends.
        let skip = if shift == 0 { 0 } else { shift + 1 };
        let total_bits = input.len() * 8;
        let stable_end = total_bits / 6;
        if stable_end <= skip {
            continue;
        }
        let core = &unpadded[skip..stable_end.min(unpadded.len())];
        let mut variants = vec![core.to_owned()];
        if shift == 0 && encoded.len() > unpadded.len() {
            variants.push(encoded.clone());
            variants.push(unpadded.to_owned());
        }
        for variant in variants {
            let url = variant.replace('+', "-").replace('/', "_");
            forms.push(variant);
            forms.push(url);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::{Event, Masker, Record};

    fn output(source: u32, text: &str) -> Record {
        Record {
            source,
            time_ms: 0,
            event: Event::Output { text: text.into() },
        }
    }

    fn texts(records: &[Record]) -> Vec<String> {
        records
            .iter()
            .map(|r| match &r.event {
                Event::Output { text } => format!("{}:{text}", r.source),
                Event::Log { line } => format!("{}:log:{line}", r.source),
                other => format!("{}:{other:?}", r.source),
            })
            .collect()
    }

    #[test]
    fn stage_and_body_labels_are_masked() {
        let mut masker = Masker::new();
        masker.add_secrets(&["s3cr3t-value"]);
        let label = |event| Record {
            source: 0,
            time_ms: 0,
            event,
        };
        let mut out = Vec::new();
        for event in [
            Event::StageStart {
                name: "st-s3cr3t-value".into(),
                branch: Some("b-s3cr3t-value".into()),
            },
            Event::BodyStart {
                label: Some("s3cr3t-value.groovy".into()),
            },
            Event::StepStart {
                name: "sh".into(),
                summary: String::new(),
                block: false,
                stage: Some("st-s3cr3t-value".into()),
                branch: None,
            },
            Event::StageEnd {
                name: "st-s3cr3t-value".into(),
                result: crate::report::BuildResult::Success,
                skipped: false,
                duration_ms: 0,
            },
        ] {
            out.extend(masker.push(label(event)));
        }
        let shown = format!("{out:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert_eq!(shown.matches("****").count(), 5, "{shown}");
    }

    #[test]
    fn masks_a_secret_split_across_chunks() {
        let mut masker = Masker::new();
        masker.add_secrets(&["s3cr3t-value"]);
        let mut out = Vec::new();
        for chunk in [
            "token=s3c",
            "r3t-va",
            "lue and more\nnext s3cr3t-value",
            "!\n",
        ] {
            out.extend(masker.push(output(0, chunk)));
        }
        assert_eq!(texts(&out), ["0:token=**** and more\n", "0:next ****!\n"]);
    }

    #[test]
    fn partial_lines_are_kept_per_source_and_flushed_by_their_source() {
        let mut masker = Masker::new();
        masker.add_secrets(&["hunter2"]);
        let mut out = Vec::new();
        out.extend(masker.push(output(1, "branch A: hun")));
        out.extend(masker.push(output(2, "branch B line\n")));
        out.extend(masker.push(output(1, "ter2")));
        out.extend(masker.push(Record {
            source: 1,
            time_ms: 0,
            event: Event::Log {
                line: "echo hunter2".into(),
            },
        }));
        assert_eq!(
            texts(&out),
            ["2:branch B line\n", "1:branch A: ****", "1:log:echo ****"]
        );
    }

    #[test]
    fn each_long_line_of_a_multi_line_secret_is_masked() {
        let mut masker = Masker::new();
        masker.add_secrets(&["line-one-secret\nline-two-secret\nend"]);
        let mut out = Vec::new();
        out.extend(masker.push(output(0, "+ echo line-one-secret\nline-two-secret\nend\n")));
        assert_eq!(texts(&out), ["0:+ echo ****\n", "0:****\n", "0:end\n"]);
    }

    #[test]
    fn longest_secret_wins_and_short_ones_are_ignored() {
        let mut masker = Masker::new();
        masker.add_secrets(&["ab", "pass", "password123"]);
        assert_eq!(masker.mask("ab password123 pass"), "ab **** ****");
        // Nor the base64 form of a short secret (`YWI=`).
        assert_eq!(masker.mask("YWI= YWI"), "YWI= YWI");
    }

    #[test]
    fn shell_quoted_and_base64_forms_are_masked() {
        let mut masker = Masker::new();
        masker.add_secrets(&["it's-secret"]);
        assert_eq!(masker.mask(r"+ echo 'it'\''s-secret'"), "+ echo ****");
        assert_eq!(masker.mask(r#"+ echo 'it'"'"'s-secret'"#), "+ echo '****'");
        // base64 of "xit's-secret" (shift 1) contains the shifted form.
        let encoded = super::super::base64_encode(b"xit's-secret");
        assert!(masker.mask(&encoded).contains("****"), "{encoded}");
        assert!(
            masker
                .mask(&super::super::base64_encode(b"it's-secret"))
                .contains("****")
        );
    }
}
