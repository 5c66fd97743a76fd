//! `--format mermaid`: a `flowchart` of the stages, parallel branches side by side, skipped
//! stages dashed and grey, stages that could run or not (a `when` or an `if` on a run-time
//! value) dashed and amber, for READMEs and pull requests. A scripted pipeline whose stages
//! come from a static scan says so in a comment and a title.

use std::fmt::Write as _;

use super::model::{Plan, Stage};

#[must_use]
pub fn render(plan: &Plan) -> String {
    let mut out = String::from("flowchart TD\n");
    if plan.approximate {
        out.push_str("  %% approximate: stages found by a static scan, not by evaluation\n");
    }
    let mut b = Builder {
        out,
        next: 0,
        skipped: Vec::new(),
        conditional: Vec::new(),
    };
    b.out.push_str("  start((start))\n");
    let mut exits = vec!["start".to_string()];
    for stage in &plan.stages {
        let (entry, exit) = b.stage(stage);
        b.edges(&exits, &entry);
        exits = exit;
    }
    b.out.push_str("  finish((end))\n");
    b.edges(&exits, &["finish".to_string()]);
    if !b.skipped.is_empty() {
        b.out.push_str(
            "  classDef skipped fill:#eeeeee,stroke:#999999,stroke-dasharray:5 5,color:#777777\n",
        );
        let _ = writeln!(b.out, "  class {} skipped", b.skipped.join(","));
    }
    if !b.conditional.is_empty() {
        b.out
            .push_str("  classDef conditional fill:#fff8e1,stroke:#b8860b,stroke-dasharray:5 5\n");
        let _ = writeln!(b.out, "  class {} conditional", b.conditional.join(","));
    }
    b.out
}

struct Builder {
    out: String,
    next: usize,
    skipped: Vec<String>,
    conditional: Vec<String>,
}

impl Builder {
    fn edges(&mut self, from: &[String], to: &[String]) {
        for f in from {
            for t in to {
                let _ = writeln!(self.out, "  {f} --> {t}");
            }
        }
    }

    /// Writes a stage and its children; returns its entry and exit nodes.
    fn stage(&mut self, stage: &Stage) -> (Vec<String>, Vec<String>) {
        self.next += 1;
        let id = format!("s{}", self.next);
        let mut label = escape(&stage.name);
        if stage.status == "skipped" {
            label.push_str("<br/><i>skipped</i>");
        } else if stage.conditional.is_some() {
            label.push_str("<br/><i>could run</i>");
        }
        let _ = writeln!(self.out, "  {id}[\"{label}\"]");
        if stage.status == "skipped" {
            self.skipped.push(id.clone());
        } else if stage.conditional.is_some() {
            self.conditional.push(id.clone());
        }
        if stage.stages.is_empty() {
            return (vec![id.clone()], vec![id]);
        }
        let mut exits = Vec::new();
        if stage.parallel {
            for child in &stage.stages {
                let (entry, exit) = self.stage(child);
                self.edges(std::slice::from_ref(&id), &entry);
                exits.extend(exit);
            }
        } else {
            let mut prev = vec![id.clone()];
            for child in &stage.stages {
                let (entry, exit) = self.stage(child);
                self.edges(&prev, &entry);
                prev = exit;
            }
            exits = prev;
        }
        (vec![id], exits)
    }
}

/// Mermaid labels are quoted HTML: `#` starts an entity in Mermaid, so it is escaped first,
/// then a double quote (which would end the label) and `<`/`>` (which would be markup).
fn escape(text: &str) -> String {
    super::escape::clean(text)
        .replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn labels_cannot_end_early_or_become_markup() {
        assert_eq!(
            escape("Deploy \"prod\" [eu] #1 <b>x</b>"),
            "Deploy #quot;prod#quot; [eu] #35;1 #lt;b#gt;x#lt;/b#gt;"
        );
    }
}
