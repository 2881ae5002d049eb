//! Writes the Rust code `civrules::codegen` generates for a rules file:
//!
//! ```text
//! cargo run --example codegen -- rules/nghe-an.rules > src/nghe_an_rules.rs
//! ```
//!
//! A build script can do the same at each build (see `civrules::codegen`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: codegen RULES");
        return ExitCode::from(2);
    };
    let program = match civrules::Program::from_file(&path) {
        Ok(program) => program,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let code = civrules::codegen::rust(&program);
    for id in &code.interpreted {
        eprintln!("note: rule `{id}` is left to the interpreter, and with it every record");
    }
    print!("{}", code.source);
    ExitCode::SUCCESS
}
