#!/usr/bin/env bash
# Build the lab kernel once: Debian's linux-source-6.1, tinyconfig plus
# lab/kernel.config, bzImage and what out-of-tree modules need, in CACHE
# (outside the repository). A second run with the same fragment does nothing.
# usage: lab/build-kernel.sh CACHE
set -euo pipefail
cache=$1
fragment=$(realpath "$(dirname "$0")/kernel.config")
src=$cache/linux-source-6.1
stamp=$cache/kernel.stamp
want=$(sha256sum "$fragment" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$src/arch/x86/boot/bzImage" ]; then
	echo "lab: kernel up to date in $src"
	exit 0
fi
mkdir -p "$cache"
if [ ! -f "$src/Makefile" ]; then
	echo "lab: extracting /usr/src/linux-source-6.1.tar.xz"
	tar xf /usr/src/linux-source-6.1.tar.xz -C "$cache"
fi
start=$(date +%s)
make -C "$src" -s tinyconfig
(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null)
make -C "$src" -s olddefconfig
# every line of the fragment must have survived: a silently dropped option
# (a missing dependency) would make a lab that tests nothing
missing=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=y|CONFIG_*=m) ;; *) continue ;; esac
	grep -qx "$line" "$src/.config" || { echo "lab: $line did not survive olddefconfig"; missing=1; }
done <"$fragment"
[ "$missing" -eq 0 ] || exit 1
make -C "$src" -s -j"$(nproc)" bzImage
make -C "$src" -s modules_prepare
cp "$src/vmlinux.symvers" "$src/Module.symvers"
echo "$want" >"$stamp"
echo "lab: kernel built in $(( $(date +%s) - start )) s"
