//! After a delete, every physical resource the delete plan said goes is looked up in its
//! service: one still there (a bucket an emulator left with its objects, a table whose
//! delete went wrong) is a survivor, named, and the delete did not do what its plan said,
//! whatever status CloudFormation ended in. A resource the plan keeps (`Retain`,
//! `Snapshot`) is expected to stay and is not looked up; a type tap has no lookup for is
//! listed as not checked, never as gone.

use aws_sdk_s3::error::ProvideErrorMetadata;
use serde::Serialize;

use crate::cloudformation::Clients;
use crate::plan::{Plan, Row};

/// A resource the plan deletes that is still there.
#[derive(Debug, Serialize, PartialEq)]
pub struct Survivor {
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub physical_id: String,
    /// What was found: "the bucket is still there, with 1 object".
    pub found: String,
}

/// What looking for the plan's deleted resources found.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Found {
    pub survivors: Vec<Survivor>,
    /// Deleted resources whose presence was not checked: `Lid (Type): why`, those that hold
    /// data first.
    pub unchecked: Vec<String>,
    /// How many of `unchecked` hold data.
    #[serde(skip)]
    unchecked_data: usize,
}

/// What one lookup says.
enum Lookup {
    Gone,
    There(String),
    /// The lookup itself failed, or tap has none for the type.
    Unknown(String),
}

/// Looks up every resource `plan` deletes that was created (it has a physical id).
pub async fn find(c: &Clients, plan: &Plan) -> Found {
    let mut found = Found::default();
    for row in plan.resources.iter().filter(|r| !r.action.keeps_data()) {
        let Some(id) = row.physical_id.as_deref() else { continue };
        match lookup(c, row, id).await {
            Lookup::Gone => {}
            Lookup::There(what) => found.survivors.push(Survivor {
                logical_id: row.logical_id.clone(),
                resource_type: row.resource_type.clone(),
                physical_id: id.to_owned(),
                found: what,
            }),
            Lookup::Unknown(why) => {
                let line = format!("{} ({}): {why}", row.logical_id, row.resource_type);
                if row.holds_data {
                    found.unchecked.insert(found.unchecked_data, line);
                    found.unchecked_data += 1;
                } else {
                    found.unchecked.push(line);
                }
            }
        }
    }
    found
}

/// The error codes each service answers a lookup of something that is not there with.
const NOT_FOUND: &[&str] = &[
    "NotFound",
    "NoSuchBucket",
    "ResourceNotFoundException",
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
    "NonExistentQueue",
];

/// The verdict of a lookup call: found (with what `there` says of it), gone (a not-found
/// error), or unknown (any other error: not a reason to say it is gone).
fn verdict<T, E: ProvideErrorMetadata>(result: Result<T, E>, there: impl FnOnce(T) -> Lookup) -> Lookup {
    match result {
        Ok(found) => there(found),
        Err(e) if e.code().is_some_and(|code| NOT_FOUND.contains(&code)) => Lookup::Gone,
        Err(e) => Lookup::Unknown(format!(
            "the lookup failed: {}",
            e.message().or(e.code()).unwrap_or("no answer from the service")
        )),
    }
}

async fn lookup(c: &Clients, row: &Row, id: &str) -> Lookup {
    match row.resource_type.as_str() {
        "AWS::S3::Bucket" => {
            match verdict(c.s3.head_bucket().bucket(id).send().await, |_| Lookup::There(String::new())) {
                Lookup::There(_) => {
                    let listed = c.s3.list_objects_v2().bucket(id).max_keys(1000).send().await;
                    let objects = listed.ok().and_then(|l| l.key_count()).unwrap_or(0);
                    let more = if objects >= 1000 { " or more" } else { "" };
                    let plural = if objects == 1 { "" } else { "s" };
                    Lookup::There(format!("the bucket is still there, with {objects}{more} object{plural}"))
                }
                other => other,
            }
        }
        "AWS::DynamoDB::Table" => verdict(c.dynamodb.describe_table().table_name(id).send().await, |t| {
            match t.table().and_then(|t| t.table_status()).map(|s| s.as_str().to_owned()) {
                Some(s) if s == "DELETING" => Lookup::Gone,
                s => Lookup::There(format!("the table is still there ({})", s.unwrap_or_default())),
            }
        }),
        "AWS::SQS::Queue" => verdict(c.sqs.get_queue_attributes().queue_url(id).send().await, |_| {
            Lookup::There("the queue is still there".to_owned())
        }),
        "AWS::SNS::Topic" => verdict(c.sns.get_topic_attributes().topic_arn(id).send().await, |_| {
            Lookup::There("the topic is still there".to_owned())
        }),
        "AWS::Kinesis::Stream" => {
            verdict(c.kinesis.describe_stream_summary().stream_name(id).send().await, |s| {
                match s.stream_description_summary().map(|d| d.stream_status().as_str().to_owned()) {
                    Some(s) if s == "DELETING" => Lookup::Gone,
                    s => Lookup::There(format!("the stream is still there ({})", s.unwrap_or_default())),
                }
            })
        }
        // A deleted secret is scheduled for deletion: it is described until then, with the date.
        "AWS::SecretsManager::Secret" => {
            verdict(c.secrets.describe_secret().secret_id(id).send().await, |s| match s.deleted_date() {
                Some(_) => Lookup::Gone,
                None => Lookup::There("the secret is still there, not scheduled for deletion".to_owned()),
            })
        }
        _ => Lookup::Unknown("tap has no lookup for this type".to_owned()),
    }
}

impl Found {
    /// The survivors as the terminal shows them, under the stack's line.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for v in &self.survivors {
            s.push_str(&format!(
                "  still there, though the plan deletes it: {} ({}) {}: {}\n",
                v.logical_id, v.resource_type, v.physical_id, v.found
            ));
        }
        let (data, rest) = self.unchecked.split_at(self.unchecked_data);
        if !data.is_empty() {
            s.push_str(&format!("  not checked after the delete, and holding data: {}\n", data.join("; ")));
        }
        if !rest.is_empty() {
            s.push_str(&format!(
                "  {} other resource(s) not checked after the delete (`--json` lists them)\n",
                rest.len()
            ));
        }
        s
    }
}
