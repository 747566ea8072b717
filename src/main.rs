//! The `briefbook` command line.

fn main() {}
