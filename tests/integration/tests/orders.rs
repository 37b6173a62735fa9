//! The orders stack (`stacks/orders.rs`): the DynamoDB table and SNS topic kinds end to
//! end, from the DSL to a template that passes cfn-lint.

#[path = "stacks/orders.rs"]
mod stack;

use serde_json::{json, Value as Json};

#[test]
fn orders_template_matches_snapshot_and_passes_cfn_lint() {
    let template = stack::orders().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    insta::assert_snapshot!("orders_template", json);
    tap_integration_tests::lint("orders", &json);
    let checked = tap_integration_tests::assert_matches_registry("orders", &template.0);
    assert!(checked > 10, "{checked} resources checked against the registry");
}

/// The schedule invokes through a role of its own that may invoke the one function and
/// send to the one queue; its retries and dead letter are on its target; the function's
/// asynchronous failure handling is an EventInvokeConfig sending to the same queue.
#[test]
fn a_schedule_invokes_through_its_own_role_and_failures_are_kept() {
    let t = stack::orders().synth().unwrap().0;
    let schedule = &t["Resources"]["ReconcilerSchedule"];
    assert_eq!(schedule["Type"], "AWS::Scheduler::Schedule");
    let p = &schedule["Properties"];
    assert_eq!(p["ScheduleExpression"], "cron(30 2 * * ? *)");
    assert_eq!(p["ScheduleExpressionTimezone"], "Europe/Berlin");
    assert_eq!(p["Target"]["Arn"], json!({ "Fn::GetAtt": ["Reconciler", "Arn"] }));
    assert_eq!(p["Target"]["RetryPolicy"], json!({ "MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600 }));
    assert_eq!(p["Target"]["DeadLetterConfig"]["Arn"], json!({ "Fn::GetAtt": ["ReconcileFailures", "Arn"] }));
    let role = &t["Resources"]["ReconcilerScheduleRole"]["Properties"];
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "scheduler.amazonaws.com");
    assert_eq!(trust["Condition"]["StringEquals"]["aws:SourceAccount"], json!({ "Ref": "AWS::AccountId" }));
    let statements = role["Policies"][0]["PolicyDocument"]["Statement"].as_array().unwrap();
    let actions: Vec<(&Json, &Json)> = statements.iter().map(|s| (&s["Action"], &s["Resource"])).collect();
    assert_eq!(
        actions,
        [
            (&json!(["lambda:InvokeFunction"]), &json!({ "Fn::GetAtt": ["Reconciler", "Arn"] })),
            (&json!(["sqs:SendMessage"]), &json!({ "Fn::GetAtt": ["ReconcileFailures", "Arn"] })),
        ]
    );
    let invoke = &t["Resources"]["ReconcilerAsyncInvoke"];
    assert_eq!(invoke["Type"], "AWS::Lambda::EventInvokeConfig");
    assert_eq!(
        invoke["Properties"],
        json!({ "FunctionName": { "Ref": "Reconciler" }, "Qualifier": "$LATEST", "MaximumRetryAttempts": 1,
            "MaximumEventAgeInSeconds": 3600,
            "DestinationConfig": { "OnFailure": { "Destination": { "Fn::GetAtt": ["ReconcileFailures", "Arn"] } } } })
    );
    // Nothing else in the stack may invoke the function: no resource policy is written.
    assert!(t["Resources"].as_object().unwrap().values().all(|r| r["Type"] != "AWS::Lambda::Permission"));
}

#[test]
fn table_and_topic_are_synthesised_with_their_rules_applied() {
    let t = stack::orders().synth().unwrap().0;
    let table = &t["Resources"]["Orders"];
    assert_eq!(table["Type"], "AWS::DynamoDB::Table");
    assert_eq!(table["DeletionPolicy"], "Delete");
    assert_eq!(table["Properties"]["TableName"], json!({ "Fn::Sub": "orders-${EnvironmentSuffix}" }));
    assert_eq!(table["Properties"]["KeySchema"][1], json!({ "AttributeName": "order_id", "KeyType": "RANGE" }));
    assert_eq!(table["Properties"]["SSESpecification"]["SSEEnabled"], true);
    assert_eq!(table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"], false);

    let topic = &t["Resources"]["OrderEvents"];
    assert_eq!(topic["Properties"]["KmsMasterKeyId"], "alias/aws/sns");
    let deny = &t["Resources"]["OrderEventsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");

    // Each grant is the level's actions on exactly that resource's ARN.
    let statements = &t["Resources"]["WriterRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let by_sid = |sid: &str| {
        statements.as_array().unwrap().iter().find(|s| s["Sid"] == sid).unwrap_or_else(|| panic!("no {sid}")).clone()
    };
    let write = by_sid("OrdersWrite");
    assert_eq!(write["Resource"], json!([{ "Fn::GetAtt": ["Orders", "Arn"] }]));
    assert!(write["Action"].as_array().unwrap().contains(&json!("dynamodb:PutItem")));
    assert!(!write["Action"].as_array().unwrap().contains(&json!("dynamodb:Scan")));
    assert_eq!(
        by_sid("OrderEventsPublish"),
        json!({ "Sid": "OrderEventsPublish", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": [{ "Ref": "OrderEvents" }] })
    );

    // The function reads the names its code needs from the environment the stack binds.
    let vars = &t["Resources"]["Writer"]["Properties"]["Environment"]["Variables"];
    assert_eq!(vars["ORDERS_TABLE"], json!({ "Ref": "Orders" }));
    assert_eq!(vars["ORDER_EVENTS_TOPIC_ARN"], json!({ "Ref": "OrderEvents" }));
    assert_eq!(t["Resources"]["Writer"]["Properties"]["Architectures"], json!(["arm64"]));
}

#[test]
fn orders_bindings_are_typed_from_the_stack() {
    let env = stack::orders::writer::Env::from_lookup(&|k| Some(format!("v-{k}"))).unwrap();
    assert_eq!(env.orders_table.as_str(), "v-ORDERS_TABLE");
    assert_eq!(env.order_events_topic_arn.variable(), "ORDER_EVENTS_TOPIC_ARN");
}
