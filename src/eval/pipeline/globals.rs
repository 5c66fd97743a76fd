//! `env` and `currentBuild` as objects the script reads and writes.

use std::rc::Rc;

use super::{State, env_insert, env_key};
use crate::eval::flow::{Flow, R};
use crate::eval::object::HostObject;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::report::{BuildResult, timespan};

/// `env`: reads see `withEnv` of the branch; writes are global and stored as strings.
#[derive(Debug)]
pub(crate) struct Env {
    pub state: Rc<State>,
}

impl HostObject for Env {
    fn class_name(&self) -> &'static str {
        "org.jenkinsci.plugins.workflow.cps.EnvActionImpl"
    }

    fn get(&self, name: &str, cx: &Cx) -> R<Value> {
        Ok(self
            .state
            .env_value(&cx.dynamic, name)
            .unwrap_or(Value::Null))
    }

    fn set(&self, name: &str, value: Value, _cx: &Cx) -> R<()> {
        if let Some(plan) = &self.state.plan {
            // A run-time value stays one when read back (`env.V` after `env.V = out`).
            plan.env_set(name, &value);
        }
        let text = match value {
            Value::Null => {
                let mut writes = self.state.env_writes.borrow_mut();
                if let Some(k) = env_key(&writes, name) {
                    writes.shift_remove(&k);
                }
                return Ok(());
            }
            other => to_string(&other),
        };
        env_insert(&mut self.state.env_writes.borrow_mut(), name, text);
        Ok(())
    }

    fn call(&self, name: &str, args: &[Value], cx: &Cx) -> Option<R<Value>> {
        match (name, args) {
            ("getProperty", [k]) => Some(self.get(&to_string(k), cx)),
            ("getEnvironment", []) => Some(Ok(Value::map(
                self.state
                    .effective_env(&cx.dynamic)
                    .into_iter()
                    .map(|(k, v)| (Key(Value::string(k)), Value::string(v)))
                    .collect(),
            ))),
            _ => None,
        }
    }
}

/// `currentBuild`, a `RunWrapper`.
#[derive(Debug)]
pub(crate) struct CurrentBuild {
    pub state: Rc<State>,
}

/// The first earlier build from `from` on (newest first) whose result `wanted` accepts:
/// `previousSuccessfulBuild`, `previousFailedBuild`, … (the records are all completed builds).
fn previous_where(state: &Rc<State>, from: usize, name: &str) -> Option<Value> {
    let wanted: fn(BuildResult) -> bool = match name {
        "previousBuild" | "previousCompletedBuild" => |_| true,
        "previousSuccessfulBuild" => |r| r == BuildResult::Success,
        "previousFailedBuild" => |r| r == BuildResult::Failure,
        "previousNotFailedBuild" => |r| r <= BuildResult::Unstable,
        "previousBuiltBuild" => |r| r != BuildResult::NotBuilt,
        // No build of this job runs alongside a local one, and none follows it.
        "previousBuildInProgress" | "nextBuild" => return Some(Value::Null),
        _ => return None,
    };
    let found =
        (from..state.config.previous.len()).find(|&i| wanted(state.config.previous[i].result));
    Some(found.map_or(Value::Null, |i| previous(state, i)))
}

/// `resultIsBetterOrEqualTo(name)` / `resultIsWorseOrEqualTo(name)`, with a null result
/// counted as SUCCESS.
fn compare_result(current: BuildResult, name: &str, args: &[Value]) -> Option<R<Value>> {
    let [other] = args else { return None };
    let other = BuildResult::parse(&to_string(other));
    match name {
        "resultIsBetterOrEqualTo" => Some(Ok(Value::Bool(current <= other))),
        "resultIsWorseOrEqualTo" => Some(Ok(Value::Bool(current >= other))),
        _ => None,
    }
}

fn previous(state: &Rc<State>, index: usize) -> Value {
    match state.config.previous.get(index) {
        Some(_) => Value::Object(Rc::new(crate::eval::object::Object::Host(Rc::new(
            PreviousBuild {
                state: state.clone(),
                index,
            },
        )))),
        None => Value::Null,
    }
}

impl HostObject for CurrentBuild {
    fn class_name(&self) -> &'static str {
        "org.jenkinsci.plugins.workflow.support.steps.build.RunWrapper"
    }

    fn get(&self, name: &str, _cx: &Cx) -> R<Value> {
        let s = &self.state;
        Ok(match name {
            "result" => {
                if s.result_set.get() {
                    Value::str(s.result.get().as_str())
                } else {
                    Value::Null
                }
            }
            "currentResult" => Value::str(s.result.get().as_str()),
            "number" => Value::Int(s.config.build_number as i32),
            "id" => Value::string(s.config.build_number.to_string()),
            "displayName" => Value::string(
                s.display_name
                    .borrow()
                    .clone()
                    .unwrap_or_else(|| format!("#{}", s.config.build_number)),
            ),
            "fullDisplayName" => {
                Value::string(format!("{} #{}", s.config.job_name, s.config.build_number))
            }
            "projectName" | "fullProjectName" => Value::string(s.config.job_name.clone()),
            "description" => s
                .description
                .borrow()
                .clone()
                .map_or(Value::Null, Value::string),
            "duration" => Value::Long(s.started.elapsed().as_millis() as i64),
            "durationString" => Value::string(format!(
                "{} and counting",
                timespan(s.started.elapsed().as_millis() as u64)
            )),
            "startTimeInMillis" | "timeInMillis" => Value::Long(
                crate::eval::classes::date::now_millis() - s.started.elapsed().as_millis() as i64,
            ),
            // The file URL of the build record (BUILD_URL), as Jenkins gives the build's page.
            "absoluteUrl" => s
                .config
                .env
                .get("BUILD_URL")
                .cloned()
                .map_or(Value::Null, Value::string),
            // For a pipeline, the global `env.X = …` assignments.
            "buildVariables" => Value::map(
                s.env_writes
                    .borrow()
                    .iter()
                    .map(|(k, v)| (Key::str(k), Value::string(v.clone())))
                    .collect(),
            ),
            "keepLog" => Value::Bool(false),
            "buildCauses" => super::causes::build_causes(None),
            "changeSets" => super::change_sets::change_sets(&s.config.host.changelog.sets()),
            _ if previous_where(s, 0, name).is_some() => {
                previous_where(s, 0, name).unwrap_or(Value::Null)
            }
            "rawBuild" if s.plan.is_some() => {
                Value::unknown("currentBuild.rawBuild (a Jenkins controller object)")
            }
            "rawBuild" => {
                return Err(crate::eval::classes::controller_only(
                    "currentBuild.rawBuild",
                ));
            }
            _ => {
                return Err(Flow::exception(
                    "groovy.lang.MissingPropertyException",
                    format!(
                        "No such property: {name} for class: org.jenkinsci.plugins.workflow.support.steps.build.RunWrapper"
                    ),
                ));
            }
        })
    }

    fn set(&self, name: &str, value: Value, cx: &Cx) -> R<()> {
        let s = &self.state;
        match name {
            // Planning: a result set on a side that may not run is not the build's.
            // Planning: a result set on a side that may not run, or from a run-time value, is
            // not the build's for sure: the plan says what it could become.
            "result"
                if s.plan.is_some()
                    && (cx.dynamic.conditional.is_some() || matches!(value, Value::Unknown(_))) =>
            {
                if let Some(plan) = &s.plan {
                    plan.result_set(&value, cx.dynamic.conditional.as_deref());
                }
            }
            "result" => s.degrade(BuildResult::parse(&to_string(&value))),
            "displayName" => *s.display_name.borrow_mut() = Some(to_string(&value)),
            "description" => *s.description.borrow_mut() = Some(to_string(&value)),
            _ => {
                return Err(Flow::exception(
                    "groovy.lang.ReadOnlyPropertyException",
                    format!(
                        "Cannot set readonly property: {name} for class: org.jenkinsci.plugins.workflow.support.steps.build.RunWrapper"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn call(&self, name: &str, args: &[Value], cx: &Cx) -> Option<R<Value>> {
        match (name, args) {
            ("getBuildCauses", []) => Some(Ok(super::causes::build_causes(None))),
            ("getBuildCauses", [class]) => {
                Some(Ok(super::causes::build_causes(Some(&to_string(class)))))
            }
            ("resultIsBetterOrEqualTo" | "resultIsWorseOrEqualTo", _) => {
                compare_result(self.state.result.get(), name, args)
            }
            ("getRawBuild", []) => Some(self.get("rawBuild", cx)),
            _ if name.starts_with("get") && args.is_empty() => {
                let prop = &name[3..];
                let mut c = prop.chars();
                let prop = c.next().map_or_else(String::new, |f| {
                    f.to_lowercase().collect::<String>() + c.as_str()
                });
                Some(self.get(&prop, cx))
            }
            _ if name.starts_with("set") && args.len() == 1 => {
                let prop = &name[3..];
                let mut c = prop.chars();
                let prop = c.next().map_or_else(String::new, |f| {
                    f.to_lowercase().collect::<String>() + c.as_str()
                });
                Some(self.set(&prop, args[0].clone(), cx).map(|()| Value::Null))
            }
            _ => None,
        }
    }

    fn to_text(&self) -> String {
        format!(
            "{} #{}",
            self.state.config.job_name, self.state.config.build_number
        )
    }
}

/// `currentBuild.previousBuild` (and its `previousBuild`, …), from the build records.
#[derive(Debug)]
struct PreviousBuild {
    state: Rc<State>,
    index: usize,
}

impl HostObject for PreviousBuild {
    fn class_name(&self) -> &'static str {
        "org.jenkinsci.plugins.workflow.support.steps.build.RunWrapper"
    }

    fn get(&self, name: &str, _cx: &Cx) -> R<Value> {
        let Some(b) = self.state.config.previous.get(self.index) else {
            return Ok(Value::Null);
        };
        Ok(match name {
            "result" | "currentResult" => Value::str(b.result.as_str()),
            "number" => Value::Int(b.number as i32),
            "id" => Value::string(b.number.to_string()),
            "displayName" => Value::string(
                b.display_name
                    .clone()
                    .unwrap_or_else(|| format!("#{}", b.number)),
            ),
            "description" => b.description.clone().map_or(Value::Null, Value::string),
            "duration" => Value::Long(b.duration_ms as i64),
            "durationString" => Value::string(timespan(b.duration_ms)),
            "absoluteUrl" | "buildVariables" => Value::Null,
            _ if previous_where(&self.state, self.index + 1, name).is_some() => {
                previous_where(&self.state, self.index + 1, name).unwrap_or(Value::Null)
            }
            _ => {
                return Err(Flow::exception(
                    "groovy.lang.MissingPropertyException",
                    format!(
                        "No such property: {name} for class: org.jenkinsci.plugins.workflow.support.steps.build.RunWrapper"
                    ),
                ));
            }
        })
    }

    fn set(&self, name: &str, _value: Value, _cx: &Cx) -> R<()> {
        Err(Flow::exception(
            "java.lang.SecurityException",
            format!("can only set the {name} property on the current build"),
        ))
    }

    fn call(&self, name: &str, args: &[Value], cx: &Cx) -> Option<R<Value>> {
        match name {
            "resultIsBetterOrEqualTo" | "resultIsWorseOrEqualTo" => {
                let b = self.state.config.previous.get(self.index)?;
                compare_result(b.result, name, args)
            }
            _ if name.starts_with("get") && name.len() > 3 && args.is_empty() => {
                let mut c = name[3..].chars();
                let prop = c.next().map_or_else(String::new, |f| {
                    f.to_lowercase().collect::<String>() + c.as_str()
                });
                Some(self.get(&prop, cx))
            }
            _ => None,
        }
    }
}
