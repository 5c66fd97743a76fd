//! The argument string of `docker.build(name, args)`: shell words as `sh` would split them
//! (Jenkins runs `docker build -t "$JD_IMAGE" <args>` through `sh`), the flags the engine API
//! expresses, the ones only the CLI knows, and the context as the last word.

use super::BuildRequest;
use crate::docker::run_args::split_words;

/// CLI flags that take a value and have no engine API counterpart here.
const CLI_ONLY_WITH_VALUE: &[&str] = &[
    "--secret",
    "--ssh",
    "--platform",
    "--cache-from",
    "--cache-to",
    "--output",
    "-o",
    "--progress",
    "--builder",
    "--iidfile",
    "--metadata-file",
    "--network",
    "--add-host",
    "--shm-size",
    "--memory",
    "-m",
    "--cpu-shares",
    "--isolation",
];

/// CLI flags without a value that have no engine API counterpart here.
const CLI_ONLY_SWITCHES: &[&str] = &["--load", "--push", "--squash", "--quiet", "-q"];

pub(super) fn parse(tag: &str, args: &str) -> Result<BuildRequest, String> {
    let words = split_words(args).map_err(|e| e.to_string())?;
    let mut req = BuildRequest {
        tag: tag.to_string(),
        written: words.clone(),
        ..BuildRequest::default()
    };
    let mut positional: Vec<String> = Vec::new();
    let mut it = words.into_iter();
    while let Some(word) = it.next() {
        if !word.starts_with('-') || word == "-" {
            positional.push(word);
            continue;
        }
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (word.clone(), None),
        };
        // `-fDockerfile.ci` is the short flag with its value attached.
        let (flag, inline) = match (flag.as_str(), inline) {
            (f, None) if f.len() > 2 && f.starts_with("-f") && !f.starts_with("--") => {
                ("-f".to_string(), Some(f[2..].to_string()))
            }
            (_, inline) => (flag, inline),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("docker build: `{name}` needs a value"))
        };
        match flag.as_str() {
            "--pull" => req.pull = inline.as_deref() != Some("false"),
            "--no-cache" => req.no_cache = inline.as_deref() != Some("false"),
            "--rm" | "--force-rm" => {}
            "-f" | "--file" => req.dockerfile = Some(value(&flag)?),
            "--target" => req.target = Some(value(&flag)?),
            "--build-arg" => {
                let kv = value(&flag)?;
                req.build_args.push(key_value(&kv));
            }
            "--label" => {
                let kv = value(&flag)?;
                req.labels.push(key_value(&kv));
            }
            // A second tag is harmless to the CLI; it goes along.
            "-t" | "--tag" => {
                let t = value(&flag)?;
                req.cli_only.extend(["-t".to_string(), t]);
            }
            f if CLI_ONLY_WITH_VALUE.contains(&f) => {
                let v = value(f)?;
                req.cli_only.extend([f.to_string(), v]);
            }
            f if CLI_ONLY_SWITCHES.contains(&f) => req.cli_only.push(word.clone()),
            _ => {
                return Err(format!(
                    "docker build: argument `{word}` is not supported (supported: -f, --build-arg, --target, --label, --pull, --no-cache, and through the docker CLI {} {})",
                    CLI_ONLY_WITH_VALUE.join(", "),
                    CLI_ONLY_SWITCHES.join(", ")
                ));
            }
        }
    }
    match positional.len() {
        // Jenkins passes the arguments to `docker build` as they are, and the CLI refuses a
        // build without a context; `docker.build(name)` alone defaults them to `.`.
        0 => {
            return Err(format!(
                "\"docker build\" requires exactly 1 argument: the arguments must end with the build context, e.g. '{} .'",
                args.trim()
            ));
        }
        1 => req.context = positional.remove(0),
        _ => {
            return Err(format!(
                "docker build: the arguments must end with one build context, found {}",
                positional
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(req)
}

/// `K=V`; a bare `K` takes its value from this machine's environment, as the CLI does.
fn key_value(text: &str) -> (String, String) {
    match text.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (text.to_string(), std::env::var(text).unwrap_or_default()),
    }
}

/// `docker build -t <tag> …` as the `sh` trace would show the words (no quoting unless a
/// word needs it): the arguments as written, else the flags in a fixed order and the context
/// last.
pub(super) fn command_line(req: &BuildRequest) -> String {
    let mut words = vec![
        "docker".to_string(),
        "build".to_string(),
        "-t".to_string(),
        req.tag.clone(),
    ];
    if !req.written.is_empty() {
        words.extend(req.written.iter().cloned());
        return words
            .iter()
            .map(|w| quoted(w))
            .collect::<Vec<_>>()
            .join(" ");
    }
    if req.pull {
        words.push("--pull".into());
    }
    if req.no_cache {
        words.push("--no-cache".into());
    }
    for (k, v) in &req.build_args {
        words.extend(["--build-arg".to_string(), format!("{k}={v}")]);
    }
    for (k, v) in &req.labels {
        words.extend(["--label".to_string(), format!("{k}={v}")]);
    }
    if let Some(t) = &req.target {
        words.extend(["--target".to_string(), t.clone()]);
    }
    words.extend(req.cli_only.iter().cloned());
    if let Some(f) = &req.dockerfile {
        words.extend(["-f".to_string(), f.clone()]);
    }
    words.push(req.context.clone());
    words
        .iter()
        .map(|w| quoted(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word as `sh -x` prints it: bare when safe, else in single quotes.
fn quoted(word: &str) -> String {
    let safe = !word.is_empty()
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | '@' | ',' | '+')
        });
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::BuildRequest;

    #[test]
    fn a_build_without_a_context_is_refused_as_the_cli_does() {
        let req = BuildRequest::parse("acme/app:42", ".").unwrap();
        assert_eq!(req.context, ".");
        assert_eq!(req.tag, "acme/app:42");
        assert_eq!(req.command_line(), "docker build -t acme/app:42 .");
        let e = BuildRequest::parse("acme/app:42", "--no-cache").unwrap_err();
        assert!(e.contains("requires exactly 1 argument"), "{e}");
        assert!(e.contains("'--no-cache .'"), "{e}");
        assert!(BuildRequest::parse("acme/app:42", "").is_err());
    }

    #[test]
    fn flags_are_read_and_the_context_comes_last() {
        let req = BuildRequest::parse(
            "app",
            "-f ci/Dockerfile.ci --pull --no-cache --build-arg X=1 --build-arg=Y='a b' --target test --label org=acme ci",
        )
        .unwrap();
        assert_eq!(
            req,
            BuildRequest {
                tag: "app".into(),
                dockerfile: Some("ci/Dockerfile.ci".into()),
                context: "ci".into(),
                build_args: vec![("X".into(), "1".into()), ("Y".into(), "a b".into())],
                target: Some("test".into()),
                labels: vec![("org".into(), "acme".into())],
                pull: true,
                no_cache: true,
                cli_only: Vec::new(),
                written: req.written.clone(),
            }
        );
        // As Jenkins' `sh "docker build -t ${name} ${args}"` traces it: the user's order.
        assert_eq!(
            req.command_line(),
            "docker build -t app -f ci/Dockerfile.ci --pull --no-cache --build-arg X=1 '--build-arg=Y=a b' --target test --label org=acme ci"
        );
    }

    #[test]
    fn quoted_paths_and_attached_values_are_read() {
        let req = BuildRequest::parse("h", "-f \"./Dockerfile\" \".\"").unwrap();
        assert_eq!(req.dockerfile.as_deref(), Some("./Dockerfile"));
        assert_eq!(req.context, ".");
        let req = BuildRequest::parse("h", "--file=x/D -fy/D2 .").unwrap();
        assert_eq!(req.dockerfile.as_deref(), Some("y/D2"));
    }

    #[test]
    fn flags_the_api_cannot_express_go_to_the_cli() {
        let req = BuildRequest::parse(
            "app",
            "--secret id=npm,src=.npmrc --platform linux/arm64 --ssh default .",
        )
        .unwrap();
        assert_eq!(
            req.cli_only,
            [
                "--secret",
                "id=npm,src=.npmrc",
                "--platform",
                "linux/arm64",
                "--ssh",
                "default"
            ]
        );
        assert_eq!(req.context, ".");
    }

    #[test]
    fn bad_arguments_are_named() {
        let e = BuildRequest::parse("app", "-f").unwrap_err();
        assert!(e.contains("`-f` needs a value"), "{e}");
        let e = BuildRequest::parse("app", "a b").unwrap_err();
        assert!(
            e.contains("one build context") && e.contains("`a`, `b`"),
            "{e}"
        );
        let e = BuildRequest::parse("app", "--frobnicate .").unwrap_err();
        assert!(e.contains("`--frobnicate`"), "{e}");
        let e = BuildRequest::parse("app", "'unbalanced .").unwrap_err();
        assert!(e.contains("unbalanced"), "{e}");
    }
}
