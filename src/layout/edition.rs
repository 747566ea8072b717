//! The last step of layout: the pages of the contents and the chapters get the cover,
//! the running heads and feet, and a numbered copy's watermark. What comes before is
//! kept in an [`Edition`], so each numbered copy of the edition is made from the
//! edition's pages: only its cover and watermark are new, and its running heads and
//! feet when their templates name a copy field.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use super::flow::Area;
use super::frame::{Frame, Page, PagedDocument};
use super::shape::Shaper;
use super::{furniture, watermark, Setup};
use crate::config::Furniture;
use crate::diag::{DiagResult, Diagnostic};
use crate::geom::{Pt, Size};
use crate::memo::Memo;
use crate::model::{CopyMark, Meta, PagePlace};

/// An edition laid out: its book, and what its numbered copies are made from.
pub struct Edition {
    /// The edition's book.
    paged: PagedDocument,
    /// The book's facts (a copy's are these and the copy).
    meta: Meta,
    /// The fonts and shapers, and the key of the fonts, locale and templates.
    setup: Arc<Setup>,
    fonts: u128,
    furniture: Furniture,
    page: Size,
    area: Area,
    body: Pt,
    /// The pages after the cover without furniture (kept only when the running heads
    /// and feet name a copy field: each copy then has its own).
    bare: Vec<Page>,
    /// Per page: the chapter running at its top, and its marking (see `decorate`).
    running: Vec<Option<String>>,
    markings: Vec<Option<String>>,
}

/// A numbered copy's pages: the edition's, with the copy's cover (the first page) and
/// watermark, and its own running heads and feet when `own_furniture`; the bodies of
/// the pages after the cover are the edition's.
pub struct CopyLayout {
    /// The pages.
    pub pages: Vec<Page>,
    /// Whether the running heads and feet are the copy's own (else they are the
    /// edition's on every page).
    pub own_furniture: bool,
}

/// The parts an edition's pages are made of, before its cover and furniture.
pub(super) struct Parts {
    pub meta: Meta,
    pub setup: Arc<Setup>,
    pub fonts: u128,
    pub furniture: Furniture,
    pub page: Size,
    pub area: Area,
    pub body: Pt,
    /// The pages after the cover, without furniture.
    pub pages: Vec<Page>,
    /// Per page (the cover first): the running chapter and the marking.
    pub running: Vec<Option<String>>,
    pub markings: Vec<Option<String>>,
    pub fonts_embedded: Vec<super::frame::EmbeddedFont>,
    pub outline: Vec<super::frame::OutlineEntry>,
}

impl Edition {
    /// The edition's book from its parts: the cover and the running heads and feet
    /// added (kept in `memo`). Returns the warnings of both.
    pub(super) fn new(
        parts: Parts,
        shaper: &mut Shaper,
        memo: &Memo,
    ) -> (Self, Vec<Diagnostic>) {
        let mut edition = Self {
            paged: PagedDocument {
                pages: Vec::new(),
                fonts: parts.fonts_embedded,
                outline: parts.outline,
            },
            meta: parts.meta,
            setup: parts.setup,
            fonts: parts.fonts,
            furniture: parts.furniture,
            page: parts.page,
            area: parts.area,
            body: parts.body,
            bare: Vec::new(),
            running: parts.running,
            markings: parts.markings,
        };
        if edition.furniture.names_copy_fields() {
            edition.bare = parts.pages.clone();
        }
        let meta = edition.meta.clone();
        let (pages, warnings) = edition.dress(parts.pages, &meta, shaper, memo, memo);
        edition.paged.pages = pages;
        (edition, warnings)
    }

    /// The edition's book.
    pub fn paged(&self) -> &PagedDocument {
        &self.paged
    }

    /// Whether the running heads and feet of its numbered copies are each copy's own
    /// (their templates name a copy field).
    pub fn copies_own_furniture(&self) -> bool {
        self.furniture.names_copy_fields()
    }

    /// The edition's book, the rest dropped.
    pub fn into_paged(self) -> PagedDocument {
        self.paged
    }

    /// The pages of copy `copy` (see [`CopyLayout`]). The steps only a copy has are
    /// not kept in `memo`, so a batch of copies does not fill it; a copy's warnings are
    /// the edition's, reported with it.
    pub fn copy(&self, copy: &CopyMark, memo: &Memo) -> DiagResult<CopyLayout> {
        let made = catch_unwind(AssertUnwindSafe(|| {
            let meta = Meta { copy: Some(copy.clone()), ..self.meta.clone() };
            let mut shaper = self.setup.shapers.take();
            let scratch = Memo::new();
            let own_furniture = self.furniture.names_copy_fields();
            let mut pages = match own_furniture {
                true => {
                    let bare = self.bare.clone();
                    self.dress(bare, &meta, &mut shaper, memo, &scratch).0
                }
                false => {
                    let mut pages = self.paged.pages.clone();
                    if let Some(first) = pages.first_mut() {
                        *first = self.cover(&meta, &mut shaper, &scratch).0;
                    }
                    pages
                }
            };
            if let Some(text) = copy.watermark.as_deref() {
                watermark::mark(&mut pages, &mut shaper, text);
            }
            shaper.take_warnings();
            self.setup.shapers.give(shaper);
            CopyLayout { pages, own_furniture }
        }));
        made.map_err(|_| {
            vec![Diagnostic::spanless("internal error during page layout")
                .with_hint("please report this as a bug")]
        })
    }

    /// A copy's pages as a book of their own.
    pub fn copy_paged(&self, copy: CopyLayout) -> PagedDocument {
        PagedDocument {
            pages: copy.pages,
            fonts: self.paged.fonts.clone(),
            outline: self.paged.outline.clone(),
        }
    }

    /// The pages for `meta`: its cover, then `bare` (the pages after it) with their
    /// running heads and feet (made in `memo`, or in `marked` when they name a copy's
    /// fields).
    fn dress(
        &self,
        bare: Vec<Page>,
        meta: &Meta,
        shaper: &mut Shaper,
        memo: &Memo,
        marked: &Memo,
    ) -> (Vec<Page>, Vec<Diagnostic>) {
        let (cover, mut warnings) = self.cover(meta, shaper, marked);
        let mut pages = Vec::with_capacity(bare.len() + 1);
        pages.push(cover);
        pages.extend(bare);
        warnings.extend(shaper.take_warnings());
        warnings.extend(furniture::decorate(
            &mut pages,
            &self.running,
            &self.markings,
            shaper,
            self.fonts,
            &self.furniture,
            meta,
            self.area,
            self.body,
            memo,
            marked,
        ));
        (pages, warnings)
    }

    /// The cover for `meta` (made in `marked`), and its warnings.
    fn cover(
        &self,
        meta: &Meta,
        shaper: &mut Shaper,
        marked: &Memo,
    ) -> (Page, Vec<Diagnostic>) {
        let (page, area, body) = (self.page, self.area, self.body);
        let (key, cover) =
            marked.get_keyed("cover", &(self.fonts, meta, page, area, body), || {
                let mut found = Vec::new();
                let lines = self.furniture.cover(meta);
                let frame =
                    furniture::cover(shaper, &lines, page, area, body, &mut found);
                found.splice(0..0, shaper.take_warnings());
                (Arc::new(frame), found)
            });
        let page = Page {
            number: 1,
            size: page,
            body: cover.0.clone(),
            furniture: Frame::default(),
            place: PagePlace::Cover,
            key,
            body_key: key,
            watermark: None,
        };
        (page, cover.1.clone())
    }
}
