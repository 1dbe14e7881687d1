//! What the generated shapes (`crate::generated`) are made of: the scalar types the model
//! has and Rust lacks ([`Timestamp`], [`Blob`]), and validation against the model's
//! constraints ([`Validate`], [`Violations`]).

mod blob;
mod timestamp;
mod validate;

pub use blob::Blob;
pub use timestamp::Timestamp;
pub use validate::{
    enum_failures, ElemRule, Element, ListRule, ModelEnum, NumberRule, Pattern, Shown, StringRule,
    Validate, Violations,
};
