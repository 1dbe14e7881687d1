//! The `container` target's engine: the emulator image, built from this repository with no
//! registry (scripts/build-image, or here from the static binary when it exists),
//! started with testcontainers and waited on through its health check.
//!
//! The container is removed when the [`EmulatorContainer`] is dropped, and — through
//! testcontainers' watchdog — when the run is interrupted by Ctrl-C or SIGTERM.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericBuildableImage, GenericImage, ImageExt};

use crate::error::{Error, Result};

/// The image the harness starts unless told otherwise.
pub const DEFAULT_IMAGE: &str = "cognito-emulator:local";
const PORT: u16 = 4566;

/// Where scripts/build-image puts the static binary the Dockerfile copies.
fn static_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/x86_64-unknown-linux-gnu/release/cognito-emulator")
}

/// A running emulator container.
pub struct EmulatorContainer {
    container: ContainerAsync<GenericImage>,
    endpoint: String,
    /// From `docker run` to healthy.
    pub ready_after: Duration,
}

impl std::fmt::Debug for EmulatorContainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorContainer")
            .field("id", &self.container.id())
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

fn failed(reason: impl std::fmt::Display) -> Error {
    Error::Target {
        target: "container",
        reason: reason.to_string(),
    }
}

impl EmulatorContainer {
    /// The container's id, as `docker ps` shows it.
    pub fn id(&self) -> &str {
        self.container.id()
    }

    /// Builds the image from the static binary when it is there (Docker's cache makes a
    /// rebuild of an unchanged binary instant), else uses the image as it is, then starts
    /// it and waits until it is healthy.
    pub async fn start(image: &str) -> Result<Self> {
        let (name, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
        let binary = static_binary();
        let image = if binary.exists() {
            use testcontainers::runners::AsyncBuilder as _;
            GenericBuildableImage::new(name, tag)
                .with_dockerfile(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Dockerfile"))
                .with_file(
                    binary,
                    "target/x86_64-unknown-linux-gnu/release/cognito-emulator",
                )
                // The image's empty state directory (COPY docker/state /state).
                .with_file(
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docker/state/README"),
                    "docker/state/README",
                )
                .build_image()
                .await
                .map_err(|e| failed(format!("building {name}:{tag}: {e}")))?
        } else {
            GenericImage::new(name, tag)
        };
        let started = Instant::now();
        let container = image
            .with_exposed_port(PORT.tcp())
            .with_wait_for(WaitFor::healthcheck())
            .with_startup_timeout(Duration::from_secs(60))
            .start()
            .await
            .map_err(|e| {
                failed(format!(
                    "starting {name}:{tag}: {e} (build the image with scripts/build-image)"
                ))
            })?;
        let ready_after = started.elapsed();
        let host = container.get_host().await.map_err(failed)?;
        let port = container
            .get_host_port_ipv4(PORT.tcp())
            .await
            .map_err(failed)?;
        Ok(Self {
            endpoint: format!("http://{host}:{port}"),
            container,
            ready_after,
        })
    }

    /// Stops and removes the container.
    pub async fn remove(self) {
        let id = self.container.id().to_owned();
        if let Err(e) = self.container.rm().await {
            eprintln!("cognito-e2e: could not remove container {id}: {e}");
        }
    }

    /// `http://HOST:PORT` of the mapped port.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}
