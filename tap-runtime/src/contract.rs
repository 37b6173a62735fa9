//! The handler contract's rules: mistakes of a function's code (not of the stack) that tap
//! makes type errors through `tap::runtime`, `tap::bindings` and the `aws` handles. Each
//! error's text names its id; `cargo tap explain` and the guide print these entries.

/// One rule of the handler contract.
pub struct HandlerRule {
    pub id: &'static str,
    /// The seed's mistake it prevents.
    pub mistake: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

pub const ALL: &[HandlerRule] = &[
    HandlerRule {
        id: "TAP-CODE-003",
        mistake: "seed mistake 13: no error handling in the Lambda handler",
        why: "A record handler without a `Result` has no way to say a record failed: the seed's handler returned statusCode 200 whatever happened.",
        fix: "`async fn handle(record: Record<T>) -> Result<(), RecordError>`: `Reject(reason)` quarantines, `Retry(error)` retries from that record.",
    },
    HandlerRule {
        id: "TAP-CODE-006",
        mistake: "seed mistake 13 behind an HTTP API: a handler error the client cannot be answered with",
        why: "An API handler that fails with an error API Gateway cannot turn into a response makes the client see a bare 502 and the function's log an unhandled error. In tap an API handler returns `Result<Response, E>` where `E` says what the client gets; a body that does not parse is answered 400 before the handler runs, and a transient failure is 503 with its reason in the log, not in the response.",
        fix: "`async fn handle(request: Request<B>) -> Result<Response, Rejection>`: `BadRequest(reason)`, `Unauthorized(reason)`, `NotFound`, `Conflict(reason)`, `Unavailable(error)`; or implement `IntoResponse` for your error.",
    },
    HandlerRule {
        id: "TAP-CODE-005",
        mistake: "seed mistake 20: base64 record data parsed as JSON text",
        why: "Kinesis delivers data base64-encoded; the seed called json.loads on it. In tap records arrive decoded and parsed into a validated type; raw text is not a record type.",
        fix: "Declare a `#[derive(Deserialize)]` struct and implement `tap::runtime::Typed` for it.",
    },
    HandlerRule {
        id: "TAP-IAM-003",
        mistake: "seed mistake 9 in code: an operation the function's grant does not cover",
        why: "The seed granted write and its handler called what the grant did not allow: it deployed and failed with AccessDenied. With the `aws` feature each function gets `Handles`, one per granted resource, typed by the grant (`Bucket<Write>`); an operation the grant does not cover is a method whose bound the handle does not meet. Each operation lists the IAM actions it needs, each level the actions it grants, and a test holds them equal; the emulator test runs the synthesised policies (not the managed logs and VPC policies, which no code here calls).",
        fix: "Grant the level the message names in the stack (`bucket.write`), or, in a helper generic over the access, bound it by the capability (`where A: tap::aws::bucket::WriteObjects`).",
    },
    HandlerRule {
        id: "TAP-CODE-002",
        mistake: "seed mistake 12: connection details written into the handler",
        why: "The seed's handler connected to host='localhost' with password='password123'. Endpoints are built only from values the stack binds (`Bound<T>`, read by the generated `Env`).",
        fix: "Use `&env.db_endpoint` and `&env.db_port` from the function's generated `Env`; credentials come from the bound secret.",
    },
];
