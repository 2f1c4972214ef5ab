"""CodeCell: run, show output (escaped), status and duration, stop, injected namespace."""
import time

from widgets.code_area import CodeArea
from widgets.code_cell import CodeCell, output_html, status_text


def test_runs_in_a_thread_and_shows_output_and_status():
    cell = CodeCell(code="x = 6 * 7\nprint('hello')\nx")
    assert cell.run_cell()
    cell.wait(5)
    assert cell.status == "ok"
    assert cell.output == "hello\n42\n"
    assert cell.duration_s is not None and cell.run_count == 1
    assert "hello" in cell._output_pane.object
    assert not cell._run_button.disabled and cell._stop_button.disabled


def test_namespace_is_injected_and_shared_with_the_lesson():
    namespace = {"offset": 100}
    cell = CodeCell(code="result = offset + 1", namespace=namespace, threaded=False)
    cell.run_cell()
    assert namespace["result"] == 101


def test_errors_show_a_traceback_at_the_students_line():
    cell = CodeCell(code="a = 1\nb = a / 0", threaded=False)
    cell.run_cell()
    assert cell.status == "error"
    assert 'File "<cell 1>", line 2, in <module>' in cell.output
    assert status_text(cell.status, cell.duration_s).startswith("✗ error in ")
    assert status_text("ok", 0.0123) == "✓ finished in 12 ms"
    assert status_text("interrupted", 2.5) == "■ interrupted in 2.50 s"


def test_output_is_escaped_html():
    cell = CodeCell(code="print('<script>alert(1)</script> & <b>')", threaded=False)
    cell.run_cell()
    html = cell._output_pane.object
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert output_html([("stderr", "<x>")]).count("&lt;x&gt;") == 1


def test_stop_interrupts_a_running_cell():
    cell = CodeCell(code="while True:\n    pass")
    cell.run_cell()
    time.sleep(0.2)
    assert cell.status == "running" and not cell._stop_button.disabled
    assert cell.run_cell() is False  # one run at a time
    assert cell.stop()
    cell.wait(2)
    assert cell.status == "interrupted"
    assert cell.output.endswith("KeyboardInterrupt\n")


def test_poll_streams_partial_output_while_running():
    cell = CodeCell(code="import time\nprint('tick')\ntime.sleep(0.4)\nprint('tock')")
    cell.run_cell()
    deadline = time.time() + 2
    while "tick" not in cell._output_pane.object and time.time() < deadline:
        time.sleep(0.02)
        cell.poll()
    assert "tick" in cell._output_pane.object and cell.status == "running"
    cell.wait(2)
    assert cell.output == "tick\ntock\n" and cell.status == "ok"


def test_time_limit_option():
    cell = CodeCell(code="while True:\n    pass", time_limit_s=0.2, threaded=False)
    cell.run_cell()
    assert cell.status == "interrupted" and "time limit" in cell.output


def test_output_cap_option():
    cell = CodeCell(code="print('y' * 5000)", max_output=1000, threaded=False)
    cell.run_cell()
    assert "[output truncated" in cell.output and len(cell.output) < 1200


def test_editor_and_code_stay_in_sync_and_shift_enter_runs():
    cell = CodeCell(code="1 + 1", threaded=False)
    editor = cell._editor
    assert isinstance(editor, CodeArea) and editor.value == "1 + 1"
    editor.value = "2 + 2"  # typed in the browser
    assert cell.code == "2 + 2"
    editor.run_requests += 1  # Shift+Enter
    assert cell.output == "4\n" and cell.run_count == 1
    cell.code = "3"
    assert editor.value == "3"


def test_code_area_script_handles_tab_enter_and_run_keys():
    script = CodeArea._scripts["keydown"]
    for needle in ("'Tab'", "e.shiftKey || e.ctrlKey || e.metaKey", "data.run_requests",
                   "execCommand('insertText'"):
        assert needle in script


def test_ace_editor_option_still_builds():
    cell = CodeCell(code="1", editor="ace")
    assert cell._editor.__class__.__name__ == "CodeEditor" and cell._editor.value == "1"


def test_a_label_names_the_cell_in_tracebacks():
    cell = CodeCell(code="1/0", threaded=False, label="cell 7")
    cell.run_cell()
    cell.run_cell()
    assert 'File "<cell 7>", line 1' in cell.output and cell.run_count == 2
    cell.label = ""
    cell.run_cell()
    assert 'File "<cell 3>", line 1' in cell.output  # back to numbering its runs
