//! Lengths and positions: points (1/72 inch), the unit the whole layout works in, and
//! millimetres, the unit `briefing.toml` gives page sizes and margins in.

use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A length in PostScript points (1/72 inch).
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Pt(pub f64);

impl std::hash::Hash for Pt {
    // By its bits: equal lengths hash alike (a memo key; `-0.0` and `0.0` differ, which
    // only costs a recomputation).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.to_bits());
    }
}

impl Pt {
    /// Zero length.
    pub const ZERO: Pt = Pt(0.0);

    /// The larger of two lengths.
    pub fn max(self, other: Pt) -> Pt {
        Pt(self.0.max(other.0))
    }

    /// The smaller of two lengths.
    pub fn min(self, other: Pt) -> Pt {
        Pt(self.0.min(other.0))
    }

    /// The raw number of points.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, rhs: Pt) -> Pt {
        Pt(self.0 + rhs.0)
    }
}

impl Sub for Pt {
    type Output = Pt;
    fn sub(self, rhs: Pt) -> Pt {
        Pt(self.0 - rhs.0)
    }
}

impl Neg for Pt {
    type Output = Pt;
    fn neg(self) -> Pt {
        Pt(-self.0)
    }
}

impl Mul<f64> for Pt {
    type Output = Pt;
    fn mul(self, rhs: f64) -> Pt {
        Pt(self.0 * rhs)
    }
}

impl Div<f64> for Pt {
    type Output = Pt;
    fn div(self, rhs: f64) -> Pt {
        Pt(self.0 / rhs)
    }
}

impl Div for Pt {
    type Output = f64;
    fn div(self, rhs: Pt) -> f64 {
        self.0 / rhs.0
    }
}

impl AddAssign for Pt {
    fn add_assign(&mut self, rhs: Pt) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Pt {
    fn sub_assign(&mut self, rhs: Pt) {
        self.0 -= rhs.0;
    }
}

impl std::iter::Sum for Pt {
    fn sum<I: Iterator<Item = Pt>>(iter: I) -> Pt {
        Pt(iter.map(|p| p.0).sum())
    }
}

/// A length in millimetres, as `briefing.toml` writes page sizes and margins.
///
/// Kept in the unit it was written in (not converted to [`Pt`] when read) so that sums of
/// millimetres are taken before the one conversion ([`Mm::to_pt`]): the text area is the
/// page less the sum of two margins, converted once, which fixes its last bit. A bound
/// check in millimetres also sees the number the user wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Mm(pub f64);

impl std::hash::Hash for Mm {
    // By its bits, as `Pt`.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.to_bits());
    }
}

impl Mm {
    /// Zero length.
    pub const ZERO: Mm = Mm(0.0);

    /// The same length in points.
    pub fn to_pt(self) -> Pt {
        Pt(self.0 * 72.0 / 25.4)
    }

    /// The raw number of millimetres.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl Add for Mm {
    type Output = Mm;
    fn add(self, rhs: Mm) -> Mm {
        Mm(self.0 + rhs.0)
    }
}

impl Sub for Mm {
    type Output = Mm;
    fn sub(self, rhs: Mm) -> Mm {
        Mm(self.0 - rhs.0)
    }
}

/// A position measured from the top-left corner of a page or frame, y growing downwards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Hash)]
pub struct Point {
    /// Distance from the left edge.
    pub x: Pt,
    /// Distance from the top edge.
    pub y: Pt,
}

impl Point {
    /// A point at `x`, `y`.
    pub fn new(x: Pt, y: Pt) -> Self {
        Self { x, y }
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, rhs: Point) -> Point {
        Point::new(self.x + rhs.x, self.y + rhs.y)
    }
}

/// A width and a height.
#[derive(Debug, Clone, Copy, Default, PartialEq, Hash)]
pub struct Size {
    /// Horizontal extent.
    pub width: Pt,
    /// Vertical extent.
    pub height: Pt,
}

impl Size {
    /// A size of `width` × `height`.
    pub fn new(width: Pt, height: Pt) -> Self {
        Self { width, height }
    }
}

/// One value per side of a page or box: the page margins are `Sides<Mm>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Hash)]
pub struct Sides<T> {
    /// The top side.
    pub top: T,
    /// The bottom side.
    pub bottom: T,
    /// The left side.
    pub left: T,
    /// The right side.
    pub right: T,
}

impl<T: Copy> Sides<T> {
    /// The same value on all four sides.
    pub fn splat(value: T) -> Self {
        Self { top: value, bottom: value, left: value, right: value }
    }

    /// The four values, top, bottom, left, right.
    pub fn all(self) -> [T; 4] {
        [self.top, self.bottom, self.left, self.right]
    }
}

/// An sRGB colour, 8 bits per channel (exact, so output bytes are stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Color {
    /// Black text.
    pub const BLACK: Color = Color::rgb(0x1a, 0x1a, 0x1a);
    /// Secondary text (notes, sources, furniture).
    pub const GREY: Color = Color::rgb(0x5f, 0x63, 0x68);
    /// Light rules.
    pub const RULE: Color = Color::rgb(0xb0, 0xb4, 0xba);
    /// Code and panel backgrounds.
    pub const TINT: Color = Color::rgb(0xf1, 0xf3, 0xf5);
    /// Links and accents.
    pub const ACCENT: Color = Color::rgb(0x1f, 0x4e, 0x9a);
    /// Warning asides.
    pub const WARN: Color = Color::rgb(0xb3, 0x5c, 0x00);
    /// Important asides and the classification marking.
    pub const RED: Color = Color::rgb(0xa8, 0x1c, 0x1c);

    /// A colour from its channels.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }
}
