// A grant names an access level; the whole resource is not a permission.
use tap::prelude::*;

#[stack(name = "ProductCatalog")]
pub fn product_catalog() {
    let db_secret = resource!(Secret { name: "product-catalog-db-credentials-{suffix}", username: "postgres" });
    let processor = resource!(Function {
        name: "inventory-processor-{suffix}",
        code: Dir("../fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { DB_SECRET_ARN: db_secret.arn },
        grants: [db_secret],
    });
}

fn main() {}
