//! The one check every refusal shares: the error code and AWS's message.

use cucumber::then;

use super::expect_eq;
use crate::error::{Error, Result};
use crate::world::CognitoWorld;

#[then(regex = r#"^the request is refused with (\w+): "(.*)"$"#)]
async fn refused_with(world: &mut CognitoWorld, code: String, message: String) -> Result<()> {
    let Some(error) = &world.answer.error else {
        return Err(Error::unexpected(
            format!("the request to be refused with {code}"),
            "success",
        ));
    };
    expect_eq("the error code", code.as_str(), error.code.as_str())?;
    expect_eq(
        "the error message",
        message.as_str(),
        error.message.as_str(),
    )
}
