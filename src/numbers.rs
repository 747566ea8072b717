//! Number formatting shared by the template helpers and the charts, so a value reads the
//! same in prose, tables and chart labels.

/// `1234567.891` with 2 decimals → `1,234,567.89`; negative numbers get a true minus sign
/// (U+2212); a value that is not finite prints as `n/a`.
pub fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let rounded = format!("{:.*}", decimals.min(12), value.abs());
    let (int, frac) = match rounded.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rounded.as_str(), None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    // "-0.0" is not a number anyone wants to read.
    let zero = out.chars().all(|c| matches!(c, '0' | '.' | ','));
    if value < 0.0 && !zero {
        out.insert(0, '\u{2212}');
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
