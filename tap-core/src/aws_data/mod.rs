//! What AWS says of its services, as data tap checks against: the CloudFormation registry
//! schemas ([`registry`]), what a raw type deploys when a setting is written or left out
//! ([`deployed`]), the engine versions, instance classes, node types and runtime lifecycles
//! ([`service_data`]), and every IAM action ([`iam_actions`]). Extracted from cfn-lint's
//! pinned data by `scripts/gen-cfn-data`; nothing here knows a kind.

pub mod registry;
pub mod deployed;
pub mod service_data;
pub mod iam_actions;
