# bash completion for vsctl(8).                                -*- shell-script -*-
#
# Completes global and command options, command names, and for the bridge
# commands the names of existing bridges and ports (asked from the
# database with "vsctl --no-wait --timeout=2", silently skipped when the
# database cannot be reached).  Table names are completed for the
# database commands.

_vsctl_query()
{
    local db_opt=$1; shift
    vsctl $db_opt --no-wait --timeout=2 "$@" 2>/dev/null
}

_vsctl()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        COMPREPLY=()
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local global_opts="--db= --wait --no-wait --timeout= --retry --dry-run
        --format= --bare --no-headings --verbose --help --version"
    local cmd_opts="--may-exist --if-exists --with-iface --columns= --id=
        --all"
    local commands="init show add-br del-br list-br br-exists add-port
        del-port list-ports list-ifaces port-to-br iface-to-br list find
        get set add remove clear create destroy"
    local tables="Open_vSwitch Bridge Port Interface Controller Manager SSL"

    # Find the current command (after the last "--") and its arguments,
    # and remember a --db option.
    local i command= n_args=0 db_opt=
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --db=*) db_opt=${words[i]} ;;
            --) command=; n_args=0 ;;
            -*) ;;
            *)
                if [[ -z $command ]]; then
                    command=${words[i]}
                else
                    n_args=$((n_args + 1))
                fi
                ;;
        esac
    done

    case $cur in
        --format=*)
            COMPREPLY=($(compgen -P --format= -W "list table csv json" \
                         -- "${cur#--format=}"))
            return ;;
        -*)
            COMPREPLY=($(compgen -W "$global_opts $cmd_opts --" -- "$cur"))
            [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
            return ;;
    esac

    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi

    case $command in
        del-br|br-exists|list-ports|list-ifaces)
            [[ $n_args -eq 0 ]] && COMPREPLY=($(compgen -W \
                "$(_vsctl_query "$db_opt" list-br)" -- "$cur")) ;;
        add-br) ;;
        add-port)
            [[ $n_args -eq 0 ]] && COMPREPLY=($(compgen -W \
                "$(_vsctl_query "$db_opt" list-br)" -- "$cur")) ;;
        del-port|port-to-br)
            COMPREPLY=($(compgen -W "$(_vsctl_query "$db_opt" --bare \
                --columns=name list Port) $(_vsctl_query "$db_opt" list-br)" \
                -- "$cur")) ;;
        iface-to-br)
            COMPREPLY=($(compgen -W "$(_vsctl_query "$db_opt" --bare \
                --columns=name list Interface)" -- "$cur")) ;;
        list|find|get|set|add|remove|clear|create|destroy)
            if [[ $n_args -eq 0 ]]; then
                COMPREPLY=($(compgen -W "$tables" -- "$cur"))
            fi ;;
    esac
}

complete -F _vsctl vsctl
