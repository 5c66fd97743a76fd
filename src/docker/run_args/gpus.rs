//! `--gpus` read as the docker CLI's `GpuOpts` reads it (`all`, a count, or CSV fields
//! `count=`, `device=`, `capabilities=`, `driver=`, `options=`), sent to the engine as a
//! `DeviceRequest`. An engine without a GPU driver refuses it when the container starts; that
//! error gets its own hint (`Error::hint`), naming `--gpus` as unsupported on this engine.

use std::collections::HashMap;

use bollard::models::DeviceRequest;

/// One `--gpus` request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GpuRequest {
    pub driver: String,
    /// -1: all.
    pub count: i64,
    pub device_ids: Option<Vec<String>>,
    pub capabilities: Vec<Vec<String>>,
    pub options: Vec<(String, String)>,
}

impl GpuRequest {
    pub(super) fn to_device_request(&self) -> DeviceRequest {
        DeviceRequest {
            driver: Some(self.driver.clone()),
            count: Some(self.count),
            device_ids: self.device_ids.clone(),
            capabilities: Some(self.capabilities.clone()),
            options: Some(self.options.iter().cloned().collect::<HashMap<_, _>>()),
        }
    }
}

fn count(text: &str) -> Result<i64, String> {
    if text == "all" {
        return Ok(-1);
    }
    text.parse().map_err(|_| {
        format!("count must be an integer: strconv.Atoi: parsing {text:?}: invalid syntax")
    })
}

/// `GpuOpts.Set`.
pub(super) fn parse_gpus(value: &str) -> Result<GpuRequest, String> {
    let mut req = GpuRequest::default();
    let mut seen: Vec<String> = Vec::new();
    for field in csv_fields(value)? {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (field.clone(), None),
        };
        if seen.contains(&key) {
            return Err(format!(
                "gpu request key '{key}' can be specified only once"
            ));
        }
        seen.push(key.clone());
        let Some(val) = val else {
            seen.push("count".into());
            req.count = count(&key)?;
            continue;
        };
        match key.as_str() {
            "driver" => req.driver = val,
            "count" => req.count = count(&val)?,
            "device" => req.device_ids = Some(val.split(',').map(str::to_string).collect()),
            "capabilities" => {
                let mut caps: Vec<String> = val.split(',').map(str::to_string).collect();
                caps.push("gpu".into());
                req.capabilities = vec![caps];
            }
            "options" => {
                for kv in csv_fields(&val)? {
                    let (k, v) = kv.split_once('=').unwrap_or((&kv, ""));
                    req.options.push((k.to_string(), v.to_string()));
                }
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if !seen.iter().any(|k| k == "count") && req.device_ids.is_none() {
        req.count = 1;
    }
    if req.capabilities.is_empty() {
        req.capabilities = vec![vec!["gpu".into()]];
    }
    Ok(req)
}

/// One CSV record (Go's `encoding/csv`): `,` separates, a field may be `"quoted"` with `""`
/// for a quote.
fn csv_fields(text: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => {
                        return Err(format!("extraneous or missing \" in quoted-field: {text}"));
                    }
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => fields.push(field),
                Some(_) => return Err(format!("extraneous or missing \" in quoted-field: {text}")),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(',') => break,
                    Some('"') => return Err(format!("bare \" in non-quoted-field: {text}")),
                    Some(c) => field.push(c),
                }
            }
            fields.push(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_gpus;

    #[test]
    fn gpus_as_the_cli_reads_them() {
        let all = parse_gpus("all").unwrap();
        assert_eq!(
            (all.count, all.capabilities.clone()),
            (-1, vec![vec!["gpu".to_string()]])
        );
        assert_eq!(parse_gpus("2").unwrap().count, 2);
        let devices = parse_gpus("\"device=1,2\",capabilities=compute").unwrap();
        assert_eq!(devices.device_ids, Some(vec!["1".into(), "2".into()]));
        assert_eq!(devices.count, 0);
        assert_eq!(
            devices.capabilities,
            vec![vec!["compute".to_string(), "gpu".to_string()]]
        );
        assert_eq!(parse_gpus("driver=nvidia").unwrap().count, 1);
        assert_eq!(
            parse_gpus("x").unwrap_err(),
            "count must be an integer: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            parse_gpus("count=1,count=2").unwrap_err(),
            "gpu request key 'count' can be specified only once"
        );
        assert_eq!(
            parse_gpus("colour=red").unwrap_err(),
            "unexpected key 'colour' in 'colour=red'"
        );
    }
}
