//! The stage tree of a plan, read off the event stream the interpreter emitted while planning:
//! stages open and close on their branch's stream, parallel branches get streams of their own
//! (forked right after the `parallel` step starts, so a new stream belongs to the latest
//! `parallel`), and the planner's markers place each recorded step and `when` outcome.

use std::collections::HashMap;

use super::model::{Stage, Step, WhenCheck};
use super::recorder::{STEP_MARK, WHEN_MARK};
use crate::report::{Emitter, Event, Record};

/// The log line prefix saying the next stage on this stream is entered on a side that may not
/// run (a scripted `stage` inside an `if` on a run-time value), followed by the condition.
const STAGE_IF_MARK: &str = "\u{0}plan-stage-if:";

/// Called as a `stage` step is about to run: when the code around it rests on a run-time
/// value (`conditional`), the stage it opens could run or not, and the tree says so.
pub(super) fn stage_conditional(emitter: &Emitter, conditional: Option<&str>) {
    if let Some(c) = conditional {
        emitter.emit(Event::Log {
            line: format!("{STAGE_IF_MARK}{c}"),
        });
    }
}

/// A node while the tree is being built.
#[derive(Debug, Default)]
struct Node {
    stage: Stage,
    step_ids: Vec<(u32, bool)>,
    children: Vec<usize>,
    /// Steps after the `Post stage` line belong to the stage's `post`.
    in_post: bool,
}

/// What the tree builder found.
#[derive(Debug, Default)]
pub(super) struct Tree {
    pub stages: Vec<Stage>,
    /// Steps outside any stage.
    pub top: Vec<Step>,
    /// `ERROR:` messages: why the build would fail.
    pub errors: Vec<String>,
}

pub(super) fn build(records: &[Record], step: &dyn Fn(u32, bool) -> Option<Step>) -> Tree {
    let mut nodes: Vec<Node> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    let mut stacks: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut last_parallel: Option<Option<usize>> = None;
    let mut top = Vec::new();
    let mut errors = Vec::new();
    let mut top_post = false;
    // The condition a `stage` step about to open on a stream was entered under.
    let mut pending: HashMap<u32, String> = HashMap::new();
    for r in records {
        let source = r.source;
        // A new stream is a parallel branch: it starts under the stage that ran `parallel`.
        stacks
            .entry(source)
            .or_insert_with(|| last_parallel.flatten().into_iter().collect());
        let current = stacks.get(&source).and_then(|s| s.last().copied());
        let add = |nodes: &mut Vec<Node>, roots: &mut Vec<usize>, stage: Stage| {
            let idx = nodes.len();
            nodes.push(Node {
                stage,
                ..Node::default()
            });
            match current {
                Some(p) => nodes[p].children.push(idx),
                None => roots.push(idx),
            }
            idx
        };
        match &r.event {
            Event::StepStart { name, summary, .. } => {
                pending.remove(&source);
                if let Some(id) = summary.strip_prefix(STEP_MARK) {
                    let id: u32 = id.parse().unwrap_or_default();
                    match current {
                        Some(n) => {
                            let post = nodes[n].in_post;
                            nodes[n].step_ids.push((id, post));
                        }
                        None => top.extend(step(id, top_post)),
                    }
                } else if name == "parallel" {
                    if let Some(n) = current {
                        nodes[n].stage.parallel = true;
                        last_parallel = Some(current);
                    } else {
                        // A scripted `parallel` outside any stage: its branches side by
                        // side under a node of their own, not one after the other.
                        let idx = add(
                            &mut nodes,
                            &mut roots,
                            Stage {
                                name: "parallel".into(),
                                kind: "parallel",
                                status: "planned",
                                parallel: true,
                                ..Stage::default()
                            },
                        );
                        last_parallel = Some(Some(idx));
                    }
                }
            }
            Event::BodyStart { label: Some(label) } => {
                if let Some(branch) = label.strip_prefix("Branch: ") {
                    let idx = add(
                        &mut nodes,
                        &mut roots,
                        Stage {
                            name: branch.to_string(),
                            kind: "branch",
                            status: "planned",
                            ..Stage::default()
                        },
                    );
                    if let Some(s) = stacks.get_mut(&source) {
                        s.push(idx);
                    }
                }
            }
            Event::StageStart { name, .. } => {
                let idx = add(
                    &mut nodes,
                    &mut roots,
                    Stage {
                        name: name.clone(),
                        kind: "stage",
                        status: "planned",
                        conditional: pending.remove(&source),
                        ..Stage::default()
                    },
                );
                if let Some(s) = stacks.get_mut(&source) {
                    s.push(idx);
                }
            }
            Event::StageEnd {
                skipped, result, ..
            } => {
                let closed = stacks.get_mut(&source).and_then(Vec::pop);
                if let Some(n) = closed {
                    nodes[n].stage.result = result.to_string();
                    if *skipped {
                        nodes[n].stage.status = "skipped";
                    }
                }
            }
            Event::Log { line } => {
                if let Some(c) = line.strip_prefix(STAGE_IF_MARK) {
                    pending.insert(source, c.to_string());
                } else if let Some(json) = line.strip_prefix(WHEN_MARK) {
                    if let (Some(n), Ok(check)) = (current, serde_json::from_str::<WhenCheck>(json))
                    {
                        if let Some(d) = &check.depends {
                            nodes[n].stage.conditional = Some(d.clone());
                        }
                        nodes[n].stage.when.push(check);
                    }
                } else if let Some(n) = current
                    && let Some(reason) = skip_reason(line, &nodes[n].stage.name)
                {
                    nodes[n].stage.reason = Some(reason);
                } else if line == "Post stage" {
                    match current {
                        Some(n) => nodes[n].in_post = true,
                        None => top_post = true,
                    }
                }
            }
            Event::Error { message } => errors.push(message.clone()),
            _ => {}
        }
    }
    let mut tree = Tree {
        top,
        errors,
        ..Tree::default()
    };
    for root in roots {
        tree.stages.push(finish(&nodes, root, step, None));
    }
    tree
}

/// The reason of Jenkins' `Stage "X" skipped due to <reason>` line, for the stage `name`
/// (whose name is the user's text: only its own stage's line counts).
fn skip_reason(line: &str, name: &str) -> Option<String> {
    let reason = line
        .strip_prefix("Stage \"")?
        .strip_prefix(name)?
        .strip_prefix("\" skipped due to ")?;
    Some(reason.to_string())
}

/// The finished stage of node `idx`. A parallel branch whose only content is the stage of the
/// same name (declarative `parallel`) is that stage. A skipped stage the run gives no reason
/// line of its own (a child of a skipped stage) has the reason of the skip around it
/// (`inherited`).
fn finish(
    nodes: &[Node],
    idx: usize,
    step: &dyn Fn(u32, bool) -> Option<Step>,
    inherited: Option<&str>,
) -> Stage {
    let node = &nodes[idx];
    if node.stage.kind == "branch"
        && node.step_ids.is_empty()
        && node.children.len() == 1
        && nodes[node.children[0]].stage.name == node.stage.name
    {
        return finish(nodes, node.children[0], step, inherited);
    }
    let mut stage = node.stage.clone();
    if stage.status == "skipped" && stage.reason.is_none() {
        stage.reason = inherited.map(str::to_string);
    }
    let inherited = match stage.status {
        "skipped" => stage.reason.clone(),
        _ => None,
    };
    if stage.name.starts_with("Matrix - ") {
        stage.kind = "matrix-cell";
    }
    stage.steps = node
        .step_ids
        .iter()
        .filter_map(|(id, post)| step(*id, *post))
        .collect();
    stage.stages = node
        .children
        .iter()
        .map(|c| finish(nodes, *c, step, inherited.as_deref()))
        .collect();
    stage
}
