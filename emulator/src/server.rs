//! Embedding (in progress).
