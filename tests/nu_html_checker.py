"""The Nu Html Checker (vnu.jar, the W3C's HTML validator) run over saved HTML files.

The browser tests save every page they open as served (tests/e2e/conftest.py) and check them all
at the end with one run of the checker. `make install` puts vnu.jar under .venv/vnu (from npm's
`vnu-jar`; VNU_JAR names another copy); it needs Java 17 or newer.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(
    os.environ.get("VNU_JAR") or ROOT / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)

# Messages from markup we do not write and cannot change, each with why. Exact text only: a
# message here is dropped wherever it appears, so nothing broader than one message may be added.
NOT_OURS = {}


@dataclass(frozen=True)
class NuError:
    path: Path
    line: int | None
    column: int | None
    message: str
    extract: str


def unavailable():
    """Why the checker cannot run on this machine, or None if it can."""
    if shutil.which("java") is None:
        return (
            "Java is not installed, and the Nu Html Checker needs it "
            "(apt-get install default-jre-headless)"
        )
    if not VNU_JAR.is_file():
        return f"The Nu Html Checker is not installed at {VNU_JAR} (run `make install`)"
    return None


def check_files(paths):
    """Check HTML files in one run of the checker; return its errors (warnings are left out)."""
    paths = [Path(path).resolve() for path in paths]
    if not paths:
        return []
    # The checker reports nothing at all for a file that is not there.
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"No file to check at {', '.join(missing)}")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The report is written to standard error; the exit status is 1 when there are errors.
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(
            f"The Nu Html Checker gave no report (exit status {result.returncode}):\n"
            f"{result.stderr[-2000:]}{result.stdout[-2000:]}"
        ) from error
    errors = [
        NuError(
            path=Path(unquote(urlparse(message.get("url", "")).path)),
            line=message.get("lastLine"),
            column=message.get("firstColumn"),
            message=message["message"],
            extract=message.get("extract", ""),
        )
        # "error" is an error in the document; "non-document-error" one in reading it.
        for message in messages
        if message["type"] in ("error", "non-document-error") and message["message"] not in NOT_OURS
    ]
    if result.returncode != 0 and not errors and not messages:
        raise RuntimeError(
            f"The Nu Html Checker failed (exit status {result.returncode}):\n"
            f"{result.stderr[-2000:]}"
        )
    return errors
