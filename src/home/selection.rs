//! Partial runs: `--stage NAME` (only that stage; `Parent/Child` for a nested one),
//! `--skip-stage NAME` (repeatable) and `--from-stage NAME` (that stage and everything after
//! it, in source order). The names are checked against the pipeline's stage tree before the
//! build starts; at run time [`StageFilter::decide`] tells the declarative runtime, for each
//! stage path, whether it runs, runs only as the parent of a selected stage, or is skipped
//! with a reason that reads like Jenkins' own skip lines.

use crate::model::pipeline::{Pipeline, Stages};

/// What happens to one stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The stage runs as usual.
    Run,
    /// The stage runs because a selected stage is inside it; its children decide for
    /// themselves.
    RunAsAncestor,
    /// The stage is skipped; the text completes `Stage "X" skipped due to …`.
    Skip(String),
}

impl Decision {
    /// The line to print for a skipped stage (`Stage "Build" skipped due to --stage "Deploy"`),
    /// in the form of Jenkins' own skip lines.
    #[must_use]
    pub fn skip_line(&self, stage: &str) -> Option<String> {
        match self {
            Decision::Skip(reason) => Some(format!("Stage \"{stage}\" skipped due to {reason}")),
            Decision::Run | Decision::RunAsAncestor => None,
        }
    }
}

/// Every stage of a pipeline as its path of names, depth-first in source order (the order of
/// `--from-stage`). Stages inside a matrix are under the matrix stage, without the cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageTree {
    pub paths: Vec<Vec<String>>,
}

impl StageTree {
    #[must_use]
    pub fn of(pipeline: &Pipeline) -> Self {
        fn walk(stages: &Stages, prefix: &[String], out: &mut Vec<Vec<String>>) {
            for stage in &stages.stages {
                let mut path = prefix.to_vec();
                path.push(stage.name.node.clone());
                out.push(path.clone());
                let nested = [
                    stage.stages.as_ref(),
                    stage.parallel.as_ref(),
                    stage.matrix.as_ref().and_then(|m| m.stages.as_ref()),
                ];
                for inner in nested.into_iter().flatten() {
                    walk(inner, &path, out);
                }
            }
        }
        let mut paths = Vec::new();
        if let Some(stages) = &pipeline.stages {
            walk(stages, &[], &mut paths);
        }
        Self { paths }
    }

    /// The path a command-line name means: a `/`-separated full path, or the name of
    /// exactly one stage anywhere in the tree.
    fn find(&self, flag: &str, name: &str) -> Result<Vec<String>, String> {
        if let Some(path) = self.paths.iter().find(|p| p.join("/") == name) {
            return Ok(path.clone());
        }
        let by_name: Vec<&Vec<String>> = self
            .paths
            .iter()
            .filter(|p| p.last().is_some_and(|last| last == name))
            .collect();
        match by_name.as_slice() {
            [one] => return Ok((*one).clone()),
            [] => {}
            several => {
                let list: Vec<String> = several.iter().map(|p| p.join("/")).collect();
                return Err(format!(
                    "{flag} \"{name}\" names several stages: {}; give the full path",
                    list.join(", ")
                ));
            }
        }
        let message = format!("{flag}: there is no stage \"{name}\"");
        let candidates = self
            .paths
            .iter()
            .map(|p| p.join("/"))
            .chain(self.paths.iter().filter_map(|p| p.last().cloned()));
        let best = candidates
            .map(|c| (strsim::jaro_winkler(name, &c), c))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, guess)) = best {
            return Err(format!("{message}; did you mean \"{guess}\"?"));
        }
        if self.paths.is_empty() {
            return Err(message);
        }
        let all: Vec<String> = self.paths.iter().map(|p| p.join("/")).collect();
        Err(format!("{message} (stages: {})", all.join(", ")))
    }

    /// `path` without the segments the tree does not know (matrix cells), so that a cell's
    /// stages are found under their matrix stage.
    fn known(&self, path: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for segment in path {
            let mut candidate = out.clone();
            candidate.push((*segment).to_owned());
            if self.paths.contains(&candidate) {
                out = candidate;
            }
        }
        out
    }
}

/// The stages a partial run keeps, checked against the pipeline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageFilter {
    tree: StageTree,
    only: Option<Vec<String>>,
    skip: Vec<Vec<String>>,
    from: Option<Vec<String>>,
}

/// The partial-run flags as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// `--stage`.
    pub stage: Option<String>,
    /// `--skip-stage`, repeatable.
    pub skip: Vec<String>,
    /// `--from-stage`.
    pub from: Option<String>,
}

impl Selection {
    /// No partial-run flag was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.stage.is_none() && self.skip.is_empty() && self.from.is_none()
    }
}

fn starts_with(path: &[String], prefix: &[String]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a == b)
}

impl StageFilter {
    /// Checks the flags against `tree`; an unknown or ambiguous name is a usage error.
    pub fn new(tree: StageTree, selection: &Selection) -> Result<Self, String> {
        let only = selection
            .stage
            .as_deref()
            .map(|name| tree.find("--stage", name))
            .transpose()?;
        let skip = selection
            .skip
            .iter()
            .map(|name| tree.find("--skip-stage", name))
            .collect::<Result<_, _>>()?;
        let from = selection
            .from
            .as_deref()
            .map(|name| tree.find("--from-stage", name))
            .transpose()?;
        let filter = Self {
            tree,
            only,
            skip,
            from,
        };
        // `--stage` with a `--from-stage` after it, or with a `--skip-stage` over it, selects
        // nothing: a mistake on the command line, not an empty build.
        if let Some(only) = &filter.only {
            let path: Vec<&str> = only.iter().map(String::as_str).collect();
            if let Decision::Skip(by) = filter.decide(&path) {
                return Err(format!(
                    "--stage \"{}\" and {by} contradict each other: no stage would run",
                    only.join("/")
                ));
            }
        }
        Ok(filter)
    }

    /// [`StageFilter::new`] on a pipeline's stages.
    pub fn for_pipeline(pipeline: &Pipeline, selection: &Selection) -> Result<Self, String> {
        Self::new(StageTree::of(pipeline), selection)
    }

    /// What happens to the stage at `path` (its name and its parents' names, outermost
    /// first; a matrix cell's name may be in it).
    #[must_use]
    pub fn decide(&self, path: &[&str]) -> Decision {
        let path = self.tree.known(path);
        if path.is_empty() {
            return Decision::Run;
        }
        for skipped in &self.skip {
            if starts_with(&path, skipped) {
                return Decision::Skip(format!("--skip-stage \"{}\"", skipped.join("/")));
            }
        }
        let mut ancestor = false;
        if let Some(only) = &self.only {
            if starts_with(only, &path) && only.len() > path.len() {
                ancestor = true;
            } else if !starts_with(&path, only) {
                return Decision::Skip(format!("--stage \"{}\"", only.join("/")));
            }
        }
        if let Some(from) = &self.from {
            if starts_with(from, &path) && from.len() > path.len() {
                ancestor = true;
            } else if !starts_with(&path, from) {
                let index = |p: &Vec<String>| self.tree.paths.iter().position(|q| q == p);
                if index(&path) < index(from) {
                    return Decision::Skip(format!("--from-stage \"{}\"", from.join("/")));
                }
            }
        }
        if ancestor {
            Decision::RunAsAncestor
        } else {
            Decision::Run
        }
    }
}

#[cfg(test)]
mod tests;
