"""Unit tests of the course machinery: checks, quiz format, explorers."""

import re

import numpy as np
import pandas as pd
import pytest

import coursekit
from coursekit import Misconception, check, register
from coursekit.explore import Explorer
from coursekit.quiz import QuizError, parse_quiz, render_quiz


@pytest.fixture(autouse=True)
def fresh():
    coursekit.clear()
    yield
    coursekit.clear()


def test_number_within_tolerance_is_correct_and_outside_is_not():
    register("q", 0.301, tolerance=0.001)
    assert check("q", 0.3015).correct
    assert check("q", np.float64(0.3)).correct
    wrong = check("q", 0.31)
    assert wrong.status == "not yet" and "0.301" not in wrong.message


def test_relative_tolerance():
    register("q", 1_000_000, tolerance=0.01, relative=True)
    assert check("q", 1_009_000).correct
    assert not check("q", 1_011_000).correct


def test_placeholder_and_unknown_label():
    register("q", 1)
    assert check("q", ...).status == "not attempted"
    with pytest.raises(KeyError, match="no check is registered for 'other'; registered checks: q"):
        check("other", 1)


def test_misconceptions_in_order_then_percent_then_general_hint():
    register(
        "q",
        0.25,
        tolerance=0.001,
        misconceptions=[Misconception("households", 0.4, "Count persons, not households.")],
        hint="Divide the covered persons by all persons.",
    )
    assert check("q", 0.4).misconception == "households"
    assert check("q", 25.0).misconception == "percent"
    general = check("q", 0.9)
    assert general.misconception is None and "Divide the covered" in general.message


def test_series_and_dataframe_differences_are_named():
    expected = pd.DataFrame({"sex": ["female", "male"], "rate": [0.2, 0.3]})
    register("t", expected, tolerance=0.001)
    assert check("t", expected.copy()).correct
    assert "missing ['rate']" in check("t", expected[["sex"]]).message
    changed = expected.assign(rate=[0.2, 0.35])
    assert "column 'rate': the value for 1 is not right yet" in check("t", changed).message
    register("s", pd.Series([1.0, 2.0], index=["TJK", "LAO"]))
    assert "index differs at position 0" in check("s", pd.Series([1.0, 2.0])).message
    assert "expected a Series" in check("s", 3).message


def test_feedback_shows_as_text_and_html_without_the_answer():
    register("q", 0.5)
    feedback = check("q", 0.4)
    assert str(feedback).startswith("[q] NOT YET")
    html = feedback._repr_html_()
    assert 'role="status"' in html and "Not yet" in html and "✘" in html and "0.5" not in html


def test_quiz_format_errors_are_clear():
    with pytest.raises(QuizError, match="option 2 needs an `explain:`"):
        parse_quiz(
            "q",
            "question: A?\noptions:\n  - text: a\n    correct: true\n    explain: x\n  - text: b",
        )
    with pytest.raises(QuizError, match="a numeric `answer:` is needed"):
        parse_quiz("q", "question: A?\ntype: numeric")
    with pytest.raises(QuizError, match="type must be choice or numeric"):
        parse_quiz("q", "question: A?\ntype: essay")
    with pytest.raises(QuizError, match="must start with a letter"):
        parse_quiz("1q", "question: A?")


def test_quiz_html_is_an_accessible_form():
    quiz = parse_quiz(
        "q1",
        "question: Pick `one`\noptions:\n  - text: a\n    correct: true\n    explain: yes\n"
        "  - text: b\n    explain: no",
    )
    html = render_quiz(quiz, "exercises/demo")
    assert '<fieldset><legend id="quiz-q1-q">Pick <code>one</code></legend>' in html
    assert html.count('type="radio"') == 2 and '<label for="quiz-q1-0">a</label>' in html
    assert 'aria-live="polite"' in html and "exercises/demo#q1" in html.replace("&quot;", '"')


def test_explorer_static_form_uses_the_same_compute_function():
    calls = []

    def compute(level):
        calls.append(level)
        return pd.DataFrame({"group": ["x"], "value": [level * 2]})

    def draw(table, ax, level):
        ax.bar(table["group"], table["value"])

    explorer = Explorer(compute, {"level": (0, 4, 1)}, draw, labels={"level": "Level (units)"})
    html = explorer.static_html()
    assert calls == [0, 1, 2, 3, 4]
    assert html.count('class="explorer-scenario"') == 5 and html.count(" hidden") == 4
    assert '<label>Level (units) <select data-name="level">' in html
    assert 'alt="Chart for the scenario level = 3.' in html
    assert 'class="explorer-status visually-hidden" aria-live="polite"' in html
    with pytest.raises(ValueError, match="control 'x': give"):
        Explorer(compute, {"x": "bad"}, draw, labels={"x": "X"}).widget()


def test_every_explorer_control_needs_a_plain_label():
    def draw(table, ax, level, scheme):
        pass

    controls = {"level": (0, 4, 1), "scheme": ["a", "b"]}
    with pytest.raises(ValueError, match=r"controls \['scheme'\] have no label"):
        Explorer(lambda level, scheme: None, controls, draw, labels={"level": "Level (%)"})
    with pytest.raises(ValueError, match=r"controls \['level'\] have no label"):
        Explorer(lambda **v: None, controls, draw, labels={"level": " ", "scheme": "Scheme"})
    with pytest.raises(ValueError, match=r"labels \['levle'\] name no control"):
        Explorer(
            lambda **v: None,
            controls,
            draw,
            labels={"level": "Level (%)", "scheme": "Scheme", "levle": "typo"},
        )


def test_explorer_pictures_become_files_that_hidden_scenarios_load_when_chosen(tmp_path):
    from coursekit.sphinx_ext import EXPLORER_IMAGES, explorer_images_as_files

    explorer = Explorer(
        lambda level: pd.DataFrame({"v": [level]}),
        {"level": [1, 2, 3]},
        lambda table, ax, level: ax.bar(["v"], table["v"]),
        labels={"level": "Level (number)"},
    )
    page = tmp_path / "modules" / "m" / "lesson.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body>{explorer.static_html()}</body></html>", encoding="utf-8")
    assert explorer_images_as_files(tmp_path) == 3
    text = page.read_text(encoding="utf-8")
    assert "data:image/png" not in text
    shown = re.findall(r'<img src="([^"]+)"', text)
    later = re.findall(r'<img data-src="([^"]+)"', text)
    assert len(shown) == 1 and len(later) == 2, "only the first scenario loads with the page"
    for url in shown + later:
        assert url.startswith(f"../../{EXPLORER_IMAGES}/")
        assert (page.parent / url).resolve().read_bytes().startswith(b"\x89PNG")
    assert explorer_images_as_files(tmp_path) == 0, "a page already done is left as it is"
    assert page.read_text(encoding="utf-8") == text


def test_live_explorer_recomputes_when_a_control_moves(monkeypatch):
    monkeypatch.delenv("COURSEKIT_STATIC_SITE", raising=False)
    calls = []

    def compute(level, scheme):
        calls.append((level, scheme))
        return pd.DataFrame({"group": ["x"], "value": [level]})

    def draw(table, ax, level, scheme):
        ax.bar(table["group"], table["value"])

    explorer = Explorer(
        compute,
        {"level": (0.0, 1.0, 0.1), "scheme": ["a", "b"]},
        draw,
        labels={"level": "Level (share, 0 to 1)", "scheme": "Scheme"},
    )
    widget = explorer.widget()
    slider, dropdown = widget.children[0], widget.children[1]
    assert type(slider).__name__ == "FloatSlider" and type(dropdown).__name__ == "Dropdown"
    assert slider.description == "Level (share, 0 to 1)" and dropdown.description == "Scheme"
    slider.value = 0.5
    dropdown.value = "b"
    assert calls[-1] == (0.5, "b")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" in bundle


def test_explorer_on_the_static_site_has_no_widget(monkeypatch):
    monkeypatch.setenv("COURSEKIT_STATIC_SITE", "1")
    explorer = Explorer(
        lambda level: pd.DataFrame({"v": [level]}),
        {"level": [1, 2]},
        lambda t, ax, level: None,
        labels={"level": "Level (number)"},
    )
    assert set(explorer._repr_mimebundle_()) == {"text/html", "text/plain"}


# --------------------------------------------------------------------------- chart labels
def _saved_png(width_in: float, label_pt: float, hooked: bool = True) -> bytes:
    import io

    import matplotlib.pyplot as plt

    from coursekit.figures import record_text_size

    fig, ax = plt.subplots(figsize=(width_in, 3))
    if hooked:
        record_text_size(fig)  # what book/matplotlibrc's figure.hooks does at build time
    ax.plot([2015, 2023], [10, 40])
    ax.set_xlabel("Year", fontsize=label_pt)
    ax.set_ylabel("Coverage (%)", fontsize=label_pt + 2)
    ax.tick_params(labelsize=label_pt + 1)
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def test_a_chart_records_its_smallest_text_and_its_label_size_on_a_phone():
    from coursekit.figures import label_css_px, recorded_text_px

    # 8 pt on a figure 7 inches wide, shown 330 px wide: about 8 * 330 / (72 * 7) = 5.2 px
    # (a little more, as the saved picture is cropped to its content)
    wide = _saved_png(7, 8)
    assert recorded_text_px(wide) == pytest.approx(8 / 72 * 100, abs=0.01)
    assert label_css_px(wide, 330) < 7  # the label-size test fails on such a chart
    # 10 pt on a figure 4.5 inches wide passes, and is never enlarged past its own pixels
    narrow = _saved_png(4.5, 10)
    assert label_css_px(narrow, 330) > 9
    assert label_css_px(narrow, 5000) == pytest.approx(10 / 72 * 100, abs=0.01)
    # a picture without the record is reported as such, not passed
    assert label_css_px(_saved_png(4.5, 10, hooked=False), 330) is None
