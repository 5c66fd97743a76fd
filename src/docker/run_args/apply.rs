//! [`RunArgs`] onto the engine's create request: the container config and its `HostConfig`.

use std::collections::HashMap;

use bollard::models::{
    ContainerCreateBody, DeviceMapping, HostConfig, Mount, MountType, PortBinding,
    ResourcesUlimits, RestartPolicy, RestartPolicyNameEnum,
};

use super::RunArgs;

fn some_vec(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

impl RunArgs {
    /// Adds these options to `body` (whose own env, binds, user and working directory the
    /// caller has set: `-e`, `-v` add to them, `-u`, `-w` and `--entrypoint` replace them).
    pub fn apply(&self, body: &mut ContainerCreateBody) {
        if !self.env.is_empty() {
            body.env
                .get_or_insert_with(Vec::new)
                .extend(self.env.iter().cloned());
        }
        if let Some(user) = &self.user {
            body.user = Some(user.clone());
        }
        if let Some(e) = &self.entrypoint {
            body.entrypoint = Some(if e.is_empty() {
                Vec::new()
            } else {
                vec![e.clone()]
            });
        }
        if let Some(h) = &self.hostname {
            body.hostname = Some(h.clone());
        }
        if !self.labels.is_empty() {
            body.labels = Some(self.labels.iter().cloned().collect());
        }
        if !self.ports.is_empty() || !self.expose.is_empty() {
            body.exposed_ports = Some(
                self.ports
                    .iter()
                    .map(|p| p.container.clone())
                    .chain(self.expose.iter().cloned())
                    .collect(),
            );
        }
        let host = body.host_config.get_or_insert_with(HostConfig::default);
        if !self.binds.is_empty() {
            host.binds
                .get_or_insert_with(Vec::new)
                .extend(self.binds.iter().cloned());
        }
        host.network_mode.clone_from(&self.network);
        host.privileged = self.privileged.then_some(true);
        host.init = self.init.then_some(true);
        host.readonly_rootfs = self.read_only.then_some(true);
        host.publish_all_ports = self.publish_all.then_some(true);
        if let Some((name, max)) = &self.restart {
            host.restart_policy = Some(RestartPolicy {
                name: Some(match name.as_str() {
                    "always" => RestartPolicyNameEnum::ALWAYS,
                    "unless-stopped" => RestartPolicyNameEnum::UNLESS_STOPPED,
                    "on-failure" => RestartPolicyNameEnum::ON_FAILURE,
                    _ => RestartPolicyNameEnum::NO,
                }),
                maximum_retry_count: *max,
            });
        }
        host.extra_hosts = some_vec(&self.extra_hosts);
        host.group_add = some_vec(&self.group_add);
        host.links = some_vec(&self.links);
        host.cap_add = some_vec(&self.cap_add);
        host.cap_drop = some_vec(&self.cap_drop);
        host.dns = some_vec(&self.dns);
        host.security_opt = some_vec(&self.security_opt);
        host.ipc_mode.clone_from(&self.ipc);
        host.pid_mode.clone_from(&self.pid);
        host.shm_size = self.shm_size;
        host.memory = self.memory;
        host.memory_swap = self.memory_swap;
        host.volumes_from = some_vec(&self.volumes_from);
        if !self.sysctls.is_empty() {
            host.sysctls = Some(self.sysctls.iter().cloned().collect());
        }
        if !self.gpus.is_empty() {
            host.device_requests = Some(
                self.gpus
                    .iter()
                    .map(super::GpuRequest::to_device_request)
                    .collect(),
            );
        }
        host.nano_cpus = self.nano_cpus;
        if !self.ports.is_empty() {
            let mut map: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
            for p in &self.ports {
                map.entry(p.container.clone())
                    .or_insert_with(|| Some(Vec::new()))
                    .get_or_insert_with(Vec::new)
                    .push(PortBinding {
                        host_ip: Some(p.host_ip.clone()),
                        host_port: Some(p.host_port.clone()),
                    });
            }
            host.port_bindings = Some(map);
        }
        if !self.tmpfs.is_empty() {
            host.tmpfs = Some(self.tmpfs.iter().cloned().collect());
        }
        if !self.ulimits.is_empty() {
            host.ulimits = Some(
                self.ulimits
                    .iter()
                    .map(|(name, soft, hard)| ResourcesUlimits {
                        name: Some(name.clone()),
                        soft: Some(*soft),
                        hard: Some(*hard),
                    })
                    .collect(),
            );
        }
        if !self.devices.is_empty() {
            host.devices = Some(
                self.devices
                    .iter()
                    .map(|(h, c, p)| DeviceMapping {
                        path_on_host: Some(h.clone()),
                        path_in_container: Some(c.clone()),
                        cgroup_permissions: Some(p.clone()),
                    })
                    .collect(),
            );
        }
        if !self.mounts.is_empty() {
            host.mounts = Some(
                self.mounts
                    .iter()
                    .map(|m| Mount {
                        typ: Some(match m.kind.as_str() {
                            "bind" => MountType::BIND,
                            "tmpfs" => MountType::TMPFS,
                            _ => MountType::VOLUME,
                        }),
                        source: m.source.clone(),
                        target: Some(m.target.clone()),
                        read_only: m.read_only.then_some(true),
                        ..Mount::default()
                    })
                    .collect(),
            );
        }
    }

    /// The create request's query: `--name` and `--platform`; `None` when neither is set.
    #[must_use]
    pub fn create_options(&self) -> Option<bollard::query_parameters::CreateContainerOptions> {
        if self.name.is_none() && self.platform.is_none() {
            return None;
        }
        let mut b = bollard::query_parameters::CreateContainerOptionsBuilder::default();
        if let Some(n) = &self.name {
            b = b.name(n);
        }
        if let Some(p) = &self.platform {
            b = b.platform(p);
        }
        Some(b.build())
    }

    /// Notes for the agent's log: how an argument was read, and what the agent ignores:
    /// `--rm` (the agent removes its container) and `-w` (the agent's working directory is
    /// the workspace).
    #[must_use]
    pub fn agent_notes(&self) -> Vec<String> {
        let mut notes = self.notes.clone();
        if self.auto_remove {
            notes.push(
                "Note: --rm is ignored; the container is stopped and removed when the block ends"
                    .to_string(),
            );
        }
        if let Some(w) = &self.workdir {
            notes.push(format!(
                "Note: -w {w} is ignored; the working directory is the workspace, as in Jenkins"
            ));
        }
        notes
    }
}
