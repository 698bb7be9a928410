//! The `hvecs` binary: everything is in the library; this only sets the exit code.

fn main() {
    std::process::exit(hvecs::cli::main());
}
