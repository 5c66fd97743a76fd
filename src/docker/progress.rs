//! Layer progress of a pull, a push or a build's base-image pull. On a terminal each layer in
//! flight is one line that updates in place (indicatif, drawn on stderr), cleared when the
//! layer is done; in a log, a test or a pipe only each layer's final state is written, one
//! plain line, since intermediate `Downloading`/`Pushing` updates would flood it. Either way
//! the final states and the summary lines go to the build log, so both modes leave the same
//! record.

use std::collections::HashMap;
use std::io::IsTerminal as _;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The reporter of one pull or push.
pub struct Progress {
    /// `None`: plain lines only.
    bars: Option<MultiProgress>,
    layers: HashMap<String, ProgressBar>,
}

impl Progress {
    /// Updating lines when both stdout and stderr are terminals, plain lines otherwise.
    #[must_use]
    pub fn for_console() -> Self {
        let tty = std::io::stdout().is_terminal()
            && std::io::stderr().is_terminal()
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        if tty {
            Self::drawing_to(ProgressDrawTarget::stderr())
        } else {
            Self::plain()
        }
    }

    /// Plain lines only.
    #[must_use]
    pub fn plain() -> Self {
        Self {
            bars: None,
            layers: HashMap::new(),
        }
    }

    /// Updating lines drawn to `target`.
    #[must_use]
    pub fn drawing_to(target: ProgressDrawTarget) -> Self {
        Self {
            bars: Some(MultiProgress::with_draw_target(target)),
            layers: HashMap::new(),
        }
    }

    /// Whether layers are drawn as updating lines.
    #[must_use]
    pub fn is_live(&self) -> bool {
        self.bars.is_some()
    }

    /// The layers being drawn right now.
    #[must_use]
    pub fn live_layers(&self) -> usize {
        self.layers.len()
    }

    /// One status message of the engine: `id` is the layer (none for summary lines such as
    /// `Digest: …`), `detail` the bytes done and the total when the engine gives them.
    pub fn update(
        &mut self,
        id: Option<&str>,
        status: &str,
        detail: Option<(u64, u64)>,
        log: &mut dyn FnMut(String),
    ) {
        let Some(id) = id else {
            self.log(status.to_string(), log);
            return;
        };
        if is_final(status) {
            if let Some(bar) = self.layers.remove(id) {
                bar.finish_and_clear();
            }
            self.log(format!("{id}: {status}"), log);
            return;
        }
        let Some(multi) = &self.bars else {
            return;
        };
        let bar = self.layers.entry(id.to_string()).or_insert_with(|| {
            let bar = multi.add(ProgressBar::no_length());
            bar.set_prefix(id.to_string());
            bar
        });
        match detail {
            Some((current, total)) if total > 0 => {
                bar.set_style(bytes_style());
                bar.set_length(total);
                bar.set_position(current.min(total));
            }
            _ => bar.set_style(status_style()),
        }
        bar.set_message(status.to_string());
    }

    /// Clears whatever is still drawn (a layer the engine never reported as done, as when
    /// the pull failed half-way: the error says what happened).
    pub fn finish(mut self) {
        for (_, bar) in self.layers.drain() {
            bar.finish_and_clear();
        }
    }

    /// A line to the build log, with the bars out of the way while it is written.
    fn log(&self, line: String, log: &mut dyn FnMut(String)) {
        match &self.bars {
            Some(multi) => multi.suspend(|| log(line)),
            None => log(line),
        }
    }
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix}: {msg} [{bar:30}] {bytes}/{total_bytes}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn status_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix}: {msg}").unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A layer's last state in a pull or a push, as the CLI leaves it on screen.
fn is_final(status: &str) -> bool {
    matches!(
        status,
        "Pull complete"
            | "Already exists"
            | "Download complete"
            | "Pushed"
            | "Layer already exists"
    ) || status.starts_with("Mounted from")
        || status.starts_with("Pulling from")
}

#[cfg(test)]
mod tests {
    use indicatif::ProgressDrawTarget;

    use super::Progress;

    fn feed(progress: &mut Progress, lines: &mut Vec<String>) {
        let mut log = |l: String| lines.push(l);
        progress.update(None, "Pulling from team/app", None, &mut log);
        progress.update(Some("a1"), "Pulling fs layer", None, &mut log);
        progress.update(Some("b2"), "Pulling fs layer", None, &mut log);
        progress.update(Some("a1"), "Downloading", Some((10, 100)), &mut log);
        progress.update(Some("a1"), "Downloading", Some((100, 100)), &mut log);
        progress.update(Some("a1"), "Pull complete", None, &mut log);
    }

    #[test]
    fn plain_mode_writes_final_states_only() {
        let mut progress = Progress::plain();
        let mut lines = Vec::new();
        feed(&mut progress, &mut lines);
        assert!(!progress.is_live());
        assert_eq!(lines, ["Pulling from team/app", "a1: Pull complete"]);
        let mut log = |l: String| lines.push(l);
        progress.update(Some("c3"), "Pushing", Some((5, 10)), &mut log);
        progress.update(Some("c3"), "Pushed", None, &mut log);
        progress.finish();
        assert_eq!(lines[2..], ["c3: Pushed".to_string()]);
    }

    #[test]
    fn live_mode_keeps_one_line_per_layer_in_flight() {
        let mut progress = Progress::drawing_to(ProgressDrawTarget::hidden());
        let mut lines = Vec::new();
        feed(&mut progress, &mut lines);
        assert!(progress.is_live());
        // a1 is done and cleared; b2 is still drawn.
        assert_eq!(progress.live_layers(), 1);
        assert_eq!(lines, ["Pulling from team/app", "a1: Pull complete"]);
        let mut log = |l: String| lines.push(l);
        progress.update(Some("latest"), "Pulling from library/app", None, &mut log);
        assert_eq!(lines[2], "latest: Pulling from library/app");
        progress.finish();
    }
}
