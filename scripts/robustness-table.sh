#!/usr/bin/env bash
# Prints the markdown table of the conditional-GAN attack sweep (docs/robustness.md) from the runs' metrics.csv.
#
# usage: scripts/robustness-table.sh [--round R] RUNS_DIR
#
# RUNS_DIR holds one run directory per (rule, attack), named RULE-clean, RULE-labelflip and RULE-backdoor, where RULE
# is fedavg, median, multikrum, rfa, trimmed, krum or normbound (other names are ignored). Each cell is read from the evaluation row
# (a row with an fid) at round R, or from the last evaluation row if --round is not given; a cell whose run has not
# reached that round says so, and a run that is missing or has no evaluation row yet shows "–".
# Cells: FID, cond_accuracy, recall (recall only if metrics.csv has it); the last column is backdoor_success at every
# evaluation of the backdoor run up to that round.
set -euo pipefail

round=""
if [[ "${1:-}" == "--round" ]]; then
    [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "--round needs a positive integer, got '${2:-}'" >&2; exit 2; }
    round=$2
    shift 2
fi
[[ $# -eq 1 ]] || { echo "usage: $0 [--round R] RUNS_DIR" >&2; exit 2; }
dir=$1
[[ -d "$dir" ]] || { echo "not a directory: $dir" >&2; exit 2; }

# awk program: prints "round<TAB>fid<TAB>cond_accuracy<TAB>recall<TAB>backdoor_success" for the chosen evaluation row,
# then one line "trend<TAB>r1=v1 / r2=v2 ..." of backdoor_success over the evaluation rows up to it.
read_row() {
    awk -F, -v want="$round" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        function get(name) { return (name in col) && col[name] <= NF ? $(col[name]) : "" }
        get("fid") == "" { next }
        want != "" && get("round") + 0 > want + 0 { exit }
        {
            r = get("round"); f = get("fid"); a = get("cond_accuracy"); rc = get("recall"); b = get("backdoor_success")
            if (b != "") trend = trend (trend == "" ? "" : " / ") sprintf("%.2f", b)
            if (b != "") trendRounds = trendRounds (trendRounds == "" ? "" : "/") r
        }
        END {
            if (r == "") exit
            printf "%s\t%s\t%s\t%s\t%s\n", r, f, a, rc, b
            printf "trend\t%s\t%s\n", trend, trendRounds
        }' "$1"
}

cell() {
    local csv="$dir/$1/metrics.csv"
    if [[ ! -f "$csv" ]]; then
        printf '–'
        return
    fi
    local out
    out=$(read_row "$csv")
    if [[ -z "$out" ]]; then
        printf '–'
        return
    fi
    local r f a rc
    IFS=$'\t' read -r r f a rc _ <<< "$(head -1 <<< "$out")"
    printf '%.1f, %.3f' "$f" "${a:-nan}"
    [[ -n "$rc" ]] && printf ', %.3f' "$rc"
    if [[ -n "$round" && "$r" != "$round" ]]; then
        printf ' (round %s only)' "$r"
    elif [[ -z "$round" ]]; then
        printf ' (r%s)' "$r"
    fi
}

trend() {
    local csv="$dir/$1/metrics.csv"
    [[ -f "$csv" ]] || { printf '–'; return; }
    local line
    line=$(read_row "$csv" | sed -n 2p)
    [[ -n "$line" ]] || { printf '–'; return; }
    local values rounds
    IFS=$'\t' read -r _ values rounds <<< "$line"
    if [[ -z "$values" ]]; then
        printf '–'
    else
        printf '%s (rounds %s)' "$values" "$rounds"
    fi
}

label() {
    case $1 in
        multikrum) printf 'multi-krum (f = 2)' ;;
        trimmed) printf 'trimmed-mean (β = 0.2)' ;;
        krum) printf 'krum (f = 2)' ;;
        normbound) printf 'norm-bound (M = 1)' ;;
        *) printf '%s' "$1" ;;
    esac
}

echo "| \`--aggregator\` | clean | 20 % label flip | 20 % backdoor | backdoor success at each evaluation |"
echo "|---|---|---|---|---|"
for rule in fedavg median multikrum rfa trimmed krum normbound; do
    compgen -G "$dir/$rule-*" > /dev/null || continue
    printf '| %s | %s | %s | %s | %s |\n' "$(label "$rule")" "$(cell "$rule-clean")" "$(cell "$rule-labelflip")" \
        "$(cell "$rule-backdoor")" "$(trend "$rule-backdoor")"
done
