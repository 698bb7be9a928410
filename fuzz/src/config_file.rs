//! A file's bytes as the config file (parsed, checked, its `[keys]` made into the keymap, each
//! profile selected as `config check` does) and as a theme file (parsed, made into styles).

use hvecs::config::{Config, Env, Overrides, Source, theme};
use hvecs::tui::keymap::Keymap;
use hvecs::tui::theme::Styles;

/// A path that does not exist: the loader's permission check reads the file's mode from it.
const CONFIG_PATH: &str = "/nonexistent/hvecs-fuzz/config.toml";
const THEME_PATH: &str = "/nonexistent/hvecs-fuzz/themes/fuzz.toml";

pub fn run(bytes: &[u8]) {
    // The loader reads the file as UTF-8 text; other bytes are a "cannot read" error.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut accent = None;
    match Config::parse(Source::new(CONFIG_PATH, text), None) {
        Ok(config) => {
            if let Err(e) = Keymap::with_overrides(&config.keys, config.source.as_ref()) {
                let _ = e.to_string();
            }
            let (env, flags) = (Env::from_pairs([]), Overrides::default());
            let names = config.profile_names();
            let wanted = names.iter().map(|n| Some(n.as_str())).chain([None]);
            for name in wanted {
                match config.select(name, &env, &flags) {
                    Ok(Some(profile)) => accent = accent.or(profile.accent),
                    Ok(None) => {}
                    Err(e) => {
                        let _ = e.to_string();
                    }
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match theme::parse("fuzz", &Source::new(THEME_PATH, text)) {
        Ok(t) => {
            for name in theme::STYLE_NAMES {
                let _ = t.style(name);
            }
            let _ = Styles::new(&t, accent, false, false);
            let _ = Styles::new(&t, accent, true, true);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}
