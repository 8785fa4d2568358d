//! The one source of randomness: seeded, so the same scenario and seed give the same names, uids
//! and tie-breaks on every run and every platform.

/// Alphabet of generated name suffixes: upstream's `utilrand.String` leaves out vowels and
/// look-alike characters (k8s.io/apimachinery/pkg/util/rand/rand.go).
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

#[derive(Clone, Debug)]
pub struct Rng(fastrand::Rng);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(fastrand::Rng::with_seed(seed))
    }

    /// A uniformly random index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            self.0.usize(0..n)
        }
    }

    pub fn u64(&mut self) -> u64 {
        self.0.u64(..)
    }

    /// `n` characters of upstream's name-suffix alphabet (`generateName`, pod-template hashes).
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n).map(|_| NAME_ALPHABET[self.below(NAME_ALPHABET.len())] as char).collect()
    }

    /// A random (version 4) UUID, formatted as the apiserver writes `metadata.uid`.
    pub fn uid(&mut self) -> String {
        let a = self.u64();
        let b = self.u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_be_bytes());
        bytes[8..].copy_from_slice(&b.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.uid(), b.uid());
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
        assert_ne!(Rng::new(8).uid(), Rng::new(7).uid());
    }

    #[test]
    fn suffix_uses_upstream_alphabet() {
        let mut r = Rng::new(1);
        let s = r.name_suffix(200);
        assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
        assert!(!s.contains('a') && !s.contains('e') && !s.contains('0') && !s.contains('1'));
    }

    #[test]
    fn uid_is_uuid_v4_shaped() {
        let u = Rng::new(3).uid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
