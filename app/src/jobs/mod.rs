//! Named, cancellable background jobs that report progress and hand their result back over a
//! bounded channel, polled once per frame. The UI thread never waits on them. The app's own
//! jobs go through one [`registry::Jobs`]; map display keeps its tile and grid jobs with the
//! raster they draw.

pub mod registry;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};
use std::sync::{Arc, Mutex};

use yitu_core::cancel::Cancel;

/// Shared between a job and the UI: progress 0–1, a status line and the cancel flag.
#[derive(Default)]
pub struct Progress {
    fraction_bits: AtomicU32,
    cancel: Cancel,
    message: Mutex<String>,
}

/// Returned by a job that saw its cancel flag.
#[derive(Debug, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

impl Progress {
    pub fn set(&self, fraction: f32, message: &str) {
        self.fraction_bits
            .store(fraction.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
        if let Ok(mut m) = self.message.lock() {
            message.clone_into(&mut m);
        }
    }

    pub fn fraction(&self) -> f32 {
        f32::from_bits(self.fraction_bits.load(Ordering::Relaxed))
    }

    pub fn message(&self) -> String {
        self.message.lock().map(|m| m.clone()).unwrap_or_default()
    }

    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// The cancel flag itself, for work in the domain crates that looks at it (detection).
    pub fn cancel_flag(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Call between steps: `Err(Cancelled)` once the user pressed cancel.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.cancel.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A running job producing `T`.
pub struct Job<T> {
    pub name: String,
    pub progress: Arc<Progress>,
    result: Receiver<anyhow::Result<T>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a named thread. `ctx` is repainted when the job finishes.
    pub fn spawn(
        name: &str,
        ctx: &egui::Context,
        work: impl FnOnce(&Progress) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<Self> {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = sync_channel(1);
        let ctx = ctx.clone();
        let p = Arc::clone(&progress);
        let thread = std::thread::Builder::new()
            .name(format!("job: {name}"))
            .spawn(move || {
                let result = work(&p);
                // The receiver is gone only if the app closed; nothing is left to tell.
                tx.send(result).ok();
                ctx.request_repaint();
            })?;
        Ok(Self {
            name: name.to_owned(),
            progress,
            result: rx,
            thread: Some(thread),
        })
    }

    /// Waits for the job's thread to end (the app closing: a file being written is finished).
    pub fn join(mut self) {
        if let Some(thread) = self.thread.take() {
            // A job that panicked has nothing left to hand back.
            thread.join().ok();
        }
    }

    /// The result once the job is done; `None` while it runs.
    pub fn poll(&self) -> Option<anyhow::Result<T>> {
        match self.result.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(anyhow::anyhow!(
                "job `{}` stopped without a result",
                self.name
            ))),
        }
    }
}

/// A job dropped before its end (its result no longer wanted: the project it worked for has
/// closed) is told to stop; its thread ends at its next check and its result is discarded.
impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.progress.cancel();
    }
}

/// The progress bar of a running job, and its cancel button when it has a label.
pub fn job_ui<T>(ui: &mut egui::Ui, job: &Job<T>, cancel_label: Option<&str>) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.add(
            egui::ProgressBar::new(job.progress.fraction())
                .desired_width(220.0)
                .text(format!("{}: {}", job.name, job.progress.message())),
        );
        if let Some(label) = cancel_label
            && ui.button(label).clicked()
        {
            job.progress.cancel();
        }
    });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T: Send + 'static>(job: &Job<T>) -> anyhow::Result<T> {
        loop {
            if let Some(r) = job.poll() {
                return r;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn a_job_returns_its_result_and_progress() {
        let ctx = egui::Context::default();
        let job = Job::spawn("sum", &ctx, |p| {
            p.set(0.5, "half");
            Ok(2 + 2)
        })
        .unwrap();
        assert_eq!(wait(&job).unwrap(), 4);
        assert!((job.progress.fraction() - 0.5).abs() < f32::EPSILON);
        assert_eq!(job.progress.message(), "half");
    }

    #[test]
    fn a_cancelled_job_stops_with_cancelled() {
        let ctx = egui::Context::default();
        let job = Job::spawn("forever", &ctx, |p| -> anyhow::Result<()> {
            loop {
                p.check()?;
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        })
        .unwrap();
        job.progress.cancel();
        let err = wait(&job).unwrap_err();
        assert!(err.downcast_ref::<Cancelled>().is_some(), "{err}");
    }
}
