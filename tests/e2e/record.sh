#!/usr/bin/env bash
# End-to-end tests of `lockgraph record` on this machine's real tracefs: what
# it writes (trace-cmd reads it, analyze finds the planted userspace cycle), its
# errors, and that tracefs is left exactly as it was found after every run.
# usage: tests/e2e/record.sh LOCKGRAPH PTHREAD_ABBA
set -u
bin=$1
abba=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
tracing=/sys/kernel/tracing

skip=
if [ "$(id -u)" -ne 0 ]; then skip="recording needs root"
elif ! command -v trace-cmd >/dev/null; then skip="trace-cmd (the peer that reads the file) is not installed"
elif ! grep -q " $tracing tracefs " /proc/mounts; then
	if ! { mount -t tracefs nodev "$tracing" && umount "$tracing"; } 2>/dev/null; then
		echo "SKIP: lockgraph record tests: tracefs cannot be mounted at $tracing here"
		exit 0
	fi
	# lockgraph record mounts tracefs itself, and unmounts it again
	lg record -o "$tmp/mounted.dat" -- true
	expect_status 0 "record without tracefs mounted"
	grep -q " $tracing tracefs " /proc/mounts && fail "record left tracefs mounted" || pass
	# the other tests compare tracefs before and after: mount it for them
	mount -t tracefs nodev "$tracing" || skip="cannot mount tracefs at $tracing"
	trap 'umount "$tracing"; rm -rf "$tmp"' EXIT
fi
if [ -z "$skip" ] && [ ! -e "$tracing/events/lock/contention_begin" ]; then
	skip="this kernel has no lock:contention_begin (Linux 5.19 or later)"
fi
if [ -n "$skip" ]; then
	echo "SKIP: lockgraph record tests: $skip"
	[ "$failed" -eq 0 ]
	exit
fi
if [ ! -e "$tracing/events/lock/lock_acquire" ]; then
	echo "SKIP: record on a lockdep kernel (lock:lock_acquire, the eprobe on it for class"
	echo "      keys): this kernel has no CONFIG_LOCKDEP; the kernel lab (issue 5) covers it"
fi
if [ ! -e "$tracing/kprobe_events" ]; then
	echo "SKIP: setting kprobe pairs (--preset, --probe FUNCTION): this kernel has no"
	echo "      kprobe events; only their refusal is tested"
fi

# Everything lockgraph record may touch, top level and instances, and the
# lists of files it keeps while it runs.
state() {
	(
		ls /run/lockgraph 2>/dev/null
		cd "$tracing" || exit
		ls instances
		cat tracing_on current_tracer buffer_size_kb set_event set_event_pid \
			dynamic_events uprobe_events trace_options 2>&1
		[ -e kprobe_events ] && cat kprobe_events
		ls events
	) | md5sum
}

before=$(state)
check_state() { # WHAT
	if [ "$(state)" = "$before" ]; then pass; else fail "$1: tracefs state changed"; fi
}

# --- a plain recording: a 0600 trace.dat that trace-cmd reads with the events
# lockgraph reads
lg record -o "$tmp/plain.dat" -- sh -c 'ls / >/dev/null; sleep 0.1'
expect_status 0 "record -- sh"
check_state "record -- sh"
[ "$(stat -c %a "$tmp/plain.dat")" = 600 ] && pass || fail "trace.dat mode $(stat -c %a "$tmp/plain.dat"), expected 600"
ls "$tmp"/plain.dat.cpu* >/dev/null 2>&1 && fail "per-CPU files left behind" || pass
[ -e "$tmp/plain.dat.partial" ] && fail "the temporary plain.dat.partial left behind" || pass
# one line at the start; no progress line when stderr is not a terminal
grep -qx "lockgraph: recording [0-9]* events on [0-9]* CPUs into $tmp/plain.dat; Ctrl-C stops sh and writes the file" "$tmp/err" &&
	pass || fail "no start line: $(head -1 "$tmp/err")"
grep -q $'\r' "$tmp/err" && fail "a progress line in a file: $(cat -A "$tmp/err" | head -3)" || pass
grep -q "tier contention" "$tmp/err" && pass || fail "record summary lacks the tier: $(cat "$tmp/err")"
grep -q "skipped lock:lock_acquire: needs CONFIG_LOCKDEP" "$tmp/err" && pass ||
	fail "record summary does not say why lock_acquire is missing"
# the default buffer is sized from the machine, and the summary says so
grep -q "buffer: [0-9]* KB per CPU (1/16 of [0-9]* MB of memory over [0-9]* CPUs" "$tmp/err" &&
	pass || fail "record summary does not give the buffer size: $(cat "$tmp/err")"
tc_lines=$(trace-cmd report "$tmp/plain.dat" 2>/dev/null | grep -vc '^cpus=')
lg analyze --format=json "$tmp/plain.dat"
got=$(jq '.inputs[0].events + .inputs[0].skipped' "$tmp/out")
if [ "$got" = "$tc_lines" ] && [ "$got" -gt 0 ]; then pass; else
	fail "plain recording: lockgraph read $got records, trace-cmd report $tc_lines"; fi
trace-cmd report "$tmp/plain.dat" 2>/dev/null | grep -q "mmap_lock_start_locking:" && pass ||
	fail "plain recording has no mmap_lock events"

# --- under sudo the trace.dat belongs to the user who ran it, who can read
# it without root; still 0600
mkdir -m 755 "$tmp/home"
chmod 711 "$tmp"
SUDO_UID=4242 SUDO_GID=4343 lg record --follow -o "$tmp/home/sudo.dat" -- true
expect_status 0 "record under sudo"
check_state "record under sudo"
got=$(stat -c '%u:%g %a' "$tmp/home/sudo.dat")
[ "$got" = "4242:4343 600" ] && pass || fail "under sudo: the trace.dat is $got, not 4242:4343 600"
grep -q "owner: uid 4242 gid 4343 (SUDO_UID, SUDO_GID), mode 0600" "$tmp/err" && pass ||
	fail "under sudo: the summary does not give the owner: $(cat "$tmp/err")"
if command -v setpriv >/dev/null; then
	setpriv --reuid=4242 --regid=4343 --clear-groups head -c 10 "$tmp/home/sudo.dat" |
		grep -q tracing && pass || fail "under sudo: the user cannot read the trace.dat"
fi

# --- lost events: a buffer of one page per CPU overflows; record says how many
# were lost, the file keeps the kernel's statistics as trace-cmd does and marks
# where, and analyze counts the same number, every one of them placed
# (a burst that the reader happens to keep up with loses nothing: three tries)
for try in 1 2 3; do
	rm -f "$tmp/tiny.dat"
	lg record -b 4 -o "$tmp/tiny.dat" -- sh -c \
		'for i in $(seq 300); do cat /proc/self/maps /proc/self/maps >/dev/null; done'
	said=$(sed -n 's/.*WARNING: the ring buffer lost \([0-9]*\) events.*/\1/p' "$tmp/err")
	[ -z "$said" ] || break
done
expect_status 0 "record -b 4"
check_state "record -b 4"
kernel=$(trace-cmd report --stat "$tmp/tiny.dat" 2>/dev/null |
	awk '/^(overrun|commit overrun|dropped events):/ { n += $NF } END { print n + 0 }')
lg analyze --format=json "$tmp/tiny.dat"
lost=$(jq '.inputs[0].lost' "$tmp/out")
unplaced=$(jq '.inputs[0].lost_unplaced' "$tmp/out")
# the kernel marks a loss in the next page it gives the reader, or (6.18's
# spliced pages) does not: then those losses are at unknown places. A slow
# reader (under valgrind) sees both in one run: one marker, most unplaced.
markers=$(trace-cmd report "$tmp/tiny.dat" 2>/dev/null | grep -c 'EVENTS DROPPED\]')
if [ -n "$said" ] && [ "$said" -gt 0 ] && [ "$lost" = "$said" ] && [ "$kernel" = "$said" ] &&
	[ "$unplaced" -le "$said" ] &&
	{ [ "$markers" -gt 0 ] || [ "$unplaced" = "$said" ]; }; then pass; else
	fail "-b 4: record said ${said:-nothing} lost, trace-cmd report --stat $kernel," \
		"analyze $lost ($unplaced unplaced; trace-cmd report shows $markers markers)"; fi
if [ "$markers" -gt 0 ]; then
	grep -q "events lost in [0-9]* place" "$tmp/err" && pass ||
		fail "analyze does not warn of the losses: $(cat "$tmp/err")"
fi
if [ "$unplaced" -gt 0 ]; then
	grep -q "events lost on CPU .* at places the file does not mark" "$tmp/err" && pass ||
		fail "analyze does not warn of the unplaced losses: $(cat "$tmp/err")"
fi

# --- --pthread: the planted ABBA between two mutexes of one process, and
# nothing from the nested read locks or the condition wait; with uprobes on the
# two functions, each dependency says which one it was first seen inside. The
# mutexes are the globals a and b of a copy of the program, named so from the
# maps the recording saved; once the copy is gone, by their addresses.
if [ -n "$wrap" ]; then
	# uprobes put int3 into every mapping of libc, valgrind's own included,
	# and valgrind's JIT does not take them for a kernel's breakpoints
	echo "SKIP: record --pthread under $wrap: it traps on the uprobes in its own libc"
else
mkdir "$tmp/prog"
prog="$tmp/prog/pthread_abba"
cp "$abba" "$prog"
lg record --pthread --probe "$prog:a_then_b" --probe "$prog:b_then_a" -o "$tmp/abba.dat" -- "$prog"
expect_status 0 "record --pthread"
check_state "record --pthread"
read -r a b <"$tmp/out"
grep -q "maps of $prog (pid [0-9]*): [0-9]* file mappings" "$tmp/err" && pass ||
	fail "record --pthread: the summary does not count the maps: $(cat "$tmp/err")"
# trace-cmd reads the maps back as its own --proc-map option
trace-cmd dump --options "$tmp/abba.dat" 2>/dev/null | grep -A2 'Option PROCMAPS' |
	grep -q " $prog\$" && pass || fail "trace-cmd finds no PROCMAPS option naming $prog"
lg analyze --format=json "$tmp/abba.dat"
expect_status 1 "analyze the --pthread recording"
pid=$(jq -r '.findings[0].dependencies[0].first_seen.pid' "$tmp/out")
tgid=$(jq -r '.findings[0].classes[0]' "$tmp/out" | sed -n 's/.*(tgid \([0-9]*\))$/\1/p')
# framed as lockdep frames it: the newest dependency (a taken under b) last
want="circular-dependency: a (tgid $tgid) -> b (tgid $tgid)"
got=$(jq -r '.findings[] | "\(.kind): \(.classes | join(" -> "))"' "$tmp/out")
if [ "$got" = "$want" ]; then pass; else fail "--pthread cycle: got '$got', want '$want'"; fi
[ "$pid" != "$tgid" ] && pass || fail "--pthread: the dependency should come from a thread, not the process"
[ "$(jq -r '.inputs[0].user_locks' "$tmp/out")" = true ] && pass || fail "--pthread: user_locks not set"
got=$(jq -r '.findings[0].dependencies[] | "\(.from) -> \(.to) inside \(.first_seen.inside)"' "$tmp/out")
want="a (tgid $tgid) -> b (tgid $tgid) inside a_then_b
b (tgid $tgid) -> a (tgid $tgid) inside b_then_a"
if [ "$got" = "$want" ]; then pass; else fail "--probe contexts: got '$got', want '$want'"; fi
lg analyze "$tmp/abba.dat"
expect_status 1 "analyze the --pthread recording (text)"
for lock in "$a a" "$b b"; do
	read -r addr name <<<"$lock"
	line="$(printf '%016x' "$addr") ($name (tgid $tgid))"
	grep -qF "$line" "$tmp/out" && pass || fail "--pthread text report lacks '$line'"
done
rm "$prog"
lg analyze --format=json "$tmp/abba.dat"
expect_status 1 "analyze the --pthread recording once its program is gone"
want="circular-dependency: pthread_mutex $a (tgid $tgid) -> pthread_mutex $b (tgid $tgid)"
got=$(jq -r '.findings[] | "\(.kind): \(.classes | join(" -> "))"' "$tmp/out")
if [ "$got" = "$want" ]; then pass; else
	fail "--pthread, program gone: got '$got', want '$want'"; fi
fi

# --- --follow: only the command and what it starts
lg record --follow -o "$tmp/follow.dat" -- sh -c 'cat /proc/self/status >/dev/null'
expect_status 0 "record --follow"
check_state "record --follow"
others=$(trace-cmd report "$tmp/follow.dat" 2>/dev/null | grep -v '^cpus=' |
	awk '{print $1}' | grep -cvE '^(sh|cat|lockgraph)-')
[ "$others" -eq 0 ] && pass || fail "--follow recorded $others events of other tasks"

# --- on a terminal, a progress line rewritten in place
if command -v script >/dev/null; then
	script -qec "$wrap $bin record --follow -o $tmp/tty.dat -- sleep 0.6" /dev/null >"$tmp/tty"
	n=$(tr '\r' '\n' <"$tmp/tty" | grep -c "^lockgraph: [0-9]* events so far, [0-9]* lost")
	[ "$n" -ge 2 ] && pass || fail "on a terminal: $n progress lines: $(cat -A "$tmp/tty" | head -5)"
	grep -q "wrote $tmp/tty.dat" "$tmp/tty" && pass || fail "on a terminal: no summary"
	check_state "record on a terminal"
fi

# --- --duration without a command: the whole system for that long
lg record --duration 0.3 -o "$tmp/duration.dat"
expect_status 0 "record --duration"
check_state "record --duration"
[ -s "$tmp/duration.dat" ] && pass || fail "--duration wrote nothing"
grep -q "into $tmp/duration.dat for 0.3 s; Ctrl-C stops it sooner and writes the file" \
	"$tmp/err" && pass || fail "--duration: start line: $(head -1 "$tmp/err")"

# --- Ctrl-C stops the command and still writes the file
$wrap "$bin" record -o "$tmp/int.dat" -- sleep 30 >"$tmp/out" 2>"$tmp/err" &
recorder=$!
sleep 1.5
kill -INT "$recorder"
wait "$recorder"
status=$?
expect_status 0 "record interrupted"
check_state "record interrupted"
grep -q "killed by signal 2" "$tmp/err" && pass || fail "interrupted: $(cat "$tmp/err")"
trace-cmd report "$tmp/int.dat" >/dev/null 2>&1 && pass || fail "interrupted recording unreadable"

# --- a command that ignores Ctrl-C gets SIGKILL at the second one
$wrap "$bin" record -o "$tmp/stubborn.dat" -- sh -c 'trap "" INT TERM; exec sleep 30' \
	>"$tmp/out" 2>"$tmp/err" &
recorder=$!
sleep 1.5
kill -INT "$recorder"
sleep 0.5
kill -INT "$recorder"
wait "$recorder"
status=$?
expect_status 0 "record of a command that ignores SIGINT"
grep -q "killed by signal 9" "$tmp/err" && pass || fail "stubborn command: $(cat "$tmp/err")"
check_state "record of a command that ignores SIGINT"

# --- a command that leaves a process behind: it must not hold the ring
# buffers open, or the instance could not be removed
lg record -o "$tmp/daemon.dat" -- sh -c 'sleep 3 >/dev/null 2>&1 &'
expect_status 0 "record of a command that leaves a process running"
check_state "record of a command that leaves a process running"
grep -q "cannot remove" "$tmp/err" && fail "daemon: $(cat "$tmp/err")" || pass

# --- a recording killed outright leaves its instance and probes; the next
# one removes them, and says so; its command dies with it
$wrap "$bin" record --probe "$abba:a_then_b" -o "$tmp/killed.dat" -- sleep 30 >/dev/null 2>&1 &
recorder=$!
for _ in $(seq 100); do	# its probe set and its sleep started (slow under valgrind)
	command=$(pgrep -P "$recorder")
	grep -q "lockgraph_$recorder/a_then_b" "$tracing/uprobe_events" && [ -n "$command" ] && break
	sleep 0.1
done
kill -KILL "$recorder"
wait "$recorder" 2>/dev/null
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1")" = Z ]; }
for _ in $(seq 20); do gone "${command:-0}" && break; sleep 0.1; done
if [ -z "$command" ]; then fail "no command of the recording to be killed found"
elif gone "$command"; then pass
else fail "the command outlived its killed recorder"; kill "$command"; fi
[ "$(state)" != "$before" ] && pass || fail "a killed recording should leave its probe behind"
lg record -o "$tmp/after.dat" -- true
expect_status 0 "record after a killed one"
grep -q "removed the instance lockgraph-$recorder of a dead recording" "$tmp/err" && pass ||
	fail "stale instance: $(cat "$tmp/err")"
grep -q "removed a probe of lockgraph_$recorder" "$tmp/err" && pass ||
	fail "stale probe: $(cat "$tmp/err")"
grep -q "removed $tmp/killed.dat.cpu0, left by a dead recording (pid $recorder)" "$tmp/err" &&
	pass || fail "stale per-CPU file: $(cat "$tmp/err")"
left=$(cd "$tmp" && echo killed.dat*)
[ "$left" = "killed.dat*" ] && pass || fail "a killed recording's files stayed: $left"
check_state "record after a killed one"

# --- killed while it writes the trace.dat (FILE.partial has its first bytes,
# the summary is not out): FILE stays the old one; the next recording, into
# another FILE, removes the temporaries, all but a file of the user's that
# took one's name since (ext4 gives it the same inode number)
for try in 1 2 3; do
	echo "the old trace" >"$tmp/wkill.dat"
	$wrap "$bin" record -o "$tmp/wkill.dat" -- true >/dev/null 2>"$tmp/err" &
	recorder=$!
	until [ -s "$tmp/wkill.dat.partial" ] || ! kill -0 "$recorder" 2>/dev/null; do :; done
	kill -KILL "$recorder" 2>/dev/null
	wait "$recorder" 2>/dev/null
	[ -e "$tmp/wkill.dat.partial" ] && break
done
grep -q "wrote " "$tmp/err" && fail "killed in the write phase: the summary was out" || pass
[ "$(cat "$tmp/wkill.dat")" = "the old trace" ] && pass ||
	fail "killed in the write phase: wkill.dat is not the old file"
[ -e "$tmp/wkill.dat.partial" ] && [ -e "$tmp/wkill.dat.cpu0" ] && pass ||
	fail "killed in the write phase: no temporaries to clean: $(cd "$tmp" && echo wkill.dat*)"
rm "$tmp/wkill.dat.cpu0"
echo "the user's own" >"$tmp/wkill.dat.cpu0"
lg record --follow -o "$tmp/next.dat" -- true
expect_status 0 "record after one killed in the write phase"
grep -q "removed $tmp/wkill.dat.partial, left by a dead recording (pid $recorder)" "$tmp/err" &&
	pass || fail "stale FILE.partial: $(cat "$tmp/err")"
grep -q "left $tmp/wkill.dat.cpu0 alone: not the file a dead recording (pid $recorder)" \
	"$tmp/err" && pass || fail "a user's file in a leftover's place: $(cat "$tmp/err")"
[ "$(cat "$tmp/wkill.dat.cpu0")" = "the user's own" ] && pass ||
	fail "the next recording removed a file of the user's"
left=$(cd "$tmp" && echo wkill.dat*)
[ "$left" = "wkill.dat wkill.dat.cpu0" ] && pass || fail "after the write-phase kill: left $left"
check_state "record after one killed in the write phase"
rm -f "$tmp"/wkill.dat*

# --- errors: exit 2, a message, and tracefs as it was
lg record -o "$tmp/x.dat" -- /nonexistent/command
expect_status 2 "record of a missing command"
grep -q "cannot run /nonexistent/command" "$tmp/err" && pass || fail "missing command: $(cat "$tmp/err")"
check_state "record of a missing command"
lg record -e nosuch:event -o "$tmp/x.dat" -- true
expect_status 2 "record -e nosuch:event"
grep -q "nosuch:event: no such event" "$tmp/err" && pass || fail "-e message: $(cat "$tmp/err")"
check_state "record -e nosuch:event"
lg record -o "$tmp/nodir/x.dat" -- true
expect_status 2 "record -o into a missing directory"
grep -q "nodir/x.dat: $tmp/nodir: No such file or directory" "$tmp/err" && pass ||
	fail "-o into a missing directory: $(cat "$tmp/err")"
check_state "record -o into a missing directory"
echo "the user's own" >"$tmp/x.dat.cpu0"
lg record -o "$tmp/x.dat" -- true
expect_status 2 "record over an existing FILE.cpu0"
[ "$(cat "$tmp/x.dat.cpu0")" = "the user's own" ] && pass || fail "record overwrote FILE.cpu0"
grep -q "x.dat.cpu0: cannot create: File exists" "$tmp/err" && pass ||
	fail "FILE.cpu0 message: $(cat "$tmp/err")"
check_state "record over an existing FILE.cpu0"
rm -f "$tmp/x.dat.cpu0"
lg record --preset nosuch -- true
expect_status 2 "record --preset nosuch"
# a function asked for by name that cannot be probed is an error, saying why
# (a preset's missing function stays a note: --preset amdgpu below)
lg record --probe nosuch_function -o "$tmp/x.dat" -- true
expect_status 2 "record --probe nosuch_function"
grep -q "^lockgraph: --probe nosuch_function: cannot set a kprobe pair: ..*" "$tmp/err" &&
	pass || fail "--probe nosuch_function: $(cat "$tmp/err")"
check_state "record --probe nosuch_function"
lg record --no-args-probe --follow -o "$tmp/noargs.dat" -- true
expect_status 0 "record --no-args-probe"
check_state "record --no-args-probe"
if [ -e "$tracing/events/lock/lock_acquire" ]; then
	grep -q "skipped lock_acquire arguments: --no-args-probe" "$tmp/err" && pass ||
		fail "--no-args-probe: $(cat "$tmp/err")"
	grep -q "lock_acquire_args" "$tmp/err" && fail "--no-args-probe set the probe" || pass
fi
lg record --probe "$abba:no_such_symbol" -o "$tmp/x.dat" -- true
expect_status 2 "record --probe on a missing symbol"
grep -q "no_such_symbol" "$tmp/err" && pass || fail "missing symbol: $(cat "$tmp/err")"
check_state "record --probe on a missing symbol"
lg record -b 1 -- true
expect_status 2 "record -b 1"
lg record
expect_status 2 "record without a command"
if [ ! -e "$tracing/kprobe_events" ]; then
	lg record --preset amdgpu -o "$tmp/preset.dat" -- true
	expect_status 0 "record --preset amdgpu without kprobes"
	grep -q "skipped amdgpu_hmm_invalidate_gfx: no kprobe events in this kernel" "$tmp/err" &&
		pass || fail "preset without kprobes: $(cat "$tmp/err")"
	check_state "record --preset amdgpu"
	# --preset wait: its functions are notes, its waking edge is recorded
	lg record --preset wait -o "$tmp/wait.dat" -- sleep 0.2
	expect_status 0 "record --preset wait without kprobes"
	grep -q "skipped wait_for_completion: no kprobe events in this kernel" "$tmp/err" &&
		grep -q "sched/sched_waking" "$tmp/err" && pass ||
		fail "preset wait without kprobes: $(cat "$tmp/err")"
	[ "$(trace-cmd report "$tmp/wait.dat" 2>/dev/null | grep -c ' sched_waking: ')" -gt 0 ] &&
		pass || fail "preset wait: no sched_waking in the trace"
	check_state "record --preset wait"
fi

# --- FILE is replaced whole or not at all: a regular file is replaced...
echo "the old trace" >"$tmp/old.dat"
lg record --follow -o "$tmp/old.dat" -- true
expect_status 0 "record over an existing trace"
trace-cmd report "$tmp/old.dat" >/dev/null 2>&1 && pass || fail "record did not replace old.dat"
# ...but a full disk leaves the old file as it was, and no other file: with
# no room at all the per-CPU files fail while recording; with room for them
# but not for the trace.dat (--follow: a page or two), its final write does
small="$tmp/small"
mkdir "$small"
if mount -t tmpfs -o size=2m lockgraph-test "$small"; then
	half=$(($(stat -c %s "$tmp/plain.dat") / 2048))
	for room in 0 "$half"; do
		echo "the old trace" >"$small/full.dat"
		avail=$(df --output=avail -k "$small" | tail -1)
		dd if=/dev/zero of="$small/fill" bs=1k count=$((avail - room)) 2>/dev/null
		lg record --follow -o "$small/full.dat" -- true
		expect_status 2 "record onto a full disk (${room} KB free)"
		if [ "$room" = 0 ]; then want="cannot save CPU [0-9]*'s events: No space left on device"
		else want="full.dat: cannot write the event formats and comms: No space left on device"; fi
		grep -q "$want" "$tmp/err" && pass || fail "full disk, $room KB free: $(cat "$tmp/err")"
		[ "$(cat "$small/full.dat")" = "the old trace" ] && pass ||
			fail "full disk, $room KB free: the old trace.dat was not kept"
		left=$(cd "$small" && echo *)
		[ "$left" = "fill full.dat" ] && pass || fail "full disk, $room KB free: left $left"
		check_state "record onto a full disk"
		rm -f "$small/fill"
	done
	umount "$small"
else
	echo "SKIP: record onto a full disk: cannot mount a tmpfs here"
fi

# --- a FILE that is not a regular file is refused before anything is set up
# (COMMAND does not run) and left as it was, a symbolic link too (even to a
# regular file: replaced, the user's link would be lost)
mkfifo "$tmp/fifo"
mknod "$tmp/null" c 1 3
mkdir "$tmp/dir"
ln -s plain.dat "$tmp/link"
sum=$(md5sum <"$tmp/plain.dat")
targets="fifo:p:a FIFO
null:c:a character device
dir:d:a directory
link:L:a symbolic link"
if command -v python3 >/dev/null &&
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/sock"
then targets="$targets
sock:S:a socket"; fi
while IFS=: read -r name type what; do
	lg record -o "$tmp/$name" -- touch "$tmp/ran" </dev/null
	expect_status 2 "record -o $what"
	grep -qF -- "-o $tmp/$name: $what" "$tmp/err" && pass || fail "-o $what: $(cat "$tmp/err")"
	test "-$type" "$tmp/$name" && pass || fail "-o $what: it is no longer $what"
	[ -e "$tmp/ran" ] && fail "-o $what: COMMAND ran" || pass
	[ -e "$tmp/$name.partial" ] && fail "-o $what: $name.partial left" || pass
	check_state "record -o $what"
	rm -f "$tmp/ran"
done <<<"$targets"
[ "$(md5sum <"$tmp/plain.dat")" = "$sum" ] && pass || fail "-o a symbolic link: its target changed"

printf 'record: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
