//! `Alarm`: a CloudWatch alarm on a function's or a queue's metric.

use super::prelude::*;
use crate::model::Interpolated;

words! {
    pub enum Metric { Errors, Throttles, IteratorAge, QueueDepth, OldestMessageAge }
}

impl Metric {
    /// The kind it watches, CloudWatch namespace, metric name and statistic.
    pub fn cloudwatch(self) -> (Kind, &'static str, &'static str, &'static str) {
        match self {
            Metric::Errors => (Kind::Function, "AWS/Lambda", "Errors", "Sum"),
            Metric::Throttles => (Kind::Function, "AWS/Lambda", "Throttles", "Sum"),
            Metric::IteratorAge => (Kind::Function, "AWS/Lambda", "IteratorAge", "Maximum"),
            Metric::QueueDepth => (Kind::Queue, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum"),
            Metric::OldestMessageAge => (Kind::Queue, "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum"),
        }
    }
    pub fn watches(self) -> Kind {
        self.cloudwatch().0
    }
}

/// What an alarm may watch.
pub struct Watched;
impl Targets for Watched {
    const KINDS: &'static [Kind] = &[Kind::Function, Kind::Queue];
}

props! {
    pub struct Alarm {
        name: opt Name,
        on: req Ref<Watched>,
        metric: req Metric,
        threshold: req Int<0, { i64::MAX }>,
        /// Evaluation periods; default 1.
        periods: opt Int<1, 100>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("arn", AttrExpr::GetAtt("Arn"))],
    naming: Some(Naming { min: 1, max: 255, extra: "-_./ ", lowercase: false, letter_first: false }),
    cfn_type: Some("AWS::CloudWatch::Alarm"),
    ..Spec::new("Alarm", "alarm", "A CloudWatch alarm on a function's or a queue's metric.", <Alarm as super::decode::Decode>::PROPS)
};

impl Alarm {
    /// Watches `metric` of resource `target`.
    pub fn watches(&self, target: usize, metric: Metric) -> bool {
        self.on.index == target && *self.metric == metric
    }
}

impl Hooks for Alarm {

    fn validate(&self, _i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let watched = stack.node(self.on.index).kind;
        if self.metric.watches() != watched {
            out.push(Finding::dsl(
                Dsl::WrongKind,
                self.metric.loc.clone(),
                format!(
                    "metric `{}` watches a {}, but `{}` is a {}",
                    self.metric.word(),
                    self.metric.watches().spec().noun,
                    self.on.name,
                    watched.spec().noun
                ),
                format!("use one of: {}", Metric::ALL.iter().filter(|m| m.watches() == watched).map(|m| m.word()).collect::<Vec<_>>().join(", ")),
            ));
        }
    }

    fn base_id(&self, _stack: &Checked) -> Option<String> {
        Some(format!("{}Alarm", pascal(&Interpolated::parse(written(&self.name)).with_suffix(""))))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let (kind, namespace, metric_name, statistic) = self.metric.cloudwatch();
        let target = cx.lid_of(&self.on);
        let dimension = match kind {
            Kind::Queue => json!({ "Name": "QueueName", "Value": get_att(&target, "QueueName") }),
            _ => json!({ "Name": "FunctionName", "Value": r#ref(&target) }),
        };
        let threshold = self.threshold.get();
        cx.out.add(
            &l,
            "AWS::CloudWatch::Alarm",
            json!({
                "AlarmName": sub(written(&self.name)),
                "AlarmDescription": format!("{} of {} at or above {threshold}", self.metric.word(), self.on.name),
                "Namespace": namespace,
                "MetricName": metric_name,
                "Dimensions": [dimension],
                "Statistic": statistic,
                "Period": 60,
                "EvaluationPeriods": self.periods.as_deref().map_or(1, |p| p.get()),
                "Threshold": threshold,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "TreatMissingData": "notBreaching",
            }),
        );
    }
}
