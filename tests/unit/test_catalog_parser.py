"""One test per markdown construct the catalog understands."""

from __future__ import annotations

from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlreader.catalog.model import Catalog
from dlreader.catalog.outline import scan_outline
from dlreader.catalog.parser import parse_catalog, split_chunks


def parse(text: str, source: str = "lists/my-list.md") -> Catalog:
    return parse_catalog(dedent(text), source)


def passages(catalog: Catalog, kind: str | None = None) -> list:
    found = [p for t in catalog.topics for p in t.passages]
    return [p for p in found if kind is None or p.kind == kind]


# -- topics ----------------------------------------------------------------------------


def test_atx_and_setext_headings_any_depth_with_parents() -> None:
    catalog = parse("""\
        Top
        ===

        Second
        ------

        ### Third ###

        ###### Sixth

        # Another top
        """)
    assert [(t.title, t.level, t.line) for t in catalog.topics] == [
        ("Top", 1, 1), ("Second", 2, 4), ("Third", 3, 7), ("Sixth", 6, 9), ("Another top", 1, 11)
    ]
    top, second, third, sixth, other = catalog.topics
    assert (top.parent, second.parent, third.parent, sixth.parent, other.parent) == (
        None, top.id, second.id, third.id, None)
    assert top.children == [second.id]
    assert catalog.name == "Top"


def test_heading_titles_are_plain_text() -> None:
    catalog = parse("# Deep `code` heading with [a link](https://x.org) and *emphasis*\n")
    assert catalog.topics[0].title == "Deep code heading with a link and emphasis"


def test_heading_with_math_reads_unicode() -> None:
    catalog = parse("## The $\\sigma$ function\n")
    assert catalog.topics[0].title == "The σ function"


def test_topic_ids_are_stable_across_unrelated_edits_and_distinct_for_repeats() -> None:
    first = parse("# A\n## Notes\n- x\n# B\n## Notes\n")
    edited = parse("Intro text.\n\n# A\n\nnew prose\n## Notes\n- y\n- z\n# B\n## Notes\n")
    ids = [t.id for t in first.topics]
    assert len(set(ids)) == 4
    assert [t.id for t in edited.topics if t.level > 0] == ids
    assert all(i.startswith("t-") and len(i) == 12 for i in ids)
    again = parse("# A\n## Notes\n## Notes\n")
    assert again.topics[1].id != again.topics[2].id


def test_content_before_the_first_heading_gets_its_own_topic() -> None:
    catalog = parse("Some intro with [a link](https://intro.org/).\n\n- item\n\n# First\n",
                    source="/x/awesome-python.md")
    pre = catalog.topics[0]
    assert (pre.title, pre.level, pre.parent, pre.line) == ("awesome-python", 0, None, 1)
    assert catalog.topics[1].parent is None
    assert catalog.find_item("https://intro.org/") is not None
    assert catalog.name == "First"
    assert parse("\n\n# First\n").topics[0].level == 1  # blank lines are not content


def test_name_is_the_first_h1_else_the_first_heading_else_the_file_stem() -> None:
    assert parse("## only level two\n", source="dir/awesome-x.md").name == "only level two"
    assert parse("## two\n\n# One\n").name == "One"
    assert parse("text\n", source="dir/awesome-x.md").name == "awesome-x"
    html = '<h1 align="center">\n  Best-of <b>X</b>\n  <br>\n</h1>\n\n## Contents\n'
    assert parse(html).name == "Best-of X"


def test_name_as_a_reader_names_the_list() -> None:
    # H1s used as sections, under a title in a smaller heading: the title.
    sections = ('<div align="center">\n<h3>Open Source Society University</h3>\n</div>\n\n'
                "# Contents\n\n- [Summary](#summary)\n\n# Summary\n\ntext\n\n# Curriculum\n")
    assert parse(sections).name == "Open Source Society University"
    assert parse("# Summary\n\n# Curriculum\n").name == "Summary"
    # A tagline in a small heading over bigger sections is no name: the file's is.
    assert parse("#### Demonstrations\n\n## Contents\n\n## Articles\n",
                 source="dir/awesome-flutter.md").name == "awesome-flutter"
    # A table of contents' heading never names a list.
    assert parse("## 💢 Table of Contents\n\n## Tools\n").name == "Tools"
    assert parse("# Contents\n\n## Tools\n", source="d/x.md").name == "Tools"


def test_a_list_with_no_h1_is_named_by_the_logo_it_opens_with() -> None:
    sections = ("\n## Contents\n\n- [Official](#official)\n\n## Official\n\n"
                "- [a](https://a.org/)\n\n## Packages\n\n- [b](https://b.org/)\n")
    logo = ('<div align="center">\n\t<div>\n\t\t<img width="500" src="media/logo.svg" '
            'alt="Awesome Node.js">\n\t\t<br>\n\t</div>\n\t<p>\n\t\t<a href="https://s.org/">'
            "Supported by the community</a>\n\t</p>\n</div>\n")
    assert parse(logo + sections, source="d/readme.md").name == "Awesome Node.js"
    # A linked picture is a badge or a preview, no logo; an entry before the picture, or
    # an H1, names the list as before.
    linked = '<p align="center">\n  <a href="https://github.com/o/r">\n    <img src="p.png" ' \
        'alt="Master">\n  </a>\n</p>\n'
    assert parse(linked + sections, source="d/readme.md").name == "Official"
    entry_first = "- [x](https://x.org/)\n\n![Logo name](media/logo.png)\n"
    assert parse(entry_first + sections, source="d/readme.md").name == "Official"
    assert parse(logo + "\n# Node\n" + sections).name == "Node"
    # A title heading of its own outranks a logo; a picture's alt that says what it is
    # ("logo", "Screenshot of the app") is no name; "… logo" is the name before it.
    assert parse(logo + "\n## Awesome Widgets\n").name == "Awesome Widgets"
    shot = "![Screenshot of the app](docs/screenshot.png)\n"
    assert parse(shot + sections, source="d/readme.md").name == "Official"
    named_logo = '<img src="l.png" alt="Awesome Node.js logo">\n'
    assert parse(named_logo + sections).name == "Awesome Node.js"
    banner = '<p><img src="assets/banner.png" alt="banner"></p>\n\n#### tagline\n\n## Tools\n'
    assert parse(banner, source="d/readme.md").name == "readme"


@pytest.mark.parametrize("heading", [
    '<h1 align="center">\n\t<img width="400" src="media/logo.svg" alt="Awesome  Go">\n'
    "\t<br>\n</h1>\n",
    '<h1><a href="https://awesome-go.com"><img src="logo.png" alt="Awesome Go"></a></h1>\n',
    "# ![Awesome Go](media/logo.svg)\n",
    '<h1 align="center">\n\t<br>\n\t<img src="media/logo.svg" alt="Awesome Go">\n\t<br>\n</h1>\n',
    "# [![Awesome Go](logo.png)](https://awesome-go.com) [![CI](ci.svg)](https://ci.org/)\n",
])
def test_a_logo_heading_is_named_by_its_image_alt_text(heading: str) -> None:
    # A heading of nothing but a logo is named as a screen reader reads it: the name, not
    # the tagline under it or the file's name; and the outline names it the same.
    text = heading + '\n<h4 align="center">My new app is on Product Hunt.</h4>\n\n' \
        "## Contents\n\n- [Tools](#tools)\n\n## Tools\n\n- [Vim](https://vim.org/)\n"
    catalog = parse(text, source="d/readme.md")
    assert catalog.name == "Awesome Go"
    tagline = "My new app is on Product Hunt."
    assert [(t.title, t.level) for t in catalog.topics][:2] == [("Awesome Go", 1), (tagline, 4)]
    outline = scan_outline(text, "d/readme.md")
    assert [(t.id, t.title) for t in outline] == [(t.id, t.title) for t in catalog.topics]
    if "media/logo.svg" in heading:  # an unlinked logo is still shown, in its topic
        images = [p for p in catalog.topics[0].passages if p.kind == "image"]
        assert [(p.text.split(), p.url) for p in images] == [(["Awesome", "Go"], "media/logo.svg")]
    # An image beside a heading's words is no logo: the words name it, and it is not shown.
    icon = parse('<h2><img src="icon.png" alt="icon"> Tools</h2>\n\n## Vim ![v](v.png)\n')
    assert [(t.title, t.passages) for t in icon.topics] == [("Tools", []), ("Vim", [])]
    tagline = parse("<h2>Title<br><sub>a tagline</sub></h2>\n")  # a <br> after words ends it
    assert [(t.title, [p.text for p in t.passages]) for t in tagline.topics] == [
        ("Title", ["a tagline"])]


def test_a_headings_link_back_to_the_contents_is_no_part_of_its_title() -> None:
    text = ("# Kit\n\n#### CLI Tools &nbsp;[<sup>[TOC]</sup>](#table-of-contents)\n\n"
            "- [ripgrep](https://rg.org/)\n\n<h4>GUI Tools [TOC]</h4>\n\n## Top\n")
    catalog = parse(text)
    assert [t.title for t in catalog.topics] == ["Kit", "CLI Tools", "GUI Tools", "Top"]
    outline = scan_outline(text, "lists/my-list.md")
    assert [(t.id, t.title) for t in outline] == [(t.id, t.title) for t in catalog.topics]


def test_a_table_of_contents_is_no_topic_the_tree_is_one() -> None:
    text = ("# Kit\n\n## 💢 Table of Contents\n\n- [Tools](#tools)\n  - [CLI](#cli)\n\n"
            "## Tools\n\n### Contents\n\n- [CLI](#cli)\n\n### CLI\n\n- [rg](https://rg.org/)\n")
    catalog = parse(text)
    assert [t.title for t in catalog.topics] == ["Kit", "Tools", "CLI"]
    assert all(child in {t.id for t in catalog.topics} for t in catalog.topics
               for child in t.children)
    outline = scan_outline(text, "lists/my-list.md")
    assert [(t.id, t.title) for t in outline] == [(t.id, t.title) for t in catalog.topics]
    # A section named so that holds entries is a topic; a contents' words go with it.
    text = "# Kit\n\n## Index\n\n- [rg](https://rg.org/)\n\n## Contents\n\nMain chapters:\n"
    assert [t.title for t in parse(text).topics] == ["Kit", "Index"]


def test_headings_inside_code_fences_are_not_topics() -> None:
    catalog = parse("# Real\n\n```\n# not a heading\n```\n")
    assert [t.title for t in catalog.topics] == ["Real"]


# -- items ------------------------------------------------------------------------------


def test_every_list_flavour_is_an_item_and_children_are_items_too() -> None:
    catalog = parse("""\
        # T
        - [dash](https://a.org/)
        * [star](https://b.org/)
        + [plus](https://c.org/)

        1. [one](https://d.org/)
        2) [two](https://e.org/)
           - [child](https://f.org/)
             - [grandchild](https://g.org/)
        """)
    topic = catalog.topics[0]
    titles = [catalog.item(i).title for i in topic.items]
    assert titles == ["dash", "star", "plus", "one", "two", "child", "grandchild"]
    assert catalog.item(topic.items[5]).line == 8


def test_link_forms_give_the_item_url() -> None:
    catalog = parse("""\
        # T
        - [md](https://md.org/x)
        - <https://auto.org/y>
        - https://bare.org/z
        - www.www-link.org/w
        - [ref link][r]
        - [collapsed][]

        [r]: https://ref.org/r
        [collapsed]: https://collapsed.org/
        """)
    urls = [catalog.item(i).url for i in catalog.topics[0].items]
    assert urls == ["https://md.org/x", "https://auto.org/y", "https://bare.org/z",
                    "http://www.www-link.org/w", "https://ref.org/r", "https://collapsed.org/"]


def test_bare_url_items_get_readable_titles() -> None:
    catalog = parse("- https://www.example.org/papers/\n")
    (item,) = catalog.items.values()
    assert item.title == "example.org/papers"


def test_multi_line_link_text_is_joined_with_single_spaces() -> None:
    catalog = parse("- [Machine Learning on\n  Geometrical   Data](https://x.org/)\n")
    (item,) = catalog.items.values()
    assert item.title == "Machine Learning on Geometrical Data"


def test_item_is_titled_by_its_link_and_described_by_the_rest() -> None:
    for separator in (" - ", " – ", ": ", " — "):
        catalog = parse(f"- [django](https://djangoproject.com/){separator}The web framework.\n")
        (item,) = catalog.items.values()
        assert item.title == "django"
        assert item.description == "The web framework."
        assert item.url == "https://djangoproject.com/"


def test_citation_without_link_is_an_item_with_null_url() -> None:
    catalog = parse(
        '# Refs\n1. Kingma, DP and Welling, M, "Auto-encoding variational Bayes", 2013.\n'
    )
    (item,) = catalog.items.values()
    assert item.url is None and item.id.startswith("c-")
    assert item.title.startswith("Kingma, DP")


def test_non_http_links_and_links_in_code_or_html_never_become_urls() -> None:
    catalog = parse("""\
        # T
        - [js](javascript:alert(1))
        - [file](file:///etc/passwd)
        - `https://in-code.org/`

        ```
        - https://in-fence.org/
        ```

        <div>
        <a href="javascript:x()">x</a>
        </div>
        """)
    urls = {item.url for item in catalog.items.values()}
    assert urls == {None}
    assert not any("in-fence" in (p.url or "") or "in-html" in (p.url or "")
                   for p in passages(catalog))


def test_one_url_one_item_across_topics_with_all_titles() -> None:
    catalog = parse("""\
        # A
        - [First title](HTTPS://Example.org)
        - [Again in A](https://example.org/)
        # B
        - [Second title](https://example.org:443/)
        """)
    assert len(catalog.items) == 1
    (item,) = catalog.items.values()
    a, b = catalog.topics
    assert item.url == "https://example.org/"
    assert item.title == "First title"
    assert item.titles == ["First title", "Again in A", "Second title"]
    assert item.topics == [a.id, b.id]
    assert a.items == [item.id] and b.items == [item.id]
    assert item.line == 2


def test_item_ids_survive_edits_that_keep_the_url() -> None:
    before = parse("# A\n- [x](https://keep.org/)\n")
    after = parse("intro\n\n# Renamed\n- [new title](https://keep.org/)\n- [y](https://new.org/)\n")
    assert before.find_item("https://keep.org/").id == after.find_item("https://keep.org/").id


# -- passages ---------------------------------------------------------------------------


LONG = "Deep learning is a transformative technology that has delivered impressive results."


def test_a_paragraph_that_is_one_long_link_is_a_quote_and_an_item() -> None:
    catalog = parse(f"# T\n\n[{LONG}](https://source.org/talk)\n")
    (quote,) = passages(catalog, "quote")
    assert quote.text == LONG and quote.url == "https://source.org/talk" and quote.line == 3
    item = catalog.find_item("https://source.org/talk")
    assert item is not None and item.topics == [catalog.topics[0].id]
    # Titled by its first sentence; the whole passage is its description.
    assert item.title == ("Deep learning is a transformative technology that has delivered "
                          "impressive results.")
    assert item.description == LONG


def test_short_link_paragraph_is_text_not_quote() -> None:
    catalog = parse("# T\n\n[A History of Deep Learning](https://h.org/)\n")
    assert passages(catalog, "quote") == []
    assert catalog.find_item("https://h.org/").title == "A History of Deep Learning"


def test_link_inside_a_list_is_never_a_quote() -> None:
    catalog = parse(f"- [{LONG}](https://x.org/)\n")
    assert passages(catalog, "quote") == []


def test_blockquote_passage() -> None:
    catalog = parse("# T\n\n> While deep learning\n> is revolutionary.\n>\n> Second paragraph.\n")
    (quote,) = passages(catalog, "blockquote")
    assert quote.text == "While deep learning is revolutionary.\n\nSecond paragraph."
    assert quote.line == 3


def test_display_math_splits_prose_and_reads_unicode() -> None:
    catalog = parse("""\
        # T
        The network is:
        $$x^{t+1} = f_t(x^{t}),t\\in [0,1,\\cdots, T]$$
        where $f_t$ is some function of $\\sigma$.
        """)
    kinds = [(p.kind, p.line) for p in passages(catalog)]
    assert kinds == [("text", 2), ("math", 3), ("text", 4)]
    text1, math, text2 = passages(catalog)
    assert math.text == "x^(t+1) = f_t(x^t),t∈[0,1,⋯, T]"
    assert text2.text == "where f_t is some function of σ."


def test_multi_line_display_math_keeps_its_lines() -> None:
    catalog = parse("Systems:\n$$\nY_1 = Y_0 +h \\sigma(b_0)\\\\\n\\vdots \\\\\nY_N\n$$\n")
    (math,) = passages(catalog, "math")
    assert math.text.split("\n") == ["Y_1 = Y_0 +h σ(b_0)", "⋮", "Y_N"]
    assert math.line == 2


def test_math_inside_a_quote_link_is_converted() -> None:
    text = "We derive bounds for arbitrary function classes in $L^2(\\mathbb R^d)$ in this paper."
    catalog = parse(f"[{text}](https://q.org/)\n")
    (quote,) = passages(catalog, "quote")
    assert "L^2(ℝ^d)" in quote.text and "\\" not in quote.text


def test_images_from_html() -> None:
    catalog = parse('# T\n\n<img src="https://img.org/a.png" width="80%"/>\n')
    (image,) = passages(catalog, "image")
    assert image.url == "https://img.org/a.png" and image.line == 3
    assert catalog.find_item("https://img.org/a.png") is None  # HTML links are not items


def test_prose_passage_keeps_order_and_its_links_are_reachable() -> None:
    catalog = parse("# T\n\n[yanjun](http://y.org/papers) organized a reading group.\n\nMore.\n")
    texts = passages(catalog, "text")
    assert [p.text for p in texts] == ["yanjun organized a reading group.", "More."]
    assert texts[0].url == "http://y.org/papers"
    assert catalog.find_item("http://y.org/papers").title == "yanjun"


def test_prices_are_not_math() -> None:
    catalog = parse("It costs $5 and $10.\n")
    assert passages(catalog, "text")[0].text == "It costs $5 and $10."


# -- whole-document properties ------------------------------------------------------------


def test_empty_text_gives_empty_catalog_with_warning() -> None:
    catalog = parse("")
    assert catalog.topics == [] and catalog.items == {}
    assert catalog.warnings and "empty" in catalog.warnings[0]


def test_crlf_and_cr_line_endings_parse_like_lf() -> None:
    text = "# A\n\n- [x](https://x.org/)\n\n## B\n\n> q\n"
    base = parse_catalog(text, "l.md").to_dict()
    assert parse_catalog(text.replace("\n", "\r\n"), "l.md").to_dict() == base
    assert parse_catalog(text.replace("\n", "\r"), "l.md").to_dict() == base


def test_chunked_parse_equals_single_parse_on_seed_x20(seed_path) -> None:
    import dlreader.catalog.parser as parser

    seed = seed_path.read_text(encoding="utf-8")
    text = "\n\n".join(seed.replace("](http", f"](http://c{k}.").replace("# ", f"# ({k}) ")
                       if k else seed for k in range(20))
    assert len(split_chunks(text)) > 5
    fractions: list[float] = []
    chunked = parse_catalog(text, "x20.md", progress=fractions.append)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) > 5
    single_chunks = parser.split_chunks(text, min_chars=len(text) + 1)
    assert len(single_chunks) == 1
    original = parser.split_chunks
    try:
        parser.split_chunks = lambda t, min_chars=0: single_chunks  # type: ignore[assignment]
        single = parse_catalog(text, "x20.md")
    finally:
        parser.split_chunks = original
    assert chunked.to_dict() == single.to_dict()


MARKDOWN_PIECES = st.sampled_from([
    "# H", "## Sub `c`", "Setext\n===", "para text", "[link](https://l.org/x)", "- item",
    "  - nested https://n.org/", "1. one", "> quote", "```\n# fenced\n```", "<img src='x'>",
    "$$a^{b}$$", "$x$", "$", "\\", "[ref]: https://r.org/", "[ref]", "| a | b |\n|---|---|",
    "***", "<div>", "    code", "", "\t", "[[", "](", "<https://a.org>", "www.w.org", "~~~",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=20)), max_size=25),
       st.sampled_from(["\n", "\n\n", " "]))
def test_random_markdown_never_raises(pieces: list[str], separator: str) -> None:
    catalog = parse_catalog(separator.join(pieces), "random.md")
    data = catalog.to_dict()
    assert all(t["id"].startswith("t-") for t in data["topics"])
    for item in catalog.items.values():
        assert item.topics and all(catalog.has_topic(t) for t in item.topics)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab é1.:/@-#|()'\"\n\t%") + [
    "http://x.org", "www.y.com", "a@b.co", "example.com", "&amp;", "  \n"]), max_size=30))
def test_heading_fast_path_equals_markdown(pieces: list[str]) -> None:
    from dlreader.catalog.inline import flatten_inline, flatten_inline_markdown

    content = "".join(pieces)
    assert flatten_inline(content) == flatten_inline_markdown(content)


def test_two_worker_processes_give_the_same_catalog(seed_path) -> None:
    from dlreader.catalog.chunks import events_in_processes
    from dlreader.catalog.walker import chunk_events

    seed = seed_path.read_text(encoding="utf-8")
    text = "\n\n".join(seed.replace("](http", f"](http://c{k}.").replace("# ", f"# ({k}) ")
                       if k else seed for k in range(8))
    chunks = split_chunks(text)
    assert len(chunks) > 2
    # The worker path itself, so a silent fallback to one process cannot hide a failure.
    in_processes = list(events_in_processes(chunks, 2))
    assert in_processes == [chunk_events(chunk) for chunk in chunks]
    fractions: list[float] = []
    two = parse_catalog(text, "x8.md", progress=fractions.append, workers=2)
    assert two.to_dict() == parse_catalog(text, "x8.md", workers=1).to_dict()
    assert fractions[-1] == 1.0 and len(fractions) == len(chunks)


def test_forked_workers_give_the_same_events_and_only_without_threads(seed_path) -> None:
    import threading

    from dlreader.catalog.chunks import can_fork, events_in_processes
    from dlreader.catalog.walker import chunk_events

    seed = seed_path.read_text(encoding="utf-8")
    text = "\n\n".join(seed.replace("# ", f"# ({k}) ") if k else seed for k in range(6))
    chunks = split_chunks(text)
    assert len(chunks) > 2 and can_fork()
    expected = [chunk_events(chunk) for chunk in chunks]
    for first_here in (False, True):
        assert list(events_in_processes(chunks, 2, fork=True, first_here=first_here)) == expected
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not can_fork()  # a thread might hold a lock the child would never see freed
    finally:
        release.set()
        thread.join()


def test_a_forked_worker_that_dies_mid_chunk_leaves_its_chunks_to_this_process(
        seed_path, monkeypatch) -> None:
    import os

    from dlreader.catalog import walker

    seed = seed_path.read_text(encoding="utf-8")
    text = "\n\n".join(seed.replace("# ", f"# ({k}) ") if k else seed for k in range(8))
    expected = parse_catalog(text, "x8.md", workers=1).to_dict()
    parent, real = os.getpid(), walker.chunk_events

    def dies_in_the_worker(chunk, base_url=None):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(3)  # after claiming its first chunk and saying it began it
        return real(chunk, base_url)

    monkeypatch.setattr(walker, "chunk_events", dies_in_the_worker)
    assert parse_catalog(text, "x8.md", workers=2, fork=True).to_dict() == expected


def test_workers_that_cannot_start_leave_the_parse_to_this_process(
        seed_path, monkeypatch) -> None:
    import shutil
    import sys

    from dlreader.catalog.chunks import events_in_processes

    seed = seed_path.read_text(encoding="utf-8")
    text = "\n\n".join(seed.replace("# ", f"# ({k}) ") if k else seed for k in range(4))
    expected = parse_catalog(text, "x4.md", workers=1).to_dict()
    chunks = split_chunks(text)
    # A real process that exits at once, as a worker whose interpreter cannot start.
    monkeypatch.setattr(sys, "executable", shutil.which("true"))
    with pytest.raises(RuntimeError):
        list(events_in_processes(chunks, 2))
    assert len(list(events_in_processes(chunks, 2, first_here=True))) == len(chunks)
    for offload in (False, True):
        assert parse_catalog(text, "x4.md", workers=2, offload=offload).to_dict() == expected


def test_long_prose_link_titles_are_shortened() -> None:
    words = "word " * 40
    catalog = parse(f"[{words}](https://long.org/) and more prose after the link.\n")
    item = catalog.find_item("https://long.org/")
    assert item is not None and item.title.endswith("…") and len(item.title) <= 160
    assert item.description.startswith("word") and len(item.title) + len(item.description) > 190


def test_a_quotes_text_after_a_display_formula_is_kept() -> None:
    # It went to a list the formula's flush had already replaced: lost from the catalog.
    catalog = parse("> before\n> $$x^2$$\n> after the formula\n")
    assert [(p.kind, p.text) for p in passages(catalog)] == [
        ("blockquote", "before"), ("math", "x^2"), ("blockquote", "after the formula")]


def test_code_in_a_blockquote_stays_in_it() -> None:
    catalog = parse("> before\n>\n> ```\n> code\n> ```\n>\n> after\n\nnext\n")
    assert [p.kind for p in passages(catalog)] == ["blockquote", "text"]
    assert passages(catalog)[0].text == "before\n\ncode\n\nafter"


BLOCK_LINES = st.sampled_from([
    "# H1", "## H2 [l](https://x.org)", "### H3", "Setext", "===", "---", "text", "- item",
    "* https://a.org", "1. item", "  - nested [n](https://n.org/)", "    indented", "> q",
    "> # quoted", "```", "~~~", "<div>", "</div>", "<!--", "-->", "<img src='https://i/'>",
    "| a | b |", "|---|---|", "", "", "$$", "$$a^{b}$$", "\t# tab", "  # two", "[x][r]",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(BLOCK_LINES, BLOCK_LINES.map(lambda line: "  " + line),
                          BLOCK_LINES.map(lambda line: "> " + line)), max_size=40))
def test_chunks_split_at_every_heading_parse_like_the_whole(lines: list[str]) -> None:
    from dlreader.catalog.builder import CatalogBuilder, replay
    from dlreader.catalog.walker import chunk_events

    text = "\n".join(lines)
    builder = CatalogBuilder("x.md")
    for chunk in split_chunks(text, min_chars=1):
        replay(builder, chunk_events(chunk))
    whole = parse_catalog(text, "x.md", workers=1).to_dict()
    assert builder.build().to_dict() == whole | {"warnings": []}
