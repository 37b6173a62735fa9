//! The security scan's accepted findings: the checkov checks a tap template may fail, each
//! with the reason. The test command runs checkov on every template the tests synthesise
//! (`tests/integration/tests/checkov.rs`) and fails on any failure not listed here, and on
//! any entry here that no template fails any more (so the list cannot go stale). The guide
//! prints this list (`tests/ui/GUIDE.md`, last section).
//!
//! The reasons allowed: the check contradicts destroyability (a customer-managed KMS key
//! cannot be deleted for at least 7 days), it does not apply to what tap writes (a false
//! positive), the setting is lifecycle-dependent and the check fails only on the ephemeral
//! template, or the resource is raw CloudFormation the stack's author configures. A gap tap
//! has not closed yet is marked `open`, with the issue part that closes it.

/// Why a check is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Because {
    /// A customer-managed KMS key: deleting one waits 7 to 30 days, so a stack using it is
    /// not destroyable; tap encrypts with AWS managed keys instead.
    CustomerKey,
    /// The check does not apply to the resource as tap writes it.
    NotApplicable,
    /// Off in ephemeral deployments on purpose, on in durable ones.
    Lifecycle,
    /// A raw resource (`resource!(AWS::…)`): tap checks it against its registry schema and
    /// its references, and leaves its settings to the stack's author.
    Raw,
    /// Not closed yet.
    Open,
}

impl Because {
    pub fn word(self) -> &'static str {
        match self {
            Because::CustomerKey => "customer-managed key",
            Because::NotApplicable => "not applicable",
            Because::Lifecycle => "lifecycle",
            Because::Raw => "raw resource",
            Because::Open => "open",
        }
    }
}

pub struct Accepted {
    /// The checkov check id.
    pub check: &'static str,
    /// The CloudFormation resource type it fails on.
    pub on: &'static str,
    pub because: Because,
    pub why: &'static str,
}

pub static ACCEPTED: &[Accepted] = &[
    Accepted {
        check: "CKV_AWS_158",
        on: "AWS::Logs::LogGroup",
        because: Because::CustomerKey,
        why: "Log groups are encrypted by CloudWatch Logs with an AWS owned key. A customer-managed \
              key would outlive every ephemeral stack by its 7-day deletion window.",
    },
    Accepted {
        check: "CKV_AWS_149",
        on: "AWS::SecretsManager::Secret",
        because: Because::CustomerKey,
        why: "The secret is encrypted with the AWS managed key `aws/secretsmanager`; a \
              customer-managed key would outlive the stack by its deletion window.",
    },
    Accepted {
        check: "CKV_AWS_173",
        on: "AWS::Lambda::Function",
        because: Because::CustomerKey,
        why: "Environment variables are encrypted at rest with the AWS managed Lambda key. tap puts \
              references in them, not secret values (a database login is an IAM token minted at \
              run time, a cache token is read from Secrets Manager), so a customer-managed key \
              would add a deletion window and protect nothing.",
    },
    Accepted {
        check: "CKV_AWS_27",
        on: "AWS::SQS::Queue",
        because: Because::NotApplicable,
        why: "A false positive: the queues are encrypted with SQS-managed keys \
              (`SqsManagedSseEnabled: true`), which this check does not recognise; it looks for \
              `KmsMasterKeyId` only.",
    },
    Accepted {
        check: "CKV_AWS_116",
        on: "AWS::Lambda::Function",
        because: Because::NotApplicable,
        why: "A function's dead-letter queue catches failed asynchronous invocations only, and \
              receives the event without the error. A function invoked asynchronously (by a \
              `Schedule`, or raw CloudFormation such as a rule or a topic) states an on-failure \
              destination instead (`async_on_failure`, TAP-ASYNC-001), which receives the event \
              with the error; a function fed by an event source mapping is invoked synchronously, \
              its failures going to the mapping's `on_failure` queue or the queue's redrive policy \
              (TAP-ESM-001); tap's custom-resource functions (the bucket emptier, database setup) \
              answer CloudFormation at its response URL, and a failure fails the stack operation.",
    },
    Accepted {
        check: "CKV_AWS_115",
        on: "AWS::Lambda::Function",
        because: Because::NotApplicable,
        why: "Reserved concurrency takes capacity away from the rest of the account. A stream-fed \
              function's concurrency is already bounded by its shards, and a queue-fed one's by \
              its event source mapping.",
    },
    Accepted {
        check: "CKV_AWS_117",
        on: "AWS::Lambda::Function",
        because: Because::NotApplicable,
        why: "A function needs a VPC only to reach something inside one (TAP-NET-001 requires it \
              then). A function that reaches only AWS APIs, such as the bucket emptier or the \
              example worker, would need a NAT gateway or endpoints to do what it does now without \
              a VPC.",
    },
    Accepted {
        check: "CKV_AWS_21",
        on: "AWS::S3::Bucket",
        because: Because::Lifecycle,
        why: "Versioning is on by default in durable deployments (TAP-KEEP-004). In an ephemeral \
              one, the bucket is emptied and deleted with the stack, and old versions would only \
              add to what the emptier removes.",
    },
    Accepted {
        check: "CKV_AWS_119",
        on: "AWS::DynamoDB::Table",
        because: Because::CustomerKey,
        why: "Tables are encrypted at rest with AWS owned keys, or with `encryption: Kms` the AWS \
              managed key `aws/dynamodb`; a customer-managed key would outlive the stack by its \
              deletion window.",
    },
    Accepted {
        check: "CKV_AWS_28",
        on: "AWS::DynamoDB::Table",
        because: Because::Lifecycle,
        why: "Point-in-time recovery is on in durable deployments (TAP-KEEP-003). Deleting a table \
              with it on leaves a system backup behind for 35 days, which an ephemeral stack must \
              not.",
    },
    Accepted {
        check: "CKV_AWS_157",
        on: "AWS::RDS::DBInstance",
        because: Because::Lifecycle,
        why: "Multi-AZ is on in durable deployments. An ephemeral database is a per-PR or test \
              copy, and a standby would double its cost and its creation time.",
    },
    Accepted {
        check: "CKV_AWS_18",
        on: "AWS::S3::Bucket",
        because: Because::Lifecycle,
        why: "A kept bucket (durable deployments) logs every request to an access-log bucket of its \
              own. An ephemeral bucket does not: its logs would be deleted with it. The access-log \
              bucket itself does not log (it would log its own log writes).",
    },
    Accepted {
        check: "CKV_AWS_118",
        on: "AWS::RDS::DBInstance",
        because: Because::Lifecycle,
        why: "Enhanced monitoring is on for a kept database (durable deployments). It writes to the \
              account's `RDSOSMetrics` log group, which RDS creates and no stack owns, so an \
              ephemeral stack would leave data behind. Every database exports its PostgreSQL and \
              upgrade logs to log groups the stack owns.",
    },
];

/// The accepted entry for `check` failing on a resource of type `on`.
pub fn accepted(check: &str, on: &str) -> Option<&'static Accepted> {
    ACCEPTED.iter().find(|a| a.check == check && a.on == on)
}
