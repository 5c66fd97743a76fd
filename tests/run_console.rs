//! The console renderer, fed fixed event lists. Expected texts are written by hand from the
//! real Jenkins logs quoted in runtime-semantics.md §9 (with our node name and paths), and
//! compared exactly. Events pass the masking stage first, as in a real run.

use jenkinsfile::report::console::Console;
use jenkinsfile::report::mask::Masker;
use jenkinsfile::report::{BuildResult, Event, Record, json};

struct Script {
    records: Vec<Record>,
}

impl Script {
    fn new() -> Self {
        Script {
            records: Vec::new(),
        }
    }

    fn on(mut self, source: u32, event: Event) -> Self {
        let time_ms = 1_795_698_309_000 + self.records.len() as u64;
        self.records.push(Record {
            source,
            time_ms,
            event,
        });
        self
    }

    fn ev(self, event: Event) -> Self {
        self.on(0, event)
    }

    fn step(self, name: &str) -> Self {
        self.on_step(0, name)
    }

    fn on_step(self, source: u32, name: &str) -> Self {
        self.on(
            source,
            Event::StepStart {
                name: name.into(),
                summary: String::new(),
                block: false,
                stage: None,
                branch: None,
            },
        )
        .on(source, end(name, false))
    }

    fn block(self, name: &str) -> Self {
        self.ev(Event::StepStart {
            name: name.into(),
            summary: String::new(),
            block: true,
            stage: None,
            branch: None,
        })
    }

    fn out(self, source: u32, text: &str) -> Self {
        self.on(source, Event::Output { text: text.into() })
    }

    fn render(self, secrets: &[&str], console: Console) -> String {
        let mut masker = Masker::new();
        masker.add_secrets(secrets);
        let mut text = String::new();
        for record in self.records {
            for masked in masker.push(record) {
                text.push_str(&console.render(&masked));
            }
        }
        for masked in masker.finish() {
            text.push_str(&console.render(&masked));
        }
        text
    }
}

fn end(name: &str, block: bool) -> Event {
    Event::StepEnd {
        name: name.into(),
        block,
        result: BuildResult::Success,
        duration_ms: 5,
        error: None,
    }
}

fn body() -> Event {
    Event::BodyStart { label: None }
}

fn stage(name: &str) -> Event {
    Event::StageStart {
        name: name.into(),
        branch: None,
    }
}

fn stage_end(name: &str) -> Event {
    Event::StageEnd {
        name: name.into(),
        result: BuildResult::Success,
        skipped: false,
        duration_ms: 10,
    }
}

fn finished(result: BuildResult) -> Event {
    Event::Finished {
        result,
        duration_ms: 1000,
    }
}

fn log(line: &str) -> Event {
    Event::Log { line: line.into() }
}

/// §9.3, the minimal scripted pipeline.
#[test]
fn hello_world() {
    let text = Script::new()
        .ev(Event::PipelineStart)
        .block("node")
        .ev(log(
            "Running on Jenkins in /home/u/.local/share/jenkinsfile/jobs/job/workspace",
        ))
        .ev(body())
        .step("echo")
        .out(0, "Hello World!\n")
        .ev(Event::BodyEnd)
        .ev(end("node", true))
        .ev(Event::PipelineEnd)
        .ev(finished(BuildResult::Success))
        .render(&[], Console::default());
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in /home/u/.local/share/jenkinsfile/jobs/job/workspace
[Pipeline] {
[Pipeline] echo
Hello World!
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
Finished: SUCCESS
"
    );
}

/// §1.4: a failing `sh` in a stage, the error printed only at the end.
#[test]
fn failing_sh_in_a_stage() {
    let text = Script::new()
        .ev(Event::PipelineStart)
        .block("node")
        .ev(log("Running on Jenkins in /ws/app"))
        .ev(body())
        .ev(stage("Test"))
        .ev(Event::StepStart {
            name: "sh".into(),
            summary: "script: python3 -m unittest".into(),
            block: false,
            stage: Some("Test".into()),
            branch: None,
        })
        .out(0, "+ python3 -m unittest discover -s .\n")
        .out(
            0,
            "/ws/app@tmp/durable-e4e76f07/script.sh.copy: 1: python3: not found\n",
        )
        .ev(Event::StepEnd {
            name: "sh".into(),
            block: false,
            result: BuildResult::Failure,
            duration_ms: 20,
            error: Some("script returned exit code 127".into()),
        })
        .ev(stage_end("Test"))
        .ev(Event::BodyEnd)
        .ev(end("node", true))
        .ev(Event::PipelineEnd)
        .ev(Event::Error {
            message: "script returned exit code 127".into(),
        })
        .ev(finished(BuildResult::Failure))
        .render(&[], Console::default());
    assert_eq!(
        text,
        "\
[Pipeline] Start of Pipeline
[Pipeline] node
Running on Jenkins in /ws/app
[Pipeline] {
[Pipeline] stage
[Pipeline] { (Test)
[Pipeline] sh
+ python3 -m unittest discover -s .
/ws/app@tmp/durable-e4e76f07/script.sh.copy: 1: python3: not found
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: script returned exit code 127
Finished: FAILURE
"
    );
}

/// §9.2's parallel section: branch openings first, lines interleaved in arrival order with no
/// branch prefix, `Failed in branch` before the parallel closes. Branch output arrives in
/// chunks that split lines; each line still comes out whole.
#[test]
fn parallel_branches() {
    let (a, b) = (1, 2);
    let text = Script::new()
        .ev(stage("Test"))
        .block("parallel")
        .on(
            a,
            Event::BodyStart {
                label: Some("Branch: Unit".into()),
            },
        )
        .on(
            b,
            Event::BodyStart {
                label: Some("Branch: Lint".into()),
            },
        )
        .on(a, stage("Unit"))
        .on(b, stage("Lint"))
        .on(
            a,
            Event::StepStart {
                name: "sh".into(),
                summary: String::new(),
                block: false,
                stage: Some("Unit".into()),
                branch: Some("Unit".into()),
            },
        )
        .on(
            b,
            Event::StepStart {
                name: "sh".into(),
                summary: String::new(),
                block: false,
                stage: Some("Lint".into()),
                branch: Some("Lint".into()),
            },
        )
        .out(a, "+ echo unit ok\nunit")
        .out(b, "+ exit 3\n")
        .out(a, " ok\n")
        .on(a, end("sh", false))
        .on(a, stage_end("Unit"))
        .on(a, Event::BodyEnd)
        .on(b, end("sh", false))
        .on(b, stage_end("Lint"))
        .on(b, Event::BodyEnd)
        .ev(log("Failed in branch Lint"))
        .ev(end("parallel", true))
        .ev(stage_end("Test"))
        .render(&[], Console::default());
    assert_eq!(
        text,
        "\
[Pipeline] stage
[Pipeline] { (Test)
[Pipeline] parallel
[Pipeline] { (Branch: Unit)
[Pipeline] { (Branch: Lint)
[Pipeline] stage
[Pipeline] { (Unit)
[Pipeline] stage
[Pipeline] { (Lint)
[Pipeline] sh
[Pipeline] sh
+ echo unit ok
+ exit 3
unit ok
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
Failed in branch Lint
[Pipeline] // parallel
[Pipeline] }
[Pipeline] // stage
"
    );
}

/// §4.2 / §9.4: masked trace inside `withCredentials`, and a skipped stage.
#[test]
fn masking_and_skipped_stage() {
    let text = Script::new()
        .block("withCredentials")
        .ev(log("Masking supported pattern matches of $PASS"))
        .ev(Event::Secrets {
            values: vec!["hunter22".into()],
        })
        .ev(body())
        .step("sh")
        .out(0, "+ git clone https://bb8312:hunt")
        .out(0, "er22@github.com/bb8312/jac.git\n")
        .ev(Event::BodyEnd)
        .ev(end("withCredentials", true))
        .ev(stage("Deploy"))
        .ev(log("Stage \"Deploy\" skipped due to earlier failure(s)"))
        .step("getContext")
        .ev(Event::StageEnd {
            name: "Deploy".into(),
            result: BuildResult::NotBuilt,
            skipped: true,
            duration_ms: 0,
        })
        .render(&[], Console::default());
    assert_eq!(
        text,
        "\
[Pipeline] withCredentials
Masking supported pattern matches of $PASS
[Pipeline] {
[Pipeline] sh
+ git clone https://bb8312:****@github.com/bb8312/jac.git
[Pipeline] }
[Pipeline] // withCredentials
[Pipeline] stage
[Pipeline] { (Deploy)
Stage \"Deploy\" skipped due to earlier failure(s)
[Pipeline] getContext
[Pipeline] }
[Pipeline] // stage
"
    );
}

#[test]
fn timestamps_prefix_every_line() {
    let text = Script::new()
        .ev(Event::PipelineStart)
        .step("echo")
        .out(0, "a\nb\n")
        .render(&[], Console { timestamps: true });
    assert_eq!(
        text,
        "\
[2026-11-26T13:05:09.000Z] [Pipeline] Start of Pipeline
[2026-11-26T13:05:09.001Z] [Pipeline] echo
[2026-11-26T13:05:09.003Z] a
[2026-11-26T13:05:09.003Z] b
"
    );
}

#[test]
fn json_lines_are_one_object_per_record() {
    let record = Record {
        source: 2,
        time_ms: 7,
        event: Event::StageEnd {
            name: "Build".into(),
            result: BuildResult::Unstable,
            skipped: false,
            duration_ms: 12,
        },
    };
    assert_eq!(
        json::render(&record),
        "{\"source\":2,\"time_ms\":7,\"event\":\"stage_end\",\"name\":\"Build\",\"result\":\"UNSTABLE\",\"skipped\":false,\"duration_ms\":12}\n"
    );
}
