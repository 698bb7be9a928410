//! The mouse, when `[ui] mouse = true` (off by default: admins keep the terminal's own
//! selection): a click on a row selects it, the wheel scrolls. Part of `AppState::update`.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    Click,
    WheelUp,
    WheelDown,
}

/// A mouse event the console acts on, at a screen cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

impl Mouse {
    /// Left clicks and the wheel; other buttons, drags and moves are not used.
    pub fn from_event(e: &MouseEvent) -> Option<Mouse> {
        let kind = match e.kind {
            MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
            MouseEventKind::ScrollUp => MouseKind::WheelUp,
            MouseEventKind::ScrollDown => MouseKind::WheelDown,
            _ => return None,
        };
        Some(Mouse {
            kind,
            column: e.column,
            row: e.row,
        })
    }
}
