// A secret that says neither what it generates (`username`) nor who provides its value
// after deploy (`provided`): deployed, it would hold whatever CloudFormation made up, and
// nobody would know to set it.
use tap::prelude::*;

#[stack(name = "Webhooks")]
pub fn webhooks() {
    let signing_key = resource!(Secret { name: "webhook-signing-key-{suffix}", removal: Destroy });
    resource!(Output { name: "SigningKeyArn", value: signing_key.arn });
}

fn main() {}
