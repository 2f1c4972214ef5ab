"""python -m playground.backend --host 127.0.0.1 --port 8765 [--device auto|cuda|cpu]
    [--token T | --token-file F] [--allow-origin URL ...] [--allow-code]"""
import argparse
import sys
from pathlib import Path

from .settings import CodeLimits, Settings, SettingsError, new_token, read_token_file


def make_parser():
    p = argparse.ArgumentParser(
        prog="python -m playground.backend",
        description="Serve the playground's experiments on real PyTorch (CUDA when present).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: "
                   "127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--device", default="auto", choices=("auto", "cuda", "cpu"),
                   help="auto: CUDA when torch finds a GPU, else the CPU")
    token = p.add_mutually_exclusive_group()
    token.add_argument("--token", help="the bearer token (visible in the process list: "
                       "prefer --token-file)")
    token.add_argument("--token-file", type=Path, help="a file whose first line is the token")
    p.add_argument("--allow-origin", action="append", default=[], metavar="URL",
                   help="a page origin allowed to call the API from the browser (CORS), e.g. "
                        "https://course.example.org; repeat for more")
    p.add_argument("--allow-code", action="store_true",
                   help="enable POST /v1/run: scratchpad cells on real torch, in a limited "
                        "child process")
    p.add_argument("--rate-limit", type=int, default=600, metavar="N",
                   help="requests per token per minute (default 600)")
    p.add_argument("--burst", type=int, default=60, help="requests at once (default 60)")
    p.add_argument("--queue", type=int, default=8,
                   help="jobs that may wait behind the running one (default 8)")
    p.add_argument("--job-timeout", type=float, default=60.0, metavar="S",
                   help="stop an experiment after S seconds (default 60)")
    p.add_argument("--code-cpu", type=int, default=10, metavar="S",
                   help="CPU seconds a cell may use (default 10)")
    p.add_argument("--code-wall", type=float, default=15.0, metavar="S",
                   help="seconds a cell may run (default 15)")
    p.add_argument("--code-memory", type=int, default=2048, metavar="MB",
                   help="memory a cell may use (default 2048)")
    return p


def settings_from(args) -> tuple[Settings, str]:
    if args.token_file:
        token, origin = read_token_file(args.token_file), f"from {args.token_file}"
    elif args.token:
        token, origin = args.token, "from --token"
    else:
        token, origin = new_token(), "generated"
    settings = Settings(
        token=token, device=args.device, allow_origins=tuple(args.allow_origin),
        allow_code=args.allow_code, rate_per_minute=args.rate_limit, burst=args.burst,
        queue=args.queue, job_timeout_s=args.job_timeout,
        code=CodeLimits(cpu_s=args.code_cpu, wall_s=args.code_wall,
                        memory_mb=args.code_memory))
    return settings, origin


def main(argv=None):
    args = make_parser().parse_args(argv)
    try:
        settings, origin = settings_from(args)
        import uvicorn

        from .app import create_app
        app = create_app(settings)
    except SettingsError as exc:
        print(f"playground backend: error: {exc}", file=sys.stderr)
        return 2
    b = app.state.backend
    where = f"cuda ({b.gpu['name']}, {b.gpu['memory_bytes'] / 2 ** 30:.1f} GiB)" \
        if b.gpu else "cpu" + ("" if args.device == "cpu" else " (torch finds no CUDA device)")
    print(f"playground backend: torch {b.torch.__version__} on {where}", flush=True)
    print(f"  url:     http://{args.host}:{args.port}/  (API docs at /docs)", flush=True)
    print(f"  token:   {settings.token}  ({origin})", flush=True)
    print(f"  origins: {', '.join(settings.allow_origins) or 'none (no browser page may call)'}"
          f"; code: {'allowed' if settings.allow_code else 'not allowed'}", flush=True)
    if args.token:
        print("  note: a token given with --token is visible in the process list; "
              "--token-file keeps it private", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
