// `data::` names a stack and then nothing: a reference to another stack's resource is
// `stack::binding`, with a member after a dot where one is needed.
#[tap::app]
pub mod shop {
    #[stack(name = "ShopService")]
    pub fn service() {
        resource!(Output { name: "OrdersTable", value: data::.name });
    }
}

fn main() {}
