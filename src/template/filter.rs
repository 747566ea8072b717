//! The `where` option of the `table` helper: one comparison of a column with a literal
//! (`year >= 2020`, `country == 'Kazakhstan'`, `signed < 2025-01-01`). Nothing is
//! evaluated but that comparison, so a template cannot run code through it.

use chrono::NaiveDate;

use crate::source::{ColumnType, DataSet, Row, Value};

/// A comparison of one column of each row with a literal.
#[derive(Debug)]
pub(super) struct Filter {
    column: usize,
    op: Op,
    literal: Literal,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The operators, longest first so that `<=` is not read as `<`.
const OPS: [(&str, Op); 6] = [
    ("==", Op::Eq),
    ("!=", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("<", Op::Lt),
    (">", Op::Gt),
];

#[derive(Debug)]
enum Literal {
    Number(f64),
    Date(NaiveDate),
    Text(String),
}

impl Filter {
    /// Reads `expr` against the columns of `set` (named `name` in messages).
    pub(super) fn parse(expr: &str, set: &DataSet, name: &str) -> Result<Self, String> {
        let fail = |why: String| format!("in `where=\"{expr}\"`: {why}");
        let Some((at, token, op)) = find_op(expr) else {
            if expr.contains('=') {
                return Err(fail("write `==` to compare for equality".into()));
            }
            return Err(fail(
                "write a column, an operator (==, !=, <, <=, >, >=) and a value, \
                 e.g. `year >= 2020`"
                    .into(),
            ));
        };
        let column_name = expr[..at].trim();
        if column_name.is_empty() {
            return Err(fail(format!("no column before `{token}`")));
        }
        let column = set.column(column_name).ok_or_else(|| {
            fail(format!(
                "data set `{name}` has no column `{column_name}` (columns: {})",
                set.column_names()
            ))
        })?;
        let raw = expr[at + token.len()..].trim();
        if raw.is_empty() {
            return Err(fail(format!("no value after `{token}`")));
        }
        let literal = read_literal(raw).ok_or_else(|| {
            fail(format!(
                "`{raw}` is not a number, a date (2025-06-16) or text in quotes ('Astana')"
            ))
        })?;
        let literal = match (set.columns[column].ty, literal) {
            (ty, Literal::Number(n)) if ty.is_numeric() => Literal::Number(n),
            (ty, _) if ty.is_numeric() => {
                return Err(fail(format!(
                    "column `{column_name}` holds numbers: compare it with a number, \
                     e.g. `{column_name} >= 2020`"
                )))
            }
            (ColumnType::Date, Literal::Date(d)) => Literal::Date(d),
            (ColumnType::Date, Literal::Text(t)) if date(&t).is_some() => {
                Literal::Date(date(&t).unwrap_or_default())
            }
            (ColumnType::Date, _) => {
                return Err(fail(format!(
                    "column `{column_name}` holds dates: compare it with a date, \
                     e.g. `{column_name} >= 2025-01-01`"
                )))
            }
            (_, Literal::Text(t)) if matches!(op, Op::Eq | Op::Ne) => Literal::Text(t),
            (_, Literal::Text(_)) => {
                return Err(fail(format!(
                    "column `{column_name}` holds text, which is compared with `==` or `!=` only"
                )))
            }
            (_, _) => {
                return Err(fail(format!(
                    "column `{column_name}` holds text: put the value in quotes, \
                     e.g. `{column_name} == '{raw}'`"
                )))
            }
        };
        Ok(Self { column, op, literal })
    }

    /// Whether `row` is kept. An empty cell matches no comparison.
    pub(super) fn keeps(&self, row: &Row<'_>) -> bool {
        let ordering = match (row.value(self.column), &self.literal) {
            (Value::Number(n), Literal::Number(l)) => n.partial_cmp(l),
            (Value::Integer(n), Literal::Number(l)) => (n as f64).partial_cmp(l),
            (Value::Date(d), Literal::Date(l)) => Some(d.cmp(l)),
            (Value::Text(t), Literal::Text(l)) => Some(t.as_str().cmp(l.as_str())),
            _ => None,
        };
        let Some(o) = ordering else { return false };
        match self.op {
            Op::Eq => o.is_eq(),
            Op::Ne => o.is_ne(),
            Op::Lt => o.is_lt(),
            Op::Le => o.is_le(),
            Op::Gt => o.is_gt(),
            Op::Ge => o.is_ge(),
        }
    }
}

/// The first operator outside quotes: its byte offset, its text and what it means.
fn find_op(expr: &str) -> Option<(usize, &'static str, Op)> {
    let mut quote = None;
    for (i, c) in expr.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None => {
                if let Some(&(token, op)) =
                    OPS.iter().find(|(t, _)| expr[i..].starts_with(t))
                {
                    return Some((i, token, op));
                }
            }
        }
    }
    None
}

/// A number (`2020`, `-1.5`), a date (`2025-06-16`) or quoted text (`'Astana'`).
fn read_literal(raw: &str) -> Option<Literal> {
    for q in ['\'', '"'] {
        if let Some(inner) = raw.strip_prefix(q) {
            let inner = inner.strip_suffix(q)?;
            return (!inner.contains(q)).then(|| Literal::Text(inner.to_string()));
        }
    }
    if let Some(d) = date(raw) {
        return Some(Literal::Date(d));
    }
    // Plain decimal notation only: `inf`, `NaN` and `1e3` are not numbers here.
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let plain = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().next().is_some_and(|c| c.is_ascii_digit());
    plain.then(|| raw.parse().ok().map(Literal::Number)).flatten()
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
