#!/usr/bin/env bash
# The kernel lab (`make lab`): boot a lockdep kernel once per scenario, record
# the scenario with lockgraph record inside the guest, and check that
# lockgraph analyze reports the cycle lockdep itself reported on that run.
# Results go to fixtures/kernel/<scenario>/ (trace.dat, dmesg, the lockdep
# report line, lockgraph's expected findings) for CI, which does not boot.
# usage: lab/run.sh [SCENARIO...]   env: LAB_CACHE (default /var/cache/lockgraph-lab),
#        LAB_ACCEL (kvm or tcg; default: kvm if a probe boot works, else tcg),
#        LAB_KERNEL (6.1, the default, or 6.12: BTF and tracepoint probes; its
#        results go to fixtures/kernel-6.12/), LAB_RECORD (options lockgraph
#        record gets in the guest, without spaces between an option and its
#        value, without @; default --stacks on 6.12, none on 6.1, or the
#        lines but # comments of lab/record/S.VERSION for scenario S)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
cache=${LAB_CACHE:-/var/cache/lockgraph-lab}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(abba two-inversions amdgpu-training amdgpu-userptr amdgpu-userptr-late nouveau-svm
	xe-drain xe-notifier-alloc xe-notifier-atomic xe-notifier-insert i915-wq-alloc dma-fence-irq
	fence-cb-mutex fence-irq-order dma-fence-signalling nested-annotated nested-unannotated
	hardirq-read-safe-dep-last hardirq-read-safe-usage-last hardirq-read-unsafe-dep-last
	hardirq-read-unsafe-usage-last softirq-read-safe-dep-last softirq-read-safe-usage-last
	softirq-read-unsafe-dep-last softirq-read-unsafe-usage-last unlock-imbalance irqs-on-held
	set-subclass srcu-sync nested-irq wait-completion wait-fence wait-flush wait-flush-wq
	wait-drain wait-two-waiters wait-neg-nolock wait-neg-dropped wait-neg-irq workload-fs
	workload-proc workload-fork)
version=${LAB_KERNEL:-6.1}
src=$cache/linux-source-$version
fixtures=fixtures/kernel
[ "$version" = 6.1 ] || fixtures=fixtures/kernel-$version
record_opts=${LAB_RECORD-$([ "$version" = 6.1 ] || echo --stacks)}

[ "$(id -u)" -eq 0 ] || { echo "lab: needs root (apt-get, and the guest's disk images)"; exit 2; }
packages="linux-source-$version qemu-system-x86 busybox-static flex bison bc libelf-dev libssl-dev cpio dwarves
	libc6-dev"
# shellcheck disable=SC2086
if ! dpkg -s $packages >/dev/null 2>&1; then
	apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
fi
make -s lockgraph

t0=$(date +%s)
lab/build-kernel.sh "$cache" "$version"
kernel_s=$(( $(date +%s) - t0 ))

# the scenario module, built out of the repository
rm -rf "$cache/module"
cp -r lab/module "$cache/module"
make -s -C "$src" M="$cache/module" modules >/dev/null

# an initramfs: busybox, lockgraph with the libraries it loads, the module,
# and each scenario's userspace reproducer (lab/repro/NAME.c -> /bin/repro-NAME)
root=$cache/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,proc,sys,dev,out,tmp}
cp /bin/busybox "$root/bin/busybox"
for tool in sh mount sed cut mkdir tar dmesg poweroff sync cat echo mkswap swapon; do
	ln -s busybox "$root/bin/$tool"
done
ln -s ../bin/busybox "$root/sbin/insmod"
cp lockgraph "$root/bin/lockgraph"
ldd lockgraph | grep -o '/[^ ]*' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cp "$cache/module/lgscen.ko" "$root/lgscen.ko"
for repro in lab/repro/*.c; do
	[ -e "$repro" ] || continue
	gcc -static -O2 -Wall -Wextra -I lab/module -o "$root/bin/repro-$(basename "$repro" .c)" "$repro"
done
cp lab/guest-init "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$cache/initramfs.gz"

# boot SCENARIO ACCEL OUT [RECORD_OPTIONS]: one fresh guest (lockdep turns itself off after its
# first report), its results untarred into OUT. A scenario with a reproducer
# also gets a second disk to swap to: MADV_PAGEOUT unmaps anonymous pages only
# when they have somewhere to go.
boot() {
	local disk=$3/disk.img swap=()
	rm -rf "$3"
	mkdir -p "$3"
	truncate -s 256M "$disk"
	if [ -e "lab/repro/${1%-late}.c" ]; then
		truncate -s 16M "$3/swap.img"
		swap=(-drive "file=$3/swap.img,format=raw,if=virtio")
	fi
	timeout "${LAB_TIMEOUT:-600}" qemu-system-x86_64 -accel "$2" -cpu max -smp 2 -m 1G -nographic -no-reboot \
		-kernel "$src/arch/x86/boot/bzImage" -initrd "$cache/initramfs.gz" \
		-append "console=ttyS0 panic=-1 random.trust_cpu=on lgscen=$1 lgrecord=${4// /@}" \
		-drive "file=$disk,format=raw,if=virtio" "${swap[@]}" >"$3/console.log" 2>&1 || true
	tar xf "$disk" -C "$3" 2>/dev/null
	rm -f "$disk" "$3/swap.img"
	[ -s "$3/dmesg" ]
}

accel=${LAB_ACCEL:-}
if [ -z "$accel" ]; then
	accel=tcg
	if [ -w /dev/kvm ] && LAB_TIMEOUT=120 boot abba kvm "$cache/probe" 2>/dev/null; then
		accel=kvm
	else
		echo "lab: KVM does not boot the guest here ($cache/probe/console.log): using TCG"
	fi
fi

canon() { awk -F' -> ' -f lab/canon.awk; }

# judge S REPORT_JSON LOCKDEP_FILE: "yes", "no" or "gap: why" -- does lockgraph
# report what lockdep reported first (all it reports before it goes quiet)?
judge() {
	local lockdep mine waits
	lockdep=$(head -1 "$3")
	# a wait-* scenario's waits, which lockdep does not see: wait-neg-* none,
	# the others a wait/event deadlock
	waits=$(jq '[.findings[] | select(.kind | startswith("wait-event"))] | length' "$2")
	if [[ $1 == wait-neg-* ]] && [ "$waits" -ne 0 ]; then echo no; return; fi
	if [[ $1 == wait-* && $1 != wait-neg-* ]] &&
		[ "$(jq '[.findings[] | select(.kind == "wait-event-deadlock")] | length' "$2")" -eq 0 ]; then
		echo no
		return
	fi
	if [ -z "$lockdep" ]; then	# nothing to report: nor must lockgraph, but its waits
		[ "$(jq '.findings | length' "$2")" -eq "$waits" ] && echo yes || echo no
		return
	fi
	mine=$(jq -r -f lab/report.jq "$2")
	if [[ $lockdep == circular:* ]]; then	# either framing of one cycle
		lockdep="circular: $(echo "${lockdep#circular: }" | canon)"
		mine=$(sed -n 's/^circular: //p' <<<"$mine" | canon | sed 's/^/circular: /')
	fi
	if grep -qxF "$lockdep" <<<"$mine"; then
		echo yes
	elif [[ $lockdep == recursive:* ]] && [ "$(jq -r '.inputs[0].tier' "$2")" != lockdep+args ]; then
		echo "gap: two locks of one class nested need the subclass to judge, which" \
			"only the lockdep+args tier has (LAB_KERNEL=6.12)"
	else
		echo no
	fi
}

printf '%-30s %-5s %-4s %-9s %-10s %-8s %-6s %s\n' scenario agree accel "boot+rec" "trace.dat" \
	"findings" "lost" "lockdep's report"
fail=0
gaps=()
for s in "${scenarios[@]}"; do
	out=$cache/runs/$s
	start=$(date +%s)
	opts=$record_opts
	if [ -z "${LAB_RECORD+set}" ] && [ -f "lab/record/$s.$version" ]; then
		opts=$(grep -v '^#' "lab/record/$s.$version" || true)
	fi
	if ! boot "$s" "$accel" "$out" "$opts"; then
		# the 6.12 guest sometimes dies at NMI entry with the probe on
		# lock_acquire (kernel BUG at kernel/entry/common.c:378): once more
		echo "lab: $s: the guest wrote no results ($(grep -m1 -o 'kernel BUG at [^!]*' \
			"$out/console.log" || echo 'see console.log')): booting it again"
		if ! boot "$s" "$accel" "$out" "$opts"; then
			echo "lab: $s: the guest wrote no results again; see $out/console.log"
			fail=1
			continue
		fi
	fi
	secs=$(( $(date +%s) - start ))
	fixture=$fixtures/$s
	# an ordinary workload's recording is tens of MB: it stays in the cache
	[[ $s == workload-* ]] && fixture=$out/fixture
	mkdir -p "$fixture"
	cp "$out/trace.dat" "$out/dmesg" "$fixture/"
	chmod 644 "$fixture/trace.dat"
	awk -f lab/splat.awk "$fixture/dmesg" >"$fixture/lockdep"
	# what a scenario's kernel hides from the trace and a rules file says:
	# the scenario's own, or shipped ones named in S.VERSION.shipped
	rules=()
	rm -f "$fixture/rules" "$fixture/shipped-rules"
	if [ -f "lab/rules/$s.$version" ]; then
		cp "lab/rules/$s.$version" "$fixture/rules"
		rules=(--rules "$fixture/rules")
	fi
	if [ -f "lab/rules/$s.$version.shipped" ]; then
		cp "lab/rules/$s.$version.shipped" "$fixture/shipped-rules"
		for name in $(grep -v '^#' "$fixture/shipped-rules"); do rules+=(--rules "$name"); done
	fi
	./lockgraph analyze "${rules[@]}" --format=json "$fixture/trace.dat" >"$out/report.json" \
		2>"$out/analyze.err" || true
	jq -r -f tests/e2e/summary.jq "$out/report.json" >"$fixture/expected"
	verdict=$(judge "$s" "$out/report.json" "$fixture/lockdep")
	# the ordinary workloads must also lose nothing with record's defaults
	if [ "$verdict" = yes ] && [[ $s == workload-* ]] &&
		[ "$(jq '.inputs[0].lost' "$out/report.json")" != 0 ]; then
		verdict=no
	fi
	case "$verdict" in
	yes) ;;
	gap:*) gaps+=("$s: ${verdict#gap: }"); verdict=gap ;;
	*) fail=1; verdict=no ;;
	esac
	printf '%-30s %-5s %-4s %-9s %-10s %-8s %-6s %s\n' "$s" "$verdict" "$accel" "${secs}s" \
		"$(stat -c %s "$fixture/trace.dat")" "$(jq '.findings | length' "$out/report.json")" \
		"$(jq '.inputs[0].lost' "$out/report.json")" "$(head -1 "$fixture/lockdep")"
done
for g in "${gaps[@]}"; do echo "gap: $g"; done
echo "kernel: ${kernel_s}s to build or check (cached in $src); results in $cache/runs"
exit "$fail"
