// A service built mostly from CloudFormation types tap has no kind for, written as raw
// resources and checked against their registry schemas: a nightly EventBridge rule (raw,
// with its Lambda permission) and an HTTP API (tap's `Api`, which writes its own) both
// invoke one function; the
// function keeps reports in a table (tap's kind) and announces each on its own event bus
// (raw, so its grant is a `Raw` one naming the bus). A Step Functions state machine (raw)
// runs the builder through a `Role` whose only grant is invoking it. The rule invokes the
// builder asynchronously, so the builder states its retries and where a failed event goes
// (TAP-ASYNC-001 reads the raw rule and permission as it reads a `Schedule`). Three resources live
// outside the stack: the platform team's VPC the builder runs in, the alerts topic it
// publishes to (both given as parameters at deployment) and a shared bucket it reads
// templates from (another stack's export). Included by the tests that snapshot, lint and
// inspect its template.

use tap::prelude::*;

#[stack(name = "Reports")]
pub fn reports() {
    let reports = resource!(Table {
        name: "reports-{suffix}",
        partition_key: "report_id",
        encryption: Kms,
        point_in_time_recovery: false,
        deletion_protection: false,
        removal: Destroy,
    });

    let bus = resource!(AWS::Events::EventBus { Name: "reports-{suffix}" });

    let platform_vpc = resource!(Existing {
        kind: Vpc,
        from: Parameter("PlatformVpcId"),
        subnets: Parameter("PlatformPrivateSubnetIds"),
    });
    let alerts = resource!(Existing { kind: Topic, from: Parameter("AlertsTopicArn") });
    let templates = resource!(Existing { kind: Bucket, from: Import("shared-data-{suffix}-TemplatesBucketName") });

    let builder_sg =
        resource!(SecurityGroup { name: "report-builder-{suffix}", vpc: platform_vpc, description: "report builder" });

    let failed_reports = resource!(Queue { name: "reports-failed-{suffix}", encryption: SqsManaged, removal: Destroy });

    let builder = resource!(Function {
        name: "report-builder-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        timeout_seconds: 30,
        vpc: platform_vpc,
        security_group: builder_sg,
        egress_via_nat: [DynamoDb, Sns, S3],
        env: {
            REPORTS_TABLE: reports.name,
            REPORTS_BUS_ARN: bus.Arn,
            ALERTS_TOPIC_ARN: alerts.arn,
            TEMPLATES_BUCKET: templates.name,
        },
        grants: [reports.read_write, Raw(["events:PutEvents"], [bus.Arn]), alerts.publish, templates.read, failed_reports.send],
        async_retries: 2,
        async_max_age_seconds: 3600,
        async_on_failure: failed_reports,
    });

    // The function and its versions and aliases (`<arn>:*`), as a task may name either.
    let flow_role = resource!(Role {
        assumed_by: States,
        grants: [Raw(["lambda:InvokeFunction"], [builder.arn, Under(builder.arn, ":*")])],
    });

    resource!(AWS::StepFunctions::StateMachine {
        StateMachineName: "reports-flow-{suffix}",
        RoleArn: flow_role.arn,
        Definition: {
            Comment: "builds a report, retrying a failed build twice",
            StartAt: "Build",
            States: {
                Build: {
                    Type: "Task",
                    Resource: "${BuilderArn}",
                    Retry: [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 2 }],
                    End: true,
                },
            },
        },
        DefinitionSubstitutions: { BuilderArn: builder.arn },
    });

    let nightly = resource!(AWS::Events::Rule {
        Name: "reports-nightly-{suffix}",
        ScheduleExpression: "cron(0 3 * * ? *)",
        State: "ENABLED",
        Targets: [{ Arn: builder.arn, Id: "builder" }],
    });

    resource!(AWS::Lambda::Permission {
        Action: "lambda:InvokeFunction",
        FunctionName: builder.name,
        Principal: "events.amazonaws.com",
        SourceArn: nightly.Arn,
    });

    let api = resource!(Api {
        name: "reports-{suffix}",
        auth: Iam,
        routes: { "GET /reports/{id}": builder },
    });

    resource!(LogGroup { function: builder, retention_days: 14, removal: Destroy });
    resource!(Alarm { name: "report-builder-errors-{suffix}", on: builder, metric: Errors, threshold: 1 });
    resource!(Alarm { name: "reports-failed-depth-{suffix}", on: failed_reports, metric: QueueDepth, threshold: 1 });
    resource!(Output { name: "ReportsTableName", value: reports.name });
    resource!(Output { name: "FailedReportsQueueUrl", value: failed_reports.url });
    resource!(Output { name: "ReportsApiEndpoint", value: api.url });
    resource!(Output { name: "BuilderFunctionName", value: builder.name });
}
