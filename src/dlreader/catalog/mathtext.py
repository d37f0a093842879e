"""LaTeX to readable Unicode for the terminal: σ, ∂, ∑, θ, ℝ, ℒ, with grouping kept.

pylatexenc does the symbol work. It drops the braces of ``x^{t+1}`` (giving the wrong
``x^t+1``), so multi-character super- and subscripts are parenthesised first; ``\\frac``,
``\\tag`` and ``\\operatorname`` get readable forms. Conversion never raises: on any error
the raw LaTeX minus its backslashes is returned.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Inline math: ``$...$`` where the opening $ is not followed by a space and the closing $
# is not preceded by one nor followed by a digit (pandoc's rule), so "$5 and $10" is prose.
INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])((?:\\.|[^$\\\n])+?)(?<![\s\\])\$(?![\d$])")
# Display math: ``$$...$$``, possibly over several lines.
DISPLAY_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.DOTALL)


def _closing_brace(text: str, open_index: int) -> int:
    """Index of the brace closing the one at ``open_index``, or -1 if unbalanced."""
    depth = 0
    index = open_index
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


_SINGLE_TOKEN = re.compile(r"\s*(?:\\[A-Za-z]+|\\.|[^\s{}\\])\s*")


def _group_scripts(latex: str) -> str:
    """Turn ``^{t+1}`` into ``^{(t+1)}`` so the grouping survives flattening."""
    out: list[str] = []
    index = 0
    while index < len(latex):
        char = latex[index]
        if char == "\\" and index + 1 < len(latex):
            out.append(latex[index : index + 2])
            index += 2
            continue
        if char in "^_":
            brace = index + 1
            while brace < len(latex) and latex[brace] == " ":
                brace += 1
            if brace < len(latex) and latex[brace] == "{":
                end = _closing_brace(latex, brace)
                if end != -1:
                    inner = _group_scripts(latex[brace + 1 : end])
                    if not _SINGLE_TOKEN.fullmatch(inner):
                        inner = f"({inner.strip()})"
                    out.append(f"{char}{{{inner}}}")
                    index = end + 1
                    continue
        out.append(char)
        index += 1
    return "".join(out)


def _fraction(node: Any, l2tobj: Any) -> str:
    """``\\frac{a}{b}`` as ``a/b``, with parentheses around parts longer than one token."""
    args = node.nodeargd.argnlist if node.nodeargd else []
    parts = []
    for arg in args[-2:]:
        text = l2tobj.nodelist_to_text([arg]).strip() if arg is not None else ""
        parts.append(text if len(text) <= 1 or text.isalnum() else f"({text})")
    while len(parts) < 2:
        parts.append("")
    return f"{parts[0]}/{parts[1]}"


@lru_cache(maxsize=1)
def _converter() -> Any:
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    context = get_default_latex_context_db()
    context.add_context_category(
        "dlreader",
        prepend=True,
        macros=[
            MacroTextSpec("frac", simplify_repl=_fraction),
            MacroTextSpec("dfrac", simplify_repl=_fraction),
            MacroTextSpec("tfrac", simplify_repl=_fraction),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=False)


# Macros pylatexenc's parser does not know the arguments of: rewrite them to ones it does.
_REWRITES = (
    (re.compile(r"\\operatorname\*?\s*\{([^{}]*)\}"), r"\\mathrm{\1}"),
    (re.compile(r"\\tag\*?\s*\{([^{}]*)\}"), r"\\quad(\1)"),
)


def _rewrite(latex: str) -> str:
    for pattern, replacement in _REWRITES:
        latex = pattern.sub(replacement, latex)
    return _group_scripts(latex)


def _fallback(latex: str) -> str:
    return latex.replace("\\", "")


@lru_cache(maxsize=4096)
def latex_to_unicode(latex: str) -> str:
    """Readable Unicode for a LaTeX math fragment (no surrounding dollars). Cached: a
    formula costs ~1 ms in pylatexenc and lists repeat their formulas."""
    try:
        text = _converter().latex_to_text(_rewrite(latex))
    except Exception:  # pylatexenc raises many kinds of errors on odd input: never ours
        return _fallback(latex)
    if not isinstance(text, str):
        return _fallback(latex)
    # Line breaks (``\\``) become newlines; keep each line tidy but keep the lines.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)

