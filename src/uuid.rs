//! Response ids: random (version 4) UUIDs, written in the lowercase form the payload schema requires. The browser
//! layer supplies the random bytes from `crypto.getRandomValues`, so this stays testable.

use crate::prelude::*;

/// Formats 16 random bytes as a version 4 UUID, setting the version and variant bits.
pub fn v4(mut bytes: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::v4;

    #[test]
    fn sets_version_and_variant_and_keeps_the_rest() {
        assert_eq!(v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        let id = v4([
            0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 1, 2, 3, 4, 5, 6, 7,
        ]);
        assert_eq!(id, "12345678-9abc-4ef0-8f01-020304050607");
    }
}
