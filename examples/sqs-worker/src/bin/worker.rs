//! The worker Lambda: stores each SQS message body in the results bucket and reports the
//! messages it could not store, so only those are redelivered (and, after
//! `max_receive_count` receives, land in the dead-letter queue).

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Configuration through the bindings the stack generates; a missing variable is named.
    let env = sqs_worker::sqs_worker::worker::Env::from_env()?;
    let bucket = env.results_bucket.to_string();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let s3 = aws_sdk_s3::Client::new(&config);
    lambda_runtime::run(service_fn(|event: LambdaEvent<SqsEvent>| handle(&s3, &bucket, event))).await
}

async fn handle(s3: &aws_sdk_s3::Client, bucket: &str, event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    for message in event.payload.records {
        let Some(id) = message.message_id.clone() else { continue };
        let body = message.body.unwrap_or_default();
        let put = s3
            .put_object()
            .bucket(bucket)
            .key(sqs_worker::result_key(&id))
            .content_type("application/json")
            .body(body.into_bytes().into())
            .send()
            .await;
        if let Err(e) = put {
            eprintln!("{{\"level\":\"error\",\"message_id\":{id:?},\"error\":{:?}}}", e.to_string());
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    Ok(response)
}
