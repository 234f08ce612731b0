#!/usr/bin/env python3
"""Every folder's `#include "..."` lines keep to the "May include" sentence of its README.

include_boundaries.py SOURCE_DIR [BUILD_DIR]

For each folder with a README.md (scanner/*, scanner/probes/*, reports), the sentence that starts
with "May include" names the folders of ours it may include, in backticks (`core`,
`probes/net/`, `probes/*`) or as "everything of ours". A folder may always include itself. An
include of another folder of ours that the sentence does not name fails, with file:line.
Test helpers (`tests/...`, `support/...`) may be included by *_test.cc files only. Third-party
and system headers (<...>) are not checked here: CMake links them PRIVATE per folder.

With BUILD_DIR, the build is held to the same lines: each library's PUBLIC include root holds
only a link to its own folder (pp_own_include_root in the top CMakeLists.txt), so the -I roots
of a folder's sources (compile_commands.json) reach only the folders it links; any of those the
README does not allow, or a root that exposes the whole tree, fails too.
"""
import json
import pathlib
import re
import shlex
import sys

SOURCES = (".h", ".cc", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folders(root):
    """Folder name as includes spell it (relative to scanner/, or `reports`) -> path."""
    out = {}
    for readme in sorted(root.glob("scanner/*/README.md")) + sorted(root.glob("scanner/probes/*/README.md")):
        out[readme.parent.relative_to(root / "scanner").as_posix()] = readme.parent
    out["reports"] = root / "reports"
    return out


def may_include(readme_text, known):
    """The folders of ours the README allows, or None when it has no "May include" sentence."""
    m = re.search(r"May include:?\s*(.*?)(?:\.\s|\.$|\n\n)", readme_text, re.S)
    if not m:
        return None
    sentence = m.group(1)
    if "everything of ours" in sentence:
        return set(known) | {"rules"}
    allowed = set()
    for token in re.findall(r"`([^`]+)`", sentence):
        token = token.strip().rstrip("/")
        token = token[len("scanner/"):] if token.startswith("scanner/") else token
        if token.endswith("/*"):
            allowed.update(k for k in known if k.startswith(token[:-1]))
        elif token in known or token == "rules":
            allowed.add(token)
    return allowed


def owner(include, known):
    """The folder of ours an include names, or None (a file beside the includer)."""
    parts = include.split("/")
    for n in (2, 1):
        if len(parts) > n and "/".join(parts[:n]) in known:
            return "/".join(parts[:n])
    if parts[0] in ("rules", "tests", "support") and len(parts) > 1:
        return parts[0]
    return None


def build_roots(root, build, known, allowed_of):
    """With a build directory: the -I roots of each folder's sources (compile_commands.json) may
    hold only folders its README allows, so the compiler refuses what this script refuses. A
    root that is the source tree or scanner/ itself (every header reachable) is a problem."""
    db = json.loads((build / "compile_commands.json").read_text(encoding="utf-8"))
    by_path = {p.resolve(): n for n, p in known.items()}
    problems = []
    for entry in db:
        src = pathlib.Path(entry["file"]).resolve()
        if src.name.endswith("_test.cc") or build in src.parents or root not in src.parents:
            continue
        folder = next((by_path[p] for p in [src.parent, *src.parent.parents] if p in by_path), None)
        if folder is None:
            continue
        args = entry.get("arguments") or shlex.split(entry["command"])
        dirs = [a[2:] for a in args if a.startswith("-I") and len(a) > 2]
        for d in dirs:
            d = pathlib.Path(d)
            if not d.is_absolute():
                d = (pathlib.Path(entry["directory"]) / d)
            if d.resolve() in (root, root / "scanner"):
                problems.append(f"{src.relative_to(root)}: include root {d} exposes every folder")
                continue
            for link in [p for p in d.rglob("*") if p.is_symlink()] if build in d.parents else []:
                target = by_path.get(link.resolve())
                if target and target not in allowed_of[folder]:
                    problems.append(f"{src.relative_to(root)}: the build lets it include `{target}` "
                                    f"({link}), which {folder}/README.md does not list under May include")
    return sorted(set(problems))


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    known = folders(root)
    problems = []
    checked = 0
    allowed_of = {}
    for name, path in sorted(known.items()):
        readme = path / "README.md"
        allowed = may_include(readme.read_text(encoding="utf-8"), known)
        if allowed is None:
            problems.append(f"{readme.relative_to(root)}: no 'May include' sentence")
            continue
        allowed.add(name)
        allowed_of[name] = allowed
        inner = [p for n, p in known.items() if p != path and path in p.parents]
        for src in sorted(path.rglob("*")):
            if src.suffix not in SOURCES or any(d in src.parents for d in inner):
                continue  # a sub-folder with its own README answers to that README
            for lineno, line in enumerate(src.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                checked += 1
                target = owner(m.group(1), known)
                if target is None or target in allowed:
                    continue
                if target in ("tests", "support") and src.name.endswith("_test.cc"):
                    continue
                problems.append(f"{src.relative_to(root)}:{lineno}: includes \"{m.group(1)}\": "
                                f"{path.relative_to(root)}/README.md does not list `{target}` under May include")
    if len(sys.argv) > 2:
        build = pathlib.Path(sys.argv[2]).resolve()
        problems += build_roots(root, build, known, allowed_of)
    for p in problems:
        print(p)
    print(f"{checked} includes checked in {len(known)} folders, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
