//! The few `f64` operations the widget needs that only `std` provides (`round`, `fract`, `powi`), written with
//! `core` alone for the `no_std` build. Without `std` the prelude adds them as methods through [`Float`], so the
//! code calling them reads the same in both builds.

/// Below this magnitude an `f64` can have a fraction; at or above it, every `f64` is a whole number.
const WHOLE: f64 = 4_503_599_627_370_496.0; // 2^52

/// `x` without its fraction, towards zero.
pub fn trunc(x: f64) -> f64 {
    // Also false for NaN, which stays NaN.
    if x.abs() < WHOLE {
        x as i64 as f64
    } else {
        x
    }
}

/// The nearest whole number, halves away from zero, as `f64::round`.
pub fn round(x: f64) -> f64 {
    let whole = trunc(x);
    let rest = x - whole;
    if rest >= 0.5 {
        whole + 1.0
    } else if rest <= -0.5 {
        whole - 1.0
    } else {
        whole
    }
}

/// The fraction of `x`, as `f64::fract`.
pub fn fract(x: f64) -> f64 {
    x - trunc(x)
}

/// `x` to the whole power `n`, by squaring.
pub fn powi(x: f64, n: i32) -> f64 {
    let mut base = if n < 0 { 1.0 / x } else { x };
    let mut exponent = n.unsigned_abs();
    let mut result = 1.0;
    while exponent > 0 {
        if exponent & 1 == 1 {
            result *= base;
        }
        base *= base;
        exponent >>= 1;
    }
    result
}

/// `round`, `fract` and `powi` as methods of `f64` where `std` does not provide them.
#[cfg(not(feature = "std"))]
pub trait Float {
    /// See [`round`].
    fn round(self) -> f64;
    /// See [`fract`].
    fn fract(self) -> f64;
    /// See [`powi`].
    fn powi(self, n: i32) -> f64;
}

#[cfg(not(feature = "std"))]
impl Float for f64 {
    fn round(self) -> f64 {
        round(self)
    }
    fn fract(self) -> f64 {
        fract(self)
    }
    fn powi(self, n: i32) -> f64 {
        powi(self, n)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const SAMPLES: [f64; 16] = [
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        0.49999999999999994,
        129.99,
        -7.25,
        1e6 + 0.5,
        4.5e15,
        1e300,
        -1e300,
        0.1,
        12_345_678.9,
    ];

    #[test]
    fn round_and_fract_agree_with_std() {
        for x in SAMPLES {
            assert_eq!(round(x), x.round(), "round {x}");
            assert_eq!(fract(x), x.fract(), "fract {x}");
        }
        assert!(round(f64::NAN).is_nan() && fract(f64::NAN).is_nan());
        assert_eq!(round(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn powers_of_two_are_exact() {
        for n in -3..40 {
            assert_eq!(powi(2.0, n), 2f64.powi(n), "2^{n}");
        }
        assert_eq!(powi(1.5, 3), 3.375);
    }
}
