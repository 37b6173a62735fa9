// A helper that reads any secret handle, whatever its grant: the access type is a
// parameter, so nothing says it allows reading. Bound it by the capability
// (`where A: tap::aws::secret::ReadValue`), or take the handle the stack generated.
use tap::aws::access::Access;

async fn password<A: Access>(secret: &tap::aws::Secret<A>) -> Option<String> {
    let value = secret.get_secret_value().send().await.ok()?;
    value.secret_string().map(str::to_owned)
}

fn main() {
    let _ = password::<tap::aws::access::Read>;
}
