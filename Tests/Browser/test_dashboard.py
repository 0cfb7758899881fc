"""End-to-end test of the training dashboard (/train) in headless Chromium.

Starts the release `tinct serve` with a temporary data root holding a small fixture folder,
starts a tiny training run from the page, waits for progress, loss curves and a sample grid,
checks that a second tab sees the same live run, stops it, publishes the run as a model and
finds that model in the selector of editors that were already open — without reloading them:
one in the same browser (told over a BroadcastChannel) and one in another browser context
(which refreshes its list when its window gets the focus) — and the first one colorizes with it. Screenshots go to test-artifacts/dashboard-*.png.
Each step is a test of its own, against one server and one dashboard page; the run's steps
build on the ones before (a run must start before it can be stopped and published), the
rest stand alone. `run_tests` runs them all and reports each.
Run with `make test-browser` (or `.venv/bin/python Tests/Browser/test_dashboard.py`).
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ARTIFACTS, binary_missing, chromium, get_json, png_bytes, run_tests, serving  # noqa: E402


def write_dataset(folder: Path, count: int = 8) -> None:
    """`count` small colored drawings with dark outlines, split into train/ and val/."""
    for i in range(count):
        sub = folder / ("val" if i >= count - 2 else "train")
        sub.mkdir(parents=True, exist_ok=True)

        def pixel(x, y, i=i):
            if x % 16 == i % 16 or y % 13 == (2 * i) % 13:
                return (25, 25, 25)
            band = (x + y * (i + 1)) // 12 % 3
            return [(220, 90, 40 + 20 * i), (60 + 15 * i, 200, 90), (70, 80 + 10 * i, 210)][band]

        (sub / f"p{i}.png").write_bytes(png_bytes(48, 40, pixel))


def on_console(ctx, message):
    """Console errors and warnings are problems, but the ones a step provokes on purpose."""
    if message.type not in ("error", "warning"):
        return
    if ctx.expected_errors and ctx.expected_errors[0] in message.text:
        ctx.expected_errors.pop(0)
        return
    ctx.problems.append(f"console {message.type}: {message.text}")


def dashboard_page(ctx):
    """The dashboard page the tests share, opened (and connected) by the first that needs it."""
    if ctx.page is None:
        page = ctx.context.new_page()
        page.on("console", lambda m: on_console(ctx, m))
        page.on("pageerror", lambda e: ctx.problems.append(f"page error: {e}"))
        page.goto(ctx.url + "/train")
        page.wait_for_function("() => document.body.dataset.ready === 'true' && globalThis.tinctTestAPI.training().connected")
        ctx.page = page
    return ctx.page


def test_form_from_the_schema(ctx):
    page, url = dashboard_page(ctx), ctx.url
    assert page.locator("#dataset").input_value() == "doodles", "dataset selector"
    assert "6 training pictures (train/) and 2 validation pictures (val/)" in page.locator("#dataset-info").inner_text()
    # The form is built from the options schema, filled with the CLI's defaults.
    schema = get_json(url + "/api/train/options-schema")["options"]
    for option in schema:
        assert page.locator(f"#train-form [name={option['name']}]").count() == 1, f"control for {option['name']}"
    assert page.locator("input[name=size]").input_value() == "256"
    assert page.locator("input[name=steps]").input_value() == "20000"
    assert page.locator("input[name=nLayers]").input_value() == "3"
    # downs follows size unless typed: empty ("auto"), the rule in the tooltip.
    assert page.locator("input[name=downs]").input_value() == ""
    assert page.locator("input[name=downs]").get_attribute("placeholder") == "auto"
    assert "log2 of size" in page.evaluate("() => document.querySelector('[name=downs]').closest('label').title")
    # Choices come from the server's enums; the dashboard offers the modes it trains.
    values = "(s) => [...document.querySelector(s).options].map((o) => o.value)"
    assert page.evaluate(values, "select[name=mode]") == ["lineart", "photo"]
    assert page.evaluate(values, "select[name=ganLoss]") == ["vanilla", "lsgan", "hinge"]
    assert page.locator("select[name=norm]").input_value() == "batch"
    # An option the mode does not use is hidden (painted backgrounds are line art only).
    label_hidden = "(name) => document.querySelector(`[name=${name}]`).closest('label').hidden"
    page.select_option("select[name=mode]", "photo")
    assert page.evaluate(label_hidden, "coloredBackgrounds") and not page.evaluate(label_hidden, "zeroHints")
    page.select_option("select[name=mode]", "lineart")
    assert not page.evaluate(label_hidden, "coloredBackgrounds")
    page.screenshot(path=str(ARTIFACTS / "dashboard-01-idle.png"), full_page=True)


def test_bad_value_is_refused(ctx):
    # A bad value is refused by the server, which names the field.
    page = dashboard_page(ctx)
    page.fill("input[name=size]", "33")
    ctx.expected_errors.append("status of 400")  # Chromium logs the refused request
    page.click("#start")
    page.wait_for_function("() => document.getElementById('form-error').textContent.startsWith('size:')")
    assert page.locator("input[name=size]").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(ARTIFACTS / "dashboard-01b-bad-field.png"))


def test_tiny_run_reports_progress(ctx):
    # A tiny run: 32 px, 5 downsamplings, 4 filters, long enough to stop by hand.
    page = dashboard_page(ctx)
    for name, value in [("size", "32"), ("downs", "5"), ("ngf", "4"), ("ndf", "4"), ("batch", "2"),
                        ("steps", "100000")]:
        page.fill(f"input[name={name}]", value)
    page.click("#train-form details:has(#options-advanced) > summary")
    assert page.locator("input[name=zeroHints]").input_value() == "0.25"
    assert page.locator("input[name=coloredBackgrounds]").input_value() == "0"
    page.fill("input[name=coloredBackgrounds]", "0.5")
    page.fill("input[name=sampleEvery]", "3")
    page.fill("input[name=checkpointEvery]", "10")
    page.click("#start")
    page.wait_for_function("() => ['running', 'starting'].includes(globalThis.tinctTestAPI.training().status.state)")
    assert page.locator("#form-error").inner_text() == ""

    # Progress, a checkpoint with validation, and a sample picture arrive.
    page.wait_for_function("() => globalThis.tinctTestAPI.training().status.step >= 12", timeout=60_000)
    # Read the width in the same evaluation that sees the picture loaded: samples arrive every
    # 3 steps, and a newer one may be loading (naturalWidth 0) by the time of a second read.
    width = page.wait_for_function(
        "() => { const img = document.getElementById('sample');"
        " return !img.hidden && img.complete && img.naturalWidth > 0 ? img.naturalWidth : 0; }",
        timeout=30_000).json_value()
    page.wait_for_function("() => document.querySelectorAll('#checkpoints tbody tr.group-start').length >= 1",
                           timeout=30_000)
    progress = page.evaluate("() => [document.getElementById('progress').value, document.getElementById('progress').max]")
    assert progress[0] >= 12 and progress[1] == 100000, f"progress bar {progress}"
    assert "img/s" in page.locator("#rate").inner_text() and page.locator("#rate").inner_text() != "— img/s"
    assert page.locator("#eta").inner_text() != "—"
    assert width >= 3 * 32, f"sample grid is {width} px wide"
    # Both counts in one evaluation: a checkpoint arriving between two reads would skew them.
    rows, groups = page.evaluate(
        "() => [document.querySelectorAll('#checkpoints tbody tr').length,"
        " document.querySelectorAll('#checkpoints tbody tr.group-start').length]")
    assert rows == 5 * groups, f"{rows} checkpoint rows for {groups} checkpoints (5 hint counts each)"
    # Two validation pictures: the table says its figures are mostly noise (#15 item 3).
    warning = page.locator("#validation-warning")
    assert warning.is_visible() and "Only 2 validation pictures" in warning.inner_text(), warning.inner_text()
    # Line art: adherence and bleed beside the model's PSNR and ΔE (a dash where a row has none).
    figures = page.evaluate(
        "() => [...document.querySelectorAll('#checkpoints tbody tr')].map(tr =>"
        " [...tr.querySelectorAll('td')].map(td => td.textContent))")
    assert all(len(cells) == 11 for cells in figures), f"checkpoint rows {figures[:2]}"
    assert all(cells[9:] == ["—", "—"] for cells in figures), f"line art has no edge-aware fill: {figures[:2]}"
    assert any(cells[0] != "0" and cells[3] not in ("", "—") for cells in figures), f"no adherence figure in {figures[:5]}"
    page.wait_for_timeout(1200)  # a few more progress points on the curves
    page.screenshot(path=str(ARTIFACTS / "dashboard-02-running.png"), full_page=True)


def test_second_tab_sees_the_run(ctx):
    # A second tab sees the same run, history included.
    page = dashboard_page(ctx)
    second = ctx.context.new_page()
    second.on("pageerror", lambda e: ctx.problems.append(f"second tab page error: {e}"))
    second.goto(ctx.url + "/train")
    second.wait_for_function("() => globalThis.tinctTestAPI?.training().connected && globalThis.tinctTestAPI.training().status.step > 0")
    assert second.locator("#run-name").inner_text() == page.locator("#run-name").inner_text()
    assert second.evaluate("() => globalThis.tinctTestAPI.training().validations") >= 1
    second.close()


def test_stop_keeps_a_checkpoint(ctx):
    # Stop: a checkpoint is saved and the run shows as stopped.
    page = dashboard_page(ctx)
    page.click("#stop")
    page.wait_for_function("() => globalThis.tinctTestAPI.training().status.state === 'stopped'", timeout=60_000)
    run = page.locator("#run-name").inner_text()
    saved = json.loads((ctx.work / "runs" / run / "config.json").read_text())
    assert saved.get("coloredBackgrounds") == 0.5, f"the form's painted-backgrounds share reached the run: {saved.get('coloredBackgrounds')}"
    page.wait_for_function(f"() => document.querySelector('#runs tr[data-run=\"{run}\"]') !== null")
    row = page.locator(f"#runs tr[data-run=\"{run}\"]")
    assert row.locator("button.resume").is_enabled(), "Resume after stop"
    ctx.run = run


def test_publish_reaches_open_editors(ctx):
    page, url = dashboard_page(ctx), ctx.url
    assert ctx.run is not None, "no stopped run to publish (see the tests before)"
    row = page.locator(f"#runs tr[data-run=\"{ctx.run}\"]")
    # Two editors already open, before the model exists: one in this browser, one in
    # another browser context (no BroadcastChannel between them).
    editor = ctx.context.new_page()
    editor.on("console", lambda m: on_console(ctx, m))
    editor.on("pageerror", lambda e: ctx.problems.append(f"editor page error: {e}"))
    editor.goto(url + "/")
    editor.wait_for_function("() => document.body.dataset.connected === 'true'")
    assert "no line-art model" in editor.locator("#model").inner_text()
    editor.evaluate("() => { globalThis.openedBeforePublish = true; }")
    elsewhere_context = ctx.browser.new_context(viewport={"width": 1280, "height": 800})
    elsewhere = elsewhere_context.new_page()
    elsewhere.on("pageerror", lambda e: ctx.problems.append(f"second editor page error: {e}"))
    elsewhere.goto(url + "/")
    elsewhere.wait_for_function("() => document.body.dataset.connected === 'true'")
    page.bring_to_front()

    # Publish it; the editor's model selector lists it.
    row.locator("input[name=model]").fill("dashboard-doodles")
    row.locator("form.publish button").click()
    page.wait_for_function("() => document.getElementById('runs-message').textContent.startsWith('Published dashboard-doodles')")
    page.screenshot(path=str(ARTIFACTS / "dashboard-03-stopped-published.png"), full_page=True)
    models = get_json(url + "/api/models")
    assert any(m["name"] == "dashboard-doodles" and m["mode"] == "lineart" for m in models), models

    # The open editors list the published model without a reload (well before their
    # 15-second poll), and the first one colorizes its drawing with it at once.
    has_model = "() => [...document.querySelectorAll('#model option')].some(o => o.value === 'dashboard-doodles')"
    # Selection and status are read in the evaluation that first sees the model listed.
    selected, status = editor.wait_for_function(
        f"() => ({has_model})() && [document.getElementById('model').value,"
        " document.getElementById('status').textContent]", timeout=5_000).json_value()
    assert selected == "dashboard-doodles", selected
    assert "New line-art model: dashboard-doodles" in status, status
    editor.wait_for_function("() => globalThis.tinctTestAPI.result().shown", timeout=30_000)
    assert editor.evaluate("() => globalThis.tinctTestAPI.model()") == "dashboard-doodles"
    editor.screenshot(path=str(ARTIFACTS / "dashboard-06-editor-got-model.png"))
    elsewhere.evaluate("() => window.dispatchEvent(new Event('focus'))")
    elsewhere.wait_for_function(has_model, timeout=5_000)
    assert editor.evaluate("() => globalThis.openedBeforePublish") is True, "the editor was reloaded"
    editor.close()
    elsewhere_context.close()


def test_newest_checkpoints_listed(ctx):
    # Only the newest checkpoints are listed until "Show all" is pressed.
    page = dashboard_page(ctx)
    validations = page.evaluate("() => globalThis.tinctTestAPI.training().validations")
    assert validations >= 1, "no validated checkpoint (see the run's tests before)"
    groups = page.locator("#checkpoints tbody tr.group-start")
    assert groups.count() == min(validations, 5), (groups.count(), validations)
    if validations > 5:
        page.click("#show-all-checkpoints")
        assert groups.count() == validations
        page.click("#show-all-checkpoints")
        assert groups.count() == 5


def test_narrow_window(ctx):
    page = dashboard_page(ctx)
    page.set_viewport_size({"width": 760, "height": 1000})
    page.wait_for_timeout(300)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "dashboard-04-narrow.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert overflow <= 0, f"the dashboard scrolls sideways by {overflow} px at 760 px"


def test_winning_rows_highlighted(ctx):
    # Where the model beats both baselines the row is highlighted (made-up figures).
    page = dashboard_page(ctx)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.evaluate("""async () => {
        const tables = await import('/js/train-tables.js');
        const score = (psnr, deltaE) => ({ psnr, deltaE });
        tables.renderCheckpoints(document.querySelector('#checkpoints tbody'), [{ step: 5000, rows: [
            { hints: 0, model: score(9, 30), inputUnchanged: score(7, 33), nearestHintFill: score(7, 33) },
            { hints: 4, model: score(18, 9), inputUnchanged: score(7, 33), nearestHintFill: score(13, 24) },
            { hints: 16, model: score(21, 6), inputUnchanged: score(7, 33), nearestHintFill: score(15, 18) },
            { hints: 64, model: score(22, 5), inputUnchanged: score(7, 33), nearestHintFill: score(16, 10),
              edgeAwareFill: score(23, 4.5) } ] }],
            new Set([5000]));
    }""")
    # A photo row also has the edge-aware fill; a model that loses to it is not highlighted.
    assert page.locator("#checkpoints tbody tr.wins").count() == 3
    last = page.locator("#checkpoints tbody tr").nth(3).locator("td")
    assert [last.nth(i).text_content() for i in (9, 10)] == ["23.00", "4.50"], [last.nth(i).text_content() for i in range(11)]
    page.locator("#checkpoints").screenshot(path=str(ARTIFACTS / "dashboard-05-wins.png"))


def test_expected_refusals_came(ctx):
    assert not ctx.expected_errors, f"expected console messages that never came: {ctx.expected_errors}"


TESTS = [
    test_form_from_the_schema,
    test_bad_value_is_refused,
    test_tiny_run_reports_progress,
    test_second_tab_sees_the_run,
    test_stop_keeps_a_checkpoint,
    test_publish_reaches_open_editors,
    test_newest_checkpoints_listed,
    test_narrow_window,
    test_winning_rows_highlighted,
    test_expected_refusals_came,
]


def main() -> int:
    if binary_missing():
        return 2
    work = Path(tempfile.mkdtemp(prefix="tinct-dashboard-"))
    try:
        write_dataset(work / "data" / "doodles")
        (work / "models").mkdir()
        arguments = ["--models", work / "models", "--data-root", work / "data", "--runs", work / "runs"]
        with serving(arguments, "dashboard-server.log", stop_timeout=20) as url, chromium() as browser:
            ctx = SimpleNamespace(url=url, work=work, browser=browser, problems=[], expected_errors=[], page=None, run=None,
                                  context=browser.new_context(viewport={"width": 1400, "height": 1000}))
            status = run_tests(TESTS, ctx, ctx.problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if status == 0:
        print(f"dashboard browser test passed; screenshots in {ARTIFACTS}/dashboard-*.png")
    return status


if __name__ == "__main__":
    sys.exit(main())
