//! The handler contract for functions an `Api` routes to (HTTP API, payload 2.0).
//!
//! The handler never sees the wire format and never answers with a panic. tap decodes the
//! body (base64 when API Gateway says so) into what the handler asks for ([`FromBody`]: raw
//! bytes, a typed and validated [`Json`] value, or nothing); a body that does not parse is
//! answered `400` with the reason, and the handler is not called. The handler returns
//! `Result<Response, E>` where `E` says what the client gets ([`IntoResponse`]; tap's
//! [`Rejection`] maps each case to its status): a handler whose error cannot answer the
//! client does not compile (TAP-CODE-006). A transient failure is `503` with a generic
//! message, and its reason goes to the log, not to the client.

use std::collections::HashMap;
use std::future::Future;

use aws_lambda_events::encodings::Body;
use aws_lambda_events::event::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::http;
use base64::Engine;

use super::{BoxError, Typed};

/// The request as API Gateway delivers it (HTTP API, payload format 2.0).
pub type Event = ApiGatewayV2httpRequest;

/// What the client is answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Response {
    /// `status` with a JSON body.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Response {
        match serde_json::to_string(value) {
            Ok(body) => Response { status, content_type: "application/json", body },
            Err(e) => Rejection::Unavailable(Box::new(e)).into_response(),
        }
    }
    /// `status` with a plain-text body.
    pub fn text(status: u16, text: impl Into<String>) -> Response {
        Response { status, content_type: "text/plain; charset=utf-8", body: text.into() }
    }
    /// `status` and no body (`202 Accepted`, `204 No Content`).
    pub fn empty(status: u16) -> Response {
        Response { status, content_type: "text/plain; charset=utf-8", body: String::new() }
    }
}

/// What the client gets when a request cannot be served.
#[derive(Debug)]
pub enum Rejection {
    /// `400`: the request is malformed; the reason is for the client.
    BadRequest(String),
    /// `401`: who is calling is not established (a signature that does not verify).
    Unauthorized(String),
    /// `404`.
    NotFound,
    /// `409`: the request conflicts with the current state.
    Conflict(String),
    /// `503`: something the handler needs is unavailable; the client may retry. The error
    /// is logged, never sent.
    Unavailable(BoxError),
}

impl Rejection {
    pub fn unavailable(e: impl Into<BoxError>) -> Rejection {
        Rejection::Unavailable(e.into())
    }
}

/// Turns a handler's error into what the client is answered.
#[diagnostic::on_unimplemented(
    message = "TAP-CODE-006: `{Self}` cannot answer the client: an API handler's error must say what the client gets",
    label = "this error has no response",
    note = "fix: return `Result<Response, Rejection>` (`Rejection::BadRequest(reason)`, `NotFound`, `Unavailable(error)`, ..), or implement `tap::runtime::api::IntoResponse` for your error",
    note = "explain: `cargo tap explain TAP-CODE-006`"
)]
pub trait IntoResponse {
    fn into_response(self) -> Response;
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::BadRequest(why) => Response::json(400, &serde_json::json!({ "error": why })),
            Rejection::Unauthorized(why) => Response::json(401, &serde_json::json!({ "error": why })),
            Rejection::NotFound => Response::json(404, &serde_json::json!({ "error": "not found" })),
            Rejection::Conflict(why) => Response::json(409, &serde_json::json!({ "error": why })),
            Rejection::Unavailable(e) => {
                // One JSON line, as the function's log format is JSON.
                println!(
                    "{}",
                    serde_json::json!({ "level": "error", "event": "request failed", "reason": e.to_string() })
                );
                Response {
                    status: 503,
                    content_type: "application/json",
                    body: r#"{"error":"unavailable, retry later"}"#.into(),
                }
            }
        }
    }
}

impl IntoResponse for Response {
    fn into_response(self) -> Response {
        self
    }
}

/// What an API handler returns: `Result<Response, E>` with an `E` that answers the client.
/// (The bound sits on the output, so a handler without one gets this diagnostic.)
#[diagnostic::on_unimplemented(
    message = "TAP-CODE-006: an API handler returns `Result<Response, E>` whose error answers the client, not `{Self}`",
    label = "the handler's return type",
    note = "fix: write `async fn handle(request: Request<B>) -> Result<Response, Rejection>`",
    note = "explain: `cargo tap explain TAP-CODE-006`"
)]
pub trait ApiResult: Send {
    fn into_response(self) -> Response;
}

impl<E: IntoResponse + Send> ApiResult for Result<Response, E> {
    fn into_response(self) -> Response {
        self.unwrap_or_else(IntoResponse::into_response)
    }
}

/// A request body the handler takes, parsed before it runs.
pub trait FromBody: Sized + Send {
    /// The value, or why the body cannot be one (the client's `400`).
    fn from_body(bytes: &[u8]) -> Result<Self, String>;
}

/// No body is read.
impl FromBody for () {
    fn from_body(_: &[u8]) -> Result<Self, String> {
        Ok(())
    }
}

/// The bytes as sent (a webhook's signature is over these).
impl FromBody for Vec<u8> {
    fn from_body(bytes: &[u8]) -> Result<Self, String> {
        Ok(bytes.to_vec())
    }
}

/// A JSON body, parsed into `T` and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Json<T>(pub T);

impl<T: Typed> FromBody for Json<T> {
    fn from_body(bytes: &[u8]) -> Result<Self, String> {
        let value: T =
            serde_json::from_slice(bytes).map_err(|e| format!("the body is not valid JSON for this route: {e}"))?;
        value.validate().map_err(|why| format!("the body is not valid: {why}"))?;
        Ok(Json(value))
    }
}

/// A request, its body parsed.
#[derive(Debug)]
pub struct Request<B> {
    /// The route it came in on: `POST /webhooks/{source}`.
    pub route_key: String,
    pub path_parameters: HashMap<String, String>,
    pub query: HashMap<String, String>,
    pub headers: http::HeaderMap,
    pub body: B,
}

impl<B> Request<B> {
    /// A path parameter (`source` of `/webhooks/{source}`).
    pub fn path(&self, name: &str) -> Option<&str> {
        self.path_parameters.get(name).map(String::as_str)
    }
    /// A header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A handler: `async fn(Request<B>) -> Result<Response, E>`.
pub trait ApiFn<B>: Sync {
    fn call(&self, request: Request<B>) -> impl Future<Output = Response> + Send;
}

impl<B, F, Fut> ApiFn<B> for F
where
    F: Fn(Request<B>) -> Fut + Sync,
    Fut: Future + Send,
    Fut::Output: ApiResult,
{
    fn call(&self, request: Request<B>) -> impl Future<Output = Response> + Send {
        let fut = self(request);
        async move { fut.await.into_response() }
    }
}

/// One request, as API Gateway delivers it: parsed, handled, answered.
pub async fn handle<B: FromBody, F: ApiFn<B>>(event: ApiGatewayV2httpRequest, handler: &F) -> ApiGatewayV2httpResponse {
    let response = match parse::<B>(event) {
        Ok(request) => handler.call(request).await,
        Err(why) => Rejection::BadRequest(why).into_response(),
    };
    wire(response)
}

fn parse<B: FromBody>(event: ApiGatewayV2httpRequest) -> Result<Request<B>, String> {
    let raw = event.body.unwrap_or_default();
    let bytes = if event.is_base64_encoded {
        base64::engine::general_purpose::STANDARD
            .decode(raw.as_bytes())
            .map_err(|e| format!("the body is not valid base64: {e}"))?
    } else {
        raw.into_bytes()
    };
    let query = event.query_string_parameters.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    Ok(Request {
        route_key: event.route_key.unwrap_or_default(),
        path_parameters: event.path_parameters,
        query,
        headers: event.headers,
        body: B::from_body(&bytes)?,
    })
}

fn wire(response: Response) -> ApiGatewayV2httpResponse {
    let mut out = ApiGatewayV2httpResponse::default();
    out.status_code = i64::from(response.status);
    if let Ok(v) = http::HeaderValue::from_str(response.content_type) {
        out.headers.insert(http::header::CONTENT_TYPE, v);
    }
    out.body = (!response.body.is_empty()).then_some(Body::Text(response.body));
    out
}

/// Runs the handler as the Lambda function's event loop (only inside Lambda).
pub async fn run<B: FromBody, F: ApiFn<B>>(handler: F) -> Result<(), lambda_runtime::Error> {
    let handler = &handler;
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<ApiGatewayV2httpRequest>| async move {
            Ok::<_, lambda_runtime::Error>(handle(event.payload, handler).await)
        },
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Order {
        quantity: i64,
    }
    impl Typed for Order {
        fn validate(&self) -> Result<(), String> {
            if self.quantity > 0 {
                Ok(())
            } else {
                Err("quantity must be positive".into())
            }
        }
    }

    fn event(body: &str, base64: bool) -> ApiGatewayV2httpRequest {
        serde_json::from_value(serde_json::json!({
            "version": "2.0", "routeKey": "POST /orders/{id}", "rawPath": "/orders/7", "rawQueryString": "dry=1",
            "headers": { "content-type": "application/json" }, "queryStringParameters": { "dry": "1" },
            "pathParameters": { "id": "7" }, "requestContext": { "http": { "method": "POST", "path": "/orders/7" } },
            "body": body, "isBase64Encoded": base64,
        }))
        .unwrap()
    }

    async fn create(request: Request<Json<Order>>) -> Result<Response, Rejection> {
        match request.path("id") {
            Some("7") => Ok(Response::json(
                201,
                &serde_json::json!({ "quantity": request.body.0.quantity, "dry": request.query["dry"] }),
            )),
            _ => Err(Rejection::NotFound),
        }
    }

    async fn failing(_: Request<()>) -> Result<Response, Rejection> {
        Err(Rejection::unavailable("the table is throttled"))
    }

    #[test]
    fn a_request_is_parsed_handled_and_answered() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let ok = rt.block_on(handle(event(r#"{"quantity":3}"#, false), &create));
        assert_eq!((ok.status_code, ok.body), (201, Some(Body::Text(r#"{"quantity":3,"dry":"1"}"#.into()))));
        let encoded = base64::engine::general_purpose::STANDARD.encode(r#"{"quantity":2}"#);
        assert_eq!(rt.block_on(handle(event(&encoded, true), &create)).status_code, 201);
        // A body that does not parse or validate is the client's 400, with the reason.
        let bad = rt.block_on(handle(event("{", false), &create));
        assert_eq!(bad.status_code, 400);
        let invalid = rt.block_on(handle(event(r#"{"quantity":0}"#, false), &create));
        assert_eq!(
            invalid.body,
            Some(Body::Text(r#"{"error":"the body is not valid: quantity must be positive"}"#.into()))
        );
        // A transient failure is 503, and its reason stays in the log.
        let down = rt.block_on(handle(event("", false), &failing));
        assert_eq!(down.status_code, 503);
        assert!(!format!("{:?}", down.body).contains("throttled"));
    }
}
