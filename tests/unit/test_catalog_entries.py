"""One small markdown case per construct that real lists use: what becomes an item (with
title, description and links), a topic, or nothing."""

from __future__ import annotations

from textwrap import dedent

from dlreader.catalog.model import Catalog, Item, Link
from dlreader.catalog.parser import parse_catalog


def parse(text: str, **kwargs) -> Catalog:  # type: ignore[no-untyped-def]
    return parse_catalog(dedent(text), "lists/x.md", **kwargs)


def items(catalog: Catalog) -> list[Item]:
    return list(catalog.items.values())


def only(catalog: Catalog) -> Item:
    (item,) = items(catalog)
    return item


def test_secondary_links_are_the_items_links_not_items() -> None:
    catalog = parse("# T\n\n- [Ant](https://ant.apache.org/) - Build tool. ([Source Code]"
                    "(https://github.com/apache/ant), [Demo](https://d.org/)) `Java`\n")
    item = only(catalog)
    assert (item.title, item.url) == ("Ant", "https://ant.apache.org/")
    assert item.description.startswith("Build tool.") and "Java" in item.description
    assert item.links == (Link("Source Code", "https://github.com/apache/ant"),
                          Link("Demo", "https://d.org/"))


def test_a_description_keeps_its_words_not_its_links_names_or_separators() -> None:
    catalog = parse("\n".join([
        "# T",
        "- [Ant](https://ant.org/) - Builds. ([Demo](https://d.io/), [Source Code](https://s.io/))"
        " `MIT`",
        "- [Oak](https://oak.org/) - Supports [RFC 8628](https://rfc.org/8628) ([CNTK](https://c.org/)).",
        "* [ad-si/Woxi](https://ad-si.org/) [[woxi](https://crates.io/crates/woxi)] - Runs.",
        "- [Mapbox GL](https://github.com/mapbox/gl) [270⭐] - Vector maps.",
        "*   [p](https://github.com/qw3rtman/p)：非常简单的 Python 版本管理工具。",
    ]) + "\n")
    descriptions = {item.title: item.description for item in items(catalog)}
    assert descriptions == {
        "Ant": "Builds. MIT",  # Demo and Source Code are its links, listed in Details
        "Oak": "Supports RFC 8628 (CNTK).",  # links in prose are words of the sentence
        "ad-si/Woxi": "Runs.",
        "Mapbox GL": "[270⭐] Vector maps.",
        "p": "非常简单的 Python 版本管理工具。",
    }
    links = {item.title: [link.url for link in item.links] for item in items(catalog)}
    assert links["Ant"] == ["https://d.io/", "https://s.io/"]
    assert links["ad-si/Woxi"] == ["https://crates.io/crates/woxi"]


def test_words_ending_in_top_are_not_back_to_top_links() -> None:
    catalog = parse("# T\n\n- [Laptop](https://l.org/)\n- [Tool](https://t.org/) - Runs on "
                    "the desktop\n- A citation about a spinning top\n- [⬆ back to top](#t)\n"
                    "- [Stop](https://s.org/) - Go to top\n")
    assert [(item.title, item.description) for item in items(catalog)] == [
        ("Laptop", ""), ("Tool", "Runs on the desktop"),
        ("A citation about a spinning top", ""), ("Stop", "")]
    # An emoji arrow (with its variation selector) is an arrow too.
    arrows = parse("# T\n\n**[:arrow_up: back to top](#t)**\n\n[⬆️ Back to Top](#t)\n")
    assert [p.text for t in arrows.topics for p in t.passages] == []


def test_a_secondary_link_listed_as_an_entry_elsewhere_stays_an_item_there() -> None:
    catalog = parse("# A\n\n- [Ant](https://a.org/) ([Source](https://g.org/ant))\n\n"
                    "# B\n\n- [ant on GitHub](https://g.org/ant)\n")
    assert [i.url for i in items(catalog)] == ["https://a.org/", "https://g.org/ant"]
    assert catalog.find_item("https://g.org/ant").topics == [catalog.topics[1].id]


def test_table_of_contents_anchors_and_back_to_top_are_not_items() -> None:
    catalog = parse("""\
        # List

        - [Applications](#applications)
          - [Audio](#audio)

        ## Applications

        - [x](https://x.org/)

        **[⬆ back to top](#list)**

        **[`^ back to top ^`](#list)**
        """)
    assert [i.url for i in items(catalog)] == ["https://x.org/"]
    assert all("back to top" not in p.text for t in catalog.topics for p in t.passages)


def test_relative_links_are_text_without_a_base_url_and_items_with_one() -> None:
    text = "# T\n\n- [Guide](./docs/guide.md) - how to\n- [FAQ](faq.md)\n"
    kept = items(parse(text))  # as text: citations, no link
    assert [(i.title, i.url) for i in kept] == [("Guide - how to", None), ("FAQ", None)]
    base = "https://github.com/o/r/blob/HEAD/"
    catalog = parse(text, base_url=base)
    assert [i.url for i in items(catalog)] == [base + "docs/guide.md", base + "faq.md"]
    assert items(catalog)[0].description == "how to"


def test_a_badge_is_a_link_of_the_entry_never_an_item() -> None:
    catalog = parse("""\
        # T

        [![Build](https://img.shields.io/b.svg)](https://ci.org/x)

        - [App](https://app.org/) - Editor. [![Open-Source Software][OSS]](https://github.com/a/app)

        [OSS]: https://oss.png
        """)
    item = only(catalog)
    assert item.links == (Link("Open-Source Software", "https://github.com/a/app"),)
    images = [p for p in catalog.topics[0].passages if p.kind == "image"]
    assert [p.url for p in images] == ["https://ci.org/x"]  # reachable, not an item


def test_linkify_is_githubs_only_http_https_and_www() -> None:
    catalog = parse("# T\n\n- setup.py and Socket.io, ML.NET, bit.ly; www.w.org and https://h.org/x\n")
    assert [i.url for i in items(catalog)] == ["http://www.w.org/"]
    assert only(catalog).links == (Link("h.org/x", "https://h.org/x"),)


def test_table_rows_are_entries_titled_by_their_first_cell() -> None:
    catalog = parse("""\
        # APIs

        | API | Description | Auth | Docs |
        |---|---|---|---|
        | [Cats](https://cats.org/) | Cat facts | apiKey | [Paper](https://p.org/1) |
        | Dogs | Dog facts | No | [site](https://dogs.org/) |
        """)
    cats, dogs = items(catalog)
    assert (cats.title, cats.url, cats.description) == ("Cats", "https://cats.org/",
                                                        "Cat facts · Auth: apiKey")
    assert cats.links == (Link("Paper", "https://p.org/1"),)
    assert (dogs.title, dogs.url) == ("Dogs", "https://dogs.org/")
    assert catalog.topics[0].passages == []


def test_a_table_without_links_is_prose() -> None:
    catalog = parse("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert items(catalog) == [] and [p.kind for p in catalog.topics[0].passages] == ["text"]


def test_html_links_headings_entries_and_comments() -> None:
    catalog = parse("""\
        <h1 align="center">My &amp; List</h1>

        <p align="center">
          <a href="https://a.org/">Alpha</a> - first<br>
          <a href="https://b.org/"><img src="logo.png" alt="Beta logo"></a>
          <!-- <a href="https://hidden.org/">no</a> -->
        </p>

        <h2>Tools</h2>

        <ul><li><a href="https://t.org/">Tool</a> does things</li></ul>
        """)
    assert catalog.name == "My & List"
    assert [t.title for t in catalog.topics] == ["My & List", "Tools"]
    assert [(i.title, i.description) for i in items(catalog)] == [
        ("Alpha", "first"), ("Tool", "does things")]
    assert "https://hidden.org/" not in str(catalog.to_dict())
    assert any(p.url == "https://b.org/" for p in catalog.topics[0].passages)


def test_a_link_that_wraps_a_card_is_titled_by_the_cards_words() -> None:
    # Sponsors' cards: the link wraps a <div> with a logo and the name in <b>.
    catalog = parse("""\
        # T

        <p>
          <a href="https://depot.dev?utm_source=github">
            <div><picture><img src="https://s.com/depot.svg" alt="Depot logo"></picture></div>
            <b>Fast remote container builds.</b>
          </a>
          <br>
          <a href="https://kit.org/"><b>Kit</b></a> - a kit.<sup><a href="https://x.org/">1</sup><br>
          <a href="https://next.org/">Next</a> - after an unclosed link, its own entry.<br>
        </p>
        """)
    assert [(item.title, item.url) for item in items(catalog)] == [
        ("Fast remote container builds.", "https://depot.dev/?utm_source=github"),
        ("Kit", "https://kit.org/"), ("Next", "https://next.org/")]
    # A link left unclosed ends with the block it is in: the next blocks are their own.
    unclosed = parse("# T\n\n<div>\n<p><a href=\"https://a.org/\">Alpha</p>\n"
                     "<p><a href=\"https://b.org/\">Beta</a> - the second</p>\n"
                     "<div><a href=\"https://c.org/\">Charlie</div>\n"
                     "<div>Delta text</div>\n</div>\n")
    assert [(item.title, item.description) for item in items(unclosed)] == [
        ("Alpha", ""), ("Beta", "the second"), ("Charlie", "")]


def test_details_summary_is_the_entry_and_inner_links_its_links() -> None:
    summary = ('<details><summary><b><a href="https://github.com/p/proto">proto</a></b>'
               ' (⭐ 64K) - Buffers. <code><a href="http://bit.ly/x">BSD-3</a></code></summary>')
    catalog = parse_catalog("## Data\n\n" + summary + """

- [GitHub](https://github.com/p/proto) (👨‍💻 1.2K):

\t```
\tgit clone https://github.com/p/proto
\t```
- [PyPi](https://pypi.org/project/proto)
</details>
<details><summary>Show 1 hidden projects...</summary>

- <b><a href="https://github.com/h/h">hidden</a></b> - an old one.
</details>
""", "x.md")
    proto, hidden = items(catalog)
    assert (proto.title, proto.url) == ("proto", "https://github.com/p/proto")
    assert "Buffers." in proto.description
    assert [link.title for link in proto.links] == ["BSD-3", "PyPi"]
    data, label = catalog.topics
    assert label.title == "Show 1 hidden projects..." and label.parent == data.id
    assert (hidden.title, hidden.topics) == ("hidden", [label.id])


def test_a_heading_link_is_an_item_of_its_topic() -> None:
    catalog = parse("# [Awesome X](https://x.org/) [![b](https://i/b.svg)](https://ci/)\n\n"
                    "## Sub\n")
    first = catalog.topics[0]
    assert first.title == "Awesome X"
    assert [(i.url, i.topics) for i in items(catalog)] == [("https://x.org/", [first.id])]


def test_group_labels_are_subtopics_never_shared_items() -> None:
    catalog = parse("""\
        # A

        * 通用
          * [a1](https://a1.org/)

        # B

        * 通用
          * [b1](https://b1.org/)

        **Bold label**

        - [b2](https://b2.org/)
        """)
    a, a_label, b, b_label, bold = catalog.topics
    assert [t.title for t in (a_label, b_label, bold)] == ["通用", "通用", "Bold label"]
    assert a_label.id != b_label.id and a_label.parent == a.id and bold.parent == b.id
    assert a_label.level == 2
    assert [i.topics for i in items(catalog)] == [[a_label.id], [b_label.id], [bold.id]]


def test_citations_stay_items_and_are_not_shared_between_topics() -> None:
    catalog = parse("# A\n\n1. Smith, J. Bayesian things. 1999.\n\n# B\n\n"
                    "1. Smith, J. Bayesian things. 1999.\n")
    first, second = items(catalog)
    assert first.url is None and first.topics != second.topics


def test_titles_emoji_shortcodes_task_boxes_and_length() -> None:
    long_name = "word " * 50
    catalog = parse(f"""\
        # :rocket: Launch

        - [ ] [Task](https://t.org/) - :black_small_square: open
        - [x] [Done](https://d.org/) [TOC]
        - [{long_name}](https://long.org/)
        """)
    assert catalog.topics[0].title == "🚀 Launch"
    task, done, long = items(catalog)
    assert (task.title, task.description) == ("Task", "▪️ open")
    assert (done.title, done.description) == ("Done", "")
    assert len(long.title) <= 160 and long.title.endswith("…") and long.description


def test_one_arxiv_paper_is_one_item() -> None:
    catalog = parse("""\
        # T

        - https://arxiv.org/pdf/1905.13405.pdf
        - [The paper](https://arxiv.org/abs/1905.13405v2)
        - http://export.arxiv.org/abs/1905.13405
        - https://arxiv.org/pdf/1906.02768
        """)
    paper, other = items(catalog)
    assert paper.url == "https://arxiv.org/abs/1905.13405"
    assert paper.title == "The paper"
    assert {link.url for link in paper.links} == {
        "https://arxiv.org/pdf/1905.13405.pdf", "https://arxiv.org/abs/1905.13405v2",
        "http://export.arxiv.org/abs/1905.13405"}
    assert (other.title, other.url) == ("arXiv:1906.02768", "https://arxiv.org/abs/1906.02768")
    assert catalog.find_item("https://arxiv.org/pdf/1905.13405.pdf") is paper


def test_dollars_in_a_url_are_not_maths() -> None:
    url = "https://api.org/People?$filter=a&$top=2"
    for text in (f"- [people]({url})\n", f"- <{url}>\n", f"- {url} and $x$\n"):
        catalog = parse("# T\n\n" + text)
        assert only(catalog).url == url, text
    assert only(parse(f"# T\n\n- {url} and $x$\n")).description == "and x"


def test_a_thousand_nested_quotes_parse() -> None:
    from dlreader.catalog.outline import scan_outline

    # 145 KB with one line of 1,000 ">" (and one of 1,000 "- "): no RecursionError.
    for deep in (">" * 1000, "- " * 1000, "> - " * 500):
        text = "# T\n\n" + "- [x](https://x.org/)\n" * 6500 + "\n" + deep + " deep\n"
        assert len(text) > 140_000
        catalog = parse_catalog(text, "deep.md")
        assert catalog.find_item("https://x.org/") is not None
        assert [t.title for t in scan_outline(text, "deep.md")] == ["T"]


def test_a_malformed_declaration_in_html_is_text_not_a_crash() -> None:
    # Python's html.parser raises AssertionError on "<![" without a name.
    catalog = parse_catalog("<div>\n<![\n# H1\n", "l.md")
    assert [p.text for t in catalog.topics for p in t.passages] == ["<![ # H1"]


def test_a_link_that_names_a_kind_of_page_after_the_entrys_name_leaves_the_title_to_it(
) -> None:
    catalog = parse("# Papers\n\n- **Dropout** (2014), N. Srivastava et al. "
                    "[[pdf]](https://x.org/d.pdf) [[code]](https://g.org/d)\n"
                    "- [GitHub](https://github.com/) - Code hosting.\n")
    dropout, github = items(catalog)
    assert dropout.title == "Dropout (2014), N. Srivastava et al."
    assert dropout.url == "https://x.org/d.pdf"
    assert dropout.links == (Link("[code]", "https://g.org/d"),)
    assert dropout.description == ""  # only its other link: listed in Details
    # The same word as the entry's own name stays its name.
    assert (github.title, github.description) == ("GitHub", "Code hosting.")


def test_a_link_that_is_a_word_of_its_sentence_is_titled_by_the_sentence() -> None:
    catalog = parse("# T\n\n- For free books, go [here](https://b.org/).\n\n"
                    "Guidelines are [here](https://c.org/). Thanks to [Ann](https://a.org/)!\n")
    books, guidelines, ann = items(catalog)
    assert books.title == "For free books, go here."
    assert guidelines.title == "Guidelines are here."
    assert ann.title == "Ann"


def test_a_short_name_with_a_link_inside_is_titled_by_all_its_words() -> None:
    catalog = parse("# T\n\n- Facebook [Group](https://fb.com/g)\n- Slack [GDG Sydney](https://s.com/)"
                    "\n- Meetup [GDG Sydney](https://m.com/)\n- A long way of saying where the "
                    "[library](https://c.org/) lives\n")
    assert [(item.title, item.description) for item in items(catalog)] == [
        ("Facebook Group", ""), ("Slack GDG Sydney", ""), ("Meetup GDG Sydney", ""),
        ("library", "A long way of saying where the library lives")]  # a sentence, as before
    # Words that mark, label or point at the link are no part of its name; nor is a name
    # with more links than its own.
    marked = parse("# T\n\n- 🔥 [Hot](https://h.org/)\n- by [Jane Doe](https://j.org/)\n"
                   "- **Deprecated** [Oldlib](https://o.org/)\n- `v2` [Qux](https://q.org/)\n"
                   "- Slack [GDG](https://a.org/) [Meetup](https://b.org/)\n")
    assert [item.title for item in items(marked)] == ["Hot", "Jane Doe", "Oldlib", "Qux", "GDG"]


def test_a_row_whose_first_cell_is_a_date_is_titled_by_its_linked_name() -> None:
    catalog = parse("""\
        # Milestones

        | Date | Keywords | Paper |
        |---|---|---|
        | 2023-05 | PaLM 2 | [PaLM 2 Technical Report](https://p.org/palm2) |
        | BERT | Encoder | [Pre-training of Deep Bidirectional Transformers](https://b.org/) |
        """)
    palm, bert = items(catalog)
    assert (palm.title, palm.description) == ("PaLM 2 Technical Report", "2023-05 · PaLM 2")
    # A name in the first cell titles the row; the linked paper's name is not lost.
    assert bert.title == "BERT"
    assert bert.description == "Pre-training of Deep Bidirectional Transformers · Encoder"


def test_a_label_that_repeats_its_topics_name_is_not_a_level_of_its_own() -> None:
    catalog = parse("""\
        # L

        ## Milestone Papers

        <details>
        <summary> milestone papers </summary>

        | Date | Paper |
        |---|---|
        | 2017-06 | [Attention Is All You Need](https://a.org/1706.03762) |

        </details>

        ## Tools

        - Python
          - [Ruff](https://r.org/)
        """)
    papers, tools = catalog.topics[1], catalog.topics[2]
    assert (papers.title, papers.children) == ("Milestone Papers", [])
    assert [catalog.items[i].title for i in papers.items] == ["Attention Is All You Need"]
    (python,) = [t for t in catalog.topics if t.parent == tools.id]
    assert python.title == "Python"


def test_a_long_first_cell_is_cut_into_title_and_description_and_link_cells_stay_out() -> None:
    name = "1) Ultra-Fast Diffusion-based Language Models "
    prose = "This paper introduces Mercury, a family of diffusion models. " * 4
    catalog = parse(f"# Week\n\n| Paper | Links |\n|---|---|\n| {name} {prose} | "
                    "[Paper](https://arxiv.org/abs/2506.17298), [Tweet](https://x.com/t/1) |\n")
    item = only(catalog)
    assert len(item.title) <= 160 and item.title.startswith("1) Ultra-Fast") and \
        item.title.endswith("…")
    # Nothing of the cell is lost: what the title leaves out starts the description.
    whole = " ".join(f"{name} {prose}".split())
    assert f"{item.title[:-1]} {item.description}".split() == whole.split()
    assert item.links == (Link("Tweet", "https://x.com/t/1"),)
