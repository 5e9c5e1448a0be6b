//! Start-up, written once. A [`Runtime`] is built from the configuration
//! — store, lexicons, state, counters, the HTTP listener — and the [`Role`]
//! decides which stages start and which routes mount; the bus
//! (`bus.kind`) decides what carries the stages: [`embedded`] channels in
//! one process, or [`kafka`] topics between processes.

pub mod embedded;
#[cfg(feature = "kafka")]
pub mod kafka;
pub mod store_lock;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use pantau_config::{BusKind, Config};
use pantau_store::Store;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::classify::Classify;
use crate::shutdown::{self, stopped, Shutdown, Trigger};
use crate::sources::push::PushCtx;
use crate::state::AppState;

/// What a process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every stage (`pantau run`).
    All,
    /// Feeds → raw articles.
    Ingest,
    /// Raw → scored articles.
    Classify,
    /// Scored articles → store, counters, metrics, API.
    Aggregate,
}

impl Role {
    /// The role's name in logs and client ids.
    pub fn name(self) -> &'static str {
        match self {
            Role::All => "run",
            Role::Ingest => "ingest",
            Role::Classify => "classify",
            Role::Aggregate => "aggregate",
        }
    }

    /// Whether it polls feeds.
    pub fn ingests(self) -> bool {
        matches!(self, Role::All | Role::Ingest)
    }

    /// Whether it writes the store and keeps the running counters: the
    /// process whose metrics and API hold the KPI.
    pub fn aggregates(self) -> bool {
        matches!(self, Role::All | Role::Aggregate)
    }

    /// Whether it needs the store (the classify service does not).
    pub fn uses_store(self) -> bool {
        self != Role::Classify
    }
}

/// Opens the configured store; a failure names the store without its
/// password.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.store_url();
    Store::open(&url)
        .await
        .with_context(|| format!("opening the store {}", pantau_store::redact(&url)))
}

/// Says so at start when sign-in is required and nobody can sign in.
async fn warn_when_nobody_can_sign_in(config: &Config, store: &Store) -> anyhow::Result<()> {
    if config.http.login_required() && !store.has_accounts().await? {
        warn!(
            listen = %config.http.listen,
            "sign-in is required (http.require_login, or listening beyond loopback) but there \
             is no account: add one with `pantau user add NAME --role admin`"
        );
    }
    Ok(())
}

/// Opens the store a command reads, refusing one that does not exist: a
/// report of a new, empty store would print zeros as if they were true.
/// (`pantau run` and the imports create it.)
pub async fn open_existing_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.store_url();
    if let Some(path) = pantau_store::sqlite_file(&url) {
        if !path.exists() {
            anyhow::bail!(
                "the store {} does not exist: nothing has been stored there yet \
                 (check data_dir or store.url in the configuration, or start `pantau run` or `pantau import` first)",
                path.display()
            );
        }
    }
    open_store(config).await
}

/// Loads the lexicons and compiles the entities' matchers.
pub fn load_classify(config: &Config) -> anyhow::Result<Classify> {
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir)
        .with_context(|| format!("loading lexicons from {}", config.lexicon_dir.display()))?;
    Ok(Classify::new(classifier, &config.entities).with_own_channels(&config.feeds))
}

/// Everything a running process shares, built once.
pub struct Runtime {
    /// What this process does.
    pub role: Role,
    /// Config, metrics, counters.
    pub state: Arc<AppState>,
    /// The store, for every role but classify.
    pub store: Option<Store>,
    /// Relevance and sentiment.
    pub classify: Arc<Classify>,
    /// The HTTP listener, bound; taken by [`Runtime::serve_http`].
    pub listener: Option<TcpListener>,
    /// The public survey's listener (`http.public_listen`), bound.
    pub public_listener: Option<TcpListener>,
    /// Fires the shutdown.
    pub trigger: Trigger,
    /// What every task watches.
    pub shutdown: Shutdown,
    /// The shared lock of a counting service on its SQLite store
    /// ([`store_lock`]), held while the process runs.
    _store_lock: Option<std::fs::File>,
}

impl Runtime {
    /// Builds the runtime of `role`: opens the store (the classify service
    /// has none), loads the lexicons, rebuilds the counters where the role
    /// keeps them, computes the survey index where it exports it, and binds
    /// the listener.
    pub async fn build(config: Config, role: Role) -> anyhow::Result<Runtime> {
        let metrics = pantau_metrics::Metrics::new();
        if role != Role::All || config.bus.kind == BusKind::Kafka {
            metrics.enable_kafka();
        }
        if role.ingests() {
            let outcomes = crate::stages::ingest::fetch_outcomes();
            for f in &config.feeds {
                metrics.init_feed(&f.id, &outcomes);
            }
        }
        let store_lock = if role.aggregates() {
            store_lock::for_service(&config).await?
        } else {
            None
        };
        let store = if role.uses_store() {
            Some(open_store(&config).await?)
        } else {
            None
        };
        let classify = Arc::new(load_classify(&config)?);
        let state = Arc::new(AppState::new(config, metrics));
        if let (true, Some(store)) = (role.aggregates(), &store) {
            let n = crate::stages::aggregate::rebuild_counters(&state, store).await?;
            info!(articles = n, "counters rebuilt from the store");
            crate::review::mark_current(&state, store).await?;
            if let Err(e) = crate::survey::refresh(&state, store).await {
                warn!(error = %e, "survey metrics not computed");
            }
        }
        let listen = state.config.http.listen;
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("binding http.listen {listen}"))?;
        info!(addr = %listener.local_addr()?, role = role.name(), "http listening");
        let public_listener = match (state.config.http.public_listen, &store) {
            (Some(public), Some(_)) => {
                let l = TcpListener::bind(public)
                    .await
                    .with_context(|| format!("binding http.public_listen {public}"))?;
                info!(addr = %l.local_addr()?, "public survey listening");
                Some(l)
            }
            _ => None,
        };
        if let Some(store) = &store {
            warn_when_nobody_can_sign_in(&state.config, store).await?;
        }
        let (trigger, shutdown) = shutdown::channel();
        Ok(Runtime {
            role,
            state,
            store,
            classify,
            listener: Some(listener),
            public_listener,
            trigger,
            shutdown,
            _store_lock: store_lock,
        })
    }

    /// Starts the HTTP server: every route where there is a store, metrics
    /// and health only where there is none (the classify service).
    pub fn serve_http(&mut self, push: Option<PushCtx>) -> anyhow::Result<JoinHandle<()>> {
        let listener = self
            .listener
            .take()
            .context("the HTTP server is started once")?;
        let Some(store) = &self.store else {
            let app = crate::http::ops_router(self.state.clone());
            return Ok(tokio::spawn(crate::http::serve(
                listener,
                app,
                self.shutdown.clone(),
            )));
        };
        let ctx = Arc::new(crate::http::Ctx {
            state: self.state.clone(),
            store: store.clone(),
            limiter: Default::default(),
            sign_in_limiter: Default::default(),
            push,
        });
        let staff = crate::http::serve(
            listener,
            crate::http::router(ctx.clone()),
            self.shutdown.clone(),
        );
        let public = self
            .public_listener
            .take()
            .map(|l| crate::http::serve(l, crate::http::public_router(ctx), self.shutdown.clone()));
        Ok(tokio::spawn(async move {
            match public {
                Some(public) => {
                    tokio::join!(staff, public);
                }
                None => staff.await,
            }
        }))
    }

    /// The tasks that keep an aggregating process's view current: overrides
    /// made elsewhere reach the counters within seconds, survey imports by
    /// another process within a minute.
    pub fn spawn_refreshers(&self) -> Vec<JoinHandle<()>> {
        let (true, Some(store)) = (self.role.aggregates(), &self.store) else {
            return Vec::new();
        };
        let review =
            crate::review::spawn_sync(self.state.clone(), store.clone(), self.shutdown.clone());
        let survey = {
            let (state, store, mut sd) = (self.state.clone(), store.clone(), self.shutdown.clone());
            tokio::spawn(async move {
                loop {
                    // The audited estimates and the outlook at once (the
                    // store may hold them already), then with the survey
                    // every minute.
                    if let Err(e) = crate::audit::refresh(&state, &store, chrono::Utc::now()).await
                    {
                        warn!(error = %e, "audited-estimate metrics not refreshed");
                    }
                    if let Err(e) =
                        crate::outlook::refresh(&state, &store, chrono::Utc::now()).await
                    {
                        warn!(error = %e, "early-warning metrics not refreshed");
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_secs(60)) => {}
                        _ = stopped(&mut sd) => return,
                    }
                    if let Err(e) = crate::survey::refresh(&state, &store).await {
                        warn!(error = %e, "survey metrics not refreshed");
                    }
                }
            })
        };
        let stories =
            crate::stories::spawn(store.clone(), self.state.clone(), self.shutdown.clone());
        let mut tasks = vec![review, survey, stories];
        tasks.extend(crate::digest::schedule::spawn(
            self.state.clone(),
            store.clone(),
            self.shutdown.clone(),
        ));
        tasks
    }

    /// Fires the shutdown at SIGINT or SIGTERM.
    pub fn stop_on_signal(&self) -> JoinHandle<()> {
        let trigger = self.trigger.clone();
        tokio::spawn(async move {
            shutdown::signal().await;
            info!("shutting down: draining the pipeline");
            trigger.fire();
        })
    }
}

/// Runs `role` over the configured bus until a signal, then drains.
pub async fn run(config: Config, role: Role) -> anyhow::Result<()> {
    match (role, config.bus.kind) {
        (Role::All, BusKind::Embedded) => {
            let rt = Runtime::build(config, role).await?;
            embedded::run(rt).await
        }
        #[cfg(feature = "kafka")]
        _ => {
            let rt = Runtime::build(config, role).await?;
            kafka::run(rt).await
        }
        #[cfg(not(feature = "kafka"))]
        _ => anyhow::bail!(
            "this build of pantau has no Kafka support (the `kafka` cargo feature): \
             `pantau run` with bus.kind = \"embedded\" runs every stage in one process"
        ),
    }
}
