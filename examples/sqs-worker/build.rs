//! Writes the stack's template on every `cargo build`: `<target dir>/tap/SqsWorker/ephemeral/template.json`, with its delete plan.

#[path = "src/stack.rs"]
mod stack;

fn main() {
    tap::build::emit(stack::sqs_worker(), &["src/stack.rs"]);
}
