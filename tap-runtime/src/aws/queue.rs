//! `Queue<A>`: an SQS queue's messages.

use aws_sdk_sqs::operation as op;

super::handle! {
    /// An SQS queue the function was granted, by its URL.
    pub struct Queue(aws_sdk_sqs);
    client = |sdk| aws_sdk_sqs::Client::new(sdk);

    /// Sending messages.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: sending to this queue needs its `send` grant, which the function does not have",
        label = "the function was granted `{Self}` on this queue",
        note = "fix: in the stack, grant the function `<queue>.send`",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability SendMessages for [Send] {
        /// `SendMessage` to this queue.
        fn send_message -> op::send_message::builders::SendMessageFluentBuilder = ["sqs:SendMessage"] |c, id| c.send_message().queue_url(id);
        /// `SendMessageBatch`: up to 10 messages.
        fn send_message_batch -> op::send_message_batch::builders::SendMessageBatchFluentBuilder = ["sqs:SendMessage"] |c, id| c.send_message_batch().queue_url(id);
    }

    /// Receiving and deleting messages (what an SQS event source does with the function's
    /// role, and what a poller does by hand).
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: receiving from this queue needs its `consume` grant, which the function does not have",
        label = "the function was granted `{Self}` on this queue",
        note = "fix: in the stack, grant the function `<queue>.consume`",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability ConsumeMessages for [Consume] {
        /// `ReceiveMessage` from this queue.
        fn receive_message -> op::receive_message::builders::ReceiveMessageFluentBuilder = ["sqs:ReceiveMessage"] |c, id| c.receive_message().queue_url(id);
        /// `DeleteMessage`: a message handled.
        fn delete_message -> op::delete_message::builders::DeleteMessageFluentBuilder = ["sqs:DeleteMessage"] |c, id| c.delete_message().queue_url(id);
        /// `DeleteMessageBatch`.
        fn delete_message_batch -> op::delete_message_batch::builders::DeleteMessageBatchFluentBuilder = ["sqs:DeleteMessage"] |c, id| c.delete_message_batch().queue_url(id);
        /// `GetQueueAttributes`: the visibility timeout and redrive policy a consumer checks.
        fn get_queue_attributes -> op::get_queue_attributes::builders::GetQueueAttributesFluentBuilder = ["sqs:GetQueueAttributes"] |c, id| c.get_queue_attributes().queue_url(id);
    }
}
