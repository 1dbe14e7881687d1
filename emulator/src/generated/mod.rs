//! The operation layer generated from AWS's service models by `cargo run -p codegen`.
//! Do not edit: change the generator or the model and regenerate.

#[rustfmt::skip]
pub mod cognito;
#[rustfmt::skip]
pub mod ses;
