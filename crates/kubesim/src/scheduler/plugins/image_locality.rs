//! ImageLocality: favours nodes that already have the pod's images, scaled by image size and by
//! how widely the image is spread (an image on every node says little), between a 23 MiB floor
//! and a 1000 MiB-per-container ceiling (pkg/scheduler/framework/plugins/imagelocality).

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{CycleState, NodeInfo, ScorePlugin, MAX_NODE_SCORE};

const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

pub struct ImageLocality;

impl ScorePlugin for ImageLocality {
    fn name(&self) -> &'static str {
        "ImageLocality"
    }
    fn weight(&self) -> i64 {
        1
    }
    fn score(&self, _: &Pod, node: &NodeInfo, state: &CycleState) -> i64 {
        let images = &state.images;
        if images.is_empty() || state.total_nodes == 0 {
            return 0;
        }
        let sum: i64 = images
            .iter()
            .filter_map(|img| {
                let size = *node.images.get(img)?;
                let spread = *state.image_nodes.get(img).unwrap_or(&1) as f64 / state.total_nodes as f64;
                Some((size as f64 * spread) as i64)
            })
            .sum();
        let max = MAX_CONTAINER_THRESHOLD * images.len() as i64;
        let sum = sum.clamp(MIN_THRESHOLD, max);
        MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
    }
}
