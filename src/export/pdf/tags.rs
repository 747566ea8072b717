//! Tagged PDF: the structure tree, built from the [`Tag`] items layout put into the
//! frames, and the marked-content sequences of the content streams that tie each
//! piece of a page to its structure element.
//!
//! One state machine, [`Walker`], reads the tags in page order and decides for every
//! drawn item whether it is content of the innermost open element (a new marked-content
//! sequence with the next MCID when that element changes) or an artifact. The content
//! writer runs it over one page, starting from the page's [`Snapshot`] (the elements
//! still open from earlier pages), so a page's stream depends on the page and its
//! snapshot only (both go into the page hash). [`build`] runs it over all pages and
//! records the tree.

use std::sync::Arc;

use crate::layout::tag::{Element, StructRole, Tag};
use crate::layout::{FrameItem, PagedDocument, Point, Pt};

use super::hash::Hash128;

/// A node number in [`Tree::nodes`].
pub type NodeId = u32;

/// An element open in one of the walker's stacks.
#[derive(Debug, Clone)]
struct Open {
    role: StructRole,
    /// Distinguishes elements of the same role (a new one starts a new sequence).
    serial: u32,
    /// Its node in the tree; `None` inside an artifact and in the content writer.
    node: Option<NodeId>,
}

/// The marked-content sequence being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    /// None (between sequences).
    None,
    /// An artifact.
    Artifact,
    /// Content of the element with this serial.
    Content(u32),
}

/// What the stream must do before an item is drawn.
pub struct Switch {
    /// End the sequence that is open (EMC).
    pub close: bool,
    /// Begin an artifact (`None`) or content of `role` with this MCID.
    pub open: Option<(StructRole, u32)>,
    /// The node the content belongs to (the builder's view).
    node: Option<NodeId>,
}

/// The elements open where a page begins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    body: Vec<StructRole>,
    notes: Vec<StructRole>,
    in_notes: bool,
}

impl Snapshot {
    /// Feeds the snapshot into a page's hash.
    pub fn hash(&self, h: &mut Hash128) {
        for stack in [&self.body, &self.notes] {
            h.word(stack.len() as u64);
            for role in stack {
                h.str(role.name());
            }
        }
        h.tag(u8::from(self.in_notes));
    }
}

/// The tag state machine (see the module documentation).
pub struct Walker {
    body: Vec<Open>,
    notes: Vec<Open>,
    in_notes: bool,
    serial: u32,
    current: Marked,
    /// The next MCID on this page.
    mcid: u32,
}

impl Walker {
    /// A walker at the start of the document.
    pub fn new() -> Self {
        Self::resume(&Snapshot::default())
    }

    /// A walker at the start of a page with `snapshot` open (the content writer's).
    pub fn resume(snapshot: &Snapshot) -> Self {
        let mut serial = 0;
        let mut stack = |roles: &[StructRole]| -> Vec<Open> {
            roles
                .iter()
                .map(|&role| {
                    serial += 1;
                    Open { role, serial, node: None }
                })
                .collect()
        };
        let body = stack(&snapshot.body);
        let notes = stack(&snapshot.notes);
        Self {
            body,
            notes,
            in_notes: snapshot.in_notes,
            serial,
            current: Marked::None,
            mcid: 0,
        }
    }

    /// The elements open now (taken where a page begins).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            body: self.body.iter().map(|o| o.role).collect(),
            notes: self.notes.iter().map(|o| o.role).collect(),
            in_notes: self.in_notes,
        }
    }

    fn active(&self) -> &Vec<Open> {
        if self.in_notes {
            &self.notes
        } else {
            &self.body
        }
    }

    fn in_artifact(&self) -> bool {
        self.active().iter().any(|o| o.role == StructRole::Artifact)
    }

    /// Applies a tag. `make` creates the node of a started element given its parent
    /// (`None`: the document); it is not called inside artifacts.
    pub fn tag(
        &mut self,
        tag: &Tag,
        make: &mut impl FnMut(Option<NodeId>, &Arc<Element>) -> Option<NodeId>,
    ) {
        match tag {
            Tag::Start(e) => {
                self.serial += 1;
                let node = if e.role == StructRole::Artifact || self.in_artifact() {
                    None
                } else {
                    make(self.parent_for(e.role), e)
                };
                let open = Open { role: e.role, serial: self.serial, node };
                if self.in_notes {
                    self.notes.push(open);
                } else {
                    self.body.push(open);
                }
            }
            Tag::End => {
                if self.in_notes {
                    self.notes.pop();
                } else {
                    self.body.pop();
                }
            }
            Tag::NotesStart => self.in_notes = true,
            Tag::NotesEnd => self.in_notes = false,
            Tag::Hyphen => {}
        }
    }

    /// The parent of a new element: the innermost open one; a note's is the innermost
    /// body element that can hold a note (the paragraph or cell being read where the
    /// page's notes begin).
    fn parent_for(&self, role: StructRole) -> Option<NodeId> {
        if let Some(top) = self.active().last() {
            return top.node;
        }
        if self.in_notes || role == StructRole::Note {
            let holds = |r: StructRole| {
                matches!(
                    r,
                    StructRole::Sect
                        | StructRole::Div
                        | StructRole::P
                        | StructRole::LBody
                        | StructRole::TD
                        | StructRole::TH
                        | StructRole::BlockQuote
                        | StructRole::Note
                )
            };
            return self.body.iter().rev().find(|o| holds(o.role)).and_then(|o| o.node);
        }
        None
    }

    /// The node a link annotation belongs to: the innermost open Link element (or the
    /// innermost element if there is none).
    fn link_owner(&self) -> Option<NodeId> {
        let active = self.active();
        active
            .iter()
            .rev()
            .find(|o| o.role == StructRole::Link)
            .or(active.last())
            .and_then(|o| o.node)
    }

    /// The innermost open figure's node.
    fn figure(&self) -> Option<NodeId> {
        self.active()
            .iter()
            .rev()
            .find(|o| o.role == StructRole::Figure)
            .and_then(|o| o.node)
    }

    /// Decides how `item` (a drawn one) is marked; `None` if the open sequence goes on.
    pub fn draw(&mut self, item: &FrameItem) -> Option<Switch> {
        let shape = matches!(
            item,
            FrameItem::Rect { .. } | FrameItem::Line { .. } | FrameItem::Path { .. }
        );
        let top = self.active().last().cloned();
        let want = match top {
            None => Marked::Artifact,
            Some(_) if self.in_artifact() => Marked::Artifact,
            // Rules, fills and decorations are artifacts, except the marks of a figure.
            Some(_)
                if shape
                    && !self.active().iter().any(|o| o.role == StructRole::Figure) =>
            {
                Marked::Artifact
            }
            Some(ref o) => Marked::Content(o.serial),
        };
        if want == self.current {
            return None;
        }
        let close = self.current != Marked::None;
        self.current = want;
        let open = match (want, top) {
            (Marked::Content(_), Some(o)) => {
                self.mcid += 1;
                return Some(Switch {
                    close,
                    open: Some((o.role, self.mcid - 1)),
                    node: o.node,
                });
            }
            _ => None,
        };
        Some(Switch { close, open, node: None })
    }

    /// Ends the page; returns whether a sequence must be closed.
    pub fn end_page(&mut self) -> bool {
        let open = self.current != Marked::None;
        self.current = Marked::None;
        self.mcid = 0;
        open
    }
}

/// A structure element in the tree.
pub struct Node {
    /// The element as layout tagged it.
    pub element: Arc<Element>,
    /// Its parent (`None`: the document element).
    pub parent: Option<NodeId>,
    /// Its children in reading order.
    pub kids: Vec<Kid>,
    /// The page of its first marked content, if any.
    pub page: Option<usize>,
    /// A figure's bounding box on its first page (left, bottom, right, top).
    pub bbox: Option<[f64; 4]>,
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy)]
pub enum Kid {
    /// Another element.
    Node(NodeId),
    /// A marked-content sequence on a page.
    Mcid {
        /// 0-based page index.
        page: usize,
        /// The sequence's MCID.
        mcid: u32,
    },
    /// A link annotation: the `index`th link area of the page.
    Annot {
        /// 0-based page index.
        page: usize,
        /// Its index among the page's link areas.
        index: usize,
    },
}

/// The structure of the whole document.
pub struct Tree {
    /// Every element, parents before children.
    pub nodes: Vec<Node>,
    /// The top-level elements (children of the document element).
    pub roots: Vec<NodeId>,
    /// Per page: the owner of each MCID, in MCID order.
    pub mcids: Vec<Vec<Option<NodeId>>>,
    /// Per page: the owner of each link area, in page order.
    pub links: Vec<Vec<Option<NodeId>>>,
    /// Per page: the elements open where it begins.
    pub snapshots: Vec<Snapshot>,
}

/// Walks every page and builds the structure tree.
pub fn build(paged: &PagedDocument) -> Tree {
    let mut tree = Tree {
        nodes: Vec::new(),
        roots: Vec::new(),
        mcids: Vec::with_capacity(paged.pages.len()),
        links: Vec::with_capacity(paged.pages.len()),
        snapshots: Vec::with_capacity(paged.pages.len()),
    };
    let mut walker = Walker::new();
    for (index, page) in paged.pages.iter().enumerate() {
        tree.snapshots.push(walker.snapshot());
        let mut mcids = Vec::new();
        let mut links = Vec::new();
        let height = page.size.height;
        for (pos, item) in page.items() {
            match item {
                FrameItem::Tag(tag) => {
                    let nodes = &mut tree.nodes;
                    let roots = &mut tree.roots;
                    walker.tag(tag, &mut |parent, e| {
                        let id = nodes.len() as NodeId;
                        nodes.push(Node {
                            element: e.clone(),
                            parent,
                            kids: Vec::new(),
                            page: None,
                            bbox: None,
                        });
                        match parent {
                            Some(p) => nodes[p as usize].kids.push(Kid::Node(id)),
                            None => roots.push(id),
                        }
                        Some(id)
                    });
                }
                FrameItem::Link { .. } => {
                    let owner = walker.link_owner();
                    if let Some(n) = owner {
                        tree.nodes[n as usize]
                            .kids
                            .push(Kid::Annot { page: index, index: links.len() });
                    }
                    links.push(owner);
                }
                FrameItem::Anchor(_) => {}
                _ => {
                    if let Some(switch) = walker.draw(item) {
                        if let Some((_, mcid)) = switch.open {
                            mcids.push(switch.node);
                            if let Some(n) = switch.node {
                                let node = &mut tree.nodes[n as usize];
                                node.kids.push(Kid::Mcid { page: index, mcid });
                                node.page.get_or_insert(index);
                            }
                        }
                    }
                    if let Some(f) = walker.figure() {
                        let node = &mut tree.nodes[f as usize];
                        if node.page.is_none_or(|p| p == index) {
                            node.page = Some(index);
                            grow(&mut node.bbox, extent(*pos, item, height));
                        }
                    }
                }
            }
        }
        walker.end_page();
        tree.mcids.push(mcids);
        tree.links.push(links);
    }
    tree
}

/// Widens `bbox` to hold `r`.
fn grow(bbox: &mut Option<[f64; 4]>, r: [f64; 4]) {
    *bbox = Some(match *bbox {
        None => r,
        Some(b) => [b[0].min(r[0]), b[1].min(r[1]), b[2].max(r[2]), b[3].max(r[3])],
    });
}

/// An item's extent in PDF coordinates (left, bottom, right, top).
fn extent(pos: Point, item: &FrameItem, height: Pt) -> [f64; 4] {
    let (x, y) = (pos.x.0, pos.y.0);
    let flip = |x0: f64, y0: f64, x1: f64, y1: f64| {
        [x0.min(x1), height.0 - y0.max(y1), x0.max(x1), height.0 - y0.min(y1)]
    };
    match item {
        FrameItem::Text(run) => {
            let s = run.size.0;
            flip(x, y - s, x + run.width().0, y + s * 0.3)
        }
        FrameItem::Rect { size, .. } | FrameItem::Image { size, .. } => {
            flip(x, y, x + size.width.0, y + size.height.0)
        }
        FrameItem::Line { delta, .. } => flip(x, y, x + delta.x.0, y + delta.y.0),
        FrameItem::Path { points, .. } => {
            let (mut x0, mut y0, mut x1, mut y1) = (x, y, x, y);
            for p in points {
                x0 = x0.min(x + p.x.0);
                x1 = x1.max(x + p.x.0);
                y0 = y0.min(y + p.y.0);
                y1 = y1.max(y + p.y.0);
            }
            flip(x0, y0, x1, y1)
        }
        _ => flip(x, y, x, y),
    }
}
