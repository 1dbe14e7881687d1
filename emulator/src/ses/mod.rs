//! SES (in progress).
