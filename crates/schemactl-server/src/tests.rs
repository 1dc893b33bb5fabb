//! The catch-panic layer and the job pool, without a network.

use super::*;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use middleware::catch_panic;
use std::time::Instant;
use tower::ServiceExt as _;

fn state() -> Arc<state::AppState> {
    let options = ServeOptions::new(
        Source::Local(PathBuf::from(".")),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    );
    Arc::new(state::AppState {
        snapshot: arc_swap::ArcSwapOption::empty(),
        status: Mutex::new(state::Status::default()),
        metrics: metrics::Metrics::default(),
        refresh: tokio::sync::Notify::new(),
        jobs: Arc::new(jobs::Jobs::new(1, Duration::from_secs(5))),
        options,
        started: Instant::now(),
    })
}

async fn boom() -> Response {
    panic!("secret internals: /etc/shadow")
}

/// A handler that panics answers a JSON 500 in its API's shape, without
/// the panic's text, and the panic is counted.
#[tokio::test]
async fn a_panicking_handler_is_a_json_500_without_the_panic_text() {
    let state = state();
    let app: Router = Router::new()
        .route("/api/v1/boom", get(boom))
        .route("/subjects/boom", get(boom))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            catch_panic,
        ))
        .with_state(state.clone());
    for (path, api) in [("/api/v1/boom", true), ("/subjects/boom", false)] {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("secret"), "{text}");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        if api {
            assert_eq!(json["error"]["code"], "internal", "{text}");
        } else {
            assert_eq!(json["error_code"], 500, "{text}");
        }
    }
    let metrics = state.metrics.render(&[], &[]);
    assert!(metrics.contains("schemactl_panics_total 2"), "{metrics}");
}

/// A job that panics is an error, not a dead worker: the next job runs.
#[tokio::test]
async fn a_panicking_job_is_an_error_and_the_pool_keeps_working() {
    let jobs = Arc::new(jobs::Jobs::new(1, Duration::from_secs(5)));
    let panicked = jobs
        .run(|_| -> u32 { panic!("in the job") }, |_| false)
        .await;
    assert_eq!(panicked, Err(jobs::JobError::Panicked));
    let next = jobs.run(|_| 7, |_| false).await;
    assert_eq!(next, Ok(7));
}

/// With every slot taken, a job waits briefly, then is refused; a job
/// whose deadline passes sees it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_are_bounded_and_see_their_deadline() {
    let jobs = Arc::new(jobs::Jobs::new(1, Duration::from_secs(1)));
    let long = {
        let jobs = jobs.clone();
        tokio::spawn(async move {
            jobs.run(
                |deadline| {
                    // Stands for a loop that checks its deadline.
                    while deadline.check().is_ok() {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    deadline.check()
                },
                Result::is_err,
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let refused = jobs.run(|_| (), |_| false).await;
    assert_eq!(refused, Err(jobs::JobError::Busy));
    let stopped = long.await.expect("join");
    assert_eq!(stopped, Ok(Err(schemactl_registry::Expired)));
    let c = &jobs.counters;
    let load = |a: &std::sync::atomic::AtomicU64| a.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        (load(&c.cancelled), load(&c.rejected), load(&c.running)),
        (1, 1, 0)
    );
}

/// With every slot taken, the connection idle the longest goes first; one
/// with a request in flight never does.
#[tokio::test]
async fn the_connection_idle_the_longest_makes_room() {
    let table = Arc::new(conn::Table::default());
    let old_busy = table.register();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let idle_first = table.register();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let idle_second = table.register();
    let request = conn::InFlight::new(&old_busy.activity);
    assert!(table.evict_idle());
    // `notified` completes at once when the eviction stored a permit.
    let closed = |h: &conn::Handle| {
        let close = h.close.clone();
        async move {
            tokio::time::timeout(Duration::from_millis(50), close.notified())
                .await
                .is_ok()
        }
    };
    assert!(closed(&idle_first).await, "the longest idle goes first");
    assert!(!closed(&idle_second).await);
    assert!(table.evict_idle());
    assert!(closed(&idle_second).await);
    assert!(
        !table.evict_idle(),
        "a connection with a request in flight stays"
    );
    drop(request);
    assert!(table.evict_idle());
    assert!(closed(&old_busy).await);
}

/// A copy of the repository's example schemas in a plain directory (no
/// git: one release, the working tree), loaded.
fn example_registry(dir: &std::path::Path) -> schemactl_registry::Registry {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("file type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy");
            }
        }
    }
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    copy(&schemas, dir);
    let (_, registry) = schemactl_registry::Loader::new(dir)
        .refresh()
        .expect("the example schemas load");
    registry.expect("a registry")
}

/// CPU-heavy work runs on the blocking pool, never on the async workers:
/// with a single worker thread and a job stuck in the middle of its work,
/// `/healthz` and the cached version bodies still answer (were the job on
/// the worker, it would hold the only thread until its wait timed out).
/// Descriptor sets and diffs are such jobs: with the only slot taken they
/// wait, then answer 429; with the slot free, 200.
#[tokio::test(flavor = "current_thread")]
async fn descriptor_sets_and_diffs_run_as_jobs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = state();
    state.snapshot.store(Some(Arc::new(state::snapshot(
        example_registry(tmp.path()),
        0.0,
    ))));
    let app = router(state.clone());
    let get = |path: &str| {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let app = app.clone();
        async move {
            tokio::time::timeout(Duration::from_secs(20), app.oneshot(request))
                .await
                .expect("answered")
                .expect("infallible")
                .status()
        }
    };
    let topic = "/api/v1/topics/identity.user-created.v1";
    let heavy = [
        format!("{topic}/versions/1/descriptor"),
        format!("{topic}/diff?from=1&to=1"),
    ];
    for path in &heavy {
        assert_eq!(get(path).await, StatusCode::OK, "{path}");
    }

    let (release, wait) = std::sync::mpsc::channel::<()>();
    let (started, job_started) = tokio::sync::oneshot::channel::<()>();
    let job = {
        let jobs = state.jobs.clone();
        tokio::spawn(async move {
            jobs.run(
                move |_| {
                    let _ = started.send(());
                    wait.recv_timeout(Duration::from_secs(20)).is_ok()
                },
                |_| false,
            )
            .await
        })
    };
    job_started.await.expect("the job starts");
    assert_eq!(get("/healthz").await, StatusCode::OK);
    assert_eq!(get(&format!("{topic}/versions/1")).await, StatusCode::OK);
    for path in &heavy {
        assert_eq!(get(path).await, StatusCode::TOO_MANY_REQUESTS, "{path}");
    }
    release.send(()).expect("the job is waiting");
    assert_eq!(job.await.expect("join"), Ok(true));
    for path in &heavy {
        assert_eq!(get(path).await, StatusCode::OK, "{path}");
    }
}
