//! HTTP routing (in progress).
