//! Batching in rounds: every key a query asks for at one depth goes into one load per loader,
//! and the same query always runs the same statements.
//!
//! A request's resolvers all run inside its one execution future. [`Driven`] polls that
//! future; when it stops (every resolver waits, and none woke another during the poll) and no
//! load is in flight, every key that was asked for has been asked, so the driver starts one
//! load per loader with all of them. Loads finish, resolvers go on, and the next round starts
//! when they stop again. No timer decides where a batch ends, which is what made statement
//! counts vary with the machine's load before; and no batch waits a millisecond for company.
//!
//! The schema installs the driver as an extension ([`Rounds`]) on every operation and
//! subscription that carries a [`RequestData`](super::RequestData).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};

use async_graphql::dataloader::Loader;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextSubscribe,
};
use async_graphql::futures_util::stream::{BoxStream, Stream};
use async_graphql::{Response, async_trait};

use super::error::{GraphError, GraphResult};
use super::loaders::RequestData;

/// How many times one poll of the driver may re-poll a query that keeps waking itself before
/// it hands the thread back to the runtime.
const MAX_REPOLLS: usize = 64;

/// What a request has in flight: loads and direct reads, and the driver to wake when they end.
#[derive(Default)]
pub struct Tracker {
    in_flight: AtomicUsize,
    driver: Mutex<Option<Waker>>,
}

impl Tracker {
    /// Counts one piece of work until the returned guard is dropped.
    pub fn start(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(self.clone())
    }

    fn idle(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) == 0
    }

    fn watch(&self, waker: &Waker) {
        if let Ok(mut slot) = self.driver.lock() {
            match slot.as_ref() {
                Some(w) if w.will_wake(waker) => {}
                _ => *slot = Some(waker.clone()),
            }
        }
    }
}

/// Work in flight; ending it (dropping it, even on a panic or a cancelled read) wakes the driver.
pub struct InFlight(Arc<Tracker>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
        let waker = self.0.driver.lock().ok().and_then(|w| w.clone());
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Something with keys waiting to be loaded.
pub trait Flush: Send + Sync {
    /// Starts loading every waiting key; false when none waited.
    fn flush(&self) -> bool;
}

type Outcome<K, V> = Result<HashMap<K, V>, GraphError>;

/// One load: its keys, then its outcome.
struct Batch<K, V> {
    keys: Mutex<Vec<K>>,
    outcome: OnceLock<Outcome<K, V>>,
    waiters: Mutex<Vec<Waker>>,
}

impl<K, V> Batch<K, V> {
    fn new() -> Batch<K, V> {
        Batch {
            keys: Mutex::new(Vec::new()),
            outcome: OnceLock::new(),
            waiters: Mutex::new(Vec::new()),
        }
    }

    fn finish(&self) {
        let waiters = self
            .waiters
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        for waker in waiters {
            waker.wake();
        }
    }
}

/// Waits for a batch's outcome. Not a tokio resource on purpose: tokio's cooperative budget
/// would defer a wake-up until after the driver's poll, and the driver would take a waiting
/// resolver for an idle one.
struct Landed<'a, K, V>(&'a Batch<K, V>);

impl<'a, K, V> Future for Landed<'a, K, V> {
    type Output = &'a Outcome<K, V>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'a Outcome<K, V>> {
        let batch = self.0;
        if let Some(outcome) = batch.outcome.get() {
            return Poll::Ready(outcome);
        }
        if let Ok(mut waiters) = batch.waiters.lock() {
            waiters.push(cx.waker().clone());
        }
        // Landed between the first look and the registration: do not wait for a wake-up.
        match batch.outcome.get() {
            Some(outcome) => Poll::Ready(outcome),
            None => Poll::Pending,
        }
    }
}

/// A batch and the keys one caller waits for in it.
type Waiting<K, V> = (Arc<Batch<K, V>>, Vec<K>);

struct State<K, V> {
    cache: bool,
    known: HashMap<K, V>,
    waiting: HashMap<K, Arc<Batch<K, V>>>,
    next: Option<Arc<Batch<K, V>>>,
}

/// What a loader is asked by.
pub trait Key: Send + Sync + Hash + Eq + Clone + 'static {}

impl<K: Send + Sync + Hash + Eq + Clone + 'static> Key for K {}

/// A loader whose keys are gathered until the driver flushes them (see the module's doc).
pub struct Batched<K: Key, L: Loader<K>> {
    loader: Arc<L>,
    tracker: Arc<Tracker>,
    state: Arc<Mutex<State<K, L::Value>>>,
}

impl<K, L> Batched<K, L>
where
    K: Key,
    L: Loader<K, Error = GraphError>,
{
    /// A loader that remembers what it loaded (or not, for long-lived subscriptions).
    pub fn new(loader: L, tracker: Arc<Tracker>, cache: bool) -> Batched<K, L> {
        Batched {
            loader: Arc::new(loader),
            tracker,
            state: Arc::new(Mutex::new(State {
                cache,
                known: HashMap::new(),
                waiting: HashMap::new(),
                next: None,
            })),
        }
    }

    fn lock(&self) -> GraphResult<std::sync::MutexGuard<'_, State<K, L::Value>>> {
        self.state.lock().map_err(|_| GraphError::Internal)
    }

    /// The value for `key`, loaded in the next round with every other key asked for by then.
    pub async fn load_one(&self, key: K) -> GraphResult<Option<L::Value>> {
        let mut found = self.load_many(std::iter::once(key.clone())).await?;
        Ok(found.remove(&key))
    }

    /// The values for these keys (absent when there is none).
    pub async fn load_many(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> GraphResult<HashMap<K, L::Value>> {
        let mut out = HashMap::new();
        let mut batches: Vec<Waiting<K, L::Value>> = Vec::new();
        {
            let mut state = self.lock()?;
            for key in keys {
                if let Some(value) = state.known.get(&key) {
                    out.insert(key, value.clone());
                    continue;
                }
                let batch = match state.waiting.get(&key) {
                    Some(batch) => batch.clone(),
                    None => {
                        let batch = state
                            .next
                            .get_or_insert_with(|| Arc::new(Batch::new()))
                            .clone();
                        batch
                            .keys
                            .lock()
                            .map_err(|_| GraphError::Internal)?
                            .push(key.clone());
                        state.waiting.insert(key.clone(), batch.clone());
                        batch
                    }
                };
                match batches.iter_mut().find(|(b, _)| Arc::ptr_eq(b, &batch)) {
                    Some((_, keys)) => keys.push(key),
                    None => batches.push((batch, vec![key])),
                }
            }
        }
        for (batch, keys) in batches {
            match Landed(&batch).await {
                Ok(found) => {
                    for key in keys {
                        if let Some(value) = found.get(&key) {
                            out.insert(key, value.clone());
                        }
                    }
                }
                Err(e) => return Err(e.clone()),
            }
        }
        Ok(out)
    }

    /// Remembers a value without loading it (when caching).
    pub fn feed(&self, key: K, value: L::Value) {
        if let Ok(mut state) = self.state.lock()
            && state.cache
        {
            state.known.insert(key, value);
        }
    }

    /// Forgets every value loaded so far.
    pub fn clear(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.known.clear();
        }
    }
}

impl<K, L> Flush for Batched<K, L>
where
    K: Key,
    L: Loader<K, Error = GraphError>,
{
    fn flush(&self) -> bool {
        let Some(batch) = self.state.lock().ok().and_then(|mut s| s.next.take()) else {
            return false;
        };
        let landing = Landing {
            batch,
            state: self.state.clone(),
            _in_flight: self.tracker.start(),
        };
        let loader = self.loader.clone();
        tokio::spawn(async move {
            let keys = landing
                .batch
                .keys
                .lock()
                .map(|k| k.clone())
                .unwrap_or_default();
            let outcome = loader.load(&keys).await;
            landing.land(keys, outcome);
        });
        true
    }
}

/// A load in flight. However it ends (even by a panic in the loader), its waiters hear of it.
struct Landing<K, V> {
    batch: Arc<Batch<K, V>>,
    state: Arc<Mutex<State<K, V>>>,
    _in_flight: InFlight,
}

impl<K: Hash + Eq + Clone, V: Clone> Landing<K, V> {
    fn land(self, keys: Vec<K>, outcome: Outcome<K, V>) {
        if let Ok(mut state) = self.state.lock() {
            for key in &keys {
                state.waiting.remove(key);
            }
            if state.cache
                && let Ok(found) = &outcome
            {
                for (k, v) in found {
                    state.known.insert(k.clone(), v.clone());
                }
            }
        }
        let _first = self.batch.outcome.set(outcome);
    }
}

impl<K, V> Drop for Landing<K, V> {
    fn drop(&mut self) {
        if self.batch.outcome.get().is_none() {
            tracing::error!("a batch of loads ended without an answer");
            let _first = self.batch.outcome.set(Err(GraphError::Internal));
        }
        self.batch.finish();
    }
}

/// Wakes the driver's task and notes that the polled future woke during the poll.
struct Noting {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for Noting {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.task.wake_by_ref();
    }
}

/// The loaders of a request and what they have in flight, as the driver sees them.
pub struct Rounds {
    /// Loads and reads in flight.
    pub tracker: Arc<Tracker>,
    /// Every loader of the request.
    pub loaders: Vec<Arc<dyn Flush>>,
}

impl Rounds {
    /// Polls `poll` (a query's execution) in rounds: see the module's doc.
    fn drive<T>(
        &self,
        cx: &mut Context<'_>,
        mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        self.tracker.watch(cx.waker());
        for _ in 0..MAX_REPOLLS {
            let noting = Arc::new(Noting {
                woken: AtomicBool::new(false),
                task: cx.waker().clone(),
            });
            let waker = Waker::from(noting.clone());
            if let Poll::Ready(out) = poll(&mut Context::from_waker(&waker)) {
                return Poll::Ready(out);
            }
            if noting.woken.load(Ordering::SeqCst) {
                continue;
            }
            if !self.tracker.idle() {
                return Poll::Pending;
            }
            let mut started = false;
            for loader in &self.loaders {
                started |= loader.flush();
            }
            if !started {
                return Poll::Pending;
            }
        }
        // The task was woken, so it is polled again soon.
        Poll::Pending
    }
}

/// A query's execution driven in rounds. It runs outside tokio's cooperative budget, whose
/// deferred wake-ups would look like idleness to the driver; `MAX_REPOLLS` bounds it instead.
pub struct Driven<F> {
    inner: Pin<Box<tokio::task::Unconstrained<F>>>,
    rounds: Arc<Rounds>,
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let inner = &mut this.inner;
        this.rounds.drive(cx, |cx| inner.as_mut().poll(cx))
    }
}

/// A subscription's stream driven in rounds: each notice's fields load like a query's.
struct DrivenStream<'s> {
    inner: BoxStream<'s, Response>,
    rounds: Arc<Rounds>,
}

impl Stream for DrivenStream<'_> {
    type Item = Response;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Response>> {
        let this = &mut *self;
        let inner = &mut this.inner;
        this.rounds.drive(cx, |cx| inner.as_mut().poll_next(cx))
    }
}

/// Set when a request's operation starts to run: a request that failed before (it did not
/// parse or validate, or its variables did not fit) is a request error, answered without
/// `data`. The HTTP layer puts one in a request's data and reads it afterwards.
#[derive(Clone, Default)]
pub struct Started(Arc<AtomicBool>);

impl Started {
    /// Whether the operation started to run.
    pub fn get(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The schema extension that drives every operation carrying a `RequestData` in rounds.
pub struct RoundsExtension;

impl ExtensionFactory for RoundsExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RoundsExtension)
    }
}

#[async_trait::async_trait]
impl Extension for RoundsExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(started) = ctx.data_opt::<Started>() {
            started.0.store(true, Ordering::SeqCst);
        }
        let run = next.run(ctx, operation_name);
        match ctx.data_opt::<RequestData>() {
            Some(data) => {
                Driven {
                    inner: Box::pin(tokio::task::unconstrained(run)),
                    rounds: data.rounds(),
                }
                .await
            }
            None => run.await,
        }
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let stream = next.run(ctx, stream);
        match ctx.data_opt::<RequestData>() {
            Some(data) => Box::pin(DrivenStream {
                inner: stream,
                rounds: data.rounds(),
            }),
            None => stream,
        }
    }
}
