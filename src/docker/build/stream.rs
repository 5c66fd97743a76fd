//! The engine's build output, as it arrives: `stream` text cut into whole lines, a base
//! image's pull progress through the same reporter as `docker pull`, the image id from the
//! final `aux` message, and an `error` message ending the build.

use bollard::models::BuildInfo;

use crate::docker::progress::Progress;

#[derive(Default)]
pub(super) struct Printer {
    pending: String,
    image_id: Option<String>,
    progress: Option<Progress>,
}

impl Printer {
    /// Takes one message; an error message becomes `Err` with the engine's text.
    pub(super) fn take(
        &mut self,
        info: BuildInfo,
        out: &mut dyn FnMut(&str),
    ) -> Result<(), String> {
        if let Some(text) = info.stream {
            self.finish_progress();
            self.pending.push_str(&text);
            while let Some(end) = self.pending.find('\n') {
                let line: String = self.pending.drain(..=end).collect();
                out(line.trim_end_matches(['\n', '\r']));
            }
        }
        if let Some(status) = info.status {
            let progress = self.progress.get_or_insert_with(Progress::for_console);
            let detail = info.progress_detail.as_ref().and_then(|d| {
                Some((
                    u64::try_from(d.current?).ok()?,
                    u64::try_from(d.total?).ok()?,
                ))
            });
            let mut log = |line: String| out(&line);
            progress.update(info.id.as_deref(), &status, detail, &mut log);
        }
        if let Some(aux) = info.aux
            && let Some(id) = aux.id
        {
            self.image_id = Some(id);
        }
        match info.error_detail.and_then(|d| d.message) {
            Some(message) => {
                self.flush(out);
                Err(message.trim().to_string())
            }
            None => Ok(()),
        }
    }

    /// Prints an unfinished last line and closes any progress display.
    pub(super) fn flush(&mut self, out: &mut dyn FnMut(&str)) {
        self.finish_progress();
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            out(line.trim_end_matches(['\n', '\r']));
        }
    }

    fn finish_progress(&mut self) {
        if let Some(progress) = self.progress.take() {
            progress.finish();
        }
    }

    pub(super) fn image_id(&self) -> Option<String> {
        self.image_id.clone()
    }
}
