#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing, the lab, the benchmark and the
# demo need. Idempotent: when everything is installed it only checks and returns.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev clang-tidy
  libssl-dev libcurl4-openssl-dev libtomlplusplus-dev libpugixml-dev catch2 nlohmann-json3-dev
  libcli11-dev
  # the lab: real servers on loopback
  nginx-light dovecot-core dovecot-imapd dovecot-pop3d postfix slapd ldap-utils gnutls-bin
  inn2
  openssl curl ca-certificates python3 procps psmisc iproute2
  # peers for oracle tests and the benchmark
  nmap sslscan testssl.sh time
  # report consumers: JUnit reader, XML schema validation, headless browser
  python3-junitparser libxml2-utils chromium
  # SARIF validation against the official schema
  python3-jsonschema
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# postfix asks how to configure the system instance; the lab runs its own instance.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string lab.test" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
# inn2's post-install script stops when the host name does not resolve and inn.conf names no
# domain (containers); the lab runs its own nnrpd with its own inn.conf, so name one and finish.
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  if dpkg-query -W -f='${Status}' inn2 2>/dev/null | grep -q "half-configured\|unpacked"; then
    grep -q '^domain:' /etc/news/inn.conf || echo 'domain: localdomain' | $SUDO tee -a /etc/news/inn.conf >/dev/null
    $SUDO dpkg --configure inn2 >/dev/null || $SUDO dpkg --configure inn2 >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    exit 1
  fi
fi
echo "setup: done"
