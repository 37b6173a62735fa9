// Seed mistake 13 behind an HTTP API: a handler whose error is a bare `Box<dyn Error>`
// cannot say what the client gets, so a failure would be an unhandled error and a 502
// from API Gateway. In tap the error must be a response: a `Rejection`, or a type that
// implements `IntoResponse`.
use tap::runtime::api::{handle, Request, Response};

async fn create(request: Request<Vec<u8>>) -> Result<Response, Box<dyn std::error::Error + Send + Sync>> {
    if request.body.is_empty() {
        return Err("empty body".into());
    }
    Ok(Response::empty(202))
}

async fn invoke(event: tap::runtime::api::Event) {
    let _ = handle(event, &create).await;
}

fn main() {}
