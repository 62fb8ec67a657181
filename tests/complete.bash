# bash tests/complete.bash SCRIPT LINE
#
# Completes LINE, with the cursor at its end, as bash does on TAB: sources
# bash-completion and SCRIPT, splits LINE into COMP_WORDS the way readline
# does (at blanks, and around the word-break characters = and :), sets
# COMP_LINE, COMP_POINT and COMP_CWORD, calls the function that SCRIPT
# registered with "complete -F" for LINE's first word, and prints the
# candidates (COMPREPLY), sorted, one per line.  Exits 77 if
# bash-completion is not installed.
script=$1
line=$2

bash_completion=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
if [[ ! -r $bash_completion ]]; then
    echo "bash-completion is not installed ($bash_completion)" >&2
    exit 77
fi
. "$bash_completion"
. "$script"

COMP_WORDS=()
word= in_word=
for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    case $c in
        ' ')
            [[ -n $in_word ]] && COMP_WORDS+=("$word")
            word= in_word= ;;
        [=:])
            [[ -n $in_word && $word != *[=:] ]] && { COMP_WORDS+=("$word"); word=; }
            word+=$c in_word=yes ;;
        *)
            [[ -n $in_word && $word == *[=:] ]] && { COMP_WORDS+=("$word"); word=; }
            word+=$c in_word=yes ;;
    esac
done
COMP_WORDS+=("$word")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
COMP_TYPE=9
COMP_KEY=9

spec=$(complete -p "${COMP_WORDS[0]}") || exit 1
func=${spec#*-F }
func=${func%% *}
COMPREPLY=()
"$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
        "${COMP_WORDS[COMP_CWORD - 1]}"
if ((${#COMPREPLY[@]})); then
    printf '%s\n' "${COMPREPLY[@]}" | sort
fi
