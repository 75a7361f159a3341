#!/usr/bin/python3
"""junit_cases.py REPORT.xml: a JUnit report as a real reader (junitparser,
Debian's python3-junitparser) takes it: per suite its name and counts, then
per case its classname, name, outcome and message; --text SUITE CASE prints
that case's failure text or output."""
import sys

from junitparser import Error, Failure, JUnitXml, Skipped


def outcome(case):
    for r in case.result:
        if isinstance(r, (Failure, Error, Skipped)):
            return type(r).__name__.lower(), r.message or "", r.text or ""
    return "passed", "", case.system_out or ""


def main():
    xml = JUnitXml.fromfile(sys.argv[1])
    if len(sys.argv) == 5 and sys.argv[2] == "--text":
        for suite in xml:
            for case in suite:
                if suite.name == sys.argv[3] and case.name == sys.argv[4]:
                    sys.stdout.write(outcome(case)[2])
        return
    print(f"all: tests={xml.tests} failures={xml.failures} skipped={xml.skipped}")
    for suite in xml:
        print(f"suite {suite.name}: tests={suite.tests} failures={suite.failures} "
              f"skipped={suite.skipped}")
        for case in suite:
            what, message, _ = outcome(case)
            print(f"  {case.classname} | {case.name} | {what} | {message}")


main()
