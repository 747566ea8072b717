//! The template helpers: numbers, money, percentages, growth, arithmetic, column
//! aggregates, dates and row lookup. The `table` helper is in [`super::table`].

use std::collections::BTreeMap;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError,
    RenderErrorReason, ScopedJson,
};
use serde_json::Value as Json;

use super::format;
use super::lazy;
use crate::locale::Locale;
use crate::source::DataSet;

/// The data sets, for helpers given a placeholder ([`lazy`]) instead of rows.
type Data<'d> = Option<&'d BTreeMap<String, DataSet>>;

/// A helper's parameters, with typed access and messages that name the helper.
pub(super) struct Args<'a, 'rc> {
    h: &'a Helper<'rc>,
    data: Data<'a>,
    /// The book's language: separators, currency placement, month names.
    locale: &'a Locale,
}

/// The rows a summarising helper reads: a list of JSON rows, or a data set itself.
enum Table<'a> {
    Json(&'a [Json]),
    Set(&'a DataSet),
}

impl Table<'_> {
    fn len(&self) -> usize {
        match self {
            Table::Json(rows) => rows.len(),
            Table::Set(set) => set.rows.len(),
        }
    }
}

impl Args<'_, '_> {
    fn name(&self) -> &str {
        self.h.name()
    }

    /// Parameter `i` as JSON.
    pub(super) fn json(&self, i: usize) -> Result<&Json, String> {
        self.h.param(i).map(|p| p.value()).ok_or_else(|| {
            format!("`{}` needs a parameter at position {}", self.name(), i + 1)
        })
    }

    /// Parameter `i` as rows: a list, or a placeholder for a data set.
    fn table(&self, i: usize) -> Result<Table<'_>, String> {
        let v = self.json(i)?;
        if let Some(set) = lazy::data_set_in(v, self.data) {
            return Ok(Table::Set(set));
        }
        match v {
            Json::Array(rows) => Ok(Table::Json(rows)),
            v => Err(format!(
                "`{}` expects a data set (a list of rows), found {}",
                self.name(),
                show(v)
            )),
        }
    }

    /// Parameter `i` as a number (numeric strings are accepted).
    pub(super) fn num(&self, i: usize) -> Result<f64, String> {
        let v = self.json(i)?;
        as_number(v).ok_or_else(|| {
            format!("`{}` expects a number, found {}", self.name(), show(v))
        })
    }

    /// Parameter `i` as a string.
    pub(super) fn str(&self, i: usize) -> Result<String, String> {
        match self.json(i)? {
            Json::String(s) => Ok(s.clone()),
            Json::Number(n) => Ok(n.to_string()),
            v => Err(format!("`{}` expects text, found {}", self.name(), show(v))),
        }
    }

    /// Hash parameter `key` as a string, if given.
    pub(super) fn hash_str(&self, key: &str) -> Result<Option<String>, String> {
        match self.h.hash_get(key).map(|p| p.value()) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(Json::Number(n)) => Ok(Some(n.to_string())),
            Some(v) => {
                Err(format!("`{}`: `{key}` must be text, found {}", self.name(), show(v)))
            }
        }
    }

    /// Hash parameter `decimals`, or `default`.
    fn decimals(&self, default: usize) -> Result<usize, String> {
        self.decimals_or(|| default)
    }

    /// Hash parameter `decimals`, or as many as `value` is written with (never silently
    /// rounding 94.8 to 95).
    fn decimals_for(&self, value: f64) -> Result<usize, String> {
        self.decimals_or(|| format::natural_decimals(value))
    }

    fn decimals_or(&self, default: impl FnOnce() -> usize) -> Result<usize, String> {
        match self.h.hash_get("decimals").map(|p| p.value()) {
            None => Ok(default()),
            Some(Json::Number(n)) if n.as_u64().is_some_and(|d| d <= 12) => {
                Ok(n.as_u64().unwrap_or(0) as usize)
            }
            Some(v) => Err(format!(
                "`{}`: `decimals` must be a whole number from 0 to 12, found {}",
                self.name(),
                show(v)
            )),
        }
    }
}

/// A value as a number, if it is one (or a numeric string).
pub(super) fn as_number(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A short description of a value for error messages.
pub(super) fn show(v: &Json) -> String {
    match v {
        Json::Null => "nothing (an empty or missing value)".into(),
        Json::String(s) => format!("the text `{s}`"),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "a record".into(),
        other => format!("`{other}`"),
    }
}

type HelperFn = fn(&Args<'_, '_>) -> Result<Json, String>;

/// Wraps a plain function as a handlebars helper whose errors are render errors.
struct Simple<'d>(HelperFn, Data<'d>, &'d Locale);

impl HelperDef for Simple<'_> {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        if r.strict_mode() {
            if let Some(p) = h.params().iter().find(|p| p.is_value_missing()) {
                return Err(RenderErrorReason::MissingVariable(
                    p.relative_path().cloned(),
                )
                .into());
            }
        }
        (self.0)(&Args { h, data: self.1, locale: self.2 })
            .map(ScopedJson::Derived)
            .map_err(|m| RenderErrorReason::Other(m).into())
    }
}

/// Registers every helper of this module; `data` resolves placeholders for data sets,
/// `locale` is the book's language.
pub(super) fn register<'d>(hb: &mut Handlebars<'d>, data: Data<'d>, locale: &'d Locale) {
    let helpers: [(&str, HelperFn); 19] = [
        ("num", num),
        ("money", money),
        ("unit", unit),
        ("percent", percent),
        ("growth", growth),
        ("add", |a| arith(a, |x, y| Ok(x + y))),
        ("sub", |a| arith(a, |x, y| Ok(x - y))),
        ("mul", |a| arith(a, |x, y| Ok(x * y))),
        ("div", |a| {
            arith(
                a,
                |x, y| if y == 0.0 { Err("division by zero".into()) } else { Ok(x / y) },
            )
        }),
        ("sum", |a| aggregate(a, |v| Some(v.iter().sum()))),
        ("min", |a| aggregate(a, |v| v.iter().copied().reduce(f64::min))),
        ("max", |a| aggregate(a, |v| v.iter().copied().reduce(f64::max))),
        ("avg", |a| {
            aggregate(a, |v| {
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            })
        }),
        ("count", count),
        ("date", date),
        ("daterange", daterange),
        ("row", row),
        ("round", round),
        ("quote", quote),
    ];
    for (name, f) in helpers {
        hb.register_helper(name, Box::new(Simple(f, data, locale)));
    }
}

fn num(a: &Args<'_, '_>) -> Result<Json, String> {
    let x = a.num(0)?;
    Ok(a.locale.number(x, a.decimals_for(x)?).into())
}

fn money(a: &Args<'_, '_>) -> Result<Json, String> {
    let currency = a.hash_str("currency")?.unwrap_or_else(|| "USD".into());
    let x = a.num(0)?;
    let amount = a.locale.number(x, a.decimals_for(x)?);
    let scale = a.hash_str("scale")?;
    Ok(a.locale.money(&amount, &currency, scale.as_deref()).into())
}

fn unit(a: &Args<'_, '_>) -> Result<Json, String> {
    let x = a.num(0)?;
    Ok(format!("{} {}", a.locale.number(x, a.decimals_for(x)?), a.str(1)?).into())
}

fn percent(a: &Args<'_, '_>) -> Result<Json, String> {
    let x = a.num(0)?;
    Ok(a.locale.percent(&a.locale.number(x, a.decimals_for(x)?)).into())
}

/// `{{quote "text"}}`: the text in the book's quotation marks (`inner=true` for a
/// quotation inside a quotation).
fn quote(a: &Args<'_, '_>) -> Result<Json, String> {
    let inner =
        matches!(a.h.hash_get("inner").map(|p| p.value()), Some(Json::Bool(true)));
    Ok(a.locale.quote(&a.str(0)?, inner).into())
}

fn growth(a: &Args<'_, '_>) -> Result<Json, String> {
    let (old, new) = (a.num(0)?, a.num(1)?);
    if old == 0.0 {
        return Err("`growth` from zero is undefined".into());
    }
    let pct = (new - old) / old * 100.0;
    let text = a.locale.number(pct, a.decimals(1)?);
    let sign = if pct > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "+"
    } else {
        ""
    };
    Ok(a.locale.percent(&format!("{sign}{text}")).into())
}

fn round(a: &Args<'_, '_>) -> Result<Json, String> {
    let d = a.decimals(0)? as i32;
    let factor = (0..d).fold(1.0, |f, _| f * 10.0);
    Ok(json_number((a.num(0)? * factor).round() / factor))
}

fn arith(
    a: &Args<'_, '_>,
    op: fn(f64, f64) -> Result<f64, String>,
) -> Result<Json, String> {
    Ok(json_number(op(a.num(0)?, a.num(1)?)?))
}

fn json_number(x: f64) -> Json {
    // Round away binary noise (94.8 - 5.4 = 89.39999999999999) so that printed values are stable.
    let cleaned = (x * 1e9).round() / 1e9;
    if cleaned.fract() == 0.0 && cleaned.abs() < 9e15 {
        return Json::from(cleaned as i64);
    }
    serde_json::Number::from_f64(cleaned).map_or(Json::Null, Json::Number)
}

/// The numbers in column `col` of a list of rows.
fn column_values(a: &Args<'_, '_>) -> Result<Vec<f64>, String> {
    let rows = a.table(0)?;
    let col = a.str(1)?;
    let mut out = Vec::new();
    // Row `i` (0-based) holds `cell` in the column.
    let mut take = |i: usize, cell: Option<&Json>| -> Result<(), String> {
        match cell {
            None => Err(format!("`{}`: row {} has no column `{col}`", a.name(), i + 1)),
            Some(Json::Null) => Ok(()),
            Some(v) => {
                let x = as_number(v).ok_or_else(|| {
                    format!(
                        "`{}`: column `{col}` row {} is {}, not a number",
                        a.name(),
                        i + 1,
                        show(v)
                    )
                })?;
                out.push(x);
                Ok(())
            }
        }
    };
    match rows {
        Table::Json(rows) => {
            for (i, r) in rows.iter().enumerate() {
                take(i, r.get(&col))?;
            }
        }
        Table::Set(set) => {
            let index = set.column(&col);
            for (i, r) in set.rows.iter().enumerate() {
                take(i, index.map(|c| r.value(c).to_json()).as_ref())?;
            }
        }
    }
    Ok(out)
}

fn aggregate(a: &Args<'_, '_>, f: fn(&[f64]) -> Option<f64>) -> Result<Json, String> {
    let values = column_values(a)?;
    f(&values)
        .map(json_number)
        .ok_or_else(|| format!("`{}` of an empty column", a.name()))
}

fn count(a: &Args<'_, '_>) -> Result<Json, String> {
    match a.table(0) {
        Ok(rows) => Ok(rows.len().into()),
        Err(_) => Err(format!("`count` expects a data set, found {}", show(a.json(0)?))),
    }
}

fn date(a: &Args<'_, '_>) -> Result<Json, String> {
    let text = a.str(0)?;
    let d = format::parse_date(&text)
        .ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))?;
    match a.h.param(1) {
        Some(_) => a.locale.strftime(d, &a.str(1)?).map(Json::String),
        None => Ok(a.locale.date(d).into()),
    }
}

fn daterange(a: &Args<'_, '_>) -> Result<Json, String> {
    let parse = |i| {
        let t = a.str(i)?;
        format::parse_date(&t).ok_or_else(|| format!("`{t}` is not a date (YYYY-MM-DD)"))
    };
    let (start, end) = (parse(0)?, parse(1)?);
    if end < start {
        return Err("`daterange`: the end is before the start".into());
    }
    Ok(a.locale.date_range(start, end).into())
}

fn row(a: &Args<'_, '_>) -> Result<Json, String> {
    let rows =
        a.table(0).map_err(|_| "`row` expects a data set (a list of rows) first")?;
    let col = a.str(1)?;
    let key = a.json(2)?;
    let same = |v: &Json| match (as_number(v), as_number(key)) {
        (Some(x), Some(y)) => x == y,
        _ => v == key,
    };
    let found = match rows {
        Table::Json(rows) => rows.iter().find(|r| r.get(&col).is_some_and(same)).cloned(),
        Table::Set(set) => set.column(&col).and_then(|i| {
            let r = set.rows.iter().find(|r| same(&r.value(i).to_json()))?;
            Some(set.row_json(r))
        }),
    };
    found.ok_or_else(|| format!("no row has `{col}` equal to {}", show(key)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static ENGLISH: std::sync::LazyLock<Locale> =
        std::sync::LazyLock::new(Locale::default);

    fn render(template: &str, data: Json) -> Result<String, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb, None, &ENGLISH);
        hb.render_template(template, &data).map_err(|e| e.to_string())
    }

    #[test]
    fn number_helpers() {
        assert_eq!(render("{{num 650000}}", json!({})).unwrap(), "650,000");
        assert_eq!(
            render("{{num 94.8}}", json!({})).unwrap(),
            "94.8",
            "never rounds silently"
        );
        assert_eq!(render("{{num 94.8 decimals=0}}", json!({})).unwrap(), "95");
        assert_eq!(render("{{num x decimals=1}}", json!({"x": 94.8})).unwrap(), "94.8");
        assert_eq!(
            render("{{money 94.8 decimals=1 scale=\"billion\"}}", json!({})).unwrap(),
            "$94.8 billion"
        );
        assert_eq!(render("{{money 5 currency=\"CNY\"}}", json!({})).unwrap(), "CN¥5");
        assert_eq!(render("{{unit 1234 \"km\"}}", json!({})).unwrap(), "1,234 km");
        assert_eq!(render("{{percent 78}}", json!({})).unwrap(), "78%");
        assert_eq!(render("{{growth 89.4 94.8}}", json!({})).unwrap(), "+6.0%");
        assert_eq!(
            render("{{growth 100 90 decimals=0}}", json!({})).unwrap(),
            "\u{2212}10%"
        );
        assert_eq!(
            render("{{num (sub 94.8 5.4) decimals=1}}", json!({})).unwrap(),
            "89.4"
        );
        assert_eq!(render("{{sub 94.8 5.4}}", json!({})).unwrap(), "89.4");
        assert!(render("{{div 1 0}}", json!({}))
            .unwrap_err()
            .contains("division by zero"));
        assert!(render("{{num \"abc\"}}", json!({}))
            .unwrap_err()
            .contains("expects a number"));
    }

    #[test]
    fn aggregates_and_lookup() {
        let rows = json!({"t": [{"y": 2023, "v": 1.5}, {"y": 2024, "v": 2.5}, {"y": 2025, "v": null}]});
        assert_eq!(render("{{sum t \"v\"}}", rows.clone()).unwrap(), "4");
        assert_eq!(
            render("{{min t \"v\"}} {{max t \"v\"}} {{avg t \"v\"}}", rows.clone())
                .unwrap(),
            "1.5 2.5 2"
        );
        assert_eq!(render("{{count t}}", rows.clone()).unwrap(), "3");
        assert_eq!(
            render("{{#with (row t \"y\" 2024)}}{{v}}{{/with}}", rows.clone()).unwrap(),
            "2.5"
        );
        assert_eq!(
            render("{{lookup (row t \"y\" \"2023\") \"v\"}}", rows.clone()).unwrap(),
            "1.5"
        );
        assert!(render("{{row t \"y\" 1999}}", rows.clone())
            .unwrap_err()
            .contains("no row"));
        assert!(render("{{sum t \"nope\"}}", rows).unwrap_err().contains("no column"));
    }

    #[test]
    fn a_placeholder_gives_what_the_rows_give() {
        use crate::diag::FileId;
        use crate::source::{ColumnType, DataColumn, Rows, Value};
        let column = |name: &str, ty| DataColumn {
            name: name.into(),
            ty,
            unit: None,
            label: None,
            decimals: None,
            written_decimals: 0,
            lang: None,
        };
        let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 16).unwrap();
        let rows = vec![
            vec![
                Value::Integer(2023),
                Value::Number(1.5),
                Value::Date(date),
                Value::Text("7".into()),
            ],
            vec![
                Value::Integer(2024),
                Value::Number(2.5),
                Value::Empty,
                Value::Text(" 8 ".into()),
            ],
            vec![Value::Integer(2025), Value::Empty, Value::Date(date), Value::Empty],
        ];
        let set = DataSet {
            name: "t".into(),
            file: FileId(0),
            source: None,
            columns: vec![
                column("y", ColumnType::Integer),
                column("v", ColumnType::Number),
                column("d", ColumnType::Date),
                column("s", ColumnType::Text),
            ],
            rows: Rows::from_values(4, rows),
            tree: None,
            digest: 0,
        };
        let empty = DataSet { rows: Rows::from_values(4, vec![]), ..set.clone() };
        let data = BTreeMap::from([("t".to_string(), set), ("e".to_string(), empty)]);
        let render_with = |template: &str, ctx: Json, data: Data<'_>| {
            let mut hb = Handlebars::new();
            hb.set_strict_mode(true);
            register(&mut hb, data, &ENGLISH);
            hb.render_template(template, &ctx).map_err(|e| e.to_string())
        };
        let rows = json!({"t": data["t"].to_json(), "e": data["e"].to_json()});
        let placeholders =
            json!({"t": lazy::placeholder("t"), "e": lazy::placeholder("e")});
        for template in [
            "{{count t}} {{count e}}",
            "{{sum t \"v\"}} {{min t \"v\"}} {{max t \"y\"}} {{avg t \"v\"}}",
            "{{sum t \"s\"}} {{sum e \"nope\"}}",
            "{{sum t \"d\"}}",
            "{{sum t \"nope\"}}",
            "{{min e \"v\"}}",
            "{{lookup (row t \"y\" 2024) \"v\"}} {{lookup (row t \"s\" \"7\") \"y\"}}",
            "{{#with (row t \"y\" \"2025\")}}{{d}}|{{v}}|{{s}}{{/with}}",
            "{{row t \"y\" 1999}}",
            "{{row t \"nope\" 1}}",
        ] {
            let want = render_with(template, rows.clone(), None);
            let got = render_with(template, placeholders.clone(), Some(&data));
            assert_eq!(got, want, "{template}");
        }
        // Without the data sets a placeholder is just an object.
        assert!(render_with("{{count t}}", placeholders, None).is_err());
    }

    #[test]
    fn date_helpers() {
        let d = json!({"s": "2025-06-16", "e": "2025-06-18"});
        assert_eq!(render("{{date s}}", d.clone()).unwrap(), "16 June 2025");
        assert_eq!(
            render("{{date s \"%A %-d %b\"}}", d.clone()).unwrap(),
            "Monday 16 Jun"
        );
        assert_eq!(
            render("{{daterange s e}}", d.clone()).unwrap(),
            "16\u{2013}18 June 2025"
        );
        assert!(render("{{date s \"%Q\"}}", d.clone())
            .unwrap_err()
            .contains("not a valid date format"));
        assert!(render("{{daterange e s}}", d).is_err());
    }

    #[test]
    fn strict_mode_rejects_missing_values() {
        assert!(render("{{num nope}}", json!({})).is_err());
    }
}
