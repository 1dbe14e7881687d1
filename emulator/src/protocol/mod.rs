//! Wire protocols: AWS JSON 1.1 (Cognito) and the AWS query protocol with XML (SES).

pub mod json;
pub mod query;
pub mod query_codec;
