# fish completion for followup(1): commands, flags, kinds, channels and formats, and, from the
# database (through the hidden `followup __complete`), contact names, open follow-up ids with
# their titles, event names and referral ids.

# The command line's own followup, with its --db and --config, asked for candidates.
function __followup_query
    set -l tokens (commandline -opc)
    set -l cmd $tokens[1]
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --db --config
                set -l next (math $i + 1)
                if test $next -le (count $tokens)
                    set -a cmd $tokens[$i] $tokens[$next]
                end
                set i $next
            case '--db=*' '--config=*'
                set -a cmd $tokens[$i]
        end
        set i (math $i + 1)
    end
    set -l prefix (commandline -ct | string trim --left --chars '#')
    $cmd __complete $argv[1] "$prefix" 2>/dev/null
end

# The words after the command name that are not flags or flag values.
function __followup_args
    set -l skip 0
    for t in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --company --title --email --phone --via --event --met --tag --note --plan \
                --referred-by --birthday --every --within --contact --kind --format --at --until \
                --for --reason --by --from --to --prospect --status --amount --since --stale \
                --name --untag --on --where --vcard --db --config --set --campaign --no-reply \
                --address --profile --remove-email --remove-phone --remove-address --remove-profile \
                --restore
                set skip 1
            case '-*'
            case '*'
                echo $t
        end
    end
end

# True when the command typed so far starts with one of $argv ("show", "referral update").
function __followup_is
    set -l args (__followup_args)
    for want in $argv
        set -l parts (string split ' ' -- $want)
        set -l n (count $parts)
        if test (count $args) -ge $n; and test "$args[1..$n]" = "$want"
            return 0
        end
    end
    return 1
end

function __followup_none
    test (count (__followup_args)) -eq 0
end

complete -c followup -f
complete -c followup -l db -r -F -d 'Database file'
complete -c followup -l config -r -F -d 'Config file'
complete -c followup -l set -x -d 'Override a setting: KEY=VALUE'
complete -c followup -l no-color -d 'Never colour the output'
complete -c followup -s h -l help -d 'Help'
complete -c followup -n __followup_none -l version -d 'The version'

complete -c followup -n __followup_none -a add -d 'Add a contact you met and schedule its follow-ups'
complete -c followup -n __followup_none -a due -d 'Open follow-ups: overdue, today, upcoming'
complete -c followup -n __followup_none -a done -d 'Complete follow-ups and log the touch'
complete -c followup -n __followup_none -a snooze -d 'Move deadlines'
complete -c followup -n __followup_none -a skip -d 'Drop follow-ups without doing them'
complete -c followup -n __followup_none -a reopen -d 'Reopen follow-ups done or skipped by mistake'
complete -c followup -n __followup_none -a chase -d 'Remind someone of what they owe you'
complete -c followup -n __followup_none -a undo -d 'Revert the last command that wrote'
complete -c followup -n __followup_none -a todo -d 'Add a custom follow-up'
complete -c followup -n __followup_none -a campaigns -d 'Per campaign: touched, replies'
complete -c followup -n __followup_none -a book -d 'Book a one-to-one'
complete -c followup -n __followup_none -a agenda -d 'Meetings and deadlines hour by hour'
complete -c followup -n __followup_none -a promise -d 'Record a promise'
complete -c followup -n __followup_none -a log -d 'Record a touch'
complete -c followup -n __followup_none -a referral -d 'Record and move on referrals'
complete -c followup -n __followup_none -a referrals -d 'The referral ledger'
complete -c followup -n __followup_none -a stats -d 'Results'
complete -c followup -n __followup_none -a contacts -d 'List contacts'
complete -c followup -n __followup_none -a show -d "A contact's card and timeline"
complete -c followup -n __followup_none -a edit -d "Change a contact's fields"
complete -c followup -n __followup_none -a archive -d 'Hide a contact'
complete -c followup -n __followup_none -a rm -d 'Delete a contact'
complete -c followup -n __followup_none -a duplicates -d 'Contacts that are likely one person twice'
complete -c followup -n __followup_none -a merge -d 'Merge contact B into contact A'
complete -c followup -n __followup_none -a events -d 'Events and what each returned'
complete -c followup -n __followup_none -a event -d 'Manage events'
complete -c followup -n __followup_none -a export -d 'Write records to stdout'
complete -c followup -n __followup_none -a import -d 'Import contacts'
complete -c followup -n __followup_none -a sync -d 'Sync with a phone through vdirsyncer'
complete -c followup -n __followup_none -a doctor -d 'Check the database'
complete -c followup -n __followup_none -a backup -d 'Copy the database'
complete -c followup -n __followup_none -a restore -d 'Restore a backup'
complete -c followup -n __followup_none -a db -d 'Prepare a PostgreSQL database'
complete -c followup -n __followup_none -a member -d 'The members of a chapter'
complete -c followup -n __followup_none -a remind -d 'A desktop notification of what is due'
complete -c followup -n __followup_none -a config -d 'The configuration'

complete -c followup -n '__followup_is referral; and test (count (__followup_args)) -eq 1' -a 'receive give update'
complete -c followup -n '__followup_is event; and test (count (__followup_args)) -eq 1' -a add
complete -c followup -n '__followup_is db; and test (count (__followup_args)) -eq 1' -a 'init copy'
complete -c followup -n '__followup_is config; and test (count (__followup_args)) -eq 1' -a list
complete -c followup -n '__followup_is member; and test (count (__followup_args)) -eq 1' -a 'add list'
complete -c followup -n '__followup_is "member add"' -l name -x -d 'The member\'s name'

# Arguments from the database.
complete -c followup -n '__followup_is show edit archive rm log todo promise contacts book; and test (count (__followup_args)) -eq 1' -a '(__followup_query contacts)'
complete -c followup -n '__followup_is merge; and test (count (__followup_args)) -le 2' -a '(__followup_query contacts)'
complete -c followup -n '__followup_is done snooze skip reopen chase' -a '(__followup_query followups)'
complete -c followup -n '__followup_is "referral update"; and test (count (__followup_args)) -eq 2' -a '(__followup_query referrals)'
complete -c followup -n '__followup_is export; and test (count (__followup_args)) -eq 1' -a 'contacts followups interactions referrals all'
complete -c followup -n '__followup_is import backup restore' -F

# Flags, and the values they take.
set -l channels email phone sms whatsapp signal telegram linkedin x facebook instagram mastodon skype steam mail in-person
set -l networks linkedin facebook x instagram mastodon whatsapp signal telegram skype steam
set -l profile_networks $networks: # --profile NETWORK:HANDLE: the handle follows the colon
set -l kinds note connect meet referral report thank checkin promise waiting reconnect birthday custom
set -l formats table json jsonl csv tsv
complete -c followup -n '__followup_is add edit' -l company -x -d Company
complete -c followup -n '__followup_is add edit' -l title -x -d 'Job title'
complete -c followup -n '__followup_is add edit' -l email -x -d 'Email, [LABEL:]EMAIL'
complete -c followup -n '__followup_is add edit' -l phone -x -d 'Phone, [LABEL:]PHONE'
complete -c followup -n '__followup_is add edit' -l address -x -d 'Postal address, [LABEL:]TEXT'
complete -c followup -n '__followup_is add edit' -l profile -x -a "$profile_networks" -d 'Profile, NETWORK:HANDLE'
complete -c followup -n '__followup_is edit' -l remove-email -x -d 'Take an email away'
complete -c followup -n '__followup_is edit' -l remove-phone -x -d 'Take a phone away'
complete -c followup -n '__followup_is edit' -l remove-address -x -d 'Take an address away: its number in show'
complete -c followup -n '__followup_is edit' -l remove-profile -x -a "$networks" -d 'Take a profile away'
complete -c followup -n '__followup_is add edit done log chase' -l via -x -a "$channels" -d Channel
complete -c followup -n '__followup_is add edit due contacts' -l event -x -a '(__followup_query events)' -d Event
complete -c followup -n '__followup_is add edit' -l met -x -d 'When you met'
complete -c followup -n '__followup_is add edit contacts' -l tag -x -d Tag
complete -c followup -n '__followup_is edit' -l untag -x -d 'Remove a tag'
complete -c followup -n '__followup_is edit' -l name -x -d Name
complete -c followup -n '__followup_is add edit done log "referral receive" "referral give" "referral update"' -l note -x -d Note
complete -c followup -n '__followup_is add' -l plan -x -a '24/7/30 none' -d Plan
complete -c followup -n '__followup_is add "referral receive" "referral give" "referral update"' -l new -d 'Another person: create a near name, add a shared identifier'
complete -c followup -n '__followup_is add' -l referred-by -x -a '(__followup_query contacts)' -d 'Who introduced you'
complete -c followup -n '__followup_is add edit' -l birthday -x -d 'MM-DD or YYYY-MM-DD'
complete -c followup -n '__followup_is add edit' -l every -x -d 'Keep-in-touch cadence'
complete -c followup -n '__followup_is due' -l within -x -d Duration
complete -c followup -n '__followup_is due' -l overdue -d 'Only what is overdue'
complete -c followup -n '__followup_is due' -l all -d 'Every open follow-up'
complete -c followup -n '__followup_is due' -l contact -x -a '(__followup_query contacts)' -d Contact
complete -c followup -n '__followup_is due' -l kind -x -a "$kinds" -d Kind
complete -c followup -n '__followup_is due' -l fail-if-overdue -d 'Exit 3 when overdue'
complete -c followup -n '__followup_is due' -l count -d 'Print one number'
complete -c followup -n '__followup_is due referrals stats contacts show events doctor duplicates "config list"' -l format -x -a "$formats" -d Format
complete -c followup -n '__followup_is export' -l format -x -a 'json jsonl csv tsv ics vcf' -d Format
complete -c followup -n '__followup_is import' -l format -x -a 'auto json csv tsv linkedin google vcf' -d Format
complete -c followup -n '__followup_is done log' -l at -x -d When
complete -c followup -n '__followup_is snooze' -l until -x -d 'New deadline'
complete -c followup -n '__followup_is snooze' -l for -x -d 'Push back by'
complete -c followup -n '__followup_is snooze' -l agreed -d 'The new date was agreed: lateness counts from it'
complete -c followup -n '__followup_is skip' -l reason -x -d Why
complete -c followup -n '__followup_is todo promise' -l by -x -d Deadline
complete -c followup -n '__followup_is promise' -l theirs -d 'They promised it to you'
complete -c followup -n '__followup_is log' -l in -d 'They reached out to you'
complete -c followup -n '__followup_is "referral receive"' -l from -x -a '(__followup_query contacts)' -d 'Who gave you the lead'
complete -c followup -n '__followup_is "referral give"' -l to -x -a '(__followup_query contacts)' -d 'Whom you gave the lead'
complete -c followup -n '__followup_is "referral receive" "referral give"' -l prospect -x -a '(__followup_query contacts)' -d Prospect
complete -c followup -n '__followup_is "referral update"' -l status -x -a 'new contacted met won lost declined passed' -d Status
complete -c followup -n '__followup_is "referral update"' -l amount -x -d 'Closed business'
complete -c followup -n '__followup_is referrals' -l given -d 'Only referrals you gave'
complete -c followup -n '__followup_is referrals' -l received -d 'Only referrals you received'
complete -c followup -n '__followup_is referrals' -l open -d 'Only open referrals'
complete -c followup -n '__followup_is referrals' -l chapter -d 'The chapter ledger, per member'
complete -c followup -n '__followup_is referrals' -l since -x -d 'With --chapter: count from'
complete -c followup -n '__followup_is stats' -l since -x -d 'Count from'
complete -c followup -n '__followup_is contacts' -l archived -d 'Archived contacts'
complete -c followup -n '__followup_is contacts' -l stale -x -d 'Not touched for'
complete -c followup -n '__followup_is archive' -l undo -d 'Bring it back'
complete -c followup -n '__followup_is rm restore' -l yes -d Confirm
complete -c followup -n '__followup_is "event add"' -l on -x -d Date
complete -c followup -n '__followup_is "event add"' -l where -x -d Place
complete -c followup -n '__followup_is export' -l todo -d 'ics: to-dos'
complete -c followup -n '__followup_is export' -l vcard -x -a '3.0 4.0' -d 'vCard version'
complete -c followup -n '__followup_is import' -s n -l dry-run -d 'Write nothing'
complete -c followup -n '__followup_is import' -l strict -d 'Refuse a file with an unreadable record'
complete -c followup -n '__followup_is export' -l vdir -x -a '(__fish_complete_directories)' -d 'Write a folder, one file per item'
complete -c followup -n '__followup_is import' -l vdir -x -a '(__fish_complete_directories)' -d 'Read a folder back'
complete -c followup -n '__followup_is backup' -l force -d 'Replace FILE'
complete -c followup -n '__followup_is remind' -l install -d 'Write the systemd user timer'
complete -c followup -n '__followup_is remind' -l uninstall -d 'Remove the timer'
complete -c followup -n '__followup_is log todo' -l campaign -x -d Campaign
complete -c followup -n '__followup_is log todo' -l tag -x -d 'Every contact with this tag'
complete -c followup -n '__followup_is log todo' -l event -x -a '(__followup_query events)' -d 'Every contact met there'
complete -c followup -n '__followup_is log todo' -l stale -x -d 'Every contact not touched for'
complete -c followup -n '__followup_is chase book' -l note -x -d Note
complete -c followup -n '__followup_is undo' -l list -d 'What can be undone'
complete -c followup -n '__followup_is campaigns agenda' -l format -x -a "table json jsonl csv tsv" -d Format
complete -c followup -n '__followup_is book' -l where -x -d Place
complete -c followup -n '__followup_is book' -l for -x -d 'How long'
complete -c followup -n '__followup_is agenda' -l within -x -d 'How far ahead'
complete -c followup -n '__followup_is contacts' -l no-reply -x -d 'Not answered for'
complete -c followup -n '__followup_is "referral update"' -l to -x -a '(__followup_query contacts)' -d 'Member you pass it on to'
