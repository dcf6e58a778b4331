//! Random secrets as lowercase hex, for tokens, session nonces and ids.

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `N` random bytes from the operating system, as hex.
pub fn random_hex<const N: usize>() -> Result<String, getrandom::Error> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lowercase_digits_per_byte() {
        assert_eq!(hex(&[0, 0xab, 0x7f]), "00ab7f");
    }

    #[test]
    fn random_values_differ() {
        let first = random_hex::<16>().expect("random");
        assert_eq!(first.len(), 32);
        assert_ne!(first, random_hex::<16>().expect("random"));
    }
}
