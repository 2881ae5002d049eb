//! Helpers shared by the command-level tests of `lint` and `test`: a fresh
//! folder per test, and one run of the `civrules` command in it.

#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh folder under the system temp folder, removed at the end.
pub struct Dir {
    pub path: PathBuf,
}

impl Dir {
    /// `kind` names the test file, `name` the test.
    pub fn new(kind: &str, name: &str) -> Dir {
        let path = std::env::temp_dir().join(format!("civrules-{kind}-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the test folder");
        Dir { path }
    }

    pub fn write(&self, name: &str, text: &str) -> &Dir {
        std::fs::write(self.path.join(name), text).expect("write a file");
        self
    }

    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> &Dir {
        std::fs::write(self.path.join(name), bytes).expect("write a file");
        self
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path.join(name)).expect("read a file")
    }

    /// Runs the command in this folder.
    pub fn run(&self, args: &[&str]) -> Out {
        run(&self.path, args)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The repository's own folder (for the shipped rules).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the command gave.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `civrules ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Out {
    let output = Command::new(env!("CARGO_BIN_EXE_civrules"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run civrules");
    Out {
        code: output.status.code().expect("civrules exited"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}
