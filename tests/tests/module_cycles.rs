//! No module of a crate depends on another that depends back on it (issue #19): modules are
//! read from the source tree, a module's dependencies are the `crate::` and `super::` paths
//! its code names (outside its tests), and a cycle between modules neither of which contains
//! the other fails the test with the modules in it. A name reached through a parent's
//! re-export counts as the parent (which contains the module), so shared types live in leaf
//! modules that are named by their own path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path inside its crate: `["map", "view"]` for `src/map/view.rs`.
type Module = Vec<String>;

#[test]
fn no_crate_has_a_cycle_between_its_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for krate in [
        "layers",
        "core",
        "imagery",
        "draw",
        "routing",
        "store",
        "monitoring",
        "basins",
        "command",
        "sample-data",
        "shaders",
        "app",
    ] {
        let src = root.join(krate).join("src");
        for cycle in cycles(&modules(&src)) {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            found.push(format!("{krate}: {}", names.join(" ↔ ")));
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

/// Every module of the crate at `src` with the modules it names.
fn modules(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let known: BTreeSet<Module> = files.iter().map(|f| module_of(src, f)).collect();
    files
        .iter()
        .map(|file| {
            let module = module_of(src, file);
            let text = std::fs::read_to_string(file).expect("a source file");
            // A file's tests come last; their `super::` is the file's own module.
            let code: String = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default()
                .lines()
                // Doc links name modules without depending on them.
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            // `super::` is the module that declares this one.
            let parent = module[..module.len().saturating_sub(1)].to_vec();
            let mut deps = BTreeSet::new();
            for (prefix, base) in [("crate::", Vec::new()), ("super::", parent.clone())] {
                for path in paths_after(&code, prefix) {
                    let mut full = base.clone();
                    full.extend(path);
                    // The longest known module the path starts with.
                    while !full.is_empty() && !known.contains(&full) {
                        full.pop();
                    }
                    deps.insert(full);
                }
            }
            (module, deps)
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("main.rs") {
            out.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Module = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The module paths named after each `prefix` in `code`: `a::b::Item` gives `[a, b, Item]`, and
/// `{a::B, c}` gives one path per item.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                out.push(segments(item.trim()));
            }
        } else {
            out.push(segments(rest));
        }
    }
    out
}

/// The `::`-separated identifiers a path starts with.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        out.push(rest[..end].to_owned());
        match rest[end..].strip_prefix("::") {
            Some(next) if !next.starts_with('{') => rest = next,
            _ => break,
        }
    }
    out
}

/// Groups of two or more modules that depend on one another, through edges between modules
/// neither of which contains the other (a parent and its children may name each other).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    let contains = |a: &Module, b: &Module| b.starts_with(a) || a.starts_with(b);
    let edges: BTreeMap<&Module, Vec<&Module>> = graph
        .iter()
        .map(|(m, deps)| (m, deps.iter().filter(|d| !contains(m, d)).collect()))
        .collect();
    // Each module's reach, then the modules that reach each other.
    let reach = |from: &Module| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(m) = stack.pop() {
            for &d in edges.get(m).into_iter().flatten() {
                if seen.insert(d) {
                    stack.push(d);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&Module, BTreeSet<&Module>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) {
            continue;
        }
        let group: Vec<Module> = reaches[m]
            .iter()
            .filter(|o| **o != m && reaches.get(*o).is_some_and(|r| r.contains(m)))
            .map(|o| (*o).clone())
            .chain(std::iter::once(m.clone()))
            .collect();
        if group.len() > 1 {
            done.extend(group.iter().cloned());
            out.push(group);
        }
    }
    out
}
