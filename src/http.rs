//! Plain HTTP GETs for what is not an AWS API: the pool's JWKS, mailbox APIs, the link
//! in SES's verification mail. (AWS APIs are only ever called through the SDK.)

/// GETs `url` and returns the body; a transport error or a non-2xx status is an error
/// whose text says which.
pub async fn get_bytes(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok(body.to_vec())
}
