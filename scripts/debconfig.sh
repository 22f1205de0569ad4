#!/usr/bin/env bash
# Write a Kconfig fragment with the values Debian's own arm64 config gives to
# the options in configs/debian-linear-map.list (from linux-config-6.12:arm64).
# Usage: scripts/debconfig.sh arm64|rt-arm64|arm64-16k|cloud-arm64 OUT
. "$(dirname "$0")/common.sh"

PKG=linux-config-6.12:arm64
DEST=$BUILD/debian-config
CFGDIR=$DEST/usr/src/linux-config-6.12
LIST=$TOP/configs/debian-linear-map.list

[ $# -eq 2 ] || die "usage: $0 arm64|rt-arm64|arm64-16k|cloud-arm64 OUT"
case $1 in
arm64) CFG=config.arm64_none_arm64.xz ;;
rt-arm64) CFG=config.arm64_rt_arm64.xz ;;
arm64-16k) CFG=config.arm64_none_arm64-16k.xz ;;
cloud-arm64) CFG=config.arm64_none_cloud-arm64.xz ;;
*) die "unknown flavour '$1' (arm64, rt-arm64, arm64-16k, cloud-arm64)" ;;
esac
OUT=$2

if [ ! -f "$CFGDIR/config.arm64_none_arm64.xz" ]; then
	root=false; [ "$(id -u)" -eq 0 ] && root=true
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$root || die "arm64 architecture missing; run as root: dpkg --add-architecture arm64 && apt-get update"
		log "adding the arm64 architecture"
		dpkg --add-architecture arm64 && apt-get update -qq
	fi
	mkdir -p "$BUILD"
	tmp=$(mktemp -d "$BUILD/debconfig.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dl() { (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$PKG"); }
	if ! dl; then
		{ $root && apt-get update -qq && dl; } ||
			die "cannot download $PKG; run apt-get update (as root) and retry"
	fi
	deb=$(echo "$tmp"/*.deb)
	dpkg -x "$deb" "$DEST"
	dpkg-deb -f "$deb" Version >"$DEST/VERSION"
fi
[ -f "$CFGDIR/$CFG" ] || die "$CFGDIR/$CFG is missing"
[ -f "$LIST" ] || die "$LIST is missing"
VER=$(cat "$DEST/VERSION" 2>/dev/null || echo unknown)

xz -dc "$CFGDIR/$CFG" | awk -v hdr="# Debian $PKG $VER, $CFG, options from configs/${LIST##*/}" '
NR == FNR { sub(/#.*/, ""); gsub(/[ \t]/, ""); if ($0 != "") opt[++n] = $0; next }
/^CONFIG_/ { i = index($0, "="); val[substr($0, 8, i - 8)] = substr($0, i + 1); next }
/^# CONFIG_.* is not set$/ { val[substr($2, 8)] = "n" }
END {
	print hdr
	for (k = 1; k <= n; k++) {
		o = opt[k]; v = val[o]
		if (v == "m") print "# CONFIG_" o "=m in Debian: dropped (no modules)"
		# in 6.12 PREEMPT_RT is a member of the preemption model choice
		else if (o == "PREEMPT" && val["PREEMPT_RT"] == "y")
			print "# CONFIG_PREEMPT=y in Debian: dropped, PREEMPT_RT=y is the choice"
		else if (v == "" || v == "n") print "# CONFIG_" o " is not set"
		else print "CONFIG_" o "=" v
	}
}' "$LIST" - >"$OUT"

n=$(grep -cE '^(CONFIG_|# CONFIG_.* is not set$)' "$OUT" || true)
log "$PKG $VER, flavour $1 ($CFG): wrote $n options to $OUT"
