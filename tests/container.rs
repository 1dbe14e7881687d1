//! Every feature against the emulator's Docker image (the `container` target).
//!
//! The image is built from the static binary that `scripts/build-image` makes. Where
//! neither the binary nor the image exists, or Docker is not running, this test says
//! so and passes, unless `COGNITO_E2E_REQUIRE_CONTAINER=1` (set by `.ci/run`, after it
//! builds the image), which turns that into a failure.

mod common;

use cognito_e2e::{Settings, TargetKind};

fn main() {
    let required = std::env::var("COGNITO_E2E_REQUIRE_CONTAINER").is_ok_and(|v| v == "1");
    let settings = Settings {
        kind: TargetKind::Container,
        ..Settings::default()
    };
    let if_unavailable = if required {
        common::IfUnavailable::Fail
    } else {
        common::IfUnavailable::Skip
    };
    common::run_suite("container", settings, if_unavailable)
}
