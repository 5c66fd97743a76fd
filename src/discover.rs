//! Placeholder: replaced by the one definition of "a Jenkinsfile".
