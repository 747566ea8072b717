//! Page furniture templates: the running heads and feet of printed pages, written as
//! handlebars templates in `[furniture]` and rendered once per page, as plain text; and
//! the cover template (see `cover`).

use handlebars::Handlebars;
use serde_json::{json, Value as Json};

use super::cover::{cover_context, render_cover, CoverLine, DEFAULT_COVER};
use super::meta::Meta;

/// The furniture templates as the layout receives them.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct FurnitureTemplates {
    /// Running heads and feet: the left, centre and right of the top margin, then of
    /// the bottom margin.
    pub slots: [String; 6],
    /// The cover template (see [`render_cover`]).
    pub cover: String,
}

impl Default for FurnitureTemplates {
    /// The marking centred at top and bottom, the chapter title at the bottom left and
    /// "Page N of M" at the bottom right; the shipped cover.
    fn default() -> Self {
        let slots = [
            "",
            "{{classification}}",
            "",
            "{{chapter}}",
            "{{classification}}",
            "Page {{page}} of {{pages}}",
        ]
        .map(String::from);
        Self { slots, cover: DEFAULT_COVER.to_string() }
    }
}

/// The book fields furniture templates can use.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct FurnitureBook {
    /// The title.
    pub title: String,
    /// The subtitle (empty if none).
    pub subtitle: String,
    /// The event (empty if none).
    pub event: String,
    /// The edition (empty if none).
    pub edition: String,
    /// The issuing organisation (empty if none).
    pub organisation: String,
    /// The classification marking.
    pub classification: String,
    /// The copy number, copy count, recipient and position of a numbered copy (all
    /// empty for a book that is not one).
    pub copy: CopyFields,
}

/// The numbered-copy values templates see: `copy`, `copies`, `recipient`, `position`
/// (empty strings for a book that is not a numbered copy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CopyFields {
    /// The copy number.
    pub copy: String,
    /// How many copies the edition has.
    pub copies: String,
    /// Who the copy is issued to.
    pub recipient: String,
    /// The recipient's position.
    pub position: String,
}

impl CopyFields {
    /// The values of a copy (empty for `None`).
    pub fn of(copy: Option<&super::CopyMark>) -> Self {
        copy.map_or_else(Self::default, |c| Self {
            copy: c.number.to_string(),
            copies: c.copies.to_string(),
            recipient: c.recipient.clone(),
            position: c.position.clone(),
        })
    }

    /// Adds the values to a template context object.
    pub fn insert_into(&self, context: &mut Json) {
        if let Json::Object(map) = context {
            map.insert("copy".into(), self.copy.clone().into());
            map.insert("copies".into(), self.copies.clone().into());
            map.insert("recipient".into(), self.recipient.clone().into());
            map.insert("position".into(), self.position.clone().into());
        }
    }
}

impl From<&Meta> for FurnitureBook {
    fn from(m: &Meta) -> Self {
        Self {
            title: m.title.clone(),
            subtitle: m.subtitle.clone().unwrap_or_default(),
            event: m.event.clone().unwrap_or_default(),
            edition: m.edition.clone().unwrap_or_default(),
            organisation: m.organisation.clone().unwrap_or_default(),
            classification: m.classification.clone(),
            copy: CopyFields::of(m.copy.as_ref()),
        }
    }
}

/// The values in scope for one page.
pub fn furniture_context(
    book: &FurnitureBook,
    page: usize,
    pages: usize,
    chapter: &str,
) -> Json {
    let mut context = json!({
        "page": page,
        "pages": pages,
        "chapter": chapter,
        // Markings are printed in capitals, as protocol requires.
        "classification": book.classification.trim().to_uppercase(),
        "title": book.title,
        "subtitle": book.subtitle,
        "event": book.event,
        "edition": book.edition,
        "organisation": book.organisation,
    });
    book.copy.insert_into(&mut context);
    context
}

fn registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    // Furniture is plain text for the page, not Markdown or HTML.
    hb.register_escape_fn(handlebars::no_escape);
    hb
}

/// Renders one template (strict: an unknown name is an error).
pub fn render_plain(template: &str, context: &Json) -> Result<String, String> {
    crate::nesting::template::check(template).map_err(|e| e.message())?;
    registry().render_template(template, context).map_err(|e| match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(p)) => {
            format!("unknown name `{p}`")
        }
        other => other.to_string(),
    })
}

/// The six furniture templates, parsed once and rendered for every page, and the cover
/// template.
pub struct Furniture {
    hb: Handlebars<'static>,
    cover: String,
    /// Whether a running head or foot may name a numbered copy's fields.
    names_copy: bool,
}

impl Furniture {
    /// Parses the templates (header left, centre, right; footer left, centre, right; the
    /// cover).
    pub fn new(templates: &FurnitureTemplates) -> Result<Self, String> {
        let mut hb = registry();
        for t in templates.slots.iter().chain([&templates.cover]) {
            crate::nesting::template::check(t).map_err(|e| e.message())?;
        }
        for (i, t) in templates.slots.iter().enumerate() {
            hb.register_template_string(&i.to_string(), t).map_err(|e| e.to_string())?;
        }
        hb.register_template_string("cover", &templates.cover)
            .map_err(|e| e.to_string())?;
        // A plain look at the text: a template that merely mentions one of the words is
        // taken to use it, which only costs a copy its own running heads.
        let names_copy = templates.slots.iter().any(|t| {
            ["copy", "copies", "recipient", "position"].iter().any(|w| t.contains(w))
        });
        Ok(Self { hb, cover: templates.cover.clone(), names_copy })
    }

    /// Whether the running heads and feet may show a numbered copy's fields; if not, a
    /// copy's are the edition's.
    pub fn names_copy_fields(&self) -> bool {
        self.names_copy
    }

    /// The cover's elements for `meta`; a template that fails gives an empty cover (the
    /// template was checked when the manifest was loaded).
    pub fn cover(&self, meta: &Meta) -> Vec<CoverLine> {
        render_cover(&self.cover, &cover_context(meta)).unwrap_or_default()
    }

    /// The text of slot `i` for a page; a template that fails gives an empty slot (the
    /// templates were checked when the manifest was loaded).
    pub fn render(&self, slot: usize, context: &Json) -> String {
        self.render_with(slot, &Self::context(context))
    }

    /// A page's values for [`Furniture::render_with`]: made once for all its slots
    /// (making them is most of the cost of rendering a slot).
    pub fn context(context: &Json) -> handlebars::Context {
        handlebars::Context::from(context.clone())
    }

    /// [`Furniture::render`] with the page's values made by [`Furniture::context`].
    pub fn render_with(&self, slot: usize, context: &handlebars::Context) -> String {
        let text = self.hb.render_with_context(&slot.to_string(), context);
        text.unwrap_or_default().trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_renders_page_numbers_and_rejects_unknown_names() {
        let book =
            FurnitureBook { classification: "Restricted".into(), ..Default::default() };
        let ctx = furniture_context(&book, 3, 15, "Trade");
        assert_eq!(
            render_plain("Page {{page}} of {{pages}}", &ctx).unwrap(),
            "Page 3 of 15"
        );
        assert_eq!(
            render_plain("{{classification}} – {{chapter}}", &ctx).unwrap(),
            "RESTRICTED – Trade"
        );
        assert!(render_plain("{{pagez}}", &ctx).unwrap_err().contains("pagez"));
        let slots = ["a", "{{page}}", "", "", "", "<&>"].map(String::from);
        let f =
            Furniture::new(&FurnitureTemplates { slots, ..Default::default() }).unwrap();
        assert_eq!(f.render(1, &ctx), "3");
        assert_eq!(f.render(5, &ctx), "<&>", "plain text, not escaped");
    }
}
