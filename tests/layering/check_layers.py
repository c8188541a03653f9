#!/usr/bin/env python3
"""Checks that every source file includes only from its own layer and the layers below it.

The layers (ARCHITECTURE.md): util -> time -> domain -> store / interchange -> actions -> cli.
A file's layer is its folder: src/core/<layer>/, include/followup/<layer>/, src/cli/ (cli).
- `#include <followup/<layer>/...>` must name an allowed layer;
- a quoted include must stay in the file's own folder tree (no "..", no other layer's folder);
- database client libraries (sqlite3.h, SQLiteCpp, libpq) only in store/.
Prints one line per violation and exits 1 when there is any; `--list` prints the files read.
"""
import os
import re
import sys

ALLOWED = {
    "util": {"util"},
    "time": {"util", "time"},
    "domain": {"util", "time", "domain"},
    "store": {"util", "time", "domain", "store"},
    "interchange": {"util", "time", "domain", "interchange"},
    "actions": {"util", "time", "domain", "store", "interchange", "actions"},
    "cli": {"util", "time", "domain", "store", "interchange", "actions"},
}
DATABASE = re.compile(r"^(sqlite3\.h|SQLiteCpp/|libpq-fe\.h|postgresql/)")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(rel):
    parts = rel.split("/")
    if parts[:2] == ["src", "core"] and len(parts) > 3:
        return parts[2]
    if parts[:2] == ["include", "followup"] and len(parts) > 3:
        return parts[2]
    if parts[:2] == ["src", "cli"]:
        return "cli"
    return None


def check(root):
    problems, files = [], []
    for top in ("src", "include"):
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".cpp", ".hpp", ".h")):
                    continue
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, root)
                layer = layer_of(rel)
                if layer is None:
                    if rel.startswith(("src/core/", "include/followup/")):
                        problems.append(f"{rel}: outside every layer folder")
                    continue
                if layer not in ALLOWED:
                    problems.append(f"{rel}: unknown layer '{layer}'")
                    continue
                files.append(rel)
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        kind, target = m.groups()
                        where = f"{rel}:{number}"
                        if kind == "<":
                            if target.startswith("followup/"):
                                parts = target.split("/")
                                if len(parts) < 3:
                                    problems.append(f"{where}: <{target}> is in no layer")
                                elif parts[1] not in ALLOWED[layer]:
                                    problems.append(
                                        f"{where}: {layer} may not include <{target}> "
                                        f"({parts[1]} is not below it)")
                            elif DATABASE.match(target) and layer != "store":
                                problems.append(f"{where}: only store/ may include <{target}>")
                        else:
                            if ".." in target.split("/"):
                                problems.append(f"{where}: \"{target}\" leaves its folder")
                            elif DATABASE.match(target) and layer != "store":
                                problems.append(f"{where}: only store/ may include \"{target}\"")
                            elif not os.path.exists(os.path.join(folder, target)) and not (
                                    layer == "store" and os.path.exists(
                                        os.path.join(root, "src/core/store", target))):
                                problems.append(f"{where}: \"{target}\" is not in its own folder")
    return problems, files


def main():
    root = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "."
    problems, files = check(root)
    if "--list" in sys.argv:
        print("\n".join(files))
    for p in problems:
        print(p)
    print(f"{len(files)} files checked, {len(problems)} layering violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
