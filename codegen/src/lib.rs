//! Writes the emulator's operation layer from AWS's service models.
//!
//! The input is botocore's `service-2.json` for each service (kept in `emulator/model/`);
//! the output is committed Rust under `emulator/src/generated/`, one folder per service:
//!
//! - `shapes.rs`: a type for every structure and enum of the model, with the wire names
//!   of its members, a `Debug` that redacts `sensitive` members, and `validate()`, which
//!   collects every breach of the model's constraints (required, length, pattern, enum,
//!   range, list and map sizes), nested throughout, in AWS's words;
//! - `errors.rs`: the service's exceptions, each with its HTTP status and fault side;
//! - `operations.rs`: the list of operations, a trait with one method per operation
//!   (each defaulting to an AWS-shaped "not emulated" error), and `dispatch`, which turns
//!   a decoded request into a typed call.
//!
//! How a shape travels on the wire is the protocol's business: for a JSON service the
//! types derive serde with the model's member names; for a query service (SES) they read
//! themselves from form parameters and write themselves as XML, through small traits of
//! the emulator's `protocol` module.
//!
//! Everything here is plain string building over `serde_json::Value`: the model is data,
//! and the output must be byte-for-byte reproducible, so that CI can regenerate and fail
//! on any difference.

#![forbid(unsafe_code)]

mod names;
mod patterns;
mod service;

use std::path::{Path, PathBuf};

pub use service::{Protocol, ServiceSpec, SERVICES};

/// Every file the generator writes, relative to the workspace root, with its contents.
pub fn generate_all(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    for spec in SERVICES {
        let path = root.join("emulator/model").join(spec.model_file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let model: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = PathBuf::from("emulator/src/generated").join(spec.module);
        for (name, contents) in service::generate(spec, &model)? {
            files.push((dir.join(name), contents));
        }
    }
    let mut root_mod = String::from(
        "//! The operation layer generated from AWS's service models by `cargo run -p codegen`.\n\
         //! Do not edit: change the generator or the model and regenerate.\n\n",
    );
    for spec in SERVICES {
        root_mod.push_str(&format!("#[rustfmt::skip]\npub mod {};\n", spec.module));
    }
    files.push((PathBuf::from("emulator/src/generated/mod.rs"), root_mod));
    Ok(files)
}
