//! The closure forms of the regex methods on strings: `find`, `findAll`, `replaceAll`,
//! `replaceFirst` and `eachMatch` with a closure that receives the match and its groups.

use std::rc::Rc;

use crate::eval::closure::Closure;
use crate::eval::flow::R;
use crate::eval::interp::Interp;
use crate::eval::scope::Cx;
use crate::eval::value::Value;
use crate::source::Span;

impl Interp {
    /// `str.find(re) { }`, `str.findAll(re) { }`, `str.replaceAll(re) { }`, `str.eachMatch(re) { }`.
    pub(super) async fn regex_with_closure(
        &self,
        text: &str,
        name: &str,
        pattern: &Value,
        c: &Rc<Closure>,
        span: Span,
        cx: &Cx,
    ) -> Option<R<Value>> {
        if !matches!(
            name,
            "find" | "findAll" | "replaceAll" | "replaceFirst" | "eachMatch"
        ) {
            return None;
        }
        let p = match crate::eval::ops::pattern_of(pattern) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        let matcher = crate::eval::regex::Matcher::new(p.clone(), text);
        let args_of = |groups: &Vec<Option<String>>| -> Vec<Value> {
            groups
                .iter()
                .map(|g| g.as_deref().map_or(Value::Null, Value::str))
                .collect()
        };
        let call = |groups: Vec<Value>| async move {
            if groups.len() == 1 || c.param_count() > 1 {
                self.call_closure(c, groups, span, cx).await
            } else {
                self.call_closure(c, vec![Value::list(groups)], span, cx)
                    .await
            }
        };
        Some(
            async {
                match name {
                    "find" => match matcher.found.first() {
                        Some(g) => call(args_of(g)).await,
                        None => Ok(Value::Null),
                    },
                    "findAll" | "eachMatch" => {
                        let mut out = Vec::new();
                        for g in &matcher.found {
                            out.push(call(args_of(g)).await?);
                        }
                        Ok(if name == "findAll" {
                            Value::list(out)
                        } else {
                            Value::str(text)
                        })
                    }
                    _ => {
                        let mut out = String::new();
                        let mut last = 0;
                        for (i, m) in p.captures_all(text).into_iter().enumerate() {
                            if name == "replaceFirst" && i > 0 {
                                break;
                            }
                            let whole = m.first().cloned().flatten().unwrap_or(0..0);
                            out.push_str(&text[last..whole.start]);
                            let groups = m
                                .into_iter()
                                .map(|g| g.map_or(Value::Null, |g| Value::str(&text[g])))
                                .collect();
                            out.push_str(&crate::eval::text::to_string(&call(groups).await?));
                            last = whole.end;
                        }
                        out.push_str(&text[last..]);
                        Ok(Value::string(out))
                    }
                }
            }
            .await,
        )
    }
}
