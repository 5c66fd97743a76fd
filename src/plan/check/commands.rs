//! The programs an `sh` script calls, for the `--check` tool items: read conservatively, so
//! that a tool is never reported missing by mistake. A word the scan is unsure of (a variable,
//! a quote, a path, a wrapper's option it does not know) is left out.

mod wrappers;

use self::wrappers::{WRAPPERS, skip_options};

/// Shell words that are not programs on PATH.
const BUILTINS: &[&str] = &[
    "!", ".", ":", "[", "[[", "]]", "alias", "break", "case", "cd", "command", "continue", "do",
    "done", "echo", "elif", "else", "esac", "eval", "exec", "exit", "export", "false", "fi", "for",
    "function", "hash", "if", "in", "local", "printf", "pwd", "read", "readonly", "return", "set",
    "shift", "source", "test", "then", "time", "trap", "true", "type", "ulimit", "umask", "unset",
    "until", "wait", "while", "{", "}",
];

/// The programs a shell script calls, conservatively: the first word of each simple command
/// that is a plain name (no variables, quotes or paths), shell keywords and builtins left out.
/// Commands inside `( … )`, `$( … )`, backquotes and `{ …; }` count, as do a wrapper and the
/// command after it (`sudo -u x make`, `timeout 10 curl`); the script's own functions do not.
#[must_use]
pub(super) fn commands(script: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    // Here-document bodies still to skip, by their closing word, in order.
    let mut heredocs: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    for line in script.lines() {
        if let Some(end) = heredocs.front() {
            if line.trim() == end {
                heredocs.pop_front();
            }
            continue;
        }
        heredocs.extend(heredoc_ends(line));
        let was_continued = continued;
        continued = line.trim_end().ends_with('\\');
        if was_continued {
            continue;
        }
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        for part in simple_commands(line) {
            for word in command_words(&part) {
                let plain = word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
                    && !word.starts_with(['-', '.'])
                    && !word.chars().all(|c| c.is_ascii_digit());
                if plain && !BUILTINS.contains(&word) && !out.iter().any(|o| o == word) {
                    out.push(word.to_string());
                }
            }
        }
    }
    let defined = defined_names(script);
    out.retain(|c| !defined.contains(c));
    out
}

/// The simple commands of one line: split at `;`, `&`, `|`, and at the edges of `( … )`,
/// `$( … )` and backquotes, so that a command in a subshell or a substitution starts a part
/// of its own. Quoted text stays inside its word (a quote makes the word not a plain name),
/// but a substitution inside double quotes is still a command. A `)` with no `(` before it on
/// the line ends a `case` pattern: the pattern is not a command. Arithmetic (`$(( … ))`,
/// `(( … ))`) is left out.
fn simple_commands(line: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    // Where the current `case` pattern starts: the line's start, or after `;;`.
    let mut case_start = 0;
    let mut single = false;
    let mut double = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if single {
            if c == '\'' {
                single = false;
            }
            current.push(c);
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                current.push(c);
                if let Some(n) = next {
                    current.push(n);
                }
                i += 2;
                continue;
            }
            '\'' if !double => single = true,
            '"' => double = !double,
            '(' if next == Some('(') => {
                // Arithmetic: skip to the closing `))`.
                let rest: String = chars[i..].iter().collect();
                let skip = rest
                    .find("))")
                    .map_or(chars.len() - i, |at| rest[..at + 2].chars().count());
                current.push('0');
                i += skip;
                continue;
            }
            '$' if next == Some('(') => {
                if chars.get(i + 2) == Some(&'(') {
                    let rest: String = chars[i..].iter().collect();
                    let skip = rest
                        .find("))")
                        .map_or(chars.len() - i, |at| rest[..at + 2].chars().count());
                    current.push('0');
                    i += skip;
                    continue;
                }
                parts.push(std::mem::take(&mut current));
                depth += 1;
                i += 2;
                continue;
            }
            '`' | ';' | '&' | '|' => {
                parts.push(std::mem::take(&mut current));
                if c == ';' && next == Some(';') {
                    case_start = parts.len();
                }
                i += 1;
                continue;
            }
            '(' if !double => {
                parts.push(std::mem::take(&mut current));
                depth += 1;
                i += 1;
                continue;
            }
            ')' => {
                if depth > 0 {
                    depth -= 1;
                    parts.push(std::mem::take(&mut current));
                } else if !double {
                    // `a|b)` of a `case`: the pattern is no command; what follows is.
                    parts.truncate(case_start);
                    current.clear();
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    parts.push(current);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// The words of a simple command that name programs: the program, after assignments,
/// keywords (`if`, `!`, `{`) and wrappers; a wrapper that is a program itself (`sudo`,
/// `nohup`, `timeout 10`, `xargs -n1`, `nice -n 5`, `env -i`, …) is one too. The shell's own
/// wrappers (`time`, `exec`, `command`) are not. A wrapper option the scan does not know
/// ends the command: what follows could be the option's value.
fn command_words(part: &str) -> Vec<&str> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&word) = words.get(i) {
        i += 1;
        let assignment = word.contains('=') && !word.starts_with('=');
        if assignment
            || matches!(
                word,
                "then" | "do" | "else" | "!" | "{" | "}" | "if" | "elif" | "while" | "until"
            )
        {
            continue;
        }
        let Some(wrapper) = WRAPPERS.iter().find(|w| w.name == word) else {
            out.push(word);
            return out;
        };
        if wrapper.program {
            out.push(word);
        }
        // `command -v docker` asks whether it exists: it runs nothing.
        if word == "command" && matches!(words.get(i), Some(&("-v" | "-V"))) {
            return out;
        }
        if !skip_options(&words, &mut i, wrapper) {
            return out;
        }
        if word == "timeout" {
            // The duration: `10`, `1.5s`, `5m`.
            let duration = words.get(i).is_some_and(|d| {
                let number = d.trim_end_matches(['s', 'm', 'h', 'd']);
                !number.is_empty()
                    && number.chars().all(|c| c.is_ascii_digit() || c == '.')
                    && number.len() + 1 >= d.len()
            });
            if !duration {
                return out;
            }
            i += 1;
        }
    }
    out
}

/// The functions and aliases a script defines (`f() { …; }`, `function f { … }`,
/// `alias f=…`): calling one needs no program.
fn defined_names(script: &str) -> Vec<String> {
    let Ok(re) = regex::Regex::new(
        r"(?m)^\s*(?:function\s+([A-Za-z_][\w.:-]*)|([A-Za-z_][\w.:-]*)\s*\(\s*\)|alias\s+([A-Za-z_][\w.:-]*)=)",
    ) else {
        return Vec::new();
    };
    re.captures_iter(script)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)))
        .map(|m| m.as_str().to_string())
        .collect()
}

/// The closing words of the here-documents a line opens (`cat <<EOF`, `<<-'END'`), not
/// here-strings (`<<<`).
fn heredoc_ends(line: &str) -> Vec<String> {
    let mut ends = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("<<") {
        let after = &rest[at + 2..];
        if after.starts_with('<') {
            rest = after.trim_start_matches('<');
            continue;
        }
        let after = after.strip_prefix('-').unwrap_or(after).trim_start();
        let word: String = after
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | '&' | '>' | '<' | ')'))
            .collect();
        let end: String = word
            .chars()
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        if !end.is_empty() {
            ends.push(end);
        }
        rest = &after[word.len()..];
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::commands;

    #[test]
    fn scans_first_words_conservatively() {
        let script = "set -e\nFOO=1 make build && npm test | tee out.log\n# docker push\nif [ -f x ]; then\n  kubectl apply -f k.yaml \\\n    --dry-run\nfi\n$CMD arg\n./run.sh\n";
        assert_eq!(commands(script), ["make", "npm", "tee", "kubectl"]);
    }

    #[test]
    fn skips_here_document_bodies() {
        let script = "cat <<EOF > conf\nterraform apply\nhelm install\nEOF\nmake\ncat <<-'END' | tee x\n\tkubectl get\n\tEND\nnpm test\ngrep x <<< \"$v\"\n";
        assert_eq!(commands(script), ["cat", "make", "tee", "npm", "grep"]);
    }

    #[test]
    fn finds_commands_in_subshells_and_substitutions() {
        let script = "(cd sub && make)\nVERSION=$(git describe --tags)\necho \"sha: $(jq -r .sha f.json)\"\nX=`helm version`\nN=$((1 + 2))\n(( i++ ))\necho '(not a command)'\n";
        assert_eq!(commands(script), ["make", "git", "jq", "helm"]);
    }

    #[test]
    fn finds_commands_after_sudo_and_env() {
        let script = "sudo docker ps\nsudo -E -u deploy kubectl get pods\nenv FOO=1 BAR=2 terraform plan\nenv -i PATH=/bin aws s3 ls\nenv | sort\n";
        assert_eq!(
            commands(script),
            [
                "sudo",
                "docker",
                "kubectl",
                "env",
                "terraform",
                "aws",
                "sort"
            ]
        );
    }

    #[test]
    fn finds_the_command_after_each_wrapper() {
        let script = "nohup java -jar app.jar &\ntimeout 10 curl -s x\ntimeout -s KILL 5m rsync a b\nls | xargs -0 -I{} -n 1 gzip {}\nfind . | xargs --null -P4 sha256sum\ntime -p make\nexec gradle build\nnice -n 10 tar c .\nnice -5 zstd f\ncommand -p mvn package\nenv -i HOME=/ node x.js\nstdbuf -oL python3 x.py\n";
        assert_eq!(
            commands(script),
            [
                "nohup",
                "java",
                "timeout",
                "curl",
                "rsync",
                "ls",
                "xargs",
                "gzip",
                "find",
                "sha256sum",
                "make",
                "gradle",
                "nice",
                "tar",
                "zstd",
                "mvn",
                "env",
                "node",
                "stdbuf",
                "python3"
            ]
        );
    }

    #[test]
    fn an_unknown_wrapper_option_or_a_lookup_leaves_the_command_out() {
        // `--weird` could take a value; `command -v` runs nothing; `sudo -e` edits a file;
        // `timeout $T` has no duration the scan can read; `env -S` hides the command in a word.
        let script = "xargs --weird v make\ncommand -v docker || true\nsudo -e /etc/hosts\ntimeout $T helm ls\nenv -S 'perl -w' x\nxargs\n";
        assert_eq!(commands(script), ["xargs", "sudo", "timeout", "env"]);
    }

    #[test]
    fn finds_commands_in_groups_and_conditions() {
        let script = "{ make build; npm test; } > log 2>&1\nif grep -q x f; then echo y; fi\nwhile ! curl -sf u; do sleep 1; done\n";
        assert_eq!(commands(script), ["make", "npm", "grep", "curl", "sleep"]);
    }

    #[test]
    fn the_scripts_own_functions_are_not_programs() {
        let script = "build() { make all; }\nfunction deploy {\n  helm upgrade x\n}\nfunction clean() { rm -rf out; }\nalias k=kubectl\nbuild\ndeploy\nclean\nk get pods\n";
        assert_eq!(commands(script), ["make", "helm", "rm"]);
    }

    #[test]
    fn case_patterns_are_not_commands() {
        let script = "case \"$X\" in\n  a) make ;;\n  b|c) npm test ;;\nesac\n";
        assert_eq!(commands(script), ["make", "npm"]);
    }
}
