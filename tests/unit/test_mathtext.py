import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlreader.catalog.mathtext import latex_to_unicode


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"x^{t+1}", "x^(t+1)"),
        (r"f_t(x^{t})", "f_t(x^t)"),
        (r"Y_{N-1}", "Y_(N-1)"),
        (r"\frac{a}{b}", "a/b"),
        (r"\frac{a+1}{b}", "(a+1)/b"),
        (r"\frac{\mathrm d}{\mathrm d t}", "d/(d t)"),
        (r"\operatorname{minimize}_{ \theta,W,\mu}", "minimize_(θ,W,μ)"),
        (r"t\in [0,1,\cdots, T]", "t∈[0,1,⋯, T]"),
        (r"\partial Y = \sigma(K)", "∂Y = σ(K)"),
        (r"\text{subject to}\ x", "subject to x"),
        (r"\sum_i \theta_i \mathbb{R} \mathcal{L}", "∑_i θ_i ℝℒ"),
    ],
)
def test_latex_to_unicode(latex: str, expected: str) -> None:
    assert latex_to_unicode(latex).replace(" ", "") == expected.replace(" ", "")


def test_grouping_survives() -> None:
    assert "x^t+1" not in latex_to_unicode(r"x^{t+1} = f(x)")


def test_tag_is_readable() -> None:
    text = latex_to_unicode(r"Y_{t+1} = Y_t\tag{Linear multi-step structure}")
    assert "(Linear multi-step structure)" in text and "tag" not in text


def test_line_breaks_are_kept() -> None:
    assert latex_to_unicode("a\\\\\nb").split("\n") == ["a", "b"]


def test_inline_math_in_prose_but_not_prices() -> None:
    # Through the parser, the one user of the math patterns (the old convert_inline_math
    # helper only served this test).
    from dlreader.catalog.parser import parse_catalog

    titles = ("where $f_t$ is $\\sigma$-smooth", "it costs $5 and $10 now", "a lone $ sign")
    text = "# L\n\n## T\n\n" + "".join(
        f"- [{title}](https://example.org/{n})\n" for n, title in enumerate(titles))
    assert [item.title for item in parse_catalog(text, "x.md").items.values()] == [
        "where f_t is σ-smooth", "it costs $5 and $10 now", "a lone $ sign"]


def test_broken_latex_falls_back_without_backslashes() -> None:
    for latex in (r"\frac{", "}{", "\\", r"\begin{x}", r"x^{", "$"):
        text = latex_to_unicode(latex)
        assert isinstance(text, str) and "\\" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\{}^_$ ab1frac\ntext")), max_size=40))
def test_never_raises(latex: str) -> None:
    assert isinstance(latex_to_unicode(latex), str)
