//! Push progress per layer. The engine names each layer in its push messages, but bollard's
//! `PushImageInfo` drops the `id` field, so the layers in flight are told apart by their
//! size (`progressDetail.total`, which differs between layers in practice) and numbered in
//! the order they start. A final state (`Pushed`, `Layer already exists`, `Mounted from …`)
//! carries no size either: it closes the layer whose bytes are all sent, or else the oldest
//! one in flight; a final state for a layer that never showed bytes (an existing layer) is
//! a plain line, as before.

use super::progress::Progress;

/// The layers of one push, fed one engine message at a time.
#[derive(Default)]
pub(super) struct PushLayers {
    /// `(total bytes, label, all bytes sent)`, in the order the layers started.
    in_flight: Vec<(u64, String, bool)>,
    started: usize,
}

impl PushLayers {
    /// One status message of the push, with its byte counts when the engine gives them.
    pub(super) fn update(
        &mut self,
        progress: &mut Progress,
        status: &str,
        detail: Option<(u64, u64)>,
        log: &mut dyn FnMut(String),
    ) {
        match status {
            "Preparing" | "Waiting" => {}
            "Pushing" => {
                let Some((current, total)) = detail.filter(|&(_, total)| total > 0) else {
                    return;
                };
                let known = self.in_flight.iter().position(|(t, _, _)| *t == total);
                let index = if let Some(i) = known {
                    i
                } else {
                    self.started += 1;
                    let label = format!("layer {}", self.started);
                    self.in_flight.push((total, label, false));
                    self.in_flight.len() - 1
                };
                let entry = &mut self.in_flight[index];
                entry.2 = current >= total;
                progress.update(Some(&entry.1), status, Some((current, total)), log);
            }
            _ if is_layer_final(status) => {
                let done = self
                    .in_flight
                    .iter()
                    .position(|(_, _, sent)| *sent)
                    .or((!self.in_flight.is_empty()).then_some(0));
                match done {
                    Some(i) => {
                        let (_, label, _) = self.in_flight.remove(i);
                        progress.update(Some(&label), status, None, log);
                    }
                    None => progress.update(None, status, None, log),
                }
            }
            _ => progress.update(None, status, None, log),
        }
    }
}

fn is_layer_final(status: &str) -> bool {
    matches!(status, "Pushed" | "Layer already exists") || status.starts_with("Mounted from")
}

#[cfg(test)]
mod tests {
    use indicatif::ProgressDrawTarget;

    use super::PushLayers;
    use crate::docker::progress::Progress;

    /// A push of three layers: `a` (100 bytes) and `b` (40 bytes) interleaved, `b` done
    /// first, then one the registry already has.
    fn feed(progress: &mut Progress, lines: &mut Vec<String>, live: &mut Vec<usize>) {
        let mut layers = PushLayers::default();
        let mut log = |l: String| lines.push(l);
        let mut step = |layers: &mut PushLayers,
                        progress: &mut Progress,
                        status: &str,
                        detail: Option<(u64, u64)>| {
            layers.update(progress, status, detail, &mut log);
            live.push(progress.live_layers());
        };
        step(
            &mut layers,
            progress,
            "The push refers to repository [r/app]",
            None,
        );
        step(&mut layers, progress, "Preparing", None);
        step(&mut layers, progress, "Waiting", None);
        step(&mut layers, progress, "Pushing", Some((10, 100)));
        step(&mut layers, progress, "Pushing", Some((20, 40)));
        step(&mut layers, progress, "Pushing", Some((60, 100)));
        step(&mut layers, progress, "Pushing", Some((40, 40)));
        step(&mut layers, progress, "Pushed", None);
        step(&mut layers, progress, "Pushing", Some((100, 100)));
        step(&mut layers, progress, "Pushed", None);
        step(&mut layers, progress, "Layer already exists", None);
        step(
            &mut layers,
            progress,
            "1: digest: sha256:abc size: 735",
            None,
        );
    }

    const LINES: [&str; 5] = [
        "The push refers to repository [r/app]",
        "layer 2: Pushed",
        "layer 1: Pushed",
        "Layer already exists",
        "1: digest: sha256:abc size: 735",
    ];

    #[test]
    fn plain_mode_writes_one_line_per_finished_layer() {
        let mut progress = Progress::plain();
        let (mut lines, mut live) = (Vec::new(), Vec::new());
        feed(&mut progress, &mut lines, &mut live);
        assert_eq!(lines, LINES);
        assert!(live.iter().all(|&n| n == 0), "{live:?}");
    }

    #[test]
    fn live_mode_draws_one_updating_line_per_layer_in_flight() {
        let mut progress = Progress::drawing_to(ProgressDrawTarget::hidden());
        let (mut lines, mut live) = (Vec::new(), Vec::new());
        feed(&mut progress, &mut lines, &mut live);
        assert_eq!(lines, LINES);
        // a starts (1), b starts (2), both update (2, 2), b is done (1), a updates and is
        // done (1, 0), nothing left for the rest.
        assert_eq!(live, [0, 0, 0, 1, 2, 2, 2, 1, 1, 0, 0, 0]);
        progress.finish();
    }
}
