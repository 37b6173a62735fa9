// Seed mistake 12: `psycopg2.connect(host='localhost', ...)`: connection details written
// into the handler. Endpoints are built only from values the stack binds.
use tap::bindings::Endpoint;

fn main() {
    let db = Endpoint::new(&String::from("localhost"), &5432u16);
    println!("{}", db.host());
}
