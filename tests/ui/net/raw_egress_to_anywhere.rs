// A raw egress rule to 0.0.0.0/0: the database's group may send anywhere, so a compromised
// database can ship its data out. tap writes egress from the declared ingress rules.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let vpc = resource!(Vpc { name: "product-catalog-{suffix}", max_azs: 2, nat_gateways: 1 });
    let db_security_group = resource!(SecurityGroup { name: "product-catalog-db-{suffix}", vpc: vpc, description: "Product catalog database" });
    resource!(AWS::EC2::SecurityGroupEgress {
        GroupId: db_security_group.id,
        IpProtocol: "-1",
        CidrIp: "0.0.0.0/0",
    });
}

fn main() {}
