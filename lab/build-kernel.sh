#!/usr/bin/env bash
# Build a lab kernel once: Debian's linux-source-VERSION, tinyconfig plus
# lab/kernel.config (and lab/kernel-VERSION.config if there is one), bzImage
# and what out-of-tree modules need, in CACHE (outside the repository). A
# second run with the same fragments does nothing.
# usage: lab/build-kernel.sh CACHE [VERSION]   (default 6.1)
set -euo pipefail
cache=$1
version=${2:-6.1}
lab=$(realpath "$(dirname "$0")")
fragment=$cache/kernel-$version.fragment
mkdir -p "$cache"
cat "$lab/kernel.config" >"$fragment"
[ -f "$lab/kernel-$version.config" ] && cat "$lab/kernel-$version.config" >>"$fragment"
src=$cache/linux-source-$version
stamp=$cache/kernel-$version.stamp
want=$(sha256sum "$fragment" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$src/arch/x86/boot/bzImage" ]; then
	echo "lab: kernel up to date in $src"
	exit 0
fi
if [ ! -f "$src/Makefile" ]; then
	echo "lab: extracting /usr/src/linux-source-$version.tar.xz"
	tar xf "/usr/src/linux-source-$version.tar.xz" -C "$cache"
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
