// The product-catalog stack of tap-stack/src/stack.rs, written in AWS CDK (JavaScript, so
// no TypeScript compile is counted against CDK), checked with cdk-nag's AwsSolutions pack.
// `cargo bench --bench diagnostic` runs `node product-catalog.js` as a CDK user runs
// `cdk synth`: the whole process, from a one-line edit to the rule report.
//
// Usage: node product-catalog.js. Prints the rules cdk-nag reports as errors on stderr
// and, on stdout, whether AwsSolutions-S10 is among them: the benchmark's one-line mistake
// is the archive bucket's `enforceSSL: true` turned to `false`.
const cdk = require("aws-cdk-lib");
const { Duration, RemovalPolicy, Validations } = cdk;
const ec2 = require("aws-cdk-lib/aws-ec2");
const kinesis = require("aws-cdk-lib/aws-kinesis");
const s3 = require("aws-cdk-lib/aws-s3");
const sm = require("aws-cdk-lib/aws-secretsmanager");
const rds = require("aws-cdk-lib/aws-rds");
const elasticache = require("aws-cdk-lib/aws-elasticache");
const sqs = require("aws-cdk-lib/aws-sqs");
const lambda = require("aws-cdk-lib/aws-lambda");
const sources = require("aws-cdk-lib/aws-lambda-event-sources");
const logs = require("aws-cdk-lib/aws-logs");
const cw = require("aws-cdk-lib/aws-cloudwatch");
const { AwsSolutionsChecks } = require("cdk-nag");
const path = require("path");
const fs = require("fs");
const os = require("os");

const suffix = "pr42";
const account = "123456789012";
const region = "us-east-1";
// The AZ lookup is seeded so that synth needs no AWS account (as `cdk.context.json` does).
const app = new cdk.App({
  outdir: fs.mkdtempSync(path.join(os.tmpdir(), "cdk-out-")),
  context: { [`availability-zones:account=${account}:region=${region}`]: [`${region}a`, `${region}b`] },
});
const stack = new cdk.Stack(app, `ProductCatalog-${suffix}`, { env: { account, region } });

const vpc = new ec2.Vpc(stack, "Vpc", { vpcName: `product-catalog-${suffix}`, maxAzs: 2, natGateways: 1 });
const stream = new kinesis.Stream(stack, "InventoryStream", {
  streamName: `inventory-updates-${suffix}`, shardCount: 2, encryption: kinesis.StreamEncryption.KMS,
  removalPolicy: RemovalPolicy.DESTROY,
});
const bucket = new s3.Bucket(stack, "ArchiveBucket", {
  bucketName: `product-inventory-archive-${suffix}`,
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  lifecycleRules: [{
    transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }],
    expiration: Duration.days(1095),
  }],
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const secret = new sm.Secret(stack, "DbSecret", {
  secretName: `product-catalog-db-credentials-${suffix}`,
  generateSecretString: {
    secretStringTemplate: JSON.stringify({ username: "postgres" }),
    generateStringKey: "password", excludePunctuation: true,
  },
  removalPolicy: RemovalPolicy.DESTROY,
});
const sg = (id, name, description) =>
  new ec2.SecurityGroup(stack, id, { vpc, securityGroupName: `${name}-${suffix}`, description });
const processorSg = sg("ProcessorSg", "inventory-processor", "Inventory processor Lambda");
const dbSg = sg("DbSg", "product-catalog-db", "Product catalog database");
const cacheSg = sg("CacheSg", "product-catalog-cache", "Redis cache");
const endpointSg = sg("EndpointSg", "product-catalog-endpoints", "Interface VPC endpoints");
dbSg.addIngressRule(processorSg, ec2.Port.tcp(5432));
cacheSg.addIngressRule(processorSg, ec2.Port.tcp(6379));
endpointSg.addIngressRule(processorSg, ec2.Port.tcp(443));
vpc.addGatewayEndpoint("S3Endpoint", { service: ec2.GatewayVpcEndpointAwsService.S3 });
vpc.addInterfaceEndpoint("SecretsEndpoint", {
  service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, securityGroups: [endpointSg],
});
const database = new rds.DatabaseInstance(stack, "Database", {
  instanceIdentifier: `product-catalog-${suffix}`,
  engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of("17.7", "17") }),
  instanceType: new ec2.InstanceType("t3.medium"),
  allocatedStorage: 20, databaseName: "productcatalog",
  vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  securityGroups: [dbSg], credentials: rds.Credentials.fromSecret(secret),
  storageEncrypted: true, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false,
});
const cacheSubnets = new elasticache.CfnSubnetGroup(stack, "CacheSubnets", {
  description: "product catalog cache", cacheSubnetGroupName: `product-catalog-${suffix}`,
  subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
});
const cache = new elasticache.CfnReplicationGroup(stack, "Cache", {
  replicationGroupId: `product-catalog-${suffix}`, replicationGroupDescription: "product catalog cache",
  engine: "redis", engineVersion: "7.1", cacheNodeType: "cache.t3.micro", numCacheClusters: 1,
  cacheSubnetGroupName: cacheSubnets.ref, securityGroupIds: [cacheSg.securityGroupId],
  atRestEncryptionEnabled: true, transitEncryptionEnabled: true, snapshotRetentionLimit: 0,
});
const queue = (id, name) => new sqs.Queue(stack, id, {
  queueName: `${name}-${suffix}`, encryption: sqs.QueueEncryption.SQS_MANAGED,
  retentionPeriod: Duration.days(14), enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY,
});
const failures = queue("FailureQueue", "inventory-failures");
const quarantine = queue("QuarantineQueue", "inventory-quarantine");
const code = fs.mkdtempSync(path.join(os.tmpdir(), "cdk-code-"));
fs.writeFileSync(path.join(code, "bootstrap"), "#!/bin/sh\n");
const processor = new lambda.Function(stack, "Processor", {
  functionName: `inventory-processor-${suffix}`, runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: "bootstrap", code: lambda.Code.fromAsset(code), memorySize: 512,
  timeout: Duration.seconds(60), vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  securityGroups: [processorSg],
  environment: {
    DB_SECRET_ARN: secret.secretArn, DB_ENDPOINT: database.dbInstanceEndpointAddress,
    DB_PORT: database.dbInstanceEndpointPort, DB_NAME: "productcatalog",
    REDIS_ENDPOINT: cache.attrPrimaryEndPointAddress, REDIS_PORT: cache.attrPrimaryEndPointPort,
    ARCHIVE_BUCKET: bucket.bucketName, QUARANTINE_QUEUE_URL: quarantine.queueUrl,
  },
});
secret.grantRead(processor);
bucket.grantWrite(processor);
quarantine.grantSendMessages(processor);
failures.grantSendMessages(processor);
new logs.LogGroup(stack, "ProcessorLogs", {
  logGroupName: `/aws/lambda/inventory-processor-${suffix}`, retention: logs.RetentionDays.TWO_WEEKS,
  removalPolicy: RemovalPolicy.DESTROY,
});
processor.addEventSource(new sources.KinesisEventSource(stream, {
  batchSize: 100, startingPosition: lambda.StartingPosition.TRIM_HORIZON, retryAttempts: 3,
  bisectBatchOnError: true, maxRecordAge: Duration.seconds(3600),
  onFailure: new sources.SqsDlq(failures), reportBatchItemFailures: true,
}));
const alarm = (id, name, metric, threshold) =>
  new cw.Alarm(stack, id, { alarmName: `${name}-${suffix}`, metric, threshold, evaluationPeriods: 1 });
alarm("ErrorsAlarm", "inventory-processor-errors", processor.metricErrors(), 1);
alarm("IteratorAgeAlarm", "inventory-processor-iterator-age",
  processor.metric("IteratorAge", { statistic: "Maximum" }), 60000);
alarm("FailuresAlarm", "inventory-failures-depth", failures.metricApproximateNumberOfMessagesVisible(), 1);
const out = (name, value) => new cdk.CfnOutput(stack, name, { value });
out("InventoryStreamName", stream.streamName);
out("ArchiveBucketName", bucket.bucketName);
out("DbSecretArn", secret.secretArn);
out("DatabaseEndpoint", database.dbInstanceEndpointAddress);
out("RedisEndpoint", cache.attrPrimaryEndPointAddress);
out("FailureQueueUrl", failures.queueUrl);
out("QuarantineQueueUrl", quarantine.queueUrl);
out("ProcessorFunctionName", processor.functionName);

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
// cdk-nag reports through CDK's validation plugins: synth prints every violation, writes
// validation-report.json and throws when any is an error (the seed's own stack has some
// cdk-nag flags by design, e.g. IAM5 on CDK's `s3:Abort*` grant, so a clean run throws too).
let failed = false;
try {
  app.synth();
} catch (e) {
  failed = true;
}
const report = path.join(app.outdir, "validation-report.json");
const rules = new Set();
if (fs.existsSync(report)) {
  for (const plugin of JSON.parse(fs.readFileSync(report, "utf8")).pluginReports) {
    for (const v of plugin.violations) if (v.severity === "error") rules.add(v.ruleName);
  }
}
console.error(`cdk: failed=${failed} error-rules=${[...rules].sort().join(",")}`);
console.log(rules.has("AwsSolutions-S10") ? "AwsSolutions-S10" : "no S10");
