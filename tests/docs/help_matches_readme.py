#!/usr/bin/env python3
"""The options each command's --help prints are the options README.md documents for it.

help_matches_readme.py POLICYPROBE README.md

`scan`: the rows of the "### `scan` options" table. Every other command: the options in its row
of the "### Commands" table (`rules list` / `rules lint` / `rules explain` each count as a command
there). -h/--help is left out on both sides: the README says once that every command has it.
"""
import re
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")


def help_options(pp, command):
    out = subprocess.run([pp, *command, "--help"], capture_output=True, text=True, check=True).stdout
    found = set()
    for line in out.splitlines():
        # Option lines start with two spaces and a dash; descriptions sit in the column after.
        m = re.match(r"^  (-\S+(?:,\S+)*)", line)
        if m:
            found.update(OPTION.findall(m.group(1)))
    return found - {"-h", "--help"}


def section(text, heading):
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start:end if end != -1 else len(text)]


def table_first_cells(text):
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            yield line.split("|")[1]


def main():
    pp, readme_path = sys.argv[1], sys.argv[2]
    readme = open(readme_path, encoding="utf-8").read()
    documented = {}
    scan = set()
    for cell in table_first_cells(section(readme, "### `scan` options")):
        scan.update(OPTION.findall(cell))
    documented[("scan",)] = scan
    for cell in table_first_cells(section(readme, "### Commands")):
        # A cell may hold several commands: `rules list` / `rules lint [PATH...]` / ...
        for usage in re.findall(r"`([^`]+)`", cell):
            words = usage.split()
            command = tuple(w for w in words[:2] if re.fullmatch(r"[a-z]+", w))
            if command[0] != "rules":
                command = command[:1]
            if command == ("scan",):
                continue  # its own table
            documented.setdefault(command, set()).update(OPTION.findall(usage))
    failures = 0
    for command, in_readme in sorted(documented.items()):
        in_help = help_options(pp, list(command))
        name = " ".join(command)
        if in_help == in_readme:
            print(f"ok   {name}: {len(in_help)} options")
            continue
        failures += 1
        if in_help - in_readme:
            print(f"FAIL {name}: in --help, not in README.md: {sorted(in_help - in_readme)}")
        if in_readme - in_help:
            print(f"FAIL {name}: in README.md, not in --help: {sorted(in_readme - in_help)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
