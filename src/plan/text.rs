//! `--format text`: the plan as a tree. Colour (green planned, dim skipped, yellow symbolic)
//! only when asked for, which the CLI does on a terminal.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::model::{AgentInfo, EnvEntry, Plan, PostBlock, Stage, Step};

/// ANSI colours, or nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

#[must_use]
pub fn render(plan: &Plan, style: Style) -> String {
    // The user's text never reaches the terminal raw: escape sequences are shown, not run.
    let plan = &super::escape::printable(plan);
    let mut out = String::new();
    let mut facts = Vec::new();
    if let Some(b) = &plan.inputs.branch {
        facts.push(format!("branch {b}"));
    }
    if let Some(t) = &plan.inputs.tag {
        facts.push(format!("tag {t}"));
    }
    if let Some(c) = &plan.inputs.change_request {
        facts.push(format!("change request {c}"));
    }
    let _ = write!(out, "Plan for {} ({}", plan.file, plan.kind);
    if !facts.is_empty() {
        let _ = write!(out, "; {}", facts.join(", "));
    }
    out.push_str(")\n");
    if !plan.inputs.params.is_empty() {
        let params: Vec<String> = plan
            .inputs
            .params
            .iter()
            .map(|(k, v)| format!("{k}={}", scalar(v)))
            .collect();
        let _ = writeln!(out, "Parameters: {}", params.join(", "));
    }
    if let Some(selection) = &plan.inputs.selection {
        let _ = writeln!(
            out,
            "Selection: {selection} (the other stages are planned as skipped, with the reason)"
        );
    }
    if plan.approximate {
        out.push_str("Stages found by a static scan (approximate): evaluation found none\n");
    }
    head(
        &mut out,
        "",
        plan.agent.as_ref(),
        &plan.environment,
        &plan.options,
    );
    let top = parents(&plan.steps);
    // Steps outside any stage keep their place among the stages (a scripted pipeline's
    // steps between or after its stages): those before the first stage head the plan, the
    // others are grouped in the tree where they run.
    let first = plan.stages.iter().find_map(first_id).unwrap_or(u32::MAX);
    let (before, among): (Vec<&Step>, Vec<&Step>) = plan.steps.iter().partition(|s| s.id < first);
    for step in before {
        line_step(&mut out, "", step, &top, style);
    }
    if !plan.stages.is_empty() {
        out.push_str("Stages:\n");
        let mut among = among.as_slice();
        let n = plan.stages.len();
        for (i, stage) in plan.stages.iter().enumerate() {
            // A stage without steps keeps its place after the one before it.
            if let Some(id) = first_id(stage) {
                let k = among.partition_point(|s| s.id < id);
                outside_stages(&mut out, &among[..k], &top, false, style);
                among = &among[k..];
            }
            let last = i + 1 == n && among.is_empty();
            render_stage(&mut out, "", stage, last, style);
        }
        outside_stages(&mut out, among, &top, true, style);
    }
    if !plan.post.is_empty() {
        let _ = writeln!(out, "Post: {}", post(&plan.post));
    }
    if !plan.credentials.is_empty() {
        // The plan only reads ids; with --check they are resolved below (values unshown).
        out.push_str(if plan.check.is_some() {
            "Credentials (values never shown; resolved by the check below):\n"
        } else {
            "Credentials (never resolved):\n"
        });
        for c in &plan.credentials {
            let mut line = format!("  {} ({}) via {}", c.id, c.kind, c.via);
            if !c.variables.is_empty() {
                let _ = write!(line, ": {}", c.variables.join(", "));
            }
            if let Some(s) = &c.stage {
                let _ = write!(line, " in stage \"{s}\"");
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !plan.assumed.is_empty() {
        let _ = writeln!(
            out,
            "Not defined in the Jenkinsfile (a library's, the job's or the agent's; planned as run-time values): {}",
            plan.assumed.join(", ")
        );
    }
    for e in &plan.errors {
        let _ = writeln!(out, "{}", style.paint("31", &format!("ERROR: {e}")));
    }
    let mut result = format!("Result: {}", plan.result);
    if !plan.could_be.is_empty() {
        let could: Vec<String> = plan
            .could_be
            .iter()
            .map(|c| match &c.result {
                Some(r) => format!("{r} ({})", c.because),
                None => format!("another result ({})", c.because),
            })
            .collect();
        let _ = write!(
            result,
            " {}",
            style.paint("33", &format!("[could be {}]", could.join(", or ")))
        );
    }
    let _ = writeln!(out, "{result}");
    if let Some(items) = &plan.check {
        out.push_str("Check:\n");
        for i in items {
            let status = match i.status {
                "ok" => style.paint("32", "ok"),
                "not-checked" => style.paint("2", "not checked"),
                other => style.paint("31", other),
            };
            let _ = writeln!(
                out,
                "  {status:<11} {} {}: {}",
                i.category, i.name, i.detail
            );
            if let Some(h) = &i.hint {
                let _ = writeln!(out, "              hint: {h}");
            }
        }
    }
    out
}

fn head(
    out: &mut String,
    pad: &str,
    agent: Option<&AgentInfo>,
    env: &[EnvEntry],
    options: &[String],
) {
    if let Some(a) = agent {
        let _ = writeln!(out, "{pad}Agent: {}", agent_text(a));
        // A pod's YAML keeps its lines and indentation (YAML is nothing without them).
        if let Some(yaml) = &a.yaml {
            let _ = writeln!(out, "{pad}  yaml:");
            for line in yaml.trim_matches('\n').lines() {
                let _ = writeln!(out, "{pad}    {line}");
            }
        }
    }
    if !env.is_empty() {
        let _ = writeln!(out, "{pad}Environment:");
        for e in env {
            match &e.credential {
                Some(c) => {
                    let _ = writeln!(
                        out,
                        "{pad}  {} = **** (credential {}, {})",
                        e.name, c.id, c.kind
                    );
                }
                None => {
                    let _ = writeln!(out, "{pad}  {} = {}", e.name, e.value);
                }
            }
        }
    }
    if !options.is_empty() {
        let _ = writeln!(out, "{pad}Options: {}", options.join(", "));
    }
}

fn agent_text(a: &AgentInfo) -> String {
    if a.yaml.is_some() {
        return format!("{} (pod YAML below)", a.kind);
    }
    match (&a.image, &a.dockerfile) {
        (Some(image), _) => format!("{} (image {image})", a.kind),
        (None, Some(file)) => format!("{} ({file})", a.kind),
        _ if a.text == a.kind => a.kind.clone(),
        _ => format!("{} ({})", a.kind, a.text),
    }
}

fn post(blocks: &[PostBlock]) -> String {
    blocks
        .iter()
        .map(|p| {
            let runs = match (p.runs, &p.reason) {
                ("yes", _) => "runs".to_string(),
                ("maybe", Some(why)) if why == super::outcome::IF_STAGE_RUNS => {
                    format!("runs {why}")
                }
                ("maybe", Some(why)) => format!("could run: {why}"),
                ("maybe", None) => "depends on the previous build".to_string(),
                (_, Some(why)) => format!("does not run: {why}"),
                _ => "does not run".to_string(),
            };
            format!("{} ({runs})", p.condition)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_stage(out: &mut String, pad: &str, stage: &Stage, last: bool, style: Style) {
    let branch = if last { "└── " } else { "├── " };
    // A line break in a stage name (`stage("Two\nLines")`) is shown, not followed: one
    // stage, one line of the tree.
    let name = stage.name.replace('\n', "\\n").replace('\r', "\\r");
    let mut title = match stage.kind {
        "branch" => format!("branch {name}"),
        _ => name,
    };
    if stage.parallel && stage.kind != "parallel" {
        title.push_str(" (parallel)");
    }
    if let Some(depends) = &stage.conditional
        && stage.status != "skipped"
    {
        // A `when` names the run-time values it rests on; a scripted stage the code around
        // it (`if <stdout of sh#2> is true`): either way it could be skipped in a run.
        let why = if stage.when.iter().any(|w| w.depends.is_some()) {
            format!("depends on {depends}")
        } else {
            depends.clone()
        };
        let _ = write!(
            title,
            " {}",
            style.paint("33", &format!("[could run: {why}]"))
        );
    }
    let title = if stage.status == "skipped" {
        let reason = stage.reason.as_deref().unwrap_or("skip");
        style.paint("2", &format!("{title}: skipped due to {reason}"))
    } else {
        style.paint("32", &title)
    };
    let _ = writeln!(out, "{pad}{branch}{title}");
    let inner = format!("{pad}{}", if last { "    " } else { "│   " });
    for w in &stage.when {
        let mark = match w.holds {
            None => "could run",
            Some(true) => "true",
            Some(false) => "false",
        };
        let _ = writeln!(out, "{inner}when {}: {mark} ({})", w.condition, w.detail);
    }
    head(
        out,
        &inner,
        stage.agent.as_ref(),
        &stage.environment,
        &stage.options,
    );
    let mut in_post = false;
    let mut condition: Option<&str> = None;
    let siblings = parents(&stage.steps);
    for step in &stage.steps {
        // Each planned post step under the condition it runs in, in Jenkins' order.
        if let Some(c) = step.post_condition.as_deref()
            && condition != Some(c)
        {
            condition = Some(c);
            in_post = true;
            let _ = writeln!(out, "{inner}post {c}:");
        } else if step.post && !in_post {
            in_post = true;
            let _ = writeln!(out, "{inner}post:");
        }
        line_step(out, &inner, step, &siblings, style);
    }
    if !stage.post.is_empty() {
        let _ = writeln!(out, "{inner}Post: {}", post(&stage.post));
    }
    let n = stage.stages.len();
    for (i, child) in stage.stages.iter().enumerate() {
        render_stage(out, &inner, child, i + 1 == n, style);
    }
}

/// Each step's parent, by id, among the steps of one level.
type Parents = std::collections::HashMap<u32, Option<u32>>;

fn parents(steps: &[Step]) -> Parents {
    steps.iter().map(|s| (s.id, s.parent)).collect()
}

/// The id of the first step planned in `stage` or a stage inside it.
fn first_id(stage: &Stage) -> Option<u32> {
    stage
        .steps
        .iter()
        .map(|s| s.id)
        .chain(stage.stages.iter().filter_map(first_id))
        .min()
}

/// Steps outside any stage that run between stages, as one entry of the stage tree.
fn outside_stages(out: &mut String, steps: &[&Step], top: &Parents, last: bool, style: Style) {
    if steps.is_empty() {
        return;
    }
    let branch = if last { "└── " } else { "├── " };
    let _ = writeln!(out, "{branch}{}", style.paint("2", "(outside any stage)"));
    let pad = if last { "    " } else { "│   " };
    for step in steps {
        line_step(out, pad, step, top, style);
    }
}

fn line_step(out: &mut String, pad: &str, step: &Step, siblings: &Parents, style: Style) {
    let mut depth = 0;
    let mut parent = step.parent;
    while let Some(p) = parent {
        let Some(found) = siblings.get(&p) else {
            break;
        };
        depth += 1;
        parent = *found;
    }
    let pad = format!("{pad}{}", "  ".repeat(depth));
    if step.name == "note" {
        let text = step.args.get("text").and_then(Json::as_str).unwrap_or("");
        let mut line = format!("{pad}note: {}", style.paint("33", text));
        if let Some(c) = &step.conditional {
            let _ = write!(line, " [{}]", style.paint("33", c));
        }
        let _ = writeln!(out, "{line}");
        return;
    }
    let mut line = format!("{pad}{}#{}", step.name, step.id);
    let script = match step.name.as_str() {
        "sh" | "bat" | "powershell" | "pwsh" => step.args.get("script").and_then(Json::as_str),
        _ => None,
    };
    let args: Vec<String> = step
        .args
        .iter()
        .filter(|(k, _)| script.is_none() || k.as_str() != "script")
        .map(|(k, v)| format!("{k}: {}", scalar(v)))
        .collect();
    if !args.is_empty() {
        let _ = write!(line, " {}", args.join(", "));
    }
    if step.block {
        line.push_str(" { … }");
    }
    if let Some(d) = &step.dir {
        let _ = write!(line, " in {d}/");
        if step.outside_workspace {
            line.push_str(" (outside the workspace)");
        }
    }
    if !step.effect && super::pure::reads(&step.name) {
        line.push_str(" (ran: read only)");
    } else if !step.effect {
        line.push_str(" (ran: no effect)");
    }
    match step.unknown.as_deref() {
        Some(super::library::NOT_EVALUATED) => {
            line.push_str(" (a shared library's global: not evaluated)");
        }
        Some(_) => line.push_str(" (unknown step: a library's or a plugin's; not planned inside)"),
        None => {}
    }
    if let Some(r) = &step.returns {
        let _ = write!(line, " → {}", style.paint("33", r));
    }
    if let Some(c) = &step.conditional {
        let _ = write!(line, " [{}]", style.paint("33", c));
    }
    out.push_str(&line);
    out.push('\n');
    if let Some(note) = &step.note {
        let _ = writeln!(out, "{pad}    note: {}", style.paint("33", note));
    }
    if let Some(script) = script {
        for l in script.trim_matches('\n').lines() {
            let _ = writeln!(out, "{pad}    $ {l}");
        }
    }
}

/// A JSON value as a short, readable scalar: strings bare, the rest as JSON.
fn scalar(v: &Json) -> String {
    match v {
        // An empty string is shown, not left as nothing after the name (`image: ""`).
        Json::String(s) if s.is_empty() => "\"\"".to_string(),
        // A line break is written out (`hello\nworld`), as in a stage name: one value, one
        // line. Nothing else is escaped again (the control characters already are).
        Json::String(s) => s.replace('\n', "\\n"),
        other => other.to_string(),
    }
}
