"""The action registry: every command the window offers, with its menu, shortcuts and help text.

The main window creates these and wires each one to a slot; menus are built
from the same table, so a command never exists without a shortcut listing
and an accessible name.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Shortcut = str | QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    menu: str
    shortcuts: tuple[Shortcut, ...] = ()
    tip: str = ""
    checkable: bool = False
    separator_before: bool = False


MENUS = ("&File", "&Go", "&View", "&Help")

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "quit", "&Quit", "&File", (QKeySequence.StandardKey.Quit, "Ctrl+Q"), "Quit Chronoscope"
    ),
    ActionSpec(
        "find",
        "&Search…",
        "&Go",
        ("Ctrl+F", "Ctrl+K"),
        "Search events, entities and passages",
    ),
    ActionSpec(
        "find_in_document",
        "Find in &document…",
        "&Go",
        ("Ctrl+Shift+F",),
        "Find text in the shown document",
    ),
    ActionSpec(
        "previous_event",
        "&Previous event",
        "&Go",
        ("Alt+Left", "Ctrl+Alt+Up"),
        "Select the event before the current one in date order",
        separator_before=True,
    ),
    ActionSpec(
        "next_event",
        "&Next event",
        "&Go",
        ("Alt+Right", "Ctrl+Alt+Down"),
        "Select the event after the current one in date order",
    ),
    ActionSpec(
        "previous_evidence",
        "Pre&vious evidence passage",
        "&Go",
        ("Shift+F8",),
        "Previous passage attesting the event",
    ),
    ActionSpec(
        "next_evidence",
        "Ne&xt evidence passage",
        "&Go",
        ("F8",),
        "Next passage attesting the event",
    ),
    ActionSpec(
        "clear_selection",
        "&Clear selection",
        "&Go",
        ("Ctrl+Shift+Space",),
        "Select nothing and remove all filters",
    ),
    ActionSpec(
        "focus_timeline",
        "Focus &timeline",
        "&View",
        ("Ctrl+1",),
        "Move the keyboard focus to the timeline",
    ),
    ActionSpec(
        "focus_entities",
        "Focus &entities",
        "&View",
        ("Ctrl+2",),
        "Move the keyboard focus to the entity list",
    ),
    ActionSpec(
        "focus_text",
        "Focus source te&xt",
        "&View",
        ("Ctrl+3",),
        "Move the keyboard focus to the source text",
    ),
    ActionSpec(
        "focus_detail",
        "Focus event &detail",
        "&View",
        ("Ctrl+4",),
        "Move the keyboard focus to the event detail",
    ),
    ActionSpec(
        "show_original",
        "Show text &as written",
        "&View",
        ("Ctrl+Shift+O",),
        "Toggle between the text as the source has it and the repaired text",
        checkable=True,
        separator_before=True,
    ),
    ActionSpec(
        "show_repairs",
        "Mark &repairs",
        "&View",
        ("Ctrl+Shift+R",),
        "Mark the characters repaired from the text as read (hover one to see the original)",
        checkable=True,
    ),
    ActionSpec(
        "dark",
        "&Dark palette",
        "&View",
        ("Ctrl+Shift+D",),
        "Switch between light and dark",
        checkable=True,
    ),
    ActionSpec(
        "reset_layout", "&Reset layout", "&View", (), "Put every pane back where it started"
    ),
    ActionSpec("about", "&About Chronoscope", "&Help", (), "Version and credits"),
)


def create_actions(parent: QWidget) -> dict[str, QAction]:
    """One QAction per :data:`ACTIONS` entry, parented to ``parent``, by name."""
    out: dict[str, QAction] = {}
    for spec in ACTIONS:
        act = QAction(spec.text, parent)
        act.setObjectName(f"action_{spec.name}")
        keys: list[QKeySequence] = []
        for s in spec.shortcuts:
            if isinstance(s, QKeySequence.StandardKey):
                keys.extend(QKeySequence.keyBindings(s))
            else:
                keys.append(QKeySequence(s))
        unique = list(dict.fromkeys(k.toString() for k in keys if not k.isEmpty()))
        act.setShortcuts([QKeySequence(k) for k in unique])
        tip = spec.tip + (f" ({unique[0]})" if unique else "")
        act.setToolTip(tip)
        act.setStatusTip(spec.tip)
        act.setCheckable(spec.checkable)
        out[spec.name] = act
    return out
