//! Cancellation for running steps: a timeout, a failFast branch, or Ctrl-C fires a [`Cancel`]
//! and every step holding it (or a child of it) stops. A child fires when its parent does, but
//! firing a child leaves the parent alone, so a `timeout` block stops only its own body.

use std::sync::Arc;

use tokio::sync::watch;

/// A cancellation signal with a reason (Jenkins' interruption cause, e.g.
/// `Timeout has been exceeded`). Clones share the same signal.
#[derive(Clone, Debug)]
pub struct Cancel {
    tx: Arc<watch::Sender<Option<Arc<str>>>>,
    parent: Option<Box<Cancel>>,
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}

impl Cancel {
    #[must_use]
    pub fn new() -> Self {
        let (tx, _) = watch::channel(None);
        Self {
            tx: Arc::new(tx),
            parent: None,
        }
    }

    /// A signal that fires with this one, and can also be fired on its own.
    #[must_use]
    pub fn child(&self) -> Self {
        let (tx, _) = watch::channel(None);
        Self {
            tx: Arc::new(tx),
            parent: Some(Box::new(self.clone())),
        }
    }

    /// Fires the signal. The first reason wins.
    pub fn cancel(&self, reason: &str) {
        self.tx.send_if_modified(|current| {
            if current.is_some() {
                return false;
            }
            *current = Some(Arc::from(reason));
            true
        });
    }

    /// The reason, if this signal or any ancestor has fired.
    #[must_use]
    pub fn reason(&self) -> Option<Arc<str>> {
        if let Some(reason) = self.tx.borrow().clone() {
            return Some(reason);
        }
        self.parent.as_ref().and_then(|parent| parent.reason())
    }

    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.reason().is_some()
    }

    /// Waits until the signal (or an ancestor) fires, and returns the reason.
    pub async fn cancelled(&self) -> Arc<str> {
        if let Some(reason) = self.reason() {
            return reason;
        }
        let mut own = self.tx.subscribe();
        let own_fired = async move {
            match own.wait_for(Option::is_some).await {
                Ok(reason) => reason.clone().unwrap_or_else(|| Arc::from("")),
                // The sender lives in `self`, so it cannot be dropped while we wait.
                Err(_) => std::future::pending().await,
            }
        };
        match &self.parent {
            None => own_fired.await,
            Some(parent) => {
                let parent_fired = Box::pin(parent.cancelled());
                tokio::select! {
                    biased;
                    reason = own_fired => reason,
                    reason = parent_fired => reason,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cancel;

    #[tokio::test]
    async fn child_fires_with_parent_but_not_the_reverse() {
        let parent = Cancel::new();
        let child = parent.child();
        child.cancel("Timeout has been exceeded");
        assert!(child.is_cancelled());
        assert!(!parent.is_cancelled());
        let other = parent.child();
        parent.cancel("Aborted by user");
        assert_eq!(&*other.cancelled().await, "Aborted by user");
        assert_eq!(&*child.cancelled().await, "Timeout has been exceeded");
    }
}
