"""Audit the installed dependencies with pip-audit, and say honestly what was checked.

pip-audit says "No known vulnerabilities found" and exits 0 when it could not look a single
package up (every one skipped, e.g. when its vulnerability service does not know them), and stops
with a traceback when the service cannot be reached. Here known vulnerabilities fail the run (exit
code 1); a package that could not be checked is listed as "not audited" with the reason, and the
run goes on (exit code 0): a machine without network must not fail CI, nor claim it audited.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

AUDIT_TIMEOUT_S = 300
MAX_REASON_CHARS = 300
EXIT_VULNERABLE = 1
# pip-audit's skip reason for our own package, which --skip-editable leaves out on purpose.
EDITABLE_SKIP = "distribution marked as editable"


def verdict(report: dict | None, failure: str = "") -> tuple[int, list[str]]:
    """Exit code and lines to print for pip-audit's JSON `report` (None when it wrote none; then
    `failure` says why)."""
    if report is None:
        return 0, [f"not audited: pip-audit could not check anything ({failure or 'no report'})"]
    dependencies = [
        dep for dep in report.get("dependencies", []) if not dep.get("skip_reason", "").startswith(EDITABLE_SKIP)
    ]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    audited = len(dependencies) - len(skipped)
    lines = [
        f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {', '.join(vuln['fix_versions']) or '-'})"
        for dep in vulnerable
        for vuln in dep["vulns"]
    ]
    reasons = sorted({dep["skip_reason"].split(":")[0] for dep in skipped})
    if audited == 0:
        lines.append(f"not audited: none of the {len(skipped)} packages could be checked ({'; '.join(reasons)})")
    else:
        lines.append(f"audited {audited} packages, {len(vulnerable) or 'none'} with known vulnerabilities")
        if skipped:
            names = ", ".join(dep["name"] for dep in skipped)
            lines.append(f"not audited: {names} ({'; '.join(reasons)})")
    return (EXIT_VULNERABLE if vulnerable else 0), lines


def run_pip_audit(*options: str) -> tuple[dict | None, str]:
    """pip-audit's JSON report of this environment (our own editable package left out), or None
    and the last line it wrote on stderr."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "-f", "json"]
        try:
            finished = subprocess.run(
                [*command, "-o", str(output), *options], capture_output=True, text=True, timeout=AUDIT_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return None, f"no answer within {AUDIT_TIMEOUT_S} s"
        try:
            return json.loads(output.read_text(encoding="utf-8")), ""
        except (FileNotFoundError, json.JSONDecodeError):
            lines = [line.strip() for line in finished.stderr.splitlines() if line.strip()]
            return None, (lines[-1] if lines else f"exit code {finished.returncode}")[:MAX_REASON_CHARS]


def main() -> int:
    code, lines = verdict(*run_pip_audit(*sys.argv[1:]))
    print("\n".join(f"pip-audit: {line}" for line in lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
