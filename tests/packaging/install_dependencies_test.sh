#!/usr/bin/env bash
# Tests packaging/install-dependencies.sh with no network and no real package manager: a copy of
# the script runs beside a small test dependencies.txt, with a PATH made only of stand-ins for
# apt-get, dpkg-query, sudo and id plus links to the few real tools the script needs. The stand-ins
# log every apt-get and sudo command line (and the DEBIAN_FRONTEND apt-get sees) and each case
# checks that log line for line.
# Usage: install_dependencies_test.sh [SCRIPT]  (default: packaging/install-dependencies.sh; another
# path tests a modified copy). Prints PASS/FAIL per case, then "N passed, M failed"; exits 1 on any
# failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
script=${1:-$root/packaging/install-dependencies.sh}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset DEBIAN_FRONTEND

# Real tools the script (and the stand-ins' shebang) needs. Nothing else of the machine's PATH is
# visible, so neither a real sudo nor a real apt-get can be reached.
mkdir -p "$tmp/tools" "$tmp/bin" "$tmp/sudo-bin" "$tmp/pkg"
# grep too: earlier versions of the script used it, and a mutation check with one should fail for
# its own faults, not for a missing grep.
for tool in bash env dirname grep; do
    ln -s "$(command -v "$tool")" "$tmp/tools/$tool"
done

# The stand-ins find the state directory ($tmp) as the parent of their own directory.
cat >"$tmp/bin/apt-get" <<'EOF'
#!/usr/bin/env bash
state=${0%/*}/..
printf 'apt-get %s [DEBIAN_FRONTEND=%s]\n' "$*" "${DEBIAN_FRONTEND-<unset>}" >>"$state/calls.log"
if [[ -e "$state/fail-$1" ]]; then
    echo "E: stand-in apt-get $1 fails" >&2
    exit 100
fi
EOF
# Answers as dpkg-query -W -f='${Status}' does: installed for the packages in $state/installed.
cat >"$tmp/bin/dpkg-query" <<'EOF'
#!/usr/bin/env bash
state=${0%/*}/..
package=${*: -1}
while read -r line; do
    if [[ "$line" == "$package" ]]; then
        printf 'install ok installed'
        exit 0
    fi
done <"$state/installed"
echo "dpkg-query: no packages found matching $package" >&2
exit 1
EOF
cat >"$tmp/bin/id" <<'EOF'
#!/usr/bin/env bash
state=${0%/*}/..
if [[ "$*" != -u ]]; then
    echo "stand-in id: only -u is supported, got: $*" >&2
    exit 1
fi
read -r uid <"$state/uid"
echo "$uid"
EOF
# Like sudo with env_reset: the command sees only PATH of the caller's environment, unless -E.
cat >"$tmp/sudo-bin/sudo" <<'EOF'
#!/usr/bin/env bash
state=${0%/*}/..
printf 'sudo %s\n' "$*" >>"$state/calls.log"
if [[ "${1:-}" == -E ]]; then
    shift
    exec "$@"
fi
exec /usr/bin/env -i PATH="$PATH" "$@"
EOF
chmod +x "$tmp/bin/"* "$tmp/sudo-bin/sudo"

cp "$script" "$tmp/pkg/install-dependencies.sh"
chmod +x "$tmp/pkg/install-dependencies.sh"
# File order is not alphabetical, so the install line shows the script keeps it.
cat >"$tmp/pkg/dependencies.txt" <<'EOF'
# Test list: <package> <role>
zzz-build-dep build
cmake build

aaa-run-dep run
xvfb test
clang test
# Wanted only where the command is missing (npm comes with nodesource's nodejs, not as a package).
npm-dep test npm-cmd
EOF
# npm-cmd is on PATH in every case but one, so npm-dep is normally not wanted.
printf '#!/usr/bin/env bash\n' >"$tmp/tools/npm-cmd"
chmod +x "$tmp/tools/npm-cmd"

passed=0
failed=0
problems=()

# setup UID SUDO(yes|no) INSTALLED...: a fresh log; `id -u` answers UID; sudo on PATH or not.
setup() {
    local uid=$1 with_sudo=$2
    shift 2
    : >"$tmp/calls.log"
    rm -f "$tmp"/fail-*
    echo "$uid" >"$tmp/uid"
    printf '%s\n' "$@" >"$tmp/installed"
    path="$tmp/bin:$tmp/tools"
    if [[ $with_sudo == yes ]]; then
        path="$tmp/bin:$tmp/sudo-bin:$tmp/tools"
    fi
    problems=()
}

# run ARGS...: runs the copy; sets rc, output in $tmp/stdout and $tmp/stderr.
run() {
    rc=0
    PATH=$path "$tmp/pkg/install-dependencies.sh" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
}

# expect_calls: the log must equal stdin exactly.
expect_calls() {
    local expected got
    expected=$(cat)
    got=$(<"$tmp/calls.log")
    if [[ "$got" != "$expected" ]]; then
        problems+=("command lines differ; expected:" "${expected:-<none>}" "got:" "${got:-<none>}")
    fi
}
expect_rc() {
    [[ $rc -eq $1 ]] || problems+=("exit status $rc, expected $1")
}
expect_failure() {
    [[ $rc -ne 0 ]] || problems+=("exit status 0, expected non-zero")
}
expect_stderr_has() {
    [[ "$(<"$tmp/stderr")" == *"$1"* ]] || problems+=("stderr lacks: $1")
}
expect_no_output() {
    [[ ! -s "$tmp/stdout" ]] || problems+=("unexpected stdout")
    [[ ! -s "$tmp/stderr" ]] || problems+=("unexpected stderr")
}

# verdict NAME: prints PASS or FAIL (with the problems, stdout and stderr) and counts.
verdict() {
    if [[ ${#problems[@]} -eq 0 ]]; then
        echo "PASS $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1"
        printf '%s\n' "${problems[@]}" | sed 's/^/    /'
        echo "    stdout:"
        sed 's/^/      /' "$tmp/stdout"
        echo "    stderr:"
        sed 's/^/      /' "$tmp/stderr"
        failed=$((failed + 1))
    fi
}

setup 0 yes cmake xvfb
run build
expect_rc 0
expect_calls <<'EOF'
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
apt-get install -y -q --no-install-recommends zzz-build-dep aaa-run-dep [DEBIAN_FRONTEND=noninteractive]
EOF
verdict "(a) root, two packages missing: apt-get update and install run directly, no sudo"

setup 1000 yes cmake xvfb
run build
expect_rc 0
expect_calls <<'EOF'
sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends zzz-build-dep aaa-run-dep
apt-get install -y -q --no-install-recommends zzz-build-dep aaa-run-dep [DEBIAN_FRONTEND=noninteractive]
EOF
verdict "(b) user with sudo: the same apt-get commands through sudo, DEBIAN_FRONTEND passed on"

setup 0 yes zzz-build-dep cmake aaa-run-dep xvfb clang
run test
expect_rc 0
expect_calls </dev/null
expect_no_output
verdict "(c) root, everything installed: no apt-get or sudo call, no output, exit 0"

setup 1000 yes zzz-build-dep cmake aaa-run-dep xvfb clang
run test
expect_rc 0
expect_calls </dev/null
expect_no_output
verdict "(c2) user with sudo, everything installed: no call, no output, exit 0"

setup 1000 no cmake
run build
expect_rc 1
expect_calls </dev/null
expect_stderr_has "zzz-build-dep aaa-run-dep"
expect_stderr_has "run this script as root, or install sudo, or install them yourself"
expect_stderr_has "apt-get install zzz-build-dep aaa-run-dep"
[[ ! -s "$tmp/stdout" ]] || problems+=("unexpected stdout")
[[ $(wc -l <"$tmp/stderr") -eq 1 ]] || problems+=("stderr is not one line")
verdict "(d) user without sudo: one sentence naming the packages and how to install them, exit 1"

setup 0 yes zzz-build-dep cmake aaa-run-dep
run build
expect_rc 0
expect_calls </dev/null
expect_no_output
verdict "(e1) role filter: build does not install the missing test packages"

setup 0 yes zzz-build-dep cmake aaa-run-dep
run test
expect_rc 0
expect_calls <<'EOF'
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
apt-get install -y -q --no-install-recommends xvfb clang [DEBIAN_FRONTEND=noninteractive]
EOF
verdict "(e2) role filter: test installs the missing test packages"

setup 0 yes xvfb clang
run
expect_rc 0
expect_calls <<'EOF'
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
apt-get install -y -q --no-install-recommends zzz-build-dep cmake aaa-run-dep [DEBIAN_FRONTEND=noninteractive]
EOF
verdict "(e3) no argument means build: build and run packages only"

setup 0 yes cmake
touch "$tmp/fail-install"
run build
expect_failure
expect_calls <<'EOF'
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
apt-get install -y -q --no-install-recommends zzz-build-dep aaa-run-dep [DEBIAN_FRONTEND=noninteractive]
EOF
expect_stderr_has "error: apt-get install failed"
expect_stderr_has "zzz-build-dep aaa-run-dep"
verdict "(f) apt-get install fails: non-zero exit and a sentence saying so"

setup 1000 yes cmake
touch "$tmp/fail-update"
run build
expect_failure
expect_calls <<'EOF'
sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
EOF
expect_stderr_has "error: apt-get update failed"
verdict "(f2) apt-get update fails: nothing installed, non-zero exit and a sentence saying so"

setup 0 yes
run install
expect_rc 2
expect_calls </dev/null
expect_stderr_has "usage:"
verdict "(g) an unknown argument: usage on stderr, exit 2, nothing run"


setup 0 yes zzz-build-dep cmake aaa-run-dep xvfb clang
mv "$tmp/tools/npm-cmd" "$tmp/npm-cmd.away"
run test
mv "$tmp/npm-cmd.away" "$tmp/tools/npm-cmd"
expect_rc 0
expect_calls <<'EOF'
apt-get update -q [DEBIAN_FRONTEND=noninteractive]
apt-get install -y -q --no-install-recommends npm-dep [DEBIAN_FRONTEND=noninteractive]
EOF
verdict "(h) a package wanted for a command: installed only when the command is missing"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
