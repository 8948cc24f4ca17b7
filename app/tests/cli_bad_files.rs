//! Every CLI verb on bad files (issue #18, 4): an empty file, a truncated one, random bytes and
//! a file of the wrong format each end in a non-zero exit with a message naming the file: never
//! a panic (exit 101), never a hang, and the file is left as it was.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{json, yitu};

/// How long one run on a bad file may take before it counts as a hang.
const HANG: Duration = Duration::from_mins(2);

/// Valid inputs of every kind the verbs read, generated (and the shared real files).
struct Inputs {
    dir: tempfile::TempDir,
}

impl Inputs {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("the test's own files and runs work");
        let run = |args: &[&str]| {
            let out = yitu(args);
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let d = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
        run(&["sample", "--draw-inputs", "--out", &d("draw")]);
        run(&["sample", "--detection-scene", "--out", &d("scene")]);
        json(&yitu(&[
            "draw",
            "--sources",
            &d("draw/sources.geojson"),
            "--inspectors",
            &d("draw/roster.csv"),
            "--plan",
            &d("draw/plan.toml"),
            "--entropy",
            "1 2 3",
            "-o",
            &d("draw/draw.json"),
            "--json",
        ]));
        let record: serde_json::Value = serde_json::from_slice(
            &std::fs::read(d("draw/draw.json")).expect("the test's own files and runs work"),
        )
        .expect("the test's own files and runs work");
        let firm = record["selected"][0]["source_id"]
            .as_str()
            .expect("the test's own files and runs work");
        std::fs::write(
            d("draw/locks.csv"),
            format!("source_id,team,day\n{firm},T01,1\n"),
        )
        .expect("the test's own files and runs work");
        std::fs::write(
            d("draw/hours.csv"),
            format!("source_id,open,close\n{firm},09:00,11:30\n"),
        )
        .expect("the test's own files and runs work");
        let solomon = Path::new(env!("CARGO_MANIFEST_DIR")).join("../routing/tests/data/C101.txt");
        std::fs::copy(solomon, d("C101.txt")).expect("the test's own files and runs work");
        let pbf = yitu_tests::shared_data("osm/liechtenstein-2013-08-03.osm.pbf")
            .expect("../shared/data beside the checkout: the extract is the valid OSM file");
        std::fs::copy(&pbf, d("roads.osm.pbf")).expect("the test's own files and runs work");
        Self { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }
}

/// The ways a file can be bad, each written over a copy of a valid one.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Empty,
    /// The first half of a valid file.
    Truncated,
    /// 4 KiB from a fixed seed.
    RandomBytes,
    /// Another kind's valid file under this kind's name.
    WrongFormat,
}

impl Bad {
    const ALL: [Self; 4] = [
        Self::Empty,
        Self::Truncated,
        Self::RandomBytes,
        Self::WrongFormat,
    ];

    fn bytes(self, valid: &[u8], other: &[u8]) -> Vec<u8> {
        match self {
            Self::Empty => Vec::new(),
            Self::Truncated => {
                // Text is cut in the middle of the line that spans the file's middle, as a
                // broken download leaves it: a cut between lines is a valid, shorter file.
                let half = valid.len() / 2;
                let cut = if std::str::from_utf8(valid).is_ok() {
                    let start = valid[..half]
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |k| k + 1);
                    let end = valid[start..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(valid.len(), |k| start + k);
                    start + (end - start) / 2
                } else {
                    half
                };
                valid[..cut].to_vec()
            }
            Self::RandomBytes => {
                let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
                (0..4096)
                    .map(|_| {
                        // xorshift64*
                        x ^= x >> 12;
                        x ^= x << 25;
                        x ^= x >> 27;
                        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
                    })
                    .collect()
            }
            Self::WrongFormat => other.to_vec(),
        }
    }
}

/// Runs `args` with a deadline; `(exit code, stderr)`, or a panic on a hang.
fn run_bounded(args: &[String]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yitu"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test's own files and runs work");
    let start = Instant::now();
    loop {
        if let Some(status) = child
            .try_wait()
            .expect("the test's own files and runs work")
        {
            let mut err = String::new();
            std::io::Read::read_to_string(
                child
                    .stderr
                    .as_mut()
                    .expect("the test's own files and runs work"),
                &mut err,
            )
            .expect("the test's own files and runs work");
            return (status.code(), err);
        }
        if start.elapsed() > HANG {
            child.kill().ok();
            panic!("{args:?} hangs (over {} s)", HANG.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One verb's argument: the command with `{}` where the bad file goes, the valid file of that
/// kind, and another kind's file for the wrong format.
struct Case {
    args: &'static [&'static str],
    valid: &'static str,
    other: &'static str,
}

const CASES: &[Case] = &[
    Case {
        args: &["info", "{}"],
        valid: "draw/sources.geojson",
        other: "draw/roster.csv",
    },
    Case {
        args: &["info", "{}"],
        valid: "scene/scene.tif",
        other: "draw/plan.toml",
    },
    Case {
        args: &["convert", "{}", "{out}.gpkg"],
        valid: "draw/sources.geojson",
        other: "scene/scene.tif",
    },
    Case {
        args: &["convert", "{}", "{out}.geojson"],
        valid: "draw/teams.csv",
        other: "scene/scene.tif",
    },
    Case {
        args: &["thermal", "{}", "-o", "{out}.tif"],
        valid: "scene/scene.tif",
        other: "draw/sources.geojson",
    },
    Case {
        args: &["detect", "{}", "-o", "{out}.geojson"],
        valid: "scene/scene.tif",
        other: "draw/roster.csv",
    },
    Case {
        args: &[
            "detect",
            "scene/scene.tif",
            "--river",
            "{}",
            "-o",
            "{out}.geojson",
        ],
        valid: "scene/rivers.geojson",
        other: "draw/plan.toml",
    },
    Case {
        args: &[
            "detect",
            "scene/scene.tif",
            "--river",
            "scene/rivers.geojson",
            "--outfalls",
            "{}",
            "-o",
            "{out}.geojson",
        ],
        valid: "scene/outfalls.geojson",
        other: "scene/scene.tif",
    },
    Case {
        args: &[
            "detect",
            "scene/scene.tif",
            "--sources",
            "{}",
            "-o",
            "{out}.geojson",
        ],
        valid: "scene/sources.geojson",
        other: "draw/draw.json",
    },
    Case {
        args: &[
            "draw",
            "--sources",
            "{}",
            "--inspectors",
            "draw/roster.csv",
            "--plan",
            "draw/plan.toml",
            "--entropy",
            "1",
            "-o",
            "{out}.json",
        ],
        valid: "draw/sources.geojson",
        other: "draw/roster.csv",
    },
    Case {
        args: &[
            "draw",
            "--sources",
            "draw/sources.geojson",
            "--inspectors",
            "{}",
            "--plan",
            "draw/plan.toml",
            "--entropy",
            "1",
            "-o",
            "{out}.json",
        ],
        valid: "draw/roster.csv",
        other: "draw/teams.csv",
    },
    Case {
        args: &[
            "draw",
            "--sources",
            "draw/sources.geojson",
            "--inspectors",
            "draw/roster.csv",
            "--plan",
            "{}",
            "--entropy",
            "1",
            "-o",
            "{out}.json",
        ],
        valid: "draw/plan.toml",
        other: "draw/draw.json",
    },
    Case {
        args: &[
            "draw",
            "--sources",
            "draw/sources.geojson",
            "--inspectors",
            "draw/roster.csv",
            "--plan",
            "draw/plan.toml",
            "--verify",
            "{}",
        ],
        valid: "draw/draw.json",
        other: "draw/sources.geojson",
    },
    Case {
        args: &[
            "pairs",
            "--sources",
            "{}",
            "--inspectors",
            "draw/roster.csv",
        ],
        valid: "draw/sources.geojson",
        other: "scene/scene.tif",
    },
    Case {
        args: &[
            "pairs",
            "--sources",
            "draw/sources.geojson",
            "--inspectors",
            "{}",
        ],
        valid: "draw/roster.csv",
        other: "scene/scene.tif",
    },
    Case {
        args: &[
            "plan",
            "--tasks",
            "{}",
            "--teams",
            "draw/teams.csv",
            "-o",
            "{out}.geojson",
            "--time-limit",
            "1",
        ],
        valid: "draw/draw.json",
        other: "draw/plan.toml",
    },
    Case {
        args: &[
            "plan",
            "--tasks",
            "draw/draw.json",
            "--teams",
            "{}",
            "-o",
            "{out}.geojson",
            "--time-limit",
            "1",
        ],
        valid: "draw/teams.csv",
        other: "draw/sources.geojson",
    },
    Case {
        args: &[
            "plan",
            "--tasks",
            "draw/draw.json",
            "--teams",
            "draw/teams.csv",
            "--locks",
            "{}",
            "-o",
            "{out}.geojson",
            "--time-limit",
            "1",
        ],
        valid: "draw/locks.csv",
        other: "scene/scene.tif",
    },
    Case {
        args: &[
            "plan",
            "--tasks",
            "draw/draw.json",
            "--teams",
            "draw/teams.csv",
            "--hours",
            "{}",
            "-o",
            "{out}.geojson",
            "--time-limit",
            "1",
        ],
        valid: "draw/hours.csv",
        other: "draw/draw.json",
    },
    Case {
        args: &[
            "plan",
            "--tasks",
            "draw/draw.json",
            "--teams",
            "draw/teams.csv",
            "--network",
            "{}",
            "-o",
            "{out}.geojson",
            "--time-limit",
            "1",
        ],
        valid: "roads.osm.pbf",
        other: "scene/scene.tif",
    },
    Case {
        args: &["plan", "--solomon", "{}", "--time-limit", "1", "--json"],
        valid: "C101.txt",
        other: "draw/teams.csv",
    },
];

#[test]
fn every_verb_refuses_bad_files_by_name_without_a_panic_or_a_hang() {
    let inputs = Inputs::new();
    let mut failures = Vec::new();
    for (k, case) in CASES.iter().enumerate() {
        let valid =
            std::fs::read(inputs.path(case.valid)).expect("the test's own files and runs work");
        let other =
            std::fs::read(inputs.path(case.other)).expect("the test's own files and runs work");
        let ext = Path::new(case.valid)
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        // The prepared network's name keeps the extract's double extension.
        let ext = if case.valid.ends_with(".osm.pbf") {
            ".osm.pbf".to_owned()
        } else {
            ext
        };
        for bad in Bad::ALL {
            let name = format!("bad{k}_{bad:?}{ext}");
            let file = PathBuf::from(inputs.path(&name));
            let bytes = bad.bytes(&valid, &other);
            std::fs::write(&file, &bytes).expect("the test's own files and runs work");
            let args: Vec<String> = case
                .args
                .iter()
                .map(|a| match *a {
                    "{}" => file.to_string_lossy().into_owned(),
                    a if a.starts_with("{out}") => inputs.path(&format!("out{k}{}", &a[5..])),
                    a if a.contains('/') => inputs.path(a),
                    a => a.to_owned(),
                })
                .collect();
            let (code, err) = run_bounded(&args);
            let verb = case.args[0];
            if code != Some(1) || !err.contains(&name) || err.contains("panicked") {
                failures.push(format!("{verb} {bad:?} {name}: exit {code:?}: {err}"));
            }
            if std::fs::read(&file).expect("the test's own files and runs work") != bytes {
                failures.push(format!("{verb} {bad:?} {name}: the file changed"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
