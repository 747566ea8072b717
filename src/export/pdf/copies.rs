//! Numbered copies: what every copy of an edition shares is written once.
//!
//! The copies of an edition differ in their cover, their watermark and, when the
//! templates name a copy field, their running heads and feet. Everything else (the body
//! streams and link annotations of the pages after the cover, their part of the
//! structure tree, the outline, the images, the metadata, the page objects themselves)
//! is the edition's. [`Shared`] writes those objects once, right after the file's
//! header; the objects of a copy they refer to (the cover's stream, the watermark and
//! furniture streams, the Document element, the resource dictionary naming the fonts)
//! have numbers reserved before them. Each copy goes on from a copy of those bytes
//! ([`Writer::resume`]), writes its own objects, and ends with the cross-reference
//! stream; its /ID is the SHA-256 of the file before the xref, as any book's, the
//! shared part hashed once.
//!
//! The structure tree's parent tree is a number tree of two leaves: the cover's (each
//! copy's own) and the other pages' (shared). A copy's fonts are subset to the glyphs it
//! shows, the edition's and its own.
//!
//! A copy whose cover does not stand alone in the structure tree (an element going on
//! to the next page, a link, an anchor, an image) is not written here: the caller
//! writes it like any book.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::objects::{
    annotations, page_object, resources_object, write_images, PageRefs,
};
use super::pages::{self, Body, Part, Walked};
use super::tags::Snapshot;
use super::tree;
use super::writer::{reference, Ref, Writer};
use super::{content, finish, font_objects, glyph_texts, image_objects, structure, Scan};
use crate::diag::Diagnostic;
use crate::layout::{EmbeddedFont, Page, PagedDocument, Size};
use crate::memo::Memo;
use crate::model::Meta;

/// A numbered copy's PDF: the bytes every copy of the edition begins with, then its own.
pub struct CopyFile {
    /// The shared bytes (one allocation for every copy).
    pub head: Arc<[u8]>,
    /// The copy's own bytes.
    pub own: Vec<u8>,
    /// The SHA-256 of the whole file.
    pub sha256: [u8; 32],
}

/// What the copies of an edition show besides the edition's pages.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Every page carries a watermark.
    pub watermark: bool,
    /// The running heads and feet are each copy's own.
    pub own_furniture: bool,
}

/// The objects the copies of an edition share, written once (see the module
/// documentation).
pub struct Shared<'m> {
    /// The header and the shared objects, and the writer that wrote them.
    head: Arc<[u8]>,
    sealed: Writer<'m>,
    ids: Ids,
    look: Look,
    /// The edition's top-level structure elements (after the cover's).
    roots: Vec<Ref>,
    fonts: Vec<EmbeddedFont>,
    faces: u128,
    /// Per face, the text of each glyph the shared pages show.
    texts: Vec<Vec<Option<Box<str>>>>,
    /// The images, by key.
    images: Vec<([u8; 32], Ref)>,
    /// The pages after the cover: the key of each body, and where its stream leaves
    /// the tag walker (a copy's own furniture goes on from there; kept only then).
    body_keys: Vec<u128>,
    bodies: Vec<Arc<Body>>,
    /// Room for a copy's own objects.
    more: usize,
}

/// The numbers of the objects a copy writes that shared objects refer to, and of the
/// shared objects a copy's refer to.
struct Ids {
    catalog: Ref,
    info: Ref,
    resources: Ref,
    pages: Vec<Ref>,
    /// The cover's content stream.
    cover: Ref,
    /// The watermark stream of each page size.
    watermarks: Vec<(Size, Ref)>,
    /// The furniture stream of each page after the cover (own furniture only).
    furniture: Vec<Ref>,
    document: Ref,
    /// The parent tree's leaf for the cover.
    cover_leaf: Ref,
    structure: Ref,
}

impl<'m> Shared<'m> {
    /// Writes the objects the copies of the edition `paged` share (`meta`: the
    /// edition's); the walks, bodies and images come from `memo`, which holds them for
    /// the session. `None` if the edition's cover does not stand alone.
    pub fn new(
        paged: &PagedDocument,
        meta: &Meta,
        look: Look,
        memo: &'m Memo,
    ) -> Result<Option<Self>, Diagnostic> {
        let n = paged.pages.len();
        let faces = pages::faces_key(paged);
        let (walks, snapshots) = pages::walk_all(paged, memo);
        if n < 2 || !alone(&walks[0]) {
            return Ok(None);
        }
        let rest = &walks[1..];
        let tree = tree::stitch_from(1, rest.iter().map(|w| &w.tags));
        let mut scan = Scan { anchors: BTreeMap::new(), links: vec![&[][..]] };
        for (index, walked) in (1..).zip(rest) {
            for (name, at) in &walked.anchors {
                scan.anchors.entry(name.as_str()).or_insert((index, *at));
            }
            scan.links.push(&walked.links);
        }
        let images = image_objects(paged, rest.iter().flat_map(|w| &w.images), memo)?;

        // The bodies, and the furniture when it is the edition's, the pages in parallel.
        let fonts = &paged.fonts;
        let made: Vec<(Arc<Body>, Option<Part>)> = paged.pages[1..]
            .par_iter()
            .zip(&snapshots[1..])
            .map(|(page, open)| {
                let body = pages::body(page, fonts, faces, open, memo);
                let furniture = match look.own_furniture {
                    true => None,
                    false => pages::furniture(page, fonts, &body),
                };
                (body, furniture)
            })
            .collect();
        let mut texts = vec![Vec::new(); fonts.len()];
        glyph_texts(
            &mut texts,
            made.iter().flat_map(|(body, furniture)| {
                body.glyphs.iter().chain(furniture.iter().flat_map(|f| f.1.iter()))
            }),
        );
        let texts = texts
            .into_iter()
            .map(|t| t.into_iter().map(|s| s.map(Box::from)).collect())
            .collect();

        let size = made
            .iter()
            .map(|(b, f)| b.stream.len() + f.as_ref().map_or(0, |f| f.0.len()) + 200)
            .sum::<usize>()
            + (1 << 20);
        let mut w = Writer::new(size, memo);
        let [catalog, page_tree, info, resources] = [(); 4].map(|()| w.reserve());
        let page_ids: Vec<Ref> = (0..n).map(|_| w.reserve()).collect();
        // A copy's own objects.
        let cover = w.reserve();
        let mut watermarks: Vec<(Size, Ref)> = Vec::new();
        for page in paged.pages.iter().filter(|_| look.watermark) {
            if !watermarks.iter().any(|(size, _)| *size == page.size) {
                watermarks.push((page.size, w.reserve()));
            }
        }
        let furniture: Vec<Ref> = match look.own_furniture {
            true => (1..n).map(|_| w.reserve()).collect(),
            false => Vec::new(),
        };
        let [document, cover_leaf] = [(); 2].map(|()| w.reserve());
        // The shared ones.
        let [structure, parent_tree, rest_leaf] = [(); 3].map(|()| w.reserve());
        let node_ids: Vec<Ref> = tree.nodes.iter().map(|_| w.reserve()).collect();
        let ids = Ids {
            catalog,
            info,
            resources,
            pages: page_ids,
            cover,
            watermarks,
            furniture,
            document,
            cover_leaf,
            structure,
        };

        let mut annot_keys = Vec::new();
        let mut written: structure::Annots = vec![Vec::new()];
        let mut contents = Vec::with_capacity(3);
        for (index, page) in paged.pages.iter().enumerate() {
            contents.clear();
            contents.extend(ids.watermark(page.size));
            let mut annots = Vec::new();
            if index == 0 {
                contents.push(ids.cover);
            } else {
                let (body, own) = &made[index - 1];
                let id = w.reserve();
                w.stream(id, b"/Filter/FlateDecode", &body.stream);
                contents.push(id);
                if let Some((stream, _)) = own {
                    let id = w.reserve();
                    w.stream(id, b"/Filter/FlateDecode", stream);
                    contents.push(id);
                }
                contents.extend(ids.furniture.get(index - 1));
                let on_page = annotations(
                    &mut w,
                    paged,
                    &scan,
                    &tree,
                    1,
                    &ids.pages,
                    index,
                    &mut annot_keys,
                );
                annots.extend(on_page.iter().flatten());
                written.push(on_page);
            }
            let refs = PageRefs { parent: page_tree, resources, contents: &contents };
            w.object(ids.pages[index], &page_object(page.size, &refs, &annots, index));
        }

        structure::elements(&mut w, &tree, &node_ids, document, &ids.pages, &written);
        let mut o = b"<</Kids[".to_vec();
        reference(&mut o, cover_leaf);
        o.push(b' ');
        reference(&mut o, rest_leaf);
        o.extend_from_slice(b"]>>");
        w.packed(parent_tree, &o);
        let last = annot_keys.last().map_or(n - 1, |&(key, _)| key as usize);
        let mut o = format!("<</Limits[1 {last}]/Nums[").into_bytes();
        structure::nums(&mut o, &tree, 1, &node_ids, &annot_keys);
        o.extend_from_slice(b"]>>");
        w.packed(rest_leaf, &o);
        structure::tree_root(
            &mut w,
            structure,
            document,
            parent_tree,
            n + annot_keys.len(),
        );

        let images = write_images(&mut w, &images);
        let closing = finish::Closing { catalog, page_tree, info, structure };
        finish::closing(&mut w, paged, &scan.anchors, &ids.pages, meta, &closing);
        let head = w.seal().into();

        let furniture_bytes = match look.own_furniture {
            true => 400 * n,
            false => 0,
        };
        Ok(Some(Self {
            head,
            sealed: w,
            ids,
            look,
            roots: tree.roots.iter().map(|&r| node_ids[r as usize]).collect(),
            fonts: fonts.clone(),
            faces,
            texts,
            images,
            body_keys: paged.pages[1..].iter().map(|p| p.body_key).collect(),
            bodies: match look.own_furniture {
                true => made.into_iter().map(|(body, _)| body).collect(),
                false => Vec::new(),
            },
            more: (1 << 20) + furniture_bytes,
        }))
    }

    /// The PDF of a copy whose pages are `pages` (the edition's after the cover, see
    /// [`crate::layout::CopyLayout`]); `memo` keeps the
    /// copy's fonts and watermark streams for the next copy. `None` if the copy does not
    /// fit the shared objects (its cover does not stand alone, or its pages are not the
    /// edition's).
    pub fn copy(
        &self,
        pages: &[Page],
        own_furniture: bool,
        memo: &Memo,
    ) -> Option<Result<CopyFile, Diagnostic>> {
        let fits = pages.len() == self.body_keys.len() + 1
            && own_furniture == self.look.own_furniture
            && pages[1..].iter().zip(&self.body_keys).all(|(p, k)| p.body_key == *k)
            && pages[0].furniture.items.is_empty();
        if !fits {
            return None;
        }
        let walked = pages::walk(&pages[0], &Snapshot::default());
        let marked = self.watermarked(pages)?;
        if !alone(&walked) {
            return None;
        }
        Some(self.write(pages, &walked, &marked, memo))
    }

    /// For each page size, the first page of that size (every page has the watermark
    /// of its size, or there are none); `None` if the pages' watermarks do not fit.
    fn watermarked(&self, pages: &[Page]) -> Option<Vec<usize>> {
        let mut first: Vec<Option<usize>> = vec![None; self.ids.watermarks.len()];
        for (index, page) in pages.iter().enumerate() {
            let at = self.ids.watermarks.iter().position(|(size, _)| *size == page.size);
            match (at, &page.watermark) {
                (None, None) => {}
                (Some(at), Some(mark)) => match first[at] {
                    None => first[at] = Some(index),
                    Some(seen) => {
                        let same = pages[seen].watermark.as_ref();
                        if !same.is_some_and(|s| Arc::ptr_eq(s, mark)) {
                            return None;
                        }
                    }
                },
                _ => return None,
            }
        }
        first.into_iter().collect()
    }

    fn write(
        &self,
        pages: &[Page],
        walked: &Walked,
        marked: &[usize],
        memo: &Memo,
    ) -> Result<CopyFile, Diagnostic> {
        let fonts = &self.fonts;
        let (cover, _) = content::body_content(&pages[0], fonts, &Snapshot::default());
        let watermarks: Vec<Part> = marked
            .iter()
            .filter_map(|&index| pages::watermark(&pages[index], fonts, memo))
            .collect();
        let furniture: Vec<Option<Part>> = match self.look.own_furniture {
            true => pages[1..]
                .iter()
                .zip(&self.bodies)
                .map(|(page, body)| pages::furniture(page, fonts, body))
                .collect(),
            false => Vec::new(),
        };

        let mut texts: Vec<Vec<Option<&str>>> =
            self.texts.iter().map(|t| t.iter().map(Option::as_deref).collect()).collect();
        let own = cover.glyphs.iter().chain(watermarks.iter().flat_map(|w| w.1.iter()));
        let own = own.chain(furniture.iter().flatten().flat_map(|f| f.1.iter()));
        glyph_texts(&mut texts, own);
        let font_objects = font_objects(fonts, &texts, self.faces, memo)?;

        let ids = &self.ids;
        let mut w = self.sealed.resume(memo, self.more);
        w.stream(
            ids.cover,
            b"/Filter/FlateDecode",
            &super::writer::deflate(&cover.stream),
        );
        for ((_, id), (stream, _)) in ids.watermarks.iter().zip(&watermarks) {
            w.stream(*id, b"/Filter/FlateDecode", stream);
        }
        for (&id, part) in ids.furniture.iter().zip(&furniture) {
            match part {
                Some((stream, _)) => w.stream(id, b"/Filter/FlateDecode", stream),
                None => w.stream(id, b"", b""),
            }
        }
        let tree = tree::stitch([&walked.tags]);
        let node_ids: Vec<Ref> = tree.nodes.iter().map(|_| w.reserve()).collect();
        let none = Vec::new();
        structure::elements(&mut w, &tree, &node_ids, ids.document, &ids.pages, &none);
        let mut roots: Vec<Ref> =
            tree.roots.iter().map(|&r| node_ids[r as usize]).collect();
        roots.extend_from_slice(&self.roots);
        structure::document_element(&mut w, ids.document, ids.structure, &roots);
        let mut o = b"<</Limits[0 0]/Nums[".to_vec();
        structure::nums(&mut o, &tree, 0, &node_ids, &[]);
        o.extend_from_slice(b"]>>");
        w.packed(ids.cover_leaf, &o);
        let font_refs: Vec<(usize, Ref)> = font_objects
            .iter()
            .map(|(index, font)| (*index, font.write(&mut w)))
            .collect();
        resources_object(&mut w, ids.resources, &font_refs, &self.images);
        let (own, sha256) = w.finish_hashed(ids.catalog, ids.info);
        Ok(CopyFile { head: self.head.clone(), own, sha256 })
    }
}

impl Ids {
    /// The watermark stream of pages of `size`, if copies have one.
    fn watermark(&self, size: Size) -> Option<Ref> {
        self.watermarks.iter().find(|(s, _)| *s == size).map(|&(_, id)| id)
    }
}

/// Whether a cover stands alone: its part of the structure tree begins and ends there,
/// and it has no link, anchor or image.
fn alone(walked: &Walked) -> bool {
    walked.tags.stands_alone()
        && walked.links.is_empty()
        && walked.anchors.is_empty()
        && walked.images.is_empty()
}
