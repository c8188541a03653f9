# bash completion for followup(1): commands, flags, kinds, channels and formats, and, from the
# database (through the hidden `followup __complete`), contact names, open follow-up ids with
# their titles, event names and referral ids. Self-contained: it needs no bash-completion
# helpers, though bash-completion loads it on demand from its completions folder.

_followup_commands="add due done snooze skip reopen chase undo todo promise log campaigns book
agenda referral referrals stats contacts show edit archive rm duplicates merge events event export
import sync doctor backup restore db member remind config"

# The flags of a command ("referral update" for a subcommand's).
_followup_flags() {
    case $1 in
    add) echo --company --title --email --phone --address --profile --via --event --met --tag \
        --note --plan --referred-by --birthday --every --new ;;
    due) echo --within --overdue --all --contact --kind --event --fail-if-overdue --count --format ;;
    done) echo --note --at --via ;;
    snooze) echo --until --for --agreed ;;
    skip) echo --reason ;;
    todo) echo --by --campaign --tag --event --stale ;;
    reopen) ;;
    chase) echo --via --note ;;
    undo) echo --list ;;
    campaigns) echo --format ;;
    book) echo --where --for --note ;;
    agenda) echo --within --format ;;
    promise) echo --by --theirs ;;
    log) echo --via --in --at --note --campaign --tag --event --stale ;;
    "referral receive") echo --from --prospect --note --new ;;
    "referral give") echo --to --prospect --note --new ;;
    "referral update") echo --status --amount --note --to --new ;;
    referrals) echo --given --received --open --chapter --since --format ;;
    stats) echo --since --format ;;
    contacts) echo --tag --event --archived --no-reply --stale --format ;;
    show) echo --format ;;
    edit) echo --name --company --title --email --phone --address --profile --remove-email \
        --remove-phone --remove-address --remove-profile --via --event --met --tag --untag --note \
        --birthday --every ;;
    archive) echo --undo ;;
    rm) echo --yes ;;
    duplicates) echo --format ;;
    events) echo --format ;;
    "event add") echo --on --where ;;
    export) echo --format --todo --vcard --vdir ;;
    import) echo --format --dry-run --strict --vdir ;;
    doctor) echo --format ;;
    backup) echo --force ;;
    restore) echo --yes ;;
    sync) echo --status --restore ;;
    "member add") echo --name ;;
    remind) echo --install --uninstall ;;
    "config list") echo --format ;;
    "") echo --db --config --set --no-color --help --version ;;
    esac
}

# Flags that take a value (the next word is that value, not an argument).
_followup_takes_value() {
    case $1 in
    --company | --title | --email | --phone | --via | --event | --met | --tag | --note | --plan | \
        --referred-by | --birthday | --every | --within | --contact | --kind | --format | --at | \
        --until | --for | --reason | --by | --from | --to | --prospect | --status | --amount | \
        --since | --stale | --name | --untag | --on | --where | --vcard | --db | --config | --set | --restore | \
        --campaign | --no-reply | --address | --profile | --remove-email | --remove-phone | \
        --remove-address | --remove-profile)
        return 0 ;;
    esac
    return 1
}

# COMP_WORDS split at ':' and '=' (COMP_WORDBREAKS); glue back what the line has without blanks,
# so that `--via whatsapp:+34...` and `--db=x` stay one word. Sets _followup_w and _followup_c.
_followup_words() {
    local line=${COMP_LINE:0:COMP_POINT} i w n=-1 pos=0 glued
    _followup_w=()
    _followup_c=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        glued=1
        while [[ $pos -lt ${#line} && ${line:pos:1} == [[:space:]] ]]; do
            ((pos++))
            glued=0
        done
        if ((i > 0 && glued && n >= 0)); then _followup_w[n]+=$w; else _followup_w[++n]=$w; fi
        ((pos += ${#w}))
        if ((i == COMP_CWORD)); then
            _followup_c=$n
            return
        fi
    done
    _followup_c=$n
}

# Removes the shell quoting of a word as typed: quotes, backslashes, a leading ~.
_followup_dequote() {
    local w=$1
    case $w in
    \"*) w=${w#\"} w=${w%\"} ;;
    \'*) w=${w#\'} w=${w%\'} ;;
    *) w=${w//\\/} ;;
    esac
    [[ $w == "~"* ]] && w=$HOME${w:1}
    printf '%s' "$w"
}

# Candidates from the database: `followup [--db X] [--config Y] __complete WHAT PREFIX`.
_followup_query() {
    "${_followup_cmd[@]}" __complete "$1" "$2" 2>/dev/null
}

# Adds static words that start with the current word.
_followup_words_matching() {
    local IFS=$' \t\n'
    COMPREPLY+=($(compgen -W "$1" -- "$_followup_cur"))
}

# Adds names from the database, quoted for the line: backslashes when the word is not in
# quotes, nothing when it is (bash closes the quote itself).
_followup_names() {
    local value desc quote=
    case $_followup_cur in \"* | \'*) quote=1 ;; esac
    while IFS=$'\t' read -r value desc; do
        [[ -z $value ]] && continue
        if [[ -n $quote ]]; then COMPREPLY+=("$value"); else COMPREPLY+=("$(printf '%q' "$value")"); fi
    done < <(_followup_query "$1" "$(_followup_dequote "$_followup_cur")")
}

# Adds ids from the database; when bash lists the choices (second Tab), each with its title.
_followup_ids() {
    local value desc seen=" $2 " ids=() descs=()
    while IFS=$'\t' read -r value desc; do
        [[ -z $value || $seen == *" $value "* ]] && continue
        ids+=("$value")
        descs+=("$value  -- $desc")
    done < <(_followup_query "$1" "${_followup_cur#\#}")
    if ((${#ids[@]} > 1)) && [[ ${COMP_TYPE:-9} == 63 || ${COMP_TYPE:-9} == 37 ]]; then
        COMPREPLY+=("${descs[@]}")
    else
        COMPREPLY+=("${ids[@]}")
    fi
}

_followup() {
    COMPREPLY=()
    local _followup_w _followup_c
    _followup_words
    local _followup_cur=${_followup_w[_followup_c]}
    local -a _followup_cmd=("$(_followup_dequote "${_followup_w[0]}")")
    local cmd= word i args=() prev=

    for ((i = 1; i < _followup_c; i++)); do
        word=${_followup_w[i]}
        case $word in
        --db | --config)
            _followup_cmd+=("$word" "$(_followup_dequote "${_followup_w[i + 1]}")")
            ((i++))
            continue ;;
        --db=* | --config=*)
            _followup_cmd+=("${word%%=*}" "$(_followup_dequote "${word#*=}")")
            continue ;;
        -*=*) continue ;;
        -*)
            _followup_takes_value "$word" && ((i++))
            continue ;;
        esac
        if [[ -z $cmd ]]; then
            cmd=$word
        elif [[ ($cmd == referral || $cmd == event || $cmd == config || $cmd == db ||
            $cmd == member) && ${#args[@]} -eq 0 &&
            $cmd != *" "* ]]; then
            cmd="$cmd $word"
        else
            args+=("$word")
        fi
    done
    ((_followup_c > 1)) && prev=${_followup_w[_followup_c - 1]}

    # The value of a flag: `--kind <Tab>` or `--kind=<Tab>`.
    if [[ $_followup_cur == --*=* ]]; then
        prev=${_followup_cur%%=*}
        _followup_cur=${_followup_cur#*=}
    elif ! _followup_takes_value "$prev"; then
        prev=
    fi
    case $prev in
    --via)
        [[ $_followup_cur == *:* ]] && return 0
        _followup_words_matching "email phone sms whatsapp signal telegram linkedin x facebook
            instagram mastodon skype steam mail in-person"
        return 0 ;;
    --profile | --remove-profile)
        [[ $_followup_cur == *:* ]] && return 0
        _followup_words_matching "linkedin facebook x instagram mastodon whatsapp signal telegram
            skype steam"
        # --profile NETWORK:HANDLE: the colon follows, the handle is typed after it.
        if [[ $prev == --profile ]] && ((${#COMPREPLY[@]})); then
            COMPREPLY=("${COMPREPLY[@]/%/:}")
            compopt -o nospace 2>/dev/null
        fi
        return 0 ;;
    --kind)
        _followup_words_matching "note connect meet referral report thank checkin promise waiting
            reconnect birthday custom"
        return 0 ;;
    --format)
        case $cmd in
        export) _followup_words_matching "json jsonl csv tsv ics vcf" ;;
        import) _followup_words_matching "auto json csv tsv linkedin google vcf" ;;
        *) _followup_words_matching "table json jsonl csv tsv" ;;
        esac
        return 0 ;;
    --status)
        _followup_words_matching "new contacted met won lost declined passed"
        return 0 ;;
    --plan)
        _followup_words_matching "24/7/30 none"
        return 0 ;;
    --vcard)
        _followup_words_matching "3.0 4.0"
        return 0 ;;
    --contact | --referred-by | --from | --to | --prospect)
        _followup_names contacts
        return 0 ;;
    --event)
        _followup_names events
        return 0 ;;
    --db | --config)
        local IFS=$'\n'
        COMPREPLY=($(compgen -f -- "$_followup_cur"))
        return 0 ;;
    --vdir)
        local IFS=$'\n'
        COMPREPLY=($(compgen -d -- "$_followup_cur"))
        return 0 ;;
    ?*) return 0 ;; # a value nobody can guess: a date, a note, a name
    esac

    if [[ $_followup_cur == -* ]]; then
        _followup_words_matching "$(_followup_flags "$cmd")"
        return 0
    fi
    case $cmd in
    "") _followup_words_matching "$_followup_commands" ;;
    referral) _followup_words_matching "receive give update" ;;
    event) _followup_words_matching "add" ;;
    config) _followup_words_matching "list" ;;
    db) _followup_words_matching "init copy" ;;
    member) _followup_words_matching "add list" ;;
    show | edit | archive | rm | log | todo | promise | contacts)
        ((${#args[@]} == 0)) && _followup_names contacts ;;
    done | snooze | skip | reopen | chase) _followup_ids followups "${args[*]}" ;;
    book) ((${#args[@]} == 0)) && _followup_names contacts ;;
    merge) ((${#args[@]} < 2)) && _followup_names contacts ;;
    "referral update") ((${#args[@]} == 0)) && _followup_ids referrals "" ;;
    export)
        ((${#args[@]} == 0)) && _followup_words_matching "contacts followups interactions referrals all" ;;
    import | backup | restore | "db copy")
        local IFS=$'\n'
        COMPREPLY=($(compgen -f -- "$_followup_cur")) ;;
    esac
    return 0
}

complete -F _followup followup
