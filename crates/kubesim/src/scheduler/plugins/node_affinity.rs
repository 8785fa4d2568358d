//! NodeAffinity: `spec.nodeSelector` and `affinity.nodeAffinity`. The filter keeps only nodes whose
//! labels match the nodeSelector and at least one required term; the score sums the weights of
//! the preferred terms a node matches (pkg/scheduler/framework/plugins/nodeaffinity and
//! component-helpers/scheduling/corev1/nodeaffinity).

use k8s_openapi::api::core::v1::{Node, NodeSelectorRequirement, NodeSelectorTerm, Pod};

use crate::scheduler::framework::{
    default_normalize, CycleState, FilterPlugin, FilterResult, NodeInfo, Rejection, ScorePlugin,
};

pub const ERR_REASON: &str = "node(s) didn't match Pod's node affinity/selector";

pub struct NodeAffinity;

/// One requirement against the node's labels. `Gt`/`Lt` compare integers; a value that does not
/// parse never matches.
fn label_requirement_matches(req: &NodeSelectorRequirement, node: &Node) -> bool {
    let labels = node.metadata.labels.as_ref();
    let value = labels.and_then(|l| l.get(&req.key));
    let values = req.values.as_deref().unwrap_or(&[]);
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.contains(v)),
        "NotIn" => !value.is_some_and(|v| values.contains(v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        op @ ("Gt" | "Lt") => {
            let (Some(v), [bound]) = (value, values) else {
                return false;
            };
            match (v.parse::<i64>(), bound.parse::<i64>()) {
                (Ok(v), Ok(b)) => (op == "Gt" && v > b) || (op == "Lt" && v < b),
                _ => false,
            }
        }
        _ => false,
    }
}

/// `matchFields` supports only `metadata.name` with In/NotIn.
fn field_requirement_matches(req: &NodeSelectorRequirement, node: &Node) -> bool {
    if req.key != "metadata.name" {
        return false;
    }
    let name = node.metadata.name.as_deref().unwrap_or("");
    let values = req.values.as_deref().unwrap_or(&[]);
    match req.operator.as_str() {
        "In" => values.iter().any(|v| v == name),
        "NotIn" => !values.iter().any(|v| v == name),
        _ => false,
    }
}

/// A term matches when every expression and field requirement does; an empty term matches
/// nothing.
pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs.iter().all(|r| label_requirement_matches(r, node))
        && fields.iter().all(|r| field_requirement_matches(r, node))
}

/// Whether the pod's nodeSelector and required node affinity both accept `node`
/// (GetRequiredNodeAffinity(pod).Match).
pub fn required_matches(pod: &Pod, node: &Node) -> bool {
    let Some(spec) = &pod.spec else {
        return true;
    };
    let labels = node.metadata.labels.as_ref();
    let selector_ok = spec.node_selector.as_ref().is_none_or(|sel| crate::selector::set_matches(sel, labels));
    if !selector_ok {
        return false;
    }
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_ref());
    match required {
        // Terms are ORed.
        Some(sel) => sel.node_selector_terms.iter().any(|t| term_matches(t, node)),
        None => true,
    }
}

impl FilterPlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }
    fn filter(&self, pod: &Pod, node: &NodeInfo, _: &CycleState) -> FilterResult {
        if required_matches(pod, &node.node) {
            Ok(())
        } else {
            Err(Rejection::unresolvable(ERR_REASON))
        }
    }
}

impl ScorePlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }
    fn weight(&self) -> i64 {
        2
    }
    /// The sum of the weights of the preferred terms the node matches.
    fn score(&self, pod: &Pod, node: &NodeInfo, _: &CycleState) -> i64 {
        pod.spec
            .as_ref()
            .and_then(|s| s.affinity.as_ref())
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| na.preferred_during_scheduling_ignored_during_execution.as_ref())
            .into_iter()
            .flatten()
            .filter(|p| p.weight != 0 && term_matches(&p.preference, &node.node))
            .map(|p| i64::from(p.weight))
            .sum()
    }
    fn normalize(&self, scores: &mut [i64]) {
        default_normalize(scores, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    #[test]
    fn operators() {
        let n = node("w1", &[("disktype", "ssd"), ("cores", "8")]);
        assert!(label_requirement_matches(&req("disktype", "In", &["ssd", "nvme"]), &n));
        assert!(!label_requirement_matches(&req("disktype", "NotIn", &["ssd"]), &n));
        assert!(label_requirement_matches(&req("zone", "NotIn", &["a"]), &n)); // absent key
        assert!(label_requirement_matches(&req("disktype", "Exists", &[]), &n));
        assert!(label_requirement_matches(&req("zone", "DoesNotExist", &[]), &n));
        assert!(label_requirement_matches(&req("cores", "Gt", &["4"]), &n));
        assert!(!label_requirement_matches(&req("cores", "Lt", &["4"]), &n));
        assert!(!label_requirement_matches(&req("disktype", "Gt", &["4"]), &n)); // not a number
        assert!(field_requirement_matches(&req("metadata.name", "In", &["w1"]), &n));
        assert!(!term_matches(&NodeSelectorTerm::default(), &n)); // empty term matches nothing
    }
}
