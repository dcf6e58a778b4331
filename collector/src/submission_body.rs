//! Reads the body of a submission within [`MAX_BODY_BYTES`]. A `Content-Length` over the cap is
//! refused before a byte of the body is read, and what the client still sends of that body is
//! read and thrown away in the background for a while: closing the connection with unread data
//! in it would reset it, and a client still uploading would then see the reset instead of the
//! 413.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use crate::error::ApiError;
use crate::submission::MAX_BODY_BYTES;

/// How much of a refused body is read and thrown away before the connection is closed anyway.
const DISCARD_BYTES: usize = 1024 * 1024;
/// How long a refused body is read for before the connection is closed anyway.
const DISCARD_TIME: Duration = Duration::from_secs(10);

/// The whole body, or why it is not taken.
pub(crate) async fn read(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        // A client that waits for `100 Continue` has sent nothing and will send nothing.
        if !headers.contains_key(header::EXPECT) {
            tokio::spawn(discard(body));
        }
        return Err(ApiError::PayloadTooLarge);
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(ApiError::PayloadTooLarge),
        Err(error) => Err(ApiError::UnreadableBody(error.to_string())),
    }
}

/// Reads and drops what comes of `body`, up to [`DISCARD_BYTES`] and [`DISCARD_TIME`].
async fn discard(mut body: Body) {
    let drain = async {
        let mut left = DISCARD_BYTES;
        while let Some(Ok(frame)) = body.frame().await {
            let length = frame.data_ref().map_or(0, Bytes::len);
            if length >= left {
                break;
            }
            left -= length;
        }
    };
    // Past either bound the client is not the widget; dropping the body closes the connection.
    let _ = tokio::time::timeout(DISCARD_TIME, drain).await;
}
