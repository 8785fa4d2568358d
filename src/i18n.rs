//! Every text of the page, in English and Korean: one table per language. Korean follows the
//! Kubernetes Korean localization glossary (파드, 레이블, 셀렉터, 노드, 서비스...). What kubectl
//! prints (phases, reasons, STATUS, command output) stays in English, as on a real cluster.
//!
//! The language comes from the browser (`navigator.language` starting with `ko` → Korean) unless
//! the learner chose one, which is remembered in localStorage. Components read it from a Yew
//! context ([`use_lang`]), so switching re-renders the page without remounting anything.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

/// localStorage key of the chosen language.
const STORAGE_KEY: &str = "kube-playground.lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The saved choice, else the browser's language.
    pub fn initial() -> Lang {
        if let Some(l) = crate::storage::get(STORAGE_KEY).as_deref().and_then(Lang::from_code) {
            return l;
        }
        let browser = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        if browser.to_ascii_lowercase().starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// Remembers the learner's choice.
    pub fn save(self) {
        crate::storage::set(STORAGE_KEY, self.code());
    }

    /// Tells the document its language (screen readers, CJK font selection).
    pub fn set_document_lang(self) {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = el.set_attribute("lang", self.code());
        }
    }

    pub fn t(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Ko => &KO,
        }
    }

    /// A manifest error's message in this language (the engine carries both).
    pub fn pick<'a>(self, en: &'a str, ko: &'a str) -> &'a str {
        match self {
            Lang::Ko if !ko.is_empty() => ko,
            _ => en,
        }
    }

    pub fn line(self, n: usize) -> String {
        match self {
            Lang::En => format!("line {n}"),
            Lang::Ko => format!("{n}번째 줄"),
        }
    }

    pub fn line_column(self, line: usize, column: usize) -> String {
        match self {
            Lang::En => format!("line {line}, column {column}"),
            Lang::Ko => format!("{line}번째 줄 {column}번째 열"),
        }
    }

    pub fn document(self, n: usize) -> String {
        match self {
            Lang::En => format!("document {n}"),
            Lang::Ko => format!("문서 {n}"),
        }
    }

    pub fn fix_label(self, from: &str, to: &str) -> String {
        match self {
            Lang::En => format!("Fix: {from} → {to}"),
            Lang::Ko => format!("고치기: {from} → {to}"),
        }
    }

    pub fn fix_title(self, line: usize, from: &str, to: &str) -> String {
        match self {
            Lang::En => format!("Replace \"{from}\" with \"{to}\" on line {line}"),
            Lang::Ko => format!("{line}번째 줄의 \"{from}\"을(를) \"{to}\"(으)로 바꿉니다"),
        }
    }

    pub fn lines_count(self, n: usize) -> String {
        match self {
            Lang::En if n == 1 => "1 line".to_string(),
            Lang::En => format!("{n} lines"),
            Lang::Ko => format!("{n}줄"),
        }
    }

    pub fn pod_title(self, name: &str, status: &str, ready: &str, restarts: impl std::fmt::Display) -> String {
        match self {
            Lang::En => format!("{name} {status} ready {ready} restarts {restarts}"),
            Lang::Ko => format!("{name} {status} 준비 {ready} 재시작 {restarts}"),
        }
    }

    pub fn goals_count(self, done: usize, total: usize) -> String {
        match self {
            Lang::En => format!("{done} of {total}"),
            Lang::Ko => format!("{total}개 중 {done}개"),
        }
    }

    /// `250m of 2 requested` under a node's resource bar.
    pub fn requested_of(self, requested: &str, allocatable: &str, percent: i64) -> String {
        match self {
            Lang::En => format!("{requested} of {allocatable} requested ({percent}%)"),
            Lang::Ko => format!("{allocatable} 중 {requested} 요청됨 ({percent}%)"),
        }
    }

    pub fn labels_count(self, n: usize) -> String {
        match self {
            Lang::En => format!("labels ({n})"),
            Lang::Ko => format!("레이블 ({n})"),
        }
    }

    /// A pod's owner on its chip's tooltip.
    pub fn owned_by(self, kind: &str, name: &str) -> String {
        match self {
            Lang::En => format!("owned by {kind}/{name}"),
            Lang::Ko => format!("소유자 {kind}/{name}"),
        }
    }

    /// The heading of the selector hover panel.
    pub fn selector_panel(self, service: &str, selector: &str) -> String {
        match self {
            Lang::En => format!("Service {service} selects {selector}"),
            Lang::Ko => format!("서비스 {service}의 셀렉터 {selector}"),
        }
    }

    /// Why a Service's selector does (or does not) pick a pod; computed by the engine.
    pub fn match_reason(self, m: &kubesim::view::SelectorMatch, pod_namespace: &str) -> String {
        use kubesim::view::{LabelMismatch, SelectorMatch};
        let ko = self == Lang::Ko;
        match m {
            SelectorMatch::Ready => {
                (if ko { "일치 · 준비된 엔드포인트" } else { "matches · ready endpoint" }).into()
            }
            SelectorMatch::NotReady => {
                (if ko { "일치하지만 준비되지 않음" } else { "matches but not ready" }).into()
            }
            SelectorMatch::NoIp => (if ko { "일치하지만 아직 IP 없음" } else { "matches, no IP yet" }).into(),
            SelectorMatch::Finished => {
                (if ko { "일치하지만 종료된 파드" } else { "matches, but the pod has finished" }).into()
            }
            SelectorMatch::OtherNamespace => {
                if ko {
                    format!("네임스페이스가 다름 ({pod_namespace})")
                } else {
                    format!("namespace differs ({pod_namespace})")
                }
            }
            SelectorMatch::Mismatch(misses) => misses
                .iter()
                .map(|miss| match miss {
                    LabelMismatch::Differs { key, want, has } if ko => format!("{key}={want}: 파드는 {key}={has}"),
                    LabelMismatch::Differs { key, want, has } => format!("{key}={want}: pod has {key}={has}"),
                    LabelMismatch::Missing { key, .. } if ko => format!("{key}: 레이블 없음"),
                    LabelMismatch::Missing { key, .. } => format!("{key}: missing"),
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    pub fn service_title(self, selector: &str, ready: &str, not_ready: &str) -> String {
        match self {
            Lang::En => format!("selector: {selector}\nready: {ready}\nnot ready: {not_ready}"),
            Lang::Ko => format!("셀렉터: {selector}\n준비됨: {ready}\n준비 안 됨: {not_ready}"),
        }
    }
}

/// The fixed texts of one language.
pub struct Texts {
    pub language_label: &'static str,
    pub skip_to_editor: &'static str,
    // Time bar
    pub clock_title: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub speed: &'static str,
    // Editor
    pub editor_heading: &'static str,
    pub editor_label: &'static str,
    pub apply: &'static str,
    pub apply_title: &'static str,
    pub delete: &'static str,
    pub delete_title: &'static str,
    pub reset: &'static str,
    pub reset_title: &'static str,
    pub shortcut_hint: &'static str,
    pub results_label: &'static str,
    pub results_empty: &'static str,
    pub editor_empty: &'static str,
    pub reset_done: &'static str,
    pub saved: &'static str,
    pub not_saved: &'static str,
    pub editor_placeholder: &'static str,
    pub go_to_line: &'static str,
    // Terminal
    pub terminal_heading: &'static str,
    pub terminal_label: &'static str,
    pub terminal_input_label: &'static str,
    // Cluster
    pub cluster_heading: &'static str,
    pub pending_lane: &'static str,
    pub no_ip: &'static str,
    pub worker: &'static str,
    pub selector: &'static str,
    pub endpoints: &'static str,
    pub cpu: &'static str,
    pub memory: &'static str,
    pub taints: &'static str,
    pub node_actions: &'static str,
    pub stop_kubelet: &'static str,
    pub stop_kubelet_title: &'static str,
    pub fail_node: &'static str,
    pub fail_node_title: &'static str,
    pub recover_node: &'static str,
    pub recover_node_title: &'static str,
    pub cordon: &'static str,
    pub cordon_title: &'static str,
    pub uncordon: &'static str,
    pub uncordon_title: &'static str,
    pub removed_pod: &'static str,
    pub selector_hint: &'static str,
    // Inspector
    pub inspector_heading: &'static str,
    pub inspector_hint: &'static str,
    // Lessons
    pub lesson_label: &'static str,
    pub free_play: &'static str,
    pub lesson_heading: &'static str,
    pub goals_heading: &'static str,
    pub goal_done: &'static str,
    pub goal_open: &'static str,
    pub lesson_done: &'static str,
    pub lesson_editor: &'static str,
    pub lesson_editor_title: &'static str,
    pub lesson_restart: &'static str,
    pub lesson_restart_title: &'static str,
}

pub static EN: Texts = Texts {
    language_label: "Language",
    skip_to_editor: "Skip to the editor",
    clock_title: "virtual time",
    play: "Play",
    pause: "Pause",
    speed: "Speed",
    editor_heading: "Manifest",
    editor_label: "YAML manifest editor",
    apply: "Apply",
    apply_title: "kubectl apply -f of the editor text (Ctrl+Enter)",
    delete: "Delete",
    delete_title: "kubectl delete -f: delete the objects the editor text names",
    reset: "Reset",
    reset_title: "Start over with a new, empty cluster (the editor keeps its text)",
    shortcut_hint: "Ctrl+Enter applies",
    results_label: "Results",
    results_empty: "Apply shows the result of each document here.",
    editor_empty: "The editor is empty: there is nothing to send.",
    reset_done: "A new, empty cluster.",
    saved: "Saved in this browser",
    not_saved: "Not saved: this browser's storage is full or off",
    editor_placeholder: "Paste one or more manifests (YAML or JSON, documents separated by ---), then Apply.",
    go_to_line: "Go to the line",
    terminal_heading: "Terminal",
    terminal_label: "kubectl terminal",
    terminal_input_label: "kubectl command (Tab completes; Esc then Tab leaves the terminal)",
    cluster_heading: "Cluster",
    pending_lane: "Pending / unscheduled",
    no_ip: "no IP",
    worker: "worker",
    selector: "selector",
    endpoints: "endpoints",
    cpu: "CPU",
    memory: "Memory",
    taints: "taints",
    node_actions: "Node actions",
    stop_kubelet: "Stop kubelet",
    stop_kubelet_title: "The node's kubelet stops: no heartbeats, no pod changes; containers keep running",
    fail_node: "Fail",
    fail_node_title: "The machine goes down: kubelet and containers stop, the node is unreachable",
    recover_node: "Recover",
    recover_node_title: "The machine comes back and its kubelet runs again",
    cordon: "Cordon",
    cordon_title: "kubectl cordon: no new pods are scheduled here",
    uncordon: "Uncordon",
    uncordon_title: "kubectl uncordon: the scheduler may use the node again",
    removed_pod: "removed",
    selector_hint: "Hover or focus a Service to see which pods its selector picks, and why not the others.",
    inspector_heading: "Inspector",
    inspector_hint: "Click a pod to inspect it.",
    lesson_label: "Lesson",
    free_play: "Free play (no lesson)",
    lesson_heading: "Lesson",
    goals_heading: "Goals",
    goal_done: "(reached)",
    goal_open: "(not reached yet)",
    lesson_done: "Every goal reached. Well done! Pick the next lesson above.",
    lesson_editor: "Manifests to the editor",
    lesson_editor_title: "Put this lesson's manifests into the editor again (your text there is replaced)",
    lesson_restart: "Start over",
    lesson_restart_title: "Reset the cluster to this lesson's start and clear the goals",
};

pub static KO: Texts = Texts {
    language_label: "언어",
    skip_to_editor: "편집기로 건너뛰기",
    clock_title: "가상 시간",
    play: "재생",
    pause: "일시정지",
    speed: "속도",
    editor_heading: "매니페스트",
    editor_label: "YAML 매니페스트 편집기",
    apply: "적용",
    apply_title: "편집기 내용으로 kubectl apply -f (Ctrl+Enter)",
    delete: "삭제",
    delete_title: "kubectl delete -f: 편집기 내용에 있는 오브젝트를 삭제합니다",
    reset: "초기화",
    reset_title: "새 빈 클러스터로 다시 시작합니다 (편집기 내용은 그대로)",
    shortcut_hint: "Ctrl+Enter로 적용",
    results_label: "결과",
    results_empty: "적용하면 문서마다 결과가 여기에 표시됩니다.",
    editor_empty: "편집기가 비어 있어 보낼 내용이 없습니다.",
    reset_done: "새 빈 클러스터를 만들었습니다.",
    saved: "이 브라우저에 저장됨",
    not_saved: "저장 안 됨: 브라우저 저장소가 가득 찼거나 꺼져 있습니다",
    editor_placeholder: "매니페스트를 붙여 넣고(YAML 또는 JSON, 문서는 ---로 구분) 적용을 누르세요.",
    go_to_line: "그 줄로 이동",
    terminal_heading: "터미널",
    terminal_label: "kubectl 터미널",
    terminal_input_label: "kubectl 명령 (Tab으로 자동 완성, Esc 다음 Tab으로 터미널을 벗어남)",
    cluster_heading: "클러스터",
    pending_lane: "Pending / 스케줄되지 않은 파드",
    no_ip: "IP 없음",
    worker: "워커",
    selector: "셀렉터",
    endpoints: "엔드포인트",
    cpu: "CPU",
    memory: "메모리",
    taints: "테인트",
    node_actions: "노드 작업",
    stop_kubelet: "kubelet 중지",
    stop_kubelet_title: "노드의 kubelet이 멈춥니다: 하트비트도 파드 변경도 없고, 컨테이너는 계속 실행됩니다",
    fail_node: "장애",
    fail_node_title: "머신이 꺼집니다: kubelet과 컨테이너가 멈추고 노드에 연결할 수 없습니다",
    recover_node: "복구",
    recover_node_title: "머신이 다시 켜지고 kubelet이 다시 실행됩니다",
    cordon: "cordon",
    cordon_title: "kubectl cordon: 이 노드에 새 파드를 스케줄하지 않습니다",
    uncordon: "uncordon",
    uncordon_title: "kubectl uncordon: 스케줄러가 이 노드를 다시 사용할 수 있습니다",
    removed_pod: "삭제됨",
    selector_hint: "서비스에 마우스를 올리거나 포커스하면 셀렉터가 고르는 파드와 나머지를 고르지 않는 이유가 보입니다.",
    inspector_heading: "살펴보기",
    inspector_hint: "파드를 클릭하면 자세히 볼 수 있습니다.",
    lesson_label: "레슨",
    free_play: "자유 실습 (레슨 없음)",
    lesson_heading: "레슨",
    goals_heading: "목표",
    goal_done: "(달성)",
    goal_open: "(아직 달성 전)",
    lesson_done: "모든 목표를 달성했습니다. 잘하셨습니다! 위에서 다음 레슨을 고르세요.",
    lesson_editor: "매니페스트를 편집기로",
    lesson_editor_title: "이 레슨의 매니페스트를 편집기에 다시 넣습니다 (편집기의 내용은 바뀝니다)",
    lesson_restart: "처음부터",
    lesson_restart_title: "클러스터를 이 레슨의 시작 상태로 되돌리고 목표를 지웁니다",
};

/// The page's language, from the context the app provides.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The inspector's texts (tabs, the scheduler table, the status explanation), one table per
/// language. Kept apart from [`Texts`] so the inspector's wording lives in one place.
pub struct InspectorTexts {
    pub events_tab: &'static str,
    pub scheduler_tab: &'static str,
    pub target_label: &'static str,
    pub target_placeholder: &'static str,
    pub target_go: &'static str,
    pub container_label: &'static str,
    pub command_label: &'static str,
    // The scheduler table
    pub why_pending: &'static str,
    pub why_node: &'static str,
    pub failed_scheduling: &'static str,
    pub filter_heading: &'static str,
    pub filter_legend: &'static str,
    pub score_heading: &'static str,
    pub score_legend: &'static str,
    pub node_column: &'static str,
    pub reason_column: &'static str,
    pub total_column: &'static str,
    pub chosen: &'static str,
    pub feasible: &'static str,
    pub no_attempt: &'static str,
    // The status explanation
    pub explain_heading: &'static str,
    pub phase_heading: &'static str,
    pub phase_text: &'static str,
    pub container_heading: &'static str,
    pub container_text: &'static str,
    pub status_heading: &'static str,
    pub status_text: &'static str,
    pub conditions_heading: &'static str,
    pub conditions_text: &'static str,
    pub not_reported: &'static str,
    pub no_conditions: &'static str,
}

pub static INSPECTOR_EN: InspectorTexts = InspectorTexts {
    events_tab: "events",
    scheduler_tab: "scheduler",
    target_label: "Inspect",
    target_placeholder: "node/k8s-worker1, deployment/web …",
    target_go: "Show",
    container_label: "container",
    command_label: "the kubectl command behind this tab",
    why_pending: "Why Pending?",
    why_node: "Why this node?",
    failed_scheduling: "FailedScheduling",
    filter_heading: "Filter: can the pod run on the node?",
    filter_legend: "Plugins run in this order; ✓ passed, ✗ failed (the node is out, later plugins are not run: –).",
    score_heading: "Score: which of the nodes that passed is best?",
    score_legend: "Each cell is the plugin's score (0–100) × its weight; the highest total wins.",
    node_column: "Node",
    reason_column: "Reason",
    total_column: "Total",
    chosen: "chosen",
    feasible: "fits",
    no_attempt: "The scheduler has no record for this pod: either it was never scheduled (spec.nodeName was set in the manifest, or it is a static pod's mirror) or it was scheduled long ago (records are kept for pending pods and the last 1,000 scheduled pods).",
    explain_heading: "Phase, container state, STATUS, conditions",
    phase_heading: "Phase (status.phase)",
    phase_text: "The pod's overall stage, one of five words. Pending: accepted by the cluster, but not every container has been started yet (this covers waiting for a node and pulling images). Running: bound to a node, and at least one container is running or being started or restarted. Succeeded / Failed: every container has stopped for good, all with exit code 0 / at least one with an error. Unknown: the node stopped reporting. A container that keeps crashing does not change the phase: the kubelet keeps restarting it, so the pod stays Running.",
    container_heading: "Container state (status.containerStatuses[].state)",
    container_text: "Each container is in exactly one state: waiting (not running yet, or paused between restarts; the reason says why, e.g. ContainerCreating, ImagePullBackOff, CrashLoopBackOff), running, or terminated (it ended; reason and exit code say how). lastState keeps how the previous run ended.",
    status_heading: "The STATUS column of kubectl get pods",
    status_text: "STATUS is not stored anywhere in the pod: kubectl computes it while printing. It starts from the phase and replaces it with the most telling detail it finds: init container progress (Init:0/1), a container's waiting or terminated reason, or Terminating while the pod is being deleted. That is why STATUS can say CrashLoopBackOff while the phase says Running.",
    conditions_heading: "Conditions (status.conditions)",
    conditions_text: "Checkpoints, each True or False: PodScheduled (a node was chosen), PodReadyToStartContainers (the sandbox and its network are set up), Initialized (every init container finished), ContainersReady (every container is ready), Ready (the pod may receive traffic from Services).",
    not_reported: "not reported yet",
    no_conditions: "none yet",
};

pub static INSPECTOR_KO: InspectorTexts = InspectorTexts {
    events_tab: "이벤트",
    scheduler_tab: "스케줄러",
    target_label: "살펴볼 오브젝트",
    target_placeholder: "node/k8s-worker1, deployment/web …",
    target_go: "보기",
    container_label: "컨테이너",
    command_label: "이 탭이 실행한 kubectl 명령",
    why_pending: "왜 Pending인가요?",
    why_node: "왜 이 노드인가요?",
    failed_scheduling: "FailedScheduling",
    filter_heading: "필터: 이 노드에서 파드를 실행할 수 있는가?",
    filter_legend: "플러그인은 이 순서로 실행됩니다. ✓ 통과, ✗ 실패(그 노드는 제외되고 뒤의 플러그인은 실행되지 않음: –).",
    score_heading: "점수: 필터를 통과한 노드 중 어디가 가장 좋은가?",
    score_legend: "각 칸은 플러그인 점수(0–100) × 가중치입니다. 합계가 가장 높은 노드가 선택됩니다.",
    node_column: "노드",
    reason_column: "이유",
    total_column: "합계",
    chosen: "선택됨",
    feasible: "가능",
    no_attempt: "스케줄러에 이 파드의 기록이 없습니다. 스케줄링을 거치지 않았거나(매니페스트에 spec.nodeName이 있거나 스태틱 파드의 미러 파드인 경우) 오래전에 스케줄링되었습니다(기록은 Pending 파드와 최근 스케줄링된 1,000개 파드만 남습니다).",
    explain_heading: "단계(phase), 컨테이너 상태, STATUS, 컨디션",
    phase_heading: "단계 (status.phase)",
    phase_text: "파드의 큰 흐름을 다섯 단어 중 하나로 나타냅니다. Pending: 클러스터가 파드를 받아들였지만 아직 시작되지 않은 컨테이너가 있습니다(노드를 기다리는 시간과 이미지를 받는 시간도 여기에 들어갑니다). Running: 노드에 배정되었고, 적어도 한 컨테이너가 실행 중이거나 시작·재시작되는 중입니다. Succeeded / Failed: 모든 컨테이너가 완전히 멈췄고, 모두 종료 코드 0 / 하나 이상이 오류로 끝났습니다. Unknown: 노드가 상태를 알려 오지 않습니다. 컨테이너가 계속 죽어도 단계는 바뀌지 않습니다. kubelet이 계속 재시작하므로 파드는 Running으로 남습니다.",
    container_heading: "컨테이너 상태 (status.containerStatuses[].state)",
    container_text: "컨테이너는 항상 세 상태 중 하나입니다. waiting(아직 실행 전이거나 재시작 사이에 기다리는 중이며, reason이 이유를 알려 줍니다. 예: ContainerCreating, ImagePullBackOff, CrashLoopBackOff), running(실행 중), terminated(끝남. reason과 종료 코드가 어떻게 끝났는지 알려 줍니다). lastState에는 직전 실행이 어떻게 끝났는지가 남습니다.",
    status_heading: "kubectl get pods의 STATUS 열",
    status_text: "STATUS는 파드 어디에도 저장되어 있지 않습니다. kubectl이 출력할 때 계산합니다. 단계에서 출발해, 더 많은 것을 알려 주는 정보가 있으면 그것으로 바꿉니다. 초기화 컨테이너 진행 상황(Init:0/1), 컨테이너의 waiting 또는 terminated reason, 삭제 중이면 Terminating. 그래서 단계는 Running인데 STATUS는 CrashLoopBackOff일 수 있습니다.",
    conditions_heading: "컨디션 (status.conditions)",
    conditions_text: "True 또는 False로 표시되는 확인 지점입니다. PodScheduled(노드가 정해짐), PodReadyToStartContainers(샌드박스와 네트워크 준비됨), Initialized(초기화 컨테이너가 모두 끝남), ContainersReady(모든 컨테이너가 준비됨), Ready(서비스의 트래픽을 받을 수 있음).",
    not_reported: "아직 보고되지 않음",
    no_conditions: "아직 없음",
};

/// The inspector's sentences that carry values.
impl Lang {
    pub fn ins(self) -> &'static InspectorTexts {
        match self {
            Lang::En => &INSPECTOR_EN,
            Lang::Ko => &INSPECTOR_KO,
        }
    }

    /// The one-line answer: what the phase and STATUS say, and where STATUS came from.
    pub fn status_source(
        self,
        source: &kubesim::inspect::StatusSource,
        phase: &str,
        column: &str,
        reason: &str,
    ) -> String {
        use kubesim::inspect::StatusSource as S;
        match (self, source) {
            (Lang::En, S::Waiting(c)) => format!("phase {phase}, container {c} waiting: {column} — kubectl shows the waiting reason in STATUS; the phase is still {phase}."),
            (Lang::Ko, S::Waiting(c)) => format!("단계 {phase}, 컨테이너 {c}는 waiting: {column} — kubectl은 STATUS에 waiting reason을 보여 줍니다. 단계는 여전히 {phase}입니다."),
            (Lang::En, S::Terminated(c)) => format!("phase {phase}, container {c} terminated: {column} — kubectl shows how the container ended in STATUS; the phase is {phase}."),
            (Lang::Ko, S::Terminated(c)) => format!("단계 {phase}, 컨테이너 {c}는 terminated: {column} — kubectl은 컨테이너가 끝난 방식을 STATUS에 보여 줍니다. 단계는 {phase}입니다."),
            (Lang::En, S::Phase) => format!("phase {phase}, STATUS {column} — no container reason overrides the phase, so kubectl shows the phase itself."),
            (Lang::Ko, S::Phase) => format!("단계 {phase}, STATUS {column} — 단계를 덮어쓰는 컨테이너 reason이 없어 kubectl은 단계를 그대로 보여 줍니다."),
            (Lang::En, S::PodReason) => format!("phase {phase}, STATUS {column} — kubectl shows the pod's status.reason ({reason}) instead of the phase."),
            (Lang::Ko, S::PodReason) => format!("단계 {phase}, STATUS {column} — kubectl은 단계 대신 파드의 status.reason({reason})을 보여 줍니다."),
            (Lang::En, S::Init) => format!("phase {phase}, STATUS {column} — kubectl shows the init containers' progress; app containers start only after every init container has succeeded."),
            (Lang::Ko, S::Init) => format!("단계 {phase}, STATUS {column} — kubectl은 초기화 컨테이너 진행 상황을 보여 줍니다. 앱 컨테이너는 모든 초기화 컨테이너가 성공한 뒤에야 시작합니다."),
            (Lang::En, S::Terminating) => format!("phase {phase}, STATUS {column} — the pod is being deleted (metadata.deletionTimestamp is set); the phase is still {phase}."),
            (Lang::Ko, S::Terminating) => format!("단계 {phase}, STATUS {column} — 파드가 삭제되는 중입니다(metadata.deletionTimestamp가 설정됨). 단계는 여전히 {phase}입니다."),
            (Lang::En, S::Other) => format!("phase {phase}, STATUS {column} — kubectl worked STATUS out from the phase and the container states."),
            (Lang::Ko, S::Other) => format!("단계 {phase}, STATUS {column} — kubectl이 단계와 컨테이너 상태로 STATUS를 계산했습니다."),
        }
    }

    pub fn this_pod(self, value: &str) -> String {
        match self {
            Lang::En => format!("This pod: {value}"),
            Lang::Ko => format!("이 파드: {value}"),
        }
    }

    pub fn restarts_count(self, n: i32) -> String {
        match self {
            Lang::En if n == 1 => "restarted once".into(),
            Lang::En => format!("restarted {n} times"),
            Lang::Ko => format!("재시작 {n}회"),
        }
    }

    pub fn last_run(self, reason: &str, exit_code: i32) -> String {
        match self {
            Lang::En => format!("previous run: {reason} (exit code {exit_code})"),
            Lang::Ko => format!("직전 실행: {reason} (종료 코드 {exit_code})"),
        }
    }

    pub fn exit_code(self, code: i32) -> String {
        match self {
            Lang::En => format!("exit code {code}"),
            Lang::Ko => format!("종료 코드 {code}"),
        }
    }

    pub fn init_container(self) -> &'static str {
        match self {
            Lang::En => "init container",
            Lang::Ko => "초기화 컨테이너",
        }
    }

    pub fn attempt_age(self, age: &str) -> String {
        match self {
            Lang::En => format!("Last scheduling attempt: {age} ago."),
            Lang::Ko => format!("마지막 스케줄링 시도: {age} 전."),
        }
    }

    pub fn bound_to(self, node: &str, tie: usize) -> String {
        match (self, tie) {
            (Lang::En, 0 | 1) => format!("{node} had the highest total, so the pod was bound to it."),
            (Lang::En, n) => {
                format!("{n} nodes shared the highest total; the scheduler picked {node} among them at random.")
            }
            (Lang::Ko, 0 | 1) => format!("{node}의 합계가 가장 높아 파드가 이 노드에 배정되었습니다."),
            (Lang::Ko, n) => format!("노드 {n}개의 합계가 같아 스케줄러가 그중 {node}를 무작위로 골랐습니다."),
        }
    }

    pub fn not_examined(self, skipped: usize, total: usize) -> String {
        match self {
            Lang::En => format!("{skipped} of {total} nodes were not examined: in a big cluster the scheduler stops filtering once it has found enough nodes that fit (percentageOfNodesToScore)."),
            Lang::Ko => format!("노드 {total}개 중 {skipped}개는 살펴보지 않았습니다. 큰 클러스터에서는 파드가 들어갈 노드를 충분히 찾으면 스케줄러가 필터링을 멈춥니다(percentageOfNodesToScore)."),
        }
    }

    pub fn rows_hidden(self, hidden: usize, fits: usize) -> String {
        match self {
            Lang::En => format!("… and {hidden} more examined nodes not shown ({fits} of them fit)."),
            Lang::Ko => format!("… 살펴본 노드 {hidden}개는 표시하지 않았습니다(그중 {fits}개 가능)."),
        }
    }

    pub fn not_found_target(self, what: &str) -> String {
        match self {
            Lang::En => format!("Not found: {what}"),
            Lang::Ko => format!("찾을 수 없음: {what}"),
        }
    }

    pub fn target_syntax(self) -> &'static str {
        match self {
            Lang::En => "Write TYPE/NAME, e.g. node/k8s-worker1 or deployment/web -n default",
            Lang::Ko => "TYPE/NAME 형식으로 쓰세요. 예: node/k8s-worker1, deployment/web -n default",
        }
    }
}

/// Texts of the time controls, the rewind banner and share links (`{t}`, `{head}`, `{n}`, `{e}`
/// are filled in by the caller).
pub struct TimeTexts {
    pub step: &'static str,
    pub step_title: &'static str,
    pub step_none: &'static str,
    pub jump_1m: &'static str,
    pub jump_5m: &'static str,
    pub jump_title: &'static str,
    pub scrub_label: &'static str,
    pub recorded: &'static str,
    pub live: &'static str,
    pub live_title: &'static str,
    pub rewound_tag: &'static str,
    pub rewound: &'static str,
    pub rewound_later: &'static str,
    pub rewound_none: &'static str,
    pub back_to_live: &'static str,
    pub discarded: &'static str,
    pub share: &'static str,
    pub share_title: &'static str,
    pub share_link_label: &'static str,
    pub share_copy: &'static str,
    pub share_copied: &'static str,
    pub share_size: &'static str,
    pub share_too_big: &'static str,
    pub close: &'static str,
    pub link_opened: &'static str,
    pub link_damaged: &'static str,
    pub link_truncated: &'static str,
    pub link_too_big: &'static str,
    pub link_newer: &'static str,
    pub link_too_long: &'static str,
    pub link_invalid: &'static str,
    pub link_empty: &'static str,
}

pub static EN_TIME: TimeTexts = TimeTexts {
    step: "Step",
    step_title: "Jump to the next event ({t})",
    step_none: "Nothing is scheduled",
    jump_1m: "+1 min",
    jump_5m: "+5 min",
    jump_title: "Move virtual time forward by {t}",
    scrub_label: "Virtual time: drag back to any earlier moment",
    recorded: "{n} actions recorded",
    live: "Live",
    live_title: "The end of the recording: what you do now is recorded at this time",
    rewound_tag: "Rewound",
    rewound: "Rewound to {t} (recorded up to {head}).",
    rewound_later: "Play replays the {n} later recorded actions; a new action here (Apply, Delete, a command) discards them.",
    rewound_none: "Press Live or Play to continue from here.",
    back_to_live: "Back to live ({t})",
    discarded: "{n} later recorded actions were discarded: the recording continues from {t}.",
    share: "Share",
    share_title: "A link holding this whole session: cluster, manifests, actions with their times, this moment, the selected pod. Nothing is uploaded.",
    share_link_label: "Share link",
    share_copy: "Copy",
    share_copied: "Copied",
    share_size: "{n} characters; opens at {t}, paused.",
    share_too_big: "This session is too big for a link (over 256 KB of scenario).",
    close: "Close",
    link_opened: "Opened a shared session at {t}, paused: press Play to go on.",
    link_damaged: "This share link is damaged and cannot be read.",
    link_truncated: "This share link is incomplete: it was probably cut off when copied.",
    link_too_big: "This share link is too big (over 256 KB).",
    link_newer: "This share link was made by a newer version of Kube Playground (link format v{n}); this page reads v1.",
    link_too_long: "This share link asks for a moment past 24 hours of virtual time, further than this page replays.",
    link_invalid: "This share link holds an invalid scenario: {e}",
    link_empty: "An empty playground was opened instead.",
};

pub static KO_TIME: TimeTexts = TimeTexts {
    step: "한 단계",
    step_title: "다음 이벤트({t})로 이동",
    step_none: "예정된 이벤트가 없습니다",
    jump_1m: "+1분",
    jump_5m: "+5분",
    jump_title: "가상 시간을 {t} 앞으로 보냅니다",
    scrub_label: "가상 시간: 끌어서 이전 시점으로 되돌리기",
    recorded: "기록된 동작 {n}개",
    live: "라이브",
    live_title: "기록의 끝: 지금 하는 동작이 이 시각에 기록됩니다",
    rewound_tag: "되감기",
    rewound: "{t}(으)로 되감음 (기록: {head}까지).",
    rewound_later: "재생하면 이후에 기록된 동작 {n}개가 다시 실행됩니다. 여기서 새 동작(적용, 삭제, 명령)을 하면 그 동작들은 버려집니다.",
    rewound_none: "라이브 또는 재생을 누르면 여기서부터 이어집니다.",
    back_to_live: "라이브로 돌아가기 ({t})",
    discarded: "이후에 기록된 동작 {n}개를 버렸습니다. 기록은 {t}부터 이어집니다.",
    share: "공유",
    share_title: "이 세션 전체(클러스터, 매니페스트, 동작과 그 시각, 지금 시점, 선택한 파드)를 담은 링크입니다. 아무것도 업로드되지 않습니다.",
    share_link_label: "공유 링크",
    share_copy: "복사",
    share_copied: "복사됨",
    share_size: "{n}자, {t} 시점에서 일시정지된 상태로 열립니다.",
    share_too_big: "이 세션은 링크로 만들기에 너무 큽니다 (시나리오 256 KB 초과).",
    close: "닫기",
    link_opened: "공유된 세션을 {t} 시점에 일시정지 상태로 열었습니다. 재생을 누르면 이어집니다.",
    link_damaged: "이 공유 링크는 손상되어 읽을 수 없습니다.",
    link_truncated: "이 공유 링크는 불완전합니다. 복사할 때 잘린 것 같습니다.",
    link_too_big: "이 공유 링크는 너무 큽니다 (256 KB 초과).",
    link_newer: "이 공유 링크는 더 새로운 버전의 Kube Playground(링크 형식 v{n})에서 만들어졌습니다. 이 페이지는 v1만 읽습니다.",
    link_too_long: "이 공유 링크는 가상 시간 24시간이 넘는 시점을 요구합니다. 이 페이지는 그만큼 다시 실행하지 않습니다.",
    link_invalid: "이 공유 링크의 시나리오가 올바르지 않습니다: {e}",
    link_empty: "대신 빈 플레이그라운드를 열었습니다.",
};

impl Lang {
    /// The time controls' and share links' texts.
    pub fn time(self) -> &'static TimeTexts {
        match self {
            Lang::En => &EN_TIME,
            Lang::Ko => &KO_TIME,
        }
    }
}
