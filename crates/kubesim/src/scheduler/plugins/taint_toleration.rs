//! TaintToleration: a node's NoSchedule/NoExecute taints keep out pods that do not tolerate them;
//! PreferNoSchedule taints only lower the score.

use k8s_openapi::api::core::v1::{Pod, Taint, Toleration};

use crate::scheduler::framework::{
    default_normalize, CycleState, FilterPlugin, FilterResult, NodeInfo, Rejection, ScorePlugin,
};

pub struct TaintToleration;

/// Whether `t` tolerates `taint` (k8s.io/api/core/v1 Toleration.ToleratesTaint).
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect = t.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" | "" => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        _ => false,
    }
}

fn taints(node: &NodeInfo) -> &[Taint] {
    node.node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or(&[])
}

fn tolerations(pod: &Pod) -> &[Toleration] {
    pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[])
}

impl FilterPlugin for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }
    fn filter(&self, pod: &Pod, node: &NodeInfo, _: &CycleState) -> FilterResult {
        let tols = tolerations(pod);
        let untolerated = taints(node)
            .iter()
            .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .find(|taint| !tols.iter().any(|t| tolerates(t, taint)));
        match untolerated {
            None => Ok(()),
            Some(taint) => Err(Rejection::unresolvable(&format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            ))),
        }
    }
}

impl ScorePlugin for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }
    fn weight(&self) -> i64 {
        3
    }
    /// Raw score: the number of PreferNoSchedule taints the pod does not tolerate (fewer is better).
    fn score(&self, pod: &Pod, node: &NodeInfo, _: &CycleState) -> i64 {
        let tols: Vec<&Toleration> = tolerations(pod)
            .iter()
            .filter(|t| matches!(t.effect.as_deref(), None | Some("") | Some("PreferNoSchedule")))
            .collect();
        taints(node)
            .iter()
            .filter(|t| t.effect == "PreferNoSchedule")
            .filter(|taint| !tols.iter().any(|t| tolerates(t, taint)))
            .count() as i64
    }
    /// DefaultNormalizeScore with reverse = true: the node with the most intolerable taints gets 0.
    fn normalize(&self, scores: &mut [i64]) {
        default_normalize(scores, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: Option<&str>, effect: &str) -> Taint {
        Taint { key: key.into(), value: value.map(Into::into), effect: effect.into(), time_added: None }
    }

    #[test]
    fn toleration_matching_rules() {
        let t = taint("k", Some("v"), "NoSchedule");
        let tol = |key: Option<&str>, op: &str, value: Option<&str>, effect: Option<&str>| Toleration {
            key: key.map(Into::into),
            operator: Some(op.into()),
            value: value.map(Into::into),
            effect: effect.map(Into::into),
            toleration_seconds: None,
        };
        assert!(tolerates(&tol(Some("k"), "Equal", Some("v"), Some("NoSchedule")), &t));
        assert!(!tolerates(&tol(Some("k"), "Equal", Some("w"), Some("NoSchedule")), &t));
        assert!(tolerates(&tol(Some("k"), "Exists", None, None), &t));
        assert!(!tolerates(&tol(Some("k"), "Exists", None, Some("NoExecute")), &t));
        assert!(tolerates(&tol(None, "Exists", None, None), &t)); // tolerates everything
    }
}
