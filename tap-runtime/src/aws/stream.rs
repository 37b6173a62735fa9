//! `Stream<A>`: a Kinesis data stream's records.

use aws_sdk_kinesis::operation as op;

super::handle! {
    /// A stream the function was granted, by its name.
    pub struct Stream(aws_sdk_kinesis);
    client = |sdk| aws_sdk_kinesis::Client::new(sdk);

    /// Reading records: what a Kinesis event source mapping does with the function's role
    /// (AWS lists these five for it), and what a consumer does by hand.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: reading this stream needs its `read` grant, which the function does not have",
        label = "the function was granted `{Self}` on this stream",
        note = "fix: in the stack, grant the function `<stream>.read`",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability ReadRecords for [Read] {
        /// `DescribeStream`: status and shards.
        fn describe_stream -> op::describe_stream::builders::DescribeStreamFluentBuilder = ["kinesis:DescribeStream"] |c, id| c.describe_stream().stream_name(id);
        /// `DescribeStreamSummary`: status, retention, open shard count.
        fn describe_stream_summary -> op::describe_stream_summary::builders::DescribeStreamSummaryFluentBuilder = ["kinesis:DescribeStreamSummary"] |c, id| c.describe_stream_summary().stream_name(id);
        /// `ListShards` of this stream.
        fn list_shards -> op::list_shards::builders::ListShardsFluentBuilder = ["kinesis:ListShards"] |c, id| c.list_shards().stream_name(id);
        /// `GetShardIterator` on a shard of this stream.
        fn get_shard_iterator -> op::get_shard_iterator::builders::GetShardIteratorFluentBuilder = ["kinesis:GetShardIterator"] |c, id| c.get_shard_iterator().stream_name(id);
        /// `GetRecords` from an iterator of this stream.
        fn get_records -> op::get_records::builders::GetRecordsFluentBuilder = ["kinesis:GetRecords"] |c, _id| c.get_records();
    }

    /// Writing records.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: writing to this stream needs its `write` grant, which the function does not have",
        label = "the function was granted `{Self}` on this stream",
        note = "fix: in the stack, grant the function `<stream>.write`",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability WriteRecords for [Write] {
        /// `PutRecord` to this stream.
        fn put_record -> op::put_record::builders::PutRecordFluentBuilder = ["kinesis:PutRecord"] |c, id| c.put_record().stream_name(id);
        /// `PutRecords`: up to 500 records.
        fn put_records -> op::put_records::builders::PutRecordsFluentBuilder = ["kinesis:PutRecords"] |c, id| c.put_records().stream_name(id);
    }
}
