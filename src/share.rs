//! Share links: the whole session in the URL fragment, so nothing is uploaded anywhere.
//!
//! `#s=v1.<data>[&pod=<namespace/name>][&tab=<tab>]`, where `data` is the session as a scenario
//! (`Scenario::to_yaml`, its `until` = the moment shared), compressed with zlib (deflate plus an
//! Adler-32 checksum, so a damaged link is caught) and written in base64url without padding. The
//! selected pod and inspector tab ride along as plain parameters. `v1` is the link format: a
//! newer page may write `v2`, which this one refuses with a clear message rather than misreading.
//!
//! Reading never panics: every malformed, truncated, oversized or newer link is a [`LinkError`].

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use kubesim::scenario::Scenario;

/// The link format this page writes and reads.
pub const FORMAT: u32 = 1;
/// The most scenario YAML a link may carry, decompressed (a zip bomb stops here).
pub const MAX_DECODED: usize = 256 * 1024;
/// The latest moment a link (or the autosave) may ask for: replaying further could keep the tab
/// busy for minutes.
pub const MAX_TIME: u64 = 24 * 3600 * 1000;
/// The most base64 text read from a fragment (compressed YAML is smaller than its text).
const MAX_ENCODED: usize = MAX_DECODED * 4 / 3 + 4;

/// Reads what [`URL_SAFE_NO_PAD`] writes, and also a cut-off end (its last character's unused
/// bits need not be zero), so a truncated link shows up as truncated data.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// What a link carries besides the scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// `namespace/name` of the pod shown in the inspector.
    pub pod: Option<String>,
    /// The inspector tab ([`crate::session::tab_code`]).
    pub tab: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub scenario: Scenario,
    pub view: View,
}

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// Not base64, not zlib, wrong checksum, not UTF-8, or an unknown version marker.
    Damaged,
    /// The data stops in the middle (a link cut when copied).
    Truncated,
    /// More than [`MAX_DECODED`] bytes of scenario.
    TooBig,
    /// Written by a newer page (`v2` and later).
    Newer(u32),
    /// Asks for a moment past [`MAX_TIME`].
    TooLong,
    /// Decoded, but not a valid scenario: the first problem, located.
    Invalid(String),
}

/// The fragment (without `#`) for `scenario` and `view`; `Err(TooBig)` past [`MAX_DECODED`].
pub fn encode(scenario: &Scenario, view: &View) -> Result<String, LinkError> {
    let yaml = scenario.to_yaml();
    if yaml.len() > MAX_DECODED {
        return Err(LinkError::TooBig);
    }
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(yaml.as_bytes(), 9);
    let mut out = format!("s=v{FORMAT}.{}", URL_SAFE_NO_PAD.encode(packed));
    if let Some(pod) = view.pod.as_deref().filter(|p| is_plain(p)) {
        out.push_str(&format!("&pod={pod}"));
    }
    if let Some(tab) = view.tab.as_deref().filter(|t| is_plain(t)) {
        out.push_str(&format!("&tab={tab}"));
    }
    Ok(out)
}

/// Pod names, namespaces and tab codes are DNS-like: no character that needs escaping in a
/// fragment (anything else is left out rather than escaped).
fn is_plain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 300 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-./_".contains(&b))
}

/// Reads a location hash (`#s=v1...` or without `#`); `None` when it holds no share link.
pub fn decode(fragment: &str) -> Option<Result<Shared, LinkError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut data = None;
    let mut view = View::default();
    for part in fragment.split('&') {
        if let Some(v) = part.strip_prefix("s=") {
            data = Some(v);
        } else if let Some(v) = part.strip_prefix("pod=").filter(|v| is_plain(v)) {
            view.pod = Some(v.to_string());
        } else if let Some(v) = part.strip_prefix("tab=").filter(|v| is_plain(v)) {
            view.tab = Some(v.to_string());
        }
    }
    let data = data?;
    Some(read(data).map(|scenario| Shared { scenario, view }))
}

fn read(data: &str) -> Result<Scenario, LinkError> {
    let (version, body) = data.split_once('.').ok_or(LinkError::Damaged)?;
    let version: u32 = version.strip_prefix('v').and_then(|v| v.parse().ok()).ok_or(LinkError::Damaged)?;
    if version > FORMAT {
        return Err(LinkError::Newer(version));
    }
    if version != FORMAT {
        return Err(LinkError::Damaged);
    }
    if body.len() > MAX_ENCODED {
        return Err(LinkError::TooBig);
    }
    // A link cut in the middle of a base64 quad leaves one character that encodes no byte: drop it
    // so the cut shows up as truncated data rather than as bad base64.
    let body = if body.len() % 4 == 1 { &body[..body.len() - 1] } else { body };
    let packed = LENIENT.decode(body).map_err(|_| LinkError::Damaged)?;
    let yaml = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_DECODED).map_err(|e| {
        use miniz_oxide::inflate::TINFLStatus;
        match e.status {
            TINFLStatus::HasMoreOutput => LinkError::TooBig,
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => LinkError::Truncated,
            _ => LinkError::Damaged,
        }
    })?;
    let yaml = String::from_utf8(yaml).map_err(|_| LinkError::Damaged)?;
    let scenario = Scenario::from_yaml(&yaml).map_err(|errors| {
        let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
        LinkError::Invalid(first)
    })?;
    if scenario.end() > MAX_TIME {
        return Err(LinkError::TooLong);
    }
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubesim::scenario::{Action, Step};

    fn sample() -> Scenario {
        let mut s = Scenario::new("playground");
        s.seed = 7;
        s.steps.push(Step { at: 1_000, action: Action::Apply("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n".into()) });
        s.steps.push(Step { at: 61_500, action: Action::Kubectl("get pods -o wide".into()) });
        s.until = Some(120_000);
        s
    }

    fn data_of(fragment: &str) -> &str {
        fragment.split('&').next().and_then(|p| p.strip_prefix("s=v1.")).unwrap()
    }

    #[test]
    fn round_trip_with_view() {
        let view = View { pod: Some("default/web".into()), tab: Some("logs".into()) };
        let link = encode(&sample(), &view).unwrap();
        assert!(link.starts_with("s=v1."), "{link}");
        // base64url without padding: nothing a URL would need to escape.
        assert!(data_of(&link).bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = decode(&format!("#{link}")).unwrap().unwrap();
        assert_eq!(back.scenario, sample());
        assert_eq!(back.view, view);
    }

    #[test]
    fn no_link_in_fragment() {
        assert_eq!(decode(""), None);
        assert_eq!(decode("#section-2"), None);
    }

    #[test]
    fn damaged_truncated_newer() {
        assert_eq!(decode("#s=v1.garbage"), Some(Err(LinkError::Damaged)));
        assert_eq!(decode("#s=v1.%%%"), Some(Err(LinkError::Damaged)));
        assert_eq!(decode("#s=garbage"), Some(Err(LinkError::Damaged)));
        assert_eq!(decode("#s=v9.abc"), Some(Err(LinkError::Newer(9))));
        assert_eq!(decode("#s=v0.abc"), Some(Err(LinkError::Damaged)));
        let link = encode(&sample(), &View::default()).unwrap();
        let data = data_of(&link);
        // Cut anywhere after the zlib header: truncated, never a panic.
        for cut in 3..data.len() {
            let got = decode(&format!("s=v1.{}", &data[..cut]));
            assert_eq!(got, Some(Err(LinkError::Truncated)), "cut at {cut} of {}", data.len());
        }
        // One character changed: the checksum (or the deflate stream) catches it.
        let mut bytes = data.as_bytes().to_vec();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).unwrap();
        assert!(decode(&format!("s=v1.{changed}")).unwrap().is_err());
    }

    #[test]
    fn too_big_both_ways() {
        let mut s = sample();
        s.manifests = format!("# {}\n", "x".repeat(MAX_DECODED));
        assert_eq!(encode(&s, &View::default()), Err(LinkError::TooBig));
        // A small link that inflates past the limit (a zip bomb) stops at the limit.
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; MAX_DECODED * 4], 9);
        let got = decode(&format!("s=v1.{}", URL_SAFE_NO_PAD.encode(bomb)));
        assert_eq!(got, Some(Err(LinkError::TooBig)));
        assert_eq!(decode(&format!("s=v1.{}", "A".repeat(MAX_ENCODED + 10))), Some(Err(LinkError::TooBig)));
    }

    #[test]
    fn too_far() {
        let mut s = sample();
        s.until = Some(MAX_TIME + 1);
        let link = encode(&s, &View::default()).unwrap();
        assert_eq!(decode(&link), Some(Err(LinkError::TooLong)));
    }

    #[test]
    fn not_a_scenario() {
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(b"kind: Pod\n", 9);
        let got = decode(&format!("s=v1.{}", URL_SAFE_NO_PAD.encode(packed))).unwrap();
        assert!(matches!(got, Err(LinkError::Invalid(ref m)) if !m.is_empty()), "{got:?}");
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&[0xff, 0xfe, 0x00], 9);
        assert_eq!(decode(&format!("s=v1.{}", URL_SAFE_NO_PAD.encode(packed))), Some(Err(LinkError::Damaged)));
    }

    #[test]
    fn view_parameters_are_plain() {
        let view = View { pod: Some("default/web\"><script>".into()), tab: Some("yaml".into()) };
        let link = encode(&sample(), &view).unwrap();
        assert!(!link.contains("pod="));
        let back = decode(&format!("{link}&pod=a b")).unwrap().unwrap();
        assert_eq!(back.view.pod, None);
    }
}
