//! Times cold and incremental builds in one process, stage by stage, for profiling
//! (`perf record`) the work watch mode does after an edit.
//!
//! Usage: cargo run --release --example rebuild -- DIR FILE [ROUNDS]
//!
//! Builds DIR once, then ROUNDS times (default 5) replaces the first number in line 4
//! of FILE (relative to DIR) with a new value and builds again with the kept caches.
//! Nothing is written; the PDF and EPUB are made in memory.

use std::path::Path;
use std::time::Instant;

use briefbook::{Options, Session};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: rebuild DIR FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let dir = Path::new(dir);
    let mut session = Session::new();
    println!(
        "{:<6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "build", "load+", "expand", "model", "layout", "pdf", "epub", "total"
    );
    build(dir, &mut session, "cold");
    for round in 0..rounds {
        edit(&dir.join(file), round);
        if let Some(ms) =
            std::env::var("REBUILD_PAUSE_MS").ok().and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        build(dir, &mut session, "warm");
    }
}

fn edit(path: &Path, round: usize) {
    let text = std::fs::read_to_string(path).expect("the file to edit");
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let line = &mut lines[3];
    let cells: Vec<&str> = line.split(',').collect();
    let mut cells: Vec<String> = cells.into_iter().map(String::from).collect();
    if let Some(cell) =
        cells.iter_mut().find(|c| c.parse::<f64>().is_ok() && c.contains('.'))
    {
        *cell = format!("{}.{}", 1000 + round, 25 + round);
    }
    *line = cells.join(",");
    std::fs::write(path, lines.join("\n")).expect("write the file");
}

fn build(dir: &Path, session: &mut Session, label: &str) {
    let start = Instant::now();
    let world = briefbook::world::World::new(dir).expect("the briefing folder");
    let options = Options { source_date_epoch: Some(0), ..Options::both() };
    let books = briefbook::build(session, &world, &options).expect("the briefing builds");
    let total = start.elapsed().as_secs_f64() * 1000.0;
    let stage = |name: &str| {
        books.timings.iter().find(|(n, _)| *n == name).map_or(0.0, |(_, v)| *v)
    };
    println!(
        "{label:<6} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>8.1}   ({}, {} + {} bytes)",
        stage("load"),
        stage("expand"),
        stage("model"),
        stage("layout"),
        stage("pdf"),
        stage("epub"),
        total,
        books.books[0].summary,
        books.get("pdf").map_or(0, <[u8]>::len),
        books.get("epub").map_or(0, <[u8]>::len),
    );
}
