#!/usr/bin/env bash
# The command line as a user meets it: every sub-command's --help, exit codes for usage
# errors, and positioned errors (file:line:column, exit 2, nothing scanned) for bad inputs.
set -u
pp="$(realpath "$1")"
src="$(realpath "$2")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"  # a command that writes where it should not writes here, not into the tree
fails=0
passes=0
check() {  # check NAME EXPECTED_EXIT PATTERN -- command...
  local name="$1" want="$2" pattern="$3"
  shift 4
  local out rc
  out="$("$@" 2>&1)"
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, wanted $want"; echo "$out" | head -5; fails=$((fails + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -5; fails=$((fails + 1)); return
  fi
  echo "ok   $name"; passes=$((passes + 1))
}

check "top-level help lists every command" 0 "scan.*rules.*facts|scan" -- "$pp" --help
for c in scan rules facts diff merge waivers history version; do
  check "$c --help" 0 "usage: policyprobe $c" -- "$pp" "$c" --help
  "$pp" --help | grep -q "^  $c " || { echo "FAIL --help misses $c"; fails=$((fails + 1)); }
done
check "no arguments is a usage error" 2 "usage" -- "$pp"
check "unknown command" 2 "unknown command 'frob'.*--help" -- "$pp" frob
check "unknown scan option" 2 "unknown option '--frob'" -- "$pp" scan https://h.invalid --frob
check "bad target URL" 2 "unknown scheme 'gopher'" -- "$pp" scan gopher://h.invalid
check "bad fail-on" 2 "not one of" -- "$pp" scan h.invalid --fail-on severe
check "version" 0 "^policyprobe [0-9]+\.[0-9]+\.[0-9]+" -- "$pp" version
check "facts prints the catalogue" 0 "tls.protocols +list +endpoint" -- "$pp" facts

printf 'schema = 1\n[[target]]\nname = "a"\nhost = "127.0.0.1"\nservices = ["https:1"]\nvdir = ["/owa"]\n' > "$tmp/typo.toml"
check "inventory typo: positioned error, exit 2" 2 "typo.toml:6:1: error: unknown key 'vdir'" -- "$pp" scan -i "$tmp/typo.toml"
printf 'schema = 1\n[[target]]\nname = "a\n' > "$tmp/syntax.toml"
check "inventory syntax error: positioned" 2 "syntax.toml:3:[0-9]+: error" -- "$pp" scan -i "$tmp/syntax.toml"
printf '<nmaprun>\n<host>\n<ports></host>\n</nmaprun>\n' > "$tmp/bad.xml"
check "nmap XML: positioned error" 2 "bad.xml:3:[0-9]+: error: malformed XML" -- "$pp" scan --nmap-xml "$tmp/bad.xml"
check "missing inventory file" 2 "/nonexistent.toml" -- "$pp" scan -i /nonexistent.toml

mkdir -p "$tmp/rules"
printf 'schema = 1\n[pack]\nid = "x"\ntitle = "x"\nversion = "1"\n[[rule]]\nid = "X-1"\ntitle = "t"\nseverity = "high"\nremediation = "r"\nall = [ { fact = "tls.protocolz", equals = true } ]\n' > "$tmp/rules/bad.toml"
check "rule lint: unknown fact, positioned" 2 "bad.toml:11:[0-9]+: error: .*tls.protocolz" -- "$pp" rules lint "$tmp/rules"
check "scan with a bad rule dir: exit 2 before scanning" 2 "bad.toml:11" -- "$pp" scan https://127.0.0.1:1 --rules "$tmp/rules"
check "shipped rules lint clean" 0 "no problems" -- "$pp" rules lint "$src/rules"
# The README's example rule must work as written: a new user starts from it.
mkdir -p "$tmp/readme-rule"
awk '/^## Writing a rule/{w=1} w&&/^```toml/{f=1;next} f&&/^```/{exit} f' "$src/rules/README.md" > "$tmp/readme-rule/example.toml"
check "rules/README.md example rule lints clean" 0 "no problems" -- "$pp" rules lint "$tmp/readme-rule"
check "rules/README.md example rule loads with --rules" 0 "ORG-001" -- "$pp" rules list --rules "$tmp/readme-rule"
check "rules list" 0 "rules$" -- "$pp" rules list
check "rules explain unknown id" 2 "no rule with id" -- "$pp" rules explain NOPE-999

# A scan of a port where nothing listens: every result is error, never pass; exit 3
# (the gate cannot be decided) and the JSON report is still written, whole.
check "unreachable target: exit 3, errors not passes" 3 "gate:" -- "$pp" scan https://127.0.0.1:1 --timeout 2 --json "$tmp/r.json" --junit "$tmp/r.xml" --fail-on info
if [ -f "$tmp/r.json" ] && ! grep -q '"status": *"pass"' "$tmp/r.json" && grep -q '"status": *"error"' "$tmp/r.json"; then
  echo "ok   unreachable target has error results and no pass"; passes=$((passes + 1))
else
  echo "FAIL unreachable target report"; fails=$((fails + 1))
fi
check "report into a missing directory: exit 2, says which path" 2 "/nonexistent-dir/r.json" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --json /nonexistent-dir/r.json


# Inputs that are not readable files: each says why, names the path, exit 2, nothing scanned.
mkdir -p "$tmp/adir" "$tmp/norules"
ln -s "$tmp/loop.toml" "$tmp/loop.toml"
printf 'not a rule\n' > "$tmp/norules/README.txt"
check "directory as inventory" 2 "adir: error: is a directory" -- "$pp" scan -i "$tmp/adir"
check "directory as waivers" 2 "adir: error: is a directory" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --waivers "$tmp/adir"
check "directory as baseline" 2 "adir: is a directory" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --baseline "$tmp/adir"
check "directory as a report to diff" 2 "adir: is a directory" -- "$pp" diff "$tmp/adir" "$tmp/adir"
check "symlink loop as inventory" 2 "loop.toml: error: too many levels of symbolic links" -- "$pp" scan -i "$tmp/loop.toml"
check "symlink loop as rules" 2 "loop.toml: error: too many levels of symbolic links" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --rules "$tmp/loop.toml"
check "symlink loop as waivers" 2 "loop.toml: error: too many levels of symbolic links" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --waivers "$tmp/loop.toml"
check "--rules DIR without a rule pack" 2 "no rule pack \(\*\.toml with \[\[rule\]\]\) in $tmp/norules" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --rules "$tmp/norules"
check "rules lint of a DIR without a rule pack" 2 "no rule pack" -- "$pp" rules lint "$tmp/norules"
# Size limits (README "Limits"): refused from the file's size, before a byte is parsed.
truncate -s 65M "$tmp/huge.json"
check "baseline over 64 MiB" 2 "huge.json: is 68157440 bytes, over the 64 MiB limit" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --baseline "$tmp/huge.json"
check "merge input over 64 MiB" 2 "over the 64 MiB limit" -- "$pp" merge "$tmp/huge.json" --json "$tmp/merged.json"
truncate -s 17M "$tmp/huge.toml"
check "inventory over 16 MiB" 2 "huge.toml: error: is 17825792 bytes, over the 16 MiB limit" -- "$pp" scan -i "$tmp/huge.toml"
check "waivers over 16 MiB" 2 "over the 16 MiB limit" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --waivers "$tmp/huge.toml"
rm -f "$tmp/huge.json" "$tmp/huge.toml"

# Arguments that can only fail after a scan are checked before it: exit 2 at once, with why.
# (A scan of port 1 would otherwise run and exit 3.)
check "--ca-file that does not exist" 2 "ca-file $tmp/no-ca.pem: no such file" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --ca-file "$tmp/no-ca.pem"
printf 'not a certificate\n' > "$tmp/not-ca.pem"
check "--ca-file without a PEM certificate" 2 "not-ca.pem: holds no PEM certificate" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --ca-file "$tmp/not-ca.pem"
check "report into a missing directory: refused before scanning" 2 "report /nonexistent-dir/r.json: directory /nonexistent-dir: no such file" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --junit "$tmp/ok.xml" --json /nonexistent-dir/r.json
[ ! -e "$tmp/ok.xml" ] || { echo "FAIL a refused scan still wrote a report"; fails=$((fails + 1)); }
check "report path that is a directory" 2 "report $tmp/adir: is a directory" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --json "$tmp/adir"
check "two reports on standard output" 2 "only one report can go to standard output" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --json - --sarif -
# One report on "-": standard output holds that report and nothing else; no file named "-".
"$pp" scan https://127.0.0.1:1 --timeout 1 --json - --junit r2.xml > stdout.json 2> stderr.txt
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/stdout.json" 2>/dev/null && [ ! -e "$tmp/-" ] \
   && grep -q "gate:" "$tmp/stderr.txt" && [ -s "$tmp/r2.xml" ]; then
  echo "ok   --json - writes the report alone to standard output"; passes=$((passes + 1))
else
  echo "FAIL --json -: stdout is not the report alone, or a file '-' was written"; head -c 300 "$tmp/stdout.json"; fails=$((fails + 1))
fi

# Waivers: a rule id that matches no rule is an error (nothing scanned); one that matches nothing
# in the scan is a warning (stderr and the JSON report); an expired one is reported even with -q.
waiver() {  # waiver RULE SUBJECT EXPIRES
  printf '[[waiver]]\nrule = "%s"\nsubject = "%s"\njustification = "accepted"\nexpires = %s\n' "$1" "$2" "$3"
}
{ echo 'schema = 1'; waiver TLS-001 '*' 2099-01-01; waiver TLS-9999 '*' 2099-01-01; } > "$tmp/w-unknown.toml"
check "waiver naming no known rule: positioned error, nothing scanned" 2 "w-unknown.toml:8:[0-9]+: error: waiver names rule 'TLS-9999'" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --waivers "$tmp/w-unknown.toml"
{ echo 'schema = 1'; waiver TLS-001 'no-such-host*' 2099-01-01; waiver 'TLS-*' '*' 2099-01-01; } > "$tmp/w-unused.toml"
check "waiver matching nothing in the scan: a warning" 3 "warning: .*w-unused.toml:2:1: waiver for rule 'TLS-001' on 'no-such-host\*' matches nothing" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --fail-on info --waivers "$tmp/w-unused.toml" --json "$tmp/w.json"
if python3 -c 'import json,sys; w=json.load(open(sys.argv[1]))["warnings"]; sys.exit(not (len(w) == 2 and "matches nothing" in w[1] and "schema 1" in w[0]))' "$tmp/w.json"; then
  echo "ok   the JSON report lists the old schema and the unused waiver under warnings"; passes=$((passes + 1))
else
  echo "FAIL the JSON report lacks the warning"; fails=$((fails + 1))
fi
{ echo 'schema = 1'; waiver 'TLS-*' '*' 2020-01-31; } > "$tmp/w-expired.toml"
check "expired waiver reported even with --quiet" 3 "warning: .*w-expired.toml:2:1: .*expired on 2020-01-31" -- "$pp" scan https://127.0.0.1:1 --timeout 1 -q --fail-on info --waivers "$tmp/w-expired.toml"
check "rules lint --waivers: unknown rule id" 2 "w-unknown.toml:8:[0-9]+: error: waiver names rule 'TLS-9999'" -- "$pp" rules lint --waivers "$tmp/w-unknown.toml"
check "rules lint --waivers: expired" 2 "w-expired.toml:2:1: error: .*expired on 2020-01-31" -- "$pp" rules lint --waivers "$tmp/w-expired.toml"
{ echo 'schema = 1'; waiver TLS-001 '*' 2025-02-30; } > "$tmp/w-date.toml"
check "rules lint --waivers: impossible date" 2 "w-date.toml:6:[0-9]+: error: .*date" -- "$pp" rules lint --waivers "$tmp/w-date.toml"
{ echo 'schema = 1'; waiver ORG-001 '*' 2099-01-01; } > "$tmp/w-org.toml"
check "rules lint --waivers: ids of the linted rule dir count" 0 "no problems" -- "$pp" rules lint "$tmp/readme-rule" --waivers "$tmp/w-org.toml"
check "rules lint --waivers: clean file" 0 "no problems" -- "$pp" rules lint --waivers "$tmp/w-unused.toml"
check "a schema 1 waivers file: read, with a warning naming it" 0 "warning: .*w-unused.toml: waivers file schema 1" -- "$pp" rules lint --waivers "$tmp/w-unused.toml"

# Accountable waivers (schema 2): owner, ticket, granted and expires on each; `waivers list`
# shows each one's state and gates on expiry with --fail-on-expiring.
waiver2() {  # waiver2 RULE SUBJECT GRANTED EXPIRES
  printf '[[waiver]]\nrule = "%s"\nsubject = "%s"\njustification = "accepted"\nowner = "ops lead"\nticket = "CHG-1"\ngranted = %s\nexpires = %s\n' "$1" "$2" "$3" "$4"
}
soon=$(date -u -d '+5 days' +%F)
{ echo 'schema = 2'; waiver2 TLS-001 '*' 2020-01-01 2099-01-01; waiver2 'TLS-*' 'no-such-host*' 2020-01-01 "$soon"; } > "$tmp/w2.toml"
{ echo 'schema = 2'; waiver TLS-001 '*' 2099-01-01; } > "$tmp/w2-owner.toml"
check "schema 2 waiver without owner: positioned error" 2 "w2-owner.toml:2:1: error: waiver is missing required key 'owner'" -- "$pp" rules lint --waivers "$tmp/w2-owner.toml"
check "waivers list: state, owner and ticket of each" 0 "expiring: TLS-\* on 'no-such-host\*'; expires $soon \(in 5 days\); owner ops lead; ticket CHG-1" -- "$pp" waivers list --waivers "$tmp/w2.toml"
check "waivers list --fail-on-expiring 7: exit 1" 1 "gate: 1 waiver expired or expiring within 7 days" -- "$pp" waivers list --waivers "$tmp/w2.toml" --fail-on-expiring 7
check "waivers list --fail-on-expiring 2: exit 0" 0 "1 active, 1 expiring within 2 days|2 active, 0 expiring" -- "$pp" waivers list --waivers "$tmp/w2.toml" --fail-on-expiring 2
check "waivers list --report: a waiver matching nothing" 0 "active, matching nothing: TLS-001|matching nothing: TLS-\*" -- "$pp" waivers list --waivers "$tmp/w2.toml" --report "$tmp/w.json"
check "waivers list: unknown verb" 2 "unknown waivers command 'show'" -- "$pp" waivers show --waivers "$tmp/w2.toml"
check "waivers list: bad waivers file" 2 "w2-owner.toml:2:1: error" -- "$pp" waivers list --waivers "$tmp/w2-owner.toml"

# history: reports of one scan give one run; a directory without reports, or a file that is
# not one, is a usage error.
check "history of one report" 0 "history: 1 run" -- "$pp" history "$tmp/w.json"
mkdir -p "$tmp/empty-dir"
check "history of a directory without reports" 2 "no JSON report" -- "$pp" history "$tmp/empty-dir"
check "history of a file that is no report" 2 "not valid JSON|not a policyprobe JSON report" -- "$pp" history "$tmp/w2.toml"

# --exchange-builds: a newer Exchange build table, checked before anything is scanned.
cp "$src/rules/knowledge/exchange-builds.toml" "$tmp/builds.toml"
check "rules lint: the shipped Exchange build table" 0 "no problems" -- "$pp" rules lint "$tmp/builds.toml"
printf '\n[[build]]\nbuild = "15.1.2176.9"\nproduct = "exchange-2099"\ncu = "CU19"\n' >> "$tmp/builds.toml"
n=$(wc -l < "$tmp/builds.toml")
check "rules lint: Exchange build table errors are positioned" 2 "builds.toml:$((n - 2)):9: error: duplicate build '15.1.2176.9'" -- "$pp" rules lint "$tmp/builds.toml"
check "rules lint: unknown product in the table" 2 "builds.toml:$((n - 1)):11: error: unknown product 'exchange-2099'" -- "$pp" rules lint "$tmp/builds.toml"
check "scan --exchange-builds with errors: exit 2, nothing scanned" 2 "builds.toml:$((n - 3)):[0-9]+: error: build is missing required key 'source'" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --exchange-builds "$tmp/builds.toml"
sed 's/^updated = .*/updated = 2020-01-01/' "$src/rules/knowledge/exchange-builds.toml" > "$tmp/old-builds.toml"
check "scan --exchange-builds older than the shipped table: a warning" 3 "warning: .*old-builds.toml \(updated 2020-01-01\) is older than the shipped" -- "$pp" scan https://127.0.0.1:1 --timeout 1 --exchange-builds "$tmp/old-builds.toml"

# --verbose: the evidence under each finding; without it, none.
check "scan -v shows evidence under findings" 3 "^      \| observed: https://127.0.0.1:1: connection refused" -- "$pp" scan https://127.0.0.1:1 --timeout 1 -v
if "$pp" scan https://127.0.0.1:1 --timeout 1 2>&1 | grep -q '^      | '; then
  echo "FAIL evidence printed without -v"; fails=$((fails + 1))
else
  echo "ok   no evidence lines without -v"; passes=$((passes + 1))
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
