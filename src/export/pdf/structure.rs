//! Writing the structure tree: the StructTreeRoot, the Document element, one
//! StructElem per node, and the ParentTree that maps each page's MCIDs and each link
//! annotation back to its element.

use std::io::Write as _;

use crate::layout::tag::StructRole;

use super::tags::NodeId;
use super::tree::{Kid, Tree};
use super::writer::{int, num, reference, text_string, Ref, Writer};

/// The written link annotations: per page, each link area's object (if written).
pub type Annots = Vec<Vec<Option<Ref>>>;

/// Writes the tree; returns the StructTreeRoot's id. Pages carry `/StructParents` equal
/// to their index; annotation `k` (in page order, counting written ones) carries
/// `/StructParent` = page count + k, as `annot_keys` lists them.
pub fn write(
    w: &mut Writer,
    tree: &Tree,
    page_ids: &[Ref],
    annots: &Annots,
    annot_keys: &[(u32, Option<NodeId>)],
) -> Ref {
    let root = w.reserve();
    let document = w.reserve();
    let parent_tree = w.reserve();
    let ids: Vec<Ref> = tree.nodes.iter().map(|_| w.reserve()).collect();
    elements(w, tree, &ids, document, page_ids, annots);
    let roots: Vec<Ref> = tree.roots.iter().map(|&n| ids[n as usize]).collect();
    document_element(w, document, root, &roots);

    // The parent tree: a flat number tree (one array per page, one entry per annotation).
    let mut o = b"<</Nums[".to_vec();
    nums(&mut o, tree, 0, &ids, annot_keys);
    o.extend_from_slice(b"]>>");
    w.packed(parent_tree, &o);

    let next = tree.mcids.len() + annot_keys.len();
    tree_root(w, root, document, parent_tree, next);
    root
}

/// Writes every element of `tree` (packed), element `n` as object `ids[n]`; the
/// top-level ones are children of `document`.
pub fn elements(
    w: &mut Writer,
    tree: &Tree,
    ids: &[Ref],
    document: Ref,
    page_ids: &[Ref],
    annots: &Annots,
) {
    let mut o = Vec::with_capacity(256);
    for (i, node) in tree.nodes.iter().enumerate() {
        o.clear();
        let e = &node.element;
        o.extend_from_slice(b"<</Type/StructElem/S/");
        o.extend_from_slice(e.role.name().as_bytes());
        o.extend_from_slice(b"/P ");
        reference(&mut o, node.parent.map_or(document, |p| ids[p as usize]));
        let page = node.page;
        if let Some(p) = page {
            o.extend_from_slice(b"/Pg ");
            reference(&mut o, page_ids[p as usize]);
        }
        if let Some(alt) = &e.alt {
            if e.role == StructRole::Figure {
                o.extend_from_slice(b"/Alt");
                text_string(&mut o, alt);
            }
        }
        if let Some(lang) = &e.lang {
            o.extend_from_slice(b"/Lang");
            text_string(&mut o, lang);
        }
        if let Some(id) = &e.id {
            o.extend_from_slice(b"/ID");
            text_string(&mut o, id);
        }
        match (e.role, node.bbox.as_deref()) {
            (StructRole::TH, _) => o.extend_from_slice(b"/A<</O/Table/Scope/Column>>"),
            (StructRole::Figure, Some(b)) => {
                o.extend_from_slice(b"/A<</O/Layout/Placement/Block/BBox[");
                for (k, v) in b.iter().enumerate() {
                    if k > 0 {
                        o.push(b' ');
                    }
                    num(&mut o, *v);
                }
                o.extend_from_slice(b"]>>");
            }
            _ => {}
        }
        // A single kid is written bare (as most writers do).
        let kids = tree.kids(i as NodeId);
        let bare = kids.len() == 1 && !matches!(kids[0], Kid::Annot { .. });
        o.extend_from_slice(if bare { b"/K " } else { b"/K[" });
        for kid in kids {
            match *kid {
                Kid::Node(n) => {
                    reference(&mut o, ids[n as usize]);
                    o.push(b' ');
                }
                Kid::Mcid { page: p, mcid } if Some(p) == page => {
                    int(&mut o, u64::from(mcid));
                    o.push(b' ');
                }
                Kid::Mcid { page: p, mcid } => {
                    o.extend_from_slice(b"<</Type/MCR/Pg ");
                    reference(&mut o, page_ids[p as usize]);
                    o.extend_from_slice(b"/MCID ");
                    int(&mut o, u64::from(mcid));
                    o.extend_from_slice(b">> ");
                }
                Kid::Annot { page: p, index } => {
                    let (p, index) = (p as usize, index as usize);
                    if let Some(Some(annot)) = annots.get(p).and_then(|a| a.get(index)) {
                        o.extend_from_slice(b"<</Type/OBJR/Pg ");
                        reference(&mut o, page_ids[p]);
                        o.extend_from_slice(b"/Obj ");
                        reference(&mut o, *annot);
                        o.extend_from_slice(b">> ");
                    }
                }
            }
        }
        if o.last() == Some(&b' ') {
            o.pop();
        }
        o.extend_from_slice(if bare { b">>" } else { b"]>>" });
        w.packed(ids[i], &o);
    }
}

/// Writes the Document element (packed), the parent of the top-level elements `roots`.
pub fn document_element(w: &mut Writer, id: Ref, root: Ref, roots: &[Ref]) {
    let mut o = b"<</Type/StructElem/S/Document/P ".to_vec();
    reference(&mut o, root);
    o.extend_from_slice(b"/K[");
    for (k, &n) in roots.iter().enumerate() {
        if k > 0 {
            o.push(b' ');
        }
        reference(&mut o, n);
    }
    o.extend_from_slice(b"]>>");
    w.packed(id, &o);
}

/// Appends the parent tree's entries for `tree`, whose first page is page `first`: per
/// page, the element of each MCID; then the element of each annotation.
pub fn nums(
    o: &mut Vec<u8>,
    tree: &Tree,
    first: usize,
    ids: &[Ref],
    annot_keys: &[(u32, Option<NodeId>)],
) {
    for (page, owners) in tree.mcids.iter().enumerate() {
        let _ = write!(o, "{} [", first + page);
        for (k, owner) in owners.iter().enumerate() {
            if k > 0 {
                o.push(b' ');
            }
            match owner {
                Some(n) => reference(o, ids[*n as usize]),
                None => o.extend_from_slice(b"null"),
            }
        }
        o.extend_from_slice(b"]\n");
    }
    for &(key, owner) in annot_keys {
        int(o, u64::from(key));
        o.push(b' ');
        match owner {
            Some(n) => reference(o, ids[n as usize]),
            None => o.extend_from_slice(b"null"),
        }
        o.push(b'\n');
    }
}

/// Writes the StructTreeRoot; `next` is the first parent tree key not used.
pub fn tree_root(w: &mut Writer, id: Ref, document: Ref, parent_tree: Ref, next: usize) {
    let mut o = b"<</Type/StructTreeRoot/K ".to_vec();
    reference(&mut o, document);
    o.extend_from_slice(b"/ParentTree ");
    reference(&mut o, parent_tree);
    let _ = write!(o, "/ParentTreeNextKey {next}>>");
    w.object(id, &o);
}
