"""The code cell's engine: Jupyter semantics, Python's own output, stoppable runs."""
import sys
import time

import pytest

from widgets.cell_runner import CellRunner, format_exception, run


def test_prints_and_last_expression_are_shown_in_order():
    result = run("x = 2\nprint('x is', x)\nx * 21")
    assert result.status == "ok"
    assert result.text == "x is 2\n42\n"
    assert result.chunks == [("stdout", "x is 2\n"), ("result", "42\n")]


def test_last_value_uses_repr_and_is_stored_as_underscore():
    ns = {}
    assert run("'hi'", ns).text == "'hi'\n"
    assert ns["_"] == "hi"


def test_none_and_trailing_semicolon_are_not_displayed():
    assert run("None").text == ""
    assert run("print('a')").text == "a\n"  # print returns None: shown once, not twice
    assert run("1 + 1;").text == ""
    assert run("1 + 1;  # quiet").text == ""
    assert run("[1, 2]").text == "[1, 2]\n"


def test_only_the_final_expression_is_displayed():
    assert run("1\n2\n3").text == "3\n"
    assert run("for i in range(2):\n    i").text == ""


def test_namespace_is_shared_between_runs_and_injectable():
    ns = {"base": 10}
    run("def add(a):\n    return base + a", ns)
    assert run("add(5)", ns).text == "15\n"
    assert ns["__name__"] == "__main__"


def test_stdout_and_stderr_are_kept_apart_and_in_order():
    result = run("import sys\nprint('o1')\nprint('e1', file=sys.stderr)\nsys.stdout.write('o2\\n');")
    assert result.chunks == [("stdout", "o1\n"), ("stderr", "e1\n"), ("stdout", "o2\n")]


def test_syntax_error_shows_file_line_and_caret_like_python():
    result = run("x = 1\ny = (2,\n", name="cell 3")
    assert result.status == "error"
    assert result.text == (
        '  File "<cell 3>", line 2\n'
        "    y = (2,\n"
        "        ^\n"
        "SyntaxError: '(' was never closed\n")


def test_compiler_errors_show_the_line_too():
    # found by the compiler, not the parser: Python would still show the line
    text = run("x = 1\nreturn x", name="cell 1").text
    assert text == ('  File "<cell 1>", line 2\n    return x\n    ^^^^^^^^\n'
                    "SyntaxError: 'return' outside function\n")


def test_indentation_error():
    text = run("for i in range(3):\nprint(i)", name="cell 1").text
    assert "IndentationError: expected an indented block after 'for' statement on line 1" in text
    assert 'File "<cell 1>", line 2' in text


@pytest.mark.parametrize("source", [
    "for i in range(3):\nprint(i)\n",      # IndentationError: one caret, as python prints
    "class A:\npass\n",
    "if True:\n        a = 1\n    b = 2\n",
    "x = 1 +* 2\n",                          # plain SyntaxError: the range
    "def f(:\n  pass\n",
    "a = 'abc\n",
    "print 'hi'\n",
])
def test_syntax_errors_read_as_python_script_py_prints_them(tmp_path, source):
    import subprocess
    path = tmp_path / "cell.py"
    path.write_text(source)
    python = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
    expected = python.stderr.replace(f'File "{path}"', 'File "<cell 1>"')
    assert run(source, name="cell 1").text == expected


def test_traceback_points_at_the_students_lines_and_hides_the_runner():
    source = "def f(a):\n    return a / 0\n\nprint('before')\nf(3)\n"
    result = run(source, name="cell 2")
    assert result.status == "error"
    assert result.text.startswith("before\nTraceback (most recent call last):\n")
    assert 'File "<cell 2>", line 5, in <module>\n    f(3)\n' in result.text
    assert 'File "<cell 2>", line 2, in f\n    return a / 0\n' in result.text
    assert result.text.endswith("ZeroDivisionError: division by zero\n")
    assert "cell_runner.py" not in result.text
    assert "@" not in result.text  # the unique internal file name is not shown


def test_functions_from_earlier_cells_keep_their_own_lines():
    ns = {}
    run("def boom():\n    raise ValueError('bad value')", ns, name="cell 1")
    text = run("x = 1\nboom()", ns, name="cell 2").text
    assert 'File "<cell 2>", line 2, in <module>\n    boom()\n' in text
    assert 'File "<cell 1>", line 2, in boom\n    raise ValueError(\'bad value\')\n' in text


def test_two_sessions_with_the_same_cell_name_do_not_mix_sources():
    a, b = {}, {}
    run("def f():\n    return 1 / 0", a, name="cell 1")
    run("x = 'something else'\ny = 2", b, name="cell 1")
    assert "return 1 / 0" in run("f()", a, name="cell 2").text


def test_library_frames_are_hidden_by_default_and_shown_on_request():
    source = "import json\njson.loads('{')"
    short = run(source).text
    assert "json/decoder.py" not in short and "JSONDecodeError" in short
    full = run(source, frames="all").text
    assert "decoder.py" in full


def test_chained_exceptions_are_shown_like_python():
    text = run("try:\n    1/0\nexcept Exception as e:\n    raise ValueError('bad') from e").text
    assert "ZeroDivisionError" in text
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.endswith("ValueError: bad\n")


def test_system_exit_and_errors_in_repr_do_not_escape():
    assert "SystemExit: 3" in run("import sys\nsys.exit(3)").text
    text = run("class A:\n    def __repr__(self):\n        raise RuntimeError('no repr')\nA()").text
    assert "RuntimeError: no repr" in text


def test_input_gets_end_of_file_instead_of_blocking():
    assert "EOFError" in run("input('name? ')").text


def test_cell_code_does_not_inherit_the_runners_future_imports():
    # cell_runner.py has `from __future__ import annotations`; a cell must not.
    assert run("def f(x: int): pass\nf.__annotations__").text == "{'x': <class 'int'>}\n"


def test_output_is_capped_with_a_visible_note():
    result = run("for i in range(100000):\n    print('x' * 50)", max_output=10_000)
    assert result.truncated
    assert len(result.text) < 10_500
    assert "[output truncated" in result.text
    assert result.status == "ok"


def test_traceback_shows_even_past_the_cap():
    text = run("print('x' * 5000)\n1/0", max_output=1000).text
    assert "ZeroDivisionError" in text and "[output truncated" in text


def test_other_threads_keep_printing_to_the_real_stream(capsys):
    runner = CellRunner()
    runner.start("import time\nprint('cell')\ntime.sleep(0.3)")
    time.sleep(0.1)
    print("from the page's thread")  # while the cell runs in its worker thread
    assert runner.wait(2).text == "cell\n"
    assert "from the page's thread" in capsys.readouterr().out


def test_time_limit_stops_a_runaway_loop():
    started = time.perf_counter()
    result = run("while True:\n    pass", time_limit_s=0.3)
    assert time.perf_counter() - started < 2
    assert result.status == "interrupted"
    assert "KeyboardInterrupt: the cell ran longer than its time limit of 0.3 s" in result.text


def test_runner_interrupts_while_true_pass_within_a_second():
    runner = CellRunner()
    assert runner.start("while True: pass")
    time.sleep(0.2)
    assert runner.running
    asked = time.perf_counter()
    assert runner.interrupt()
    result = runner.wait(1.0)
    assert time.perf_counter() - asked < 1.0
    assert result is not None and result.status == "interrupted"
    assert result.text.endswith("KeyboardInterrupt\n")
    assert 'File "<cell 1>", line 1, in <module>' in result.text
    # the runner is usable again, and tracing still works in this thread afterwards
    runner.start("print('again')")
    assert runner.wait(2).text == "again\n"
    assert run("while True:\n    pass", time_limit_s=0.2).status == "interrupted"


def test_runner_streams_partial_output_and_refuses_a_second_run():
    runner = CellRunner()
    runner.start("import time\nprint('first')\ntime.sleep(0.5)\nprint('second')")
    deadline = time.time() + 2
    while "first" not in runner.partial_text() and time.time() < deadline:
        time.sleep(0.02)
    assert runner.partial_text() == "first\n"
    assert runner.start("print('no')") is False
    assert runner.wait(2).text == "first\nsecond\n"
    assert runner.count == 1


def test_interrupt_when_idle_does_nothing():
    runner = CellRunner()
    assert runner.interrupt() is False
    runner.start("x = 1")
    runner.wait(2)
    assert runner.interrupt() is False


def test_synchronous_runner_uses_the_interrupt_hook():
    calls = []
    runner = CellRunner(threaded=False, interrupt_hook=lambda: calls.append(1) or True)
    runner.start("print(1)")
    assert runner.result.text == "1\n"  # done when start() returns
    assert runner.interrupt() is True and calls == [1]
    assert CellRunner(threaded=False).interrupt() is False


def test_cells_are_numbered_like_jupyter():
    runner = CellRunner(threaded=False)
    runner.start("1")
    runner.start("1/0")
    assert 'File "<cell 2>"' in runner.result.text
    assert runner.count == 2


def test_unnumbered_runs_keep_their_name():
    # a notebook of cells names each after its place, whatever its run count
    runner = CellRunner(threaded=False, name="cell 4", numbered=False)
    runner.start("1")
    runner.start("1/0")
    assert 'File "<cell 4>", line 1' in runner.result.text and runner.count == 2


def test_on_done_gets_the_result():
    got = []
    runner = CellRunner()
    runner.start("print('done')", on_done=got.append)
    runner.wait(2)
    deadline = time.time() + 1
    while not got and time.time() < deadline:
        time.sleep(0.01)
    assert got and got[0].text == "done\n"


def test_format_exception_of_a_host_exception_keeps_library_frames_when_asked():
    try:
        int("x")
    except ValueError as exc:
        assert format_exception(exc, frames="all").endswith(
            "ValueError: invalid literal for int() with base 10: 'x'\n")


def test_bad_frames_argument_is_a_programming_error():
    with pytest.raises(ValueError):
        run("1", frames="some")


def test_stdout_router_passes_through_outside_cells():
    run("1")
    assert sys.stdout.writable()
