//! How hard the link check may press on the servers it asks: a bound on
//! requests in flight overall, a bound per host, and a minimum delay
//! between two requests started to the same host. Every request, retries
//! and redirects included, passes through [`Limits::enter`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// One host's share: its requests in flight and when the next may start.
struct Host {
    slots: Arc<Semaphore>,
    next_start: tokio::sync::Mutex<Instant>,
}

pub struct Limits {
    overall: Arc<Semaphore>,
    per_host: usize,
    delay: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

/// Held while a request is in flight; dropping it frees the slots.
pub struct Pass {
    _host: Option<OwnedSemaphorePermit>,
    _overall: Option<OwnedSemaphorePermit>,
}

impl Limits {
    pub fn new(jobs: usize, per_host: usize, delay: Duration) -> Limits {
        Limits {
            overall: Arc::new(Semaphore::new(jobs.max(1))),
            per_host: per_host.max(1),
            delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, name: &str) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        hosts
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| {
                Arc::new(Host {
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Waits until a request to `host` may start.
    pub async fn enter(&self, host: &str) -> Pass {
        let gate = self.host(host);
        // The host's slot first: a request waiting for a busy host must
        // not hold one of the overall slots other hosts could use.
        // The semaphores are never closed, so acquiring does not fail.
        let host_slot = gate.slots.clone().acquire_owned().await.ok();
        {
            // The delay is waited out before taking an overall slot, which
            // other hosts could use meanwhile.
            let mut next = gate.next_start.lock().await;
            if *next > Instant::now() {
                tokio::time::sleep_until(*next).await;
            }
            *next = Instant::now() + self.delay;
        }
        let overall = self.overall.clone().acquire_owned().await.ok();
        Pass {
            _host: host_slot,
            _overall: overall,
        }
    }
}
