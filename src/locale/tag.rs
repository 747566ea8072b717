//! Language tags (BCP 47), as the manifest, data columns and spans write them.

/// A light BCP 47 check: a 2–3 letter primary subtag, then alphanumeric subtags of
/// 1–8 characters (`kk`, `zh-Hans`, `uz-Latn`).
pub fn valid_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| {
            (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// The primary language subtag of a BCP 47 tag, lowercased (`en-GB` → `en`).
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}
