//! The approximate stage list of a scripted pipeline whose evaluation found none (it failed
//! before its first stage): every `stage('name')` call in the text, in order.

use regex::Regex;

use super::model::Stage;

pub(super) fn stages(source: &str) -> Vec<Stage> {
    let Ok(re) = Regex::new(r#"\bstage\s*\(\s*(?:name\s*:\s*)?['"]([^'"$]+)['"]"#) else {
        return Vec::new();
    };
    re.captures_iter(source)
        .map(|c| Stage {
            name: c[1].to_string(),
            kind: "stage",
            status: "planned",
            ..Stage::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_stage_calls_in_order() {
        let names: Vec<String> =
            super::stages("node {\n stage('A') {}\n stage(\"B\") { sh 'x' }\n}")
                .into_iter()
                .map(|s| s.name)
                .collect();
        assert_eq!(names, ["A", "B"]);
    }
}
