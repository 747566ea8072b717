//! The structure tree, built a page at a time: [`fragment`] walks one page from its
//! snapshot (the elements still open from earlier pages) and records, in node numbers of
//! its own, the elements the page starts and the content and annotations it gives to each
//! element (new or still open), and the snapshot where the next page begins. A fragment
//! depends on the page and its snapshot only, so it is memoized with them; [`stitch`]
//! joins the fragments into the document's [`Tree`], touching each element once instead
//! of every item of every page.

use std::sync::Arc;

use super::tags::{NodeId, Snapshot, Walker};
use crate::layout::tag::Element;
use crate::layout::{FrameItem, Page, Point, Pt};

/// A structure element in the tree.
pub struct Node {
    /// The element as layout tagged it.
    pub element: Arc<Element>,
    /// Its parent (`None`: the document element).
    pub parent: Option<NodeId>,
    /// The page of its first marked content, if any.
    pub page: Option<u32>,
    /// A figure's bounding box on its first page (left, bottom, right, top); boxed, as
    /// few elements have one and a tree has tens of thousands.
    pub bbox: Option<Box<[f64; 4]>>,
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy)]
pub enum Kid {
    /// Another element.
    Node(NodeId),
    /// A marked-content sequence on a page.
    Mcid {
        /// 0-based page index.
        page: u32,
        /// The sequence's MCID.
        mcid: u32,
    },
    /// A link annotation: the `index`th link area of the page.
    Annot {
        /// 0-based page index.
        page: u32,
        /// Its index among the page's link areas.
        index: u32,
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
    /// Every element's kids, element after element (tens of thousands of small vectors
    /// would cost more than the tree), and where each element's begin.
    kids: Vec<Kid>,
    first_kid: Vec<u32>,
}

impl Tree {
    /// The kids of element `n`, in reading order.
    pub fn kids(&self, n: NodeId) -> &[Kid] {
        let n = n as usize;
        match (self.first_kid.get(n), self.first_kid.get(n + 1)) {
            (Some(&a), Some(&b)) => &self.kids[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// What one page adds to the tree, in node numbers of its own: the elements open where
/// it begins are 0, 1, … (see [`Walker::resume`](super::tags::Walker::resume)), the ones it starts follow.
pub struct Fragment {
    /// How many open elements the snapshot numbers.
    open: u32,
    /// What the page adds, in reading order.
    events: Vec<Event>,
    /// The elements the page starts, in the order of their [`Event::START`]s.
    elements: Vec<Arc<Element>>,
    /// Each element given content or a figure's marks, once.
    touched: Vec<NodeId>,
    /// The extent of each figure's marks: its index in `touched`, and the box.
    boxes: Vec<(u32, [f64; 4])>,
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
            && !self.events.iter().any(|e| e.kind() == Event::LINK)
    }
}

/// One step of a page's walk, in 32 bits (the session keeps every page's walk): its
/// kind in the top two bits and a node below them, plus one (0: none).
#[derive(Clone, Copy)]
struct Event(u32);

impl Event {
    /// An element starts (the next of the fragment's `elements`), as a child of the
    /// node (`None`: the document).
    const START: u32 = 0;
    /// The next MCID, content of the node (`None`: of no element).
    const MCID: u32 = 1;
    /// The next link area, owned by the node.
    const LINK: u32 = 2;

    fn new(kind: u32, node: Option<NodeId>) -> Self {
        // A page's nodes are numbered from 0 by its own elements, far below 2^30.
        let node = node.map_or(0, |n| (n + 1).min(Self::NODE));
        Self(kind << 30 | node)
    }

    const NODE: u32 = (1 << 30) - 1;

    fn kind(self) -> u32 {
        self.0 >> 30
    }

    fn node(self) -> Option<NodeId> {
        (self.0 & Self::NODE).checked_sub(1)
    }
}

/// The index of `n` in `touched`, added if it is not there.
fn touch(touched: &mut Vec<NodeId>, n: NodeId) -> usize {
    match touched.iter().position(|&t| t == n) {
        Some(at) => at,
        None => {
            touched.push(n);
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
    let open = snapshot.depth() as u32;
    let (mut events, mut elements) = (Vec::new(), Vec::new());
    let (mut touched, mut boxes) = (Vec::new(), Vec::<(u32, [f64; 4])>::new());
    let mut next = open;
    let height = page.size.height;
    for (pos, item) in &page.body.items {
        match item {
            FrameItem::Tag(tag) => walker.tag(tag, &mut |parent, e| {
                events.push(Event::new(Event::START, parent));
                elements.push(e.clone());
                next += 1;
                Some(next - 1)
            }),
            FrameItem::Link { .. } => {
                events.push(Event::new(Event::LINK, walker.link_owner()));
            }
            FrameItem::Anchor(_) => {}
            _ => {
                if let Some(switch) = walker.draw(item) {
                    if switch.open.is_some() {
                        events.push(Event::new(Event::MCID, switch.node));
                        if let Some(n) = switch.node {
                            touch(&mut touched, n);
                        }
                    }
                }
                if let Some(f) = walker.figure() {
                    let at = touch(&mut touched, f) as u32;
                    let r = extent(*pos, item, height);
                    match boxes.iter_mut().find(|b| b.0 == at) {
                        Some(b) => grow(&mut b.1, r),
                        None => boxes.push((at, r)),
                    }
                }
            }
        }
    }
    walker.end_page();
    let (end, end_nodes) = walker.snapshot();
    events.shrink_to_fit();
    elements.shrink_to_fit();
    touched.shrink_to_fit();
    Fragment { open, events, elements, touched, boxes, end, end_nodes }
}

/// What [`replay`] meets, in reading order.
enum Visit<'a> {
    /// An element starts (its node is the next number), as a child of `parent`.
    Start { parent: Option<NodeId>, element: &'a Arc<Element> },
    /// Element `owner` gets a kid that is not an element.
    Kid { owner: NodeId, kid: Kid },
    /// Element `node` has content or marks on `page`, a figure's extent there.
    Touch { node: NodeId, page: u32, bbox: Option<[f64; 4]> },
    /// A page ends: the owner of each of its MCIDs and link areas.
    Page { mcids: Vec<Option<NodeId>>, links: Vec<Option<NodeId>> },
}

/// Joins the pages' fragments, in page order, into the document's tree.
pub fn stitch<'a>(fragments: impl IntoIterator<Item = &'a Fragment> + Clone) -> Tree {
    stitch_from(0, fragments)
}

/// [`stitch`] for the pages from page `first` (0-based) on, the first of them beginning
/// with no element open: the tree's pages are numbered in the document, its
/// [`Tree::mcids`] and [`Tree::links`] start at page `first`.
pub fn stitch_from<'a>(
    first: usize,
    fragments: impl IntoIterator<Item = &'a Fragment> + Clone,
) -> Tree {
    let count = fragments.clone().into_iter().map(|f| f.elements.len()).sum();
    let mut tree = Tree {
        nodes: Vec::with_capacity(count),
        roots: Vec::new(),
        mcids: Vec::new(),
        links: Vec::new(),
        kids: Vec::new(),
        first_kid: Vec::new(),
    };
    // Two passes: the first makes the elements and counts each one's kids, the second
    // puts the kids in their places.
    let mut counts: Vec<u32> = Vec::with_capacity(count);
    replay(first, fragments.clone(), |visit| match visit {
        Visit::Start { parent, element } => {
            let id = tree.nodes.len() as NodeId;
            tree.nodes.push(Node {
                element: element.clone(),
                parent,
                page: None,
                bbox: None,
            });
            counts.push(0);
            match parent {
                Some(p) => counts[p as usize] += 1,
                None => tree.roots.push(id),
            }
        }
        Visit::Kid { owner, .. } => counts[owner as usize] += 1,
        // An element's page is that of its first content; a figure's box is the extent
        // of its marks there.
        Visit::Touch { node, page, bbox } => {
            let node = &mut tree.nodes[node as usize];
            if node.page.is_none() {
                node.page = Some(page);
                node.bbox = bbox.map(Box::new);
            }
        }
        Visit::Page { mut mcids, mut links } => {
            mcids.shrink_to_fit();
            links.shrink_to_fit();
            tree.mcids.push(mcids);
            tree.links.push(links);
        }
    });
    let mut next = 0;
    tree.first_kid.reserve_exact(counts.len() + 1);
    tree.first_kid.push(0);
    for c in &counts {
        next += c;
        tree.first_kid.push(next);
    }
    let mut cursor = tree.first_kid.clone();
    tree.kids = vec![Kid::Node(0); next as usize];
    let mut place = |owner: NodeId, kid: Kid| {
        let at = &mut cursor[owner as usize];
        tree.kids[*at as usize] = kid;
        *at += 1;
    };
    let mut id = 0;
    replay(first, fragments, |visit| match visit {
        Visit::Start { parent, .. } => {
            if let Some(p) = parent {
                place(p, Kid::Node(id));
            }
            id += 1;
        }
        Visit::Kid { owner, kid } => place(owner, kid),
        Visit::Touch { .. } | Visit::Page { .. } => {}
    });
    tree
}

/// Walks the fragments in page order, numbering their elements for the whole document.
fn replay<'a>(
    first: usize,
    fragments: impl IntoIterator<Item = &'a Fragment>,
    mut visit: impl FnMut(Visit<'a>),
) {
    // The nodes of the elements open where the page begins, then of those it starts.
    let mut open: Vec<Option<NodeId>> = Vec::new();
    let mut local: Vec<Option<NodeId>> = Vec::new();
    let mut next: NodeId = 0;
    for (index, f) in (first..).zip(fragments) {
        let page = index as u32;
        local.clear();
        local.extend(open.iter().copied());
        local.resize(f.open as usize, None);
        let map = |local: &[Option<NodeId>], n: Option<NodeId>| {
            n.and_then(|n| local.get(n as usize).copied().flatten())
        };
        let (mut mcids, mut links) = (Vec::new(), Vec::new());
        let mut elements = f.elements.iter();
        for event in &f.events {
            let node = map(&local, event.node());
            match event.kind() {
                Event::START => {
                    let Some(element) = elements.next() else { continue };
                    visit(Visit::Start { parent: node, element });
                    local.push(Some(next));
                    next += 1;
                }
                Event::MCID => {
                    if let Some(owner) = node {
                        let kid = Kid::Mcid { page, mcid: mcids.len() as u32 };
                        visit(Visit::Kid { owner, kid });
                    }
                    mcids.push(node);
                }
                _ => {
                    if let Some(owner) = node {
                        let kid = Kid::Annot { page, index: links.len() as u32 };
                        visit(Visit::Kid { owner, kid });
                    }
                    links.push(node);
                }
            }
        }
        for (at, &n) in f.touched.iter().enumerate() {
            if let Some(node) = map(&local, Some(n)) {
                let bbox = f.boxes.iter().find(|b| b.0 as usize == at).map(|b| b.1);
                visit(Visit::Touch { node, page, bbox });
            }
        }
        open.clear();
        open.extend(f.end_nodes.iter().map(|&n| map(&local, n)));
        visit(Visit::Page { mcids, links });
    }
}

/// Widens `b` to hold `r`.
fn grow(b: &mut [f64; 4], r: [f64; 4]) {
    *b = [b[0].min(r[0]), b[1].min(r[1]), b[2].max(r[2]), b[3].max(r[3])];
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
        FrameItem::Path(shape) => {
            let (mut x0, mut y0, mut x1, mut y1) = (x, y, x, y);
            for p in &shape.points {
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
