/// The stack of the thread the commands run on. Groovy calls nest the interpreter's futures,
/// so a Jenkinsfile's recursion uses the Rust stack: a pipeline 60 calls deep overflowed the
/// usual 8 MiB main thread in a debug build, well short of the interpreter's own call limit,
/// which then reports Groovy's `StackOverflowError`. Only the pages used are committed.
const STACK: usize = 256 << 20;

fn main() {
    let code = match std::thread::Builder::new()
        .name("jenkinsfile".into())
        .stack_size(STACK)
        .spawn(jenkinsfile::cli::run)
    {
        Ok(worker) => worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(_) => jenkinsfile::cli::run(),
    };
    std::process::exit(code);
}
