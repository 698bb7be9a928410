//! The create form's rules, one plain function per field: each says why a value is wrong, in
//! words a person can act on. The rules are api.md §4's (and the simulator's, which follows it).

use crate::read::catalog::{FlavorInfo, ImageInfo, Quotas, ram_text};
use crate::runner::VolumeSpec;

/// The EVS disk types a create body takes (api.md §4).
pub const VOLUME_TYPES: [&str; 7] = ["SATA", "SAS", "SSD", "GPSSD", "ESSD", "GPSSD2", "ESSD2"];
/// The largest system disk, GB.
pub const MAX_SYSTEM_GB: u64 = 1024;
/// Data disks: 10 GB to 32 TB each, at most 23.
pub const DATA_GB: (u64, u64) = (10, 32768);
pub const MAX_DATA_DISKS: usize = 23;
/// Servers per create call.
pub const MAX_COUNT: u64 = 100;
/// The characters an admin password may hold besides letters and digits.
pub const PASSWORD_SPECIALS: &str = "!@$%^-_=+[{}]:,./?";

/// The API's server name rule (the runner's, so the form and the runner agree).
pub fn name(text: &str) -> Option<String> {
    crate::runner::precondition::name_problem(text)
}

/// A flavor for an image: enough RAM for the image's minimum.
pub fn flavor_for_image(f: &FlavorInfo, image: Option<&ImageInfo>) -> Option<String> {
    let i = image?;
    (f.ram_mb < i.min_ram_mb).then(|| {
        format!(
            "{} has {} of RAM; the image {} needs at least {}",
            f.name,
            ram_text(f.ram_mb),
            i.name,
            ram_text(i.min_ram_mb)
        )
    })
}

/// The system disk size in GB: a whole number from the image's minimum (at least 1) to 1024.
pub fn system_disk(text: &str, image: Option<&ImageInfo>) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("give the system disk size in GB".into());
    }
    let gb: u64 = t
        .parse()
        .map_err(|_| format!("{t:?} is not a whole number of GB"))?;
    let min = image.map_or(1, |i| i.min_disk_gb.max(1));
    if gb < min {
        return Err(match image {
            Some(i) if i.min_disk_gb > 0 => format!(
                "{gb} GB is too small: the image {} needs at least {} GB",
                i.name, i.min_disk_gb
            ),
            _ => "the system disk needs at least 1 GB".into(),
        });
    }
    if gb > MAX_SYSTEM_GB {
        return Err(format!(
            "{gb} GB is too big: a system disk has at most {MAX_SYSTEM_GB} GB"
        ));
    }
    Ok(gb as u32)
}

/// Data disks as `TYPE:GB` separated by commas (`SSD:100, SATA:200`); empty: none.
pub fn data_disks(text: &str) -> Result<Vec<VolumeSpec>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((kind, size)) = part.split_once(':') else {
            return Err(format!("{part:?}: write TYPE:GB, e.g. SSD:100"));
        };
        let kind = kind.trim().to_ascii_uppercase();
        if !VOLUME_TYPES.contains(&kind.as_str()) {
            return Err(format!(
                "{part:?}: the disk type is one of {}",
                VOLUME_TYPES.join(", ")
            ));
        }
        let size = size.trim();
        let gb: u64 = size
            .parse()
            .map_err(|_| format!("{part:?}: {size:?} is not a whole number of GB"))?;
        if !(DATA_GB.0..=DATA_GB.1).contains(&gb) {
            return Err(format!(
                "{part:?}: a data disk has {} to {} GB",
                DATA_GB.0, DATA_GB.1
            ));
        }
        out.push(VolumeSpec {
            volume_type: kind,
            size_gb: gb as u32,
        });
    }
    if out.len() > MAX_DATA_DISKS {
        return Err(format!(
            "{} data disks: a server has at most {MAX_DATA_DISKS}",
            out.len()
        ));
    }
    Ok(out)
}

/// The disks each new server gets: how many, and their GB together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerServer {
    pub disks: u64,
    pub gb: u64,
}

/// How many servers: 1 to 100, and no more than the quotas leave for this flavor and disks
/// (instances, cores, RAM, EVS volumes and gigabytes).
pub fn count(
    text: &str,
    flavor: Option<&FlavorInfo>,
    each: PerServer,
    quotas: &Quotas,
) -> Result<u32, String> {
    let t = text.trim();
    let n: u64 = t
        .parse()
        .map_err(|_| format!("{t:?} is not a whole number of servers"))?;
    if !(1..=MAX_COUNT).contains(&n) {
        return Err(format!("{n} servers: one create makes 1 to {MAX_COUNT}"));
    }
    if let Some(f) = flavor
        && let Some(fit) = quotas.servers_that_fit(f.vcpus, f.ram_mb, each.disks)
        && n > fit
    {
        return Err(format!(
            "the quotas leave room for {fit} more server{} of {} (instances {}, cores {}, RAM {})",
            if fit == 1 { "" } else { "s" },
            f.name,
            quotas.instances.text(),
            quotas.cores.text(),
            ram_usage(quotas),
        ));
    }
    if let Some(gb) = quotas.storage("gigabytes")
        && let Some(room) = gb.headroom()
        && n * each.gb > room
    {
        return Err(format!(
            "{n} server{} with {} GB of disks each need {} GB; the disk quota leaves {room} GB ({} GB used)",
            if n == 1 { "" } else { "s" },
            each.gb,
            n * each.gb,
            gb.text(),
        ));
    }
    Ok(n as u32)
}

fn ram_usage(q: &Quotas) -> String {
    match q.ram_mb.limit {
        Some(l) => format!("{} of {}", ram_text(q.ram_mb.used), ram_text(l)),
        None => format!("{} (no limit)", ram_text(q.ram_mb.used)),
    }
}

/// The admin password rule of ECS (api.md gives none; this is the public ECS rule): 8 to 26
/// characters, at least three of upper case, lower case, digits and `!@$%^-_=+[{}]:,./?`, nothing
/// else, and not the login name (`root`, `administrator`) or it reversed.
pub fn password(pw: &str) -> Option<String> {
    let n = pw.chars().count();
    if n == 0 {
        return Some("type an admin password, or choose a key pair".into());
    }
    if !(8..=26).contains(&n) {
        return Some(format!("{n} characters: a password has 8 to 26"));
    }
    if let Some(c) = pw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(*c)))
    {
        // Never echo the password; the one odd character is safe to name unless it is a space.
        let shown = if c == ' ' {
            "a space".to_owned()
        } else {
            format!("{c:?}")
        };
        return Some(format!(
            "{shown} is not allowed: letters, digits and {PASSWORD_SPECIALS} only"
        ));
    }
    let classes = [
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
    ]
    .into_iter()
    .filter(|x| *x)
    .count();
    if classes < 3 {
        return Some(
            "use at least three of: upper case, lower case, digits, special characters".into(),
        );
    }
    let lower = pw.to_ascii_lowercase();
    for login in ["administrator", "root"] {
        let reversed: String = login.chars().rev().collect();
        if lower.contains(login) || lower.contains(&reversed) {
            return Some(format!(
                "it must not contain the login name {login} (or it reversed)"
            ));
        }
    }
    None
}

/// A key pair's name: 1 to 64 letters, digits, `_` or `-`.
pub fn key_name(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n == 0 {
        return Some("type the key pair's name, or choose an admin password".into());
    }
    if n > 64 {
        return Some(format!("{n} characters: a key pair name has 1 to 64"));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
        .map(|c| format!("{c:?} is not allowed: letters, digits, '_' and '-' only"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::catalog::Usage;

    fn image(min_disk: u64, min_ram: u64) -> ImageInfo {
        ImageInfo {
            id: "img".into(),
            name: "win2019".into(),
            status: "active".into(),
            os: "Windows".into(),
            image_type: "gold".into(),
            min_disk_gb: min_disk,
            min_ram_mb: min_ram,
        }
    }

    fn flavor(vcpus: u32, ram_mb: u64) -> FlavorInfo {
        FlavorInfo {
            id: "f".into(),
            name: "hv1.f".into(),
            vcpus,
            ram_mb,
            disk_gb: 0,
            sale_state: "normal".into(),
            sale_by_az: vec![],
            disabled: false,
            performance: String::new(),
        }
    }

    #[test]
    fn the_system_disk_is_at_least_the_images_minimum() {
        let i = image(40, 2048);
        assert_eq!(system_disk("40", Some(&i)), Ok(40));
        let e = system_disk("30", Some(&i)).unwrap_err();
        assert!(e.contains("image win2019 needs at least 40 GB"), "{e}");
        assert!(
            system_disk("2000", Some(&i))
                .unwrap_err()
                .contains("at most 1024")
        );
        assert!(
            system_disk("4o", Some(&i))
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            system_disk("", None)
                .unwrap_err()
                .contains("give the system disk size")
        );
    }

    #[test]
    fn a_flavor_needs_the_images_ram() {
        let e = flavor_for_image(&flavor(1, 1024), Some(&image(40, 2048))).unwrap();
        assert_eq!(
            e,
            "hv1.f has 1 GB of RAM; the image win2019 needs at least 2 GB"
        );
        assert!(flavor_for_image(&flavor(2, 4096), Some(&image(40, 2048))).is_none());
    }

    #[test]
    fn data_disks_are_type_and_size_pairs() {
        let d = data_disks("ssd:100, SATA:200").unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].volume_type.as_str(), d[0].size_gb), ("SSD", 100));
        assert_eq!(data_disks("  ").unwrap(), vec![]);
        assert!(data_disks("SSD100").unwrap_err().contains("write TYPE:GB"));
        assert!(data_disks("NVME:100").unwrap_err().contains("one of SATA"));
        assert!(data_disks("SSD:5").unwrap_err().contains("10 to 32768"));
        let many = vec!["SSD:10"; 24].join(",");
        assert!(data_disks(&many).unwrap_err().contains("at most 23"));
    }

    #[test]
    fn the_count_stays_within_the_quotas() {
        let q = Quotas {
            instances: Usage::of(Some(8), Some(10)),
            cores: Usage::of(Some(0), Some(100)),
            ram_mb: Usage::of(Some(0), Some(-1)),
            storage: vec![],
            images: None,
        };
        let f = flavor(2, 4096);
        let one = PerServer { disks: 1, gb: 40 };
        assert_eq!(count("2", Some(&f), one, &q), Ok(2));
        let e = count("3", Some(&f), one, &q).unwrap_err();
        assert!(e.contains("room for 2 more servers"), "{e}");
        assert!(e.contains("instances 8 of 10"), "{e}");
        assert!(
            count("0", Some(&f), one, &q)
                .unwrap_err()
                .contains("1 to 100")
        );
        assert!(
            count("x", None, one, &q)
                .unwrap_err()
                .contains("not a whole number")
        );
        let q = Quotas {
            storage: vec![("gigabytes".into(), Usage::of(Some(900), Some(1000)))],
            ..q
        };
        assert_eq!(count("2", Some(&f), one, &q), Ok(2));
        let big = PerServer { disks: 2, gb: 60 };
        let e = count("2", Some(&f), big, &q).unwrap_err();
        assert!(
            e.contains("need 120 GB; the disk quota leaves 100 GB"),
            "{e}"
        );
    }

    #[test]
    fn passwords_follow_the_complexity_rule_and_are_never_echoed() {
        assert_eq!(password("Ops-2026!x"), None);
        assert!(password("").unwrap().contains("key pair"));
        assert!(password("Ab1!").unwrap().contains("8 to 26"));
        assert!(password("abcdefgh1").unwrap().contains("three of"));
        let e = password("Secret 123x").unwrap();
        assert!(e.contains("a space") && !e.contains("Secret"), "{e}");
        assert!(password("Root-2026x").unwrap().contains("login name root"));
        assert!(password("Toor-2026x").unwrap().contains("login name root"));
    }

    #[test]
    fn key_names_and_server_names() {
        assert_eq!(key_name("ops-key_1"), None);
        assert!(key_name("ops key").unwrap().contains("' '"));
        assert!(key_name("").is_some());
        assert!(name("web 01").unwrap().contains("only letters"));
        assert!(name("").unwrap().contains("1 to 64"));
        assert_eq!(name("web-01.prod"), None);
    }
}
