//! `EventSource`: a Kinesis stream or an SQS queue feeding a function, with the failure
//! handling that keeps a poison record from blocking a shard or vanishing.

use super::function::Function;
use super::prelude::*;
use super::queue::{self, Queue};
use super::stream::{self, Stream};

words! {
    pub enum StartingPosition { TrimHorizon, Latest }
}

props! {
    pub struct EventSource {
        stream: opt Ref<Stream>,
        queue: opt Ref<Queue>,
        target: req Ref<Function>,
        /// Default 100 for a stream, 10 for a queue.
        batch_size: opt Int<1, 10000>,
        /// Default 0.
        batching_window_seconds: opt Int<0, 300>,
        /// Default 1.
        parallelization: opt Int<1, 10>,
        starting_position: opt StartingPosition,
        retries: opt Int<-1, 10000>,
        bisect_on_error: opt bool,
        max_record_age_seconds: opt Int<-1, 604800>,
        on_failure: opt Ref<Queue>,
        report_batch_item_failures: opt bool,
    }
}

pub const SPEC: Spec = Spec {
    cfn_type: Some("AWS::Lambda::EventSourceMapping"),
    ..Spec::new("EventSource", "event source", "A stream or queue feeding a function, with its failure handling.", <EventSource as super::decode::Decode>::PROPS)
};

impl EventSource {
    /// The binding of the source, stream or queue (one of them, once validated).
    pub fn source_name(&self) -> &str {
        match (&self.stream, &self.queue) {
            (Some(s), _) => &s.name,
            (None, Some(q)) => &q.name,
            (None, None) => "",
        }
    }
}


impl Hooks for EventSource {
    fn validate(&self, i: usize, _stack: &Checked, out: &mut Vec<Finding>) {
        if self.stream.is_some() == self.queue.is_some() {
            out.push(Finding::dsl(
                if self.stream.is_some() { Dsl::WrongType } else { Dsl::Missing },
                Loc::resource(i),
                "an event source reads one source: a `stream` or a `queue`",
                "write either `stream: <stream>` or `queue: <queue>`",
            ));
        }
    }

    /// Lambda reads the source and sends failures with the function's role.
    fn uses(&self, i: usize, _stack: &Checked, out: &mut Vec<Use>) {
        let function = self.target.index;
        if let Some(s) = &self.stream {
            out.push(Use { function, target: s.index, via: Via::EventSource, loc: s.loc.clone(), levels: vec![&stream::READ], service: None });
        }
        if let Some(q) = &self.queue {
            out.push(Use { function, target: q.index, via: Via::EventSource, loc: q.loc.clone(), levels: vec![&queue::CONSUME], service: None });
        }
        if let Some(q) = &self.on_failure {
            out.push(Use { function, target: q.index, via: Via::OnFailure, loc: q.loc.clone(), levels: vec![&queue::SEND], service: None });
        }
        let _ = i;
    }

    fn base_id(&self, _stack: &Checked) -> Option<String> {
        Some(format!("{}From{}", pascal(&self.target.name), pascal(self.source_name())))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let function = cx.lid_of(&self.target);
        let batching_window = self.batching_window_seconds.as_deref().map_or(0, |w| w.get());
        if let Some(queue) = &self.queue {
            // SQS: retries, age and dead letters belong to the queue's redrive policy.
            let mut props = json!({
                "EventSourceArn": get_att(&cx.lid_of(queue), "Arn"),
                "FunctionName": r#ref(&function),
                "BatchSize": self.batch_size.as_deref().map_or(10, |b| b.get()),
                "MaximumBatchingWindowInSeconds": batching_window,
            });
            if on(&self.report_batch_item_failures) {
                props["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
            }
            cx.out.add(&l, "AWS::Lambda::EventSourceMapping", props);
            return;
        }
        let Some(stream) = &self.stream else { return };
        let start = match self.starting_position.as_deref() {
            Some(StartingPosition::Latest) => "LATEST",
            Some(StartingPosition::TrimHorizon) | None => "TRIM_HORIZON",
        };
        let mut props = json!({
            "EventSourceArn": get_att(&cx.lid_of(stream), "Arn"),
            "FunctionName": r#ref(&function),
            "StartingPosition": start,
            "BatchSize": self.batch_size.as_deref().map_or(100, |b| b.get()),
            "MaximumBatchingWindowInSeconds": batching_window,
            "ParallelizationFactor": self.parallelization.as_deref().map_or(1, |p| p.get()),
            "BisectBatchOnFunctionError": on(&self.bisect_on_error),
        });
        if let Some(n) = &self.retries {
            props["MaximumRetryAttempts"] = json!(n.get());
        }
        if let Some(n) = &self.max_record_age_seconds {
            props["MaximumRecordAgeInSeconds"] = json!(n.get());
        }
        if let Some(q) = &self.on_failure {
            props["DestinationConfig"] = json!({ "OnFailure": { "Destination": get_att(&cx.lid_of(q), "Arn") } });
        }
        if on(&self.report_batch_item_failures) {
            props["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
        }
        cx.out.add(&l, "AWS::Lambda::EventSourceMapping", props);
    }
}
