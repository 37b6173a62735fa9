//! The reports stack (`stacks/events.rs`): raw CloudFormation resources (an EventBridge
//! rule, an HTTP API, Lambda permissions) beside tap's kinds, from the DSL to a template
//! that passes cfn-lint and the registry schemas.

#[path = "stacks/events.rs"]
mod stack;

#[test]
fn raw_resources_synthesise_and_pass_cfn_lint() {
    let template = stack::reports().synth().unwrap_or_else(|f| panic!("{f}"));
    let json = template.to_json();
    insta::assert_snapshot!("reports_template", json);
    tap_integration_tests::lint("reports", &json);
    let checked = tap_integration_tests::assert_matches_registry("reports", &template.0);
    assert!(checked > 10, "{checked} resources checked against the registry");
}

/// Resources outside the stack are typed as the kinds they stand for, down to the handles:
/// the builder publishes to the existing topic and reads the shared bucket through the
/// same `Topic<Publish>` and `Bucket<Read>` a resource of the stack would give it.
#[allow(dead_code)]
fn existing_resources_get_handles_typed_by_their_grants(h: stack::reports::builder::Handles) {
    let _: tap::aws::Topic<tap::aws::access::Publish> = h.alerts;
    let _: tap::aws::Bucket<tap::aws::access::Read> = h.templates;
}

#[test]
fn existing_resources_are_parameters_and_imports_never_literals() {
    let template = stack::reports().synth().unwrap_or_else(|f| panic!("{f}"));
    let t = &template.0;
    // The VPC id and subnets, and the topic ARN, are the deployment's to give.
    assert_eq!(t["Parameters"]["PlatformVpcId"]["Type"], "AWS::EC2::VPC::Id");
    assert_eq!(t["Parameters"]["PlatformPrivateSubnetIds"]["Type"], "List<AWS::EC2::Subnet::Id>");
    assert!(t["Parameters"]["AlertsTopicArn"]["AllowedPattern"].as_str().unwrap().starts_with("^arn:aws"));
    let builder = &t["Resources"]["Builder"]["Properties"];
    assert_eq!(builder["VpcConfig"]["SubnetIds"], serde_json::json!({ "Ref": "PlatformPrivateSubnetIds" }));
    assert_eq!(t["Resources"]["BuilderSg"]["Properties"]["VpcId"], serde_json::json!({ "Ref": "PlatformVpcId" }));
    // The shared bucket's name is another stack's export for this environment.
    let import =
        serde_json::json!({ "Fn::ImportValue": { "Fn::Sub": "shared-data-${EnvironmentSuffix}-TemplatesBucketName" } });
    assert_eq!(builder["Environment"]["Variables"]["TEMPLATES_BUCKET"], import);
    // Their grants are the kinds' levels, on ARNs derived from the identifiers.
    let statements =
        t["Resources"]["BuilderRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].as_array().unwrap();
    let publish = statements.iter().find(|s| s["Sid"] == "AlertsPublish").unwrap();
    assert_eq!(publish["Resource"], serde_json::json!([{ "Ref": "AlertsTopicArn" }]));
    let read = statements.iter().find(|s| s["Sid"] == "TemplatesRead").unwrap();
    assert_eq!(read["Action"], serde_json::json!(["s3:GetObject", "s3:ListBucket"]));
    assert_eq!(read["Resource"][1]["Fn::Join"][1].as_array().unwrap().last().unwrap(), "/*");
    // Nothing in the template names an account.
    assert!(!template.to_json().contains("123456789012"));
}

#[test]
fn the_state_machine_runs_the_builder_through_its_own_role() {
    let template = stack::reports().synth().unwrap_or_else(|f| panic!("{f}"));
    let r = &template.0["Resources"];
    let machine = r.as_object().unwrap().values().find(|v| v["Type"] == "AWS::StepFunctions::StateMachine").unwrap();
    assert_eq!(machine["Properties"]["RoleArn"], serde_json::json!({ "Fn::GetAtt": ["FlowRole", "Arn"] }));
    let role = &r["FlowRole"]["Properties"];
    assert_eq!(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "states.amazonaws.com");
    assert!(role.get("ManagedPolicyArns").is_none());
    let statement = &role["Policies"][0]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], serde_json::json!(["lambda:InvokeFunction"]));
    let arn = serde_json::json!({ "Fn::GetAtt": ["Builder", "Arn"] });
    assert_eq!(statement["Resource"], serde_json::json!([arn, { "Fn::Join": ["", [arn, ":*"]] }]));
}

/// What tap writes into raw CloudFormation that holds data, per lifecycle (protection,
/// backups, the deletion policy), is CloudFormation cfn-lint and the registry accept.
#[test]
fn raw_data_settings_written_for_each_lifecycle_pass_cfn_lint() {
    use tap::{Resource, Stack, Value};
    let s = |v: &str| Value::Str(v.to_owned());
    let stack = Stack::new("RawData")
        .with_lifecycles(["Ephemeral", "Durable"])
        .with_durable_suffixes(&["prod"])
        .with_resource(
            Resource::new("AWS::RDS::DBCluster", Some("aurora"))
                .with("DBClusterIdentifier", s("raw-aurora-{suffix}"))
                .with("Engine", s("aurora-postgresql"))
                .with("EngineVersion", s("17.4"))
                .with("MasterUsername", s("postgres"))
                .with("ManageMasterUserPassword", Value::Bool(true))
                .with("StorageEncrypted", Value::Bool(true)),
        )
        .with_resource(
            Resource::new("AWS::DynamoDB::GlobalTable", Some("ledger"))
                .with("TableName", s("raw-ledger-{suffix}"))
                .with("BillingMode", s("PAY_PER_REQUEST"))
                .with(
                    "AttributeDefinitions",
                    Value::List(vec![Value::map(vec![("AttributeName", s("id")), ("AttributeType", s("S"))])]),
                )
                .with(
                    "KeySchema",
                    Value::List(vec![Value::map(vec![("AttributeName", s("id")), ("KeyType", s("HASH"))])]),
                )
                .with("SSESpecification", Value::map(vec![("SSEEnabled", Value::Bool(true))]))
                .with("Replicas", Value::List(vec![Value::map(vec![("Region", s("us-east-1"))])])),
        )
        .with_resource(Resource::new("AWS::EFS::FileSystem", Some("files")).with("Encrypted", Value::Bool(true)));
    for (lifecycle, template, _) in stack.synth_all().unwrap_or_else(|f| panic!("{f}")) {
        let durable = lifecycle == tap::Lifecycle::Durable;
        let replica = &template.0["Resources"]["Ledger"]["Properties"]["Replicas"][0];
        assert_eq!(replica["DeletionProtectionEnabled"], durable, "{lifecycle:?}");
        assert_eq!(replica["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"], durable, "{lifecycle:?}");
        assert_eq!(template.0["Resources"]["Aurora"]["Properties"]["DeletionProtection"], durable);
        assert_eq!(
            template.0["Resources"]["Files"]["Properties"]["BackupPolicy"]["Status"],
            if durable { "ENABLED" } else { "DISABLED" }
        );
        tap_integration_tests::lint(&format!("raw-data-{lifecycle:?}"), &template.to_json());
        let checked = tap_integration_tests::assert_matches_registry("raw data", &template.0);
        assert!(checked >= 3, "{checked} resources checked against the registry");
    }
}
