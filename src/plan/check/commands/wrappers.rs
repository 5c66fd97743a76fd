//! The wrappers the tool scan sees through (`sudo`, `nohup`, `timeout 10`, `xargs -n1`, …):
//! each one's options, so that the command after them is found, and only when every option
//! is one it knows.

/// A command that runs the command after it (after its options).
pub(super) struct Wrapper {
    pub(super) name: &'static str,
    /// Whether it is a program on PATH (`sudo`), not the shell's own (`exec`).
    pub(super) program: bool,
    /// Options without a value.
    flags: &'static [&'static str],
    /// Options with a value: the next word, or attached (`-n10`, `--user=deploy`).
    valued: &'static [&'static str],
}

pub(super) const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        program: true,
        // Not `-e` (edits a file), `-l` (lists), `-v`: what follows them is no command.
        flags: &[
            "-A",
            "-b",
            "-E",
            "-H",
            "-i",
            "-k",
            "-n",
            "-P",
            "-S",
            "-s",
            "--askpass",
            "--background",
            "--preserve-env",
            "--set-home",
            "--login",
            "--reset-timestamp",
            "--non-interactive",
            "--preserve-groups",
            "--stdin",
            "--shell",
        ],
        valued: &[
            "-u",
            "-g",
            "-h",
            "-p",
            "-C",
            "-D",
            "-r",
            "-t",
            "-U",
            "-T",
            "-R",
            "--user",
            "--group",
            "--host",
            "--prompt",
            "--close-from",
            "--chdir",
            "--role",
            "--type",
            "--other-user",
            "--command-timeout",
            "--chroot",
        ],
    },
    Wrapper {
        name: "env",
        program: true,
        // Not `-S` (the command is inside one quoted word).
        flags: &[
            "-i",
            "-0",
            "-v",
            "--ignore-environment",
            "--null",
            "--debug",
        ],
        valued: &["-u", "-C", "--unset", "--chdir"],
    },
    Wrapper {
        name: "nohup",
        program: true,
        flags: &[],
        valued: &[],
    },
    Wrapper {
        name: "setsid",
        program: true,
        flags: &["-c", "-f", "-w", "--ctty", "--fork", "--wait"],
        valued: &[],
    },
    Wrapper {
        name: "nice",
        program: true,
        flags: &[],
        valued: &["-n", "--adjustment"],
    },
    Wrapper {
        name: "timeout",
        program: true,
        flags: &[
            "-f",
            "-p",
            "-v",
            "--foreground",
            "--preserve-status",
            "--verbose",
        ],
        valued: &["-k", "-s", "--kill-after", "--signal"],
    },
    Wrapper {
        name: "xargs",
        program: true,
        flags: &[
            "-0",
            "-o",
            "-p",
            "-r",
            "-t",
            "-x",
            "--null",
            "--open-tty",
            "--interactive",
            "--no-run-if-empty",
            "--verbose",
            "--exit",
        ],
        valued: &[
            "-a",
            "-d",
            "-E",
            "-I",
            "-L",
            "-n",
            "-P",
            "-s",
            "--arg-file",
            "--delimiter",
            "--max-lines",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ],
    },
    Wrapper {
        name: "stdbuf",
        program: true,
        flags: &[],
        valued: &["-i", "-o", "-e", "--input", "--output", "--error"],
    },
    Wrapper {
        name: "time",
        program: false,
        flags: &["-p"],
        valued: &[],
    },
    Wrapper {
        name: "exec",
        program: false,
        flags: &["-c", "-l"],
        valued: &["-a"],
    },
    Wrapper {
        name: "command",
        program: false,
        flags: &["-p"],
        valued: &[],
    },
];

/// Skips the options of `wrapper` from `words[*i]` on; false at one it does not know.
pub(super) fn skip_options(words: &[&str], i: &mut usize, wrapper: &Wrapper) -> bool {
    while let Some(&w) = words.get(*i) {
        if w == "--" {
            *i += 1;
            return true;
        }
        if !w.starts_with('-') || w == "-" {
            return true;
        }
        *i += 1;
        if wrapper.flags.contains(&w) {
            continue;
        }
        if wrapper.valued.contains(&w) {
            *i += 1;
            continue;
        }
        // `nice -10`: the adjustment as the option.
        if wrapper.name == "nice" && w[1..].chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let attached = match w.split_once('=') {
            Some((name, _)) if name.starts_with("--") => wrapper.valued.contains(&name),
            _ => !w.starts_with("--") && w.get(..2).is_some_and(|o| wrapper.valued.contains(&o)),
        };
        if !attached {
            return false;
        }
    }
    true
}
