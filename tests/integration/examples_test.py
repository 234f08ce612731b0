#!/usr/bin/env python3
"""The Kubernetes example runs an image this repository builds: every `image:` of
ci/examples/kubernetes/fleet-scan.yaml is the tag ci/examples/kubernetes/Dockerfile documents,
at the project's version; the Dockerfile's runtime stage installs the Debian package of every
shared library the built binary needs (dpkg -S on this Debian build host); its build stage
installs `cmake --install`'s output and its COPY lines name directories that exist.

usage: examples_test.py POLICYPROBE SOURCE_DIR
Exit 77 (skipped) without objdump or dpkg.
"""
import os
import re
import shutil
import subprocess
import sys

pp, src = sys.argv[1:3]
if not shutil.which("objdump") or not shutil.which("dpkg"):
    print("objdump or dpkg missing: skipped")
    sys.exit(77)
kdir = os.path.join(src, "ci", "examples", "kubernetes")
dockerfile = open(os.path.join(kdir, "Dockerfile")).read()
manifest = open(os.path.join(kdir, "fleet-scan.yaml")).read()
version = re.search(r"project\(policyprobe VERSION ([0-9.]+)", open(os.path.join(src, "CMakeLists.txt")).read()).group(1)
failures, passes = [], 0


def check(ok, what):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(what)


tags = set(re.findall(r"docker build -f ci/examples/kubernetes/Dockerfile -t (\S+)", dockerfile))
images = set(re.findall(r"^\s*image:\s*(\S+)", manifest, re.M))
check(len(tags) == 1 and images == tags, f"fleet-scan.yaml images {images} != the Dockerfile's tag {tags}")
check(all(t.endswith(":" + version) for t in tags), f"image tag {tags} is not the project version {version}")
check("cmake --install" in dockerfile and "/install/usr/local/" in dockerfile, "the image is not made by cmake --install")
for path in re.findall(r"^COPY (?!--)(\S+) ", dockerfile, re.M):
    check(os.path.exists(os.path.join(src, path)), f"Dockerfile copies {path}, which does not exist")

stages = dockerfile.split("\nFROM ")
runtime = stages[-1]
check(runtime.startswith("debian:12"), f"runtime stage is not Debian 12: {runtime.splitlines()[0]}")
installed = set(re.findall(r"\b(lib[a-z0-9+.-]+|ca-certificates)\b", runtime))
base = {"libc6", "libstdc++6", "libgcc-s1"}  # in every Debian 12 image
needed = re.findall(r"NEEDED\s+(\S+)", subprocess.run(["objdump", "-p", pp], capture_output=True, text=True).stdout)
check(bool(needed), "objdump found no NEEDED entries")
# A sanitizer build links its runtimes (libasan, libubsan, ...); the image builds its own release
# binary, which does not.
SANITIZER_RUNTIMES = re.compile(r"^lib(asan|ubsan|lsan|tsan|hwasan)\.so")
for soname in needed:
    if SANITIZER_RUNTIMES.match(soname):
        continue
    out = subprocess.run(["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True).stdout
    pkgs = {line.split(":")[0] for line in out.splitlines() if line}
    check(bool(pkgs & (installed | base)), f"{soname} (from {sorted(pkgs)}) is not installed in the runtime stage")

for f in failures:
    print("FAIL", f)
print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
