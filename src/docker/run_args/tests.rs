use std::path::Path;

use bollard::models::ContainerCreateBody;

use super::values::{MountSpec, PortSpec};
use super::{ArgsContext, PullPolicy, RunArgs, expand, parse_run_args, parse_run_args_in};

fn env(name: &str) -> Option<String> {
    match name {
        "TAG" => Some("1.2".into()),
        "HOME_DIR" => Some("/home/a b".into()),
        "TOKEN" => Some("s3cret".into()),
        _ => None,
    }
}

#[test]
fn flags_map_to_options_and_quotes_group() {
    let parsed =
        parse_run_args("-e 'A=b c' --network=host -v /a:/b:ro --entrypoint= -u 0:0").unwrap();
    assert_eq!(
        parsed,
        RunArgs {
            env: vec!["A=b c".into()],
            binds: vec!["/a:/b:ro".into()],
            network: Some("host".into()),
            user: Some("0:0".into()),
            entrypoint: Some(String::new()),
            ..RunArgs::default()
        }
    );
}

#[test]
fn an_unknown_flag_is_refused_by_name() {
    let err = parse_run_args("--oom-kill-disable")
        .unwrap_err()
        .to_string();
    assert!(err.contains("`--oom-kill-disable`"), "{err}");
}

#[test]
fn interactive_and_tty_switches_are_accepted_and_change_nothing() {
    let args = parse_run_args("-it -i -t --tty --interactive -ti --network none").unwrap();
    assert_eq!(args.network.as_deref(), Some("none"));
    assert_eq!(args.env, Vec::<String>::new());
    assert!(parse_run_args("-itd").is_err());
}

#[test]
fn the_common_flags_of_real_pipelines_are_understood() {
    let parsed = parse_run_args(
        "-p 127.0.0.1::8080 -p 80:8080/udp --name db --link db:db --shm-size=2g -m 512m --cpus 1.5 \
         --tmpfs /run:rw,size=64m --ulimit nofile=1024:2048 --cap-add SYS_PTRACE --cap-drop NET_RAW \
         --device /dev/fuse --dns 127.0.0.53 --security-opt seccomp=unconfined --ipc host --pid=host \
         -h build -l team=ci --mount type=bind,source=/src,target=/dst,readonly --init --rm -w /tmp",
    )
    .unwrap();
    assert_eq!(
        parsed.ports,
        [
            PortSpec {
                container: "8080/tcp".into(),
                host_ip: "127.0.0.1".into(),
                host_port: String::new()
            },
            PortSpec {
                container: "8080/udp".into(),
                host_ip: String::new(),
                host_port: "80".into()
            }
        ]
    );
    assert_eq!(parsed.name.as_deref(), Some("db"));
    assert_eq!(parsed.links, ["db:db"]);
    assert_eq!(parsed.shm_size, Some(2 * 1024 * 1024 * 1024));
    assert_eq!(parsed.memory, Some(512 * 1024 * 1024));
    assert_eq!(parsed.nano_cpus, Some(1_500_000_000));
    assert_eq!(
        parsed.tmpfs,
        [("/run".to_string(), "rw,size=64m".to_string())]
    );
    assert_eq!(parsed.ulimits, [("nofile".to_string(), 1024, 2048)]);
    assert_eq!(parsed.cap_add, ["SYS_PTRACE"]);
    assert_eq!(parsed.cap_drop, ["NET_RAW"]);
    assert_eq!(
        parsed.devices,
        [("/dev/fuse".into(), "/dev/fuse".into(), "rwm".into())]
    );
    assert_eq!(parsed.dns, ["127.0.0.53"]);
    assert_eq!(parsed.security_opt, ["seccomp=unconfined"]);
    assert_eq!(parsed.ipc.as_deref(), Some("host"));
    assert_eq!(parsed.pid.as_deref(), Some("host"));
    assert_eq!(parsed.hostname.as_deref(), Some("build"));
    assert_eq!(parsed.labels, [("team".to_string(), "ci".to_string())]);
    assert_eq!(
        parsed.mounts,
        [MountSpec {
            kind: "bind".into(),
            source: Some("/src".into()),
            target: "/dst".into(),
            read_only: true
        }]
    );
    assert!(parsed.init && parsed.auto_remove);
    assert_eq!(parsed.workdir.as_deref(), Some("/tmp"));
    assert_eq!(parsed.agent_notes().len(), 2);

    let mut body = ContainerCreateBody::default();
    parsed.apply(&mut body);
    let host = body.host_config.unwrap();
    let binding = &host.port_bindings.unwrap()["8080/tcp"].clone().unwrap()[0];
    assert_eq!(binding.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(binding.host_port.as_deref(), Some(""));
    assert_eq!(host.nano_cpus, Some(1_500_000_000));
    assert_eq!(host.init, Some(true));
    assert_eq!(body.hostname.as_deref(), Some("build"));
    assert!(
        body.exposed_ports
            .unwrap()
            .contains(&"8080/tcp".to_string())
    );
}

#[test]
fn values_are_expanded_from_the_step_environment_after_splitting() {
    let context = ArgsContext {
        env: &env,
        cwd: Path::new("."),
    };
    let parsed = parse_run_args_in(
        "-v $HOME_DIR:/h -l tag=${TAG} -e TOKEN -e MISSING -e KEEP=$UNKNOWN",
        &context,
    )
    .unwrap();
    assert_eq!(parsed.binds, ["/home/a b:/h"]);
    assert_eq!(parsed.labels, [("tag".to_string(), "1.2".to_string())]);
    assert_eq!(parsed.env, ["TOKEN=s3cret", "KEEP=$UNKNOWN"]);
    assert_eq!(expand("a$TAG-${TAG}$ ${", &env), "a1.2-1.2$ ${");
}

#[test]
fn an_env_file_is_read_from_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ci.env"), "# comment\n\nA=1\nTOKEN\nNOPE\n").unwrap();
    let context = ArgsContext {
        env: &env,
        cwd: dir.path(),
    };
    let parsed = parse_run_args_in("--env-file ci.env", &context).unwrap();
    assert_eq!(parsed.env, ["A=1", "TOKEN=s3cret"]);
    let err = parse_run_args_in("--env-file missing.env", &context)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.env"), "{err}");
}

#[test]
fn bad_values_and_ranges_are_refused() {
    for args in [
        "-p 8000-8010:9000-9001",
        "--cpus lots",
        "-m big",
        "--ulimit nofile",
        "--mount type=bind,source=/a,target=/b,bind-propagation=shared",
        "--name",
    ] {
        assert!(parse_run_args(args).is_err(), "{args}");
    }
}

#[test]
fn port_ranges_volumes_from_sysctls_gpus_and_pull_reach_the_create_request() {
    let parsed = parse_run_args(
        "-p 8000-8001:9000-9001/udp -p 127.0.0.1::80 --volumes-from data:ro --sysctl net.core.somaxconn=1024 --gpus all --pull=always --memory-swap=-1 -m 1g",
    )
    .unwrap();
    assert_eq!(parsed.pull, Some(PullPolicy::Always));
    assert_eq!(parsed.ports.len(), 3);
    let mut body = ContainerCreateBody::default();
    parsed.apply(&mut body);
    let host = body.host_config.unwrap();
    let bindings = host.port_bindings.unwrap();
    let first = &bindings["9000/udp"].clone().unwrap()[0];
    assert_eq!(first.host_port.as_deref(), Some("8000"));
    let second = &bindings["9001/udp"].clone().unwrap()[0];
    assert_eq!(second.host_port.as_deref(), Some("8001"));
    let any = &bindings["80/tcp"].clone().unwrap()[0];
    assert_eq!(
        (any.host_ip.as_deref(), any.host_port.as_deref()),
        (Some("127.0.0.1"), Some(""))
    );
    assert_eq!(host.volumes_from, Some(vec!["data:ro".to_string()]));
    assert_eq!(
        host.sysctls
            .unwrap()
            .get("net.core.somaxconn")
            .map(String::as_str),
        Some("1024")
    );
    let gpu = &host.device_requests.unwrap()[0];
    assert_eq!(gpu.count, Some(-1));
    assert_eq!(gpu.capabilities, Some(vec![vec!["gpu".to_string()]]));
    assert_eq!(host.memory_swap, Some(-1));
    assert_eq!(host.memory, Some(1 << 30));
}

#[test]
fn bad_values_fail_with_the_clis_own_words() {
    let err = |args: &str| parse_run_args(args).unwrap_err().to_string();
    assert_eq!(
        err("--memory=nan"),
        "docker run arguments: invalid argument \"nan\" for \"-m, --memory\" flag: invalid size: 'nan'"
    );
    assert_eq!(
        err("--shm-size -1"),
        "docker run arguments: invalid argument \"-1\" for \"--shm-size\" flag: invalid size: '-1'"
    );
    assert_eq!(
        err("-m 2q"),
        "docker run arguments: invalid argument \"2q\" for \"-m, --memory\" flag: invalid suffix: 'q'"
    );
    assert_eq!(
        err("--cpus=nan"),
        "docker run arguments: invalid argument \"nan\" for \"--cpus\" flag: failed to parse nan as a rational number"
    );
    assert_eq!(
        err("--sysctl kernel.hostname=x"),
        "docker run arguments: invalid argument \"kernel.hostname=x\" for \"--sysctl\" flag: sysctl 'kernel.hostname=x' is not allowed"
    );
    assert_eq!(
        err("--pull sometimes"),
        "docker run arguments: invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\""
    );
    assert_eq!(
        err("-p 8000-8010:9000-9001"),
        "docker run arguments: invalid ranges specified for container and host Ports: 9000-9001 and 8000-8010"
    );
}

#[test]
fn common_flags_map_to_the_engine_api() {
    let parsed = parse_run_args(
        "--read-only -P --expose 8000-8001 --expose 53/udp --restart on-failure:3 --platform linux/amd64",
    )
    .unwrap();
    assert_eq!(
        parsed,
        RunArgs {
            read_only: true,
            publish_all: true,
            expose: vec!["8000/tcp".into(), "8001/tcp".into(), "53/udp".into()],
            restart: Some(("on-failure".into(), Some(3))),
            platform: Some("linux/amd64".into()),
            ..RunArgs::default()
        }
    );
    let mut body = ContainerCreateBody::default();
    parsed.apply(&mut body);
    let host = body.host_config.unwrap();
    assert_eq!(
        (host.readonly_rootfs, host.publish_all_ports),
        (Some(true), Some(true))
    );
    let restart = host.restart_policy.unwrap();
    assert_eq!(
        (restart.name, restart.maximum_retry_count),
        (
            Some(bollard::models::RestartPolicyNameEnum::ON_FAILURE),
            Some(3)
        )
    );
    assert_eq!(
        body.exposed_ports.unwrap(),
        vec!["8000/tcp", "8001/tcp", "53/udp"]
    );
    assert_eq!(
        parse_run_args("--publish-all=false").unwrap(),
        RunArgs::default()
    );
    let err = parse_run_args("--restart always:2")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "docker run arguments: --restart always:2: maximum retry count cannot be used with restart policy 'always'"
    );
}

#[test]
fn a_positional_word_and_an_unknown_flag_are_named() {
    let err = parse_run_args("--hostname x y").unwrap_err().to_string();
    assert!(
        err.starts_with("docker run arguments: unexpected positional argument `y`"),
        "{err}"
    );
    let err = parse_run_args("--oom-kill-disable=true")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("docker run arguments: unsupported locally: `--oom-kill-disable` ("),
        "{err}"
    );
}
