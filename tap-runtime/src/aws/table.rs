//! `Table<A>`: a DynamoDB table's items.

use aws_sdk_dynamodb::operation as op;

super::handle! {
    /// A table the function was granted, by its name.
    pub struct Table(aws_sdk_dynamodb);
    client = |sdk| aws_sdk_dynamodb::Client::new(sdk);

    /// Reading items (queries may use the table's indexes).
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: reading this table needs its `read` or `read_write` grant, which the function does not have",
        label = "the function was granted `{Self}` on this table",
        note = "fix: in the stack, grant the function `<table>.read` (or `read_write` if it also writes)",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability ReadItems for [Read, ReadWrite] {
        /// `GetItem` from this table.
        fn get_item -> op::get_item::builders::GetItemFluentBuilder = ["dynamodb:GetItem"] |c, id| c.get_item().table_name(id);
        /// `Query` this table or one of its indexes.
        fn query -> op::query::builders::QueryFluentBuilder = ["dynamodb:Query"] |c, id| c.query().table_name(id);
        /// `Scan` this table.
        fn scan -> op::scan::builders::ScanFluentBuilder = ["dynamodb:Scan"] |c, id| c.scan().table_name(id);
        /// `DescribeTable`: keys, indexes, status.
        fn describe_table -> op::describe_table::builders::DescribeTableFluentBuilder = ["dynamodb:DescribeTable"] |c, id| c.describe_table().table_name(id);
    }

    /// Writing items.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: writing to this table needs its `write` or `read_write` grant, which the function does not have",
        label = "the function was granted `{Self}` on this table",
        note = "fix: in the stack, grant the function `<table>.write` (or `read_write` if it also reads)",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability WriteItems for [Write, ReadWrite] {
        /// `PutItem` into this table.
        fn put_item -> op::put_item::builders::PutItemFluentBuilder = ["dynamodb:PutItem"] |c, id| c.put_item().table_name(id);
        /// `UpdateItem` in this table.
        fn update_item -> op::update_item::builders::UpdateItemFluentBuilder = ["dynamodb:UpdateItem"] |c, id| c.update_item().table_name(id);
        /// `DeleteItem` from this table.
        fn delete_item -> op::delete_item::builders::DeleteItemFluentBuilder = ["dynamodb:DeleteItem"] |c, id| c.delete_item().table_name(id);
    }
}
