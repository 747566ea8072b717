//! Tagged PDF: the structure tree, built from the [`Tag`] items layout put into the
//! frames, and the marked-content sequences of the content streams that tie each
//! piece of a page to its structure element.
//!
//! One state machine, [`Walker`], reads the tags in page order and decides for every
//! drawn item whether it is content of the innermost open element (a new marked-content
//! sequence with the next MCID when that element changes) or an artifact. The content
//! writer runs it over one page, starting from the page's [`Snapshot`] (the elements
//! still open from earlier pages), so a page's stream depends on the page and its
//! snapshot only (both go into the key of its memoized stream).
//!
//! The tree is built the same way, a page at a time: [`fragment`] walks one page from
//! its snapshot and records, in node numbers of its own, the elements the page starts
//! and the content and annotations it gives to each element (new or still open from
//! earlier pages), and the snapshot where the next page begins. A fragment depends on
//! the page and its snapshot only, so it is memoized with them; [`stitch`] joins the
//! fragments into the document's [`Tree`], touching each element once instead of
//! every item of every page.

use std::sync::Arc;

use crate::layout::tag::{Element, StructRole, Tag};
use crate::layout::{FrameItem, Page, Point, Pt};

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
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Snapshot {
    body: Vec<StructRole>,
    notes: Vec<StructRole>,
    in_notes: bool,
}

/// The tag state machine (see the module documentation).
#[derive(Clone)]
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
    /// A walker at the start of a page with `snapshot` open. The open elements are
    /// nodes 0, 1, … in snapshot order (body, then notes), but for artifacts and what
    /// they hold, which have no node.
    pub fn resume(snapshot: &Snapshot) -> Self {
        let mut serial = 0;
        let mut stack = |roles: &[StructRole]| -> Vec<Open> {
            let mut artifact = false;
            roles
                .iter()
                .map(|&role| {
                    let node = serial;
                    serial += 1;
                    artifact |= role == StructRole::Artifact;
                    Open { role, serial, node: (!artifact).then_some(node) }
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

    /// The elements open now (taken where a page ends) and their nodes, in the order
    /// [`Walker::resume`] numbers them.
    fn snapshot(&self) -> (Snapshot, Vec<Option<NodeId>>) {
        let snapshot = Snapshot {
            body: self.body.iter().map(|o| o.role).collect(),
            notes: self.notes.iter().map(|o| o.role).collect(),
            in_notes: self.in_notes,
        };
        (snapshot, self.body.iter().chain(&self.notes).map(|o| o.node).collect())
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

    /// Ends the stream, not the page (the page's next stream goes on with the same MCIDs);
    /// returns whether a sequence must be closed (the next drawn item opens its own).
    pub fn pause(&mut self) -> bool {
        let open = self.current != Marked::None;
        self.current = Marked::None;
        open
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
    /// Per page (from the tree's first page): the owner of each MCID, in MCID order.
    pub mcids: Vec<Vec<Option<NodeId>>>,
    /// Per page (from the tree's first page): the owner of each link area, in page order.
    pub links: Vec<Vec<Option<NodeId>>>,
}

/// What one page adds to the tree, in node numbers of its own: the elements open where
/// it begins are 0, 1, … (see [`Walker::resume`]), the ones it starts follow.
pub struct Fragment {
    /// How many open elements the snapshot numbers.
    open: u32,
    /// What the page adds, in reading order.
    events: Vec<Event>,
    /// Each element given content or a figure's marks, once, with its marks' extent.
    touched: Vec<(NodeId, Option<[f64; 4]>)>,
    /// Where the next page begins, and the node of each element open there.
    end: Snapshot,
    end_nodes: Vec<Option<NodeId>>,
}

impl Fragment {
    /// The snapshot where the next page begins.
    pub fn end(&self) -> &Snapshot {
        &self.end
    }

    /// Whether the page stands alone in the tree: it begins and ends with no element
    /// open and has no link area.
    pub fn stands_alone(&self) -> bool {
        self.open == 0
            && self.end == Snapshot::default()
            && !self.events.iter().any(|e| matches!(e, Event::Link(_)))
    }
}

/// One step of a page's walk.
enum Event {
    /// An element starts, as a child of `parent` (`None`: the document).
    Start { parent: Option<NodeId>, element: Arc<Element> },
    /// The next MCID, content of this element (`None`: of no element).
    Mcid(Option<NodeId>),
    /// The next link area, owned by this element.
    Link(Option<NodeId>),
}

/// The index of `n` in `touched`, added if it is not there.
fn touch(touched: &mut Vec<(NodeId, Option<[f64; 4]>)>, n: NodeId) -> usize {
    match touched.iter().position(|t| t.0 == n) {
        Some(at) => at,
        None => {
            touched.push((n, None));
            touched.len() - 1
        }
    }
}

/// Walks one page from `snapshot` (see [`Fragment`]).
///
/// Only the page's body is walked: the furniture is an artifact throughout (it starts no
/// element, takes no MCID and holds no link), so it adds nothing to the tree, and a page's
/// fragment serves every copy of the page whatever its running heads.
pub fn fragment(page: &Page, snapshot: &Snapshot) -> Fragment {
    let mut walker = Walker::resume(snapshot);
    let open = (snapshot.body.len() + snapshot.notes.len()) as u32;
    let mut events = Vec::new();
    let mut touched: Vec<(NodeId, Option<[f64; 4]>)> = Vec::new();
    let mut next = open;
    let height = page.size.height;
    for (pos, item) in &page.body.items {
        match item {
            FrameItem::Tag(tag) => walker.tag(tag, &mut |parent, e| {
                events.push(Event::Start { parent, element: e.clone() });
                next += 1;
                Some(next - 1)
            }),
            FrameItem::Link { .. } => events.push(Event::Link(walker.link_owner())),
            FrameItem::Anchor(_) => {}
            _ => {
                if let Some(switch) = walker.draw(item) {
                    if switch.open.is_some() {
                        events.push(Event::Mcid(switch.node));
                        if let Some(n) = switch.node {
                            touch(&mut touched, n);
                        }
                    }
                }
                if let Some(f) = walker.figure() {
                    let at = touch(&mut touched, f);
                    grow(&mut touched[at].1, extent(*pos, item, height));
                }
            }
        }
    }
    walker.end_page();
    let (end, end_nodes) = walker.snapshot();
    Fragment { open, events, touched, end, end_nodes }
}

/// Joins the pages' fragments, in page order, into the document's tree.
pub fn stitch<'a>(fragments: impl IntoIterator<Item = &'a Fragment>) -> Tree {
    stitch_from(0, fragments)
}

/// [`stitch`] for the pages from page `first` (0-based) on, the first of them beginning
/// with no element open: the tree's pages are numbered in the document, its
/// [`Tree::mcids`] and [`Tree::links`] start at page `first`.
pub fn stitch_from<'a>(
    first: usize,
    fragments: impl IntoIterator<Item = &'a Fragment>,
) -> Tree {
    let mut tree = Tree {
        nodes: Vec::new(),
        roots: Vec::new(),
        mcids: Vec::new(),
        links: Vec::new(),
    };
    // The nodes of the elements open where the page begins, then of those it starts.
    let mut open: Vec<Option<NodeId>> = Vec::new();
    let mut local: Vec<Option<NodeId>> = Vec::new();
    for (index, f) in (first..).zip(fragments) {
        local.clear();
        local.extend(open.iter().copied());
        local.resize(f.open as usize, None);
        let map = |local: &[Option<NodeId>], n: Option<NodeId>| {
            n.and_then(|n| local.get(n as usize).copied().flatten())
        };
        let (mut mcids, mut links) = (Vec::new(), Vec::new());
        for event in &f.events {
            match event {
                Event::Start { parent, element } => {
                    let id = tree.nodes.len() as NodeId;
                    let parent = map(&local, *parent);
                    tree.nodes.push(Node {
                        element: element.clone(),
                        parent,
                        kids: Vec::new(),
                        page: None,
                        bbox: None,
                    });
                    match parent {
                        Some(p) => tree.nodes[p as usize].kids.push(Kid::Node(id)),
                        None => tree.roots.push(id),
                    }
                    local.push(Some(id));
                }
                Event::Mcid(owner) => {
                    let owner = map(&local, *owner);
                    if let Some(n) = owner {
                        let mcid = mcids.len() as u32;
                        tree.nodes[n as usize].kids.push(Kid::Mcid { page: index, mcid });
                    }
                    mcids.push(owner);
                }
                Event::Link(owner) => {
                    let owner = map(&local, *owner);
                    if let Some(n) = owner {
                        tree.nodes[n as usize]
                            .kids
                            .push(Kid::Annot { page: index, index: links.len() });
                    }
                    links.push(owner);
                }
            }
        }
        // An element's page is that of its first content; a figure's box is the extent
        // of its marks there.
        for &(n, bbox) in &f.touched {
            if let Some(n) = map(&local, Some(n)) {
                let node = &mut tree.nodes[n as usize];
                if node.page.is_none() {
                    node.page = Some(index);
                    node.bbox = bbox;
                }
            }
        }
        open.clear();
        open.extend(f.end_nodes.iter().map(|&n| map(&local, n)));
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
