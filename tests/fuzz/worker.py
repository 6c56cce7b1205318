"""Fuzz worker: analyse one case per request, in a process with bounded memory.

Run by ``harness.Worker``. It reads one JSON request per line on stdin and answers one JSON line
on stdout. Address space is capped with ``RLIMIT_AS`` (``GOVREPORT_FUZZ_MEMORY`` bytes) so a memory
blow-up shows as ``MemoryError`` instead of swapping the CI machine; the parent kills the process
when a case runs past its time bound. The model is loaded once, before the first case.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "corpora" / "real" / "000_1c9e8bbbf8b24faa.txt"


def _cap_memory() -> None:
    limit = int(os.environ.get("GOVREPORT_FUZZ_MEMORY", "0"))
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _answer(reply: dict) -> None:
    sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _analyse(request: dict) -> dict:
    from analyzer import analyze
    from analyzer.errors import InputError
    from analyzer.limits import Limits

    path = Path(request["path"])
    via = request.get("via", "bytes")
    if via == "file":
        source = path
    elif via == "text":
        source = path.read_bytes().decode("utf-8", "surrogatepass")  # pasted text may hold lone surrogates
    else:
        source = path.read_bytes()
    started = time.perf_counter()
    try:
        limits = replace(Limits.from_env(), **request.get("limits", {}))
        analysis = analyze(source, filename=None if via == "text" else request["filename"], limits=limits)
    except InputError as exc:
        return {"outcome": exc.code, "type": type(exc).__name__, "message": str(exc),
                "seconds": time.perf_counter() - started}
    except BaseException as exc:  # anything else is the bug the fuzzer looks for
        return {"outcome": "crash", "type": type(exc).__name__, "message": str(exc)[:500],
                "traceback": traceback.format_exc()[-4000:], "seconds": time.perf_counter() - started}
    texts = [p.text for p in analysis.paragraphs]
    reply = {"outcome": "result", "type": None, "message": "", "paragraphs": len(texts),
             "chars": sum(map(len, texts)), "converted_traditional": analysis.source.converted_traditional,
             "encoding": analysis.source.encoding, "seconds": time.perf_counter() - started}
    if request.get("return_text"):
        reply["text"] = "\n".join(texts)
    return reply


def _selftest(request: dict) -> dict:
    """Prove the harness's bounds work: sleep past the time bound, allocate past the memory cap, die."""
    if request["op"] == "sleep":
        time.sleep(request["seconds"])
        return {"outcome": "slept"}
    if request["op"] == "die":
        os._exit(3)
    try:
        block = bytearray(request["bytes"])
    except MemoryError:
        return {"outcome": "crash", "type": "MemoryError", "message": "allocation refused"}
    return {"outcome": "allocated", "size": len(block)}


def main() -> None:
    _cap_memory()
    if os.environ.get("GOVREPORT_FUZZ_WARM", "1") == "1":
        from analyzer import analyze

        analyze(SEED)  # load the model and the segmenter's dictionary before the first timed case
    _answer({"ready": True, "pid": os.getpid()})
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op", "analyze")
        _answer(_analyse(request) if op == "analyze" else _selftest(request))


if __name__ == "__main__":
    main()
