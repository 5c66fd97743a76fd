fn main() {
    std::process::exit(jenkinsfile::cli::run());
}
