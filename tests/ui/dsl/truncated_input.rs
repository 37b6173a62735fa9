// Input cut short (an argument without its value, a resource without its body) is
// reported on the last token written, never at the `#[stack]` line or as a panic.
// The fuzz test (tap-macros/src/fuzz.rs) feeds thousands of such inputs to the macro.
use tap::prelude::*;

#[stack(name)]
pub fn orders() {
    let orders = resource!(Queue);
}

fn main() {}
