"""smtui's colours: the semantic styles (roles), the high-contrast theme, and Rich text kept in step.

Python never names a colour. A cell, label or badge carries a *role* ("failed", "key", "muted", …)
and :data:`ROLES` says what each role looks like in terms of the current Textual theme's
variables, so ``:theme NAME`` (or ``theme =`` in the config) repaints everything. A role
reaches the screen in one of three ways, by what paints it:

- Textual ``Content`` (Static widgets, the context bar, the prompt): :func:`content_style`, a
  style with theme variables that Textual resolves when it paints.
- Rich renderables painted through the app's console (tree labels, Rich tables):
  :func:`rich_name` (``"smtui.failed"``), a named Rich style that :func:`follow_theme` keeps
  resolved for the current theme.
- The resource table, which paints its own rows: its component classes
  ``resource-table--<role>``, whose CSS :func:`role_css` writes from the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.style import Style as RichStyle
from rich.theme import Theme as RichTheme
from textual.color import Color
from textual.markup import parse_style
from textual.style import Style
from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

ROLES: Mapping[str, str] = {
    # health, as the catalogue judges a status
    "failed": "bold $text-error",
    "transitional": "$text-warning",
    "healthy": "$text-success",
    # text
    "error": "bold $text-error",  # what went wrong, said in place
    "key": "bold $text-primary",  # a key to press, a field's name
    "accent": "bold $text-accent",  # what to look at first: the region, a group, a recent change
    "muted": "$foreground-muted",  # less important: times, separators, hints
    "strong": "bold",
    "current": "bold reverse",  # where the user is (the last breadcrumb)
    # badges
    "brand": "bold $text on $accent",
    "badge": "bold $text on $warning",  # READ-ONLY
}
"""Role -> a Textual style in theme variables: the one place smtui's colours are chosen."""

HIGH_CONTRAST = Theme(
    name="smtui-high-contrast",
    primary="#00FFFF",
    secondary="#FF00FF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF0000",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#262626",
    boost="#FFFFFF",
    dark=True,
    text_alpha=1.0,
    variables={
        # Full-strength text colours (the defaults are tints of the theme colours) and nothing
        # dimmed: muted text keeps full contrast, it only loses its emphasis.
        "text-muted": "auto 100%",
        "foreground-muted": "#FFFFFF",
        "text-primary": "#00FFFF",
        "text-secondary": "#FF00FF",
        "text-accent": "#FFFF00",
        "text-warning": "#FFFF00",
        "text-error": "#FF0000",
        "text-success": "#00FF00",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        # Without focus a cursor is painted in $foreground (white): it needs a dark bar.
        "block-cursor-blurred-background": "#005F5F",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "scrollbar": "#FFFFFF",
    },
)
"""Black, white, pure red/green, yellow and cyan accents: for glare, projectors and tired eyes."""

THEMES = (HIGH_CONTRAST,)
"""smtui's own themes, registered beside Textual's."""

_TEXT_STYLES = frozenset({"bold", "dim", "italic", "underline", "reverse", "strike"})


def content_style(role: str) -> str:
    """The style of ``role`` for Textual Content (resolved by Textual when it paints)."""
    return ROLES[role]


def rich_name(role: str) -> str:
    """The named Rich style of ``role``, for Rich renderables (see :func:`follow_theme`)."""
    assert role in ROLES, role
    return f"smtui.{role}"


def role_css(selector: str, roles: Mapping[str, str] = ROLES) -> str:
    """CSS rules ``{selector}{role}`` for each role: ``"bold $text-error"`` becomes
    ``color: $text-error; text-style: bold;``. Lets a widget's component classes share ROLES."""
    rules = []
    for role, spec in roles.items():
        words = spec.split()
        styles = [w for w in words if w in _TEXT_STYLES]
        colours = [w for w in words if w not in _TEXT_STYLES]
        declarations = []
        if "on" in colours:
            at = colours.index("on")
            colours, background = colours[:at], colours[at + 1 :]
            declarations.append(f"background: {' '.join(background)};")
        if colours:
            declarations.append(f"color: {' '.join(colours)};")
        if styles:
            declarations.append(f"text-style: {' '.join(styles)};")
        rules.append(f"{selector}{role} {{ {' '.join(declarations)} }}")
    return "\n".join(rules)


def rich_styles(variables: Mapping[str, str]) -> dict[str, RichStyle]:
    """Each role as a Rich style under :func:`rich_name`, for a theme's CSS variables.

    Rich has no notion of the background a colour sits on, so translucent colours (a muted
    foreground) are blended over the theme's surface here, as Textual would paint them.
    """
    variables = dict(variables)
    surface = Style(background=Color.parse(variables.get("surface", "#000000")))
    styles = {}
    for role, spec in ROLES.items():
        parsed = parse_style(spec, variables)
        rich = (surface + parsed).rich_style
        if parsed.background is None:  # the label keeps the background of what it sits on
            rich = RichStyle(
                color=rich.color,
                bold=rich.bold,
                dim=rich.dim,
                italic=rich.italic,
                underline=rich.underline,
                reverse=rich.reverse,
                strike=rich.strike,
            )
        styles[rich_name(role)] = rich
    return styles


def follow_theme(app: App[Any]) -> None:
    """Keep the app console's named ``smtui.*`` styles resolved for ``app.theme``.

    Tree labels and Rich tables are painted through ``app.console``, which looks named styles up
    when it paints; a watcher on ``theme`` swaps them before Textual repaints for the new theme.
    """
    pushed = False

    def sync() -> None:
        nonlocal pushed
        if pushed:
            app.console.pop_theme()
        app.console.push_theme(RichTheme(rich_styles(app.get_css_variables()), inherit=True))
        pushed = True

    app.watch(app, "theme", sync, init=True)


def apply_theme(app: App[Any], name: str, default: str = "textual-dark") -> None:
    """Switch to the theme ``name``; an unknown one falls back to ``default`` and says so once."""
    if name in app.available_themes:
        app.theme = name
        return
    app.theme = default
    known = ", ".join(sorted(app.available_themes))
    app.notify(f'unknown theme "{name}" (from the settings); using {default}. Known: {known}', severity="warning")


__all__ = [
    "HIGH_CONTRAST",
    "ROLES",
    "THEMES",
    "apply_theme",
    "content_style",
    "follow_theme",
    "rich_name",
    "rich_styles",
    "role_css",
]
