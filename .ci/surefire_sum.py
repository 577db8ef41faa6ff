#!/usr/bin/env python3
"""Sums surefire XML reports of the named modules into one line `Tests: N passed, N failed, N skipped`.

Exit status 1 if any test failed or errored, if no test ran at all, or if a named module produced no
report (a module whose tests silently did not run is a failure, not a pass).
"""
import glob
import sys
import xml.etree.ElementTree as ET

modules = sys.argv[1:]
total = failed = skipped = 0
problems = []
for module in modules:
    reports = glob.glob(f"{module}/target/surefire-reports/TEST-*.xml")
    if not reports:
        problems.append(f"module {module} produced no surefire report")
        continue
    for report in reports:
        try:
            root = ET.parse(report).getroot()
        except ET.ParseError as e:
            problems.append(f"unreadable report {report}: {e}")
            continue
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for s in suites:
            t = int(s.get("tests", 0))
            f = int(s.get("failures", 0)) + int(s.get("errors", 0))
            k = int(s.get("skipped", 0))
            total += t
            failed += f
            skipped += k
            if f:
                for case in s.findall("testcase"):
                    if case.find("failure") is not None or case.find("error") is not None:
                        problems.append(f"failed: {case.get('classname')}.{case.get('name')}")
passed = total - failed - skipped
if total == 0:
    problems.append("zero tests ran")
for p in problems:
    print(p)
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if problems else 0)
