#!/usr/bin/env bash
# Runs shellcheck (as bash, every severity) on each shell script of the project: every *.sh under
# packaging/, tests/ and resources/, and .ci/run. Prints PASS/FAIL per script with shellcheck's
# findings, then "N passed, M failed"; exits 1 on any finding.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

if ! command -v shellcheck >/dev/null; then
    echo "error: shellcheck is not installed; run packaging/install-dependencies.sh test" >&2
    exit 1
fi

scripts=()
while IFS= read -r -d '' file; do
    scripts+=("$file")
done < <(find packaging tests resources -type f -name '*.sh' -print0 | sort -z)
scripts+=(.ci/run)

passed=0
failed=0
offenders=()
for file in "${scripts[@]}"; do
    if findings=$(shellcheck --shell=bash --external-sources "$file" 2>&1); then
        echo "PASS $file"
        passed=$((passed + 1))
    else
        echo "FAIL $file"
        printf '%s\n' "$findings" | sed 's/^/    /'
        failed=$((failed + 1))
        offenders+=("$file")
    fi
done

if [[ $failed -gt 0 ]]; then
    echo "shellcheck findings in: ${offenders[*]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
