//! Chart geometry through the public API: no overlapping labels in any kind of chart,
//! zero baselines, fallbacks for awkward data, determinism, and a data edit that shows
//! up in both the drawing and the text alternative.

mod harness;

use briefbook::chart::{
    self, describe, layout_chart, Mark, NotoSansMetrics, Options, Plan,
};
use briefbook::layout::Pt;
use briefbook::model::{Block, BlockKind, Chart, ChartKind, Series};
use harness::*;

fn chart(
    kind: ChartKind,
    horizontal: bool,
    stacked: bool,
    series: &[(&str, &[f64])],
) -> Chart {
    let n = series.first().map_or(0, |s| s.1.len());
    Chart {
        kind,
        horizontal,
        stacked,
        number: Some(1),
        caption: None,
        source: None,
        data: String::new(),
        x_label: "Year".into(),
        y_label: "billion US dollars".into(),
        unit: Some("billion US dollars".into()),
        categories: (0..n).map(|i| format!("{}", 2010 + i)).collect(),
        series: series
            .iter()
            .map(|(name, v)| Series {
                name: name.to_string(),
                values: v.iter().map(|x| Some(*x)).collect(),
                decimals: None,
            })
            .collect(),
    }
}

fn geometry(c: &Chart) -> chart::Geometry {
    let options = Options { width: Pt(450.0), font_size: Pt(8.0) };
    layout_chart(c, options, &Default::default(), &mut NotoSansMetrics)
}

/// Every pair of labels is disjoint, every label is inside the chart's width, and
/// every coordinate is a finite number.
fn assert_readable(c: &Chart) {
    let g = geometry(c);
    let labels: Vec<_> = g.labels().collect();
    for (i, a) in labels.iter().enumerate() {
        let ba = a.bounds();
        assert!(ba.left.0.is_finite() && ba.top.0.is_finite(), "{a:?}");
        assert!(
            ba.left.0 >= -0.01 && ba.right.0 <= g.size.width.0 + 8.01,
            "outside: {a:?}"
        );
        for b in &labels[i + 1..] {
            assert!(!chart::overlaps(&ba, &b.bounds()), "overlap:\n{a:?}\n{b:?}");
        }
    }
    assert!(g.size.height.0 > 0.0 && g.size.height.0 < 700.0, "{:?}", g.size);
}

#[test]
fn labels_never_overlap_in_any_kind_of_chart() {
    let a: &[f64] = &[31.2, 27.9, 35.6, 41.3, 46.8, 52.1];
    let b: &[f64] = &[28.4, 30.1, 33.0, 44.9, 42.6, 47.7];
    let neg: &[f64] = &[2.8, -2.2, 2.6, -3.6, 4.2, 4.4];
    let tiny: &[f64] = &[0.001, 0.002, 0.0015, 0.003, 0.0, 0.004];
    let huge: &[f64] = &[1.2e9, 3.4e9, 2.2e9, 9.9e9, 5.0e9, 7.5e9];
    for kind in [ChartKind::Bar, ChartKind::Line] {
        for horizontal in [false, true] {
            for stacked in [false, true] {
                for series in [
                    vec![("A", a)],
                    vec![("A", a), ("B", b)],
                    vec![("A", a), ("B", b), ("C", neg), ("D", a)],
                    vec![("Balance", neg)],
                    vec![("Tiny", tiny)],
                    vec![("Huge", huge)],
                ] {
                    assert_readable(&chart(kind, horizontal, stacked, &series));
                }
            }
        }
    }
}

#[test]
fn long_category_names_and_many_categories_stay_readable() {
    let values: Vec<f64> = (0..30).map(|i| f64::from(i * 7 % 23) + 0.5).collect();
    let mut c = chart(ChartKind::Bar, false, false, &[("Value", &values)]);
    c.categories = (0..30).map(|i| format!("A rather long category name {i}")).collect();
    assert_eq!(chart::plan(&c), Plan::HorizontalBars);
    assert_readable(&c);
    c.kind = ChartKind::Line;
    assert_eq!(chart::plan(&c), Plan::Lines);
    assert_readable(&c);
}

#[test]
fn grouped_bars_that_would_not_fit_a_page_become_a_table() {
    let values: Vec<f64> = (0..20).map(f64::from).collect();
    let two = [("A", values.as_slice()), ("B", values.as_slice())];
    let c = chart(ChartKind::Bar, false, false, &two);
    assert_eq!(chart::plan(&c), Plan::HorizontalBars);
    assert_readable(&c);
    let three =
        [("A", values.as_slice()), ("B", values.as_slice()), ("C", values.as_slice())];
    assert_eq!(chart::plan(&chart(ChartKind::Bar, false, false, &three)), Plan::Table);
    // Stacked, the same data is one bar per category.
    let stacked = chart(ChartKind::Bar, false, true, &three);
    assert_eq!(chart::plan(&stacked), Plan::VerticalBars);
    assert_readable(&stacked);
}

#[test]
fn two_hundred_categories_become_a_table() {
    let values: Vec<f64> = (0..200).map(f64::from).collect();
    let c = chart(ChartKind::Bar, false, false, &[("Value", &values)]);
    assert_eq!(chart::plan(&c), Plan::Table);
    assert!(geometry(&c).marks.is_empty());
}

#[test]
fn bars_stand_on_a_zero_baseline() {
    let c = chart(ChartKind::Bar, false, false, &[("Trade", &[89.4, 94.8])]);
    let g = geometry(&c);
    let ticks: Vec<&str> = g.labels().map(|l| l.text.as_str()).collect();
    assert!(ticks.contains(&"0"), "{ticks:?}");
    let bars: Vec<_> = g
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::Rect { at, size, .. } => Some((at.y + size.height).0),
            _ => None,
        })
        .collect();
    assert_eq!(bars.len(), 2);
    assert!(
        (bars[0] - bars[1]).abs() < 1e-9,
        "bars end at different baselines: {bars:?}"
    );
}

#[test]
fn single_points_and_gaps_are_drawn() {
    let c = chart(ChartKind::Line, false, false, &[("Only", &[12.5])]);
    let g = geometry(&c);
    assert!(g.marks.iter().any(|m| matches!(m, Mark::Path { closed: true, .. })));
    assert!(
        describe(&c, &Default::default()).contains("12.5 billion US dollars in 2010"),
        "{}",
        describe(&c, &Default::default())
    );
    let mut c = chart(ChartKind::Line, false, false, &[("Gappy", &[1.0, 2.0, 3.0, 4.0])]);
    c.series[0].values[2] = None;
    assert_readable(&c);
}

#[test]
fn stacked_charts_state_their_totals() {
    let c =
        chart(ChartKind::Bar, false, true, &[("A", &[1.5, 2.0]), ("B", &[2.0, 3.25])]);
    let alt = describe(&c, &Default::default());
    assert!(alt.starts_with("Stacked bar chart."), "{alt}");
    assert!(alt.contains("Totals: 2010: 3.50; 2011: 5.25."), "{alt}");
}

#[test]
fn geometry_is_deterministic() {
    let c = chart(
        ChartKind::Line,
        false,
        false,
        &[("A", &[1.0, 5.0, 3.0]), ("B", &[2.0, 2.5, 4.0])],
    );
    assert_eq!(geometry(&c), geometry(&c));
}

/// The sample's trade chart, compiled from a copy of the sample briefing.
fn trade_chart(root: &std::path::Path) -> Chart {
    let mut sources = briefbook::diag::SourceMap::default();
    let mut warnings = Vec::new();
    let c = briefbook::compile::compile(
        &briefbook::world::World::new(root).unwrap(),
        &mut sources,
        &Default::default(),
        &mut warnings,
    )
    .expect("sample compiles");
    let mut found = None;
    briefbook::model::visit::each_block(&c.document, &mut |b: &Block| {
        if let BlockKind::Chart(ch) = &b.kind {
            if found.is_none() && ch.caption.is_some() {
                found = Some(ch.clone());
            }
        }
    });
    found.expect("the sample has a chart")
}

#[test]
fn editing_a_data_value_changes_the_chart_and_its_text_alternative() {
    let dir = temp_dir();
    copy_tree(&root().join("briefing"), dir.path());
    let before = trade_chart(dir.path());
    let alt = describe(&before, &Default::default());
    assert!(
        alt.contains("rose from 89.4 to 94.8 billion US dollars between 2023 and 2024"),
        "{alt}"
    );
    let csv = dir.path().join("data/trade.csv");
    let text = std::fs::read_to_string(&csv).unwrap().replace("94.8", "120.0");
    std::fs::write(&csv, text).unwrap();
    let after = trade_chart(dir.path());
    let alt = describe(&after, &Default::default());
    assert!(alt.contains("rose from 114.6 to 120.0 billion US dollars"), "{alt}");
    assert_ne!(geometry(&before), geometry(&after));
}

/// A small deterministic generator, so the "random" charts are the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
fn five_hundred_generated_charts_are_readable() {
    let mut rng = Lcg(42);
    let names = [
        "2024",
        "Kazakhstan",
        "Қазақстан",
        "中国",
        "A very long category name indeed",
        "",
    ];
    for _ in 0..500 {
        let n = 1 + rng.below(45) as usize;
        let k = 1 + rng.below(4) as usize;
        let scale = [0.001, 1.0, 100.0, 1e6, 1e12][rng.below(5) as usize];
        let signed = rng.below(3) == 0;
        let kind = if rng.below(2) == 0 { ChartKind::Bar } else { ChartKind::Line };
        let mut c = chart(kind, rng.below(2) == 0, rng.below(2) == 0, &[]);
        c.categories =
            (0..n).map(|i| format!("{} {i}", names[rng.below(6) as usize])).collect();
        c.series = (0..k)
            .map(|s| Series {
                name: format!("Series {s}"),
                values: (0..n)
                    .map(|_| {
                        let v = rng.below(1000) as f64 / 10.0 * scale;
                        match rng.below(12) {
                            0 => None,
                            1 => Some(0.0),
                            _ if signed && rng.below(2) == 0 => Some(-v),
                            _ => Some(v),
                        }
                    })
                    .collect(),
                decimals: None,
            })
            .collect();
        if chart::plan(&c) != Plan::Table {
            assert_readable(&c);
        }
        let _ = describe(&c, &Default::default());
    }
}
