#!/usr/bin/python3
"""Checks the deployment files against the executables they run, without a container engine.

  check_deploy.py <source dir> <build dir>

- Every Relais command in the compose file and the Kubernetes manifests is run with its arguments and
  --help: an unknown flag or a bad value makes the executable exit 2, so a typo fails here.
- Every RELAIS_* variable they set names an option of the executables that receive it, and every
  --*-target a process accepts is given (its loopback default reaches nothing in a container).
- Every shared library the executables link comes from a package the runtime image installs (or one
  of its dependencies), so the image starts.
- Every file the Dockerfile copies exists; promtool accepts the Prometheus configurations.
Prints one line per failure and exits 1 if there is any.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

SRC, BUILD = sys.argv[1], sys.argv[2]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL " + message)


def executables():
    found = {}
    for root, _, files in os.walk(os.path.join(BUILD, "services")):
        for f in files:
            path = os.path.join(root, f)
            if f.startswith("relais") and os.access(path, os.X_OK) and "CMakeFiles" not in root:
                found[f] = path
    return found


BINARIES = executables()


def options_of(binary):
    out = subprocess.run([BINARIES[binary], "--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"--([a-z0-9-]+)", out))


def check_command(where, command, env):
    if not command or not command[0].startswith("relais"):
        return
    binary = command[0]
    if binary not in BINARIES:
        fail(f"{where}: {binary} is not an executable of the build")
        return
    run = subprocess.run([BINARIES[binary]] + command[1:] + ["--help"], capture_output=True, text=True,
                         env={"PATH": os.environ.get("PATH", "")})
    if run.returncode != 0:
        fail(f"{where}: {' '.join(command)} is refused: {run.stderr.strip()}")
    options = options_of(binary)
    # In a container the default targets (loopback) reach nothing: every service a process talks to
    # must be named.
    for option in sorted(o for o in options if o.endswith("-target")):
        if f"--{option}" not in command and f"RELAIS_{option.upper().replace('-', '_')}" not in env:
            fail(f"{where}: {binary} is not given --{option}")
    for name in env:
        if not name.startswith("RELAIS_"):
            continue
        option = name[len("RELAIS_"):].lower().replace("_", "-")
        if option not in options:
            fail(f"{where}: {name} names no option of {binary}")


def check_compose():
    path = os.path.join(SRC, "deploy/compose/compose.yaml")
    compose = yaml.safe_load(open(path))
    services = compose["services"]
    for name, service in services.items():
        check_command(f"compose {name}", service.get("command", []), service.get("environment", {}) or {})
        for target in re.findall(r"([a-z]+):\d+", " ".join(map(str, service.get("command", [])))):
            if target not in services and target != "0.0.0.0":
                fail(f"compose {name}: {target} is not a service of the compose file")
    return services


def check_kubernetes():
    config = {}
    containers = []
    for f in ("redis.yaml", "services.yaml", "prometheus.yaml"):
        for doc in yaml.safe_load_all(open(os.path.join(SRC, "deploy/k8s", f))):
            if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "relais":
                config = doc["data"]
            if doc["kind"] in ("Deployment", "StatefulSet"):
                for c in doc["spec"]["template"]["spec"]["containers"]:
                    containers.append((f"k8s {doc['metadata']['name']}/{c['name']}", c))
    for where, c in containers:
        env = dict(config) if any("configMapRef" in e and e["configMapRef"]["name"] == "relais"
                                  for e in c.get("envFrom", [])) else {}
        env.update({e["name"]: "x" for e in c.get("env", [])})
        check_command(where, c.get("command", []), env)


def check_image_libraries():
    dockerfile = open(os.path.join(SRC, "deploy/docker/Dockerfile")).read()
    for source in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
        if source != "." and not os.path.exists(os.path.join(SRC, source)):
            fail(f"Dockerfile copies {source}, which does not exist")
    runtime = dockerfile.split("AS runtime", 1)[1].split("FROM ", 1)[0]
    listed = re.findall(r"\b(lib[a-z0-9.+-]+|ca-certificates)\b", runtime.split("--no-install-recommends", 1)[1].split("&&", 1)[0])
    deps = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                           "--no-breaks", "--no-replaces", "--no-enhances"] + listed,
                          capture_output=True, text=True).stdout
    available = {line.strip() for line in deps.splitlines() if not line.startswith(" ")} | set(listed)
    needed = set()
    for binary in ("relais", "relais-gateway", "relais-monitoring", "relais-report", "relais-admin"):
        if binary not in BINARIES:
            continue
        ldd = subprocess.run(["ldd", BINARIES[binary]], capture_output=True, text=True).stdout
        for lib in re.findall(r"=> (\S+)", ldd):
            owner = subprocess.run(["dpkg", "-S", os.path.realpath(lib)], capture_output=True, text=True).stdout
            if owner:
                needed.add(owner.split(":")[0])
    for package in sorted(needed - available):
        fail(f"the runtime image lacks {package}, which the executables link")


def check_prometheus():
    promtool = shutil.which("promtool")
    if not promtool:
        fail("promtool not found (deploy/install-deps.sh installs it)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        # compose: the configuration beside the rules, as mounted in the container
        shutil.copy(os.path.join(SRC, "deploy/compose/prometheus.yml"), os.path.join(tmp, "prometheus.yml"))
        shutil.copy(os.path.join(SRC, "deploy/prometheus/alerts.yml"), os.path.join(tmp, "alerts.yml"))
        # Kubernetes: the ConfigMap's configuration one folder below the image's rules
        os.mkdir(os.path.join(tmp, "config"))
        for doc in yaml.safe_load_all(open(os.path.join(SRC, "deploy/k8s/prometheus.yaml"))):
            if doc["kind"] == "ConfigMap":
                open(os.path.join(tmp, "config", "prometheus.yml"), "w").write(doc["data"]["prometheus.yml"])
        for config in ("prometheus.yml", "config/prometheus.yml"):
            run = subprocess.run([promtool, "check", "config", os.path.join(tmp, config)], capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"promtool refuses {config}: {run.stdout.strip()} {run.stderr.strip()}")


# Control: the checker must catch a flag no executable has.
check_command("control", ["relais-beds", "--no-such-flag", "1"], {"RELAIS_NO_SUCH_OPTION": "1"})
check_command("control", ["relais-dispatch"], {})  # no --beds-target
if len(failures) != 3:
    print("the checker missed a wrong flag, variable or missing target in its control")
    sys.exit(1)
failures.clear()
print("control caught, as it must")

check_compose()
check_kubernetes()
check_image_libraries()
check_prometheus()
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
