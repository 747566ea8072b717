//! The text a shaped glyph stands for, stored without an allocation when it is one
//! character (nearly always): a book holds hundreds of thousands of glyphs, and a
//! `String` each would cost a heap block per glyph.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// A glyph's text: one character inline, or a ligature's text (or "") on the heap.
#[derive(Clone)]
pub struct GlyphText(Repr);

#[derive(Clone)]
enum Repr {
    /// One character, UTF-8 encoded in the first `len` bytes.
    Char { len: u8, bytes: [u8; 4] },
    /// Any other text; "" does not allocate.
    Other(Box<str>),
}

impl GlyphText {
    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always valid: the bytes come from a `char`.
            Repr::Char { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Other(s) => s,
        }
    }
}

impl Default for GlyphText {
    fn default() -> Self {
        Self(Repr::Other(Box::default()))
    }
}

impl Deref for GlyphText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for GlyphText {
    fn from(text: &str) -> Self {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Self::from(c),
            _ => Self(Repr::Other(text.into())),
        }
    }
}

impl From<String> for GlyphText {
    fn from(text: String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<char> for GlyphText {
    fn from(c: char) -> Self {
        let mut bytes = [0; 4];
        let len = c.encode_utf8(&mut bytes).len() as u8;
        Self(Repr::Char { len, bytes })
    }
}

impl PartialEq for GlyphText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for GlyphText {}

impl PartialEq<str> for GlyphText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for GlyphText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for GlyphText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_character_is_inline_and_reads_back() {
        for s in ["a", "é", "中", "😀", "", "fi", "ffi"] {
            let t = GlyphText::from(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(t, GlyphText::from(s.to_string()));
        }
        assert!(matches!(GlyphText::from("中").0, Repr::Char { len: 3, .. }));
        assert_eq!(GlyphText::from('x').as_str(), "x");
        // No larger than a boxed string: the glyph stays small.
        assert_eq!(std::mem::size_of::<GlyphText>(), 16);
    }
}
