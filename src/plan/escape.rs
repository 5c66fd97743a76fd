//! The user's text made printable before the text renderer sees it: a stage name, an `echo`
//! argument or a script may hold escape sequences (`\u001b[2J`) that would drive the reader's
//! terminal. Every control character but the line feed and tab is shown as `\u{1b}`; our own
//! colours are added afterwards, by the renderer.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::model::{AgentInfo, EnvEntry, Plan, PostBlock, Stage, Step};

/// `text` with its control characters (but `\n` and `\t`) written out.
#[must_use]
pub fn clean(text: &str) -> String {
    if !text.chars().any(is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn fix(s: &mut String) {
    if s.chars().any(is_control) {
        *s = clean(s);
    }
}

fn fix_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        fix(s);
    }
}

fn fix_json(v: &mut Json) {
    match v {
        Json::String(s) => fix(s),
        Json::Array(items) => items.iter_mut().for_each(fix_json),
        Json::Object(map) => {
            let entries: Vec<(String, Json)> = std::mem::take(map).into_iter().collect();
            for (mut k, mut v) in entries {
                fix(&mut k);
                fix_json(&mut v);
                map.insert(k, v);
            }
        }
        _ => {}
    }
}

fn fix_agent(a: &mut Option<AgentInfo>) {
    if let Some(a) = a {
        fix(&mut a.kind);
        fix(&mut a.text);
        fix_opt(&mut a.image);
        fix_opt(&mut a.dockerfile);
        fix_opt(&mut a.registry_url);
        fix_opt(&mut a.registry_credentials_id);
    }
}

fn fix_env(env: &mut [EnvEntry]) {
    for e in env {
        fix(&mut e.name);
        fix(&mut e.value);
        if let Some(c) = &mut e.credential {
            fix(&mut c.id);
            fix(&mut c.kind);
        }
    }
}

fn fix_post(post: &mut [PostBlock]) {
    for p in post {
        fix(&mut p.condition);
        fix_opt(&mut p.reason);
    }
}

fn fix_steps(steps: &mut [Step]) {
    for s in steps {
        fix(&mut s.name);
        for v in s.args.values_mut() {
            fix_json(v);
        }
        fix_opt(&mut s.conditional);
        fix_opt(&mut s.returns);
        fix_opt(&mut s.dir);
    }
}

fn fix_stage(stage: &mut Stage) {
    fix(&mut stage.name);
    fix_opt(&mut stage.reason);
    fix_opt(&mut stage.conditional);
    for w in &mut stage.when {
        fix(&mut w.condition);
        fix(&mut w.detail);
        fix_opt(&mut w.depends);
    }
    fix_agent(&mut stage.agent);
    fix_env(&mut stage.environment);
    stage.options.iter_mut().for_each(fix);
    fix_post(&mut stage.post);
    fix_steps(&mut stage.steps);
    stage.stages.iter_mut().for_each(fix_stage);
}

/// A copy of `plan` with every string [`clean`].
#[must_use]
pub fn printable(plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    fix(&mut plan.file);
    fix_opt(&mut plan.inputs.branch);
    fix_opt(&mut plan.inputs.tag);
    fix_opt(&mut plan.inputs.change_request);
    let params = std::mem::take(&mut plan.inputs.params);
    for (mut k, mut v) in params {
        fix(&mut k);
        fix_json(&mut v);
        plan.inputs.params.insert(k, v);
    }
    fix_agent(&mut plan.agent);
    fix_env(&mut plan.environment);
    plan.options.iter_mut().for_each(fix);
    plan.stages.iter_mut().for_each(fix_stage);
    fix_steps(&mut plan.steps);
    fix_post(&mut plan.post);
    for c in &mut plan.credentials {
        fix(&mut c.id);
        fix(&mut c.kind);
        fix(&mut c.via);
        c.variables.iter_mut().for_each(fix);
        fix_opt(&mut c.stage);
    }
    plan.errors.iter_mut().for_each(fix);
    if let Some(items) = &mut plan.check {
        for i in items {
            fix(&mut i.name);
            fix(&mut i.detail);
            fix_opt(&mut i.hint);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escapes_control_characters_but_newlines_and_tabs() {
        assert_eq!(clean("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean("x\ny\tz"), "x\ny\tz");
        assert_eq!(clean("bell\u{7}\u{9b}"), "bell\\u{7}\\u{9b}");
    }
}
