//! The create-server form's state: its fields, the choices the catalog offers for each (only
//! flavors on sale in the AZ, only subnets serving it), every field's problem as it is typed, and
//! the `CreateSpec` it makes. Pure: the catalog is passed in.

use crossterm::event::{KeyCode, KeyModifiers};

use super::field::TextField;
use super::field_id::{FieldId, FormKey, Login};
use super::validate::{self, VOLUME_TYPES};
use crate::config::Secret;
use crate::read::catalog::{Catalog, ImageInfo, ram_text};
use crate::runner::{CreateSpec, VolumeSpec};
use crate::tui::dialog::form_keys::stepped;
use crate::tui::keymap::Key;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateForm {
    pub focus: FieldId,
    pub name: TextField,
    pub az: Option<String>,
    /// Flavor id.
    pub flavor: Option<String>,
    /// Image id.
    pub image: Option<String>,
    /// Index into `VOLUME_TYPES`.
    pub disk_type: usize,
    pub disk_size: TextField,
    /// Typed by the user: no longer follows the image's minimum.
    pub size_typed: bool,
    pub data_disks: TextField,
    pub vpc: Option<String>,
    pub subnet: Option<String>,
    pub count: TextField,
    pub login: Login,
    pub password: TextField,
    /// Typed, or (when `key_choice`) the chosen one of the project's key pairs.
    pub key_name: TextField,
    /// The catalog listed key pairs: the key pair is chosen among them, not typed.
    pub key_choice: bool,
}

/// One entry of a choice field: its id and what the screen shows.
pub type Choice = (String, String);

const SSD: usize = 2;

impl CreateForm {
    /// A new form; `image` pre-chosen when it was opened on the Images list.
    pub fn new(image: Option<String>) -> Self {
        CreateForm {
            focus: FieldId::Name,
            name: TextField::new(""),
            az: None,
            flavor: None,
            image,
            disk_type: SSD,
            disk_size: TextField::new(""),
            size_typed: false,
            data_disks: TextField::new(""),
            vpc: None,
            subnet: None,
            count: TextField::new("1"),
            login: Login::Password,
            password: TextField::secret(),
            key_name: TextField::new(""),
            key_choice: false,
        }
    }

    /// The fields shown: the password or the key pair, as `login` says.
    pub fn fields(&self) -> Vec<FieldId> {
        FieldId::ALL
            .into_iter()
            .filter(|f| match f {
                FieldId::Password => self.login == Login::Password,
                FieldId::KeyName => self.login == Login::KeyPair,
                _ => true,
            })
            .collect()
    }

    pub fn text(&self, f: FieldId) -> Option<&TextField> {
        match f {
            FieldId::Name => Some(&self.name),
            FieldId::DiskSize => Some(&self.disk_size),
            FieldId::DataDisks => Some(&self.data_disks),
            FieldId::Count => Some(&self.count),
            FieldId::Password => Some(&self.password),
            FieldId::KeyName if !self.key_choice => Some(&self.key_name),
            _ => None,
        }
    }

    fn text_mut(&mut self, f: FieldId) -> Option<&mut TextField> {
        match f {
            FieldId::Name => Some(&mut self.name),
            FieldId::DiskSize => Some(&mut self.disk_size),
            FieldId::DataDisks => Some(&mut self.data_disks),
            FieldId::Count => Some(&mut self.count),
            FieldId::Password => Some(&mut self.password),
            FieldId::KeyName if !self.key_choice => Some(&mut self.key_name),
            _ => None,
        }
    }

    fn image_info<'a>(&self, cat: &'a Catalog) -> Option<&'a ImageInfo> {
        self.image.as_deref().and_then(|id| cat.image(id))
    }

    /// Fills what is not chosen yet and drops choices the others made invalid (a flavor not on
    /// sale in the new AZ, a subnet not serving it), keeping every choice that still holds.
    pub fn settle(&mut self, cat: &Catalog) {
        if self.az.as_ref().is_none_or(|a| !cat.azs.contains(a)) {
            self.az = cat.azs.first().cloned();
        }
        let az = self.az.clone().unwrap_or_default();
        if self.image.is_none() {
            self.image = cat.images.first().map(|i| i.id.clone());
        }
        let image = self.image_info(cat).cloned();
        let on_sale = |id: &str| cat.flavors_in(&az).any(|f| f.id == id);
        if self.flavor.as_deref().is_none_or(|f| !on_sale(f)) {
            let fits = |ram: u64| image.as_ref().is_none_or(|i| ram >= i.min_ram_mb);
            self.flavor = cat
                .flavors_in(&az)
                .find(|f| fits(f.ram_mb))
                .or_else(|| cat.flavors_in(&az).next())
                .map(|f| f.id.clone());
        }
        if !self.size_typed {
            let size = image.as_ref().map_or(40, |i| i.min_disk_gb.max(40));
            self.disk_size.set(&size.to_string());
        }
        // A VPC the user chose stays (its problem says why); one not chosen yet is one serving the AZ.
        if self
            .vpc
            .as_ref()
            .is_none_or(|v| !cat.networks.iter().any(|n| &n.id == v))
        {
            self.vpc = cat
                .networks
                .iter()
                .find(|n| n.subnets_in(&az).next().is_some())
                .or(cat.networks.first())
                .map(|n| n.id.clone());
        }
        let subnets: Vec<String> = self
            .choices(FieldId::Subnet, cat)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if self.subnet.as_ref().is_none_or(|s| !subnets.contains(s)) {
            self.subnet = subnets.first().cloned();
        }
        self.settle_key_pair(cat);
    }

    /// With the project's key pairs known (and some), the key pair becomes a choice among them,
    /// keeping a typed or chosen name that is one of them. Otherwise it stays typed text.
    fn settle_key_pair(&mut self, cat: &Catalog) {
        let names = cat.keypairs.as_deref().unwrap_or_default();
        self.key_choice = !names.is_empty();
        if self.key_choice && !names.iter().any(|n| n == self.key_name.value()) {
            self.key_name.set(&names[0]);
        }
    }

    /// Whether `f` is chosen with ←/→ now (the key pair is when the catalog listed some).
    pub fn is_choice(&self, f: FieldId) -> bool {
        f.is_choice() || (f == FieldId::KeyName && self.key_choice)
    }

    /// What a choice field offers now.
    pub fn choices(&self, f: FieldId, cat: &Catalog) -> Vec<Choice> {
        let az = self.az.as_deref().unwrap_or_default();
        match f {
            FieldId::Az => cat.azs.iter().map(|a| (a.clone(), a.clone())).collect(),
            FieldId::Flavor => cat
                .flavors_in(az)
                .map(|f| {
                    let size = format!("{} vCPU, {} RAM", f.vcpus, ram_text(f.ram_mb));
                    (f.id.clone(), format!("{}  {size}", f.name))
                })
                .collect(),
            FieldId::Image => cat
                .images
                .iter()
                .map(|i| {
                    (
                        i.id.clone(),
                        format!(
                            "{}  (min {} GB, {} RAM)",
                            i.name,
                            i.min_disk_gb,
                            ram_text(i.min_ram_mb)
                        ),
                    )
                })
                .collect(),
            FieldId::DiskType => VOLUME_TYPES
                .iter()
                .map(|t| ((*t).to_owned(), (*t).to_owned()))
                .collect(),
            FieldId::Vpc => cat
                .networks
                .iter()
                .map(|n| (n.id.clone(), format!("{}  {}", n.name, n.cidr)))
                .collect(),
            FieldId::Subnet => cat
                .networks
                .iter()
                .find(|n| Some(&n.id) == self.vpc.as_ref())
                .map(|n| {
                    n.subnets_in(az)
                        .map(|s| (s.id.clone(), format!("{}  {}", s.name, s.cidr)))
                        .collect()
                })
                .unwrap_or_default(),
            FieldId::Login => vec![
                ("password".into(), "admin password".into()),
                ("key".into(), "key pair".into()),
            ],
            FieldId::KeyName if self.key_choice => cat
                .keypairs
                .iter()
                .flatten()
                .map(|n| (n.clone(), n.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn chosen(&self, f: FieldId) -> Option<String> {
        match f {
            FieldId::Az => self.az.clone(),
            FieldId::Flavor => self.flavor.clone(),
            FieldId::Image => self.image.clone(),
            FieldId::DiskType => Some(VOLUME_TYPES[self.disk_type].to_owned()),
            FieldId::Vpc => self.vpc.clone(),
            FieldId::Subnet => self.subnet.clone(),
            FieldId::Login => Some(
                match self.login {
                    Login::Password => "password",
                    Login::KeyPair => "key",
                }
                .to_owned(),
            ),
            FieldId::KeyName if self.key_choice => Some(self.key_name.value().to_owned()),
            _ => None,
        }
    }

    /// What a field shows: the text typed (a password masked), or the choice's label.
    pub fn shown(&self, f: FieldId, cat: Option<&Catalog>) -> String {
        if let Some(t) = self.text(f) {
            return t.shown();
        }
        let chosen = self.chosen(f).unwrap_or_default();
        let label = cat.and_then(|c| {
            self.choices(f, c)
                .into_iter()
                .find(|(id, _)| *id == chosen)
                .map(|(_, l)| l)
        });
        label.unwrap_or(chosen)
    }

    /// The next (`+1`) or previous (`-1`) choice of a choice field, wrapping around.
    pub fn cycle(&mut self, f: FieldId, delta: isize, cat: &Catalog) -> bool {
        let list = self.choices(f, cat);
        if list.is_empty() {
            return false;
        }
        let now = self.chosen(f);
        let i = list
            .iter()
            .position(|(id, _)| Some(id) == now.as_ref())
            .map_or(0, |i| {
                (i as isize + delta).rem_euclid(list.len() as isize) as usize
            });
        let id = list[i].0.clone();
        match f {
            FieldId::Az => {
                let serves = |vpc: &String| {
                    cat.networks
                        .iter()
                        .find(|n| &n.id == vpc)
                        .is_some_and(|n| n.subnets_in(&id).next().is_some())
                };
                if !self.vpc.as_ref().is_some_and(serves) {
                    self.vpc = None;
                }
                self.az = Some(id);
            }
            FieldId::Flavor => self.flavor = Some(id),
            FieldId::Image => self.image = Some(id),
            FieldId::DiskType => self.disk_type = i,
            FieldId::Vpc => {
                self.vpc = Some(id);
                self.subnet = None;
            }
            FieldId::Subnet => self.subnet = Some(id),
            FieldId::KeyName if self.key_choice => self.key_name.set(&id),
            FieldId::Login => {
                self.login = if id == "key" {
                    Login::KeyPair
                } else {
                    Login::Password
                }
            }
            _ => return false,
        }
        self.settle(cat);
        true
    }

    /// Why a field's value is wrong, if it is.
    pub fn problem(&self, f: FieldId, cat: &Catalog) -> Option<String> {
        let az = self.az.as_deref().unwrap_or_default();
        let image = self.image_info(cat);
        match f {
            FieldId::Name => validate::name(self.name.value()),
            FieldId::Az => self
                .az
                .is_none()
                .then(|| "no AZ of this region is available".to_owned()),
            FieldId::Flavor => match self.flavor.as_deref().and_then(|id| cat.flavor(id)) {
                None if cat.flavors_in(az).next().is_none() => {
                    Some(format!("no flavor is on sale in {az}"))
                }
                None => Some("choose a flavor".into()),
                Some(fl) if !fl.on_sale_in(az) => {
                    Some(format!("{} is not on sale in {az}", fl.name))
                }
                Some(fl) => validate::flavor_for_image(fl, image),
            },
            FieldId::Image => match (&self.image, image) {
                (None, _) => Some("no active image to make a server from".into()),
                (Some(id), None) => Some(format!(
                    "image {id} is not active (or gone): only active images make servers"
                )),
                _ => None,
            },
            FieldId::DiskType => None,
            FieldId::DiskSize => validate::system_disk(self.disk_size.value(), image).err(),
            FieldId::DataDisks => validate::data_disks(self.data_disks.value()).err(),
            FieldId::Vpc => match &self.vpc {
                None => Some("no VPC in this region".into()),
                Some(_) if self.choices(FieldId::Subnet, cat).is_empty() => {
                    Some(format!("this VPC has no subnet serving {az}"))
                }
                _ => None,
            },
            FieldId::Subnet => self
                .subnet
                .is_none()
                .then(|| format!("choose a VPC with a subnet serving {az}")),
            FieldId::Count => {
                let flavor = self.flavor.as_deref().and_then(|id| cat.flavor(id));
                validate::count(
                    self.count.value(),
                    flavor,
                    self.per_server(cat),
                    &cat.quotas,
                )
                .err()
            }
            FieldId::Login => None,
            FieldId::Password => validate::password(self.password.value()),
            FieldId::KeyName => match cat.keypairs.as_deref() {
                Some([]) => Some("no key pairs in this project; use a password".into()),
                Some(names) if !names.iter().any(|n| n == self.key_name.value()) => Some(format!(
                    "key pair `{}` is not in this project",
                    self.key_name.value()
                )),
                Some(_) => None,
                None => validate::key_name(self.key_name.value()),
            },
        }
    }

    /// The disks each server gets, as far as they are typed right (for the quota checks).
    fn per_server(&self, cat: &Catalog) -> validate::PerServer {
        let data = validate::data_disks(self.data_disks.value()).unwrap_or_default();
        let system = validate::system_disk(self.disk_size.value(), self.image_info(cat))
            .map_or(0, u64::from);
        validate::PerServer {
            disks: 1 + data.len() as u64,
            gb: system + data.iter().map(|d| u64::from(d.size_gb)).sum::<u64>(),
        }
    }

    /// Every shown field that is wrong, in screen order.
    pub fn problems(&self, cat: &Catalog) -> Vec<(FieldId, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| self.problem(f, cat).map(|p| (f, p)))
            .collect()
    }

    /// The create it asks for, or the first wrong field and why.
    pub fn spec(&self, cat: &Catalog) -> Result<CreateSpec, (FieldId, String)> {
        if let Some(first) = self.problems(cat).into_iter().next() {
            return Err(first);
        }
        let missing = |f: FieldId| (f, format!("choose the {}", f.label()));
        let image = self
            .image_info(cat)
            .ok_or_else(|| missing(FieldId::Image))?;
        let size = validate::system_disk(self.disk_size.value(), Some(image))
            .map_err(|e| (FieldId::DiskSize, e))?;
        let flavor = self.flavor.as_deref().and_then(|id| cat.flavor(id));
        let data =
            validate::data_disks(self.data_disks.value()).map_err(|e| (FieldId::DataDisks, e))?;
        let count = validate::count(
            self.count.value(),
            flavor,
            self.per_server(cat),
            &cat.quotas,
        )
        .map_err(|e| (FieldId::Count, e))?;
        let password = (self.login == Login::Password).then(|| Secret::new(self.password.value()));
        Ok(CreateSpec {
            name: self.name.value().to_owned(),
            image_id: image.id.clone(),
            flavor_id: self
                .flavor
                .clone()
                .ok_or_else(|| missing(FieldId::Flavor))?,
            vpc_id: self.vpc.clone().ok_or_else(|| missing(FieldId::Vpc))?,
            subnet_id: self
                .subnet
                .clone()
                .ok_or_else(|| missing(FieldId::Subnet))?,
            availability_zone: self.az.clone(),
            root_volume: VolumeSpec {
                volume_type: VOLUME_TYPES[self.disk_type].to_owned(),
                size_gb: size,
            },
            data_volumes: data,
            count,
            key_name: (self.login == Login::KeyPair).then(|| self.key_name.value().to_owned()),
            had_admin_pass: password.is_some(),
            admin_pass: password,
        })
    }

    fn move_focus(&mut self, delta: isize) {
        self.focus = stepped(&self.fields(), self.focus, delta);
    }

    /// A key: Tab/Shift-Tab/↑/↓ move between fields, ←/→ (or space) change a choice, other keys
    /// edit a text field; Enter asks to submit, Esc to leave. `Stay(false)`: not the form's key.
    pub fn on_key(&mut self, key: Key, cat: Option<&Catalog>) -> FormKey {
        let plain = key.mods.is_empty() || key.mods == KeyModifiers::SHIFT;
        match key.code {
            KeyCode::Esc => return FormKey::Cancel,
            KeyCode::Enter => return FormKey::Submit,
            KeyCode::Tab | KeyCode::Down if plain => {
                self.move_focus(1);
                return FormKey::Stay(true);
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.move_focus(-1);
                return FormKey::Stay(true);
            }
            _ => {}
        }
        let f = self.focus;
        if self.is_choice(f) {
            let Some(cat) = cat else {
                return FormKey::Stay(false);
            };
            let delta = match key.code {
                KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => 1,
                KeyCode::Left | KeyCode::Char('h') => -1,
                _ => return FormKey::Stay(false),
            };
            return FormKey::Stay(self.cycle(f, delta, cat));
        }
        let Some(t) = self.text_mut(f) else {
            return FormKey::Stay(false);
        };
        match t.edit(key) {
            Some(changed) => {
                if changed && f == FieldId::DiskSize {
                    self.size_typed = true;
                }
                FormKey::Stay(true)
            }
            None => FormKey::Stay(false),
        }
    }
}
