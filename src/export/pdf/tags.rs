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
//! The tree is built by the same walker, a page at a time (see [`super::tree`]).

use std::sync::Arc;

use crate::layout::tag::{Element, StructRole, Tag};
use crate::layout::FrameItem;

/// A node number in [`Tree::nodes`](super::tree::Tree::nodes).
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
    pub(super) node: Option<NodeId>,
}

/// The elements open where a page begins.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Snapshot {
    body: Vec<StructRole>,
    notes: Vec<StructRole>,
    in_notes: bool,
}

impl Snapshot {
    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.body.len() + self.notes.len()
    }
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
    pub(super) fn snapshot(&self) -> (Snapshot, Vec<Option<NodeId>>) {
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
    pub(super) fn link_owner(&self) -> Option<NodeId> {
        let active = self.active();
        active
            .iter()
            .rev()
            .find(|o| o.role == StructRole::Link)
            .or(active.last())
            .and_then(|o| o.node)
    }

    /// The innermost open figure's node.
    pub(super) fn figure(&self) -> Option<NodeId> {
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
            FrameItem::Rect { .. } | FrameItem::Line { .. } | FrameItem::Path(_)
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
