//! tap-runtime: what a tap stack's Lambda functions run, apart from the checker the macro
//! runs (tap-core), so a stack's build never compiles the AWS SDK for its check.
//!
//! - [`bindings`]: the values the stack binds to a function, read once at cold start;
//! - [`contract`]: the handler contract's rules, for `cargo tap explain` and the guide;
//! - `runtime` (feature `runtime`): the Lambda handler contracts (records, APIs, schedules);
//! - `aws` (a feature per service, `aws` for all): handles typed by their grant;
//! - `database` (feature `database`): PostgreSQL on RDS as tap deploys it.
//!
//! Apps reach all of it through the facade (`tap::runtime`, `tap::aws`, ..), which turns
//! the same features on here.

pub mod bindings;
pub mod contract;
#[cfg(feature = "runtime")]
pub mod runtime;
#[cfg(feature = "aws-core")]
pub mod aws;
#[cfg(feature = "database")]
pub mod database;

/// The services that have handles: one line each, the only place a service is named. Each
/// line is the handle type (the kind's `HandleDef::ty`), its module in `aws/`, the cargo feature
/// that builds its SDK (the same name in tap-runtime's and the facade's `[features]`, which
/// a test holds to this table), the noun the feature's error uses, and the facade's macro
/// that is that error when the feature is off.
///
/// Adding a handle is its module (`aws/<module>.rs`, one `handle!`) and one line here. The
/// table is handed to a macro (`$callback`), so this crate and the facade each write their
/// part from it.
#[doc(hidden)]
#[macro_export]
macro_rules! __for_each_service {
    ($callback:ident) => {
        $callback! {
            Bucket bucket "aws-s3" "bucket" __aws_requires_bucket;
            Queue queue "aws-sqs" "queue" __aws_requires_queue;
            Secret secret "aws-secretsmanager" "secret" __aws_requires_secret;
            Stream stream "aws-kinesis" "stream" __aws_requires_stream;
            Table table "aws-dynamodb" "table" __aws_requires_table;
            Topic topic "aws-sns" "topic" __aws_requires_topic;
        }
    };
}
