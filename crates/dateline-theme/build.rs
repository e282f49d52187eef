//! Rebuilds the crate when any file of the built-in theme changes, is added or is removed.
//! The theme is embedded with `include_bytes!`, which notices edits to the files it already
//! includes but not a new template or asset; cargo's directory watch does.

fn main() {
    println!("cargo:rerun-if-changed=theme");
}
