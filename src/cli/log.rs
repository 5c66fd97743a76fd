//! `jenkinsfile log [N]`: a build's console log as it was recorded (already masked).

use super::Exit;
use super::builds::JobArgs;
use super::output::Output;

#[derive(clap::Args)]
#[command(
    about = "Print a build's console log (the latest build by default); secrets are masked",
    after_long_help = "Exit status:\n  0  success\n  2  usage error, or no such build"
)]
pub(super) struct Args {
    /// The build number [default: the latest build]
    number: Option<u64>,
    #[command(flatten)]
    job: JobArgs,
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let job = match args.job.job() {
        Ok(job) => job,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    let number = args.number.or_else(|| {
        std::fs::read_dir(job.builds_dir())
            .ok()?
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u64>().ok())
            .max()
    });
    let Some(number) = number else {
        out.warn(&format!(
            "no builds of job `{}` in {}",
            job.name,
            job.home.display()
        ));
        return Exit::Unusable;
    };
    let path = job.builds_dir().join(number.to_string()).join("log");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            out.print(&text);
            Exit::Success
        }
        Err(err) => {
            out.warn(&format!(
                "no log for build #{number} of job `{}` ({}: {err})",
                job.name,
                path.display()
            ));
            Exit::Unusable
        }
    }
}
