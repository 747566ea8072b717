//! Number formatting shared by the template helpers and the charts, so a value reads the
//! same in prose, tables and chart labels.

/// The separators and minus sign of a language's numbers (from its catalogue, see
/// `crate::locale`). Precision is chosen by the caller; this only says how the digits
/// are written.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct NumberFormat {
    /// Between the integer and the fraction ("." in English, "," in Russian).
    pub decimal: String,
    /// Between groups of three digits ("," in English, a no-break space in Russian).
    pub group: String,
    /// Before a negative number (U+2212).
    pub minus: String,
}

impl Default for NumberFormat {
    /// English.
    fn default() -> Self {
        Self { decimal: ".".into(), group: ",".into(), minus: "\u{2212}".into() }
    }
}

/// `1234567.891` with 2 decimals → `1,234,567.89`; negative numbers get a true minus sign
/// (U+2212); a value that is not finite prints as `n/a`. English separators; see
/// [`format_number_in`].
pub fn format_number(value: f64, decimals: usize) -> String {
    format_number_in(value, decimals, &NumberFormat::default())
}

/// [`format_number`] with the separators of `format` (`1 234 567,89` in Russian).
pub fn format_number_in(value: f64, decimals: usize, format: &NumberFormat) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let rounded = format!("{:.*}", decimals.min(12), value.abs());
    let (int, frac) = match rounded.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rounded.as_str(), None),
    };
    // "-0.0" is not a number anyone wants to read.
    let zero = rounded.chars().all(|c| matches!(c, '0' | '.'));
    let mut out = String::new();
    if value < 0.0 && !zero {
        out.push_str(&format.minus);
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(&format.group);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push_str(&format.decimal);
        out.push_str(f);
    }
    out
}

/// Decimals that show a number as written, without binary noise (at most 3):
/// 94.8 → 1, 650000 → 0, 0.125 → 3.
pub fn natural_decimals(n: f64) -> usize {
    (0..=3)
        .find(|&d| {
            let f = (0..d).fold(1.0, |f, _| f * 10.0);
            ((n * f).round() / f - n).abs() < 1e-9
        })
        .unwrap_or(3)
}
