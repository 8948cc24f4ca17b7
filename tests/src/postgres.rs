//! A private PostgreSQL server for the tests of the shared store: `initdb` and `pg_ctl` in a temporary
//! directory, on a Unix socket there, as the `postgres` user when the tests run as root (the
//! server refuses root), stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Server {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
}

fn pg_bin() -> PathBuf {
    for version in ["17", "16", "15"] {
        let bin = PathBuf::from(format!("/usr/lib/postgresql/{version}/bin"));
        if bin.join("initdb").exists() {
            return bin;
        }
    }
    panic!("PostgreSQL is not installed: scripts/setup-debian.sh installs postgresql-15")
}

impl Server {
    pub fn start() -> Self {
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let dir = tempfile::Builder::new()
            .prefix("yitu-pg-")
            .tempdir()
            .expect("a temporary directory");
        let server = Self {
            dir,
            bin: pg_bin(),
            as_postgres,
        };
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(server.dir.path())
                .status()
                .expect("chown runs");
            assert!(status.success(), "chown of the server's directory");
        }
        let data = server.data();
        server.run(
            "initdb",
            &[
                "-D",
                data.to_str().expect("utf-8 path"),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c max_connections=40",
            server.dir.path().display()
        );
        server.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("utf-8 path"),
                "-o",
                &options,
                "-l",
                server.dir.path().join("log").to_str().expect("utf-8 path"),
                "-w",
                "start",
            ],
        );
        server
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `program` of the server's tools with `args`, as the user the server runs as.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let exe = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        command.args(args);
        command
    }

    fn run(&self, program: &str, args: &[&str]) {
        let output = self
            .command(program, args)
            .output()
            .expect("the PostgreSQL tools run");
        assert!(
            output.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A libpq URL for `user` and `database`, the socket directory percent-encoded as the host.
    pub fn url(&self, user: &str, database: &str) -> String {
        format!("postgresql://{user}@{}/{database}", encode(self.dir.path()))
    }

    /// A new, empty database; its URL for the superuser `postgres`.
    pub fn database(&self, name: &str) -> String {
        let socket = self.dir.path().to_str().expect("utf-8 path").to_owned();
        self.run("createdb", &["-h", &socket, "-U", "postgres", name]);
        self.url("postgres", name)
    }
}

fn encode(path: &Path) -> String {
    path.to_string_lossy().replace('/', "%2F")
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.data();
        let data = data.to_str().unwrap_or_default().to_owned();
        let _ = self
            .command("pg_ctl", &["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}
