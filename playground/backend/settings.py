"""The backend's settings: one frozen object made from the command line (or by tests), handed
to `create_app(settings)`. Nothing here reads the environment behind the caller's back."""
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEVICES = ("auto", "cuda", "cpu")


class SettingsError(ValueError):
    """A setting that cannot work; the message says which and how to fix it."""


@dataclass(frozen=True)
class CodeLimits:
    """What one `POST /v1/run` cell may use (the child process is killed past them)."""
    cpu_s: int = 10              # CPU seconds (RLIMIT_CPU)
    wall_s: float = 15.0         # wall-clock seconds
    memory_mb: int = 2048        # address space / resident memory
    output_chars: int = 50_000   # printed characters kept ("[output truncated ...]" after)
    code_chars: int = 20_000     # size of the cell's source


@dataclass(frozen=True)
class Settings:
    token: str
    device: str = "auto"                     # auto | cuda | cpu
    allow_origins: tuple = ()                # CORS: the pages that may call the API
    allow_code: bool = False                 # enable POST /v1/run (student code, real torch)
    rate_per_minute: int = 600               # requests per token per minute ...
    burst: int = 60                          # ... with bursts up to this many
    queue: int = 8                           # jobs that may wait behind the running one
    job_timeout_s: float = 60.0              # an experiment is stopped past this
    max_body_bytes: int = 64 * 1024          # request bodies larger than this get 413
    code: CodeLimits = field(default_factory=CodeLimits)

    def __post_init__(self):
        if self.device not in DEVICES:
            raise SettingsError(f"--device must be one of {', '.join(DEVICES)} "
                                f"(got '{self.device}')")
        if len(self.token) < 16:
            raise SettingsError("the token must be at least 16 characters long; leave it out "
                                "to have one generated")
        for origin in self.allow_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise SettingsError(f"--allow-origin takes a page's origin such as "
                                    f"https://course.example.org (got '{origin}')")
        if self.queue < 0 or self.rate_per_minute < 1 or self.burst < 1:
            raise SettingsError("--queue must be 0 or more, --rate-limit and --burst 1 or more")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def read_token_file(path: Path) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SettingsError(f"cannot read the token file {path}: {exc.strerror}") from None
    if not token:
        raise SettingsError(f"the token file {path} is empty: put the token on its first line")
    return token
