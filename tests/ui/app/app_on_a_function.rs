// `#[tap::app]` declares several stacks together, so it goes on a module that holds them,
// not on one stack's function.
#[tap::app]
pub fn data() {}

fn main() {}
