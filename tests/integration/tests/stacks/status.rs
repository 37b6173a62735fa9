// A public status page: a bucket whose `status/*` objects anyone may read, written with the
// acknowledgement that makes the opening intended (TAP-PUBLIC-001, with its reason), and a
// function that publishes the page, and a function URL a paging provider calls, open to
// anyone on purpose (TAP-PUBLIC-001/002 acknowledged on the raw resources). Included by the tests that snapshot, lint and scan its
// template and read the acknowledgement back from it.

use tap::prelude::*;

#[stack(name = "Status")]
pub fn status() {
    #[tap::expect(
        "TAP-PUBLIC-001",
        at = "public_read",
        reason = "customers read the status page during an outage, when they cannot sign in to anything"
    )]
    let page = resource!(Bucket {
        name: "status-page-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        public_read: "status/*",
        enforce_tls: true,
        expire_after_days: 30,
    });
    let publisher = resource!(Function {
        name: "status-publisher-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { STATUS_BUCKET: page.name },
        grants: [page.write],
    });
    resource!(LogGroup { function: publisher, retention_days: 14, removal: Destroy });

    // Incidents reported by the paging provider, whose webhook cannot sign AWS requests: a
    // function URL open to anyone, written raw, and acknowledged as such on both resources.
    let incidents = resource!(Function {
        name: "status-incidents-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { STATUS_BUCKET: page.name },
        grants: [page.write],
    });
    resource!(LogGroup { function: incidents, retention_days: 14, removal: Destroy });
    #[tap::expect(
        "TAP-PUBLIC-002",
        reason = "the paging provider cannot sign AWS requests; the function checks its HMAC signature on every call"
    )]
    let incidents_url = resource!(AWS::Lambda::Url { TargetFunctionArn: incidents.arn, AuthType: "NONE" });
    #[tap::expect(
        "TAP-PUBLIC-001",
        reason = "the paging provider's webhook calls the URL from outside AWS; the signature check is the gate"
    )]
    #[tap::expect(
        "TAP-PUBLIC-002",
        reason = "the paging provider cannot sign AWS requests; the function checks its HMAC signature on every call"
    )]
    resource!(AWS::Lambda::Permission {
        Action: "lambda:InvokeFunctionUrl",
        FunctionName: incidents.arn,
        Principal: "*",
        FunctionUrlAuthType: "NONE",
    });
    resource!(Output { name: "IncidentsUrl", value: incidents_url.FunctionUrl });
    resource!(Output { name: "StatusBucket", value: page.name });
}
