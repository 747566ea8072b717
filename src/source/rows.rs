//! The rows of a data set, stored by column: a number takes 8 bytes, a date 4, a text
//! its bytes and one offset, each cell one more byte for "empty". The 50 MB CSV of
//! `scripts/bench-hostile` (1.4 million rows of four columns) takes about 70 MB this
//! way; a `Vec` of 32-byte `Value`s per row, with a `String` per text cell, took more
//! than four times as much.

use std::ops::Range;

use chrono::NaiveDate;

use super::data::Value;

/// The cells of one column.
#[derive(Debug, Clone, PartialEq)]
enum Cells {
    /// Every non-empty cell is a number.
    Number(Vec<f64>),
    /// Every non-empty cell is a whole number.
    Integer(Vec<i64>),
    /// Every non-empty cell is a date.
    Date(Vec<NaiveDate>),
    /// Every non-empty cell is text: cell `i` is `text[ends[i - 1]..ends[i]]`.
    Text { text: String, ends: Vec<usize> },
    /// Cells of several kinds (a TOML data set may mix them in one column).
    Mixed(Vec<Value>),
}

/// One column: its cells, and which of them are empty (an empty cell holds a
/// placeholder in `cells`).
#[derive(Debug, Clone, PartialEq)]
struct Column {
    cells: Cells,
    empty: Vec<bool>,
}

impl Column {
    fn get(&self, row: usize) -> Value {
        value_at(&self.cells, &self.empty, row)
    }
}

/// Cell `row` of `cells`.
fn value_at(cells: &Cells, empty: &[bool], row: usize) -> Value {
    if empty[row] {
        return Value::Empty;
    }
    match cells {
        Cells::Number(v) => Value::Number(v[row]),
        Cells::Integer(v) => Value::Integer(v[row]),
        Cells::Date(v) => Value::Date(v[row]),
        Cells::Text { text, ends } => {
            let start = if row == 0 { 0 } else { ends[row - 1] };
            Value::Text(text[start..ends[row]].to_string())
        }
        Cells::Mixed(v) => v[row].clone(),
    }
}

/// The rows of a data set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rows {
    len: usize,
    columns: Vec<Column>,
    /// Where each row is in its file (byte offsets, saturated at 4 GiB: data files are
    /// far smaller, see [`crate::limits`]); empty ranges for TOML rows.
    spans: Vec<[u32; 2]>,
}

/// One row, borrowed from its [`Rows`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    rows: &'a Rows,
    index: usize,
}

impl Row<'_> {
    /// The value in column `col`.
    pub fn value(&self, col: usize) -> Value {
        self.rows.value(self.index, col)
    }

    /// The row's place in its file (an empty range at 0 for TOML rows).
    pub fn range(&self) -> Range<usize> {
        let [start, end] = self.rows.spans[self.index];
        start as usize..end as usize
    }
}

impl Rows {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value in row `row`, column `col`.
    pub fn value(&self, row: usize, col: usize) -> Value {
        self.columns[col].get(row)
    }

    /// Row `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Row<'_>> {
        (index < self.len).then_some(Row { rows: self, index })
    }

    /// The rows in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        (0..self.len).map(|index| Row { rows: self, index })
    }

    /// Rows from values (each row one value per column, `columns` of them), with no
    /// place in a file: for data made in code, and for tests.
    pub fn from_values(columns: usize, rows: Vec<Vec<Value>>) -> Self {
        let mut b = RowsBuilder::new(columns);
        for row in rows {
            b.push(row, 0..0);
        }
        b.finish()
    }

    /// Replaces column `col` with `values` (one per row).
    pub(super) fn replace_column(&mut self, col: usize, values: Vec<Value>) {
        let mut column = ColumnBuilder::default();
        for v in values {
            column.push(v);
        }
        self.columns[col] = column.finish();
    }
}

/// Collects rows of typed values, a row or a column at a time.
#[derive(Debug)]
pub(super) struct RowsBuilder {
    columns: Vec<ColumnBuilder>,
    spans: Vec<[u32; 2]>,
}

impl RowsBuilder {
    /// A builder for rows of `columns` values.
    pub fn new(columns: usize) -> Self {
        Self {
            columns: (0..columns).map(|_| ColumnBuilder::default()).collect(),
            spans: vec![],
        }
    }

    /// Adds a row (one value per column) found at `range` in its file.
    pub fn push(&mut self, values: impl IntoIterator<Item = Value>, range: Range<usize>) {
        for (column, value) in self.columns.iter_mut().zip(values) {
            column.push(value);
        }
        self.push_span(range);
    }

    /// Adds a row found at `range` whose values come by [`RowsBuilder::push_cell`].
    pub fn push_span(&mut self, range: Range<usize>) {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        self.spans.push([clamp(range.start), clamp(range.end)]);
    }

    /// Adds the next value of column `col`.
    pub fn push_cell(&mut self, col: usize, value: Value) {
        if let Some(column) = self.columns.get_mut(col) {
            column.push(value);
        }
    }

    /// The rows (a column given fewer values than there are rows ends in empty cells).
    pub fn finish(self) -> Rows {
        let len = self.spans.len();
        let columns = self
            .columns
            .into_iter()
            .map(|mut c| {
                while c.empty.len() < len {
                    c.push(Value::Empty);
                }
                c.finish()
            })
            .collect();
        Rows { len, columns, spans: self.spans }
    }
}

/// Collects one column's cells in the narrowest storage that holds them all.
#[derive(Debug, Default)]
struct ColumnBuilder {
    cells: Option<Cells>,
    empty: Vec<bool>,
}

impl ColumnBuilder {
    fn push(&mut self, value: Value) {
        let row = self.empty.len();
        if value == Value::Empty {
            if let Some(cells) = &mut self.cells {
                push_placeholder(cells);
            }
            self.empty.push(true);
            return;
        }
        // The first non-empty cell chooses the storage, with placeholders for the
        // empty cells before it.
        let cells = self.cells.get_or_insert_with(|| start(&value, row));
        match (cells, value) {
            (Cells::Number(v), Value::Number(n)) => v.push(n),
            (Cells::Integer(v), Value::Integer(n)) => v.push(n),
            (Cells::Date(v), Value::Date(d)) => v.push(d),
            (Cells::Text { text, ends }, Value::Text(t)) => {
                text.push_str(&t);
                ends.push(text.len());
            }
            (Cells::Mixed(v), value) => v.push(value),
            (cells, value) => {
                // A second kind of value: from here on every cell is a `Value`.
                let mut all: Vec<Value> =
                    (0..row).map(|r| value_at(cells, &self.empty, r)).collect();
                all.push(value);
                *cells = Cells::Mixed(all);
            }
        }
        self.empty.push(false);
    }

    fn finish(self) -> Column {
        let rows = self.empty.len();
        // A column with no value at all: the cheapest storage.
        let cells = self
            .cells
            .unwrap_or(Cells::Text { text: String::new(), ends: vec![0; rows] });
        Column { cells, empty: self.empty }
    }
}

/// Empty storage of the kind `value` needs, with placeholders for `rows` empty cells.
fn start(value: &Value, rows: usize) -> Cells {
    match value {
        Value::Number(_) => Cells::Number(vec![0.0; rows]),
        Value::Integer(_) => Cells::Integer(vec![0; rows]),
        Value::Date(_) => Cells::Date(vec![NaiveDate::MIN; rows]),
        Value::Text(_) => Cells::Text { text: String::new(), ends: vec![0; rows] },
        Value::Empty => Cells::Mixed(vec![Value::Empty; rows]),
    }
}

fn push_placeholder(cells: &mut Cells) {
    match cells {
        Cells::Number(v) => v.push(0.0),
        Cells::Integer(v) => v.push(0),
        Cells::Date(v) => v.push(NaiveDate::MIN),
        Cells::Text { text, ends } => ends.push(text.len()),
        Cells::Mixed(v) => v.push(Value::Empty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(columns: &[&[Value]]) -> Rows {
        let n = columns[0].len();
        let mut b = RowsBuilder::new(columns.len());
        for r in 0..n {
            b.push(columns.iter().map(|c| c[r].clone()), r * 10..r * 10 + 9);
        }
        b.finish()
    }

    fn column(rows: &Rows, col: usize) -> Vec<Value> {
        rows.iter().map(|r| r.value(col)).collect()
    }

    #[test]
    fn typed_columns_give_back_their_values() {
        let date = NaiveDate::from_ymd_opt(2025, 6, 16).unwrap();
        let numbers =
            [Value::Empty, Value::Number(94.8), Value::Empty, Value::Number(-1.5)];
        let integers =
            [Value::Integer(2023), Value::Empty, Value::Integer(0), Value::Integer(7)];
        let dates = [Value::Date(date), Value::Date(date), Value::Empty, Value::Empty];
        let texts = [
            Value::Text(" Astana ".into()),
            Value::Empty,
            Value::Text("Ташкент".into()),
            Value::Text("x".into()),
        ];
        let empty = [Value::Empty, Value::Empty, Value::Empty, Value::Empty];
        let all: [&[Value]; 5] = [&numbers, &integers, &dates, &texts, &empty];
        let r = rows(&all);
        assert_eq!(r.len(), 4);
        for (i, want) in all.iter().enumerate() {
            assert_eq!(column(&r, i), *want, "column {i}");
        }
        assert_eq!(r.get(2).unwrap().range(), 20..29);
        assert!(r.get(4).is_none());
    }

    #[test]
    fn a_column_of_mixed_values_keeps_them_all() {
        let mixed = [
            Value::Empty,
            Value::Integer(3),
            Value::Number(2.5),
            Value::Empty,
            Value::Text("three".into()),
        ];
        let r = rows(&[&mixed]);
        assert_eq!(column(&r, 0), mixed);
    }

    #[test]
    fn a_replaced_column_has_the_new_values() {
        let mut r =
            rows(&[&[Value::Integer(1), Value::Empty], &[Value::Empty, Value::Empty]]);
        r.replace_column(0, vec![Value::Text("1".into()), Value::Empty]);
        assert_eq!(column(&r, 0), [Value::Text("1".into()), Value::Empty]);
    }
}
