//! Case references: a short part the visitor can read out and quote (`RB-7KQ2`), written in Crockford's base 32
//! (digits and capitals without `I`, `L`, `O` and `U`, so no two characters can be mistaken for one another),
//! and a long secret part only the visitor's
//! browser and the endpoint know, which is what a follow-up must show to learn anything about the case. The
//! browser layer supplies the random bytes from `crypto.getRandomValues`, so this stays testable.

use crate::prelude::*;

/// The 32 characters both parts are written with (Crockford's base 32).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters of the short part after `RB-`.
const SHORT: usize = 4;
/// Characters of the secret part: 5 bits each, 140 bits in all (with the short part, every bit of 20 bytes).
const SECRET: usize = 28;

/// One case's reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// What the visitor reads and quotes, e.g. `RB-7KQ2`.
    pub short: String,
    /// The unguessable part.
    pub secret: String,
}

impl Reference {
    /// The reference written from 20 random bytes.
    pub fn from_random(bytes: [u8; 20]) -> Reference {
        // 160 bits read 5 at a time: 32 characters, of which the first 4 are the short part.
        let mut chars = String::with_capacity(SHORT + SECRET);
        let (mut acc, mut bits) = (0u32, 0);
        for byte in bytes {
            acc = (acc << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 && chars.len() < SHORT + SECRET {
                bits -= 5;
                chars.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
        }
        Reference {
            short: ["RB-", &chars[..SHORT]].concat(),
            secret: chars[SHORT..].into(),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn readable_short_part_and_long_secret() {
        let r = Reference::from_random([0x5a; 20]);
        assert!(r.short.starts_with("RB-") && r.short.len() == 7);
        assert_eq!(r.secret.len(), SECRET);
        for c in r.short[3..].chars().chain(r.secret.chars()) {
            assert!(!"ILOU".contains(c), "{c} can be mistaken");
            assert!(c.is_ascii_digit() || c.is_ascii_uppercase());
        }
    }

    #[test]
    fn every_bit_counts() {
        let a = Reference::from_random([0; 20]);
        let mut bytes = [0; 20];
        bytes[19] = 0x20;
        let b = Reference::from_random(bytes);
        assert_eq!(a.short, b.short);
        assert_ne!(a.secret, b.secret, "the last bytes go into the secret");
        bytes[0] = 0x80;
        assert_ne!(Reference::from_random(bytes).short, a.short);
    }
}
