//! The script's combined stdout and stderr, read as whole lines from the pipe the runtime
//! created, on the runtime's own reactor (no reader thread per step).

use std::io::PipeReader;
use std::os::fd::OwnedFd;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::ChildStdout;

/// Whole lines from a pipe. Cancel-safe: a partial line read before a `select!` picked another
/// branch stays in the buffer for the next call.
pub(super) struct Lines {
    reader: BufReader<ChildStdout>,
    buf: Vec<u8>,
}

impl Lines {
    pub(super) fn new(pipe: PipeReader) -> std::io::Result<Self> {
        // tokio reads child pipes without blocking; this is one, created by us.
        let std_pipe = std::process::ChildStdout::from(OwnedFd::from(pipe));
        Ok(Self {
            reader: BufReader::new(ChildStdout::from_std(std_pipe)?),
            buf: Vec::new(),
        })
    }

    /// The next line with its `\n` (the last one perhaps without), or `None` at end of file.
    /// A read error counts as the end: the exit code still decides the step.
    pub(super) async fn next(&mut self) -> Option<Vec<u8>> {
        loop {
            match self.reader.read_until(b'\n', &mut self.buf).await {
                Ok(0) | Err(_) => {
                    return (!self.buf.is_empty()).then(|| std::mem::take(&mut self.buf));
                }
                Ok(_) if self.buf.ends_with(b"\n") => return Some(std::mem::take(&mut self.buf)),
                Ok(_) => {}
            }
        }
    }
}
