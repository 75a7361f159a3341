# bash completion for lockgraph(1): commands, each command's options and
# their values (formats, --fail-on kinds, shipped rules, record's presets),
# files elsewhere. make install puts it where bash-completion finds it and
# sets the shipped rules directory below.

_lockgraph_rules_dir=${LOCKGRAPH_RULES_DIR:-@RULESDIR@}

_lockgraph_analyze_opts='--format= --all --cycles-only --contention --rules= --fail-on=
--strict --baseline= --suppress= --save-graph= --threads= --help'
_lockgraph_record_opts='--output= --event= --preset= --probe= --pthread --buffer= --follow
--duration= --no-args-probe --stacks --stacks= --help'
_lockgraph_kinds='circular-dependency recursive-locking invalid-wait-context
inconsistent-lock-state irq-safe-to-unsafe bad-unlock-balance irq-lock-inversion
wait-event-deadlock wait-event-timeout annotated-cycle'

# the words of a comma-separated list value, the last one being typed
_lockgraph_list() { # CHOICES CURRENT
	local done=${2%,*}, last=${2##*,}
	[[ $2 == *,* ]] || done=
	COMPREPLY=($(compgen -P "$done" -W "$1" -- "$last"))
	compopt -o nospace
}

_lockgraph_value() { # COMMAND OPTION CURRENT: 0 if it completed a value
	local cur=$3
	case $1:$2 in
	analyze:--format) COMPREPLY=($(compgen -W 'text json junit dot' -- "$cur")) ;;
	analyze:--fail-on) _lockgraph_list "$_lockgraph_kinds" "$cur" ;;
	analyze:--rules | analyze:-r)
		COMPREPLY=($(compgen -W "$(ls "$_lockgraph_rules_dir" 2>/dev/null)" -- "$cur")
			   $(compgen -f -- "$cur")) ;;
	record:--preset)
		COMPREPLY=($(compgen -W "list $(lockgraph record --preset list 2>/dev/null |
			awk '/^[a-z]/ { print $1 }')" -- "$cur")) ;;
	record:--duration | record:--buffer | record:-b | record:--probe | record:--event | \
	record:-e | record:--stacks | analyze:--threads | analyze:-j) COMPREPLY=() ;;
	*:--*= | *:-[a-z] | analyze:--* | record:--*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	*) return 1 ;;
	esac
	return 0
}

_lockgraph() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]} i opts

	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W 'record analyze help version --help --version -V' -- "$cur"))
		return
	fi
	case $cmd in
	help)
		((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W 'record analyze' -- "$cur"))
		return ;;
	analyze) opts=$_lockgraph_analyze_opts ;;
	record)
		opts=$_lockgraph_record_opts
		# after the command to run, it completes as that command would
		for ((i = 2; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--) break ;;
			-o | -e | -b | --output | --event | --buffer | --preset | --probe | --duration)
				((i++)) ;;
			-*) ;;
			*) break ;;
			esac
		done
		if ((i < COMP_CWORD)); then
			COMPREPLY=($(compgen -c -- "$cur") $(compgen -f -- "$cur"))
			return
		fi ;;
	*) return ;;
	esac
	# bash splits "--format=j" into --format, = and j (= is in COMP_WORDBREAKS)
	# and completes what follows the =; without that, the whole word
	if [[ $cur == = && $prev == --* ]]; then
		_lockgraph_value "$cmd" "$prev" ""
		return
	fi
	if [[ $prev == = ]] && ((COMP_CWORD > 2)); then
		_lockgraph_value "$cmd" "${COMP_WORDS[COMP_CWORD - 2]}" "$cur"
		return
	fi
	if [[ $cur == --*=* ]]; then
		_lockgraph_value "$cmd" "${cur%%=*}" "${cur#*=}" &&
			COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
		return
	fi
	case $prev in
	-r | -f | -o | -e | -b | -j | --rules | --format | --fail-on | --baseline | --suppress | \
	--save-graph | --threads | --output | --event | --buffer | --preset | --probe | --duration)
		_lockgraph_value "$cmd" "$prev" "$cur" && return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _lockgraph lockgraph
