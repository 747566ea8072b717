//! Markdown: block containers and inline markup, counted over pulldown-cmark's events.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{marker, Kind, TooDeep, LIMIT};

/// Every top-level element of `events` (parsed from `text`) that holds a container or
/// an inline element nesting deeper than the limit: the element's range of events, and
/// the first crossing in it. `base` is the block depth the text sits at (an aside's
/// text is one level inside the aside).
pub fn check(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    base: usize,
) -> Vec<(Range<usize>, TooDeep)> {
    let mut found = Vec::new();
    // Tags of any kind open, to find where each top-level element ends.
    let mut open = 0usize;
    let mut top_start = 0;
    let mut crossing: Option<TooDeep> = None;
    let mut blocks = base;
    let mut inlines = 0usize;
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => {
                if open == 0 {
                    top_start = i;
                }
                open += 1;
                let (level, kind) = if is_container(tag) {
                    blocks += 1;
                    (blocks, Kind::Blocks)
                } else if is_inline(tag) {
                    inlines += 1;
                    (inlines, Kind::Inlines)
                } else {
                    continue;
                };
                if level > LIMIT && crossing.is_none() {
                    crossing = Some(TooDeep { kind, range: marker(text, range.start) });
                }
            }
            Event::End(end) => {
                open = open.saturating_sub(1);
                if is_container_end(end) {
                    blocks = blocks.saturating_sub(1);
                } else if is_inline_end(end) {
                    inlines = inlines.saturating_sub(1);
                }
                if open == 0 {
                    if let Some(c) = crossing.take() {
                        found.push((top_start..i + 1, c));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(c) = crossing {
        found.push((top_start..events.len(), c));
    }
    found
}

/// Block quotes, lists and footnote definitions hold blocks (a list item belongs to its
/// list's level).
fn is_container(tag: &Tag<'_>) -> bool {
    matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_))
}

fn is_container_end(end: &TagEnd) -> bool {
    matches!(end, TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition)
}

/// Inline elements that hold inline content (an image's alt text may hold more images).
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
        let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
        Parser::new_ext(text, options).into_offset_iter().collect()
    }

    /// The first crossing.
    fn scan(text: &str, base: usize) -> Result<(), TooDeep> {
        check(text, &events(text), base)
            .into_iter()
            .next()
            .map_or(Ok(()), |(_, c)| Err(c))
    }

    #[test]
    fn quotes_and_lists_count_together() {
        let at_limit = format!("{}x\n", "> - ".repeat(LIMIT / 2));
        assert_eq!(scan(&at_limit, 0), Ok(()));
        let over = format!("{}x\n", "> - ".repeat(LIMIT / 2 + 1));
        let e = scan(&over, 0).unwrap_err();
        assert_eq!((e.kind, e.range), (Kind::Blocks, LIMIT * 2..LIMIT * 2 + 1));
        // The same text one level further in (inside an aside) is over the limit.
        assert_eq!(scan(&at_limit, 1).unwrap_err().kind, Kind::Blocks);
    }

    #[test]
    fn inline_markup_nests_per_paragraph() {
        let nest = |n: usize| format!("{}x{}\n", "*a ".repeat(n), " b*".repeat(n));
        assert_eq!(scan(&nest(LIMIT), 0), Ok(()));
        let e = scan(&nest(LIMIT + 1), 0).unwrap_err();
        assert_eq!((e.kind, e.range), (Kind::Inlines, LIMIT * 3..LIMIT * 3 + 1));
        // Siblings do not add up.
        assert_eq!(scan(&format!("{}\n{}", nest(LIMIT), nest(LIMIT)), 0), Ok(()));
    }

    #[test]
    fn each_top_level_element_that_nests_too_deeply_is_found() {
        let deep = format!("{}x", "> ".repeat(LIMIT + 1));
        let text = format!("# A\n\n{deep}\n\nok\n\n- {deep}\n");
        let events = events(&text);
        let found = check(&text, &events, 0);
        assert_eq!(found.len(), 2);
        let (first, second) = (&found[0].0, &found[1].0);
        assert!(matches!(events[first.start].0, Event::Start(Tag::BlockQuote(_))));
        assert!(matches!(events[first.end - 1].0, Event::End(TagEnd::BlockQuote(_))));
        assert!(matches!(events[first.end].0, Event::Start(Tag::Paragraph)));
        assert!(matches!(events[second.start].0, Event::Start(Tag::List(_))));
        assert_eq!(second.end, events.len());
    }
}
