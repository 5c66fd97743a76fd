//! A small POSIX-shell scanner that finds bash-only syntax. It follows quoting (single quotes
//! hide everything, double quotes hide all but `$` expansions), comments, here-documents and
//! command position, which is what keeps `awk '{a[0]}'`, `echo "[[ x ]]"` or
//! `python -c "a == b"` from being flagged.

/// A piece of bash-only syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Source,
    DoubleBracket,
    FunctionKeyword,
    ArrayAssignment,
    ArrayIndex,
    TestDoubleEquals,
    AnsiCString,
    AmpersandRedirect,
    HereString,
    BraceExpansion,
    Pipefail,
    ProcessSubstitution,
    ArithmeticCommand,
    BashExpansion,
    BashBuiltin,
    EchoOption,
}

impl Kind {
    /// What is bash-only, and the POSIX way to write it.
    pub(crate) fn describe(self) -> (&'static str, &'static str) {
        match self {
            Kind::Source => ("`source` is a bash builtin", "use `. file`"),
            Kind::DoubleBracket => (
                "`[[ … ]]` is a bash test",
                "use `[ … ]` (quote the variables), or `case` for patterns",
            ),
            Kind::FunctionKeyword => ("the `function` keyword is bash", "write `name() { … }`"),
            Kind::ArrayAssignment => (
                "arrays are bash",
                "use a space-separated string, `set --`, or one variable per value",
            ),
            Kind::ArrayIndex => (
                "array subscripts `${a[i]}` are bash",
                "use a space-separated string or positional parameters",
            ),
            Kind::TestDoubleEquals => (
                "`==` inside `[ ]` is bash; dash says `unexpected operator`",
                "use `=`",
            ),
            Kind::AnsiCString => (
                "`$'…'` strings are bash",
                "use `printf` to produce special characters",
            ),
            Kind::AmpersandRedirect => (
                "`&>` is bash; dash runs the command in the background and truncates the file",
                "use `> file 2>&1`",
            ),
            Kind::HereString => ("`<<<` here-strings are bash", "use `printf '%s\\n' … |`"),
            Kind::BraceExpansion => (
                "brace expansion `{a,b}` is bash; dash keeps the braces",
                "write the words out, or use a loop",
            ),
            Kind::Pipefail => (
                "`pipefail` is missing from the dash that Debian and Ubuntu ship (`set: Illegal option -o pipefail`)",
                "drop it, or run the script with bash (`#!/bin/bash` on the first line)",
            ),
            Kind::ProcessSubstitution => (
                "process substitution `<(…)` is bash",
                "use a temporary file or a pipe",
            ),
            Kind::ArithmeticCommand => ("`(( … ))` is bash", "use `[ … ]` or `$(( … ))`"),
            Kind::BashExpansion => (
                "this parameter expansion (substring, replacement, case or indirection) is bash",
                "use `cut`, `sed` or `tr`",
            ),
            Kind::EchoOption => (
                "`echo -e` is bash; dash's echo prints the `-e` and always interprets escapes",
                "use `printf '…\\n'`",
            ),
            Kind::BashBuiltin => (
                "this builtin is bash (`pushd`, `popd`, `shopt`, `declare`, `typeset`)",
                "use POSIX commands (`cd`, plain assignments)",
            ),
        }
    }
}

/// One finding: its kind and byte range in the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Scans a script; the findings are in script order.
pub(crate) fn scan(script: &str) -> Vec<Finding> {
    let mut s = Scanner {
        src: script.as_bytes(),
        text: script,
        i: 0,
        out: Vec::new(),
        heredocs: Vec::new(),
    };
    s.run();
    s.out
}

const BASH_BUILTINS: &[&str] = &["pushd", "popd", "shopt", "declare", "typeset"];

/// Keywords after which a command may follow directly.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time",
];

struct Scanner<'s> {
    src: &'s [u8],
    text: &'s str,
    i: usize,
    out: Vec<Finding>,
    /// Here-document delimiters waiting for the end of the line: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
}

/// A word as read: its raw text, whether any part was quoted, and its unquoted characters
/// (quoted ones replaced by a space), for brace expansion.
struct Word {
    start: usize,
    end: usize,
    quoted: bool,
    bare: String,
}

impl Scanner<'_> {
    fn peek(&self, k: usize) -> u8 {
        self.src.get(self.i + k).copied().unwrap_or(0)
    }

    fn flag(&mut self, kind: Kind, start: usize, end: usize) {
        self.out.push(Finding { kind, start, end });
    }

    fn run(&mut self) {
        // One simple command at a time: its words, then the operator that ends it.
        let mut words: Vec<Word> = Vec::new();
        while self.i < self.src.len() {
            let c = self.peek(0);
            match c {
                b' ' | b'\t' => self.i += 1,
                b'\\' if self.peek(1) == b'\n' => self.i += 2,
                b'\n' => {
                    self.command(&words);
                    words.clear();
                    self.i += 1;
                    self.skip_heredocs();
                }
                b'#' => self.skip_line(),
                b';' | b'|' | b'(' | b')' => {
                    self.command(&words);
                    if c == b'(' && words.is_empty() && self.peek(1) == b'(' {
                        self.flag(Kind::ArithmeticCommand, self.i, self.i + 2);
                        self.i += 1;
                    }
                    words.clear();
                    self.i += 1;
                }
                b'&' => {
                    if self.peek(1) == b'>' {
                        self.flag(Kind::AmpersandRedirect, self.i, self.i + 2);
                        self.i += 2;
                        continue;
                    }
                    self.command(&words);
                    words.clear();
                    self.i += 1;
                }
                b'<' | b'>' => self.redirect(),
                _ => {
                    let word = self.word();
                    // `name=(…)`: the `(` right after the `=` starts an array.
                    if self.peek(0) == b'('
                        && !word.quoted
                        && words
                            .iter()
                            .all(|w| is_assignment(&self.text[w.start..w.end]))
                        && is_assignment(&self.text[word.start..word.end])
                        && self.text[word.start..word.end].ends_with('=')
                    {
                        self.flag(Kind::ArrayAssignment, word.start, self.i + 1);
                        self.skip_parens();
                    }
                    words.push(word);
                }
            }
        }
        self.command(&words);
    }

    /// Checks one simple command's words.
    fn command(&mut self, words: &[Word]) {
        // Skip leading keywords and assignments to reach the command name.
        let mut k = 0;
        while let Some(w) = words.get(k) {
            let t = &self.text[w.start..w.end];
            if (KEYWORDS.contains(&t) || is_assignment(t)) && !w.quoted {
                k += 1;
            } else {
                break;
            }
        }
        for w in words {
            self.brace_expansion(w);
        }
        let Some(first) = words.get(k) else { return };
        let name = &self.text[first.start..first.end];
        let args = &words[k + 1..];
        let arg_text = |w: &Word| &self.text[w.start..w.end];
        let found = match name {
            "source" if !first.quoted => Some(Kind::Source),
            "[[" => Some(Kind::DoubleBracket),
            "function" if !args.is_empty() => Some(Kind::FunctionKeyword),
            n if BASH_BUILTINS.contains(&n) => Some(Kind::BashBuiltin),
            _ => None,
        };
        if let Some(kind) = found {
            self.flag(kind, first.start, first.end);
        }
        if (name == "[" || name == "test")
            && let Some(w) = args.iter().find(|w| arg_text(w) == "==")
        {
            let (s, e) = (w.start, w.end);
            self.flag(Kind::TestDoubleEquals, s, e);
        }
        if name == "echo"
            && let Some(w) = args.first()
            && !w.quoted
            && matches!(arg_text(w), "-e" | "-en" | "-ne" | "-E")
        {
            let (s, e) = (w.start, w.end);
            self.flag(Kind::EchoOption, s, e);
        }
        if name == "set"
            && let Some(w) = args.iter().find(|w| arg_text(w) == "pipefail")
        {
            let (s, e) = (w.start, w.end);
            self.flag(Kind::Pipefail, s, e);
        }
    }

    fn brace_expansion(&mut self, w: &Word) {
        let bare = w.bare.as_bytes();
        let mut j = 0;
        while j < bare.len() {
            if bare[j] == b'{'
                && (j == 0 || bare[j - 1] != b'$')
                && let Some(close) = bare[j + 1..].iter().position(|&b| b == b'}')
            {
                let inner = &w.bare[j + 1..j + 1 + close];
                let list = inner.contains(',') || inner.contains("..");
                if list && !inner.contains(' ') && !inner.is_empty() {
                    self.flag(Kind::BraceExpansion, w.start, w.end);
                    return;
                }
                j += close + 1;
                continue;
            }
            j += 1;
        }
    }

    /// `>`, `>>`, `>&`, `>|`, `<`, `<&`, `<>`, `<<`, `<<-`, `<<<`, `<(`, `>(`.
    fn redirect(&mut self) {
        let start = self.i;
        let c = self.peek(0);
        if self.peek(1) == b'(' {
            self.flag(Kind::ProcessSubstitution, start, start + 2);
            self.i += 1;
            return;
        }
        if c == b'<' && self.peek(1) == b'<' {
            if self.peek(2) == b'<' {
                self.flag(Kind::HereString, start, start + 3);
                self.i += 3;
                return;
            }
            self.i += 2;
            let strip = self.peek(0) == b'-';
            if strip {
                self.i += 1;
            }
            while matches!(self.peek(0), b' ' | b'\t') {
                self.i += 1;
            }
            let word = self.word();
            let delimiter: String = self.text[word.start..word.end]
                .chars()
                .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                .collect();
            if !delimiter.is_empty() {
                self.heredocs.push((delimiter, strip));
            }
            return;
        }
        self.i += 1;
        if matches!(self.peek(0), b'>' | b'&' | b'|') {
            self.i += 1;
        }
    }

    /// After a newline: skips the bodies of pending here-documents.
    fn skip_heredocs(&mut self) {
        for (delimiter, strip) in std::mem::take(&mut self.heredocs) {
            while self.i < self.src.len() {
                let end = self.text[self.i..]
                    .find('\n')
                    .map_or(self.src.len(), |n| self.i + n);
                let line = &self.text[self.i..end];
                let line = if strip {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                self.i = (end + 1).min(self.src.len());
                if line == delimiter {
                    break;
                }
            }
        }
    }

    fn skip_line(&mut self) {
        while self.i < self.src.len() && self.src[self.i] != b'\n' {
            self.i += 1;
        }
    }

    fn skip_parens(&mut self) {
        let mut depth = 0usize;
        while self.i < self.src.len() {
            match self.src[self.i] {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                b'\\' => self.i += 1,
                b'\'' => self.single_quoted(),
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Reads one word, following quotes and expansions.
    fn word(&mut self) -> Word {
        let start = self.i;
        let mut quoted = false;
        let mut bare = String::new();
        while self.i < self.src.len() {
            let c = self.src[self.i];
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
                b'\\' => {
                    quoted = true;
                    bare.push(' ');
                    self.i += 2;
                }
                b'\'' => {
                    quoted = true;
                    bare.push(' ');
                    self.single_quoted();
                    self.i += 1;
                }
                b'"' => {
                    quoted = true;
                    bare.push(' ');
                    self.double_quoted();
                }
                b'`' => {
                    bare.push(' ');
                    self.backquoted();
                }
                b'$' => {
                    bare.push(' ');
                    self.dollar(false);
                }
                _ => {
                    let len = utf8_len(c);
                    bare.push_str(self.text.get(self.i..self.i + len).unwrap_or(" "));
                    self.i += len;
                }
            }
        }
        self.i = self.i.min(self.src.len());
        Word {
            start,
            end: self.i,
            quoted,
            bare,
        }
    }

    /// At an opening `'`: moves to the closing one.
    fn single_quoted(&mut self) {
        self.i += 1;
        while self.i < self.src.len() && self.src[self.i] != b'\'' {
            self.i += 1;
        }
    }

    /// At an opening `"`: moves past the closing one.
    fn double_quoted(&mut self) {
        self.i += 1;
        while self.i < self.src.len() {
            match self.src[self.i] {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => self.i += 2,
                b'$' => self.dollar(true),
                b'`' => self.backquoted(),
                _ => self.i += 1,
            }
        }
    }

    fn backquoted(&mut self) {
        self.i += 1;
        while self.i < self.src.len() && self.src[self.i] != b'`' {
            if self.src[self.i] == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        self.i += 1;
    }

    /// At a `$`: `$'…'`, `${…}`, `$(…)`, `$((…))` or `$name`.
    fn dollar(&mut self, in_double_quotes: bool) {
        let start = self.i;
        match self.peek(1) {
            b'\'' if !in_double_quotes => {
                self.flag(Kind::AnsiCString, start, start + 2);
                self.i += 1;
                self.single_quoted();
                self.i += 1;
            }
            b'{' => self.braced(start),
            b'(' => {
                // `$(…)` and `$((…))`: scan the inside as shell text of its own.
                self.i += 1;
                let inner_start = self.i + 1;
                self.skip_parens();
                let inner_end = self.i.saturating_sub(1).max(inner_start);
                let inner = &self.text[inner_start..inner_end];
                if !inner.starts_with('(') {
                    for f in scan(inner) {
                        self.out.push(Finding {
                            kind: f.kind,
                            start: f.start + inner_start,
                            end: f.end + inner_start,
                        });
                    }
                }
            }
            _ => self.i += 1,
        }
    }

    /// `${…}`: flags bash-only forms, then moves past the closing brace.
    fn braced(&mut self, start: usize) {
        self.i += 2;
        let mut j = self.i;
        let indirect = self.src.get(j) == Some(&b'!');
        let length = self.src.get(j) == Some(&b'#');
        if indirect || length {
            j += 1;
        }
        let name_start = j;
        while j < self.src.len() && (self.src[j].is_ascii_alphanumeric() || self.src[j] == b'_') {
            j += 1;
        }
        let has_name = j > name_start;
        let next = self.src.get(j).copied().unwrap_or(0);
        let kind = if !has_name {
            None
        } else if next == b'[' {
            Some(Kind::ArrayIndex)
        } else if indirect && next == b'}' {
            Some(Kind::BashExpansion)
        } else if next == b':' {
            let after = self.src.get(j + 1).copied().unwrap_or(0);
            (!matches!(after, b'-' | b'=' | b'?' | b'+')).then_some(Kind::BashExpansion)
        } else if matches!(next, b'/' | b'^' | b',') && !length {
            Some(Kind::BashExpansion)
        } else {
            None
        };
        // Move to the matching `}`.
        let mut depth = 1usize;
        while self.i < self.src.len() {
            match self.src[self.i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        break;
                    }
                }
                b'\\' => self.i += 1,
                _ => {}
            }
            self.i += 1;
        }
        if let Some(kind) = kind {
            self.flag(kind, start, self.i.min(self.src.len()));
        }
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// `NAME=…` (an assignment word).
fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::{Kind, scan};

    fn kinds(script: &str) -> Vec<Kind> {
        scan(script).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn finds_bashisms() {
        assert_eq!(kinds("source env.sh"), [Kind::Source]);
        assert_eq!(kinds("if [[ -f x ]]; then echo; fi"), [Kind::DoubleBracket]);
        assert_eq!(kinds("function f {\n echo\n}"), [Kind::FunctionKeyword]);
        assert_eq!(kinds("a=(1 2 3)"), [Kind::ArrayAssignment]);
        assert_eq!(kinds("echo \"${a[0]}\""), [Kind::ArrayIndex]);
        assert_eq!(kinds("[ \"$a\" == b ]"), [Kind::TestDoubleEquals]);
        assert_eq!(kinds("echo $'a\\tb'"), [Kind::AnsiCString]);
        assert_eq!(kinds("make &> log"), [Kind::AmpersandRedirect]);
        assert_eq!(kinds("grep x <<< \"$v\""), [Kind::HereString]);
        assert_eq!(kinds("cp a.{txt,bak} d"), [Kind::BraceExpansion]);
        assert_eq!(kinds("set -euo pipefail"), [Kind::Pipefail]);
        assert_eq!(kinds("diff <(ls a) b"), [Kind::ProcessSubstitution]);
        assert_eq!(kinds("echo ${v:0:7}"), [Kind::BashExpansion]);
        assert_eq!(kinds("echo ${v//-/_}"), [Kind::BashExpansion]);
        assert_eq!(kinds("x=$(source a)"), [Kind::Source]);
        assert_eq!(kinds("pushd dir"), [Kind::BashBuiltin]);
        assert_eq!(kinds("echo -e \"5\\ny\" | gpg"), [Kind::EchoOption]);
    }

    #[test]
    fn leaves_posix_and_quoted_text_alone() {
        for script in [
            ". env.sh",
            "echo '[[ x ]]' \"source\"",
            "awk '{ a[0] = $1 } END { print a[0] }' f",
            "python -c \"print(1 == 1)\"",
            "[ \"$a\" = b ] && echo ${v:-default} ${#v} ${v%.*}",
            "find . -name x -exec rm {} \\;",
            "make > log 2>&1",
            "cat <<EOF\n[[ not shell ]] a=(1)\nEOF\necho done",
            "echo done # a == b [[ ]]",
            "echo \"{a,b}\" '{a,b}'",
            "FOO=bar make",
            "echo $((1 + 2))",
            "echo -n done; echo '-e'",
            "x=$(ls) && echo \"$x\"",
        ] {
            assert_eq!(kinds(script), [], "{script}");
        }
    }
}
