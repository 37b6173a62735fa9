//! `Topic<A>`: an SNS topic's messages.

use aws_sdk_sns::operation as op;

super::handle! {
    /// A topic the function was granted, by its ARN.
    pub struct Topic(aws_sdk_sns);
    client = |sdk| aws_sdk_sns::Client::new(sdk);

    /// Publishing messages.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: publishing to this topic needs its `publish` grant, which the function does not have",
        label = "the function was granted `{Self}` on this topic",
        note = "fix: in the stack, grant the function `<topic>.publish`",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability PublishMessages for [Publish] {
        /// `Publish` one message to this topic.
        fn publish -> op::publish::builders::PublishFluentBuilder = ["sns:Publish"] |c, id| c.publish().topic_arn(id);
        /// `PublishBatch`: up to 10 messages.
        fn publish_batch -> op::publish_batch::builders::PublishBatchFluentBuilder = ["sns:Publish"] |c, id| c.publish_batch().topic_arn(id);
    }
}
