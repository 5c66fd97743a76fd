//! Validation of `when`: known conditions, the child counts of `allOf`/`anyOf`/`not`, their
//! arguments, and `changelog` patterns that Java would not compile.

use crate::model::catalogue::{Children, Kind, nearest};
use crate::model::pipeline::{Condition, When};
use crate::model::validate::Validator;
use crate::syntax::ast::ExprKind;

impl Validator<'_> {
    pub(crate) fn when(&mut self, when: &When) {
        if when.conditions.is_empty() {
            let head = self.keyword(when.span);
            self.error(
                "empty-when",
                "Empty when closure, remove the property or add some content.",
                head,
                when.span,
            );
        }
        for cond in &when.conditions {
            self.condition(cond);
        }
    }

    fn condition(&mut self, cond: &Condition) {
        let name = cond.name.node.as_str();
        let Some(desc) = self.cat.get(Kind::When, name) else {
            let names = self.cat.names(Kind::When);
            let guess = nearest(name, names.iter().copied());
            let help = guess.map(|s| format!("did you mean `{s}`?"));
            let fix = guess.map(|s| crate::model::build::rename_fix(cond.name.span, s));
            self.error(
                "unknown-when-condition",
                format!(
                    "Unknown conditional {name}. Valid conditionals are: {}",
                    names.join(", ")
                ),
                cond.name.span,
                cond.span,
            )
            .help = help;
            if let Some(last) = self.diags.last_mut() {
                last.fix = fix;
            }
            return;
        };
        let desc = desc.clone();
        let has_args = !matches!(cond.args, crate::model::pipeline::Arguments::None);
        match desc.children {
            Children::Many | Children::One => {
                if has_args {
                    self.error(
                        "nested-when-arguments",
                        format!("No additional arguments are allowed for children when condition \"{name}\"."),
                        cond.name.span,
                        cond.span,
                    );
                }
                if desc.children == Children::Many && cond.children.is_empty() {
                    self.error(
                        "nested-when-without-children",
                        format!("Nested when condition \"{name}\" requires at least one child condition."),
                        cond.name.span,
                        cond.span,
                    );
                }
                if desc.children == Children::One && cond.children.len() != 1 {
                    self.error(
                        "nested-when-child-count",
                        format!("Nested when condition \"{name}\" requires exactly 1 child condition(s)."),
                        cond.name.span,
                        cond.span,
                    );
                }
                for child in &cond.children {
                    self.condition(child);
                }
            }
            Children::None => {
                if !cond.children.is_empty() {
                    self.error(
                        "when-children-not-allowed",
                        format!(
                            "No children when conditions are allowed for when condition \"{name}\"."
                        ),
                        cond.name.span,
                        cond.span,
                    );
                }
                if !desc.block {
                    self.describable_args(&cond.name, &cond.args, &desc, cond.span);
                }
                if name == "changelog" {
                    self.changelog(cond);
                }
            }
        }
    }

    fn changelog(&mut self, cond: &Condition) {
        let Some(pattern) = cond.args.get("pattern", Some("pattern")) else {
            self.error(
                "changelog-without-pattern",
                "Changelog is missing required parameter \"pattern\".",
                cond.name.span,
                cond.span,
            );
            return;
        };
        if let ExprKind::Str(s) = &pattern.node
            && let Err(why) = super::regex::check(&s.value)
        {
            self.error(
                "invalid-regex",
                format!("\"{}\" is not a valid regular expression. {why}", s.value),
                pattern.span,
                cond.span,
            );
        }
    }
}
