//! `matrix` (runtime-semantics.md §5.9): the cells of the axes' product with the first axis
//! changing fastest, minus the excluded ones, each named `Matrix - OS = 'linux', JDK = '11'`
//! and run as a synthetic stage holding the matrix's own directives and stages.

use crate::model::pipeline::{Axes, Matrix, Stage};
use crate::source::Spanned;

/// One cell: its stage name and its axis values, in axis order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Cell {
    pub name: String,
    pub axes: Vec<(String, String)>,
}

fn axes_of(axes: &Axes) -> Vec<(String, Vec<String>, bool)> {
    axes.axes
        .iter()
        .map(|a| {
            let name = a
                .name
                .as_ref()
                .and_then(|n| n.literal.clone())
                .unwrap_or_default();
            let values = a
                .values
                .iter()
                .flatten()
                .filter_map(|v| v.literal.clone())
                .collect();
            (name, values, a.not_values)
        })
        .collect()
}

/// The cells to run, in Jenkins' order.
pub(super) fn cells(m: &Matrix) -> Vec<Cell> {
    let axes = m.axes.as_ref().map(axes_of).unwrap_or_default();
    let mut product: Vec<Vec<(String, String)>> = vec![Vec::new()];
    // Each later axis multiplies the list from the outside, so the first changes fastest.
    for (name, values, _) in &axes {
        let mut next = Vec::new();
        for v in values {
            for cell in &product {
                let mut cell = cell.clone();
                cell.push((name.clone(), v.clone()));
                next.push(cell);
            }
        }
        product = next;
    }
    let excludes: Vec<Vec<(String, Vec<String>, bool)>> = m
        .excludes
        .iter()
        .flat_map(|e| e.excludes.iter().map(axes_of))
        .collect();
    product
        .into_iter()
        .filter(|cell| {
            !excludes.iter().any(|clauses| {
                clauses.iter().all(|(name, values, not)| {
                    let value = cell.iter().find(|(n, _)| n == name).map(|(_, v)| v);
                    value.is_some_and(|v| values.contains(v) != *not)
                })
            })
        })
        .map(|axes| Cell {
            name: format!(
                "Matrix - {}",
                axes.iter()
                    .map(|(k, v)| format!("{k} = '{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            axes,
        })
        .collect()
}

/// The synthetic stage a cell runs: the matrix's directives around its stages.
pub(super) fn cell_stage(m: &Matrix, cell: &Cell) -> Stage {
    Stage {
        span: m.span,
        name: Spanned::new(cell.name.clone(), m.span),
        agent: m.agent.clone(),
        when: m.when.clone(),
        environment: m.environment.clone(),
        tools: m.tools.clone(),
        options: m.options.clone(),
        input: m.input.clone(),
        post: m.post.clone(),
        fail_fast: None,
        steps: None,
        stages: m.stages.clone(),
        parallel: None,
        matrix: None,
    }
}
