//! `tools { }`: each tool is installed with the `tool` step (locally: found through the
//! config's `[tools]` table), and its `bin` directory is put first on `PATH`, with the home
//! variable Jenkins' tool type sets (`JAVA_HOME` for a JDK, `MAVEN_HOME`/`M2_HOME` for Maven).
//! At pipeline level the installs run in a `Declarative: Tool Install` stage.

use std::time::Instant;

use super::Run;
use super::result::error_result;
use super::wrap::{Fut, stage_end, stage_start, with_env};
use crate::eval::args::CallArgs;
use crate::eval::flow::R;
use crate::eval::host::Host;
use crate::eval::scope::Cx;
use crate::eval::text::to_string;
use crate::eval::value::{Key, Value};
use crate::model::pipeline::{Section, Tool};
use crate::report::BuildResult;

pub(super) async fn with_tools<'a>(
    run: &Run<'a>,
    cx: &Cx,
    tools: Option<&'a Section<Tool>>,
    root: bool,
    body: impl FnOnce(Cx) -> Fut<'a, bool>,
) -> R<bool> {
    let Some(tools) = tools.filter(|t| !t.items.is_empty()) else {
        return body(cx.clone()).await;
    };
    let vars = if root {
        let name = "Declarative: Tool Install";
        let started = Instant::now();
        let scx = stage_start(run, cx, name);
        let r = install(run, &scx, tools).await;
        let result = r.as_ref().err().map_or(BuildResult::Success, error_result);
        stage_end(run, cx, name, result, false, started);
        r?
    } else {
        install(run, cx, tools).await?
    };
    with_env(run, cx, &vars, body).await
}

async fn install(run: &Run<'_>, cx: &Cx, tools: &Section<Tool>) -> R<Vec<(String, String)>> {
    let mut vars = Vec::new();
    for tool in tools {
        let version = to_string(&run.interp.eval(&tool.version, cx).await?);
        let mut args = CallArgs::default();
        args.named.insert(Key::str("name"), Value::string(version));
        args.named
            .insert(Key::str("type"), Value::string(tool.ty.node.clone()));
        let Some(call) = run.host.call(run.interp, "tool", args, tool.span, cx) else {
            continue;
        };
        let home = to_string(&call.await?);
        let upper = tool.ty.node.to_uppercase();
        vars.push((format!("PATH+{upper}"), format!("{home}/bin")));
        match tool.ty.node.as_str() {
            "jdk" => vars.push(("JAVA_HOME".into(), home)),
            "maven" => {
                vars.push(("MAVEN_HOME".into(), home.clone()));
                vars.push(("M2_HOME".into(), home));
            }
            _ => {}
        }
    }
    Ok(vars)
}
