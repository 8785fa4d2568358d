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
    terminal_input_label: "kubectl command",
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
    terminal_input_label: "kubectl 명령",
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
    inspector_heading: "파드 살펴보기",
    inspector_hint: "파드를 클릭하면 자세히 볼 수 있습니다.",
};

/// The page's language, from the context the app provides.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
