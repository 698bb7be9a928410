//! `images create|rename|delete`: IMS changes through the runner (an image of a server, with
//! `--stop-first` stop → image → start as one task), targets by id or exact name; and the image
//! type words the list shows (public/private/shared) and `--type` takes.

use crate::config::{Paths, Service};
use crate::gateway::model::Image;
use crate::gateway::{Gateway, decode};
use crate::runner::{ImageOp, ImageRef, ImageSpec, Known, Op};

use super::args::{ChangeFlags, GlobalArgs, ImagesCommand};
use super::change_cmds::{plan_and_run, resolve_one};
use super::exit::{CliError, ExitCode};
use super::out;
use super::target::find_image;

/// Whether an `images` subcommand changes something.
pub fn is_change(cmd: &ImagesCommand) -> bool {
    !matches!(cmd, ImagesCommand::List { .. } | ImagesCommand::Show { .. })
}

pub use crate::read::records::type_word;

/// The `__imagetype` for a word of `--type`.
pub fn api_type(word: &str) -> Result<String, CliError> {
    match word.to_ascii_lowercase().as_str() {
        "public" | "gold" => Ok("gold".into()),
        w @ ("private" | "shared" | "market") => Ok(w.to_owned()),
        _ => Err(CliError::new(
            ExitCode::Usage,
            format!("--type {word:?}: public, private, shared or market"),
        )),
    }
}

async fn image_ref(gw: &Gateway, wanted: &str) -> Result<ImageRef, CliError> {
    let i: Image = decode(&find_image(gw, wanted).await?);
    Ok(ImageRef::new(i.id, i.name))
}

fn tags(raw: &[String]) -> Result<Vec<(String, String)>, CliError> {
    raw.iter()
        .map(|t| match t.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
            _ => Err(CliError::new(
                ExitCode::Usage,
                format!("--tag {t:?}: write it as KEY=VALUE"),
            )),
        })
        .collect()
}

/// The op a command asks for, what is known of its server, and its flags.
async fn plan(gw: &Gateway, cmd: &ImagesCommand) -> Result<(Op, Known, ChangeFlags), CliError> {
    Ok(match cmd {
        ImagesCommand::Create {
            server,
            name,
            description,
            tags: raw_tags,
            stop_first,
            change,
        } => {
            let (s, known) = resolve_one(gw, server).await?;
            let running = known.get(&s.id).is_some_and(|k| k.status == "ACTIVE");
            if *stop_first && !running {
                out::note(&format!(
                    "hvecs: {} is not running: it is imaged as it is, without a stop",
                    s.name
                ));
            }
            let stop_first = *stop_first && running;
            let op = Op::Image(ImageOp::FromServer {
                server: ImageRef::new(s.id, s.name),
                spec: ImageSpec {
                    name: name.clone(),
                    description: description.clone(),
                    tags: tags(raw_tags)?,
                },
                stop_first,
            });
            // Its later steps are sent by this process: it follows the task to its end.
            let flags = ChangeFlags {
                wait: change.wait || stop_first,
                ..change.clone()
            };
            (op, known, flags)
        }
        ImagesCommand::Rename {
            image,
            name,
            change,
        } => {
            let op = Op::Image(ImageOp::Rename {
                image: image_ref(gw, image).await?,
                name: name.clone(),
            });
            (op, Known::new(), change.clone())
        }
        ImagesCommand::Delete { images, change } => {
            let mut picked: Vec<ImageRef> = Vec::new();
            for w in images {
                let i = image_ref(gw, w).await?;
                if !picked.contains(&i) {
                    picked.push(i);
                }
            }
            let op = Op::Image(ImageOp::Delete { images: picked });
            (op, Known::new(), change.clone())
        }
        ImagesCommand::List { .. } | ImagesCommand::Show { .. } => {
            return Err(CliError::new(ExitCode::Usage, "not a changing command"));
        }
    })
}

/// Runs one changing `images` command.
pub fn images(global: &GlobalArgs, paths: &Paths, cmd: &ImagesCommand) -> Result<(), CliError> {
    plan_and_run(global, paths, Service::Ims, async |gw| {
        let (op, known, flags) = plan(gw, cmd).await?;
        Ok((op, known, flags, false))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_words_and_tags() {
        assert_eq!(type_word("gold"), "public");
        assert_eq!(type_word("private"), "private");
        assert_eq!(api_type("Public").unwrap(), "gold");
        assert_eq!(api_type("shared").unwrap(), "shared");
        assert_eq!(api_type("mine").unwrap_err().code, ExitCode::Usage);
        assert_eq!(
            tags(&["team=ops".into(), "empty=".into()]).unwrap(),
            [
                ("team".into(), "ops".into()),
                ("empty".into(), String::new())
            ]
        );
        assert!(tags(&["=x".into()]).is_err());
        assert!(tags(&["novalue".into()]).is_err());
    }
}
