// A raw route whose path parameter has the name of a binding of the stack. In a raw string
// `{name}` is that resource's id, so the route would be `POST /webhooks/<the queue's URL>`:
// renaming a binding changed a route without a word. The path parameter is written
// `{{source}}`.
use tap::prelude::*;

#[stack(name = "Webhooks")]
pub fn webhooks() {
    let source = resource!(Queue { name: "webhook-sources-{suffix}", encryption: SqsManaged, removal: Destroy });
    let api = resource!(Api { name: "webhooks-{suffix}", auth: Iam, routes: {} });
    resource!(AWS::ApiGatewayV2::Route {
        ApiId: api,
        RouteKey: "POST /webhooks/{source}",
        AuthorizationType: "AWS_IAM",
    });
    resource!(Output { name: "WebhooksUrl", value: api.url });
    resource!(Output { name: "SourcesQueueUrl", value: source.url });
}

fn main() {}
